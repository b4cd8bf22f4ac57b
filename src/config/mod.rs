//! Pipeline stage 1 — config: find and read `sls.yaml`, validate it whole, and hand the typed
//! model to synthesis. Every problem is reported at once with file:line:column and a hint.

pub(crate) mod api;
mod checks;
pub(crate) mod diagnostic;
mod functions;
pub(crate) mod model;
pub(crate) mod names;
mod parse;
pub(crate) mod project;
mod reader;
pub(crate) mod refs;
pub(crate) mod schedule;
pub(crate) mod schema;
pub(crate) mod shape;
pub mod yaml;

pub(crate) use diagnostic::{ConfigDiagnostics, Problem};
pub(crate) use functions::parse_route;
pub use model::*;
pub use names::Effective;
pub use reader::to_json;
pub use schedule::Schedule;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) const FILE_NAMES: &[&str] = &["sls.yaml", "sls.yml"];

/// Larger than any config that could synthesize a template CloudFormation accepts (1 MB from
/// S3); reading more is only a way to exhaust memory.
pub(crate) const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// Reads a config file as text: a byte-order mark is dropped; bytes that are not UTF-8, and a
/// file over `MAX_CONFIG_BYTES`, are located problems (`shown_as` names the file).
pub(crate) fn read_text(path: &Path, shown_as: &Path) -> Result<String, LoadError> {
    let io = |source| LoadError::Io { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    // A larger file is refused by its size, before a byte is read (a sparse file can claim
    // gigabytes); what has no size (a pipe) is read only a byte past the limit.
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    if let Some(size) = size.filter(|&s| s > MAX_CONFIG_BYTES as u64) {
        return Err(too_large(&format!("{size} bytes"), shown_as));
    }
    decode(&read_limited(file).map_err(io)?, shown_as)
}

/// At most a byte more than a config may hold: enough to tell it is too large.
pub(crate) fn read_limited(file: std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn too_large(size: &str, shown_as: &Path) -> LoadError {
    let span = yaml::Span { offset: 0, len: 0, line: 1, col: 1 };
    let message = format!("the file is {size}; a config may have at most {MAX_CONFIG_BYTES}");
    let p = Problem::new(span, message).help("move large `cloudformation:` sections into fewer, smaller resources");
    LoadError::Invalid(ConfigDiagnostics::new(shown_as.display().to_string(), Arc::new(String::new()), vec![p]))
}

/// Config bytes as text, by the rules of `read_text`; no I/O.
pub(crate) fn decode(bytes: &[u8], shown_as: &Path) -> Result<String, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let problem = |text: String, problem: Problem| {
        LoadError::Invalid(ConfigDiagnostics::new(shown_as.display().to_string(), Arc::new(text), vec![problem]))
    };
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(too_large(&format!("{} bytes", bytes.len()), shown_as));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&bytes[line_start..at]).chars().count() + 1;
            // Shown from the lossy text, where the bad byte became U+FFFD.
            let span = yaml::Span { offset: at, len: '\u{FFFD}'.len_utf8(), line, col };
            let p = Problem::new(span, format!("byte 0x{:02X} is not UTF-8", bytes[at]))
                .label("not UTF-8")
                .help("save the file as UTF-8 (sls.yaml must be UTF-8 text, as YAML 1.2 asks)");
            Err(problem(String::from_utf8_lossy(bytes).into_owned(), p))
        }
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    #[error("no sls.yaml in {}", .0.display())]
    #[diagnostic(
        code(sls::config::missing),
        help("run `sls-rs new <name>` to create a project, or pass `--config path/to/sls.yaml`")
    )]
    NotFound(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    #[diagnostic(code(sls::config::io))]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] ConfigDiagnostics),
    #[error("{} lists services; this command works on one service at a time", file.display())]
    #[diagnostic(
        code(sls::config::project_root),
        help("run it in a service's directory: {}", services.join(", "))
    )]
    ProjectRoot { file: PathBuf, services: Vec<String> },
}

/// The config file to use: `explicit` if given, else `sls.yaml`/`sls.yml` in `dir`.
pub(crate) fn locate(explicit: Option<&Path>, dir: &Path) -> Result<PathBuf, LoadError> {
    if let Some(path) = explicit {
        return if path.is_file() { Ok(path.to_path_buf()) } else { Err(LoadError::NotFound(path.to_path_buf())) };
    }
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()).ok_or_else(|| LoadError::NotFound(dir.to_path_buf()))
}

impl Config {
    /// Problems a later stage found in this config (a missing cargo package, a raw resource
    /// colliding with a generated one), located in its file like the config's own.
    pub(crate) fn diagnostics(&self, problems: Vec<Problem>) -> ConfigDiagnostics {
        ConfigDiagnostics::new(self.file.display().to_string(), Arc::clone(&self.source), problems)
    }
}

/// What reading a config found: the model (when the file had a usable shape) and every
/// problem so far. Later checks on the same file add theirs before `finish` reports them all.
#[derive(Debug)]
pub(crate) struct Draft {
    pub config: Option<Config>,
    problems: Vec<Problem>,
    /// Problems came from reading, not only from checks: show them in file order.
    sort: bool,
    name: String,
    source: Arc<String>,
}

impl Draft {
    /// `value` if neither reading nor `more` found a problem; else every problem, located.
    pub(crate) fn finish<T>(mut self, value: Option<T>, more: Vec<Problem>) -> Result<T, LoadError> {
        self.problems.extend(more);
        if self.sort {
            // Cross-reference checks still ran so one pass shows everything; dropping the ones
            // that merely echo a parse problem keeps the list honest.
            self.problems.sort_by_key(|p| (p.span.offset, p.span.len));
            self.problems.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        }
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => Err(LoadError::Invalid(ConfigDiagnostics::new(self.name, self.source, self.problems))),
        }
    }
}

/// Reads and validates config text; `file` is used in messages only.
pub(crate) fn draft(text: &str, file: &Path, root: &Path, stage: &str) -> Draft {
    let source = Arc::new(text.to_string());
    let mut draft = Draft { config: None, problems: Vec::new(), sort: false, name: file.display().to_string(), source };
    let node = match yaml::parse(text) {
        Ok(Some(node)) => node,
        Ok(None) => {
            draft.problems.push(
                Problem::new(yaml::Span { line: 1, col: 1, ..Default::default() }, "the config is empty").help(
                    "start with `service: my-api` and a `functions:` section; `sls-rs new` writes a complete example",
                ),
            );
            return draft;
        }
        Err(e) => {
            draft.problems.push(Problem::new(e.span, format!("YAML syntax error: {}", e.message)).label("here"));
            return draft;
        }
    };
    let mut reader = reader::Reader::default();
    let config = parse::read_config(&mut reader, &node, file, root, Arc::clone(&draft.source));
    draft.problems = reader.problems;
    if let Some(stages) = node.get("stages") {
        for (k, _) in stages.as_map().unwrap_or_default() {
            if let (Some(name), Err(help)) = (k.as_scalar(), k.as_scalar().map(names::check_stage).unwrap_or(Ok(()))) {
                draft.problems.push(Problem::new(k.span, format!("`{name}` is not a valid stage name")).help(help));
            }
        }
    }
    draft.sort = !draft.problems.is_empty();
    if let Some(config) = &config {
        draft.problems.extend(checks::check(config, stage));
    }
    draft.config = config;
    draft
}
