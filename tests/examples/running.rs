//! Running one help example: to its end (on a terminal when it asks first), or until it is
//! up (`dev`, `logs --tail`) with other examples run against it meanwhile, then Ctrl-C.

use super::{dev, pty, Example, Sandbox};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Runs a long-running example until it is up, runs `meanwhile` against it, then stops it
/// with Ctrl-C: it must exit 0.
pub fn run_until_up(sb: &Sandbox, dir: &Path, ex: &Example, meanwhile: &[Example]) -> Result<(), String> {
    let _port = (ex.subcommand() == "dev").then(super::port_3000);
    let mut cmd = sb.bash(dir, ex);
    // A group of its own, which Ctrl-C reaches as a terminal's does: every process in it.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let group = child.id() as i32;
    let (ready, limit) = if ex.subcommand() == "dev" {
        ("listening on http://", dev::FIRST_BUILD)
    } else {
        ("", Duration::from_secs(5))
    };
    let mut watched = Watched::new(child);
    let up = watched.wait_for(ready, limit);
    let mut failures = Vec::new();
    if up {
        for m in meanwhile {
            if let Err(e) = run_to_end(sb, dir, m) {
                failures.push(e);
            }
        }
    }
    unsafe { libc::kill(-group, libc::SIGINT) };
    let (status, out) = watched.finish(Duration::from_secs(30));
    if !up && !ready.is_empty() {
        return Err(format!("`{}` ({}) never said {ready:?}:\n{out}", ex.line, ex.from));
    }
    if status != Some(0) {
        return Err(format!("`{}` ({}) exited {status:?} on Ctrl-C:\n{out}", ex.line, ex.from));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

pub fn run_to_end(sb: &Sandbox, dir: &Path, ex: &Example) -> Result<(), String> {
    if ex.asks() {
        return on_a_terminal(sb, dir, ex);
    }
    let out = sb.bash(dir, ex).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked"), "`{}` panicked:\n{text}", ex.line);
    // curl exits 0 on any HTTP answer: dev's refusals (`{"message": …}`), a function's error
    // (`errorMessage`) and an unreadable state (`"error"`) are failures too.
    let body = String::from_utf8_lossy(&out.stdout);
    let refused = ex.line.starts_with("curl ")
        && ["{\"message\"", "\"errorMessage\"", "\"error\""].iter().any(|e| body.contains(e));
    match out.status.code() {
        Some(0) if !refused => Ok(()),
        code => Err(format!("`{}` ({}) in {} failed (exit {code:?}):\n{text}", ex.line, ex.from, dir.display())),
    }
}

/// On a pseudo-terminal, answering `y` to each question as it appears.
fn on_a_terminal(sb: &Sandbox, dir: &Path, ex: &Example) -> Result<(), String> {
    let mut cmd = portable_pty::CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-c", &ex.line]);
    cmd.cwd(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("CI");
    for (k, v) in sb.env(dir, ex.needs_aws()) {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        }
    }
    let mut pty = pty::spawn(cmd);
    let (mut screen, mut answered) = (String::new(), 0);
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        while let Ok(chunk) = pty.output.recv_timeout(Duration::from_millis(100)) {
            screen.push_str(&chunk);
        }
        if pty::questions(&screen) > answered {
            pty.press(b"y");
            answered += 1;
        }
        if let Some(status) = pty.child.try_wait().unwrap() {
            break Some(status.exit_code());
        }
        if Instant::now() > deadline {
            let _ = pty.child.kill();
            break None;
        }
    };
    while let Ok(chunk) = pty.output.recv_timeout(Duration::from_millis(300)) {
        screen.push_str(&chunk);
    }
    match status {
        Some(0) if answered > 0 => Ok(()),
        Some(0) => Err(format!("`{}` ({}) says it asks first, and asked nothing:\n{screen}", ex.line, ex.from)),
        code => Err(format!("`{}` ({}) on a terminal exited {code:?}:\n{screen}", ex.line, ex.from)),
    }
}

/// A child whose output is collected by threads, so it can be waited on with a deadline.
struct Watched {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watched {
    fn new(mut child: std::process::Child) -> Watched {
        let (tx, lines) = std::sync::mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                use std::io::BufRead;
                for line in std::io::BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Watched { child, lines, seen: Vec::new() }
    }

    /// Whether a line containing `needle` came within `limit` (an empty needle: whether the
    /// child was still running after `limit`).
    fn wait_for(&mut self, needle: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = !needle.is_empty() && line.contains(needle);
                    self.seen.push(line);
                    if hit {
                        return true;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    return needle.is_empty() && self.child.try_wait().unwrap().is_none();
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return false,
            }
        }
    }

    fn finish(mut self, limit: Duration) -> (Option<i32>, String) {
        let status = crate::common::wait::within(limit, || self.child.try_wait().unwrap());
        if status.is_none() {
            let _ = self.child.kill();
        }
        let status = status.and_then(|s| s.code());
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push(line);
        }
        (status, self.seen.join("\n"))
    }
}
