//! Config stage: the problems found in `sls.yaml`, each located and hinted, reported all at once.

use super::yaml::Span;
use miette::{Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// One problem in the config, at one place.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub message: String,
    #[serde(skip)]
    pub span: Span,
    /// A short label shown under the offending text.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Problem {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Self {
        Problem { message: message.into(), span, label: None, help: None }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// Every problem found in one config file.
#[derive(Debug)]
pub struct ConfigDiagnostics {
    /// The file, or the files (`a, b`) when a project's services were checked together.
    pub file: String,
    pub problems: Vec<Problem>,
    located: Vec<Located>,
    files: usize,
}

impl fmt::Display for ConfigDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let verb = if self.files > 1 { "have" } else { "has" };
        write!(f, "{} {verb} {} problem{}", self.file, n, if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for ConfigDiagnostics {}

impl Diagnostic for ConfigDiagnostics {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("sls::config"))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.located.iter().map(|p| p as &dyn Diagnostic)))
    }
}

impl ConfigDiagnostics {
    pub(crate) fn new(file: String, source: Arc<String>, problems: Vec<Problem>) -> Self {
        // The snippets show the file's lines: a control character in them (a hostile file's)
        // is shown as a visible one of the same length, so every problem's offset still holds.
        let source = match crate::ui::escape::same_length(&source) {
            std::borrow::Cow::Borrowed(_) => source,
            std::borrow::Cow::Owned(shown) => Arc::new(shown),
        };
        let src = Source::new(&file, source);
        let located = problems.iter().map(|p| Located { problem: p.clone(), src: src.clone() }).collect();
        ConfigDiagnostics { file, problems, located, files: 1 }
    }

    /// Several files' problems as one report, each problem still naming its own file.
    pub(crate) fn merge(all: Vec<ConfigDiagnostics>) -> ConfigDiagnostics {
        let file = all.iter().map(|d| d.file.as_str()).collect::<Vec<_>>().join(", ");
        let files = all.iter().map(|d| d.files).sum();
        let (mut problems, mut located) = (Vec::new(), Vec::new());
        for d in all {
            problems.extend(d.problems);
            located.extend(d.located);
        }
        ConfigDiagnostics { file, problems, located, files }
    }

    /// Each problem as a report of its own, with its snippet.
    pub(crate) fn reports(&self) -> impl Iterator<Item = &dyn Diagnostic> {
        self.located.iter().map(|p| p as &dyn Diagnostic)
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        let problems: Vec<_> = self
            .located
            .iter()
            .map(|Located { problem: p, src }| {
                serde_json::json!({
                    "file": src.name(),
                    "line": p.span.line,
                    "column": p.span.col,
                    "message": p.message,
                    "help": p.help,
                })
            })
            .collect();
        serde_json::json!({ "ok": false, "problems": problems })
    }
}

/// A problem paired with its source so miette can draw the snippet with `file:line:column`.
#[derive(Debug)]
struct Located {
    problem: Problem,
    src: Source,
}

/// A config's text with its line starts indexed once, so drawing a problem's snippet reads only
/// the lines around it. (miette reads from the top of the text for every snippet, which made
/// 20,000 problems take minutes.)
#[derive(Debug, Clone)]
struct Source {
    name: String,
    text: Arc<String>,
    lines: Arc<Vec<usize>>,
}

impl Source {
    fn new(name: &str, text: Arc<String>) -> Source {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { name: name.to_string(), text, lines: Arc::new(starts) }
    }

    fn name(&self) -> &str {
        &self.name
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.partition_point(|&start| start <= offset).saturating_sub(1)
    }
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_str();
        let end = (span.offset() + span.len()).min(text.len());
        // A window of whole lines, a line wider than the context on each side, read the usual way.
        let first = self.line_of(span.offset()).saturating_sub(context_lines_before + 1);
        let start = self.lines[first];
        let last = self.line_of(end) + context_lines_after + 2;
        let stop = self.lines.get(last).copied().unwrap_or(text.len()).max(start);
        let window = text.get(start..stop).ok_or(MietteError::OutOfBounds)?;
        let inner = SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let found = <str as SourceCode>::read_span(window, &inner, context_lines_before, context_lines_after)?;
        let at = SourceSpan::new((found.span().offset() + start).into(), found.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            found.data(),
            at,
            found.line() + first,
            found.column(),
            found.line_count(),
        )))
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.problem;
        write!(f, "{}:{}:{}: {}", self.src.name(), p.span.line, p.span.col, p.message)
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.problem.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = SourceSpan::new(self.problem.span.offset.into(), self.problem.span.len);
        let label = self.problem.label.clone();
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(label, span))))
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The help for a name that is not one of `candidates`: the close one if there is one, else
/// all of them after `listed` ("the project's services: `a` or `b`").
pub(crate) fn suggest<S: AsRef<str>>(word: &str, candidates: &[S], listed: &str) -> String {
    match did_you_mean(word, candidates.iter().map(AsRef::as_ref)) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("{listed}: {}", one_of(candidates)),
    }
}

/// "`a`, `b` or `c`" for help texts.
pub(crate) fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.len() {
        0 => "nothing".to_string(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["timeout", "memory", "events"];
        assert_eq!(did_you_mean("timout", keys), Some("timeout"));
        assert_eq!(did_you_mean("memroy", keys), Some("memory"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn lists_choices_in_prose() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of::<&str>(&[]), "nothing");
    }
}
