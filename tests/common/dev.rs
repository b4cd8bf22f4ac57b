//! `sls-rs dev` as a child process: its stderr lines (or its NDJSON events on stdout) read as
//! they come, and the HTTP calls tests make to it.
#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Dev {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    pub base: String,
    /// Every line read so far, in order.
    pub seen: Vec<String>,
    /// In JSON mode, stderr (cargo's messages, dev's own lines), shown when a wait fails.
    stderr: Option<mpsc::Receiver<String>>,
}

/// Long enough for a first build of a generated project on a 2-core CI machine.
pub const FIRST_BUILD: Duration = Duration::from_secs(900);

impl Dev {
    /// `cmd` is `sls-rs dev …` for people: lines on stderr.
    pub fn start(mut cmd: Command) -> Dev {
        let mut child = cmd.stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
        let lines = Dev::read(child.stderr.take().unwrap());
        let mut dev = Dev { child, lines, base: String::new(), seen: Vec::new(), stderr: None };
        let line = dev.wait_for("listening on http://", FIRST_BUILD);
        dev.base = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
        dev
    }

    /// `cmd` is `sls-rs dev … --output json`: its events, one JSON document a line, from stdout.
    pub fn start_json(mut cmd: Command) -> Dev {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let lines = Dev::read(child.stdout.take().unwrap());
        let stderr = Some(Dev::read(child.stderr.take().unwrap()));
        let mut dev = Dev { child, lines, base: String::new(), seen: Vec::new(), stderr };
        let event = dev.wait_event(|e| e["event"] == "listening", FIRST_BUILD);
        dev.base = event["url"].as_str().unwrap().to_string();
        dev
    }

    fn read(pipe: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        lines
    }

    /// The `sls-rs dev` process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next line containing `needle`.
    pub fn wait_for(&mut self, needle: &str, limit: Duration) -> String {
        self.next_matching(|line| line.contains(needle), limit)
            .unwrap_or_else(|| self.fail(&format!("dev never said {needle:?}")))
    }

    /// The next NDJSON event for which `pred` holds.
    pub fn wait_event(&mut self, pred: impl Fn(&serde_json::Value) -> bool, limit: Duration) -> serde_json::Value {
        let line = self.next_matching(|line| serde_json::from_str(line).is_ok_and(|e| pred(&e)), limit);
        let line = line.unwrap_or_else(|| self.fail("dev never sent the event waited for"));
        serde_json::from_str(&line).unwrap()
    }

    /// Every event read so far for which `pred` holds.
    pub fn events(&self, pred: impl Fn(&serde_json::Value) -> bool) -> Vec<serde_json::Value> {
        self.seen.iter().filter_map(|l| serde_json::from_str(l).ok()).filter(|e| pred(e)).collect()
    }

    /// Reads what has arrived within `limit` without waiting for anything in particular.
    pub fn drain(&mut self, limit: Duration) {
        let _ = self.next_matching(|_| false, limit);
    }

    fn next_matching(&mut self, pred: impl Fn(&str) -> bool, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return Some(line);
                    }
                }
                Err(_) => break,
            }
        }
        None
    }

    fn fail(&mut self, what: &str) -> ! {
        let _ = self.child.kill();
        // The last lines are enough to see why (a compile error, a panic) without a whole build log.
        let stderr: Vec<String> = self.stderr.as_ref().map(|r| r.try_iter().collect()).unwrap_or_default();
        let tail = stderr[stderr.len().saturating_sub(60)..].join("\n");
        panic!("{what}; it said:\n{}\n--- stderr (last lines)\n{tail}", self.seen.join("\n"));
    }
}

impl Drop for Dev {
    /// Ctrl-C, as a developer stops it (so it stops what it started), then a kill if need be.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        if super::wait::within(Duration::from_secs(10), || self.child.try_wait().ok().flatten()).is_some() {
            return;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

pub fn get(url: &str) -> (u16, String) {
    let mut resp = agent().get(url).call().unwrap();
    (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
}

pub fn post(url: &str, body: &str) -> (u16, String) {
    let mut resp = agent().post(url).send(body).unwrap();
    (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
}

pub fn put(url: &str, body: &str) -> (u16, String) {
    let mut resp = agent().put(url).send(body).unwrap();
    (resp.status().as_u16(), resp.body_mut().read_to_string().unwrap())
}
