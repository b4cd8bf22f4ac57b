//! Reporting beside the pipeline: results to stdout, everything else (progress, notes,
//! warnings, prompts) to stderr, colour and prompts only where a person is watching. Every
//! line for people goes through `escape`, whatever it holds: messages carry text from outside
//! sls-rs (AWS's reasons, handlers' errors, object keys), and a control character in it must
//! not reach the terminal. Colour is added by these methods after escaping, never carried in
//! the text.

pub mod error;
pub(crate) mod escape;
pub(crate) mod progress;
pub(crate) mod prompt;

use crate::aws::status::Phase;
use crate::cli::{ColorChoice, Global, OutputFormat};
use std::io::Write;

#[derive(Debug, Clone)]
pub struct Ui {
    /// Live progress views only when a person watches stderr.
    pub live: bool,
    pub json: bool,
    pub color: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub yes: bool,
    /// Prompts are allowed only when stdin is a terminal and `--yes` was not given.
    pub interactive: bool,
}

impl Ui {
    pub fn new(global: &Global, process: &crate::host::process::Process) -> Self {
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => process.var("NO_COLOR").is_none() && process.stderr_tty,
        };
        Ui {
            live: process.stderr_tty && !global.quiet && global.output == OutputFormat::Human,
            json: global.output == OutputFormat::Json,
            color,
            quiet: global.quiet,
            verbose: global.verbose,
            yes: global.yes,
            interactive: !global.yes && process.interactive(),
        }
    }

    /// A progress or status line on stderr (silent with `--quiet`).
    pub(crate) fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", escape::block(msg.as_ref()));
        }
    }

    /// Text another program wrote (a handler's log, cargo's messages), passed on to stderr:
    /// asked for or needed to fix a failure, so `--quiet` does not hide it.
    pub(crate) fn passthrough(&self, text: impl AsRef<str>) {
        eprintln!("{}", escape::block(text.as_ref()));
    }

    pub(crate) fn warn(&self, msg: impl AsRef<str>) {
        eprintln!("{} {}", self.paint("33;1", "warning:"), escape::block(msg.as_ref()));
    }

    pub(crate) fn success(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{} {}", self.paint("32;1", "✓"), escape::block(msg.as_ref()));
        }
    }

    /// The command's result for people, on stdout.
    pub(crate) fn result(&self, text: impl AsRef<str>) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", escape::block(text.as_ref()));
    }

    /// A result line for people made of parts, some coloured: `(Some(code), text)` is painted,
    /// `(None, text)` is not; every part is escaped first.
    pub(crate) fn result_parts(&self, parts: &[(Option<&str>, &str)]) {
        let line: String = parts
            .iter()
            .map(|(code, text)| {
                let text = escape::block(text);
                match code {
                    Some(code) => self.paint(code, &text),
                    None => text.into_owned(),
                }
            })
            .collect();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    }

    /// A result for programs, exactly as given (a template, a schema, a script, NDJSON).
    pub(crate) fn result_raw(&self, text: impl AsRef<str>) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", text.as_ref());
    }

    /// The command's result as one JSON document on stdout.
    pub fn result_json(&self, value: &serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(value).unwrap_or_default());
    }

    /// One NDJSON progress line on stdout (`--output json`), before the final document.
    pub(crate) fn ndjson(&self, line: &serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
    }

    /// One CloudFormation event: NDJSON on stdout in JSON mode, a plain line otherwise. At a
    /// project root, `service` names whose stack it is, in both forms.
    pub(crate) fn stack_event(&self, service: Option<&str>, e: &crate::deploy::watch::StackEvent) {
        if self.json {
            let mut line = serde_json::json!({ "event": e });
            if let Some(service) = service {
                line["service"] = service.into();
            }
            self.ndjson(&line);
            return;
        }
        if self.quiet {
            return;
        }
        let code = match e.phase() {
            Phase::Failed => "31",
            Phase::RollingBack | Phase::RolledBack => "33",
            Phase::Complete => "32",
            Phase::InProgress | Phase::Reviewing => "2",
        };
        let reason = e.reason.as_deref().filter(|r| !r.is_empty()).map(|r| format!("  {}", escape::line(r)));
        let label = service.map(|k| format!("[{k}] ")).unwrap_or_default();
        eprintln!(
            "  {label}{} {:<32} {}{}",
            self.paint(code, &escape::line(&format!("{:<28}", e.status))),
            escape::line(&e.logical_id),
            escape::line(&e.resource_type),
            reason.unwrap_or_default()
        );
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}
