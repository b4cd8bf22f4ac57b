//! Local runtime: schedules — `rate(...)` and `cron(...)` fired on this machine's clock, in UTC
//! as EventBridge evaluates them, with the event EventBridge sends (or the configured `input`);
//! and `fire`, which runs a function's schedule now.

use super::{error_of, Cause, Ctx, Delivery};
use crate::clock::Timestamp;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    Rate(Duration),
    Cron(Cron),
}

/// A cron expression's allowed values per field; `None` is `*` or `?`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cron {
    minutes: Vec<u32>,
    hours: Vec<u32>,
    days: Option<Vec<u32>>,
    months: Vec<u32>,
    /// 1 = Sunday … 7 = Saturday, as EventBridge counts.
    weekdays: Option<Vec<u32>>,
    years: Option<Vec<u32>>,
}

/// Parses an expression the config has validated; `Err` says what local runs cannot follow
/// (`L`, `W` and `#` in cron fields), in which case the schedule fires only on demand.
pub fn parse(expression: &str) -> Result<Schedule, String> {
    if let Some(inner) = expression.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) {
        let mut words = inner.split_whitespace();
        let (n, unit) = words.next().zip(words.next()).ok_or("no unit")?;
        let n: u64 = n.parse().map_err(|_| "not a number")?;
        let secs = match unit.trim_end_matches('s') {
            "minute" => 60,
            "hour" => 3600,
            "day" => 86_400,
            other => return Err(format!("unknown unit `{other}`")),
        };
        return Ok(Schedule::Rate(Duration::from_secs(n * secs)));
    }
    let inner = expression.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')).ok_or("neither rate nor cron")?;
    let f: Vec<&str> = inner.split_whitespace().collect();
    let [mi, h, dom, mo, dow, y] = f.as_slice() else { return Err("cron wants six fields".into()) };
    const MONTHS: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let any = |s: &str| s == "*" || s == "?";
    Ok(Schedule::Cron(Cron {
        minutes: field(mi, 0, 59, &[])?.unwrap_or_else(|| (0..60).collect()),
        hours: field(h, 0, 23, &[])?.unwrap_or_else(|| (0..24).collect()),
        days: if any(dom) { None } else { field(dom, 1, 31, &[])? },
        months: field(mo, 1, 12, MONTHS)?.unwrap_or_else(|| (1..13).collect()),
        weekdays: if any(dow) { None } else { field(dow, 1, 7, DAYS)? },
        years: if any(y) { None } else { field(y, 1970, 2199, &[])? },
    }))
}

/// One cron field: `*`, `?`, numbers or names, `a-b` ranges, `/step`s and `,` lists.
fn field(text: &str, lo: u32, hi: u32, names: &[&str]) -> Result<Option<Vec<u32>>, String> {
    if text == "*" || text == "?" {
        return Ok(None);
    }
    let value = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(lo + i as u32);
        }
        s.parse().map_err(|_| format!("`{s}` is not supported locally"))
    };
    let mut out = Vec::new();
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().map_err(|_| format!("bad step in `{part}`"))?.max(1)),
            None => (part, 1),
        };
        let (a, b) = match range.split_once('-') {
            _ if range == "*" => (lo, hi),
            Some((a, b)) => (value(a)?, value(b)?),
            None if part.contains('/') => (value(range)?, hi),
            None => (value(range)?, value(range)?),
        };
        out.extend((a.max(lo)..=b.min(hi)).step_by(step as usize));
    }
    out.sort_unstable();
    Ok(Some(out))
}

impl Cron {
    /// The first minute strictly after `now` the expression names, within five years.
    pub fn next_after(&self, now: Timestamp) -> Option<Timestamp> {
        let start_min = (now.millis / 60_000) as i64 + 1;
        let (first_day, first_minute) = (start_min.div_euclid(1440), start_min.rem_euclid(1440) as u32);
        for day in first_day..first_day + 5 * 366 {
            let (y, mo, d, ..) = Timestamp { millis: (day as u128) * 86_400_000 }.parts();
            let weekday = ((day + 4).rem_euclid(7) + 1) as u32; // 1970-01-01 was a Thursday
            let ok = |set: &Option<Vec<u32>>, v: u32| set.as_ref().is_none_or(|s| s.contains(&v));
            if !self.months.contains(&mo)
                || !ok(&self.days, d)
                || !ok(&self.weekdays, weekday)
                || !ok(&self.years, y as u32)
            {
                continue;
            }
            let floor = if day == first_day { first_minute } else { 0 };
            for &h in &self.hours {
                for &m in &self.minutes {
                    if h * 60 + m >= floor {
                        let minute = day * 1440 + i64::from(h * 60 + m);
                        return Some(Timestamp { millis: minute as u128 * 60_000 });
                    }
                }
            }
        }
        None
    }
}

