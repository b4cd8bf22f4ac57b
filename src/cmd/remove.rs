//! `sls-rs remove`: confirm, then delete the stage's stack and its deployment artifacts.

use crate::cli::{Global, RemoveArgs};
use crate::deploy::remove::{self, Outcome, RemoveError};
use crate::deploy::watch::StackEvent;
use crate::error::{with_details, Error, Result};
use crate::ui::Ui;

pub fn run(global: &Global, args: &RemoveArgs, ui: &Ui) -> Result<()> {
    let plan = super::load_plan(global)?;
    let stack = &plan.stack_name;
    if !ui.yes {
        if !ui.interactive {
            return Err(Error::usage(
                format!("removing {stack} needs confirmation"),
                "pass --yes to remove without a terminal",
            ));
        }
        let prompt = format!("Remove stack {stack} and everything in it?");
        let ok = crate::ui_prompt::confirm(&prompt, false).inspect_err(|e| {
            if matches!(e, Error::Interrupted) {
                ui.warn("interrupted; nothing removed");
            }
        })?;
        if !ok {
            ui.warn("nothing removed");
            return Ok(());
        }
    }
    let rt = super::runtime()?;
    let aws = rt.block_on(super::connect(global, &plan))?;
    let say = |m: &str| ui.note(m);
    let mut live = ui.live.then(|| crate::ui_progress::StackProgress::new(ui.color));
    let mut on_event = |e: &StackEvent| match live.as_mut() {
        Some(view) => view.event(e),
        None => ui.stack_event(e),
    };
    let result = rt.block_on(remove::remove(&aws, stack, args.empty_buckets, &say, &mut on_event));
    let removal = result.map_err(|e| match e {
        RemoveError::BucketsNotEmpty(buckets) => Error::failed(
            with_details(
                "these buckets hold data, so the stack was not removed",
                buckets.iter().map(|(b, n)| format!("{b}: {n} object(s)")),
            ),
            Some("pass --empty-buckets to delete their objects too, or move the data first".into()),
        ),
        RemoveError::Failed { stack, status, failures } => Error::failed(
            with_details(
                format!("removing {stack} stopped at {status}"),
                failures
                    .iter()
                    .take(3)
                    .map(|f| format!("{} {}: {}", f.status, f.logical_id, f.reason.as_deref().unwrap_or(""))),
            ),
            Some(
                "fix the cause listed and run `sls-rs remove` again; the resources that remain are still in the stack"
                    .into(),
            ),
        ),
        RemoveError::Unchecked { bucket, reason } => Error::failed(
            format!("could not check whether bucket {bucket} holds data ({reason}), so nothing was removed"),
            Some("allow s3:ListBucket on it (or check the endpoint) and run `sls-rs remove` again".into()),
        ),
        RemoveError::Aws(e) => Error::failed(e.to_string(), None),
    })?;
    if ui.json {
        ui.result_json(&serde_json::to_value(&removal).unwrap_or_default());
        return Ok(());
    }
    match removal.status {
        Outcome::Absent => ui.success(format!("{stack} does not exist; nothing to remove")),
        Outcome::Removed => {
            ui.success(format!("removed {stack} ({} artifact(s) deleted)", removal.artifacts_deleted));
            for id in &removal.retained {
                ui.result(format!("kept (removal: retain)  {id}"));
            }
        }
    }
    Ok(())
}
