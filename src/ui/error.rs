//! Reporting beside the pipeline: how an error reads on stderr. Each config problem is its own
//! located report, then one summary line; a tool's own output (cargo's) comes first, as the
//! tool wrote it. Diagnostic codes (`sls::config`) are for bug reports: shown only with `-v`.
//! Messages carry text from outside (AWS's errors, a handler's, a config file's lines): all of
//! it is escaped before miette lays it out, so no control sequence reaches the terminal and
//! none is cut where miette wraps a line.

use super::escape;
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
            out.push_str(&escape::block(output.trim_end()));
            out.push('\n');
        }
    }
    let mut report = |d: &dyn Diagnostic| {
        let mut one = String::new();
        if handler.render_report(&mut one, &Plain::new(d, verbose)).is_err() {
            one = format!("error: {}\n", escape::block(&d.to_string()));
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

/// A diagnostic as people should read it: its code only when asked for (`-v`), its related
/// diagnostics left to the caller, and everything it says escaped. (The config text a snippet
/// shows is made safe where it is indexed, once per file: `config::diagnostic`.)
struct Plain<'a> {
    inner: &'a dyn Diagnostic,
    verbose: bool,
}

impl<'a> Plain<'a> {
    fn new(inner: &'a dyn Diagnostic, verbose: bool) -> Plain<'a> {
        Plain { inner, verbose }
    }
}

impl fmt::Debug for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape::block(&self.inner.to_string()))
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
        let help = self.inner.help()?.to_string();
        Some(Box::new(escape::block(&help).into_owned()))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.inner.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.inner.labels()?.map(|l| {
            let text = l.label().map(|t| escape::line(t).into_owned());
            match l.primary() {
                true => LabeledSpan::new_primary_with_span(text, *l.inner()),
                false => LabeledSpan::new_with_span(text, *l.inner()),
            }
        });
        Some(Box::new(labels.collect::<Vec<_>>().into_iter()))
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ESC in `text` starts a complete colour sequence (`ESC [ digits ; … m`).
    fn only_colours(text: &str) -> bool {
        text.match_indices('\u{1b}').all(|(at, _)| {
            let rest = &text[at + 1..];
            rest.strip_prefix('[').is_some_and(|r| {
                let end = r.find(|c: char| !(c.is_ascii_digit() || c == ';'));
                end.is_some_and(|e| r[e..].starts_with('m'))
            })
        })
    }

    #[test]
    fn foreign_text_in_an_error_is_shown_escaped_and_never_wrapped_inside_a_sequence() {
        let hostile = "AccessDenied: \u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H the role \u{9b}31m cannot do this, and the message goes on long enough to be wrapped by the printer at its width of one hundred";
        let err = Error::failed(hostile, Some("try \u{1b}[8mhidden\u{1b}[0m again".into()));
        for color in [false, true] {
            let shown = render(&err, color, false);
            assert!(only_colours(&shown), "{shown:?}");
            assert!(shown.contains("\\x1b]0;pwned\\x07") && shown.contains("\\u{9b}31m"), "{shown}");
            assert!(shown.contains("\\x1b[8mhidden"), "{shown}");
            assert!(!shown.contains('\u{7}') && !shown.contains('\u{9b}'), "{shown:?}");
        }
    }

    #[test]
    fn a_config_line_holding_control_characters_is_shown_without_them() {
        let text = "service: \"demo\u{1b}[2J\"\n# \u{1b}]0;x\u{7}\nfunctions: {}\n";
        let Err(e) = crate::plan::from_str(text, std::path::Path::new("sls.yaml"), std::path::Path::new("."), "dev")
        else {
            panic!("accepted")
        };
        let shown = render(&Error::Config(e), true, false);
        assert!(only_colours(&shown), "{shown:?}");
        assert!(shown.contains("demo\\x1b[2J") && shown.contains("\"demo?[2J\""), "{shown}");
    }
}
