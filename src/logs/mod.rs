//! Beside the pipeline — logs: a stage's CloudWatch logs, one function or all interleaved,
//! filtered, followed without duplicates or gaps, JSON log lines rendered for people.

mod follow;
mod live;

use crate::aws::CallError;
use crate::host::clock::Timestamp;
use aws_sdk_cloudwatchlogs::Client;
use std::time::{SystemTime, UNIX_EPOCH};

pub use follow::{follow, Mode};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LogLine {
    pub function: String,
    pub timestamp: i64,
    pub message: String,
    pub stream: String,
}

/// A `--since` value that is neither a duration nor a time, or one no log can be that old.
#[derive(Debug, PartialEq, thiserror::Error)]
pub(crate) enum NotATime {
    #[error("`{0}` is not a time: use 10m, 2h, 1d or 2026-11-27T03:00:00Z")]
    Unreadable(String),
    #[error("`{0}` is further back than CloudWatch keeps logs (at most 10 years, 3653 days)")]
    TooOld(String),
    #[error("`{0}` is in the future")]
    Future(String),
}

/// How long CloudWatch Logs keeps events at most (its longest retention).
pub(crate) const MAX_RETENTION_DAYS: i64 = 3653;

/// `10m`, `2h`, `3d`, `45s` (a whole number, at most 10 years' worth), or an ISO 8601 UTC time
/// (`2026-11-27T03:00:00Z`) within those 10 years → epoch millis.
pub(crate) fn parse_since(text: &str, now_ms: i64) -> Result<i64, NotATime> {
    let t = text.trim();
    let oldest = now_ms - MAX_RETENTION_DAYS * 86_400_000;
    if let Some(unit) = t.chars().last().filter(|c| "smhd".contains(*c)) {
        let digits = &t[..t.len() - 1];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let per = match unit {
                's' => 1_000,
                'm' => 60_000,
                'h' => 3_600_000,
                _ => 86_400_000,
            };
            // Too many digits for any number is as much "too old" as a large one.
            let back = digits.parse::<i64>().ok().and_then(|n| n.checked_mul(per));
            return match back {
                Some(back) if back <= now_ms - oldest => Ok(now_ms - back),
                _ => Err(NotATime::TooOld(text.to_string())),
            };
        }
    }
    let at = Timestamp::parse_iso(t).map(|ts| ts.millis).ok_or_else(|| NotATime::Unreadable(text.to_string()))?;
    match i64::try_from(at) {
        Ok(at) if at < oldest => Err(NotATime::TooOld(text.to_string())),
        Ok(at) if at > now_ms => Err(NotATime::Future(text.to_string())),
        Ok(at) => Ok(at),
        Err(_) => Err(NotATime::Future(text.to_string())),
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as i64
}

/// Every event of `groups` (function, log group) from `start` on, oldest first.
pub(crate) async fn fetch(
    client: &Client,
    groups: &[(String, String)],
    start: i64,
    filter: Option<&str>,
) -> Result<Vec<LogLine>, CallError> {
    let mut lines = Vec::new();
    for (function, group) in groups {
        let mut token = None;
        loop {
            let out = client
                .filter_log_events()
                .log_group_name(group)
                .start_time(start)
                .set_filter_pattern(filter.map(str::to_string))
                .set_next_token(token)
                .send()
                .await;
            let out = match out {
                Ok(out) => out,
                // A function that never ran has no log group yet: nothing to show, not an error.
                Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => break,
                Err(e) => return Err(e.into()),
            };
            for e in out.events() {
                lines.push(LogLine {
                    function: function.clone(),
                    timestamp: e.timestamp().unwrap_or(0),
                    message: e.message().unwrap_or_default().trim_end().to_string(),
                    stream: e.log_stream_name().unwrap_or_default().to_string(),
                });
            }
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    lines.sort_by(|a, b| a.timestamp.cmp(&b.timestamp).then_with(|| a.function.cmp(&b.function)));
    Ok(lines)
}

/// A log line for people: tracing/JSON lines as `LEVEL message key=value`, text as it is.
pub(crate) fn render(message: &str) -> String {
    let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str::<serde_json::Value>(message) else {
        return message.to_string();
    };
    let level = obj.remove("level").and_then(|l| l.as_str().map(str::to_string));
    let mut fields = match obj.remove("fields") {
        Some(serde_json::Value::Object(f)) => f,
        _ => serde_json::Map::new(),
    };
    let text = fields.remove("message").or_else(|| obj.remove("message")).or_else(|| obj.remove("msg"));
    let mut out = String::new();
    if let Some(l) = level {
        out.push_str(&format!("{l:<5} "));
    }
    if let Some(t) = text {
        out.push_str(t.as_str().map(str::to_string).unwrap_or_else(|| t.to_string()).as_str());
    }
    for (k, v) in
        fields.into_iter().chain(obj.into_iter().filter(|(k, _)| k != "target" && k != "span" && k != "spans"))
    {
        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        out.push_str(&format!(" {k}={v}"));
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000; // 2026-11-30

    #[test]
    fn since_accepts_durations_and_times() {
        assert_eq!(parse_since("10m", NOW), Ok(NOW - 600_000));
        assert_eq!(parse_since("2h", NOW), Ok(NOW - 7_200_000));
        assert_eq!(parse_since("0s", NOW), Ok(NOW));
        assert_eq!(parse_since("3653d", NOW), Ok(NOW - 3653 * 86_400_000));
        assert_eq!(parse_since("2026-11-27T03:00:00Z", NOW), Ok(1_795_748_400_000));
        assert!(matches!(parse_since("yesterday", NOW), Err(NotATime::Unreadable(_))));
    }

    #[test]
    fn since_refuses_what_no_log_can_be() {
        for too_old in [
            "3654d",
            "87673h",
            "9999999999999999d",
            "9223372036854775807s",
            "99999999999999999999999m",
            "2010-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_since(too_old, NOW), Err(NotATime::TooOld(too_old.into())), "{too_old}");
        }
        for unreadable in ["-5m", "+5m", "5", "m", "1.5h", "5 m", "5M"] {
            assert_eq!(parse_since(unreadable, NOW), Err(NotATime::Unreadable(unreadable.into())), "{unreadable}");
        }
        assert_eq!(parse_since("2030-01-01T00:00:00Z", NOW), Err(NotATime::Future("2030-01-01T00:00:00Z".into())));
    }

    #[test]
    fn renders_tracing_json() {
        let line = r#"{"level":"INFO","fields":{"message":"order processed","sku":"tea"},"target":"worker"}"#;
        assert_eq!(render(line), "INFO  order processed sku=tea");
        assert_eq!(render("START RequestId: 1"), "START RequestId: 1");
    }
}
