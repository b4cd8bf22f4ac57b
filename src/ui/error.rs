//! Reporting beside the pipeline: how an error reads on stderr. Each config problem is its own
//! located report, then one summary line; a tool's own output (cargo's) comes first, as the
//! tool wrote it. Diagnostic codes (`sls::config`) are for bug reports: shown only with `-v`.

use crate::config::LoadError;
use crate::error::Error;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode};
use std::fmt;

/// Everything to print on stderr for `err`.
pub fn render(err: &Error, color: bool, verbose: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if let Error::ToolFailed { output, .. } = err {
        if !output.trim().is_empty() {
            out.push_str(output.trim_end());
            out.push('\n');
        }
    }
    let mut report = |d: &dyn Diagnostic| {
        let mut one = String::new();
        if handler.render_report(&mut one, &Plain { inner: d, verbose }).is_err() {
            one = format!("error: {d}\n");
        }
        // A blank line between reports, so each problem reads as its own block.
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&one);
    };
    match err {
        Error::Config(LoadError::Invalid(problems)) => {
            problems.reports().for_each(&mut report);
            let code = if verbose { " [sls::config]" } else { "" };
            out.push_str(&format!("\nerror: {problems}{code}\n"));
        }
        other => report(other),
    }
    out
}

/// A diagnostic as people should read it: its code only when asked for (`-v`), and its
/// related diagnostics left to the caller.
struct Plain<'a> {
    inner: &'a dyn Diagnostic,
    verbose: bool,
}

impl fmt::Debug for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for Plain<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Plain<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code().filter(|_| self.verbose)
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}
