//! Pipeline stage 1 — config: find and read `sls.yaml`, validate it whole, and hand the typed
//! model to synthesis. Every problem is reported at once with file:line:column and a hint.

mod checks;
pub mod diagnostic;
mod functions;
pub mod model;
pub mod names;
mod parse;
mod reader;
pub mod yaml;

pub use diagnostic::{ConfigDiagnostics, Problem};
pub use functions::{check_schedule, parse_route, HTTP_METHODS};
pub use model::*;
pub use reader::to_json;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAMES: &[&str] = &["sls.yaml", "sls.yml"];

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
}

/// The config file to use: `explicit` if given, else `sls.yaml`/`sls.yml` in `dir`.
pub fn locate(explicit: Option<&Path>, dir: &Path) -> Result<PathBuf, LoadError> {
    if let Some(path) = explicit {
        return if path.is_file() { Ok(path.to_path_buf()) } else { Err(LoadError::NotFound(path.to_path_buf())) };
    }
    FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()).ok_or_else(|| LoadError::NotFound(dir.to_path_buf()))
}

/// Reads, parses and validates the config at `path` for `stage`; messages name it `shown_as`.
pub fn load(path: &Path, shown_as: &Path, stage: &str) -> Result<Config, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
    from_str(&text, shown_as, &root, stage)
}

/// Validates config text; `file` is used in messages only.
pub fn from_str(text: &str, file: &Path, root: &Path, stage: &str) -> Result<Config, LoadError> {
    let source = Arc::new(text.to_string());
    let name = file.display().to_string();
    let fail = |problems: Vec<Problem>| {
        LoadError::Invalid(ConfigDiagnostics::new(name.clone(), Arc::clone(&source), problems))
    };
    let node = match yaml::parse(text) {
        Ok(Some(node)) => node,
        Ok(None) => {
            return Err(fail(vec![Problem::new(
                yaml::Span { line: 1, col: 1, ..Default::default() },
                "the config is empty",
            )
            .help("start with `service: my-api` and a `functions:` section; `sls-rs new` writes a complete example")]))
        }
        Err(e) => {
            return Err(fail(vec![Problem::new(e.span, format!("YAML syntax error: {}", e.message)).label("here")]))
        }
    };
    let mut reader = reader::Reader::default();
    let config = parse::read_config(&mut reader, &node, file, root, Arc::clone(&source));
    let mut problems = reader.problems;
    if let Some(stages) = node.get("stages") {
        for (k, _) in stages.as_map().unwrap_or_default() {
            if let (Some(name), Err(help)) = (k.as_scalar(), k.as_scalar().map(names::check_stage).unwrap_or(Ok(()))) {
                problems.push(Problem::new(k.span, format!("`{name}` is not a valid stage name")).help(help));
            }
        }
    }
    match config {
        Some(config) if problems.is_empty() => {
            let more = checks::check(&config, stage);
            if more.is_empty() {
                Ok(config)
            } else {
                Err(fail(more))
            }
        }
        Some(config) => {
            // Cross-reference checks still run so one pass shows everything; dropping the
            // ones that merely echo a parse problem keeps the list honest.
            problems.extend(checks::check(&config, stage));
            problems.sort_by_key(|p| (p.span.offset, p.span.len));
            problems.dedup_by(|a, b| a.span == b.span && a.message == b.message);
            Err(fail(problems))
        }
        None => Err(fail(problems)),
    }
}
