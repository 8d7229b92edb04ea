//! Dates as news pages write them: ISO stamps, `Jan 4, 2017 — 12:24`, `27. Dezember 2016`,
//! `27.12.2016`, URL paths, and day-month pairs whose year must be inferred.

use std::sync::LazyLock;

use newsloom_model::{DatePrecision, PublishedDate};
use regex::Regex;

/// A date as far as a piece of text states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub hm: Option<(u32, u32)>,
}

/// Month number for an English, German, French, Spanish, Italian, Dutch or Portuguese month
/// name or its usual abbreviation.
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    let find = |w: &str| MONTHS.iter().chain(MONTH_ABBRS).find(|(n, _)| *n == w).map(|&(_, m)| m);
    if !w.is_ascii() {
        return find(&w.to_lowercase());
    }
    // ASCII lowercases in place, keeping its length: no name is longer than 16 bytes.
    let mut buf = [0u8; 16];
    let b = buf.get_mut(..w.len())?;
    b.copy_from_slice(w.as_bytes());
    b.make_ascii_lowercase();
    find(std::str::from_utf8(b).ok()?)
}

#[rustfmt::skip]
const MONTHS: &[(&str, u32)] = &[
    ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6),
    ("july", 7), ("august", 8), ("september", 9), ("october", 10), ("november", 11),
    ("december", 12), ("januar", 1), ("jänner", 1), ("februar", 2), ("märz", 3), ("mai", 5),
    ("juni", 6), ("juli", 7), ("oktober", 10), ("dezember", 12), ("janvier", 1),
    ("février", 2), ("fevrier", 2), ("mars", 3), ("avril", 4), ("juin", 6), ("juillet", 7),
    ("août", 8), ("aout", 8), ("septembre", 9), ("octobre", 10), ("novembre", 11),
    ("décembre", 12), ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5),
    ("junio", 6), ("julio", 7), ("agosto", 8), ("septiembre", 9), ("setiembre", 9),
    ("octubre", 10), ("noviembre", 11), ("diciembre", 12), ("gennaio", 1), ("febbraio", 2),
    ("aprile", 4), ("maggio", 5), ("giugno", 6), ("luglio", 7), ("settembre", 9),
    ("ottobre", 10), ("dicembre", 12), ("januari", 1), ("februari", 2), ("maart", 3),
    ("mei", 5), ("augustus", 8), ("janeiro", 1), ("fevereiro", 2), ("março", 3), ("maio", 5),
    ("junho", 6), ("julho", 7), ("setembro", 9), ("outubro", 10), ("dezembro", 12),
    ("января", 1), ("февраля", 2), ("марта", 3), ("апреля", 4), ("мая", 5), ("июня", 6),
    ("июля", 7), ("августа", 8), ("сентября", 9), ("октября", 10), ("ноября", 11), ("декабря", 12),
    ("stycznia", 1), ("lutego", 2), ("marca", 3), ("kwietnia", 4), ("maja", 5), ("czerwca", 6),
    ("lipca", 7), ("sierpnia", 8), ("września", 9), ("października", 10), ("listopada", 11), ("grudnia", 12),
];
// English-style three/four letter abbreviations (`Jan`, `Sept`, `Dez`).
#[rustfmt::skip]
const MONTH_ABBRS: &[(&str, u32)] = &[
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
    ("sep", 9), ("sept", 9), ("oct", 10), ("okt", 10), ("nov", 11), ("dec", 12), ("dez", 12),
    ("mär", 3), ("mrz", 3),
];

/// Weekday (0 = Monday) for an English or German weekday name.
pub fn weekday_from_name(word: &str) -> Option<u32> {
    #[rustfmt::skip]
    const NAMES: &[(&str, u32)] = &[
        ("monday", 0), ("tuesday", 1), ("wednesday", 2), ("thursday", 3), ("friday", 4),
        ("saturday", 5), ("sunday", 6), ("montag", 0), ("dienstag", 1), ("mittwoch", 2),
        ("donnerstag", 3), ("freitag", 4), ("samstag", 5), ("sonntag", 6),
    ];
    let w = word.to_lowercase();
    NAMES.iter().find(|(n, _)| *n == w).map(|&(_, d)| d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Weekday of a date, 0 = Monday.
pub fn weekday(y: i32, m: u32, d: u32) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days_from_civil(y, m, d) + 3).rem_euclid(7) as u32
}

