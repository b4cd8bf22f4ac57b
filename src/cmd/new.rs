//! `sls-rs new`: arguments (or answers on a terminal) → scaffold → a ready project.

use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::scaffold::{self, Options, ScaffoldError, CATALOG};
use crate::ui::Ui;

pub(super) fn run(args: NewArgs, ui: &Ui) -> Result<()> {
    if args.list {
        return list(ui);
    }
    let dest = args.name.clone().ok_or_else(|| Error::usage("a project name is required", "sls-rs new my-api"))?;
    let service = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Err(help) = crate::config::names::check_service(&service) {
        return Err(Error::usage(format!("`{service}` cannot name a service"), help));
    }
    let interactive = ui.interactive && !args.no_input;
    let template = match args.template {
        Some(t) => t,
        None if interactive => ask_template()?,
        None => "http-api".to_string(),
    };
    if !CATALOG.iter().any(|t| t.name == template) {
        let names: Vec<&str> = CATALOG.iter().map(|t| t.name).collect();
        let hint = crate::config::diagnostic::did_you_mean(&template, names.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(Error::usage(
            format!("there is no template called `{template}`"),
            format!("{hint}run `sls-rs new --list` to see them"),
        ));
    }
    let arch = match args.arch {
        Some(a) => a,
        None if interactive => ask_arch()?,
        None => "arm64".to_string(),
    };
    let opts = Options { template: template.clone(), service: service.clone(), arch };
    let files = scaffold::render(&opts).map_err(|e| Error::failed(e.to_string(), None))?;
    scaffold::write(&dest, &files, args.force).map_err(|e| match e {
        ScaffoldError::NotEmpty(p) => Error::usage(
            format!("{} exists and is not empty", p.display()),
            "choose another name, or pass `--force` to write into it (files with the same names are overwritten)",
        ),
        other => Error::failed(
            other.to_string(),
            Some("nothing was written; fix the cause and run the command again".into()),
        ),
    })?;
    if ui.json {
        ui.result_json(&serde_json::json!({
            "path": dest,
            "service": service,
            "template": template,
            "files": files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        }));
    } else {
        ui.success(format!("created {} from `{template}` ({} files)", dest.display(), files.len()));
        ui.note(format!(
            "\nNext:\n  cd {}\n  cargo test          # the handlers' unit tests\n  sls-rs package      # CloudFormation in .sls/dev/template.json",
            dest.display()
        ));
        ui.result(dest.display().to_string());
    }
    Ok(())
}

fn list(ui: &Ui) -> Result<()> {
    if ui.json {
        let items: Vec<_> =
            CATALOG.iter().map(|t| serde_json::json!({"name": t.name, "description": t.description})).collect();
        ui.result_json(&serde_json::json!(items));
    } else {
        let width = CATALOG.iter().map(|t| t.name.len()).max().unwrap_or(0);
        for t in CATALOG {
            ui.result(format!("{:width$}  {}", t.name, t.description));
        }
    }
    Ok(())
}

fn ask_template() -> Result<String> {
    let items: Vec<String> = CATALOG.iter().map(|t| format!("{:14} {}", t.name, t.description)).collect();
    let pick = crate::ui::prompt::select("Template", &items, 0)?;
    Ok(CATALOG[pick].name.to_string())
}

fn ask_arch() -> Result<String> {
    let choices = ["arm64".to_string(), "x86_64".to_string()];
    let pick = crate::ui::prompt::select("Architecture (arm64 is cheaper per GB-second on Lambda)", &choices, 0)?;
    Ok(choices[pick].clone())
}
