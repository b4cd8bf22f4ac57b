//! Command line — shell completion: the scripts `sls-rs completions <shell>` prints
//! call back into `sls-rs` on each <TAB> (clap_complete's dynamic engine), so values that
//! live in the project — function names for `-f`, stage names for `--stage` — complete from
//! the `sls.yaml` in the current directory. A completer never fails: a missing or broken
//! config offers nothing (or only what is always valid).

use crate::config::{self, project, yaml};
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::Shells;
use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;

pub(crate) const BIN: &str = "sls-rs";
/// The variable that turns a run of `sls-rs` into a completion request.
pub(crate) const VAR: &str = "COMPLETE";

/// Answers a completion request (when `COMPLETE` is set) and exits; otherwise returns at once,
/// having read one environment variable.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(<super::Cli as clap::CommandFactory>::command)
        .var(VAR)
        .bin(BIN)
        .completer(BIN)
        .complete();
}

/// The script that registers completion for `shell`: it runs `sls-rs` (found on PATH) with
/// `COMPLETE=<shell>` to ask for candidates.
pub(crate) fn registration(shell: clap_complete::Shell) -> std::io::Result<Vec<u8>> {
    // clap_complete's own lookup by name, which answers the completion requests too.
    let shells = Shells::builtins();
    let completer = shells
        .completer(&shell.to_string())
        .ok_or_else(|| std::io::Error::other(format!("no completion script for {shell}")))?;
    let mut script = Vec::new();
    completer.write_registration(VAR, BIN, BIN, BIN, &mut script)?;
    if shell == clap_complete::Shell::Zsh {
        // Installed in $fpath as `_sls-rs`, the file is the body of an autoloaded function:
        // run as such, it only defines the completer and registers it, so the first <TAB>
        // would offer nothing. Completing right away makes the first <TAB> work too.
        script.extend_from_slice(
            b"if [[ ${funcstack[1]-} == _sls-rs ]]; then\n    _clap_dynamic_completer_sls_rs \"$@\"\nfi\n",
        );
    }
    Ok(script)
}

/// `-f`: the functions of the `sls.yaml` here, or at a project root every service's, as
/// `service/function`.
pub(crate) fn functions(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some((node, file)) = read_here() else { return Vec::new() };
    let mut names = Vec::new();
    if project::is_project(&node) {
        let root = file.parent().unwrap_or(Path::new("."));
        let (project, _) = project::read(&node, &file, root, Arc::new(String::new()));
        for service in &project.services {
            let Some((node, _)) = read_in(&project.dir(service)) else { continue };
            names.extend(function_names(&node).map(|f| format!("{}/{f}", service.key)));
        }
    } else {
        names.extend(function_names(&node).map(str::to_string));
    }
    matching(names, current)
}

/// `--stage`: `dev` (the default) and the stages `sls.yaml` declares.
pub(crate) fn stages(current: &OsStr) -> Vec<CompletionCandidate> {
    let mut names = vec!["dev".to_string()];
    if let Some((node, _)) = read_here() {
        let declared = node.get("stages").and_then(yaml::Node::as_map).unwrap_or_default();
        for stage in declared.iter().filter_map(|(k, _)| k.as_scalar()) {
            if !names.iter().any(|n| n == stage) {
                names.push(stage.to_string());
            }
        }
    }
    matching(names, current)
}

fn function_names(node: &yaml::Node) -> impl Iterator<Item = &str> {
    node.get("functions").and_then(yaml::Node::as_map).unwrap_or_default().iter().filter_map(|(k, _)| k.as_scalar())
}

fn matching(names: Vec<String>, current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    names.into_iter().filter(|n| n.starts_with(current.as_ref())).map(CompletionCandidate::new).collect()
}

fn read_here() -> Option<(yaml::Node, std::path::PathBuf)> {
    read_in(&std::env::current_dir().ok()?)
}

/// The parsed config in `dir`, by the same size and encoding rules as loading it.
fn read_in(dir: &Path) -> Option<(yaml::Node, std::path::PathBuf)> {
    let file = config::FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())?;
    let text = config::read_text(&file, &file).ok()?;
    Some((yaml::parse(&text).ok()??, file))
}
