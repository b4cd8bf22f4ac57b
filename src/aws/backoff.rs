//! AWS plumbing: how often to ask AWS again — quickly while things change, more slowly while
//! nothing does — shared by stack watching and log polling.

use std::time::Duration;

/// Poll intervals: 0.5 s, growing by half each quiet poll up to 4 s, back to fast on news.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    pub first: Duration,
    pub max: Duration,
    current: Duration,
}

impl Backoff {
    pub(crate) fn new(first: Duration, max: Duration) -> Backoff {
        Backoff { first, max, current: first }
    }

    pub(crate) fn next(&mut self, saw_news: bool) -> Duration {
        self.current = if saw_news { self.first } else { (self.current.mul_f64(1.5)).min(self.max) };
        self.current
    }
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff::new(Duration::from_millis(500), Duration::from_secs(4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_when_quiet_and_resets_on_news() {
        let mut b = Backoff::default();
        let quiet: Vec<u128> = (0..6).map(|_| b.next(false).as_millis()).collect();
        assert_eq!(quiet, vec![750, 1125, 1687, 2531, 3796, 4000]);
        assert_eq!(b.next(true).as_millis(), 500);
    }
}
