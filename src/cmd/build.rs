//! `sls-rs build`: plan → build (cargo lambda, zips) → manifest with artifact hashes.

use crate::build;
use crate::cli::{BuildArgs, Global};
use crate::error::Result;
use crate::ui::Ui;

pub fn run(global: &Global, args: &BuildArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let opts = build::Options { release: !args.debug, only: args.function.clone(), echo: ui.verbose > 0 };
    let report = super::steps::build(&plan, &opts, ui)?;
    let manifest = super::steps::package(&plan, ui)?.manifest_path;
    if ui.json {
        ui.result_json(
            &serde_json::json!({ "functions": report.functions, "seconds": report.seconds, "manifest": manifest }),
        );
    } else {
        ui.success(format!("built {} function(s) in {:.1} s", report.functions.len(), report.seconds));
        for b in &report.functions {
            ui.result(format!("{}  {}  {}", b.function, super::steps::shown(&b.path), b.sha256));
        }
    }
    Ok(())
}
