//! The property the fuzz target checks, shared with `tests/config_errors.rs` so every finding
//! kept in `fuzz/regressions/` is checked by `cargo test` too.

use std::path::Path;

/// Loads `bytes` as an `sls.yaml` for two stages (a plain one and a retained `prod`): a
/// rejected config renders its diagnostics; an accepted one synthesizes a template that is
/// JSON. Any panic on the way is the finding.
pub fn config_property(bytes: &[u8]) {
    for stage in ["dev", "prod"] {
        let file = Path::new("sls.yaml");
        match sls_rs::plan::from_bytes(bytes, file, Path::new("/nonexistent/fuzz"), stage) {
            Ok(plan) => {
                let Ok(synthesis) = sls_rs::synth::synthesize(&plan) else { continue };
                let json = sls_rs::synth::to_json(&synthesis.template);
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
                    panic!("an accepted config synthesized a template that is not JSON: {e}");
                }
            }
            Err(e) => {
                let mut out = String::new();
                let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
                handler.render_report(&mut out, &e).expect("diagnostics render");
                assert!(!out.is_empty(), "a rejected config said nothing");
            }
        }
    }
}
