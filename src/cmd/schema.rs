//! `sls-rs schema`: the JSON Schema of sls.yaml on stdout, or (`--write`) kept in the project
//! with every sls.yaml pointing at it. Nothing is validated: a broken config needs it most.

use crate::cli::{Global, SchemaArgs};
use crate::config::schema;
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::scaffold::editor;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, args: &SchemaArgs, ui: &Ui) -> Result<()> {
    if !args.write {
        ui.result_raw(schema::text().trim_end());
        return Ok(());
    }
    let cwd = process.cwd.clone();
    let config = cwd.join(crate::config::locate(global.config.as_deref(), &cwd)?);
    let (root, configs) = editor::project_of(&config);
    let installed = editor::install(&root, &configs)
        .map_err(|e| Error::failed(e.to_string(), Some("the files written before it are complete".into())))?;
    let schema_path = root.join(&installed.schema);
    if ui.json {
        let mut doc = serde_json::to_value(&installed).expect("serializes");
        // As the user would type it from here: `.`, or `../..` from a service of a project.
        let shown = Some(crate::host::files::relative_to(&root, &cwd)).filter(|p| !p.as_os_str().is_empty());
        doc["root"] = serde_json::json!(shown.unwrap_or_else(|| ".".into()));
        ui.result_json(&doc);
        return Ok(());
    }
    match installed.schema_changed {
        true => ui.success(format!("wrote {}", schema_path.display())),
        false => ui.note(format!("{} is current", schema_path.display())),
    }
    for config in &installed.modelines_added {
        ui.success(format!("{} now names it (first line)", root.join(config).display()));
    }
    ui.result(schema_path.display().to_string());
    Ok(())
}
