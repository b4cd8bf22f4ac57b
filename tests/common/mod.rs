//! A small builder for CLI tests: a temporary project, the real `sls-rs` binary, and the
//! assertions people care about (exit code, stdout, stderr).
#![allow(dead_code)]

pub mod dev;
pub mod faults;
pub mod iam_lint;
pub mod moto;
pub mod pty;
pub mod wait;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    cwd: Option<PathBuf>,
    env: Vec<(String, String)>,
    expect: Expect,
}

/// What a run must show, declared before it (`Test::status`, `stderr`, …) and checked by `run`.
#[derive(Default)]
struct Expect {
    status: Option<i32>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
}

pub struct Run {
    pub output: Output,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Self {
        Test::within(&std::env::temp_dir())
    }

    /// A test whose directory is made under `parent` (for a fixture kept for the whole run:
    /// cargo's `CARGO_TARGET_TMPDIR` rather than the system's temporary directory).
    pub fn within(parent: &Path) -> Self {
        Test {
            dir: tempfile::tempdir_in(parent).unwrap(),
            args: Vec::new(),
            cwd: None,
            env: Vec::new(),
            expect: Expect::default(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A test whose directory starts as a copy of `from` (a fixture made once for many tests).
    pub fn copy_of(from: &Path) -> Self {
        let t = Test::new();
        copy_tree(from, t.path()).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
        t
    }

    pub fn file(self, rel: &str, contents: &str) -> Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Self {
        self.args = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        self
    }

    pub fn cwd(mut self, rel: &str) -> Self {
        self.cwd = Some(self.dir.path().join(rel));
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// The exit code `run` must see.
    pub fn status(mut self, code: i32) -> Self {
        self.expect.status = Some(code);
        self
    }

    /// Exactly what stdout must hold.
    pub fn stdout(mut self, exact: &str) -> Self {
        self.expect.stdout = Some(exact.into());
        self
    }

    /// Exactly what stderr must hold.
    pub fn stderr(mut self, exact: &str) -> Self {
        self.expect.stderr = Some(exact.into());
        self
    }

    /// Text stdout must contain (for output that also holds what varies: paths, times).
    pub fn stdout_has(mut self, needle: &str) -> Self {
        self.expect.stdout_has.push(needle.into());
        self
    }

    /// Text stderr must contain.
    pub fn stderr_has(mut self, needle: &str) -> Self {
        self.expect.stderr_has.push(needle.into());
        self
    }

    /// Runs sls-rs with the arguments and environment given, and checks what was declared.
    #[track_caller]
    pub fn run(&self) -> Run {
        let mut cmd = command(self.cwd.as_deref().unwrap_or(self.dir.path()));
        cmd.args(&self.args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let run = Run::from(cmd.output().expect("sls-rs runs"));
        let e = &self.expect;
        if let Some(code) = e.status {
            run.status(code);
        }
        for (stream, got, exact) in [("stdout", &run.stdout, &e.stdout), ("stderr", &run.stderr, &e.stderr)] {
            if let Some(want) = exact {
                assert_eq!(got, want, "{stream} is not what was expected\n--- it is\n{got}\n--- expected\n{want}");
            }
        }
        for needle in &e.stdout_has {
            run.stdout_has(needle);
        }
        for needle in &e.stderr_has {
            run.stderr_has(needle);
        }
        run
    }
}

/// Copies the files and directories under `from` into `to`, keeping executable bits.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Settings a developer's shell may carry that would change what sls-rs does in a test.
pub const AMBIENT: &[&str] = &[
    "SLS_STAGE",
    "SLS_REGION",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// `sls-rs` in `dir`, sharing the generated projects' target directory, without colour, stdin
/// or the caller's stage, region, profile and endpoint. Every test starts sls-rs through here.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sls-rs"));
    cmd.current_dir(dir).env("CARGO_TARGET_DIR", shared_target()).env("NO_COLOR", "1").stdin(Stdio::null());
    for k in AMBIENT {
        cmd.env_remove(k);
    }
    cmd
}

impl From<Output> for Run {
    /// Every finished run is checked for a panic here, whatever else the test asserts.
    #[track_caller]
    fn from(output: Output) -> Run {
        let run = Run {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            output,
        };
        assert!(!run.stderr.contains("panicked"), "sls-rs panicked:\n{}", run.stderr);
        run
    }
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    #[track_caller]
    pub fn status(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "exit code\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}:\n{}", self.stdout);
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// A runtime for the SDK calls of a test that is not async: one thread, as the tests run many
/// at once on two cores.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The project's tool venv, as `install.sh` creates it.
pub fn venv() -> PathBuf {
    if let Some(v) = std::env::var_os("SLS_RS_VENV") {
        return PathBuf::from(v);
    }
    sls_home().join("venv")
}

/// Where install.sh puts its venvs.
fn sls_home() -> PathBuf {
    std::env::var_os("SLS_RS_HOME").map(PathBuf::from).unwrap_or_else(|| {
        let base = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".local/share"));
        base.join("sls-rs")
    })
}

/// checkov findings that do not apply to what sls-rs generates, each with the reason. Anything
/// else checkov finds fails the test.
const CHECKOV_SKIPS: &[(&str, &str)] = &[
    // Lambda, CloudWatch Logs, DynamoDB and SQS encrypt at rest with AWS-managed keys (tables:
    // `SSEEnabled`, queues: `SqsManagedSseEnabled`). A customer-managed KMS key per resource
    // adds a key policy to maintain and a monthly cost for no gain in these threat models;
    // these checks accept only a customer-managed key.
    ("CKV_AWS_158", "log groups: encrypted by CloudWatch Logs; a CMK is the user's choice"),
    ("CKV_AWS_173", "Lambda environment: encrypted with the AWS-managed key"),
    ("CKV_AWS_119", "DynamoDB: SSEEnabled uses the AWS-managed KMS key"),
    ("CKV_AWS_27", "SQS: SqsManagedSseEnabled is on; the check only recognises KMS"),
    // Functions call AWS APIs over their public endpoints and reach no private network; a VPC
    // would add NAT cost and cold-start latency and protect nothing.
    ("CKV_AWS_117", "no VPC: no private resources to reach"),
    // Async functions (upload, schedule, topic, eventbridge) get an on-failure destination,
    // which supersedes a DLQ and keeps the error; HTTP, queue and stream functions are not
    // invoked asynchronously, so a Lambda DLQ would never receive anything.
    ("CKV_AWS_116", "on-failure destinations instead of DLQs, where Lambda retries"),
    // Reserved concurrency carves capacity out of the account's pool; it is a per-function
    // setting (`concurrency:`) because a default would starve other functions.
    ("CKV_AWS_115", "concurrency: opt-in per function"),
    // Server access logging needs a second, log-only bucket per bucket; CloudTrail data events
    // are the account-wide way to audit object access.
    ("CKV_AWS_18", "S3 access logs: use CloudTrail data events"),
    // Point-in-time recovery is on for retained stages (`removal: retain`, e.g. prod) and a
    // table option (`point_in_time_recovery:`) elsewhere: dev data is disposable.
    ("CKV_AWS_28", "PITR: on for retained stages, per-table option"),
    // Versioning keeps every overwritten object (and bills for it) until a lifecycle rule
    // removes it; it is a bucket option (`versioning: true`), not a default.
    ("CKV_AWS_21", "S3 versioning: opt-in per bucket"),
];

/// Runs checkov on `templates` with the skips above; any other failed check fails the test.
#[track_caller]
pub fn checkov(templates: &[PathBuf]) {
    let bin = sls_home().join("checkov/bin/checkov");
    assert!(bin.exists(), "checkov not found at {}: run ./install.sh first", bin.display());
    let skips: Vec<&str> = CHECKOV_SKIPS.iter().map(|(id, _)| *id).collect();
    let mut cmd = Command::new(&bin);
    cmd.args(["--framework", "cloudformation", "--compact", "--quiet", "--skip-download", "--skip-check"])
        .arg(skips.join(","));
    for t in templates {
        cmd.arg("-f").arg(t);
    }
    let out = cmd.env("BC_SKIP_MAPPING", "TRUE").output().expect("checkov runs");
    assert!(
        out.status.success(),
        "checkov found problems (exit {:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs cfn-lint on `templates` and fails the test with its findings if any is an error.
#[track_caller]
pub fn cfn_lint(templates: &[PathBuf]) {
    let bin = venv().join("bin/cfn-lint");
    assert!(bin.exists(), "cfn-lint not found at {}: run ./install.sh first", bin.display());
    // cfn-lint's exit code is a bit set: 2 errors, 4 warnings, 8 informational; 1 is a crash.
    // Warnings and informational findings are advice; errors and crashes fail.
    let out = Command::new(&bin).args(templates).output().expect("cfn-lint runs");
    let code = out.status.code().unwrap_or(1);
    assert!(
        code & 2 == 0 && code != 1,
        "cfn-lint exit {code}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A cargo target directory shared by every generated project in the test run, so their
/// common dependencies compile once.
pub fn shared_target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("generated-projects")
}