fn valid(y: i32, m: u32, d: u32) -> bool {
    let dim = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=dim).contains(&d) && (1900..=2100).contains(&y)
}

static ISO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?").unwrap()
});
static DMY_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2})(?:\.\s?|-)(\d{1,2})(?:\.\s?|-)((?:19|20)\d\d)\b").unwrap());
static MONTH_FIRST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+((?:19|20)\d\d)\b)?").unwrap()
});
static DAY_FIRST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(\p{L}{3,12})\.?(?:,?\s+(?:de\s+)?((?:19|20)\d\d)\b)?")
        .unwrap()
});
/// Any month name [`month_from_name`] knows, in any case: a text without one can give no
/// "month day" or "day month" date, and their patterns (Unicode `\b` and `\p{L}`, which keep
/// them off the lazy DFA on non-ASCII text) need not run.
static MONTH_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    let names: Vec<String> = MONTHS.iter().chain(MONTH_ABBRS).map(|(n, _)| regex::escape(n)).collect();
    Regex::new(&format!("(?i){}", names.join("|"))).unwrap()
});
static TIME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b([01]?\d|2[0-3])[:.h]([0-5]\d)\s*(am|pm|a\.m\.|p\.m\.)?").unwrap());

/// The first date stated in `text`, with the earliest position winning among formats.
pub fn find_date(text: &str) -> Option<PartialDate> {
    let mut best: Option<(usize, usize, PartialDate)> = None;
    let mut consider = |m: regex::Match, d: PartialDate| {
        if best.is_none_or(|(p, _, _)| m.start() < p) {
            best = Some((m.start(), m.end(), d));
        }
    };
    if let Some(c) = ISO_RE.captures(text) {
        let y: i32 = c[1].parse().ok()?;
        let (m, d): (u32, u32) = (c[2].parse().ok()?, c[3].parse().ok()?);
        if valid(y, m, d) {
            let hm = c
                .get(4)
                .zip(c.get(5))
                .and_then(|(h, mi)| Some((h.as_str().parse().ok()?, mi.as_str().parse().ok()?)));
            consider(c.get(0)?, PartialDate { year: Some(y), month: m, day: d, hm });
        }
    }
    if let Some(c) = DMY_RE.captures(text) {
        let (d, m, y): (u32, u32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        if valid(y, m, d) {
            consider(c.get(0)?, PartialDate { year: Some(y), month: m, day: d, hm: None });
        }
    }
    // "Month day" and "day month" dates: only a text naming a month can hold one.
    if MONTH_NAME_RE.is_match(text) {
        for (re, month, day) in [(&*MONTH_FIRST_RE, 1, 2), (&*DAY_FIRST_RE, 2, 1)] {
            for c in re.captures_iter(text).take(8) {
                let Some(m) = month_from_name(&c[month]) else { continue };
                let d: u32 = c[day].parse().unwrap_or(0);
                let y = c.get(3).and_then(|y| y.as_str().parse().ok());
                if valid(y.unwrap_or(2000), m, d) {
                    consider(c.get(0)?, PartialDate { year: y, month: m, day: d, hm: None });
                    break;
                }
            }
        }
    }
    let (_, end, mut date) = best?;
    // A time shortly after the date belongs to it.
    let tail = &text[end..];
    let tail = &tail[..tail.char_indices().nth(30).map_or(tail.len(), |(i, _)| i)];
    if date.hm.is_none()
        && let Some(t) = TIME_RE.captures(tail)
    {
        let mut h: u32 = t[1].parse().unwrap_or(0);
        let mi: u32 = t[2].parse().unwrap_or(0);
        if let Some(ap) = t.get(3) {
            let pm = ap.as_str().to_lowercase().starts_with('p');
            if pm && h < 12 {
                h += 12;
            } else if !pm && h == 12 {
                h = 0;
            }
        }
        date.hm = Some((h, mi));
    }
    Some(date)
}

impl PartialDate {
    /// As a published date; a missing year yields `None` (use [`infer_year`] first).
    pub fn to_published(self, source: &str) -> Option<PublishedDate> {
        let y = self.year?;
        let (iso, precision) = match self.hm {
            Some((h, m)) => {
                (format!("{y:04}-{:02}-{:02}T{h:02}:{m:02}", self.month, self.day), DatePrecision::Minute)
            }
            None => (format!("{y:04}-{:02}-{:02}", self.month, self.day), DatePrecision::Day),
        };
        Some(PublishedDate { iso, precision, source: Some(source.to_string()) })
    }
}

/// A published date from a machine-readable value: ISO 8601 (any precision, with zone), or
/// failing that any date form [`find_date`] knows.
pub fn parse_machine_date(s: &str, source: &str) -> Option<PublishedDate> {
    let s = s.trim();
    if let Some(d) = PublishedDate::parse_iso(s, source) {
        let ok = d.iso.len() < 10
            || valid(d.iso[..4].parse().ok()?, d.iso[5..7].parse().ok()?, d.iso[8..10].parse().ok()?);
        return ok.then_some(d);
    }
    find_date(s).and_then(|d| d.to_published(source))
}

static YEAR_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(19[5-9]\d|20\d\d)\b").unwrap());
static WEEKDAY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b").unwrap()
});

