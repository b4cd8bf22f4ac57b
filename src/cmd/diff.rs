//! `sls-rs diff`: build and package, then compare with the deployed stack — read-only.

use crate::cli::{DiffArgs, Global};
use crate::error::{Error, Result};
use crate::ui::Ui;

pub fn run(global: &Global, args: &DiffArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, &plan))?;
    if !args.skip_build {
        let opts = crate::build::Options { release: true, only: Vec::new(), echo: ui.verbose > 0 };
        super::steps::build(&plan, &opts, ui)?;
    }
    let packaged = super::steps::package(&plan, ui)?;
    let (synthesis, template) = (packaged.synthesis, packaged.template);
    let diff = rt
        .block_on(crate::deploy::code::diff(&aws, &synthesis.manifest, &template))
        .map_err(|e| Error::failed(e.to_string(), None))?;
    if ui.json {
        ui.result_json(&serde_json::to_value(&diff).unwrap_or_default());
    } else if diff.is_empty() {
        ui.success(format!("{} is up to date", synthesis.manifest.stack_name));
    } else {
        if !diff.stack_exists {
            ui.note(format!("{} is not deployed yet; everything is new", synthesis.manifest.stack_name));
        }
        for (mark, list) in [("+", &diff.added), ("~", &diff.modified), ("-", &diff.removed)] {
            for id in list {
                ui.result(format!("{mark} {id}"));
            }
        }
        for f in &diff.code {
            ui.result(format!("~ code of {f}"));
        }
    }
    if args.exit_code && !diff.is_empty() {
        return Err(Error::Exit(3));
    }
    Ok(())
}
