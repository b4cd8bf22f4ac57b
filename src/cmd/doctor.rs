//! `sls-rs doctor`: the checks, as a table or JSON; exit 1 when a build would fail.

use crate::cli::Global;
use crate::config::Arch;
use crate::error::{Error, Result};
use crate::host::doctor::{self, Status};
use crate::host::process::Process;
use crate::ui::Ui;

pub(super) fn run(global: &Global, process: &Process, ui: &Ui) -> Result<()> {
    // Doctor must work outside a project too: the config only narrows what is checked.
    let plan = super::load_plan(global, process).ok();
    let mut arches: Vec<Arch> = match &plan {
        Some(p) => p.functions.iter().map(|f| f.settings.arch).collect(),
        None => Arch::ALL.to_vec(),
    };
    arches.sort();
    arches.dedup();
    let region = super::chosen_region(global, plan.as_ref());
    let mut checks = doctor::run(process, &arches, region.as_deref());
    let cwd = process.cwd.clone();
    let config = crate::config::locate(global.config.as_deref(), &cwd).ok().map(|c| cwd.join(c));
    checks.extend(doctor::schema(config.as_deref()));
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if ui.json {
        ui.result_json(&serde_json::json!({ "ok": failed == 0, "checks": checks }));
    } else {
        for c in &checks {
            let mark = match c.status {
                Status::Ok => ("32", "ok  "),
                Status::Warn => ("33", "warn"),
                Status::Fail => ("31", "FAIL"),
            };
            ui.result_parts(&[(Some(mark.0), mark.1), (None, &format!("  {:<34} {}", c.name, c.detail))]);
            if let Some(fix) = &c.fix {
                ui.result(format!("      → {fix}"));
            }
        }
    }
    if failed > 0 {
        return Err(Error::Reported {
            message: format!("{failed} check(s) failed"),
            help: Some("fix them as shown above, then run `sls-rs doctor` again".into()),
        });
    }
    Ok(())
}
