//! The GKG 2.1 fields read straight from an article's text: V2.1ENHANCEDDATES (every date it
//! mentions) and V2.1AMOUNTS (every precise number with the thing it counts). Offsets are
//! char offsets into the body, as every span in newsloom is.

use newsloom_model::calendar::MONTHS;

/// A date mentioned in the text, at GDELT's resolution: 4 full date, 3 month and day, 2 month
/// and year, 1 year alone. Unknown parts are 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub resolution: u8,
    pub month: u32,
    pub day: u32,
    pub year: i32,
    pub offset: usize,
    /// Where the date's last word ends.
    pub end: usize,
}

/// A number in the text and the word after it that says what it counts (`3,400 troops`,
/// `$2 billion` → 2000000000 dollars).
#[derive(Debug, Clone, PartialEq)]
pub struct AmountMention {
    pub amount: f64,
    pub object: String,
    pub offset: usize,
}

/// A word of the text: its chars' range and the text.
struct Word<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

/// Words (runs of letters, digits and the `.,$%'-` that join them), with char offsets.
fn words(body: &str) -> Vec<Word<'_>> {
    let mut out = vec![];
    let mut start: Option<(usize, usize)> = None; // (char index, byte index)
    let joins = |c: char| c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '%' | '\'' | '-');
    let mut chars = body.char_indices().enumerate().peekable();
    while let Some((ci, (bi, c))) = chars.next() {
        // A `.` or `,` between two digits belongs to the number (`3,400`, `2.5`).
        let inner = matches!(c, '.' | ',')
            && start.is_some()
            && body[..bi].chars().next_back().is_some_and(|p| p.is_ascii_digit())
            && chars.peek().is_some_and(|(_, (_, n))| n.is_ascii_digit());
        if joins(c) || inner {
            start.get_or_insert((ci, bi));
        } else if let Some((cs, bs)) = start.take() {
            out.push(Word { start: cs, end: ci, text: &body[bs..bi] });
        }
    }
    if let Some((cs, bs)) = start {
        out.push(Word { start: cs, end: body.chars().count(), text: &body[bs..] });
    }
    out
}

fn month_of(w: &str) -> Option<u32> {
    let l = w.to_lowercase();
    let l = l.trim_end_matches('.');
    if l.len() < 3 {
        return None;
    }
    // Full names, and the usual abbreviations (`Jan`, `Sept`); not `may`/`mar` words alone.
    MONTHS
        .iter()
        .position(|m| *m == l || (l.len() <= 4 && l != "may" && l != "mar" && m.starts_with(l)))
        .map(|i| i as u32 + 1)
}

fn day_of(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    let d: u32 = digits.parse().ok()?;
    (digits.len() <= 2 && (1..=31).contains(&d) && matches!(suffix, "" | "st" | "nd" | "rd" | "th"))
        .then_some(d)
}

fn year_of(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok()?;
    (w.len() == 4 && (1800..=2100).contains(&y)).then_some(y)
}

/// `2014-03-01` → (2014, 3, 1).
fn iso_date(w: &str) -> Option<(i32, u32, u32)> {
    let mut parts = w.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d) = (year_of(y)?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Every date the text mentions: `March 1, 2014`, `1 March 2014`, `2014-03-01` (4); `March 1`,
/// `1 March` (3); `March 2014` (2); a year from 1800 to 2100 standing alone (1).
pub fn dates(body: &str) -> Vec<DateMention> {
    let ws = words(body);
    let mut out = vec![];
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i].text.trim_end_matches(',');
        let at = ws[i].start;
        let next = |k: usize| ws.get(i + k).map(|w| w.text.trim_end_matches(','));
        let found = if let Some((year, month, day)) = iso_date(w) {
            Some((DateMention { resolution: 4, month, day, year, offset: at, end: 0 }, 1))
        } else if let Some(month) = month_of(w) {
            match (next(1).and_then(day_of), next(1).and_then(year_of), next(2).and_then(year_of)) {
                (Some(day), _, Some(year)) => {
                    Some((DateMention { resolution: 4, month, day, year, offset: at, end: 0 }, 3))
                }
                (Some(day), _, None) => {
                    Some((DateMention { resolution: 3, month, day, year: 0, offset: at, end: 0 }, 2))
                }
                (None, Some(year), _) => {
                    Some((DateMention { resolution: 2, month, day: 0, year, offset: at, end: 0 }, 2))
                }
                // A month name alone (`May`, `March` as a verb) is not a date.
                _ => None,
            }
        } else if let (Some(day), Some(month)) = (day_of(w), next(1).and_then(month_of)) {
            match next(2).and_then(year_of) {
                Some(year) => Some((DateMention { resolution: 4, month, day, year, offset: at, end: 0 }, 3)),
                None => Some((DateMention { resolution: 3, month, day, year: 0, offset: at, end: 0 }, 2)),
            }
        } else {
            year_of(w)
                .map(|year| (DateMention { resolution: 1, month: 0, day: 0, year, offset: at, end: 0 }, 1))
        };
        match found {
            Some((date, used)) => {
                out.push(DateMention { end: ws[i + used - 1].end, ..date });
                i += used;
            }
            None => i += 1,
        }
    }
    out
}

