//! Command line: every clap definition, and the completion engine whose value lists (functions,
//! stages) come from the project — nothing else, so parsing stays instant.

pub mod complete;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCompleter;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "sls-rs",
    version = env!("SLS_RS_VERSION"),
    about = "From an empty folder to an event-driven serverless Rust backend on AWS, and back.",
    long_about = None,
    after_help = "Examples:\n  sls-rs new my-api --template http-api --yes\n  sls-rs validate\n  sls-rs package --stage prod\n  sls-rs completions bash >> ~/.bashrc",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Stage to act on: the stack is `{service}-{stage}`
    #[arg(long, short = 's', global = true, env = "SLS_STAGE", default_value = "dev", value_parser = parse_stage,
          add = ArgValueCompleter::new(complete::stages))]
    pub stage: String,
    /// AWS region (else the config's `region`, then AWS_REGION / your AWS profile)
    #[arg(long, short = 'r', global = true, env = "SLS_REGION")]
    pub region: Option<String>,
    /// AWS profile from ~/.aws/config
    #[arg(long, global = true, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Path to the config file (default: ./sls.yaml or ./sls.yml)
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// `human` tables and messages, or one JSON document on stdout
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub output: OutputFormat,
    /// When to use colour (NO_COLOR is honoured with `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only errors
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (repeat for more)
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Answer yes to every confirmation (needed for destructive steps without a terminal)
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    /// Send AWS calls to this endpoint (an emulator, a VPC endpoint)
    #[arg(long, global = true, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project from a template
    #[command(
        after_help = "Examples:\n  sls-rs new my-api                      # asks on a terminal\n  sls-rs new shop --template event-driven --arch x86_64 --yes\n  sls-rs new --list"
    )]
    New(NewArgs),
    /// Check sls.yaml and report every problem with its location
    #[command(after_help = "Examples:\n  sls-rs validate\n  sls-rs validate --stage prod --output json")]
    Validate,
    /// Synthesize the CloudFormation template and artifact manifest into .sls/<stage>/
    #[command(after_help = "Examples:\n  sls-rs package\n  sls-rs package --stage prod --output json")]
    Package,
    /// Cross-compile every function for Lambda into .sls/<stage>/artifacts/<function>.zip
    #[command(
        after_help = "Examples:\n  sls-rs build\n  sls-rs build -f api\n  sls-rs build --stage prod --output json"
    )]
    Build(BuildArgs),
    /// Run a function's real handler on this machine with one event
    #[command(
        after_help = "Examples:\n  sls-rs invoke --local -f api --event http\n  sls-rs invoke --local -f signup-worker --path event.json\n  cat event.json | sls-rs invoke --local -f signup-worker"
    )]
    Invoke(InvokeArgs),
    /// Run the whole service locally: HTTP API, tables, queues, buckets, topics and every
    /// trigger, with the real handlers, rebuilt on save
    #[command(
        long_about = "Run the whole service locally: HTTP API, tables, queues, buckets, topics and every trigger, with the real handlers, rebuilt on save.\n\nBy default `dev` starts a moto server (from the sls-rs venv) on a free loopback port, creates the stage's resources there and points every handler at it (AWS_ENDPOINT_URL, local credentials). sls-rs itself runs the triggers: queue batches with partial failures and dead-letter redrive, uploads, topic messages, matching events, table streams and schedules. That state lives only as long as `dev`; use --aws-endpoint to keep it in an endpoint you run.\n\nAt a project root, every service runs against the one endpoint, each API on its own port, and other services' outputs a service reads (`${orders.outputs.SignupsQueueUrl}`, `uses: { orders.signups: write }`) are their local values.",
        after_help = "Examples:\n  sls-rs dev\n  sls-rs dev --port 8080\n  curl -X POST localhost:3000/__sls/invoke/signup-worker -d @sqs-event.json\n  curl -X POST localhost:3000/__sls/invoke/orders/signup-worker -d @event.json  # project root\n  curl -X POST localhost:3000/__sls/schedule/nightly      # run a schedule now\n  curl localhost:3000/__sls/state                         # queue depths, item counts\n  sls-rs dev --aws-endpoint http://localhost:4566           # LocalStack\n  sls-rs dev --no-local-aws                                 # HTTP only, your AWS settings"
    )]
    Dev(DevArgs),
    /// Check the tools, Rust targets and AWS settings sls-rs needs
    #[command(after_help = "Examples:\n  sls-rs doctor\n  sls-rs doctor --output json")]
    Doctor,
    /// Build, package and deploy the stage's stack (at a project root: every service, in
    /// dependency order), with live progress
    #[command(
        after_help = "Examples:\n  sls-rs deploy\n  sls-rs deploy --stage prod --yes\n  sls-rs deploy --output json > deploy.ndjson\n  sls-rs deploy --service users --with-dependents   # at a project root\n  sls-rs deploy --changed-since origin/main          # at a project root"
    )]
    Deploy(DeployArgs),
    /// Show what a deploy would change, without changing anything
    #[command(after_help = "Examples:\n  sls-rs diff\n  sls-rs diff --exit-code || echo \"changes pending\"")]
    Diff(DiffArgs),
    /// Draw the backend: routes, functions, queues, buckets, tables, topics, schedules, with
    /// an edge for every trigger and every `uses` grant (at a project root, every service)
    #[command(
        after_help = "Examples:\n  sls-rs graph                        # Mermaid: paste into a README, GitHub renders it\n  sls-rs graph --format svg > architecture.svg\n  sls-rs graph --format dot > architecture.dot"
    )]
    Graph(GraphArgs),
    /// Print the JSON Schema of sls.yaml, for editors' completion, hover docs and checks
    #[command(
        long_about = "Print the JSON Schema of sls.yaml, for editors' completion, hover docs and checks.\n\nIt is made from the tables `validate` checks against, so the editor and sls-rs agree on every key, type, range and choice. `sls-rs new` keeps it in the project (.sls-rs/sls.schema.json) and points each sls.yaml at it with a `# yaml-language-server: $schema=` line, which VS Code (the YAML extension), Neovim, Helix, Zed and JetBrains IDEs read. --write does the same for an existing project, or refreshes the schema after an upgrade.",
        after_help = "Examples:\n  sls-rs schema --write                 # keep it in the project; point each sls.yaml at it\n  sls-rs schema > sls.schema.json"
    )]
    Schema(SchemaArgs),
    /// Let a CI provider deploy: a role it assumes without stored keys, allowed to deploy
    /// exactly this project's stacks
    #[command(
        subcommand,
        after_help = "Examples:\n  sls-rs ci github --repo acme/shop --stage prod   # then run the `gh` lines it prints"
    )]
    Ci(CiCommand),
    /// Show the stage's stack: status, outputs, functions
    #[command(after_help = "Examples:\n  sls-rs info\n  sls-rs info --stage prod --output json")]
    Info,
    /// Delete the stage's stack and its deployment artifacts (at a project root: every
    /// service, consumers first)
    #[command(
        long_about = "Delete the stage's stack and its deployment artifacts (at a project root: every selected service, consumers first).\n\nData is never destroyed without consent. Before deleting anything, remove inspects every bucket (all object versions and delete markers) and every table (its items) the stack would delete, except what `removal: retain` keeps. If any holds data, it lists each with what it holds and deletes nothing, unless you pass --delete-data (--empty-buckets: buckets only) or, on a terminal, agree to the question that shows the list. --yes answers only the general confirmation, never this one. A bucket or table that cannot be inspected stops the removal: it is never taken for empty.",
        after_help = "Examples:\n  sls-rs remove                                      # asks first\n  sls-rs remove --stage pr-42 --yes --delete-data\n  sls-rs remove --service orders --yes               # at a project root"
    )]
    Remove(RemoveArgs),
    /// Show a function's CloudWatch logs, or all functions' interleaved
    #[command(
        after_help = "Examples:\n  sls-rs logs -f api --since 1h\n  sls-rs logs --tail --filter ERROR\n  sls-rs logs -f api --since 2026-11-27T03:00:00Z --output json"
    )]
    Logs(LogsArgs),
    /// Print a shell completion script (it asks `sls-rs` on PATH, so `-f` offers the functions
    /// of the sls.yaml where you press TAB)
    #[command(
        after_help = "Examples:\n  sls-rs completions bash >> ~/.bashrc\n  echo 'source <(sls-rs completions zsh)' >> ~/.zshrc"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Build with the dev profile: faster to compile, slower to run
    #[arg(long)]
    pub debug: bool,
    /// Zip only this function (repeatable); its architecture's functions are all compiled, so
    /// its binary is the one a full build makes
    #[arg(long, short = 'f', value_name = "FUNCTION", add = ArgValueCompleter::new(complete::functions))]
    pub function: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InvokeArgs {
    /// The function to invoke
    #[arg(long, short = 'f', value_name = "FUNCTION", add = ArgValueCompleter::new(complete::functions))]
    pub function: String,
    /// Run the handler on this machine instead of the deployed function
    #[arg(long)]
    pub local: bool,
    /// Show the tail of the invocation's log (remote invoke)
    #[arg(long, conflicts_with = "local")]
    pub log: bool,
    /// The event as JSON
    #[arg(long, short = 'd', conflicts_with_all = ["path", "event"])]
    pub data: Option<String>,
    /// A file holding the event
    #[arg(long, short = 'p', conflicts_with = "event")]
    pub path: Option<PathBuf>,
    /// A realistic sample event of this kind, shaped by the function's declared events
    #[arg(long, short = 'e', value_enum)]
    pub event: Option<crate::local::sample::SampleEvent>,
    /// With `--event http`: which of the function's routes the sample request takes, e.g.
    /// 'POST /signups' (default: the first declared). Implies `--event http`
    #[arg(long, value_name = "ROUTE", conflicts_with_all = ["data", "path"])]
    pub route: Option<String>,
    /// Build the handler with the release profile
    #[arg(long)]
    pub release: bool,
}