/// Infers the year of a day-month date from the text around it.
///
/// The anchor is the ingest year when given, else the latest year the text mentions (a report
/// on "the 2016 results" is from 2016 or shortly after). Years near the anchor are then tried,
/// nearest first, for one on which the date falls on a weekday the text names ("on Tuesday").
/// Returns the year and how it was found (`weekday` or `anchor`).
pub fn infer_year(month: u32, day: u32, text: &str, ingest_year: Option<i32>) -> Option<(i32, &'static str)> {
    let mentioned = YEAR_RE.captures_iter(text).filter_map(|c| c[1].parse::<i32>().ok()).max();
    let anchor = ingest_year.or(mentioned)?;
    let weekdays: Vec<u32> =
        WEEKDAY_RE.captures_iter(text).filter_map(|c| weekday_from_name(&c[1])).take(4).collect();
    if !weekdays.is_empty() {
        for delta in [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6] {
            let y = anchor + delta;
            // An article cannot be dated after the day it was ingested.
            if ingest_year.is_some_and(|iy| y > iy) || !valid(y, month, day) {
                continue;
            }
            if weekdays.contains(&weekday(y, month, day)) {
                return Some((y, "weekday"));
            }
        }
    }
    valid(anchor, month, day).then_some((anchor, "anchor"))
}

static URL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d\d)(?:[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])|/([1-9])/([1-9]|[12]\d|3[01]))(?:/|[-_]|\.html?|$)").unwrap()
});

static URL_DMY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/(0[1-9]|[12]\d|3[01])[-.]?(0[1-9]|1[0-2])[-.]?((?:19|20)\d\d)(?:/|[-_]|\.html?|$)").unwrap()
});

/// A `/2019/11/19/` (or `/29-10-2021`, `/08112021-slug`) style date in a URL path.
pub fn date_from_url(url: &str) -> Option<PublishedDate> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &path[path.find('/').unwrap_or(path.len())..];
    let Some(c) = URL_DATE_RE.captures(path) else {
        let c = URL_DMY_RE.captures(path)?;
        let (d, m, y): (u32, u32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        return PartialDate { year: Some(y), month: m, day: d, hm: None }
            .to_published("url")
            .filter(|_| valid(y, m, d));
    };
    let y: i32 = c[1].parse().ok()?;
    let m: u32 = c.get(2).or(c.get(4))?.as_str().parse().ok()?;
    let d: u32 = c.get(3).or(c.get(5))?.as_str().parse().ok()?;
    PartialDate { year: Some(y), month: m, day: d, hm: None }.to_published("url").filter(|_| valid(y, m, d))
}

