
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sls-rs' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sls-rs'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sls-rs' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a project from a template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check sls.yaml and report every problem with its location')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Run a function''s real handler on this machine with one event')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the whole service locally: HTTP API, tables, queues, buckets, topics and every trigger, with the real handlers, rebuilt on save')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the tools, Rust targets and AWS settings sls-rs needs')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, package and deploy the stage''s stack (at a project root: every service, in dependency order), with live progress')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what a deploy would change, without changing anything')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the stage''s stack: status, outputs, functions')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete the stage''s stack and its deployment artifacts (at a project root: every service, consumers first)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a function''s CloudWatch logs, or all functions'' interleaved')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sls-rs;new' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Project template (see `--list`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Project template (see `--list`)')
            [CompletionResult]::new('--arch', '--arch', [CompletionResultType]::ParameterName, 'CPU architecture for the functions')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never ask; use defaults for anything not given')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Write into a directory that is not empty (existing files are overwritten)')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the templates and exit')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;validate' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;package' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;build' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Build only this function (repeatable)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Build only this function (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Build with the dev profile: faster to compile, slower to run')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;invoke' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'The function to invoke')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'The function to invoke')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The event as JSON')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The event as JSON')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A file holding the event')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'A file holding the event')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A realistic sample event of this kind, shaped by the function''s declared events')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'A realistic sample event of this kind, shaped by the function''s declared events')
            [CompletionResult]::new('--route', '--route', [CompletionResultType]::ParameterName, 'With `--event http`: which of the function''s routes the sample request takes, e.g. ''POST /signups'' (default: the first declared). Implies `--event http`')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Run the handler on this machine instead of the deployed function')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Show the tail of the invocation''s log (remote invoke)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build the handler with the release profile')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;dev' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (0 picks a free one); at a project root, each further service''s API listens on the next port')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--max-instances', '--max-instances', [CompletionResultType]::ParameterName, 'Warm instances per function at most (more requests wait)')
            [CompletionResult]::new('--aws-endpoint', '--aws-endpoint', [CompletionResultType]::ParameterName, 'Use this AWS endpoint for the stage''s resources and triggers instead of starting moto (LocalStack, or a moto you run: state then outlives `dev`)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--release', '--release', [CompletionResultType]::ParameterName, 'Build handlers with the release profile')
            [CompletionResult]::new('--no-watch', '--no-watch', [CompletionResultType]::ParameterName, 'Do not rebuild when sources change')
            [CompletionResult]::new('--no-local-aws', '--no-local-aws', [CompletionResultType]::ParameterName, 'No local AWS: handlers use your own AWS settings, and no triggers run')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Allow --aws-endpoint to name another machine; triggers then consume its queues')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;doctor' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;deploy' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Code only: build this function and update its code directly (the next full deploy reconciles the stack)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Code only: build this function and update its code directly (the next full deploy reconciles the stack)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'At a project root: only these services (comma-separated or repeated)')
            [CompletionResult]::new('--changed-since', '--changed-since', [CompletionResultType]::ParameterName, 'At a project root: the services whose files changed since this git ref, and every service that reads their outputs')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'At a project root: at most this many stacks deploying at once')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--skip-build', '--skip-build', [CompletionResultType]::ParameterName, 'Deploy the artifacts already in .sls/<stage>/artifacts without building')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Fail at once if the stack is busy with another operation, instead of waiting')
            [CompletionResult]::new('--with-dependencies', '--with-dependencies', [CompletionResultType]::ParameterName, 'With --service: also every service they read outputs from')
            [CompletionResult]::new('--with-dependents', '--with-dependents', [CompletionResultType]::ParameterName, 'With --service: also every service that reads their outputs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;diff' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with 3 when there are changes (0 when there are none)')
            [CompletionResult]::new('--skip-build', '--skip-build', [CompletionResultType]::ParameterName, 'Compare the artifacts already built instead of building first')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;info' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;remove' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'At a project root: only these services (comma-separated or repeated)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('--delete-data', '--delete-data', [CompletionResultType]::ParameterName, 'Destroy the data in the stack''s buckets (every object version) and tables too; without it, remove lists what holds data and deletes nothing (`--yes` never implies it)')
            [CompletionResult]::new('--empty-buckets', '--empty-buckets', [CompletionResultType]::ParameterName, 'Like --delete-data, for buckets only: a table holding items still stops the removal')
            [CompletionResult]::new('--with-dependencies', '--with-dependencies', [CompletionResultType]::ParameterName, 'With --service: also every service they read outputs from')
            [CompletionResult]::new('--with-dependents', '--with-dependents', [CompletionResultType]::ParameterName, 'With --service: also every service that reads their outputs')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove a service even while deployed services still read its outputs')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;logs' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Only this function (default: all, labelled)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Only this function (default: all, labelled)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From when: 10m, 2h, 1d or an ISO time')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'CloudWatch Logs filter pattern, e.g. ERROR or { $.level = "ERROR" }')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Keep following new log lines until Ctrl-C (CloudWatch Logs Live Tail, polling where that is unavailable)')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Keep following new log lines until Ctrl-C (CloudWatch Logs Live Tail, polling where that is unavailable)')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Follow by polling FilterLogEvents only: Live Tail is billed per session minute beyond the free tier, and needs logs:StartLiveTail')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;completions' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to act on: the stack is `{service}-{stage}`')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (else the config''s `region`, then AWS_REGION / your AWS profile)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from ~/.aws/config')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Path to the config file (default: ./sls.yaml or ./sls.yml)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`human` tables and messages, or one JSON document on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured with `auto`)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send AWS calls to this endpoint (an emulator, a VPC endpoint)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (repeat for more)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed for destructive steps without a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'sls-rs;help' {
            [CompletionResult]::new('new', 'new', [CompletionResultType]::ParameterValue, 'Create a project from a template')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check sls.yaml and report every problem with its location')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Run a function''s real handler on this machine with one event')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run the whole service locally: HTTP API, tables, queues, buckets, topics and every trigger, with the real handlers, rebuilt on save')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the tools, Rust targets and AWS settings sls-rs needs')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Build, package and deploy the stage''s stack (at a project root: every service, in dependency order), with live progress')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what a deploy would change, without changing anything')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the stage''s stack: status, outputs, functions')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete the stage''s stack and its deployment artifacts (at a project root: every service, consumers first)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a function''s CloudWatch logs, or all functions'' interleaved')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sls-rs;help;new' {
            break
        }
        'sls-rs;help;validate' {
            break
        }
        'sls-rs;help;package' {
            break
        }
        'sls-rs;help;build' {
            break
        }
        'sls-rs;help;invoke' {
            break
        }
        'sls-rs;help;dev' {
            break
        }
        'sls-rs;help;doctor' {
            break
        }
        'sls-rs;help;deploy' {
            break
        }
        'sls-rs;help;diff' {
            break
        }
        'sls-rs;help;info' {
            break
        }
        'sls-rs;help;remove' {
            break
        }
        'sls-rs;help;logs' {
            break
        }
        'sls-rs;help;completions' {
            break
        }
        'sls-rs;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
