//! Reporting: the live views of stack operations on a terminal — for one stack, a spinner per
//! resource in progress with its elapsed time and a finished line when it completes or fails;
//! for a project's deploy, a row per service from waiting to its outcome.

use super::escape;
use crate::aws::status::Phase;
use crate::deploy::watch::StackEvent;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::time::Duration;

pub(crate) struct StackProgress {
    multi: MultiProgress,
    bars: HashMap<String, ProgressBar>,
    color: bool,
}

impl StackProgress {
    pub(crate) fn new(color: bool) -> StackProgress {
        StackProgress::with_target(ProgressDrawTarget::stderr(), color)
    }

    fn with_target(target: ProgressDrawTarget, color: bool) -> StackProgress {
        StackProgress { multi: MultiProgress::with_draw_target(target), bars: HashMap::new(), color }
    }

    pub(crate) fn event(&mut self, e: &StackEvent) {
        let style = ProgressStyle::with_template("  {spinner} {msg} {elapsed:>4}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let line = resource_line(e);
        let phase = e.phase();
        if phase.working() {
            let bar = self.bars.entry(e.logical_id.clone()).or_insert_with(|| {
                let b = self.multi.add(ProgressBar::new_spinner());
                b.set_style(style.clone());
                b.enable_steady_tick(Duration::from_millis(120));
                b
            });
            bar.set_message(line);
            return;
        }
        let mark = match phase {
            Phase::Failed => self.paint("31", "✗"),
            Phase::RolledBack => self.paint("33", "↺"),
            _ => self.paint("32", "✓"),
        };
        let reason = e.reason.as_deref().filter(|_| phase == Phase::Failed).map(reason_line).unwrap_or_default();
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
        paint(self.color, code, s)
    }
}

impl Drop for StackProgress {
    fn drop(&mut self) {
        for (_, bar) in self.bars.drain() {
            bar.finish_and_clear();
        }
    }
}

/// The live view of a project's deploy: a row per service — what it waits for, then a spinner
/// with its latest step or resource and its time, then its mark. Failed resources (with their
/// reason) and anything else said print above the rows, labelled with their service.
pub(crate) struct ServicesProgress {
    multi: MultiProgress,
    rows: HashMap<usize, (String, ProgressBar)>,
    color: bool,
}

impl ServicesProgress {
    /// `services`: (index, key, the keys it waits for) for each service deployed.
    pub(crate) fn new(services: &[(usize, String, Vec<String>)], color: bool) -> ServicesProgress {
        ServicesProgress::with_target(ProgressDrawTarget::stderr(), services, color)
    }

