# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sls_rs_global_optspecs
    string join \n s/stage= r/region= profile= c/config= o/output= color= q/quiet v/verbose y/yes endpoint-url= h/help V/version
end

function __fish_sls_rs_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sls_rs_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sls_rs_using_subcommand
    set -l cmd (__fish_sls_rs_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sls-rs -n "__fish_sls_rs_needs_command" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_needs_command" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "new" -d 'Create a project from a template'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "validate" -d 'Check sls.yaml and report every problem with its location'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "package" -d 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "build" -d 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "invoke" -d 'Run a function\'s real handler on this machine with one event'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "dev" -d 'Run the whole service locally: HTTP API, tables, queues, buckets, topics and every trigger, with the real handlers, rebuilt on save'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "doctor" -d 'Check the tools, Rust targets and AWS settings sls-rs needs'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "deploy" -d 'Build, package and deploy the stage\'s stack (at a project root: every service, in dependency order), with live progress'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "diff" -d 'Show what a deploy would change, without changing anything'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "info" -d 'Show the stage\'s stack: status, outputs, functions'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "remove" -d 'Delete the stage\'s stack and its deployment artifacts (at a project root: every service, consumers first)'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "logs" -d 'Show a function\'s CloudWatch logs, or all functions\' interleaved'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c sls-rs -n "__fish_sls_rs_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s t -l template -d 'Project template (see `--list`)' -r -f -a "http-api\t''
event-driven\t''
microservices\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l arch -d 'CPU architecture for the functions' -r -f -a "arm64\t''
x86_64\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l no-input -d 'Never ask; use defaults for anything not given'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l force -d 'Write into a directory that is not empty (existing files are overwritten)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -l list -d 'List the templates and exit'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand new" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand validate" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand package" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s f -l function -d 'Build only this function (repeatable)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -l debug -d 'Build with the dev profile: faster to compile, slower to run'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand build" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s f -l function -d 'The function to invoke' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s d -l data -d 'The event as JSON' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s p -l path -d 'A file holding the event' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s e -l event -d 'A realistic sample event of this kind, shaped by the function\'s declared events' -r -f -a "http\t''
sqs\t''
s3\t''
schedule\t''
sns\t''
dynamodb\t''
eventbridge\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l route -d 'With `--event http`: which of the function\'s routes the sample request takes, e.g. \'POST /signups\' (default: the first declared). Implies `--event http`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l local -d 'Run the handler on this machine instead of the deployed function'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l log -d 'Show the tail of the invocation\'s log (remote invoke)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -l release -d 'Build the handler with the release profile'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l port -d 'Port to listen on (0 picks a free one); at a project root, each further service\'s API listens on the next port' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l host -d 'Address to listen on' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l max-instances -d 'Warm instances per function at most (more requests wait)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l aws-endpoint -d 'Use this AWS endpoint for the stage\'s resources and triggers instead of starting moto (LocalStack, or a moto you run: state then outlives `dev`)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l release -d 'Build handlers with the release profile'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l no-watch -d 'Do not rebuild when sources change'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l no-local-aws -d 'No local AWS: handlers use your own AWS settings, and no triggers run'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -l remote -d 'Allow --aws-endpoint to name another machine; triggers then consume its queues'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand dev" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s f -l function -d 'Code only: build this function and update its code directly (the next full deploy reconciles the stack)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l service -d 'At a project root: only these services (comma-separated or repeated)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l changed-since -d 'At a project root: the services whose files changed since this git ref, and every service that reads their outputs' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l concurrency -d 'At a project root: at most this many stacks deploying at once' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l skip-build -d 'Deploy the artifacts already in .sls/<stage>/artifacts without building'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l no-wait -d 'Fail at once if the stack is busy with another operation, instead of waiting'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l with-dependencies -d 'With --service: also every service they read outputs from'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -l with-dependents -d 'With --service: also every service that reads their outputs'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -l exit-code -d 'Exit with 3 when there are changes (0 when there are none)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -l skip-build -d 'Compare the artifacts already built instead of building first'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand diff" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand info" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l service -d 'At a project root: only these services (comma-separated or repeated)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l delete-data -d 'Destroy the data in the stack\'s buckets (every object version) and tables too; without it, remove lists what holds data and deletes nothing (`--yes` never implies it)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l empty-buckets -d 'Like --delete-data, for buckets only: a table holding items still stops the removal'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l with-dependencies -d 'With --service: also every service they read outputs from'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l with-dependents -d 'With --service: also every service that reads their outputs'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -l force -d 'Remove a service even while deployed services still read its outputs'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand remove" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s f -l function -d 'Only this function (default: all, labelled)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l since -d 'From when: 10m, 2h, 1d or an ISO time' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l filter -d 'CloudWatch Logs filter pattern, e.g. ERROR or { $.level = "ERROR" }' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s t -l tail -d 'Keep following new log lines until Ctrl-C (CloudWatch Logs Live Tail, polling where that is unavailable)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -l poll -d 'Follow by polling FilterLogEvents only: Live Tail is billed per session minute beyond the free tier, and needs logs:StartLiveTail'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand logs" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s s -l stage -d 'Stage to act on: the stack is `{service}-{stage}`' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s r -l region -d 'AWS region (else the config\'s `region`, then AWS_REGION / your AWS profile)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -l profile -d 'AWS profile from ~/.aws/config' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s c -l config -d 'Path to the config file (default: ./sls.yaml or ./sls.yml)' -r -F
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s o -l output -d '`human` tables and messages, or one JSON document on stdout' -r -f -a "human\t''
json\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is honoured with `auto`)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -l endpoint-url -d 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)' -r
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s q -l quiet -d 'Print only errors'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s v -l verbose -d 'Print more detail (repeat for more)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s y -l yes -d 'Answer yes to every confirmation (needed for destructive steps without a terminal)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s h -l help -d 'Print help'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand completions" -s V -l version -d 'Print version'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "new" -d 'Create a project from a template'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "validate" -d 'Check sls.yaml and report every problem with its location'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "package" -d 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "build" -d 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "invoke" -d 'Run a function\'s real handler on this machine with one event'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "dev" -d 'Run the whole service locally: HTTP API, tables, queues, buckets, topics and every trigger, with the real handlers, rebuilt on save'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "doctor" -d 'Check the tools, Rust targets and AWS settings sls-rs needs'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "deploy" -d 'Build, package and deploy the stage\'s stack (at a project root: every service, in dependency order), with live progress'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "diff" -d 'Show what a deploy would change, without changing anything'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "info" -d 'Show the stage\'s stack: status, outputs, functions'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "remove" -d 'Delete the stage\'s stack and its deployment artifacts (at a project root: every service, consumers first)'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "logs" -d 'Show a function\'s CloudWatch logs, or all functions\' interleaved'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c sls-rs -n "__fish_sls_rs_using_subcommand help; and not __fish_seen_subcommand_from new validate package build invoke dev doctor deploy diff info remove logs completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
