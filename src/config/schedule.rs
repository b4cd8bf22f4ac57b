//! Config stage (schedules): EventBridge's `rate(…)` and `cron(…)` read once into a
//! `Schedule` — checked field by field as EventBridge checks it, so a schedule AWS would refuse
//! is a located error at validate time — kept as its text for the template and as the values
//! each field allows for `dev`, which fires it on this machine's clock.

use std::time::Duration;

/// A validated schedule expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    text: String,
    pub when: When,
}

#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Rate(Duration),
    Cron(Cron),
}

/// A cron expression, field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Cron {
    pub minutes: Field,
    pub hours: Field,
    pub day_of_month: Field,
    pub month: Field,
    /// 1 = Sunday … 7 = Saturday, as EventBridge counts.
    pub day_of_week: Field,
    pub year: Field,
}

/// What one cron field allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `*` or `?`: every value.
    Any,
    /// The values it names, sorted.
    Values(Vec<u32>),
    /// `L`, `W`, `LW`, `5L` or `2#3`: relative to the month, so EventBridge's own to evaluate.
    Relative(String),
}

/// Each cron field's name and range, as EventBridge documents them.
const CRON_FIELDS: [(&str, u32, u32); 6] = [
    ("minutes", 0, 59),
    ("hours", 0, 23),
    ("day-of-month", 1, 31),
    ("month", 1, 12),
    ("day-of-week", 1, 7),
    ("year", 1970, 2199),
];
const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Schedule {
    /// Reads `expr` as EventBridge would; `Err` is what to write instead.
    pub(crate) fn parse(expr: &str) -> Result<Schedule, String> {
        let when = if let Some(inner) = expr.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) {
            When::Rate(rate(inner)?)
        } else if let Some(inner) = expr.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) {
            When::Cron(cron(inner)?)
        } else {
            return Err("use `rate(1 day)` or `cron(0 12 * * ? *)`".into());
        };
        Ok(Schedule { text: expr.to_string(), when })
    }
}

impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

fn rate(inner: &str) -> Result<Duration, String> {
    let mut parts = inner.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err("write `rate(5 minutes)`, `rate(1 hour)` or `rate(2 days)`".into());
    };
    let n: u64 = n.parse().ok().filter(|n| *n > 0).ok_or("the rate must be a positive whole number")?;
    let base = unit.trim_end_matches('s');
    let seconds = match base {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        _ => return Err(format!("`{unit}` is not a unit: use minute(s), hour(s) or day(s)")),
    };
    let want = if n == 1 { base.to_string() } else { format!("{base}s") };
    if unit != want {
        return Err(format!("EventBridge wants `rate({n} {want})`"));
    }
    n.checked_mul(seconds).map(Duration::from_secs).ok_or_else(|| "the rate is too long".into())
}

fn cron(inner: &str) -> Result<Cron, String> {
    let fields: Vec<&str> = inner.split_whitespace().collect();
    let [minutes, hours, day_of_month, month, day_of_week, year] = fields.as_slice() else {
        return Err(format!(
            "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {}",
            fields.len()
        ));
    };
    if (*day_of_month == "?") == (*day_of_week == "?") {
        return Err(
            "exactly one of day-of-month (3rd field) and day-of-week (5th) must be `?`, e.g. `cron(0 12 * * ? *)`"
                .into(),
        );
    }
    Ok(Cron {
        minutes: field(0, minutes)?,
        hours: field(1, hours)?,
        day_of_month: field(2, day_of_month)?,
        month: field(3, month)?,
        day_of_week: field(4, day_of_week)?,
        year: field(5, year)?,
    })
}

