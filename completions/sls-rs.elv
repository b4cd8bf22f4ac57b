
use builtin;
use str;

set edit:completion:arg-completer[sls-rs] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sls-rs'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sls-rs'= {
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand new 'Create a project from a template'
            cand validate 'Check sls.yaml and report every problem with its location'
            cand package 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/'
            cand build 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip'
            cand invoke 'Run a function''s real handler on this machine with one event'
            cand dev 'Serve the HTTP API locally with the real handlers, rebuilt on save'
            cand doctor 'Check the tools, Rust targets and AWS settings sls-rs needs'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sls-rs;new'= {
            cand -t 'Project template (see `--list`)'
            cand --template 'Project template (see `--list`)'
            cand --arch 'CPU architecture for the functions'
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --no-input 'Never ask; use defaults for anything not given'
            cand --force 'Write into a directory that is not empty (existing files are overwritten)'
            cand --list 'List the templates and exit'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;validate'= {
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;package'= {
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;build'= {
            cand -f 'Build only this function (repeatable)'
            cand --function 'Build only this function (repeatable)'
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --debug 'Build with the dev profile: faster to compile, slower to run'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;invoke'= {
            cand -f 'The function to invoke'
            cand --function 'The function to invoke'
            cand -d 'The event as JSON'
            cand --data 'The event as JSON'
            cand -p 'A file holding the event'
            cand --path 'A file holding the event'
            cand -e 'A realistic sample event of this kind, shaped by the function''s declared events'
            cand --event 'A realistic sample event of this kind, shaped by the function''s declared events'
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --local 'Run the handler on this machine (remote invoke comes with deploy)'
            cand --release 'Build the handler with the release profile'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;dev'= {
            cand --port 'Port to listen on (0 picks a free one)'
            cand --host 'Address to listen on'
            cand --max-instances 'Warm instances per function at most (more requests wait)'
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand --release 'Build handlers with the release profile'
            cand --no-watch 'Do not rebuild when sources change'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;doctor'= {
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;completions'= {
            cand -s 'Stage to act on: the stack is `{service}-{stage}`'
            cand --stage 'Stage to act on: the stack is `{service}-{stage}`'
            cand -r 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --region 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)'
            cand --profile 'AWS profile from ~/.aws/config'
            cand -c 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand --config 'Path to the config file (default: ./sls.yaml or ./sls.yml)'
            cand -o '`human` tables and messages, or one JSON document on stdout'
            cand --output '`human` tables and messages, or one JSON document on stdout'
            cand --color 'When to use colour (NO_COLOR is honoured with `auto`)'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Print more detail (repeat for more)'
            cand --verbose 'Print more detail (repeat for more)'
            cand -y 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'sls-rs;help'= {
            cand new 'Create a project from a template'
            cand validate 'Check sls.yaml and report every problem with its location'
            cand package 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/'
            cand build 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip'
            cand invoke 'Run a function''s real handler on this machine with one event'
            cand dev 'Serve the HTTP API locally with the real handlers, rebuilt on save'
            cand doctor 'Check the tools, Rust targets and AWS settings sls-rs needs'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sls-rs;help;new'= {
        }
        &'sls-rs;help;validate'= {
        }
        &'sls-rs;help;package'= {
        }
        &'sls-rs;help;build'= {
        }
        &'sls-rs;help;invoke'= {
        }
        &'sls-rs;help;dev'= {
        }
        &'sls-rs;help;doctor'= {
        }
        &'sls-rs;help;completions'= {
        }
        &'sls-rs;help;help'= {
        }
    ]
    $completions[$command]
}
