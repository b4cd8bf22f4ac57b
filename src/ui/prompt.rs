//! Reporting: questions on the terminal (yes/no, pick one), with Ctrl-C as an answer.
//!
//! dialoguer answers Ctrl-C by raising SIGINT, which by default kills the process in the
//! middle of the prompt with the cursor still hidden. With a handler installed the prompt
//! returns instead, the cursor comes back, and the command exits 130 having cleaned up.

use crate::error::Error;
use std::io::Write;

/// Asks yes or no on stderr's terminal.
pub(crate) fn confirm(prompt: &str, default: bool) -> Result<bool, Error> {
    trap_ctrl_c();
    answer(dialoguer::Confirm::new().with_prompt(prompt).default(default).interact())
}

/// One of `items`, by index.
pub(crate) fn select(prompt: &str, items: &[String], default: usize) -> Result<usize, Error> {
    trap_ctrl_c();
    answer(dialoguer::Select::new().with_prompt(prompt).items(items).default(default).interact())
}

fn answer<T>(result: dialoguer::Result<T>) -> Result<T, Error> {
    match result {
        Ok(v) => Ok(v),
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            // dialoguer hid the cursor and returned before showing it again.
            let mut err = std::io::stderr();
            let _ = write!(err, "\x1b[?25h");
            let _ = writeln!(err);
            Err(Error::Interrupted)
        }
        Err(other) => Err(Error::failed(
            format!("prompt failed: {other}"),
            Some("pass --yes (and the options the question was about) to skip it".into()),
        )),
    }
}

/// Installs a SIGINT handler for the rest of the process (tokio never removes one), so the
/// SIGINT a prompt raises is caught rather than fatal. Only done when a prompt is shown.
fn trap_ctrl_c() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    #[cfg(unix)]
    ONCE.call_once(|| {
        let register = || drop(tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()));
        // A prompt inside an async command runs within its runtime; another would panic.
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let _in = handle.enter();
                register();
            }
            Err(_) => {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_io().build() {
                    let _in = rt.enter();
                    register();
                }
            }
        }
    });
}
