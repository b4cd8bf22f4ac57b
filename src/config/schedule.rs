//! Config stage, step 2 (schedules): EventBridge's `rate(…)` and `cron(…)` grammar with each
//! field's range, so a schedule AWS would refuse is a located error at validate time.

/// EventBridge's `rate(...)` and `cron(...)` grammar, checked before CloudFormation rejects it.
pub fn check_schedule(expr: &str) -> Result<(), String> {
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|s| s.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err("write `rate(5 minutes)`, `rate(1 hour)` or `rate(2 days)`".into());
        };
        let n: u64 = n.parse().ok().filter(|n| *n > 0).ok_or("the rate must be a positive whole number")?;
        let base = unit.trim_end_matches('s');
        if !["minute", "hour", "day"].contains(&base) {
            return Err(format!("`{unit}` is not a unit: use minute(s), hour(s) or day(s)"));
        }
        let want = if n == 1 { base.to_string() } else { format!("{base}s") };
        if unit != want {
            return Err(format!("EventBridge wants `rate({n} {want})`"));
        }
        return Ok(());
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|s| s.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found {}",
                fields.len()
            ));
        }
        if (fields[2] == "?") == (fields[4] == "?") {
            return Err(
                "exactly one of day-of-month (3rd field) and day-of-week (5th) must be `?`, e.g. `cron(0 12 * * ? *)`"
                    .into(),
            );
        }
        for (i, field) in fields.iter().enumerate() {
            check_cron_field(i, field)?;
        }
        return Ok(());
    }
    Err("use `rate(1 day)` or `cron(0 12 * * ? *)`".into())
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

/// One cron field: lists of `*`, values, ranges and steps within the field's range, plus the
/// `?`, `L`, `W` and `#` forms where EventBridge allows them.
fn check_cron_field(i: usize, field: &str) -> Result<(), String> {
    let (name, min, max) = CRON_FIELDS[i];
    let value = |s: &str| -> Option<u32> {
        let named = match i {
            3 => MONTHS.iter().position(|m| m.eq_ignore_ascii_case(s)),
            4 => DAYS.iter().position(|d| d.eq_ignore_ascii_case(s)),
            _ => None,
        };
        named.map(|n| n as u32 + 1).or_else(|| s.parse().ok())
    };
    let bad = |item: &str| format!("cron {name} (field {}): `{item}` is not within {min}–{max}", i + 1);
    let in_range = |s: &str| value(s).is_some_and(|v| (min..=max).contains(&v));
    for item in field.split(',') {
        let ok = match item {
            "*" => true,
            "?" => i == 2 || i == 4,
            "L" | "LW" if i == 2 => true,
            "L" if i == 4 => true,
            _ if i == 2 && item.ends_with('W') => in_range(&item[..item.len() - 1]),
            _ if i == 4 && item.ends_with('L') => in_range(&item[..item.len() - 1]),
            _ if i == 4 && item.contains('#') => item
                .split_once('#')
                .is_some_and(|(d, n)| in_range(d) && n.parse::<u32>().is_ok_and(|n| (1..=5).contains(&n))),
            _ => {
                let (range, step) = match item.split_once('/') {
                    Some((r, s)) => (r, Some(s)),
                    None => (item, None),
                };
                let step_ok = step.is_none_or(|s| s.parse::<u32>().is_ok_and(|s| s > 0 && s <= max));
                let range_ok = range == "*"
                    || match range.split_once('-') {
                        Some((a, b)) => in_range(a) && in_range(b),
                        None => in_range(range),
                    };
                step_ok && range_ok
            }
        };
        if !ok {
            return Err(bad(item));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        assert!(check_schedule("rate(1 day)").is_ok());
        assert!(check_schedule("rate(5 minutes)").is_ok());
        assert!(check_schedule("rate(1 days)").unwrap_err().contains("rate(1 day)"));
        assert!(check_schedule("cron(0 12 * * ? *)").is_ok());
        assert!(check_schedule("cron(0 12 * * *)").is_err());
        assert!(check_schedule("cron(0 12 * * MON *)").is_err());
        assert!(check_schedule("every day").is_err());
        for ok in [
            "cron(0/15 8-17 ? * MON-FRI *)",
            "cron(0 18 L * ? *)",
            "cron(0 9 ? * 2#1 *)",
            "cron(30 2 15W JAN,JUL ? 2030)",
        ] {
            assert!(check_schedule(ok).is_ok(), "{ok}: {:?}", check_schedule(ok));
        }
        assert_eq!(check_schedule("cron(0 25 * * ? *)").unwrap_err(), "cron hours (field 2): `25` is not within 0–23");
        assert!(check_schedule("cron(60 1 * * ? *)").unwrap_err().contains("minutes"));
        assert!(check_schedule("cron(0 1 32 * ? *)").unwrap_err().contains("day-of-month"));
        assert!(check_schedule("cron(0 1 ? 13 MON *)").unwrap_err().contains("month"));
        assert!(check_schedule("cron(0 1 ? * FUNDAY *)").unwrap_err().contains("day-of-week"));
        assert!(check_schedule("cron(0 1 * * ? 1969)").unwrap_err().contains("year"));
        assert!(check_schedule("cron(0/0 1 * * ? *)").is_err());
        assert!(check_schedule("rate(0 minutes)").unwrap_err().contains("positive"));
    }
}
