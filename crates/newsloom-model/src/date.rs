use serde::{Deserialize, Serialize};

/// How much of a published date is actually known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
    /// Day known, year inferred (from a weekday or the ingest date) rather than stated.
    DayInferredYear,
    Minute,
    Second,
}

/// A publication date as far as it is known, in ISO 8601 (`2017-01-04`, `2017-01-04T12:24:00+03:00`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedDate {
    pub iso: String,
    pub precision: DatePrecision,
    /// Where the value was found (`jsonld`, `meta`, `text`, `input`, `url`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl PublishedDate {
    /// The `YYYY-MM-DD` day of the date, if it has one.
    pub fn day(&self) -> Option<&str> {
        (self.iso.len() >= 10 && self.precision >= DatePrecision::Day).then(|| &self.iso[..10])
    }

    /// Parses a leading `YYYY`, `YYYY-MM` or `YYYY-MM-DD[THH:MM[:SS]...]` into a date with the
    /// precision it states. Returns `None` for anything else.
    ///
    /// ```
    /// use newsloom_model::{PublishedDate, DatePrecision};
    /// let d = PublishedDate::parse_iso("2016-12-27", "input").unwrap();
    /// assert_eq!(d.precision, DatePrecision::Day);
    /// assert!(PublishedDate::parse_iso("27/12/2016", "input").is_none());
    /// ```
    pub fn parse_iso(s: &str, source: &str) -> Option<Self> {
        let s = s.trim();
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.len() >= r.end && b[r].iter().all(u8::is_ascii_digit);
        if !digits(0..4) {
            return None;
        }
        let month_ok = |m: &[u8]| matches!((m[0] - b'0') * 10 + (m[1] - b'0'), 1..=12);
        let day_ok = |d: &[u8]| matches!((d[0] - b'0') * 10 + (d[1] - b'0'), 1..=31);
        let precision = if b.len() == 4 {
            DatePrecision::Year
        } else if b.get(4) == Some(&b'-') && digits(5..7) && month_ok(&b[5..7]) {
            if b.len() == 7 {
                DatePrecision::Month
            } else if b.get(7) == Some(&b'-') && digits(8..10) && day_ok(&b[8..10]) {
                if b.len() == 10 {
                    DatePrecision::Day
                } else if matches!(b.get(10), Some(b'T' | b' ')) && digits(11..13) && digits(14..16) {
                    if digits(17..19) { DatePrecision::Second } else { DatePrecision::Minute }
                } else {
                    DatePrecision::Day
                }
            } else {
                return None;
            }
        } else {
            return None;
        };
        let iso = if precision == DatePrecision::Day { s[..10].to_string() } else { s.to_string() };
        Some(Self { iso, precision, source: Some(source.to_string()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        let p = |s| PublishedDate::parse_iso(s, "t").map(|d| d.precision);
        assert_eq!(p("2017"), Some(DatePrecision::Year));
        assert_eq!(p("2017-01"), Some(DatePrecision::Month));
        assert_eq!(p("2017-01-04"), Some(DatePrecision::Day));
        assert_eq!(p("2017-01-04T12:24"), Some(DatePrecision::Minute));
        assert_eq!(p("2017-01-04T12:24:05+03:00"), Some(DatePrecision::Second));
        assert_eq!(p("2017-13-04"), None);
        assert_eq!(p("Jan 4"), None);
        assert_eq!(p(""), None);
    }

    #[test]
    fn day_is_only_given_when_known() {
        let d = PublishedDate::parse_iso("2017-01", "t").unwrap();
        assert_eq!(d.day(), None);
        let d = PublishedDate::parse_iso("2017-01-04T10:00:00Z", "t").unwrap();
        assert_eq!(d.day(), Some("2017-01-04"));
    }
}
