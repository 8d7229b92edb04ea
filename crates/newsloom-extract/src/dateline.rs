//! Wire-style datelines at the start of a body: `MOSCOW, December 27. /TASS/.`,
//! `WASHINGTON, Dec 27 (Reuters) -`, `KIEV, Ukraine (AP) —`, `LONDON — `.

use std::sync::LazyLock;

use newsloom_model::Dateline;
use regex::Regex;

const PLACE: &str = r"(?P<place>[A-Z][A-Z.'’\-]{2,}(?:\s[A-Z][A-Z.'’\-]+){0,3})(?:,\s(?P<region>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?))?";
const DATE: &str = r"(?P<date>[A-Z][a-z]{2,8}\.?\s\d{1,2}(?:,\s\d{4})?|\d{1,2}\s[A-Z][a-z]{2,8}(?:\s\d{4})?)";

static SLASH_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{PLACE}(?:,\s{DATE})?\.?\s*/\s?(?P<agency>[A-Za-z][\w\-. ]{{0,24}}?)\s?/\s*[.:\-—–]?\s*"
    ))
    .unwrap()
});
static PAREN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{PLACE}(?:,\s{DATE})?\s*\((?P<agency>[A-Za-z][\w\-. ]{{0,24}}?)\)\s*[-—–:]\s*"))
        .unwrap()
});
static DASH_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{PLACE}(?:,\s{DATE})?\.?\s*[-—–]\s+")).unwrap());
static DATED_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"^{PLACE},\s{DATE}\.\s+")).unwrap());

/// Parses a dateline at the start of `text`; returns it and its length in bytes.
///
/// ```
/// use newsloom_extract::dateline::parse_dateline;
/// let (d, _) = parse_dateline("MOSCOW, December 27. /TASS/. Russia is open").unwrap();
/// assert_eq!((d.place.as_str(), d.date.as_deref(), d.agency.as_deref()),
///            ("MOSCOW", Some("December 27"), Some("TASS")));
/// ```
pub fn parse_dateline(text: &str) -> Option<(Dateline, usize)> {
    let head = match text.char_indices().nth(160) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    for re in [&*SLASH_RE, &*PAREN_RE, &*DATED_RE, &*DASH_RE] {
        if let Some(c) = re.captures(head) {
            let mut place = c["place"].trim_end_matches([',', '.']).to_string();
            if let Some(region) = c.name("region") {
                place = format!("{place}, {}", region.as_str());
            }
            let date = c.name("date").map(|m| m.as_str().trim_end_matches('.').to_string());
            let agency = c.name("agency").map(|m| m.as_str().trim().to_string());
            // A dash after an all-caps word alone is often a heading ("UPDATE — "), so that
            // shape needs a place of some length.
            if agency.is_none() && date.is_none() && place.chars().count() < 4 {
                continue;
            }
            return Some((Dateline { place, date, agency }, c.get(0)?.end()));
        }
    }
    None
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&SLASH_RE);
    LazyLock::force(&PAREN_RE);
    LazyLock::force(&DASH_RE);
    LazyLock::force(&DATED_RE);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shapes() {
        let (d, _) = parse_dateline("WASHINGTON, Dec 27 (Reuters) - The U.S. said").unwrap();
        assert_eq!(
            (d.place.as_str(), d.date.as_deref(), d.agency.as_deref()),
            ("WASHINGTON", Some("Dec 27"), Some("Reuters"))
        );
        let (d, _) = parse_dateline("KIEV, Ukraine (AP) — Ukraine's leader").unwrap();
        assert_eq!((d.place.as_str(), d.agency.as_deref()), ("KIEV, Ukraine", Some("AP")));
        let (d, n) = parse_dateline("LONDON — Britain said").unwrap();
        assert_eq!((d.place.as_str(), &"LONDON — Britain said"[n..]), ("LONDON", "Britain said"));
        assert!(parse_dateline("The Russian Foreign Ministry has said").is_none());
        assert!(parse_dateline("NATO, the alliance, said").is_none());
    }
}
