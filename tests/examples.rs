//! Every example a user reads in `sls-rs --help` and `sls-rs <command> --help` runs as
//! written, in bash, in the project it implies: a fresh directory for `new`, a generated
//! project holding the functions it names, a project root where it says "at a project root",
//! with AWS (a moto server) where the command needs it. Each must exit 0; a long-running one
//! (`dev`, `logs --tail`) must come up and stop cleanly on Ctrl-C. Examples are read from the
//! help text itself, so a new one cannot ship without running here.

use crate::common::{self, dev, moto, pty};
mod output;
mod running;
mod tour;

use common::Test;
use moto::Moto;
use running::{run_to_end, run_until_up};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Debug, Clone)]
struct Example {
    /// Which help text shows it, e.g. `sls-rs logs --help`.
    from: String,
    /// The line as printed, comment included.
    line: String,
}

impl Example {
    fn words(&self) -> Vec<&str> {
        self.line.split('#').next().unwrap().split_whitespace().collect()
    }

    fn subcommand(&self) -> &str {
        let words = self.words();
        let at = words.iter().position(|w| *w == "sls-rs");
        at.and_then(|i| words.get(i + 1)).copied().unwrap_or("")
    }

    fn at_root(&self) -> bool {
        self.line.contains("project root")
    }

    /// Function names the example relies on: `-f x`, `__sls/invoke/x`, `__sls/schedule/x`.
    fn functions(&self) -> Vec<String> {
        let words = self.words();
        let mut names: Vec<String> =
            words.windows(2).filter(|w| w[0] == "-f" || w[0] == "--function").map(|w| w[1].to_string()).collect();
        for w in &words {
            for admin in ["/__sls/invoke/", "/__sls/schedule/"] {
                if let Some((_, name)) = w.split_once(admin) {
                    names.push(name.rsplit('/').next().unwrap().to_string());
                }
            }
        }
        names
    }

    /// Said to ask a question first: run on a terminal, where the user answers yes.
    fn asks(&self) -> bool {
        self.line.contains("# asks first")
    }

    fn long_running(&self) -> bool {
        self.subcommand() == "dev" || (self.subcommand() == "logs" && self.words().contains(&"--tail"))
    }

    fn needs_aws(&self) -> bool {
        let local = self.words().contains(&"--local");
        matches!(self.subcommand(), "deploy" | "diff" | "info" | "remove" | "logs" | "doctor")
            || (self.subcommand() == "invoke" && !local)
            || (self.subcommand() == "ci" && !self.words().contains(&"--print-template"))
    }
}

/// The examples under "Examples:" in the top-level help and every subcommand's.
fn help_examples() -> Vec<Example> {
    use clap::CommandFactory;
    let cli = sls_rs::cli::Cli::command();
    let mut pages = vec![vec![]];
    for c in cli.get_subcommands().filter(|c| c.get_name() != "help") {
        pages.push(vec![c.get_name()]);
        // Nested commands (`ci github`) have help pages of their own.
        pages.extend(c.get_subcommands().map(|n| n.get_name()).filter(|n| *n != "help").map(|n| vec![c.get_name(), n]));
    }
    let mut out = Vec::new();
    for page in pages {
        let run = Test::new().args(page.iter().copied().chain(["--help"])).run();
        run.status(0);
        let from = format!("sls-rs {}--help", page.iter().map(|p| format!("{p} ")).collect::<String>());
        let examples = run.stdout.split_once("Examples:\n").map(|(_, e)| e).unwrap_or("");
        for line in examples.lines().take_while(|l| l.starts_with("  ")) {
            out.push(Example { from: from.clone(), line: line.trim().to_string() });
        }
    }
    out
}

/// Where an example runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// A fresh directory, for `new`.
    Empty,
    /// A generated project of this template.
    Project(&'static str),
    /// The generated microservices project's root (`dev` there builds for this machine).
    ServicesRoot,
    /// A root of two http-api services `users` and `orders`, for what deploys: the same
    /// cross-compiled dependencies as the other deploy tests, not a second SDK build.
    DeployRoot,
}

/// The cheapest generated project holding every function the example names.
fn place_of(ex: &Example) -> Place {
    if ex.subcommand() == "new" {
        return Place::Empty;
    }
    if ex.at_root() {
        return if ex.needs_aws() { Place::DeployRoot } else { Place::ServicesRoot };
    }
    let names = ex.functions();
    for template in ["http-api", "event-driven"] {
        let yaml = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("templates").join(template).join("sls.yaml.tera"),
        )
        .unwrap();
        if names.iter().all(|n| yaml.contains(&format!("\n  {n}:\n"))) {
            return Place::Project(template);
        }
    }
    panic!("{}: no generated project has the functions {names:?} of `{}`", ex.from, ex.line)
}

