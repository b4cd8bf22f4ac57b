//! Build stage: one `cargo lambda build` per architecture for every function of that
//! architecture — never one per function — with cargo's output kept for when it fails.

use crate::config::Arch;
use crate::host::process::Process;
use crate::host::tools;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How often a build that starts no new crate says it is still working.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// Where a quiet build is: so a log without a terminal (CI) never goes minutes without a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Compiling {
    pub arch: Arch,
    /// The crate cargo started compiling last.
    pub current: String,
    /// Crates started so far.
    pub crates: usize,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum CargoLambdaError {
    #[error("cargo-lambda is not installed")]
    NotInstalled,
    #[error("cannot run cargo-lambda: {0}")]
    Spawn(std::io::Error),
    #[error("cargo lambda build failed for {arch}")]
    Failed { arch: Arch, output: String },
}

pub(crate) struct Invocation<'a> {
    pub workspace_root: &'a Path,
    pub lambda_dir: &'a Path,
    pub arch: Arch,
    pub release: bool,
    pub packages: &'a [String],
    pub bins: &'a [String],
    /// Stream cargo's output to stderr as it comes (`-v`), instead of only on failure.
    pub echo: bool,
    /// Where the venv (and its zig) is, for cargo lambda's PATH.
    pub process: &'a Process,
}

pub(crate) fn locate(process: &Process) -> Result<PathBuf, CargoLambdaError> {
    tools::find(process, "cargo-lambda").ok_or(CargoLambdaError::NotInstalled)
}

impl Invocation<'_> {
    pub(crate) fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = vec!["lambda".into(), "build".into()];
        args.push(
            match self.arch {
                Arch::Arm64 => "--arm64",
                Arch::X86_64 => "--x86-64",
            }
            .into(),
        );
        if self.release {
            // cargo-lambda's own release tuning would override the user's [profile.release].
            args.extend(["--release".into(), "--disable-optimizations".into()]);
        }
        args.extend(["--lambda-dir".into(), self.lambda_dir.display().to_string()]);
        for p in self.packages {
            args.extend(["--package".into(), p.clone()]);
        }
        for b in self.bins {
            args.extend(["--bin".into(), b.clone()]);
        }
        args
    }

    /// Runs the build; on failure the error carries everything cargo printed. Unless cargo's
    /// output is echoed, `heartbeat` hears of every crate cargo starts, and every `HEARTBEAT`
    /// while one takes long (how often to show it is the caller's choice).
    pub(crate) fn run(
        &self,
        cargo_lambda: &Path,
        heartbeat: &mut dyn FnMut(&Compiling),
    ) -> Result<(), CargoLambdaError> {
        let mut child = Command::new(cargo_lambda)
            .args(self.args())
            .current_dir(self.workspace_root)
            .env("PATH", tools::path_with_venv(self.process))
            .env("CARGO_TERM_COLOR", if self.echo { "auto" } else { "never" })
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(CargoLambdaError::Spawn)?;
        // Both pipes are drained concurrently so a chatty build cannot block on a full pipe.
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let started = Instant::now();
        let mut state = Compiling { arch: self.arch, current: String::new(), crates: 0, elapsed: Duration::ZERO };
        let mut last_beat: Option<Instant> = None;
        let mut output = String::new();
        loop {
            let line = match lines.recv_timeout(HEARTBEAT) {
                Ok(line) => Some(line),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut started_one = false;
            if let Some(line) = &line {
                if self.echo {
                    eprintln!("{}", crate::ui::escape::line(line));
                }
                if let Some(name) = line.trim_start().strip_prefix("Compiling ") {
                    state.current = name.split_whitespace().next().unwrap_or_default().to_string();
                    state.crates += 1;
                    started_one = true;
                }
                output.push_str(line);
                output.push('\n');
            }
            let due = started_one || last_beat.is_none_or(|t| t.elapsed() >= HEARTBEAT);
            if !self.echo && state.crates > 0 && due {
                state.elapsed = started.elapsed();
                heartbeat(&state);
                last_beat = Some(Instant::now());
            }
        }
        output.push_str(&reader.join().unwrap_or_default());
        let status = child.wait().map_err(CargoLambdaError::Spawn)?;
        if status.success() {
            Ok(())
        } else {
            Err(CargoLambdaError::Failed { arch: self.arch, output })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_invocation_names_every_package() {
        let inv = Invocation {
            workspace_root: Path::new("/w"),
            lambda_dir: Path::new("/w/target/lambda/arm64"),
            arch: Arch::Arm64,
            release: true,
            packages: &["api".into(), "worker".into()],
            bins: &["api".into(), "worker".into()],
            echo: false,
            process: &Process::with("/".into(), Vec::<(String, String)>::new()),
        };
        let args = inv.args().join(" ");
        assert_eq!(
            args,
            "lambda build --arm64 --release --disable-optimizations --lambda-dir /w/target/lambda/arm64 \
             --package api --package worker --bin api --bin worker"
        );
    }

    #[test]
    fn a_debug_build_is_cargo_lambdas_default_profile_for_x86_64() {
        let inv = Invocation {
            workspace_root: Path::new("/w"),
            lambda_dir: Path::new("/w/target/lambda/x86_64"),
            arch: Arch::X86_64,
            release: false,
            packages: &["api".into()],
            bins: &["api".into()],
            echo: false,
            process: &Process::with("/".into(), Vec::<(String, String)>::new()),
        };
        assert_eq!(
            inv.args().join(" "),
            "lambda build --x86-64 --lambda-dir /w/target/lambda/x86_64 --package api --bin api"
        );
    }
}