#[derive(Debug, Args)]
pub struct DevArgs {
    /// Port to listen on (0 picks a free one); at a project root, each further service's API
    /// listens on the next port
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes every handler to other machines
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Also answer requests naming this host (e.g. a name in /etc/hosts); this machine's own
    /// names (localhost, 127.0.0.1, [::1]) always are
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// With a --host beyond loopback, let other machines use the control routes (/__sls/*)
    #[arg(long)]
    pub expose_control: bool,
    /// Warm instances per function at most (more requests wait)
    #[arg(long, default_value_t = 4)]
    pub max_instances: usize,
    /// Build handlers with the release profile
    #[arg(long)]
    pub release: bool,
    /// Do not rebuild when sources change
    #[arg(long)]
    pub no_watch: bool,
    /// Use this AWS endpoint for the stage's resources and triggers instead of starting moto
    /// (LocalStack, or a moto you run: state then outlives `dev`)
    #[arg(long, value_name = "URL", conflicts_with = "no_local_aws")]
    pub aws_endpoint: Option<String>,
    /// No local AWS: handlers use your own AWS settings, and no triggers run
    #[arg(long)]
    pub no_local_aws: bool,
    /// Allow --aws-endpoint to name another machine; triggers then consume its queues
    #[arg(long, requires = "aws_endpoint")]
    pub remote: bool,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Deploy the artifacts already in .sls/<stage>/artifacts without building
    #[arg(long)]
    pub skip_build: bool,
    /// Fail at once if the stack is busy with another operation, instead of waiting
    #[arg(long)]
    pub no_wait: bool,
    /// Code only: build this function and update its code directly (the next full deploy
    /// reconciles the stack)
    #[arg(long, short = 'f', value_name = "FUNCTION", add = ArgValueCompleter::new(complete::functions))]
    pub function: Option<String>,
    #[command(flatten)]
    pub select: SelectArgs,
    /// At a project root: the services whose files changed since this git ref, and every
    /// service that reads their outputs
    #[arg(long, value_name = "REF", conflicts_with = "service")]
    pub changed_since: Option<String>,
    /// At a project root: at most this many stacks deploying at once
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
}