/// Fires a function's schedule on time until `dev` stops; a disabled one only on demand.
pub(super) async fn run(ctx: &Ctx, function: &str, expression: &str, enabled: bool, input: Option<&serde_json::Value>) {
    let schedule = match parse(expression) {
        Ok(s) if enabled => s,
        Ok(_) => return,
        Err(reason) => {
            let what = format!("schedule `{expression}`");
            let why = format!("{reason}; it runs only on demand (POST /__sls/schedule/{function})");
            return ctx.trouble(function, &what, Some(why), &mut false);
        }
    };
    loop {
        let wait = match &schedule {
            Schedule::Rate(every) => *every,
            Schedule::Cron(cron) => {
                let now = Timestamp::now();
                let Some(next) = cron.next_after(now) else { return };
                Duration::from_millis((next.millis - now.millis) as u64)
            }
        };
        tokio::time::sleep(wait).await;
        // `fire` reports the outcome; nothing here waits for the answer.
        let _ = fire(ctx, function, expression, input, false).await;
    }
}

/// Runs `function` with its schedule's event now; returns the handler's answer.
pub async fn fire(
    ctx: &Ctx,
    function: &str,
    expression: &str,
    input: Option<&serde_json::Value>,
    manual: bool,
) -> Result<Vec<u8>, serde_json::Value> {
    let event = input.cloned().unwrap_or_else(|| {
        serde_json::json!({
            "version": "0", "id": super::super::instance::request_id(), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": ctx.account, "time": Timestamp::now().iso(), "region": ctx.region,
            "resources": [format!("arn:aws:events:{}:{}:rule/{function}-schedule", ctx.region, ctx.account)],
            "detail": {}
        })
    });
    let answer = ctx.invoke(function, &event, &[]).await;
    let delivery = match &answer.result {
        Ok(_) => Delivery::Ok,
        Err(doc) => {
            let (error_type, message) = error_of(doc);
            Delivery::Error { error_type, message, dead_lettered: 0, retry: false }
        }
    };
    ctx.triggered(function, Cause::Schedule { expression: expression.into(), manual }, &answer, delivery);
    answer.result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(iso: &str) -> Timestamp {
        Timestamp::parse_iso(iso).unwrap()
    }

    fn next(expr: &str, after: &str) -> String {
        let Schedule::Cron(c) = parse(expr).unwrap() else { panic!("not cron") };
        c.next_after(at(after)).unwrap().iso()
    }

    #[test]
    fn rates_are_durations() {
        assert_eq!(parse("rate(1 day)").unwrap(), Schedule::Rate(Duration::from_secs(86_400)));
        assert_eq!(parse("rate(5 minutes)").unwrap(), Schedule::Rate(Duration::from_secs(300)));
        // The config accepts any spacing; so must the local runner.
        assert_eq!(parse("rate( 2  hours )").unwrap(), Schedule::Rate(Duration::from_secs(7200)));
    }

    #[test]
    fn cron_finds_the_next_minute_in_utc() {
        assert_eq!(next("cron(0 12 * * ? *)", "2026-11-27T11:59:30Z"), "2026-11-27T12:00:00Z");
        assert_eq!(next("cron(0 12 * * ? *)", "2026-11-27T12:00:00Z"), "2026-11-28T12:00:00Z");
        assert_eq!(next("cron(*/15 * * * ? *)", "2026-11-27T10:07:00Z"), "2026-11-27T10:15:00Z");
        // 2026-11-27 is a Friday; the next Monday 09:30 is the 30th.
        assert_eq!(next("cron(30 9 ? * MON *)", "2026-11-27T10:00:00Z"), "2026-11-30T09:30:00Z");
        assert_eq!(next("cron(0 0 1 JAN ? 2028)", "2026-11-27T10:00:00Z"), "2028-01-01T00:00:00Z");
        assert_eq!(next("cron(0 8 ? * 2-6 *)", "2026-11-28T10:00:00Z"), "2026-11-30T08:00:00Z");
    }

    #[test]
    fn what_local_runs_cannot_follow_is_said() {
        assert!(parse("cron(0 12 L * ? *)").unwrap_err().contains("`L`"));
        assert!(parse("cron(0 12 ? * 6#3 *)").is_err());
    }
}
