//! The `nightly` function: runs once a day from an EventBridge schedule.

use aws_lambda_events::event::eventbridge::EventBridgeEvent;
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

/// The report for the run the scheduler started at `time` (ISO 8601).
fn report(event: &EventBridgeEvent<Value>) -> Value {
    let day = event.time.map(|t| t.date_naive().to_string()).unwrap_or_else(|| "unknown".into());
    json!({ "report": format!("nightly-{day}"), "source": event.source })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    shared::init_logging();
    run(service_fn(|event: LambdaEvent<EventBridgeEvent<Value>>| async move {
        let out = report(&event.payload);
        tracing::info!(%out, "nightly run");
        Ok::<_, Error>(out)
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_report_after_the_day() {
        let event: EventBridgeEvent<Value> = serde_json::from_value(json!({
            "version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "123456789012", "time": "2026-11-27T03:00:00Z", "region": "eu-west-1",
            "resources": [], "detail": {}
        }))
        .unwrap();
        assert_eq!(report(&event)["report"], "nightly-2026-11-27");
    }
}
