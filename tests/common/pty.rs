//! A command on a pseudo-terminal (prompts and the live view need one): its output as it
//! arrives, and a keyboard.
#![allow(dead_code)] // each test binary uses a different part

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// What the terminal shows, chunk by chunk, read by a thread of its own.
    pub output: mpsc::Receiver<String>,
    pub keys: Box<dyn Write + Send>,
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
        // The master stays open while the output is read.
        let _master = pty.master;
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(String::from_utf8_lossy(&buf[..n]).into_owned()).is_err() {
                break;
            }
        }
    });
    Pty { child, output, keys }
}

/// Types `key` once a prompt reads keys: the terminal switches to raw mode only after the
/// prompt is drawn, and a Ctrl-C before that is a signal, not a key.
pub fn press(keys: &mut dyn Write, key: &[u8]) {
    std::thread::sleep(Duration::from_millis(300));
    keys.write_all(key).unwrap();
    keys.flush().unwrap();
}

/// How many yes/no questions (dialoguer's `[y/N]`, `[Y/n]`) `screen` shows.
pub fn questions(screen: &str) -> usize {
    screen.matches("[y/N]").count() + screen.matches("[Y/n]").count()
}