/// `(year, month, day)` of a day number since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// The usual UTC offset (hours, standard time) of a site, from its country TLD or, for
/// generic TLDs, its language. `None` when it cannot be told (English on a .com).
pub fn site_utc_offset(host: Option<&str>, lang: Option<&str>) -> Option<i32> {
    let tld = host.and_then(|h| h.rsplit('.').next()).unwrap_or("");
    #[rustfmt::skip]
    const TLD: &[(&str, i32)] = &[
        ("de", 1), ("at", 1), ("ch", 1), ("it", 1), ("fr", 1), ("es", 1), ("nl", 1), ("be", 1),
        ("pl", 1), ("cz", 1), ("dk", 1), ("se", 1), ("no", 1), ("hu", 1), ("sk", 1), ("si", 1),
        ("hr", 1), ("rs", 1), ("lu", 1), ("uk", 0), ("ie", 0), ("pt", 0), ("fi", 2), ("gr", 2),
        ("ro", 2), ("bg", 2), ("ua", 2), ("ee", 2), ("lv", 2), ("lt", 2), ("il", 2), ("ru", 3),
        ("tr", 3), ("br", -3), ("ar", -3), ("uy", -3), ("cl", -4), ("bo", -4), ("ve", -4),
        ("aw", -4), ("co", -5), ("pe", -5), ("ec", -5), ("mx", -6), ("in", 5), ("cn", 8),
        ("jp", 9), ("kr", 9), ("au", 10), ("nz", 12),
    ];
    if let Some(&(_, o)) = TLD.iter().find(|(t, _)| *t == tld) {
        return Some(o);
    }
    match lang? {
        "de" | "it" | "fr" | "nl" | "pl" | "cs" | "da" | "sv" | "nb" | "hu" => Some(1),
        "fi" | "el" | "ro" | "bg" | "uk" => Some(2),
        "ru" => Some(3),
        "pt" => Some(-3),
        _ => None,
    }
}