struct Sandbox {
    t: Test,
    moto: Moto,
    places: BTreeMap<Place, PathBuf>,
}

impl Sandbox {
    /// A sandbox HOME and a moto server standing in for AWS.
    fn new() -> Sandbox {
        let sb = Sandbox { t: Test::new(), moto: Moto::start(), places: BTreeMap::new() };
        std::fs::create_dir_all(sb.home()).unwrap();
        sb
    }

    fn home(&self) -> PathBuf {
        self.t.path().join("home")
    }

    fn dir(&mut self, place: Place) -> PathBuf {
        if place == Place::Empty {
            let dir = tempfile::tempdir_in(self.t.path()).unwrap().keep();
            return dir;
        }
        if let Some(dir) = self.places.get(&place) {
            return dir.clone();
        }
        let root = self.t.path().join(format!("{place:?}").replace(['(', ')', '"', '-'], ""));
        std::fs::create_dir_all(&root).unwrap();
        let new = |dir: &Path, name: &str, template: &str| {
            // arm64, which tests/build.rs compiled the dependencies for (in release).
            let args = ["new", name, "--template", template, "--arch", "arm64", "--yes"];
            common::Run::from(common::command(dir).args(args).output().unwrap()).status(0);
        };
        let dir = match place {
            Place::Empty => unreachable!(),
            Place::Project(template) => {
                new(&root, "demo", template);
                root.join("demo")
            }
            Place::ServicesRoot => {
                new(&root, "demo", "microservices");
                root.join("demo")
            }
            Place::DeployRoot => {
                std::fs::create_dir_all(root.join("services")).unwrap();
                new(&root.join("services"), "users", "http-api");
                new(&root.join("services"), "orders", "http-api");
                let services = "services:\n  users: { path: services/users }\n  orders: { path: services/orders }\n";
                std::fs::write(root.join("sls.yaml"), services).unwrap();
                // `--changed-since origin/main` needs a history with that ref.
                for args in [
                    &["init", "-q"][..],
                    &["add", "."],
                    &["commit", "-qm", "init"],
                    &["update-ref", "refs/remotes/origin/main", "HEAD"],
                ] {
                    let ok = Command::new("git")
                        .args(args)
                        .current_dir(&root)
                        .env("GIT_AUTHOR_NAME", "t")
                        .env("GIT_AUTHOR_EMAIL", "t@example.com")
                        .env("GIT_COMMITTER_NAME", "t")
                        .env("GIT_COMMITTER_EMAIL", "t@example.com")
                        .status()
                        .unwrap();
                    assert!(ok.success(), "git {args:?}");
                }
                root.clone()
            }
        };
        // Files the examples read, as their users would have written them.
        std::fs::write(dir.join("event.json"), SQS_EVENT).unwrap();
        std::fs::write(dir.join("sqs-event.json"), SQS_EVENT).unwrap();
        self.places.insert(place, dir.clone());
        dir
    }

    /// The environment of an example: this build's sls-rs first on PATH, the sandbox's HOME,
    /// what every test gives sls-rs (shared target dir, no colour, no ambient stage, region,
    /// profile or endpoint: `None` removes), and moto's where the command needs AWS.
    fn env(&self, dir: &Path, aws: bool) -> Vec<(String, Option<String>)> {
        let bin = Path::new(env!("CARGO_BIN_EXE_sls-rs")).parent().unwrap();
        let mut env = vec![
            ("PATH".to_string(), Some(format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()))),
            ("HOME".to_string(), Some(self.home().display().to_string())),
            // The sandbox HOME holds what examples write (~/.bashrc); the toolchain, the crate
            // registry, zig's and cargo-zigbuild's caches and the venv stay the user's own: a
            // fresh registry or linker path would rebuild every dependency (minutes per example).
            (
                "SLS_RS_HOME".to_string(),
                sls_rs::host::tools::home(&sls_rs::host::process::Process::from_os()).map(|h| h.display().to_string()),
            ),
        ];
        let real_home = PathBuf::from(std::env::var_os("HOME").unwrap());
        for (var, dir) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup"), ("XDG_CACHE_HOME", ".cache")] {
            let value = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| real_home.join(dir));
            env.push((var.to_string(), Some(value.display().to_string())));
        }
        let cmd = common::command(dir);
        env.extend(
            cmd.get_envs()
                .map(|(k, v)| (k.to_string_lossy().into_owned(), v.map(|v| v.to_string_lossy().into_owned()))),
        );
        if aws {
            env.extend(self.moto.env().into_iter().map(|(k, v)| (k.to_string(), Some(v))));
        }
        env
    }

    /// `line` in bash, as a user types it.
    fn bash(&self, dir: &Path, ex: &Example) -> Command {
        let mut bash = Command::new("bash");
        bash.args(["--norc", "--noprofile", "-c", &ex.line]).current_dir(dir).stdin(Stdio::null());
        for (k, v) in self.env(dir, ex.needs_aws()) {
            match v {
                Some(v) => bash.env(k, v),
                None => bash.env_remove(k),
            };
        }
        bash
    }
}

