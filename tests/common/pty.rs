//! A command on a pseudo-terminal (prompts and the live view need one): its output as it
//! arrives, and a keyboard.
#![allow(dead_code)] // each test binary uses a different part

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// What the terminal shows, chunk by chunk, read by a thread of its own.
    pub output: mpsc::Receiver<String>,
    keys: Box<dyn Write + Send>,
    /// Kept open for as long as the terminal is used, and asked for its mode.
    master: Box<dyn portable_pty::MasterPty + Send>,
}

/// Starts `cmd` on a 50×160 terminal.
pub fn spawn(cmd: CommandBuilder) -> Pty {
    let pty = native_pty_system()
        .openpty(PtySize { rows: 50, cols: 160, pixel_width: 0, pixel_height: 0 })
        .expect("a pseudo-terminal");
    let child = pty.slave.spawn_command(cmd).expect("the command starts on the terminal");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let keys = pty.master.take_writer().unwrap();
    let (tx, output) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(String::from_utf8_lossy(&buf[..n]).into_owned()).is_err() {
                break;
            }
        }
    });
    Pty { child, output, keys, master: pty.master }
}

impl Pty {
    /// Types `key` once a prompt reads keys. A prompt switches the terminal out of line mode
    /// (ICANON) only after it is drawn and while it waits for a key; typed before that, a key
    /// is echoed into the drawing and a Ctrl-C is a signal, not a key.
    #[track_caller]
    pub fn press(&mut self, key: &[u8]) {
        super::wait::eventually("a prompt reading keys", Duration::from_secs(60), || self.reads_keys().then_some(()));
        self.send(key);
    }

    /// Types `bytes` whatever the terminal's mode: a Ctrl-C to a program that is not asking
    /// anything reaches it as SIGINT, as from a person at the keyboard.
    pub fn send(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).unwrap();
        self.keys.flush().unwrap();
    }

    /// The terminal passes keys on one at a time (a prompt is reading) rather than lines.
    fn reads_keys(&self) -> bool {
        self.master.get_termios().is_some_and(|t| t.local_flags.bits() & libc::ICANON == 0)
    }
}

/// How many yes/no questions (dialoguer's `[y/N]`, `[Y/n]`) `screen` shows.
pub fn questions(screen: &str) -> usize {
    screen.matches("[y/N]").count() + screen.matches("[Y/n]").count()
}

/// One sls-rs process on a pseudo-terminal: what it has printed so far, and a keyboard.
pub struct Session {
    pty: Pty,
    pub screen: String,
}

impl Session {
    /// `sls-rs args` in `dir`, without colour or the caller's settings (`AMBIENT`, `CI`).
    pub fn start(dir: &std::path::Path, env: Vec<(&'static str, String)>, args: &[&str]) -> Session {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sls-rs"));
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("CARGO_TARGET_DIR", super::shared_target());
        for k in super::AMBIENT {
            cmd.env_remove(k);
        }
        cmd.env_remove("CI");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Session { pty: spawn(cmd), screen: String::new() }
    }

    /// Waits until the terminal shows `text`; fails with what it shows instead.
    pub fn expect(&mut self, text: &str) {
        self.expect_within(text, Duration::from_secs(60));
    }

    pub fn expect_within(&mut self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while !self.screen.contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.pty.output.recv_timeout(left) {
                Ok(chunk) => self.screen.push_str(&chunk),
                Err(_) => panic!("the terminal never showed {text:?}; it shows:\n{}", self.screen),
            }
        }
    }

    /// Answers the prompt on screen with `key` (see `Pty::press`).
    #[track_caller]
    pub fn press(&mut self, key: &str) {
        self.pty.press(key.as_bytes());
    }

    /// Ctrl-C typed at a program that is running, not asking: SIGINT through the terminal.
    pub fn interrupt(&mut self) {
        self.pty.send(b"\x03");
    }

    /// Exit code once the process ends (within a minute), with everything it printed.
    pub fn finish(self) -> (u32, String) {
        self.finish_within(Duration::from_secs(60))
    }

    pub fn finish_within(mut self, limit: Duration) -> (u32, String) {
        let Some(status) = super::wait::within(limit, || self.pty.child.try_wait().unwrap()) else {
            let _ = self.pty.child.kill();
            while let Ok(chunk) = self.pty.output.try_recv() {
                self.screen.push_str(&chunk);
            }
            panic!("sls-rs did not exit; the terminal shows:\n{}", self.screen);
        };
        while let Ok(chunk) = self.pty.output.recv_timeout(Duration::from_millis(500)) {
            self.screen.push_str(&chunk);
        }
        (status.exit_code(), self.screen)
    }
}

/// `sls-rs args` in `dir` on a terminal until it exits (within ten minutes: it may compile).
pub fn run(dir: &std::path::Path, env: Vec<(&'static str, String)>, args: &[&str]) -> (u32, String) {
    Session::start(dir, env, args).finish_within(Duration::from_secs(600))
}

/// What a hostile text tries on a terminal: retitle it (OSC), clear it and move home, ring it,
/// hide text, or use the one-byte CSI. None of it may reach the terminal raw.
pub const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H\u{1b}[8mhidden\u{1b}[0m\u{9b}31m";

/// `screen` holds no raw sequence of `HOSTILE`, and shows each escaped.
#[track_caller]
pub fn shows_escaped(screen: &str) {
    for raw in ["\u{1b}]", "\u{7}", "\u{1b}[2J", "\u{1b}[H", "\u{1b}[8m", "\u{9b}"] {
        assert!(!screen.contains(raw), "{raw:?} reached the terminal:\n{screen:?}");
    }
    for shown in ["\\x1b]0;pwned\\x07", "\\x1b[2J", "\\x1b[8mhidden", "\\u{9b}31m"] {
        assert!(screen.contains(shown), "{shown} is not shown:\n{screen}");
    }
}