/// Which of a project's services a root command acts on (default: all).
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// At a project root: only these services (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "SERVICE")]
    pub service: Vec<String>,
    /// With --service: also every service they read outputs from
    #[arg(long)]
    pub with_dependencies: bool,
    /// With --service: also every service that reads their outputs
    #[arg(long)]
    pub with_dependents: bool,
}

#[derive(Debug, Subcommand)]
pub enum CiCommand {
    /// Create or update the role GitHub Actions deploys this project's stage with (OIDC: no
    /// long-lived keys), and print the `gh` lines that hand it to the workflow
    #[command(
        long_about = "Create or update the role GitHub Actions deploys this project's stage with, and print the `gh` lines that hand it to the workflow.\n\nThe role lives in a CloudFormation stack of its own, sls-rs-github-<owner>-<name>-<stage>. It trusts only tokens GitHub issues to workflows of --repo, in the environment --environment (default `prod`, as the generated workflow's deploy job declares) or on the branch --branch. It may deploy only the stage's stacks of this project (every service at a project root): their change sets, the deployment bucket's objects under their names, and the resources their templates hold, each scoped to the stack's names, with iam:PassRole only for the stacks' own function roles, to Lambda. The account's OIDC provider for GitHub is made with the IAM API when the account has none; it is shared by every repository, so no stack owns it and --remove leaves it. Run it again when sls.yaml gains a new kind of resource: it updates the role, or says it is unchanged.",
        after_help = "Examples:\n  sls-rs ci github --repo acme/shop --stage prod\n  sls-rs ci github --repo acme/shop --stage staging --branch main\n  sls-rs ci github --repo acme/shop --stage prod --print-template > role.json\n  sls-rs ci github --repo acme/shop --stage prod --remove --yes"
    )]
    Github(GithubArgs),
}