    fn with_target(target: ProgressDrawTarget, services: &[(usize, String, Vec<String>)], color: bool) -> Self {
        let multi = MultiProgress::with_draw_target(target);
        let width = services.iter().map(|(_, k, _)| k.chars().count()).max().unwrap_or(0);
        let mut rows = HashMap::new();
        for (i, key, needs) in services {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("  · {prefix} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(format!("{key:<width$}"));
            bar.set_message(if needs.is_empty() {
                "queued".to_string()
            } else {
                format!("waiting for {}", needs.join(", "))
            });
            rows.insert(*i, (key.clone(), bar));
        }
        ServicesProgress { multi, rows, color }
    }

    pub(crate) fn started(&self, i: usize) {
        let Some((_, bar)) = self.rows.get(&i) else { return };
        let style = ProgressStyle::with_template("  {spinner} {prefix} {msg} {elapsed:>4}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.reset_elapsed();
        bar.set_message("deploying");
        bar.enable_steady_tick(Duration::from_millis(120));
    }

    /// What the service's deploy is doing now (uploading, creating the change set, …).
    pub(crate) fn step(&self, i: usize, what: &str) {
        if let Some((_, bar)) = self.rows.get(&i) {
            bar.set_message(escape::line(what).into_owned());
        }
    }

    /// A resource event: the latest shows on the row; a failure, with its reason, above it.
    pub(crate) fn event(&self, i: usize, e: &StackEvent) {
        let Some((key, bar)) = self.rows.get(&i) else { return };
        bar.set_message(escape::line(&format!("{} {}", e.status, e.logical_id)).into_owned());
        if e.phase() == Phase::Failed {
            let reason = e.reason.as_deref().map(reason_line).unwrap_or_default();
            let mark = paint(self.color, "31", "✗");
            let _ = self.multi.println(format!("  {mark} [{key}] {}{reason}", resource_line(e)));
        }
    }

    /// A line for the service printed above the rows.
    pub(crate) fn line(&self, i: usize, text: &str) {
        let key = self.rows.get(&i).map(|(k, _)| k.as_str()).unwrap_or_default();
        let _ = self.multi.println(format!("  [{key}] {}", escape::block(text)));
    }

    pub(crate) fn finished(&self, i: usize, ok: bool) {
        let Some((_, bar)) = self.rows.get(&i) else { return };
        let took = bar.elapsed().as_secs_f64();
        let (mark, word) =
            if ok { (paint(self.color, "32", "✓"), "done") } else { (paint(self.color, "31", "✗"), "failed") };
        self.close(bar, format!("{mark} {{prefix}} {word} {took:.1} s"));
    }

    pub(crate) fn skipped(&self, i: usize, because: &str) {
        let Some((_, bar)) = self.rows.get(&i) else { return };
        let mark = paint(self.color, "33", "–");
        self.close(bar, format!("{mark} {{prefix}} skipped: `{because}` did not deploy"));
    }

    fn close(&self, bar: &ProgressBar, template: String) {
        let style =
            ProgressStyle::with_template(&format!("  {template}")).unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.finish();
    }
}

impl Drop for ServicesProgress {
    /// Rows still waiting or spinning (Ctrl-C, an error) end as they are: nothing keeps
    /// redrawing under the message that follows.
    fn drop(&mut self) {
        for (_, bar) in self.rows.values() {
            if !bar.is_finished() {
                bar.abandon();
            }
        }
    }
}

/// A resource's id, type and status as CloudFormation reported them, made safe to show.
fn resource_line(e: &StackEvent) -> String {
    let text = format!("{:<32} {:<36} {}", e.logical_id, e.resource_type, e.status);
    escape::line(&text).into_owned()
}

/// Why a resource failed, on a line of its own under it.
fn reason_line(reason: &str) -> String {
    format!("\n      {}", escape::line(reason))
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// `build` on a terminal: one spinner line for the architecture cargo is compiling — the
/// crate it is on, how many so far, the time — instead of a line every ten seconds; cleared
/// when the build's result lines come.
pub(crate) struct BuildProgress {
    bar: Option<ProgressBar>,
}

impl BuildProgress {
    pub(crate) fn new() -> BuildProgress {
        BuildProgress { bar: None }
    }

    pub(crate) fn compiling(&mut self, c: &crate::build::cargo_lambda::Compiling) {
        let bar = self.bar.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("  {spinner} {msg} {elapsed:>4}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(120));
            b
        });
        bar.set_message(format!("compiling for {}: {} ({} crate(s) so far)", c.arch, c.current, c.crates));
    }

    pub(crate) fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::sync::{Arc, Mutex};

    const WIDTH: usize = 160;

    /// A terminal just capable enough for indicatif — rows, a cursor, autowrap at the right
    /// edge — so a test sees the screen the user is left with, not the codes that drew it.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<Cells>>);

    #[derive(Debug, Default)]
    struct Cells {
        rows: Vec<Vec<char>>,
        row: usize,
        col: usize,
    }

    impl Screen {
        fn rows(&self) -> Vec<String> {
            let cells = self.0.lock().unwrap();
            let text = cells.rows.iter().map(|r| r.iter().collect::<String>().trim_end().to_string());
            text.filter(|r| !r.is_empty()).collect()
        }
        /// The rows once `count` are drawn and one shows `text`: bars draw from indicatif's own
        /// ticker, not when an event arrives, and a redraw clears rows before writing them, so
        /// the rows returned are the ones that were seen to hold. After ten seconds, whatever
        /// is shown, for the test to reject.
        fn rows_once(&self, count: usize, text: &str) -> Vec<String> {
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            loop {
                let rows = self.rows();
                let drawn = rows.len() == count && rows.iter().any(|r| r.contains(text));
                if drawn || std::time::Instant::now() >= deadline {
                    return rows;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        fn edit(&self, f: impl FnOnce(&mut Cells)) -> std::io::Result<()> {
            f(&mut self.0.lock().unwrap());
            Ok(())
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            WIDTH as u16
        }
        fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
            self.edit(|c| c.row = c.row.saturating_sub(n))
        }
        fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
            self.edit(|c| c.row += n)
        }
        fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
            self.edit(|c| c.col = (c.col + n).min(WIDTH))
        }
        fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
            self.edit(|c| c.col = c.col.saturating_sub(n))
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)?;
            self.write_str("\n")
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.edit(|c| {
                for ch in s.chars() {
                    match ch {
                        '\n' => (c.row, c.col) = (c.row + 1, 0),
                        '\r' => c.col = 0,
                        ch => {
                            if c.col == WIDTH {
                                (c.row, c.col) = (c.row + 1, 0);
                            }
                            if c.rows.len() <= c.row {
                                c.rows.resize(c.row + 1, Vec::new());
                            }
                            let line = &mut c.rows[c.row];
                            if line.len() <= c.col {
                                line.resize(c.col + 1, ' ');
                            }
                            line[c.col] = ch;
                            c.col += 1;
                        }
                    }
                }
            })
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.edit(|c| {
                if let Some(line) = c.rows.get_mut(c.row) {
                    line.clear();
                }
                c.col = 0;
            })
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn event(id: &str, kind: &str, status: &str, reason: Option<&str>) -> StackEvent {
        StackEvent {
            id: format!("{id}-{status}"),
            logical_id: id.into(),
            resource_type: kind.into(),
            status: status.into(),
            reason: reason.map(str::to_string),
            timestamp: 0.0,
        }
    }

    #[test]
    fn resources_in_progress_spin_with_their_time_and_finish_as_lines() {
        let screen = Screen::default();
        let mut view = StackProgress::with_target(ProgressDrawTarget::term_like(Box::new(screen.clone())), false);
        view.event(&event("ApiRole", "AWS::IAM::Role", "CREATE_IN_PROGRESS", None));
        view.event(&event("ApiFunction", "AWS::Lambda::Function", "CREATE_IN_PROGRESS", None));
        let during = screen.rows_once(2, "AWS::Lambda::Function");
        assert_eq!(during.len(), 2, "one live row per resource in progress: {during:?}");
        assert!(during[0].contains("ApiRole") && during[0].contains("CREATE_IN_PROGRESS"), "{during:?}");
        assert!(during[1].contains("AWS::Lambda::Function") && during[1].trim_end().ends_with("0s"), "{during:?}");

        view.event(&event("ApiRole", "AWS::IAM::Role", "CREATE_COMPLETE", None));
        view.event(&event("ApiFunction", "AWS::Lambda::Function", "CREATE_FAILED", Some("Code not found in S3")));
        view.event(&event("ApiRole", "AWS::IAM::Role", "DELETE_COMPLETE", None));
        drop(view);
        let after = screen.rows();
        assert!(after[0].starts_with("  ✓ ApiRole") && after[0].contains("CREATE_COMPLETE"), "{after:?}");
        assert!(after[1].starts_with("  ✗ ApiFunction") && after[1].contains("CREATE_FAILED"), "{after:?}");
        assert_eq!(after[2].trim(), "Code not found in S3", "the reason under the failed resource");
        assert!(after[3].contains("ApiRole") && after[3].contains("DELETE_COMPLETE"), "{after:?}");
        assert!(after.iter().all(|r| !r.contains("IN_PROGRESS")), "no spinner left behind: {after:?}");
    }

    #[test]
    fn a_project_deploy_shows_a_row_per_service_from_waiting_to_its_outcome() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let services = [
            (0, "orders".to_string(), vec![]),
            (1, "users".to_string(), vec!["orders".to_string()]),
            (2, "search".to_string(), vec!["users".to_string()]),
        ];
        let view = ServicesProgress::with_target(target, &services, false);
        view.started(0);
        view.event(0, &event("SignupsQueue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None));
        let during = screen.rows_once(3, "SignupsQueue");
        assert_eq!(during.len(), 3, "{during:?}");
        assert!(during[0].contains("orders CREATE_IN_PROGRESS SignupsQueue"), "{during:?}");
        assert!(during[1].contains("users  waiting for orders"), "{during:?}");

        view.finished(0, true);
        view.started(1);
        view.event(1, &event("UsersFunction", "AWS::Lambda::Function", "CREATE_FAILED", Some("Code not found")));
        view.finished(1, false);
        view.skipped(2, "users");
        drop(view);
        let after = screen.rows();
        assert!(after[0].contains("✗ [users] UsersFunction") && after[0].contains("CREATE_FAILED"), "{after:?}");
        assert_eq!(after[1].trim(), "Code not found", "the reason under the failed resource");
        assert!(after[2].starts_with("  ✓ orders done "), "{after:?}");
        assert!(after[3].starts_with("  ✗ users  failed "), "{after:?}");
        assert_eq!(after[4], "  – search skipped: `users` did not deploy");
        assert_eq!(after.len(), 5, "{after:?}");
    }
}