/// Moves a UTC timestamp (`…Z`, `…+00:00`) to the site's local time, so its day is the day
/// the publisher would print. Other values are returned unchanged.
pub fn localise(d: PublishedDate, offset_hours: i32) -> PublishedDate {
    let iso = d.iso.as_str();
    let utc = iso.ends_with('Z') || iso.ends_with("+00:00") || iso.ends_with("+0000");
    if !utc || d.precision < DatePrecision::Minute || offset_hours == 0 || iso.len() < 16 {
        return d;
    }
    let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(mo), Some(da), Some(h), Some(mi)) =
        (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16))
    else {
        return d;
    };
    let minutes =
        days_from_civil(y as i32, mo as u32, da as u32) * 1440 + h * 60 + mi + i64::from(offset_hours) * 60;
    let (ny, nm, nd) = civil_from_days(minutes.div_euclid(1440));
    let m = minutes.rem_euclid(1440);
    let iso = format!("{ny:04}-{nm:02}-{nd:02}T{:02}:{:02}{:+03}:00", m / 60, m % 60, offset_hours);
    PublishedDate { iso, precision: DatePrecision::Minute, source: d.source }
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&ISO_RE);
    LazyLock::force(&DMY_RE);
    LazyLock::force(&MONTH_FIRST_RE);
    LazyLock::force(&DAY_FIRST_RE);
    LazyLock::force(&MONTH_NAME_RE);
    LazyLock::force(&TIME_RE);
    LazyLock::force(&YEAR_RE);
    LazyLock::force(&WEEKDAY_RE);
    LazyLock::force(&URL_DATE_RE);
    LazyLock::force(&URL_DMY_RE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_naming_a_month_holds_a_month_name() {
        // month_from_name lowercases; the prefilter matches case-insensitively: every char
        // whose lowercase is a char of a name must match that char case-insensitively.
        let chars: std::collections::BTreeSet<char> =
            MONTHS.iter().chain(MONTH_ABBRS).flat_map(|(n, _)| n.chars()).collect();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut lower = c.to_lowercase();
            if let (Some(l), None) = (lower.next(), lower.next())
                && chars.contains(&l)
            {
                let re = Regex::new(&format!("(?i){}", regex::escape(&l.to_string()))).unwrap();
                assert!(re.is_match(&c.to_string()), "{c:?} → {l:?}");
            }
        }
        for (n, m) in MONTHS.iter().chain(MONTH_ABBRS) {
            for w in [n.to_string(), n.to_uppercase(), format!("{n}.")] {
                assert_eq!(month_from_name(&w), Some(*m));
                assert!(MONTH_NAME_RE.is_match(&w), "{w}");
            }
        }
        assert!(!MONTH_NAME_RE.is_match("Seite 2 von 12, Top 10"));
        // The ASCII path lowercases on the stack: as `to_lowercase` would.
        let reference = |w: &str| {
            let w = w.trim_end_matches('.').to_lowercase();
            MONTHS.iter().chain(MONTH_ABBRS).find(|(n, _)| *n == w).map(|&(_, m)| m)
        };
        for w in [
            "JAN.",
            "Sept..",
            "mAy",
            "Decembers",
            "",
            ".",
            "x",
            "SeptemberSeptember",
            "März",
            "MRZ",
            "\u{212A}ina",
            "Okt",
        ] {
            assert_eq!(month_from_name(w), reference(w), "{w:?}");
        }
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(weekday(2016, 12, 27), 1); // a Tuesday
        assert_eq!(weekday(2017, 1, 4), 2); // a Wednesday
        assert_eq!(weekday(2000, 2, 29), 1);
    }

    #[test]
    fn finds_dates_in_several_shapes() {
        let d = find_date("Jan 4, 2017 — 12:24").unwrap();
        assert_eq!((d.year, d.month, d.day, d.hm), (Some(2017), 1, 4, Some((12, 24))));
        let d = find_date("Veröffentlicht am 6. August 2009").unwrap();
        assert_eq!((d.year, d.month, d.day), (Some(2009), 8, 6));
        let d = find_date("am 06.08.2009 um 10:15").unwrap();
        assert_eq!((d.year, d.month, d.day, d.hm), (Some(2009), 8, 6, Some((10, 15))));
        let d = find_date("MOSCOW, December 27. /TASS/.").unwrap();
        assert_eq!((d.year, d.month, d.day), (None, 12, 27));
        assert!(find_date("nothing here at 99 bottles").is_none());
    }

    #[test]
    fn year_inference_uses_weekday_then_anchor() {
        let text = "the 2016 results were posted on Tuesday; in 2014 the alliance";
        assert_eq!(infer_year(12, 27, text, None), Some((2016, "weekday")));
        // 2017-12-27 was a Wednesday: the weekday moves the year away from the anchor.
        assert_eq!(infer_year(12, 27, "said on Wednesday", Some(2018)), Some((2017, "weekday")));
        assert_eq!(infer_year(3, 1, "no weekday here", Some(2020)), Some((2020, "anchor")));
        assert_eq!(infer_year(3, 1, "no clue at all", None), None);
    }

    #[test]
    fn utc_stamps_move_to_local_days() {
        let d = parse_machine_date("2022-11-06T23:00:00.000Z", "meta").unwrap();
        assert_eq!(localise(d, 1).day(), Some("2022-11-07"));
        let d = parse_machine_date("2022-05-04T03:37:37+00:00", "meta").unwrap();
        assert_eq!(localise(d, -4).iso, "2022-05-03T23:37-04:00");
        let d = parse_machine_date("2022-05-04T03:37:37+02:00", "meta").unwrap();
        assert_eq!(localise(d.clone(), -4), d);
        assert_eq!(civil_from_days(days_from_civil(2016, 2, 29)), (2016, 2, 29));
        assert_eq!(site_utc_offset(Some("www.zeit.de"), None), Some(1));
        assert_eq!(site_utc_offset(Some("example.com"), Some("en")), None);
    }

    #[test]
    fn machine_and_url_dates() {
        assert_eq!(date_from_url("https://x.de/home/2017/7/12/slug").unwrap().iso, "2017-07-12");
        assert_eq!(date_from_url("https://x.de/meldungen/29-10-2021").unwrap().iso, "2021-10-29");
        assert_eq!(date_from_url("https://x.de/aktuelles/08112021-fachtag").unwrap().iso, "2021-11-08");
        assert!(date_from_url("https://x.de/id/12345678").is_none());
        let d = parse_machine_date("2016-12-27T10:00:00+03:00", "meta").unwrap();
        assert_eq!(d.day(), Some("2016-12-27"));
        assert!(parse_machine_date("2016-02-31", "meta").is_none());
        assert_eq!(date_from_url("https://x.com/2019/11/19/opinion/a.html").unwrap().iso, "2019-11-19");
        assert!(date_from_url("https://x.com/2019/13/19/").is_none());
    }
}
