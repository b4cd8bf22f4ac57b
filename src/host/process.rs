//! This machine — the process sls-rs runs as: its working directory, its environment and which
//! of its standard streams are terminals, read once in `main` (`Process::from_os`) and passed
//! down, so the core reads no ambient state and a test can hand it any (as rustup's `Process`).
//! Children sls-rs starts (cargo, handlers, moto) get their environment from here too.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Process {
    /// Where sls-rs was started: configs are found from here, paths shown relative to it.
    pub cwd: PathBuf,
    vars: BTreeMap<OsString, OsString>,
    pub stdin_tty: bool,
    pub stdout_tty: bool,
    pub stderr_tty: bool,
}

impl Process {
    pub fn from_os() -> Process {
        Process {
            // A working directory that is gone reads as `.`: commands then find no config.
            cwd: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            vars: std::env::vars_os().collect(),
            stdin_tty: std::io::stdin().is_terminal(),
            stdout_tty: std::io::stdout().is_terminal(),
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    /// `cwd` and exactly `vars`, no terminal: for tests.
    #[cfg(test)]
    pub(crate) fn with<K: Into<OsString>, V: Into<OsString>>(
        cwd: PathBuf,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Process {
        let vars = vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Process { cwd, vars, stdin_tty: false, stdout_tty: false, stderr_tty: false }
    }

    /// A variable's value as text; unset, empty or not UTF-8 reads as `None`, as the tools
    /// sls-rs follows (the AWS SDK, cargo) read them.
    pub(crate) fn var(&self, key: &str) -> Option<&str> {
        self.vars.get(OsStr::new(key)).and_then(|v| v.to_str()).filter(|v| !v.is_empty())
    }

    /// A variable's value as it is, empty included.
    pub(crate) fn var_os(&self, key: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(key)).map(OsString::as_os_str)
    }

    /// Every variable, for a child that inherits them.
    pub(crate) fn vars(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.vars.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }

    /// Whether a person can be asked: stdin is a terminal and `CI` is not set.
    pub(crate) fn interactive(&self) -> bool {
        self.stdin_tty && self.var("CI").is_none_or(|v| v == "false")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_read_as_the_tools_read_them() {
        let p = Process::with("/x".into(), [("A", "1"), ("EMPTY", ""), ("CI", "false")]);
        assert_eq!((p.var("A"), p.var("EMPTY"), p.var("B")), (Some("1"), None, None));
        assert_eq!(p.var_os("EMPTY"), Some(OsStr::new("")));
        assert_eq!(p.vars().count(), 3);
        assert!(!p.interactive(), "no terminal");
    }
}
