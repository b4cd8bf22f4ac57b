//! This machine: Ctrl-C as an event the core can wait for.
//!
//! `tokio::signal::ctrl_c()` starts listening only when it is first polled. Raced in a
//! `select!` against work that sends a request on its first poll, it leaves a moment in which
//! a Ctrl-C takes the default action and kills sls-rs without a word about what was left
//! half-done. An `Interrupt` listens from the moment it is made, so it is made before the work
//! it guards starts.

use tokio::signal::unix::{signal, Signal, SignalKind};

/// SIGINT (Ctrl-C at the terminal, or `kill -INT`), caught from creation on.
pub(crate) struct Interrupt(Signal);

impl Interrupt {
    /// Listens from now on; call within a tokio runtime, before starting the work it guards.
    /// Once made, SIGINT never again ends the process by itself (tokio keeps its handler).
    pub(crate) fn listen() -> std::io::Result<Interrupt> {
        signal(SignalKind::interrupt()).map(Interrupt)
    }

    /// The next Ctrl-C.
    pub(crate) async fn recv(&mut self) {
        self.0.recv().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sigint_sent_right_after_listening_is_received_not_fatal() {
        let mut interrupt = Interrupt::listen().unwrap();
        // Sent to this test process as `kill -INT` sends it; the handler is process-wide.
        let me = std::process::id().to_string();
        assert!(std::process::Command::new("kill").args(["-INT", &me]).status().unwrap().success());
        tokio::time::timeout(std::time::Duration::from_secs(10), interrupt.recv()).await.expect("the Ctrl-C arrives");
    }
}
