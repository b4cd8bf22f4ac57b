//! This machine — `doctor`'s checks: the tools a build (and `dev`) needs, the Rust targets for the
//! configured architectures, and AWS credentials — each with what to do when it is missing.

use crate::config::Arch;
use crate::host::process::Process;
use crate::host::tools;
use std::process::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    /// Not needed for everything (e.g. credentials before a deploy).
    Warn,
    Fail,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

fn version_of(process: &Process, program: &std::path::Path, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).env("PATH", tools::path_with_venv(process)).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string())
}

/// Runs every check; `arches` are the architectures the project's functions use.
pub(crate) fn run(process: &Process, arches: &[Arch], region: Option<&str>) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut add = |name: &str, status, detail: String, fix: Option<&str>| {
        checks.push(Check { name: name.into(), status, detail, fix: fix.map(str::to_string) });
    };
    match tools::find(process, "cargo").and_then(|c| version_of(process, &c, &["--version"])) {
        Some(v) => add("cargo", Status::Ok, v, None),
        None => add("cargo", Status::Fail, "not found".into(), Some("install Rust (rustup or your package manager)")),
    }
    match tools::find(process, "cargo-lambda") {
        Some(p) => {
            let v = version_of(process, &p, &["lambda", "--version"]).unwrap_or_default();
            add("cargo-lambda", Status::Ok, format!("{v} ({})", p.display()), None)
        }
        None => add("cargo-lambda", Status::Fail, "not found".into(), Some(tools::INSTALL_HINT)),
    }
    let zig = tools::find(process, "zig")
        .and_then(|z| version_of(process, &z, &["version"]))
        .map(|v| format!("zig {v}"))
        .or_else(|| {
            let py = tools::venv_bin(process)?.join("python");
            version_of(process, &py, &["-m", "ziglang", "version"])
                .map(|v| format!("zig {v} (ziglang in the sls-rs venv)"))
        });
    match zig {
        Some(v) => add("zig", Status::Ok, v, None),
        None => add("zig", Status::Fail, "not found (cargo lambda links with it)".into(), Some(tools::INSTALL_HINT)),
    }
    // Only `dev` needs it, and `dev --aws-endpoint`/`--no-local-aws` do without: a warning.
    match tools::find(process, "moto_server") {
        Some(p) => add("moto_server", Status::Ok, format!("{} (sls-rs dev's local AWS)", p.display()), None),
        None => add(
            "moto_server",
            Status::Warn,
            "not found: `sls-rs dev` cannot start local AWS services".into(),
            Some("run `./install.sh --tools-only` (it installs moto into the sls-rs venv), or `pip install 'moto[server]'`"),
        ),
    }
    let installed = tools::find(process, "rustup").and_then(|r| {
        let out = Command::new(r).args(["target", "list", "--installed"]).output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    });
    for arch in arches {
        let target = arch.rust_target();
        match &installed {
            Some(list) if list.lines().any(|l| l.trim() == target) => {
                add(&format!("target {target}"), Status::Ok, "installed".into(), None)
            }
            Some(_) => add(
                &format!("target {target}"),
                Status::Fail,
                format!("needed for {arch} functions"),
                Some(&format!("rustup target add {target}")),
            ),
            None => add(
                &format!("target {target}"),
                Status::Warn,
                "rustup not found; cannot tell".into(),
                Some("make sure your toolchain has this target"),
            ),
        }
    }
    let env = |k: &str| process.var(k);
    let home = process.var_os("HOME").map(std::path::PathBuf::from).unwrap_or_default();
    let creds = if env("AWS_ACCESS_KEY_ID").is_some() {
        Some("from AWS_ACCESS_KEY_ID".to_string())
    } else if let Some(p) = env("AWS_PROFILE") {
        Some(format!("profile {p}"))
    } else if home.join(".aws/credentials").is_file() || home.join(".aws/config").is_file() {
        Some("from ~/.aws".to_string())
    } else {
        None
    };
    let creds_fix =
        "needed for deploy: run `aws configure`, set AWS_PROFILE, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    match creds {
        Some(c) => add("aws credentials", Status::Ok, c, None),
        None => add("aws credentials", Status::Warn, "none found".into(), Some(creds_fix)),
    }
    let region = region.map(str::to_string).or_else(|| crate::aws::env_region(process));
    match region {
        Some(r) => add("aws region", Status::Ok, r, None),
        None => add(
            "aws region",
            Status::Warn,
            "not set".into(),
            Some("set `region:` in sls.yaml, pass --region, or export AWS_REGION"),
        ),
    }
    checks
}

/// Whether the project's editor schema matches this sls-rs: a stale one makes editors flag
/// keys `validate` accepts (or miss ones it refuses). `None` outside a project.
pub(crate) fn schema(config: Option<&std::path::Path>) -> Option<Check> {
    let (root, _) = crate::scaffold::editor::project_of(config?);
    let path = crate::config::schema::PROJECT_PATH;
    let fix = "run `sls-rs schema --write` (editors read it through the modeline on top of sls.yaml)";
    let (status, detail, fix) = match crate::scaffold::editor::stale(&root) {
        Some(false) => (Status::Ok, format!("{path} is current"), None),
        Some(true) => (Status::Warn, format!("{path} was written by another sls-rs version"), Some(fix)),
        None => (Status::Warn, "none: editors cannot complete or check sls.yaml".to_string(), Some(fix)),
    };
    Some(Check { name: "editor schema".into(), status, detail, fix: fix.map(str::to_string) })
}
