//! Beside the pipeline — scaffold: projects from the templates embedded in the binary, rendered
//! with tera and written all at once (into a temporary directory, then moved into place) so a
//! failure never leaves half a project.

pub(crate) mod editor;

use include_dir::{include_dir, Dir, DirEntry};
use std::path::{Path, PathBuf};

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub(crate) struct TemplateInfo {
    pub name: &'static str,
    pub description: &'static str,
}

pub(crate) const CATALOG: &[TemplateInfo] = &[
    TemplateInfo { name: "http-api", description: "One function serving an HTTP API (two routes): the minimal start" },
    TemplateInfo {
        name: "event-driven",
        description: "Sign-up API → queue → worker → table, an upload handler, a nightly job",
    },
    TemplateInfo {
        name: "microservices",
        description: "Two services in one Cargo workspace, each with its own sls.yaml and stack",
    },
];

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub template: String,
    pub service: String,
    pub arch: String,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ScaffoldError {
    #[error("there is no template called `{0}`")]
    UnknownTemplate(String),
    #[error("{} exists and is not empty", .0.display())]
    NotEmpty(PathBuf),
    #[error("cannot render {file}: {message}")]
    Render { file: String, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// With `--force`, a path the template writes is (or passes through) a symbolic link.
    #[error(transparent)]
    Link(crate::host::files::WriteError),
}

/// Renders every file of a template in memory: (relative path, contents).
pub(crate) fn render(opts: &Options) -> Result<Vec<(PathBuf, Vec<u8>)>, ScaffoldError> {
    let dir = TEMPLATES.get_dir(&opts.template).ok_or_else(|| ScaffoldError::UnknownTemplate(opts.template.clone()))?;
    let mut ctx = tera::Context::new();
    ctx.insert("service", &opts.service);
    ctx.insert("arch", &opts.arch);
    ctx.insert("sls_rs_version", env!("CARGO_PKG_VERSION"));
    let mut files = Vec::new();
    collect(dir, &mut files);
    let mut out = Vec::new();
    for file in files {
        let rel = file.path().strip_prefix(&opts.template).unwrap_or(file.path());
        let mut target = output_path(rel);
        let bytes = if target.extension().is_some_and(|e| e == "tera") {
            target.set_extension("");
            let text = file.contents_utf8().ok_or_else(|| ScaffoldError::Render {
                file: rel.display().to_string(),
                message: "not UTF-8".into(),
            })?;
            tera::Tera::one_off(text, &ctx, false)
                .map_err(|e| ScaffoldError::Render { file: rel.display().to_string(), message: error_chain(&e) })?
                .into_bytes()
        } else {
            file.contents().to_vec()
        };
        out.push((target, bytes));
    }
    editor::add_to(&mut out);
    Ok(out)
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => out.push(f),
        }
    }
}

/// `dot-github/x` → `.github/x`: dotfiles are stored without the dot so they cannot affect
/// this repository's own tooling (a template `.gitignore` would).
fn output_path(rel: &Path) -> PathBuf {
    rel.components()
        .map(|c| {
            let s = c.as_os_str().to_string_lossy();
            match s.strip_prefix("dot-") {
                Some(rest) => format!(".{rest}"),
                None => s.into_owned(),
            }
        })
        .collect()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Writes the project into `dest`. Without `force`, `dest` must be missing or empty.
pub(crate) fn write(dest: &Path, files: &[(PathBuf, Vec<u8>)], force: bool) -> Result<(), ScaffoldError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    let occupied = dest.exists() && std::fs::read_dir(dest).map_err(io(dest))?.next().is_some();
    if occupied && !force {
        return Err(ScaffoldError::NotEmpty(dest.to_path_buf()));
    }
    // Checked for every file before anything is written: a link would carry a write outside.
    if let Some(link) = files.iter().find_map(|(rel, _)| crate::host::files::link_below(dest, &dest.join(rel))) {
        return Err(ScaffoldError::Link(crate::host::files::through_link(link)));
    }
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    // Stage everything next to the destination: if any write fails, the temporary directory is
    // dropped and nothing of the project remains.
    let staging = tempfile::Builder::new().prefix(".sls-new-").tempdir_in(&parent).map_err(io(&parent))?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    if !occupied {
        if dest.exists() {
            std::fs::remove_dir(dest).map_err(io(dest))?;
        }
        let staged = staging.keep();
        return std::fs::rename(&staged, dest).map_err(|source| {
            let _ = std::fs::remove_dir_all(&staged);
            ScaffoldError::Io { path: dest.to_path_buf(), source }
        });
    }
    for (rel, _) in files {
        let (from, to) = (staging.path().join(rel), dest.join(rel));
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::rename(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ())).map_err(io(&to))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_entry_renders() {
        for t in CATALOG {
            let files =
                render(&Options { template: t.name.into(), service: "demo".into(), arch: "arm64".into() }).unwrap();
            assert!(files.iter().any(|(p, _)| p.ends_with("sls.yaml")), "{} has no sls.yaml", t.name);
            assert!(files.iter().all(|(p, _)| p.extension().is_none_or(|e| e != "tera")));
            assert!(files.iter().any(|(p, _)| p.starts_with(".github")), "{} has no CI workflow", t.name);
            for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with("sls.yaml")) {
                let first = String::from_utf8_lossy(bytes).lines().next().unwrap_or_default().to_string();
                assert_eq!(first, editor::modeline(path), "{}/{}", t.name, path.display());
            }
            assert!(files.iter().any(|(p, _)| p == Path::new(crate::config::schema::PROJECT_PATH)));
        }
        assert_eq!(CATALOG.len(), TEMPLATES.dirs().count(), "catalog and templates/ disagree");
    }

    #[test]
    fn failed_write_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("proj");
        // A file and a directory with the same path: the second write must fail.
        let files = vec![(PathBuf::from("a"), b"x".to_vec()), (PathBuf::from("a/b"), b"y".to_vec())];
        assert!(write(&dest, &files, false).is_err());
        assert!(!dest.exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "staging directory left behind");
    }
}
