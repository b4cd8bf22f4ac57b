//! Local runtime: schedules — `rate(...)` and `cron(...)` fired on this machine's clock, in UTC
//! as EventBridge evaluates them, with the event EventBridge sends (or the configured `input`);
//! and `fire`, which runs a function's schedule now.

use super::{error_of, Cause, Ctx, Delivery};
use crate::config::schedule::{Field, Schedule, When};
use crate::host::clock::Timestamp;
use std::time::Duration;

/// A cron expression as this machine can follow it: the values each field allows (`None`:
/// every one). Fields relative to the month (`L`, `W`, `#`) EventBridge evaluates only.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cron {
    minutes: Vec<u32>,
    hours: Vec<u32>,
    days: Option<Vec<u32>>,
    months: Vec<u32>,
    /// 1 = Sunday … 7 = Saturday, as EventBridge counts.
    weekdays: Option<Vec<u32>>,
    years: Option<Vec<u32>>,
}

/// When a schedule fires here: every so long, or on a cron's minutes.
#[derive(Debug, Clone, PartialEq)]
enum Timer {
    Every(Duration),
    Cron(Cron),
}

/// The timer for a validated schedule; `Err` says what local runs cannot follow (`L`, `W` and
/// `#` in cron fields), in which case the schedule fires only on demand.
fn timer(schedule: &Schedule) -> Result<Timer, String> {
    let c = match &schedule.when {
        When::Rate(every) => return Ok(Timer::Every(*every)),
        When::Cron(c) => c,
    };
    let values = |f: &Field| -> Result<Option<Vec<u32>>, String> {
        match f {
            Field::Any => Ok(None),
            Field::Values(v) => Ok(Some(v.clone())),
            Field::Relative(text) => Err(format!("`{text}` is not supported locally")),
        }
    };
    let every = |f: &Field, all: std::ops::RangeInclusive<u32>| -> Result<Vec<u32>, String> {
        Ok(values(f)?.unwrap_or_else(|| all.collect()))
    };
    Ok(Timer::Cron(Cron {
        minutes: every(&c.minutes, 0..=59)?,
        hours: every(&c.hours, 0..=23)?,
        days: values(&c.day_of_month)?,
        months: every(&c.month, 1..=12)?,
        weekdays: values(&c.day_of_week)?,
        years: values(&c.year)?,
    }))
}

impl Cron {
    /// The first minute strictly after `now` the expression names, within five years.
    pub(crate) fn next_after(&self, now: Timestamp) -> Option<Timestamp> {
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
pub(crate) async fn run(
    ctx: &Ctx,
    function: &str,
    expression: &Schedule,
    enabled: bool,
    input: Option<&serde_json::Value>,
) {
    let schedule = match timer(expression) {
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
            Timer::Every(every) => *every,
            Timer::Cron(cron) => {
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
pub(crate) async fn fire(
    ctx: &Ctx,
    function: &str,
    expression: &Schedule,
    input: Option<&serde_json::Value>,
    manual: bool,
) -> Result<Vec<u8>, serde_json::Value> {
    let event = input.cloned().unwrap_or_else(|| {
        serde_json::json!({
            "version": "0", "id": crate::local::runtime::instance::request_id(), "detail-type": "Scheduled Event",
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
    ctx.triggered(function, Cause::Schedule { expression: expression.to_string(), manual }, &answer, delivery);
    answer.result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(iso: &str) -> Timestamp {
        Timestamp::parse_iso(iso).unwrap()
    }

    fn parse(expr: &str) -> Result<Timer, String> {
        timer(&Schedule::parse(expr).expect("a valid schedule"))
    }

    fn next(expr: &str, after: &str) -> String {
        let Timer::Cron(c) = parse(expr).unwrap() else { panic!("not cron") };
        c.next_after(at(after)).unwrap().iso()
    }

    #[test]
    fn rates_are_durations() {
        assert_eq!(parse("rate(1 day)").unwrap(), Timer::Every(Duration::from_secs(86_400)));
        assert_eq!(parse("rate(5 minutes)").unwrap(), Timer::Every(Duration::from_secs(300)));
        assert_eq!(parse("rate( 2  hours )").unwrap(), Timer::Every(Duration::from_secs(7200)));
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
