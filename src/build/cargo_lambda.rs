//! Build stage: one `cargo lambda build` per architecture for every function of that
//! architecture — never one per function — with cargo's output kept for when it fails.

use crate::config::Arch;
use crate::tools;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum CargoLambdaError {
    #[error("cargo-lambda is not installed")]
    NotInstalled,
    #[error("cannot run cargo-lambda: {0}")]
    Spawn(std::io::Error),
    #[error("cargo lambda build failed for {arch}")]
    Failed { arch: Arch, output: String },
}

pub struct Invocation<'a> {
    pub workspace_root: &'a Path,
    pub lambda_dir: &'a Path,
    pub arch: Arch,
    pub release: bool,
    pub packages: &'a [String],
    pub bins: &'a [String],
    /// Stream cargo's output to stderr as it comes (`-v`), instead of only on failure.
    pub echo: bool,
}

pub fn locate() -> Result<PathBuf, CargoLambdaError> {
    tools::find("cargo-lambda").ok_or(CargoLambdaError::NotInstalled)
}

impl Invocation<'_> {
    pub fn args(&self) -> Vec<String> {
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

    /// Runs the build; on failure the error carries everything cargo printed.
    pub fn run(&self, cargo_lambda: &Path) -> Result<(), CargoLambdaError> {
        let mut child = Command::new(cargo_lambda)
            .args(self.args())
            .current_dir(self.workspace_root)
            .env("PATH", tools::path_with_venv())
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
        let mut output = String::new();
        for line in BufReader::new(child.stderr.take().expect("piped")).lines().map_while(Result::ok) {
            if self.echo {
                eprintln!("{line}");
            }
            output.push_str(&line);
            output.push('\n');
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
        };
        let args = inv.args().join(" ");
        assert_eq!(
            args,
            "lambda build --arm64 --release --disable-optimizations --lambda-dir /w/target/lambda/arm64 \
             --package api --package worker --bin api --bin worker"
        );
    }
}
