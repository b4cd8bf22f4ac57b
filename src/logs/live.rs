//! CloudWatch Logs Live Tail: opens streaming sessions over the stage's log groups and turns
//! their events into log lines on one channel, whatever the number of sessions.

use super::LogLine;
use crate::aws::CallError;
use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream as Stream;
use aws_sdk_cloudwatchlogs::Client;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;

/// The service takes at most this many log groups in one session.
const GROUPS_PER_SESSION: usize = 10;

/// An endpoint that never answers must not keep the user from their logs for long.
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub(super) enum Live {
    Line(LogLine),
    /// The service is sending a sample: more lines matched than it streams.
    Sampled,
    Ended(String),
}

/// Starts sessions over every group (function, log group) and returns once each has
/// started, so that whatever is logged from then on reaches the channel.
pub(super) async fn open(
    client: &Client,
    groups: &[(String, String)],
    filter: Option<&str>,
) -> Result<mpsc::Receiver<Live>, CallError> {
    tokio::time::timeout(OPEN_TIMEOUT, open_sessions(client, groups, filter))
        .await
        .unwrap_or_else(|_| Err(CallError::other("the endpoint did not start a session in time")))
}

async fn open_sessions(
    client: &Client,
    groups: &[(String, String)],
    filter: Option<&str>,
) -> Result<mpsc::Receiver<Live>, CallError> {
    let arns = group_arns(client, groups).await?;
    let function_of: HashMap<String, String> = groups.iter().map(|(f, g)| (g.clone(), f.clone())).collect();
    let (tx, rx) = mpsc::channel(256);
    for chunk in arns.chunks(GROUPS_PER_SESSION) {
        let out = client
            .start_live_tail()
            .set_log_group_identifiers(Some(chunk.to_vec()))
            .set_log_event_filter_pattern(filter.map(str::to_string))
            .send()
            .await?;
        let mut stream = out.response_stream;
        match stream.recv().await {
            Ok(Some(Stream::SessionStart(_))) => {}
            Ok(Some(other)) => {
                return Err(CallError::other(format!("the session began with {other:?} instead of its start")))
            }
            Ok(None) => return Err(CallError::other("the session closed as it opened")),
            Err(e) => return Err(e.into()),
        }
        let (tx, function_of) = (tx.clone(), function_of.clone());
        tokio::spawn(async move {
            let end = loop {
                match stream.recv().await {
                    Ok(Some(Stream::SessionUpdate(update))) => {
                        if update.session_metadata().is_some_and(|m| m.sampled())
                            && tx.send(Live::Sampled).await.is_err()
                        {
                            return;
                        }
                        for e in update.session_results() {
                            let group = group_name(e.log_group_identifier().unwrap_or_default());
                            let line = LogLine {
                                function: function_of.get(group).cloned().unwrap_or_else(|| group.to_string()),
                                timestamp: e.timestamp().unwrap_or(0),
                                message: e.message().unwrap_or_default().trim_end().to_string(),
                                stream: e.log_stream_name().unwrap_or_default().to_string(),
                            };
                            if tx.send(Live::Line(line)).await.is_err() {
                                return;
                            }
                        }
                    }
                    Ok(Some(_)) => {}
                    Ok(None) => break "the service closed the session".to_string(),
                    Err(e) => break CallError::from(e).to_string(),
                }
            };
            let _ = tx.send(Live::Ended(end)).await;
        });
    }
    Ok(rx)
}

/// Live Tail names log groups by ARN only. Listing them also tells which exist: a session
/// over a group that does not exist (a function that never ran) fails as a whole.
async fn group_arns(client: &Client, groups: &[(String, String)]) -> Result<Vec<String>, CallError> {
    let prefix = common_prefix(groups.iter().map(|(_, g)| g.as_str()));
    let mut found: HashMap<String, String> = HashMap::new();
    let mut token = None;
    loop {
        let out = client.describe_log_groups().log_group_name_prefix(prefix).set_next_token(token).send().await?;
        for g in out.log_groups() {
            let arn =
                g.log_group_arn().map(str::to_string).or_else(|| g.arn().map(|a| a.trim_end_matches(":*").into()));
            if let (Some(name), Some(arn)) = (g.log_group_name(), arn) {
                found.insert(name.to_string(), arn);
            }
        }
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    groups
        .iter()
        .map(|(_, g)| found.remove(g).ok_or_else(|| CallError::other(format!("log group {g} does not exist yet"))))
        .collect()
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> &'a str {
    let first = names.next().unwrap_or_default();
    names.fold(first, |p, n| {
        let len = p.char_indices().zip(n.chars()).take_while(|((_, a), b)| a == b).count();
        &p[..p.char_indices().nth(len).map_or(p.len(), |(i, _)| i)]
    })
}

/// `arn:aws:logs:eu-west-1:123:log-group:/aws/lambda/x` (or the bare name) → `/aws/lambda/x`.
fn group_name(identifier: &str) -> &str {
    let name = identifier.split_once(":log-group:").map_or(identifier, |(_, n)| n);
    name.strip_suffix(":*").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        assert_eq!(group_name("arn:aws:logs:eu-west-1:123:log-group:/aws/lambda/x"), "/aws/lambda/x");
        assert_eq!(group_name("arn:aws:logs:eu-west-1:123:log-group:/aws/lambda/x:*"), "/aws/lambda/x");
        assert_eq!(group_name("/aws/lambda/x"), "/aws/lambda/x");
        let names = ["/aws/lambda/shop-dev-api", "/aws/lambda/shop-dev-worker"];
        assert_eq!(common_prefix(names.into_iter()), "/aws/lambda/shop-dev-");
        assert_eq!(common_prefix(["/aws/lambda/a"].into_iter()), "/aws/lambda/a");
    }
}
