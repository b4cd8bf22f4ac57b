//! Shell completion as a user meets it: the committed scripts, loaded by real bash, zsh and
//! fish, completing commands, flags, value lists, and the functions and stages of the
//! `sls.yaml` where <TAB> is pressed (the scripts call back into `sls-rs`, found on PATH).

use crate::common;
use common::Test;
use std::path::{Path, PathBuf};
use std::process::Command;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "sls-rs.bash"),
    ("zsh", "_sls-rs"),
    ("fish", "sls-rs.fish"),
    ("powershell", "_sls-rs.ps1"),
    ("elvish", "sls-rs.elv"),
];

#[test]
fn committed_completions_are_current() {
    for (shell, file) in SHELLS {
        let run = Test::new().args(["completions", shell]).run();
        run.status(0);
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions").join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == run.stdout,
            "completions/{file} is stale: run `./scripts/completions.sh` (or `sls-rs completions {shell} > completions/{file}`) and commit"
        );
    }
}

fn completions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("completions")
}

/// A shell in `dir` that finds this build's `sls-rs` on PATH and keeps its files in `home`.
fn shell(program: &str, dir: &Path, home: &Path) -> Command {
    let installed = Command::new("sh").arg("-c").arg(format!("command -v {program}")).output().unwrap();
    assert!(installed.status.success(), "{program} is not installed: .ci/run installs it (apt-get install zsh fish)");
    let bin = Path::new(env!("CARGO_BIN_EXE_sls-rs")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    // `timeout`: a shell waiting for input it never gets fails the test instead of hanging it.
    let mut cmd = Command::new("timeout");
    cmd.args(["60", program]).current_dir(dir).env("PATH", path).env("HOME", home).env("TERM", "xterm");
    for var in ["COMPLETE", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "SLS_STAGE"] {
        cmd.env_remove(var);
    }
    cmd
}

fn lines(out: std::process::Output, program: &str) -> Vec<String> {
    assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // fish puts a description after a tab; only the value is offered.
    text.lines().map(|l| l.split('\t').next().unwrap().trim_end().to_string()).filter(|l| !l.is_empty()).collect()
}

/// What bash offers for `line` with the cursor at its end, as bash-completion calls it.
fn bash(dir: &Path, home: &Path, line: &str) -> Vec<String> {
    let script = completions_dir().join("sls-rs.bash");
    let driver = format!(
        r#"source '{script}'
read -r -a COMP_WORDS <<< "$LINE"; [[ $LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMP_LINE=$LINE; COMP_POINT=${{#LINE}}; COMP_TYPE=9
_clap_complete_sls_rs sls-rs "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script = script.display()
    );
    let out =
        shell("bash", dir, home).args(["--norc", "--noprofile", "-c", &driver]).env("LINE", line).output().unwrap();
    lines(out, "bash")
}

/// What fish offers for `line`, from the script fish would load from its completions dir.
fn fish(dir: &Path, home: &Path, line: &str) -> Vec<String> {
    let script = completions_dir().join("sls-rs.fish");
    let driver = format!("source '{}'; complete --do-complete=\"$LINE\"", script.display());
    let out = shell("fish", dir, home).args(["--no-config", "-c", &driver]).env("LINE", line).output().unwrap();
    lines(out, "fish")
}

/// What zsh offers for `line` + <TAB> in an interactive shell whose `compinit` found `_sls-rs`
/// in `$fpath`, as install.sh places it. The shell runs on a pseudo-terminal (zsh's zpty),
/// and `compadd`, through which every completer offers its matches, also writes them down
/// (calls that only compute matches into an array, -O/-A/-D, are passed through). Keys are
/// typed only once the prompt after the setup shows: zle drops what was typed before it took
/// the terminal.
const ZSH_SETUP: &str = r#"PS1='@@ '
fpath=($FPATH_DIR $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
        builtin compadd "$@"
        return
    fi
    local -a hits
    builtin compadd -O hits "$@"
    print -rl -- $hits >> $HITS
}
"#;

const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "source ${(q)SETUP}; print __RE\"\"ADY__"
zpty -r z out '*__READY__*@@ *' || exit 4
zpty -w -n z "$LINE"$'\t'
zpty -w z $'\C-uprint __DO""NE__'
zpty -r z out '*__DONE__*' || exit 5
"#;

fn zsh(dir: &Path, home: &Path, line: &str) -> Vec<String> {
    let (hits, setup) = (home.join("zsh-hits"), home.join("zsh-setup"));
    let _ = std::fs::remove_file(&hits);
    std::fs::write(&setup, ZSH_SETUP).unwrap();
    let out = shell("zsh", dir, home)
        .args(["-f", "-c", ZSH_DRIVER])
        .env("LINE", line)
        .env("HITS", &hits)
        .env("SETUP", &setup)
        .env("FPATH_DIR", completions_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "zsh driver failed ({:?}): {}", out.status, String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(&hits).unwrap_or_default().lines().map(str::to_string).collect()
}

type Shell = fn(&Path, &Path, &str) -> Vec<String>;
const REAL_SHELLS: &[(&str, Shell)] = &[("bash", bash), ("zsh", zsh), ("fish", fish)];

fn assert_offers(dir: &Path, line: &str, expected: &[&str], not: &[&str]) {
    let home = tempfile::tempdir().unwrap();
    for (name, complete) in REAL_SHELLS {
        let got = complete(dir, home.path(), line);
        for e in expected {
            assert!(got.iter().any(|g| g == e), "{name}: after `{line}` offers {got:?}, not {e}");
        }
        for n in not {
            assert!(!got.iter().any(|g| g == n), "{name}: after `{line}` offers {n} too: {got:?}");
        }
    }
}

const CONFIG: &str = "service: shop
functions:
  api:
    events:
      - http: GET /
  signup-worker: {}
  nightly: {}
stages:
  prod: { removal: retain }
  qa: {}
";

#[test]
fn every_shell_completes_commands_flags_and_value_lists() {
    let t = Test::new();
    let dir = t.path();
    assert_offers(dir, "sls-rs de", &["deploy", "dev"], &["logs"]);
    assert_offers(dir, "sls-rs deploy --", &["--yes", "--no-wait", "--function", "--stage"], &["--template"]);
    assert_offers(dir, "sls-rs new x --template ", &["http-api", "event-driven", "microservices"], &[]);
    assert_offers(dir, "sls-rs invoke --event ", &["http", "sqs", "s3", "schedule"], &[]);
    assert_offers(dir, "sls-rs validate --output ", &["human", "json"], &[]);
    assert_offers(dir, "sls-rs completions ", &["bash", "zsh", "fish"], &[]);
}

#[test]
fn every_shell_completes_functions_and_stages_from_the_sls_yaml_here() {
    let t = Test::new().file("sls.yaml", CONFIG);
    let dir = t.path();
    assert_offers(dir, "sls-rs logs -f ", &["api", "signup-worker", "nightly"], &[]);
    assert_offers(dir, "sls-rs invoke --function s", &["signup-worker"], &["api", "nightly"]);
    assert_offers(dir, "sls-rs deploy --stage ", &["dev", "prod", "qa"], &[]);
    // Elsewhere there is nothing to offer, and nothing breaks.
    let empty = Test::new();
    assert_offers(empty.path(), "sls-rs logs -f ", &[], &["api"]);
}

#[test]
fn at_a_project_root_functions_complete_as_service_slash_function() {
    let t = Test::new()
        .file("sls.yaml", "services:\n  users: { path: services/users }\n  orders: { path: services/orders }\n")
        .file("services/users/sls.yaml", "service: users\nfunctions:\n  users-api: {}\n")
        .file("services/orders/sls.yaml", "service: orders\nfunctions:\n  orders-api: {}\n  signup-worker: {}\n");
    assert_offers(
        t.path(),
        "sls-rs logs -f ",
        &["users/users-api", "orders/orders-api", "orders/signup-worker"],
        &["users-api"],
    );
}