#[derive(Debug, Args)]
pub struct GithubArgs {
    /// The repository whose workflows may deploy, as `owner/name`
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: String,
    /// Trust jobs that declare this environment (GitHub's token then names it, not the branch)
    #[arg(long, value_name = "NAME", conflicts_with = "branch")]
    pub environment: Option<String>,
    /// Trust jobs on pushes to this branch that declare no environment
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Print the role's CloudFormation template and change nothing (no AWS call)
    #[arg(long, conflicts_with = "remove")]
    pub print_template: bool,
    /// Delete the role's stack (the account's OIDC provider stays: other repositories may use it)
    #[arg(long)]
    pub remove: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write it to .sls-rs/sls.schema.json at the project root and add the modeline to every
    /// sls.yaml of the project that names no schema
    #[arg(long)]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// `mermaid` for Markdown, `dot` for Graphviz, `svg` to open or embed as it is
    #[arg(long, short = 'F', value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Svg,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Exit with 3 when there are changes (0 when there are none)
    #[arg(long)]
    pub exit_code: bool,
    /// Compare the artifacts already built instead of building first
    #[arg(long)]
    pub skip_build: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Destroy the data in the stack's buckets (every object version) and tables too; without
    /// it, remove lists what holds data and deletes nothing (`--yes` never implies it)
    #[arg(long)]
    pub delete_data: bool,
    /// Like --delete-data, for buckets only: a table holding items still stops the removal
    #[arg(long)]
    pub empty_buckets: bool,
    #[command(flatten)]
    pub select: SelectArgs,
    /// Remove a service even while deployed services still read its outputs
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Only this function (default: all, labelled)
    #[arg(long, short = 'f', value_name = "FUNCTION", add = ArgValueCompleter::new(complete::functions))]
    pub function: Option<String>,
    /// From when: 10m, 2h, 1d or an ISO time
    #[arg(long, default_value = "10m")]
    pub since: String,
    /// CloudWatch Logs filter pattern, e.g. ERROR or { $.level = "ERROR" }
    #[arg(long)]
    pub filter: Option<String>,
    /// Keep following new log lines until Ctrl-C (CloudWatch Logs Live Tail, polling where
    /// that is unavailable)
    #[arg(long, short = 't')]
    pub tail: bool,
    /// Follow by polling FilterLogEvents only: Live Tail is billed per session minute beyond
    /// the free tier, and needs logs:StartLiveTail
    #[arg(long, requires = "tail")]
    pub poll: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Directory to create (its last component names the service)
    #[arg(required_unless_present = "list")]
    pub name: Option<PathBuf>,
    /// Project template (see `--list`)
    #[arg(long, short = 't', value_parser = TemplateName, hide_possible_values = true)]
    pub template: Option<String>,
    /// CPU architecture for the functions
    #[arg(long, value_parser = ["arm64", "x86_64"])]
    pub arch: Option<String>,
    /// Never ask; use defaults for anything not given
    #[arg(long)]
    pub no_input: bool,
    /// Write into a directory that is not empty (existing files are overwritten)
    #[arg(long)]
    pub force: bool,
    /// List the templates and exit
    #[arg(long)]
    pub list: bool,
}

/// Any text, offering the catalog's template names to shell completion: an unknown name is
/// `new`'s to answer, with a "did you mean" clap cannot give.
#[derive(Clone)]
struct TemplateName;

impl clap::builder::TypedValueParser for TemplateName {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(crate::scaffold::CATALOG.iter().map(|t| clap::builder::PossibleValue::new(t.name))))
    }
}

fn parse_stage(s: &str) -> Result<String, String> {
    crate::config::names::check_stage(s).map(|()| s.to_string())
}
