//! `sls-rs graph`: config → plan → diagram, printed as Mermaid, DOT or SVG (or the diagram's
//! nodes and edges with `--output json`). No AWS call, nothing built.

use crate::cli::{Global, GraphArgs, GraphFormat};
use crate::diagram::{self, Diagram};
use crate::error::Result;
use crate::host::process::Process;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, args: &GraphArgs, ui: &Ui) -> Result<()> {
    let plans = super::project::load_target(global, process)?.into_plans();
    let services: Vec<_> = plans.iter().map(|(key, plan)| (key.clone(), plan)).collect();
    let d = Diagram::of(&services);
    if ui.json {
        ui.result_json(&serde_json::to_value(&d).expect("a diagram serializes"));
        return Ok(());
    }
    let text = match args.format {
        GraphFormat::Mermaid => diagram::mermaid::render(&d),
        GraphFormat::Dot => diagram::dot::render(&d),
        GraphFormat::Svg => diagram::svg::render(&d),
    };
    ui.result_raw(text.trim_end());
    Ok(())
}
