//! README's "60-second tour" runs as a user runs it: typed line by line into one bash on a
//! terminal, starting in an empty directory, with every question answered as the user would
//! (the architecture by Enter, the rest `y`) and Ctrl-C pressed where a line says it stops
//! it. moto stands in for AWS. The lines are read from README.md, so the tour cannot change
//! without running here.

use super::{pty, Sandbox};
use std::path::Path;
use std::time::{Duration, Instant};

/// What the tour's shell prints before each command line: the last command's exit status.
const PROMPT: &str = "@@rc=";

/// The lines of the first `sh` block under "A 60-second tour".
fn tour_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split_once("## A 60-second tour").expect("README has the tour").1;
    let block = section.split_once("```sh\n").unwrap().1.split_once("```").unwrap().0;
    block.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

/// An interactive bash on a terminal, and everything it has shown.
struct Shell {
    pty: pty::Pty,
    screen: String,
}

impl Shell {
    fn key(&mut self, bytes: &[u8]) {
        self.pty.send(bytes);
    }

    fn pump(&mut self, wait: Duration) {
        while let Ok(chunk) = self.pty.output.recv_timeout(wait) {
            self.screen.push_str(&chunk);
        }
    }

    /// The exit status in the first prompt shown after byte `from` of the screen.
    fn status_after(&self, from: usize) -> Option<i32> {
        let rest = &self.screen[from..];
        let at = rest.find(PROMPT)? + PROMPT.len();
        let digits: String = rest[at..].chars().take_while(char::is_ascii_digit).collect();
        rest[at + digits.len()..].starts_with("@@").then(|| digits.parse().unwrap())
    }
}

/// When a long-running line has shown it works and gets its Ctrl-C.
fn ready(line: &str, out: &str, running_for: Duration) -> bool {
    if line.starts_with("sls-rs dev") {
        out.contains("listening on http://")
    } else {
        running_for > Duration::from_secs(5)
    }
}

struct Ran {
    line: String,
    status: Option<i32>,
    out: String,
    took: Duration,
}

/// Types `line`, answers its questions, presses Ctrl-C when it says that stops it, and waits
/// for the next prompt.
fn run_line(shell: &mut Shell, line: &str) -> Ran {
    let _port = line.starts_with("sls-rs dev").then(super::port_3000);
    let (from, started) = (shell.screen.len(), Instant::now());
    // Ctrl-U first: a key typed into a question that had already been answered must not
    // become the start of this command line.
    shell.key(format!("\x15{line}\r").as_bytes());
    let stops_on_ctrl_c = line.contains("Ctrl-C stops it");
    let (mut answered, mut picked, mut interrupted) = (0, false, false);
    let limit = Duration::from_secs(30 * 60);
    let status = loop {
        shell.pump(Duration::from_millis(100));
        if let Some(status) = shell.status_after(from) {
            break Some(status);
        }
        let out = shell.screen[from..].to_string();
        if out.contains("Architecture") && !picked {
            shell.pty.press(b"\r");
            picked = true;
        }
        let questions = pty::questions(&out);
        if questions > answered {
            shell.pty.press(b"y");
            answered = questions;
        }
        if stops_on_ctrl_c && !interrupted && ready(line, &out, started.elapsed()) {
            shell.key(b"\x03");
            interrupted = true;
        }
        if started.elapsed() > limit {
            break None;
        }
    };
    let out = shell.screen[from..].to_string();
    Ran { line: line.to_string(), status, out, took: started.elapsed() }
}

#[test]
fn the_readme_tour_runs_as_written_on_a_terminal() {
    let lines = tour_lines();
    assert!(lines.len() >= 8, "the tour lost its lines: {lines:?}");
    let mut sb = Sandbox::new();
    let start = sb.dir(super::Place::Empty);

    let mut cmd = portable_pty::CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.cwd(&start);
    for (k, v) in sb.env(&start, true) {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        }
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("CI");
    cmd.env("PS1", format!("{PROMPT}$?@@ "));
    let mut shell = Shell { pty: pty::spawn(cmd), screen: String::new() };
    let deadline = Instant::now() + Duration::from_secs(30);
    while shell.status_after(0).is_none() {
        assert!(Instant::now() < deadline, "bash showed no prompt:\n{}", shell.screen);
        shell.pump(Duration::from_millis(100));
    }

    let mut ran = Vec::new();
    for line in &lines {
        let r = run_line(&mut shell, line);
        let failed = r.status != Some(0);
        ran.push(r);
        if failed {
            break;
        }
    }
    shell.key(b"exit\r");
    let timings: String = ran.iter().map(|r| format!("{:>7.1}s  {}\n", r.took.as_secs_f64(), r.line)).collect();
    std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join("tour-timings.txt"), timings).unwrap();

    for r in &ran {
        assert_eq!(r.status, Some(0), "`{}` did not exit 0 on the terminal:\n{}", r.line, r.out);
    }
    assert_eq!(ran.len(), lines.len(), "every line ran");
    let out_of = |prefix: &str| {
        &ran.iter().find(|r| r.line.starts_with(prefix)).unwrap_or_else(|| panic!("the tour has `{prefix}`")).out
    };
    // On a terminal `new` asks for what `--template` did not say.
    assert!(out_of("sls-rs new").contains("Architecture"), "{}", out_of("sls-rs new"));
    // The handler ran here and stored the sample sign-up in the table the deploy created.
    let invoked: String = out_of("sls-rs invoke --local").split_whitespace().collect();
    assert!(invoked.contains(r#""batchItemFailures":[]"#), "{}", out_of("sls-rs invoke --local"));
    // So `remove` had data to ask about, and was told yes.
    let removed = out_of("sls-rs remove");
    assert!(removed.contains("removing would destroy this data:"), "{removed}");
    assert!(removed.contains("table shop-dev-users"), "{removed}");
    // And it is gone on AWS.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let cfn = aws_sdk_cloudformation::Client::new(&rt.block_on(sb.moto.sdk_config()));
    let status = match rt.block_on(cfn.describe_stacks().stack_name("shop-dev").send()) {
        Err(_) => None,
        Ok(o) => o.stacks().first().and_then(|s| s.stack_status()).map(|s| s.as_str().to_string()),
    };
    assert!(
        matches!(status.as_deref(), None | Some("DELETE_COMPLETE")),
        "shop-dev after the tour's remove: {status:?}"
    );
}