/// One cron field: lists of `*`, values, ranges and steps within the field's range, plus the
/// `?`, `L`, `W` and `#` forms where EventBridge allows them.
fn field(i: usize, text: &str) -> Result<Field, String> {
    let (name, min, max) = CRON_FIELDS[i];
    let value = |s: &str| -> Option<u32> {
        let named = match i {
            3 => MONTHS.iter().position(|m| m.eq_ignore_ascii_case(s)),
            4 => DAYS.iter().position(|d| d.eq_ignore_ascii_case(s)),
            _ => None,
        };
        named.map(|n| n as u32 + 1).or_else(|| s.parse().ok()).filter(|v| (min..=max).contains(v))
    };
    let bad = |item: &str| format!("cron {name} (field {}): `{item}` is not within {min}–{max}", i + 1);
    if text == "*" || (text == "?" && (i == 2 || i == 4)) {
        return Ok(Field::Any);
    }
    let mut values = Vec::new();
    let mut relative = false;
    for item in text.split(',') {
        let special = match item {
            "L" | "LW" if i == 2 => true,
            "L" if i == 4 => true,
            _ if i == 2 && item.ends_with('W') => value(&item[..item.len() - 1]).is_some(),
            _ if i == 4 && item.ends_with('L') => value(&item[..item.len() - 1]).is_some(),
            _ if i == 4 && item.contains('#') => item
                .split_once('#')
                .is_some_and(|(d, n)| value(d).is_some() && n.parse::<u32>().is_ok_and(|n| (1..=5).contains(&n))),
            _ => false,
        };
        if special {
            relative = true;
            continue;
        }
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s.parse::<u32>().ok().filter(|s| *s > 0 && *s <= max).ok_or_else(|| bad(item))?)),
            None => (item, None),
        };
        let (from, to) = match range.split_once('-') {
            _ if range == "*" => (min, max),
            Some((a, b)) => (value(a).ok_or_else(|| bad(item))?, value(b).ok_or_else(|| bad(item))?),
            // `5/15`: from 5 to the end of the range, every 15.
            None if step.is_some() => (value(range).ok_or_else(|| bad(item))?, max),
            None => {
                let v = value(range).ok_or_else(|| bad(item))?;
                (v, v)
            }
        };
        values.extend((from..=to).step_by(step.unwrap_or(1) as usize));
    }
    if relative {
        return Ok(Field::Relative(text.to_string()));
    }
    values.sort_unstable();
    values.dedup();
    Ok(Field::Values(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expr: &str) -> Result<Schedule, String> {
        Schedule::parse(expr)
    }

    #[test]
    fn schedules_are_checked_as_eventbridge_checks_them() {
        assert!(check("rate(1 day)").is_ok());
        assert!(check("rate(5 minutes)").is_ok());
        assert!(check("rate(1 days)").unwrap_err().contains("rate(1 day)"));
        assert!(check("cron(0 12 * * ? *)").is_ok());
        assert!(check("cron(0 12 * * *)").is_err());
        assert!(check("cron(0 12 * * MON *)").is_err());
        assert!(check("every day").is_err());
        for ok in [
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(0 18 L * ? *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(30 2 15W JAN,JUL ? 2030)",
        ] {
            assert!(check(ok).is_ok(), "{ok}: {:?}", check(ok));
        }
        assert_eq!(check("cron(0 25 * * ? *)").unwrap_err(), "cron hours (field 2): `25` is not within 0–23");
        assert!(check("cron(60 1 * * ? *)").unwrap_err().contains("minutes"));
        assert!(check("cron(0 1 32 * ? *)").unwrap_err().contains("day-of-month"));
        assert!(check("cron(0 1 ? 13 MON *)").unwrap_err().contains("month"));
        assert!(check("cron(0 1 ? * FUNDAY *)").unwrap_err().contains("day-of-week"));
        assert!(check("cron(0 1 * * ? 1969)").unwrap_err().contains("year"));
        assert!(check("cron(0/0 1 * * ? *)").is_err());
        assert!(check("rate(0 minutes)").unwrap_err().contains("positive"));
        assert!(check("rate(99999999999999999 days)").is_err());
    }

    #[test]
    fn a_schedule_keeps_its_text_and_the_values_each_field_allows() {
        let s = check("cron(0/15 8-10 ? * MON-FRI *)").unwrap();
        assert_eq!(s.to_string(), "cron(0/15 8-10 ? * MON-FRI *)");
        let When::Cron(c) = s.when else { panic!("a cron") };
        assert_eq!(c.minutes, Field::Values(vec![0, 15, 30, 45]));
        assert_eq!(c.hours, Field::Values(vec![8, 9, 10]));
        assert_eq!((c.day_of_month, c.month), (Field::Any, Field::Any));
        assert_eq!(c.day_of_week, Field::Values(vec![2, 3, 4, 5, 6]));
        assert_eq!(check("rate( 2  hours )").unwrap().when, When::Rate(Duration::from_secs(7200)));
        let When::Cron(c) = check("cron(0 18 L * ? *)").unwrap().when else { panic!() };
        assert_eq!(c.day_of_month, Field::Relative("L".into()));
    }
}
