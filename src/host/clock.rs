//! This machine — the clock: UTC calendar arithmetic in one place, without a date-time
//! dependency: the timestamps AWS puts in events (ISO 8601, API Gateway's
//! `27/Nov/2026:03:00:00 +0000`) for `local`, and ISO 8601 read back for `logs --since`.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    pub millis: u128,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp { millis: SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() }
    }

    pub(crate) fn millis(&self) -> u128 {
        self.millis
    }

    /// `2026-11-27T03:00:00Z` (or a date alone, or with fractional seconds), as UTC.
    pub(crate) fn parse_iso(text: &str) -> Option<Timestamp> {
        let t = text.strip_suffix('Z').unwrap_or(text);
        let (date, time) = t.split_once('T').unwrap_or((t, "00:00:00"));
        let d: Vec<i64> = date.split('-').map(|p| p.parse().ok()).collect::<Option<_>>()?;
        let tm: Vec<i64> =
            time.split(':').map(|p| p.split('.').next().unwrap_or("0").parse().ok()).collect::<Option<_>>()?;
        let (&[y, m, day], [h, mi, rest @ ..]) = (d.as_slice(), tm.as_slice()) else { return None };
        let s = rest.first().copied().unwrap_or(0);
        // Howard Hinnant's days_from_civil, the inverse of `parts`.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        let millis = ((days * 86_400) + h * 3600 + mi * 60 + s) * 1000;
        u128::try_from(millis).ok().map(|millis| Timestamp { millis })
    }

    /// (year, month 1–12, day, hour, minute, second) in UTC.
    pub(crate) fn parts(&self) -> (i64, u32, u32, u32, u32, u32) {
        let secs = (self.millis / 1000) as i64;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
    }

    pub(crate) fn iso(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    pub(crate) fn apigw(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{d:02}/{}/{y:04}:{h:02}:{mi:02}:{s:02} +0000", MONTHS[(mo - 1) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let t = Timestamp { millis: 1_795_748_400_000 }; // 2026-11-27T03:00:00Z
        assert_eq!(t.iso(), "2026-11-27T03:00:00Z");
        assert_eq!(t.apigw(), "27/Nov/2026:03:00:00 +0000");
        assert_eq!(Timestamp { millis: 951_782_400_000 }.iso(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp { millis: 0 }.iso(), "1970-01-01T00:00:00Z");
        for t in [t, Timestamp { millis: 951_782_400_000 }, Timestamp { millis: 0 }] {
            assert_eq!(Timestamp::parse_iso(&t.iso()).map(|p| p.millis), Some(t.millis), "{}", t.iso());
        }
        assert_eq!(Timestamp::parse_iso("2026-11-27").map(|p| p.millis), Some(1_795_737_600_000));
        assert!(Timestamp::parse_iso("yesterday").is_none());
    }
}