const SCALES: [(&str, f64); 4] = [("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)];
const NUMBER_WORDS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
/// Words after a number that do not name what it counts.
const NOT_OBJECTS: [&str; 24] = [
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "for", "by", "from", "with", "was", "were",
    "is", "are", "have", "has", "had", "per", "percent", "years",
];

fn number_of(w: &str) -> Option<f64> {
    let l = w.to_lowercase();
    if let Some(n) = NUMBER_WORDS.iter().position(|n| *n == l) {
        return Some(n as f64);
    }
    if let Some(n) = TENS.iter().position(|n| *n == l) {
        return Some(20.0 + 10.0 * n as f64);
    }
    if l == "dozen" {
        return Some(12.0);
    }
    let digits = w.trim_start_matches(['$', '€', '£']);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    digits.replace(',', "").parse().ok()
}

/// Every number the text states with the word after it saying what it counts: `3,400 troops`,
/// `two ministers`, `$2 billion` (2000000000 dollars), `5 million people`. Years, days of
/// dates, percentages and numbers followed by no counted word are left out; `dates` are the
/// body's [`dates`], found once for both GKG columns.
pub fn amounts(body: &str, dates: &[DateMention]) -> Vec<AmountMention> {
    let ws = words(body);
    let in_date = |at: usize| dates.iter().any(|d| (d.offset..d.end).contains(&at));
    let mut out = vec![];
    let mut i = 0;
    while i < ws.len() {
        let (w, at) = (ws[i].text, ws[i].start);
        let Some(mut amount) = number_of(w).filter(|_| !in_date(at) && !w.ends_with('%')) else {
            i += 1;
            continue;
        };
        let mut k = i + 1;
        if let Some((_, scale)) =
            ws.get(k).and_then(|n| SCALES.iter().find(|(s, _)| n.text.eq_ignore_ascii_case(s)))
        {
            amount *= scale;
            k += 1;
        }
        let currency = match w.chars().next() {
            Some('$') => Some("dollars"),
            Some('€') => Some("euros"),
            Some('£') => Some("pounds"),
            _ => None,
        };
        // The counted word follows right after (no punctuation between).
        let next = ws.get(k).filter(|n| {
            body.chars().skip(ws[k - 1].end).take(n.start - ws[k - 1].end).all(char::is_whitespace)
        });
        let object = next
            .map(|n| n.text.to_lowercase())
            .filter(|o| {
                o.chars().all(|c| c.is_alphabetic() || c == '-') && !NOT_OBJECTS.contains(&o.as_str())
            })
            .or(currency.map(str::to_string));
        if let Some(object) = object {
            out.push(AmountMention { amount, object, offset: at });
        }
        i = k;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_each_resolution_with_char_offsets() {
        let body = "Über Nacht: on March 1, 2014 and 3 May 2015 they met; again on Sept. 9, in June 2016, on 2017-02-03, and in 1999. Troops may march.";
        let got: Vec<(u8, u32, u32, i32)> =
            dates(body).iter().map(|d| (d.resolution, d.month, d.day, d.year)).collect();
        assert_eq!(
            got,
            [
                (4, 3, 1, 2014),
                (4, 5, 3, 2015),
                (3, 9, 9, 0),
                (2, 6, 0, 2016),
                (4, 2, 3, 2017),
                (1, 0, 0, 1999)
            ]
        );
        // Offsets count chars (the `Ü` is one).
        assert_eq!(dates(body)[0].offset, body.chars().position(|c| c == 'M').unwrap());
    }

    #[test]
    fn amounts_name_what_they_count() {
        let body = "About 3,400 troops and two ministers arrived with $2 billion; 5 million people, 12% of voters, in 2014 on May 3. It cost $40.";
        let found = amounts(body, &dates(body));
        let got: Vec<(f64, &str)> = found.iter().map(|a| (a.amount, a.object.as_str())).collect();
        assert_eq!(
            got,
            [(3400.0, "troops"), (2.0, "ministers"), (2e9, "dollars"), (5e6, "people"), (40.0, "dollars")]
        );
        assert_eq!(found[0].offset, 6);
    }
}
