//! Times as exports need them: `--since` parsing, days and timestamps for Arrow, GDELT's
//! `YYYYMMDDHHMMSS`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::{ExportError, Result};

/// Parses `--since`: RFC 3339 (`2026-12-03T10:00:00Z`) or a day (`2026-12-03`, midnight UTC),
/// into seconds since the Unix epoch.
///
/// ```
/// use newsloom_export::time::parse_since;
/// assert_eq!(parse_since("1970-01-02").unwrap(), 86_400);
/// assert_eq!(parse_since("1970-01-01T01:00:00+01:00").unwrap(), 0);
/// assert!(parse_since("yesterday").is_err());
/// ```
pub fn parse_since(s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc().timestamp());
    }
    Err(ExportError(format!("--since {s:?}: expected RFC 3339 (2026-12-03T10:00:00Z) or YYYY-MM-DD")))
}

/// Days since 1970-01-01 of the `YYYY-MM-DD` at the start of `s` (Arrow's Date32).
pub fn date32(s: &str) -> Option<i32> {
    let d = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    Some(d.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1)?).num_days() as i32)
}

/// Seconds since the epoch of an ISO 8601 date-time with at least minutes (`2017-01-04T12:24`,
/// `…:05+03:00`, `…Z`); a time without an offset is taken as UTC.
pub fn timestamp_secs(iso: &str) -> Option<i64> {
    let iso = iso.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(iso) {
        return Some(t.timestamp());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M:%S%z"] {
        if let Ok(t) = DateTime::parse_from_str(iso, fmt) {
            return Some(t.timestamp());
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(iso, fmt) {
            return Some(t.and_utc().timestamp());
        }
    }
    None
}

/// `YYYYMMDDHHMMSS` in UTC, as GDELT writes DATEADDED and its file names.
pub fn gdelt_stamp(unix_secs: i64) -> String {
    Utc.timestamp_opt(unix_secs, 0).single().unwrap_or_default().format("%Y%m%d%H%M%S").to_string()
}

/// RFC 3339 in UTC.
pub fn rfc3339(unix_secs: i64) -> String {
    Utc.timestamp_opt(unix_secs, 0).single().unwrap_or_default().to_rfc3339()
}

/// Seconds since the Unix epoch now.
pub fn now_secs() -> i64 {
    Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(date32("1970-01-11"), Some(10));
        assert_eq!(date32("2017-01"), None);
        assert_eq!(timestamp_secs("1970-01-01T00:01"), Some(60));
        assert_eq!(timestamp_secs("1970-01-01T03:00:00+03:00"), Some(0));
        assert_eq!(timestamp_secs("1970-01-01"), None);
        assert_eq!(gdelt_stamp(86_400 + 3661), "19700102010101");
    }
}