/// Held while a `sls-rs dev` typed as written runs: each listens on port 3000. (Tests
/// elsewhere pass `--port 0`; everything else here runs side by side.)
static PORT_3000: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn port_3000() -> std::sync::MutexGuard<'static, ()> {
    PORT_3000.lock().unwrap_or_else(|e| e.into_inner())
}

const SQS_EVENT: &str = r#"{"Records":[{"messageId":"1","receiptHandle":"r","body":"{\"name\":\"Ada\",\"email\":\"ada@example.com\"}","attributes":{},"messageAttributes":{},"md5OfBody":"","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:demo-dev-signups","awsRegion":"us-east-1"}]}"#;

#[test]
fn every_help_example_runs_as_written() {
    let examples = help_examples();
    assert!(examples.len() >= 30, "the help texts lost their examples: {examples:?}");
    // A line clap wrapped would run as two broken commands.
    for e in &examples {
        let program = e.line.split_whitespace().next().unwrap_or("");
        assert!(
            ["sls-rs", "curl", "cat", "echo"].contains(&program),
            "{}: `{}` is not a command (wrapped?)",
            e.from,
            e.line
        );
    }
    // `dev --aws-endpoint http://localhost:4566   # LocalStack`: an AWS emulator where LocalStack listens.
    let localstack = examples.iter().any(|e| e.line.contains("localhost:4566")).then(|| Moto::start_on(4566));
    let mut sb = Sandbox::new();

    // curl examples talk to a running `dev`: they run while the first `dev` of their place is up.
    let (curls, rest): (Vec<_>, Vec<_>) = examples.iter().cloned().partition(|e| e.line.starts_with("curl "));
    let curl_place = |e: &Example| {
        if e.at_root() {
            Place::ServicesRoot
        } else {
            place_of(&Example { line: format!("sls-rs dev {}", e.line), ..e.clone() })
        }
    };
    // What deletes runs last, after what reads the deployed stacks.
    let (removes, mut ordered): (Vec<_>, Vec<_>) = rest.into_iter().partition(|e| e.subcommand() == "remove");
    ordered.extend(removes);
    // Curl examples whose place no `dev` example runs in get a plain `sls-rs dev` there.
    let mut pending_curls: BTreeMap<Place, Vec<Example>> = BTreeMap::new();
    for c in curls {
        pending_curls.entry(curl_place(&c)).or_default().push(c);
    }

    let mut failures = Vec::new();
    let mut ran = 0;
    // How long each example took (setting up its place included), for whoever makes this faster.
    let mut timings = String::new();
    for ex in &ordered {
        let started = Instant::now();
        let place = place_of(ex);
        let dir = sb.dir(place);
        let result = if ex.long_running() {
            let meanwhile =
                if ex.subcommand() == "dev" { pending_curls.remove(&place).unwrap_or_default() } else { Vec::new() };
            ran += meanwhile.len();
            run_until_up(&sb, &dir, ex, &meanwhile)
        } else {
            run_to_end(&sb, &dir, ex)
        };
        ran += 1;
        timings.push_str(&format!("{:>7.1}s  {}\n", started.elapsed().as_secs_f64(), ex.line));
        if let Err(e) = result {
            failures.push(e);
        }
    }
    for (place, curls) in std::mem::take(&mut pending_curls) {
        let started = Instant::now();
        let dir = sb.dir(place);
        let dev = Example { from: "the `sls-rs dev` these examples imply".into(), line: "sls-rs dev".into() };
        ran += curls.len();
        if let Err(e) = run_until_up(&sb, &dir, &dev, &curls) {
            failures.push(e);
        }
        timings.push_str(&format!(
            "{:>7.1}s  {place:?}: sls-rs dev + {} curl\n",
            started.elapsed().as_secs_f64(),
            curls.len()
        ));
    }
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("examples-timings.txt"), timings).unwrap();
    drop(localstack);
    assert_eq!(ran, examples.len(), "every example runs");
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
}
