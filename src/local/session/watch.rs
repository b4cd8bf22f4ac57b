//! Local runtime: rebuild-on-save for `dev` — the workspace's sources watched, one rebuild per
//! burst of saves, failures reported while the previous handlers keep serving.

use crate::local::session::report::{DevEvent, Reporter};
use std::path::PathBuf;
use std::time::Duration;

/// Watches the sources below `roots` and calls `rebuild` once per burst of changes.
pub(crate) fn watch<F>(roots: Vec<PathBuf>, rebuild: F, report: Reporter)
where
    F: Fn() -> Result<(), crate::local::runtime::compile::CompileError> + Send + 'static,
{
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => return report(DevEvent::WatchUnavailable { reason: e.to_string() }),
    };
    for root in &roots {
        if let Err(e) = watcher.watch(root, RecursiveMode::Recursive) {
            return report(DevEvent::WatchUnavailable { reason: format!("{}: {e}", root.display()) });
        }
    }
    std::thread::spawn(move || {
        let _watcher = watcher;
        let relevant = |e: &notify::Event| {
            !matches!(e.kind, notify::EventKind::Access(_))
                && e.paths.iter().any(|p| {
                    let ignored =
                        p.components().any(|c| matches!(c.as_os_str().to_str(), Some("target" | ".sls" | ".git")));
                    let source = p.extension().is_some_and(|x| x == "rs" || x == "toml") || p.ends_with("Cargo.lock");
                    !ignored && source
                })
        };
        while let Ok(event) = rx.recv() {
            if !event.as_ref().is_ok_and(relevant) {
                continue;
            }
            // Editors save in several steps; wait for the burst to end.
            while rx.recv_timeout(Duration::from_millis(250)).is_ok() {}
            report(DevEvent::Rebuilding);
            if let Err(e) = rebuild() {
                let failed = match e {
                    crate::local::runtime::compile::CompileError::Failed { output } => {
                        DevEvent::RebuildFailed { reason: "build failed".into(), output: Some(output) }
                    }
                    other => DevEvent::RebuildFailed { reason: other.to_string(), output: None },
                };
                report(failed);
            }
        }
    });
}
