//! Waiting in tests: every wait is for a condition with a deadline, never a fixed sleep, and a
//! wait that runs out says what it waited for.
#![allow(dead_code)] // each test module uses a different part

use std::time::{Duration, Instant};

/// How often a condition is checked: short next to what tests wait for (a server starting, a
/// message arriving), long enough not to busy the two cores CI has.
const POLL: Duration = Duration::from_millis(50);

/// Polls `check` until it returns something, or fails after `limit` saying `what`.
#[track_caller]
pub fn eventually<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    within(limit, &mut check).unwrap_or_else(|| panic!("timed out after {limit:?} waiting for {what}"))
}

/// Polls `check` until it returns something; `None` once `limit` has passed, for a caller that
/// has more to say (or to clean up) before failing.
pub fn within<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = check() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// Waits until something accepts connections on `port` of the loopback address.
#[track_caller]
pub fn listening(what: &str, port: u16, limit: Duration) {
    eventually(what, limit, || std::net::TcpStream::connect(("127.0.0.1", port)).ok().map(drop));
}

/// A free loopback port: bound, read and released, so a server started next can take it.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_that_holds_late_is_waited_for() {
        let start = Instant::now();
        let got = eventually("the third check", Duration::from_secs(5), || {
            (start.elapsed() > Duration::from_millis(120)).then_some(3)
        });
        assert_eq!(got, 3);
    }

    #[test]
    fn a_condition_that_never_holds_gives_up_at_the_deadline() {
        let start = Instant::now();
        assert_eq!(within(Duration::from_millis(150), || None::<()>), None);
        assert!(start.elapsed() >= Duration::from_millis(150));
    }
}
