//! Reporting: the live per-resource view of a stack operation on a terminal — a spinner per
//! resource in progress with its elapsed time, a finished line when it completes or fails.

use crate::deploy::watch::StackEvent;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::time::Duration;

pub struct StackProgress {
    multi: MultiProgress,
    bars: HashMap<String, ProgressBar>,
    color: bool,
}

impl StackProgress {
    pub fn new(color: bool) -> StackProgress {
        StackProgress {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: HashMap::new(),
            color,
        }
    }

    pub fn event(&mut self, e: &StackEvent) {
        let style = ProgressStyle::with_template("  {spinner} {msg} {elapsed:>4}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let line = format!("{:<32} {:<36} {}", e.logical_id, e.resource_type, e.status);
        if e.status.ends_with("_IN_PROGRESS") {
            let bar = self.bars.entry(e.logical_id.clone()).or_insert_with(|| {
                let b = self.multi.add(ProgressBar::new_spinner());
                b.set_style(style.clone());
                b.enable_steady_tick(Duration::from_millis(120));
                b
            });
            bar.set_message(line);
            return;
        }
        let mark = if e.status.ends_with("_FAILED") {
            self.paint("31", "✗")
        } else if e.status.contains("ROLLBACK") {
            self.paint("33", "↺")
        } else {
            self.paint("32", "✓")
        };
        let reason = e
            .reason
            .as_deref()
            .filter(|_| e.status.ends_with("_FAILED"))
            .map(|r| format!("\n      {r}"))
            .unwrap_or_default();
        match self.bars.remove(&e.logical_id) {
            Some(bar) => {
                let took = bar.elapsed().as_secs();
                bar.finish_and_clear();
                let _ = self.multi.println(format!("  {mark} {line} {took:>3}s{reason}"));
            }
            None => {
                let _ = self.multi.println(format!("  {mark} {line}{reason}"));
            }
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

impl Drop for StackProgress {
    fn drop(&mut self) {
        for (_, bar) in self.bars.drain() {
            bar.finish_and_clear();
        }
    }
}
