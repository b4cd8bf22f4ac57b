//! Beside the pipeline — scaffold, for editors: the JSON Schema kept in a project and the
//! yaml-language-server modeline that points each `sls.yaml` at it, written the same way by
//! `new` and by `schema --write`.

use crate::config::schema::{self, PROJECT_PATH};
use crate::host::files::WriteError;
use std::path::{Component, Path, PathBuf};

const MODELINE: &str = "# yaml-language-server: $schema=";

/// The modeline for the config at `config` (relative to the project root): the schema's path
/// relative to that file, which is how yaml-language-server resolves it.
pub(crate) fn modeline(config: &Path) -> String {
    let depth = config.parent().map_or(0, |p| p.components().filter(|c| matches!(c, Component::Normal(_))).count());
    format!("{MODELINE}{}{PROJECT_PATH}", "../".repeat(depth))
}

/// Whether `text` already names a schema for yaml-language-server (ours or one the user chose).
pub(crate) fn has_modeline(text: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start().starts_with('#') && l.contains("yaml-language-server:") && l.contains("$schema="))
}

/// `text` with the modeline as its first line, unless it names a schema already.
pub(crate) fn with_modeline(text: &str, config: &Path) -> Option<String> {
    (!has_modeline(text)).then(|| format!("{}\n{text}", modeline(config)))
}

fn is_config(path: &Path) -> bool {
    path.file_name().is_some_and(|n| crate::config::FILE_NAMES.iter().any(|f| n == *f))
}

/// A rendered project with the schema added and every `sls.yaml` pointing at it.
pub(crate) fn add_to(files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for (path, bytes) in files.iter_mut() {
        if is_config(path) {
            if let Some(text) = std::str::from_utf8(bytes).ok().and_then(|t| with_modeline(t, path)) {
                *bytes = text.into_bytes();
            }
        }
    }
    files.push((PathBuf::from(PROJECT_PATH), schema::text().into_bytes()));
    files.sort();
}

/// What `install` changed.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Installed {
    /// The schema file, and whether it was missing or stale before.
    pub schema: PathBuf,
    pub schema_changed: bool,
    /// Configs that got the modeline.
    pub modelines_added: Vec<PathBuf>,
}

/// Writes the schema into the project at `root` and adds the modeline to each of `configs`
/// (relative to `root`) that names no schema; each write is atomic and never through a link.
pub(crate) fn install(root: &Path, configs: &[PathBuf]) -> Result<Installed, WriteError> {
    let schema_path = root.join(PROJECT_PATH);
    let text = schema::text();
    let schema_changed = std::fs::read_to_string(&schema_path).ok().as_deref() != Some(text.as_str());
    if schema_changed {
        crate::host::files::write_atomic(root, &schema_path, text.as_bytes())?;
    }
    let mut modelines_added = Vec::new();
    for config in configs {
        let path = root.join(config);
        let current = crate::config::read_text(&path, config)
            .map_err(|e| WriteError { path: path.clone(), source: std::io::Error::other(e.to_string()) })?;
        if let Some(updated) = with_modeline(&current, config) {
            crate::host::files::write_atomic(root, &path, updated.as_bytes())?;
            modelines_added.push(config.clone());
        }
    }
    Ok(Installed { schema: PathBuf::from(PROJECT_PATH), schema_changed, modelines_added })
}

/// The project `config` belongs to: its root (the directory of the project file that lists
/// it, else its own) and every config there, relative to the root. Read without validating:
/// the schema helps most while a config is still wrong.
pub(crate) fn project_of(config: &Path) -> (PathBuf, Vec<PathBuf>) {
    let dir = config.parent().map(Path::to_path_buf).unwrap_or_default();
    let parsed = |file: &Path| {
        let text = crate::config::read_text(file, file).ok()?;
        crate::config::yaml::parse(&text).ok().flatten()
    };
    let project = match parsed(config) {
        Some(node) if crate::config::project::is_project(&node) => Some((config.to_path_buf(), node)),
        _ => crate::config::project::enclosing(&dir).and_then(|(file, _)| Some((file.clone(), parsed(&file)?))),
    };
    let Some((file, node)) = project else {
        return (dir, vec![PathBuf::from(config.file_name().unwrap_or_default())]);
    };
    let root = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut configs = vec![PathBuf::from(file.file_name().unwrap_or_default())];
    for (_, path) in crate::config::project::service_paths(&node) {
        let found = crate::config::FILE_NAMES.iter().map(|n| Path::new(path).join(n)).find(|p| root.join(p).is_file());
        configs.extend(found.filter(|p| !p.components().any(|c| matches!(c, Component::ParentDir))));
    }
    (root, configs)
}

/// Whether the project at `root` keeps a schema this binary would write differently (`None`
/// when it keeps none): after an upgrade, editors would check against the old keys.
pub(crate) fn stale(root: &Path) -> Option<bool> {
    let kept = std::fs::read_to_string(root.join(PROJECT_PATH)).ok()?;
    Some(kept != schema::text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modelines_climb_to_the_project_root() {
        assert_eq!(modeline(Path::new("sls.yaml")), "# yaml-language-server: $schema=.sls-rs/sls.schema.json");
        assert_eq!(
            modeline(Path::new("services/users/sls.yaml")),
            "# yaml-language-server: $schema=../../.sls-rs/sls.schema.json"
        );
    }

    #[test]
    fn a_schema_the_user_chose_is_kept() {
        let own = "# yaml-language-server: $schema=https://example.com/s.json\nservice: a\n";
        assert_eq!(with_modeline(own, Path::new("sls.yaml")), None);
        let plain = "service: a\n";
        assert_eq!(
            with_modeline(plain, Path::new("sls.yaml")).unwrap(),
            "# yaml-language-server: $schema=.sls-rs/sls.schema.json\nservice: a\n"
        );
    }

    #[test]
    fn install_writes_once_and_reports_only_changes() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("sls.yaml"), "service: a\n").unwrap();
        let configs = [PathBuf::from("sls.yaml")];
        let first = install(tmp.path(), &configs).unwrap();
        assert!(first.schema_changed);
        assert_eq!(first.modelines_added, configs);
        assert_eq!(stale(tmp.path()), Some(false));
        let again = install(tmp.path(), &configs).unwrap();
        assert!(!again.schema_changed && again.modelines_added.is_empty());
        let text = std::fs::read_to_string(tmp.path().join("sls.yaml")).unwrap();
        assert_eq!(text.matches("yaml-language-server").count(), 1);
        std::fs::write(tmp.path().join(PROJECT_PATH), "{}").unwrap();
        assert_eq!(stale(tmp.path()), Some(true));
    }

    #[test]
    fn a_service_of_a_project_installs_for_the_whole_project() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("services/users")).unwrap();
        std::fs::write(root.join("sls.yaml"), "services:\n  users: services/users\n  gone: services/gone\n").unwrap();
        std::fs::write(root.join("services/users/sls.yaml"), "service: users\n").unwrap();
        let expected = (root.clone(), vec![PathBuf::from("sls.yaml"), PathBuf::from("services/users/sls.yaml")]);
        assert_eq!(project_of(&root.join("services/users/sls.yaml")), expected);
        assert_eq!(project_of(&root.join("sls.yaml")), expected);
    }

    #[cfg(unix)]
    #[test]
    fn install_never_writes_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), tmp.path().join(".sls-rs")).unwrap();
        let err = install(tmp.path(), &[]).unwrap_err();
        assert!(err.path.ends_with(".sls-rs"), "{}", err.path.display());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}
