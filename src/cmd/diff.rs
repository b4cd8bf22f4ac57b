//! `sls-rs diff`: build and package, then compare with the deployed stack — read-only; at a
//! project root, every service (other services' outputs compared with what each stack holds).

use crate::cli::{DiffArgs, Global};
use crate::deploy::changes::render;
use crate::error::{Error, Result};
use crate::host::process::Process;
use crate::plan::Plan;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, args: &DiffArgs, ui: &Ui) -> Result<()> {
    let rt = super::runtime()?;
    let plans = super::project::load_target(global, process)?.into_plans();
    let Some((_, first)) = plans.first() else { return Ok(()) };
    let aws = rt.block_on(super::connect(global, process, first))?;
    let mut docs = Vec::new();
    let mut changed = false;
    for (key, plan) in &plans {
        let label = key.as_ref().map(|k| format!("[{k}] ")).unwrap_or_default();
        let diff = one(process, &rt, &aws, plan, args, ui, &label)?;
        changed |= !diff.is_empty();
        let mut doc = serde_json::to_value(&diff).unwrap_or_default();
        if let Some(key) = key {
            doc["service"] = key.clone().into();
        }
        docs.push(doc);
    }
    super::project::result_json(ui, docs);
    if args.exit_code && changed {
        return Err(Error::Exit(3));
    }
    Ok(())
}

fn one(
    process: &Process,
    rt: &tokio::runtime::Runtime,
    aws: &crate::aws::Aws,
    plan: &Plan,
    args: &DiffArgs,
    ui: &Ui,
    label: &str,
) -> Result<crate::deploy::code::Diff> {
    if !args.skip_build && !plan.functions.is_empty() {
        let opts = crate::build::Options { release: true, only: Vec::new(), echo: ui.verbose > 0, process };
        super::steps::build(plan, &opts, ui)?;
    }
    let packaged = super::steps::package(plan, ui)?;
    let (synthesis, template) = (packaged.synthesis, packaged.template);
    let diff = rt
        .block_on(crate::deploy::code::diff(aws, &synthesis.manifest, &template))
        .map_err(|e| Error::failed(e.to_string(), None))?;
    if ui.json {
        return Ok(diff);
    }
    if diff.is_empty() {
        ui.success(format!("{label}{} is up to date", synthesis.manifest.stack_name));
        return Ok(diff);
    }
    if !diff.stack_exists {
        ui.note(format!("{label}{} is not deployed yet; everything is new", synthesis.manifest.stack_name));
    }
    for (mark, list) in [("+", &diff.added), ("~", &diff.modified), ("-", &diff.removed)] {
        for id in list {
            match diff.replacements.iter().find(|r| &r.id == id) {
                Some(r) => ui.result(format!("{label}{mark} {id}  (replaced: {} changes)", r.because.join(", "))),
                None => ui.result(format!("{label}{mark} {id}")),
            }
            for c in diff.properties.get(id).into_iter().flatten() {
                // `Properties.` is where nearly every change is: shown without it.
                let path = c.path.strip_prefix("Properties.").unwrap_or(&c.path);
                let (old, new) = (render(c.old.as_ref(), 60), render(c.new.as_ref(), 60));
                ui.result(format!("{label}    {path}: {old} → {new}"));
            }
        }
    }
    for r in &diff.replacements {
        replacement_warning(ui, label, r);
    }
    for f in &diff.code {
        ui.result(format!("{label}~ code of {f}"));
    }
    for i in &diff.inputs {
        let now = i.now.as_deref().unwrap_or("(not deployed)");
        let was = i.deployed.as_deref().unwrap_or("(none)");
        ui.result(format!("{label}~ input {}.{}: {was} → {now}", i.service, i.output));
    }
    Ok(diff)
}

/// Replacing a table, bucket or queue loses what it holds, and a replacement under the same
/// name fails the deploy: both said loudly, with what to do.
fn replacement_warning(ui: &Ui, label: &str, r: &crate::deploy::replacement::Replacement) {
    let id = &r.id;
    if r.refused {
        ui.warn(format!(
            "{label}{id} must be replaced ({} changes) but keeps its name: CloudFormation will refuse the deploy (a named resource cannot be replaced under the same name); rename it in sls.yaml, or remove and recreate it",
            r.because.join(", ")
        ));
    } else if r.data && r.kept {
        ui.warn(format!(
            "{label}{id} will be REPLACED by a new, empty one; the old one is kept (removal: retain) with its data, but the stack stops using it"
        ));
    } else if r.data {
        ui.warn(format!(
            "{label}{id} will be REPLACED: CloudFormation makes a new, empty one and DELETES the old one with everything in it; copy what it holds first, or keep the old definition"
        ));
    }
}
