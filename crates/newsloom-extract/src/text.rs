//! Text scraped together with its page chrome: a line classifier.
//!
//! Each non-empty line gets a kind from its shape (length, terminal punctuation, capitalised
//! name shape), lexical cues (`By …`, `Read More:`, `1 day ago`, a `/ AP` photo credit), its
//! repetition within the page and, when the source is known, whether the line recurs across
//! that source's pages (learned template chrome). The article is then the run of lines with
//! the most body text between hard breaks (timestamps, bylines, repeated lines), trimmed to
//! start and end on sentence-shaped lines; title, lead, bylines and date come from the lines
//! before it.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::dates;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Body,
    /// Heading-shaped: no terminal punctuation (title, lead, subhead or teaser title).
    Heading,
    Timestamp,
    Byline,
    Caption,
    /// "Read More: …" and similar in-body teasers: dropped without ending the body.
    Teaser,
    /// Short navigation-like fragments ("All news"), repeated lines, learned template lines.
    Chrome,
}

/// What the classifier found in one text.
#[derive(Debug, Default)]
pub struct TextParts {
    pub title: Option<String>,
    pub lead: Option<String>,
    pub bylines: Vec<String>,
    pub date: Option<dates::PartialDate>,
    pub paragraphs: Vec<String>,
    pub captions: Vec<String>,
    /// Lines dropped as chrome, for the confidence score.
    pub dropped: usize,
    /// [`line_key`] of each line read (the first [`MAX_LINES`] non-empty ones), for learning.
    pub keys: Vec<String>,
}

/// Non-empty lines of a text page that are read; the rest is ignored.
pub const MAX_LINES: usize = 20_000;

static TEASER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(read more|read also|also read|see also|related( articles?| stories)?|more on this|watch|listen|lesen sie auch|mehr zum thema|lire aussi|leer más|lea también|читайте также)\s*[:>»|\-—]").unwrap()
});
static BYLINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or|[Dd]i)\s+(\p{Lu}[\p{L}.'’\-]*(?:\s+(?:and|und|&|,)?\s*\p{Lu}[\p{L}.'’\-]*){0,7})\s*$").unwrap()
});
static NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{Ll}.'’\-]+(?:\s\p{Lu}[\p{L}.'’\-]*){1,3}$").unwrap());
static CREDIT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)((\s/|\s\||©|\(c\))\s*\p{Lu}[\w.\-]*(\s\p{Lu}[\w.\-]*){0,4}\s*$|^(photo|foto|image|picture|credit|bild|abbildung|abb\.|fig\.?|figure)s?\s*\d*\s*:|\((photo|foto|crédito|credito|bild|quelle)[^)]*\)?\s*$|,\s*(photo|foto)\s*:?\s*$)").unwrap()
});
static TIMEWORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{1,4}|\d{1,2}:\d\d|am|pm|a\.m\.|p\.m\.|gmt|utc|msk|est|edt|cet|cest|ago|just|now|today|yesterday|updated?|published|posted|print|edition|last|at|on|am|um|uhr|vor|de|del|alle|ore|h|às|à|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|\p{L}+-feira|\p{L}+day|\p{L}+tag|\p{L}*(minute|hour|day|week|month|year|stunde|tag|woche|monat|jahr)\p{L}*|[\p{P}\p{S}]+)$").unwrap()
});

/// [`TEASER_RE`], ruled out first by the first byte: its phrases start with r, a, s, m, w or l
/// (either case) or a non-ASCII letter (ч, or ſ, which folds to s).
fn teaser(line: &str) -> bool {
    matches!(
        line.as_bytes().first(),
        Some(b'r' | b'R' | b'a' | b'A' | b's' | b'S' | b'm' | b'M' | b'w' | b'W' | b'l' | b'L' | 0x80..)
    ) && TEASER_RE.is_match(line)
}

/// [`BYLINE_RE`], ruled out first by the first byte (`By`, `Von`, `Par`, `Por`, `Di`).
fn byline(line: &str) -> bool {
    matches!(line.as_bytes().first(), Some(b'B' | b'b' | b'V' | b'v' | b'P' | b'p' | b'D' | b'd'))
        && BYLINE_RE.is_match(line)
}

/// Picture agencies and wires a photo credit names ("Michael Conroy, AP", "Getty Images",
/// "… via AP", "ITV, ASSOCIATED PRESS"), lowercase.
const AGENCIES: &[&str] = &[
    "ap",
    "associated press",
    "getty images",
    "getty",
    "reuters",
    "afp",
    "epa",
    "dpa",
    "shutterstock",
    "istock",
    "istockphoto",
    "imago",
    "picture alliance",
    "keystone",
    "ansa",
    "efe",
    "xinhua",
    "bloomberg",
];

/// A short line that is a photo credit by the agency it names: the agency alone, or after a
/// comma, a slash or "via", at the end or before a slash (`Getty Images/Creatas RF`).
fn agency_credit(line: &str) -> bool {
    let t = line.trim();
    if t.len() > 90 || t.ends_with(['.', '!', '?', '"', '”']) || !t.bytes().any(|b| b.is_ascii_uppercase())
    {
        return false;
    }
    // Pieces between commas and slashes: one that is an agency (after "via" or not) and ends
    // the line or comes before a slash is a credit.
    let mut rest = t;
    loop {
        let cut = rest.find([',', '/']);
        let (piece, sep) = match cut {
            Some(k) => (&rest[..k], Some(rest.as_bytes()[k])),
            None => (rest, None),
        };
        let piece = piece.trim();
        let piece = piece.rfind(" via ").map_or(piece, |k| &piece[k + 5..]).trim();
        if matches!(sep, None | Some(b'/')) && AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(piece)) {
            return true;
        }
        match cut {
            Some(k) => rest = &rest[k + 1..],
            None => return false,
        }
    }
}

/// [`CREDIT_RE`], ruled out first by what every match holds: a `/`, `|`, `(`, `©` or `:`, or
/// (its last branch, without a colon) a line ending in "photo" or "foto".
fn credit(line: &str) -> bool {
    let b = line.as_bytes();
    let photo_end = || {
        let t = line.trim_end().as_bytes();
        let ends = |w: &[u8]| t.len() >= w.len() && t[t.len() - w.len()..].eq_ignore_ascii_case(w);
        ends(b"foto") || ends(b"photo")
    };
    // `©` is C2 A9 in UTF-8.
    (memchr::memchr3(b'/', b'|', b'(', b).is_some()
        || memchr::memchr2(b':', 0xC2, b).is_some()
        || photo_end())
        && CREDIT_RE.is_match(line)
}

/// [`TIMEWORD_RE`]: decided by hand for an ASCII word (where `\d` is a digit, `\p{L}` a
/// letter and every punctuation byte is `\p{P}` or `\p{S}`), by the pattern otherwise.
fn timeword(w: &str) -> bool {
    if !w.is_ascii() {
        return TIMEWORD_RE.is_match(w);
    }
    const WORDS: &[&str] = &[
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "gmt",
        "utc",
        "msk",
        "est",
        "edt",
        "cet",
        "cest",
        "ago",
        "just",
        "now",
        "today",
        "yesterday",
        "update",
        "updated",
        "published",
        "posted",
        "print",
        "edition",
        "last",
        "at",
        "on",
        "um",
        "uhr",
        "vor",
        // Romance dates: "sexta-feira, 22 de outubro de 2010 às 20:13", "lunes 3 de mayo".
        "de",
        "del",
        "alle",
        "ore",
        "h",
        "lunes",
        "martes",
        "miercoles",
        "jueves",
        "viernes",
        "sabado",
        "domingo",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "sabato",
        "domenica",
    ];
    const UNITS: &[&[u8]] = &[
        b"minute", b"hour", b"day", b"week", b"month", b"year", b"stunde", b"tag", b"woche", b"monat",
        b"jahr",
    ];
    let b = w.as_bytes();
    let digit = |i: usize| b[i].is_ascii_digit();
    let clock = match b.len() {
        4 => digit(0) && b[1] == b':' && digit(2) && digit(3),
        5 => digit(0) && digit(1) && b[2] == b':' && digit(3) && digit(4),
        _ => false,
    };
    let feira = b.len() > 6
        && b[b.len() - 6..].eq_ignore_ascii_case(b"-feira")
        && b[..b.len() - 6].iter().all(u8::is_ascii_alphabetic);
    (b.len() <= 4 && b.iter().all(u8::is_ascii_digit))
        || clock
        || feira
        || WORDS.iter().any(|x| x.eq_ignore_ascii_case(w))
        || (b.iter().all(u8::is_ascii_alphabetic)
            && UNITS.iter().any(|u| b.windows(u.len()).any(|x| x.eq_ignore_ascii_case(u))))
        || b.iter().all(u8::is_ascii_punctuation)
}

pub(crate) fn is_timestamp(line: &str) -> bool {
    // A conjunction: a digit, 1–12 words, at most one of them no date word, a date word, and a
    // date, a colon or "ago". The cheap parts come first and a failed one ends the test.
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut dateish = 0;
    let mut other = 0;
    for (n, w) in line.split_whitespace().enumerate() {
        if n == 12 {
            return false;
        }
        let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')'));
        if w.is_empty() {
            continue;
        }
        if timeword(w) || dates::month_from_name(w).is_some() {
            dateish += 1;
        } else {
            other += 1;
            if other > 1 {
                return false;
            }
        }
    }
    dateish >= 1
        // The colon first: it spares the date search (the same answer either way).
        && (line.contains(':') || dates::find_date(line).is_some() || line.to_lowercase().contains("ago"))
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '”', '’', '»', ')', '\'', '*'])
        .ends_with(['.', '!', '?', '…', ':', '。', '！', '？'])
}

fn classify(line: &str, count: usize, template: bool) -> LineKind {
    // Only small counts matter below; long lines stop counting early.
    let words = count_words(line, 50);
    if template {
        return LineKind::Chrome;
    }
    if teaser(line) {
        return LineKind::Teaser;
    }
    if is_timestamp(line) {
        return LineKind::Timestamp;
    }
    if words <= 9 && byline(line) {
        return LineKind::Byline;
    }
    if count > 1 {
        // Repeated names are teaser bylines; other repeats are chrome or the repeated title.
        return if NAME_RE.is_match(line) { LineKind::Byline } else { LineKind::Chrome };
    }
    if words <= 40 && credit(line) {
        return LineKind::Caption;
    }
    if words <= 3 && !ends_sentence(line) {
        return if NAME_RE.is_match(line) { LineKind::Byline } else { LineKind::Chrome };
    }
    if ends_sentence(line) && words >= 4 { LineKind::Body } else { LineKind::Heading }
}

/// What a short HTML block reads as, by the same cues: `Some(kind)` when it is a timestamp,
/// teaser, photo credit or "By …" line rather than article text.
pub fn chrome_block(text: &str) -> Option<LineKind> {
    if text.len() > 400 {
        return None;
    }
    // `classify(text, 1, false)`, stopped where none of these kinds can follow: its other
    // `Byline` (a short name) comes only after `BYLINE_RE` failed, which rules it out here.
    if teaser(text) {
        return Some(LineKind::Teaser);
    }
    if is_timestamp(text) {
        return Some(LineKind::Timestamp);
    }
    let words = count_words(text, 50);
    if words <= 9 && byline(text) {
        return Some(LineKind::Byline);
    }
    ((words <= 40 && credit(text)) || (words <= 10 && agency_credit(text))).then_some(LineKind::Caption)
}

/// Normalised form used to count repeats and to match learned template lines.
pub fn line_key(line: &str) -> String {
    let mut key = join_words(line);
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        lowercase(&key)
    }
}

/// `s.to_lowercase()`, cheaper: std converts char by char after the first non-ASCII char (and
/// the tail of every string past its last 16-byte block); here runs of ASCII go in bulk.
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    // A capital sigma lowercases by what follows it (word-final or not): std's rule.
    if s.contains('Σ') {
        return s.to_lowercase();
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().position(|c| !c.is_ascii()).unwrap_or(b.len() - i);
        if run > 0 {
            let start = out.len();
            out.push_str(&s[i..i + run]);
            out[start..].make_ascii_lowercase();
            i += run;
        }
        if let Some(c) = s[i..].chars().next() {
            out.extend(c.to_lowercase());
            i += c.len_utf8();
        }
    }
    out
}

/// The words of `s` (as `split_whitespace` cuts them) joined by single spaces, in one pass over
/// the bytes (every block and every short line of a page goes through this): runs of words
/// already joined by single spaces are copied whole.
pub fn join_words(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let mut out = String::with_capacity(n);
    let mut i = 0;
    loop {
        i = skip_ws(b, i);
        if i >= n {
            break;
        }
        let start = i;
        let end = loop {
            i = word_end(b, i);
            // A single plain space before the next word: the run goes on.
            if i + 1 < n && b[i] == b' ' && ws_len(b, i + 1) == 0 {
                i += 1;
                continue;
            }
            break i;
        };
        if !out.is_empty() {
            out.push(' ');
        }
        // Both ends are char boundaries: ASCII bytes or the start of a whitespace char.
        out.push_str(&s[start..end]);
    }
    out
}

/// `s.split_whitespace().take(cap).count()`, without decoding chars.
pub fn count_words(s: &str, cap: usize) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while n < cap {
        i = skip_ws(b, i);
        if i >= b.len() {
            break;
        }
        n += 1;
        i = word_end(b, i);
    }
    n
}

/// The first index from `i` that starts no whitespace char.
#[inline(always)]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let l = ws_len(b, i);
        if l == 0 {
            break;
        }
        i += l;
    }
    i
}

/// The end of the word at `i`: the next whitespace char or the end. Eight bytes at a time
/// while none is a control char, a space or a non-ASCII byte (no whitespace char is anything
/// else); byte by byte through the rest of a block of eight that holds one.
#[inline(always)]
fn word_end(b: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            // Some byte < 0x21 (for bytes below 0x80) or some byte >= 0x80.
            if (x.wrapping_sub(LO * 0x21) & !x & HI) | (x & HI) != 0 {
                break;
            }
            i += 8;
        }
        let stop = (i + 8).min(b.len());
        while i < stop {
            if ws_len(b, i) != 0 {
                return i;
            }
            i += 1;
        }
        if i >= b.len() {
            return i;
        }
    }
}

/// The byte length of the whitespace char (`char::is_whitespace`) starting at `b[i]`, 0 when
/// there is none. `i` must be a char boundary or a continuation byte (never a whitespace start).
#[inline(always)]
pub(crate) fn ws_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => unicode_ws_len(b, i),
        _ => 0,
    }
}

/// [`ws_len`] past ASCII: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000 (Unicode's `White_Space`).
#[inline]
fn unicode_ws_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    let ws = match (b[i], at(1), at(2)) {
        (0xC2, 0x85 | 0xA0, _) => return 2,
        (0xE1, 0x9A, 0x80) => true,
        (0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => true,
        (0xE2, 0x81, 0x9F) => true,
        (0xE3, 0x80, 0x80) => true,
        _ => false,
    };
    if ws { 3 } else { 0 }
}

/// Classifies the lines of `content` and assembles the article parts. `is_template` says
/// whether a (normalised) line is known chrome for this source.
pub fn extract_text(content: &str, is_template: &dyn Fn(&str) -> bool) -> TextParts {
    let lines: Vec<&str> = content.lines().map(str::trim).filter(|l| !l.is_empty()).take(MAX_LINES).collect();
    let keys: Vec<String> = lines.iter().map(|l| line_key(l)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in &keys {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let kinds: Vec<LineKind> =
        lines.iter().zip(&keys).map(|(l, k)| classify(l, counts[k.as_str()], is_template(k))).collect();

    // Segments between hard breaks; teasers and captions are soft (dropped, no break).
    let mut best: Option<(usize, usize, usize)> = None; // (start, end, body chars)
    let mut start = 0;
    for i in 0..=lines.len() {
        let hard =
            i == lines.len() || matches!(kinds[i], LineKind::Timestamp | LineKind::Byline | LineKind::Chrome);
        if !hard {
            continue;
        }
        // Trim to the first and last sentence-shaped body line.
        let seg = start..i;
        let first = seg.clone().find(|&j| kinds[j] == LineKind::Body);
        let last = seg.clone().rev().find(|&j| kinds[j] == LineKind::Body);
        if let (Some(f), Some(l)) = (first, last) {
            let chars: usize = (f..=l).filter(|&j| kinds[j] == LineKind::Body).map(|j| lines[j].len()).sum();
            if best.is_none_or(|(_, _, c)| chars > c) {
                best = Some((f, l + 1, chars));
            }
        }
        start = i + 1;
    }
    let mut parts = TextParts::default();
    let Some((b_start, b_end, _)) = best else {
        parts.keys = keys;
        return parts;
    };
    for j in b_start..b_end {
        match kinds[j] {
            LineKind::Body | LineKind::Heading => parts.paragraphs.push(lines[j].to_string()),
            LineKind::Caption => parts.captions.push(lines[j].to_string()),
            _ => parts.dropped += 1,
        }
    }
    parts.dropped += lines.len() - (b_end - b_start);
    // A "By …" line at either end of the body is the byline.
    for idx in [0, parts.paragraphs.len().saturating_sub(1)] {
        if let Some(c) = parts.paragraphs.get(idx).and_then(|p| BYLINE_RE.captures(p)) {
            parts.bylines.push(c[1].to_string());
        }
    }
    if !parts.bylines.is_empty() {
        parts.paragraphs.retain(|p| !BYLINE_RE.is_match(p));
    }

    // Title, lead, byline and date from the lines before the body.
    let mut seen_title = false;
    for j in 0..b_start {
        let line = lines[j];
        match kinds[j] {
            LineKind::Heading | LineKind::Body | LineKind::Chrome
                if !seen_title
                    && line.split_whitespace().count() >= 3
                    && !(kinds[j] == LineKind::Chrome && counts[keys[j].as_str()] == 1) =>
            {
                parts.title = Some(line.to_string());
                seen_title = true;
            }
            LineKind::Heading | LineKind::Body => {
                let same_as_title = parts.title.as_deref().is_some_and(|t| line_key(t) == keys[j]);
                if parts.lead.is_none() && !same_as_title && line.split_whitespace().count() >= 6 {
                    parts.lead = Some(line.to_string());
                }
            }
            LineKind::Timestamp if parts.date.is_none() => parts.date = dates::find_date(line),
            LineKind::Byline if parts.bylines.is_empty() => {
                if let Some(c) = BYLINE_RE.captures(line) {
                    parts.bylines.push(c[1].to_string());
                }
            }
            LineKind::Caption => parts.captions.push(line.to_string()),
            _ => {}
        }
    }
    parts.keys = keys;
    parts
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&TEASER_RE);
    LazyLock::force(&BYLINE_RE);
    LazyLock::force(&NAME_RE);
    LazyLock::force(&CREDIT_RE);
    LazyLock::force(&TIMEWORD_RE);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Photo credits by their agency, and dates written the Romance way, are chrome; lines
    /// that only mention an agency or a weekday are not.
    #[test]
    fn agency_credits_and_romance_dates_are_chrome() {
        for line in [
            "Michael Conroy, AP",
            "Al Goldis, Associated Press",
            "Getty Images",
            "Jupiterimages, Getty Images/Creatas RF",
            "New York State Sex Offender Registry via AP",
            "ITV, ASSOCIATED PRESS",
        ] {
            assert_eq!(chrome_block(line), Some(LineKind::Caption), "{line}");
        }
        for line in [
            "sexta-feira, 22 de outubro de 2010 às 20:13",
            "segunda-feira, 22 de janeiro de 2018 às 0:13",
            "Viernes 22 abril, 2022 - 10:30 h",
        ] {
            assert_eq!(chrome_block(line), Some(LineKind::Timestamp), "{line}");
        }
        for line in [
            "The AP reported that the talks failed.",
            "Shares of Getty Images rose 4% on Tuesday after the deal",
            "O jogo de sexta-feira, 22 de outubro, foi adiado por causa da chuva.",
            "AP and Reuters photographers",
        ] {
            assert_eq!(chrome_block(line), None, "{line}");
        }
    }

    /// The first-byte and must-hold checks never rule out a line the patterns match: lines
    /// built from the patterns' words, credits, bylines, odd cases and non-ASCII (a fixed
    /// pseudo-random walk over fragments).
    #[test]
    fn quick_checks_agree_with_the_patterns() {
        let parts = [
            "Read more",
            "read also",
            "ALSO READ",
            "See also",
            "related stories",
            "More on this",
            "watch",
            "Listen",
            "lesen sie auch",
            "Mehr zum Thema",
            "lire aussi",
            "Leer más",
            "lea también",
            "Читайте также",
            "ſee also",
            ":",
            " > ",
            "»",
            " | ",
            "-",
            "—",
            "By",
            "by",
            "BY",
            "Von",
            "von",
            "Par",
            "por",
            "Di",
            "di",
            " ",
            "  ",
            "\t",
            "John",
            "Smith",
            "and",
            "und",
            "&",
            ",",
            "Ann-Marie",
            "O'Neil",
            "Müller",
            "Photo",
            "foto",
            "Image",
            "credit",
            "Bild",
            "abb.",
            "fig",
            "Figure",
            "s",
            "2",
            "12",
            "(",
            ")",
            "(c)",
            "(C)",
            "©",
            "/",
            "Reuters",
            "AP",
            "crédito",
            "quelle",
            "x",
            "the",
            "storm",
            ".",
            "\u{a0}",
            "\u{2003}",
            "é",
            "Ж",
        ];
        let mut pieces = crate::test_strings::Pieces::new(0x9e37_79b9_7f4a_7c15_u64);
        for _ in 0..100_000 {
            let line = pieces.string(&parts, 6);
            assert_eq!(teaser(&line), TEASER_RE.is_match(&line), "teaser {line:?}");
            assert_eq!(byline(&line), BYLINE_RE.is_match(&line), "byline {line:?}");
            assert_eq!(credit(&line), CREDIT_RE.is_match(&line), "credit {line:?}");
        }
        let bits = [
            "1",
            "12",
            "2017",
            "12345",
            ":",
            "30",
            "am",
            "PM",
            "a.m.",
            "P.M.",
            "gmt",
            "UTC",
            "cest",
            "ago",
            "Today",
            "yesterday",
            "Updated",
            "update",
            "published",
            "posted",
            "print",
            "edition",
            "last",
            "at",
            "on",
            "um",
            "Uhr",
            "vor",
            "Mon",
            "day",
            "Tues",
            "tag",
            "Diens",
            "minutes",
            "Stunden",
            "hour",
            "Woche",
            "monat",
            "Jahr",
            "year",
            "ly",
            "x",
            "-",
            ".",
            "!",
            "$",
            "|",
            "~",
            "_",
            "é",
            "über",
            "Ж",
            "—",
            "’",
            "\u{212a}",
            "ſ",
            "sexta",
            "-feira",
            "-",
            "de",
            "h",
            "às",
            "lunes",
            "ì",
        ];
        for _ in 0..100_000 {
            let w = pieces.string(&bits, 3);
            assert_eq!(timeword(&w), TIMEWORD_RE.is_match(&w), "timeword {w:?}");
        }
    }

    #[test]
    fn lowercase_is_to_lowercase() {
        // Every char alone and after ASCII, then generated mixes (sigma's context rule included).
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("Ab{c}"), format!("{c}{c}Xy{c} ")] {
                assert_eq!(lowercase(&s), s.to_lowercase(), "{s:?}");
            }
        }
        let mut pieces = crate::test_strings::Pieces::new(0x9e37_79b9_7f4a_7c15);
        let bits = [
            "A", "b", "Word ", " ", "Σ", "ΟΔΟΣ", "ς", "İ", "ẞ", "Ünï", "Ж", "ǅ", "\u{212a}", "ﬁ", "1,", "\0",
        ];
        for _ in 0..50_000 {
            let s = pieces.string(&bits, 12);
            assert_eq!(lowercase(&s), s.to_lowercase(), "{s:?}");
        }
    }

    #[test]
    fn line_keys_are_the_joined_lowercased_words() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for line in
            ["  Two  Words\t", "A\x0Bb\x0Cc\rd\ne", "", " \t ", "x", all.as_str(), "Ünï  Côde\u{a0}Gap"]
        {
            let expected = line.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            assert_eq!(line_key(line), expected, "{line:?}");
            assert_eq!(join_words(line), line.split_whitespace().collect::<Vec<_>>().join(" "), "{line:?}");
        }
    }

    #[test]
    fn join_words_splits_as_split_whitespace() {
        // Every char, alone and between words: the byte scanner's whitespace is `char::is_whitespace`.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let e = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(ws_len(e, 0) > 0, c.is_whitespace(), "{c:?}");
            for line in
                [format!("a{c}b {c} c{c}{c}"), format!("abcdefghi{c}jklmnopqrstu{c}{c}vwxyz0123456 {c}")]
            {
                assert_eq!(
                    join_words(&line),
                    line.split_whitespace().collect::<Vec<_>>().join(" "),
                    "{line:?}"
                );
                assert_eq!(count_words(&line, 9), line.split_whitespace().count(), "{line:?}");
            }
        }
        // Random mixes of words, ASCII and Unicode spaces and near-misses (`\u{2010}`, `\u{3001}`).
        let parts = [
            "x",
            "Wört",
            "Straßenbahnhaltestelle",
            "abcdefghijklmnopq",
            " ",
            "  ",
            "\t",
            "\u{a0}",
            "\u{2009}",
            "\u{3000}",
            "\u{2010}",
            "\u{3001}",
            "—",
            "\u{85}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..(seed % 9) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                line.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            assert_eq!(join_words(&line), line.split_whitespace().collect::<Vec<_>>().join(" "), "{line:?}");
            for cap in [0, 1, 2, 50] {
                assert_eq!(count_words(&line, cap), line.split_whitespace().take(cap).count(), "{line:?}");
            }
        }
    }

    #[test]
    fn classifies_line_shapes() {
        assert_eq!(classify("Jan 4, 2017 — 12:24", 1, false), LineKind::Timestamp);
        assert_eq!(classify("— Update: 12:35", 1, false), LineKind::Timestamp);
        assert_eq!(classify("1 day ago", 1, false), LineKind::Timestamp);
        assert_eq!(classify("1\u{a0}day, 2\u{a0}hours ago", 1, false), LineKind::Timestamp);
        assert_eq!(classify("By Jane Doe", 1, false), LineKind::Byline);
        assert_eq!(classify("Read More: Something Else Happened", 1, false), LineKind::Teaser);
        assert_eq!(classify("Leaders met in Brussels. John Smith / AP", 1, false), LineKind::Caption);
        assert_eq!(classify("All news", 1, false), LineKind::Chrome);
        assert_eq!(classify("Ministers met on Monday to talk about it.", 1, false), LineKind::Body);
        assert_eq!(classify("Ministers Meet to Talk About Trade", 1, false), LineKind::Heading);
    }

    #[test]
    fn picks_the_body_between_chrome() {
        let text = "Menu\nBig Storm Hits the Coast\n\nMay 3, 2020 — 10:00\nBy Ann Lee\n\n\
            The storm arrived overnight, flooding streets.\n\nRead More: Other Storms\n\n\
            Officials said repairs will take weeks.\n\n2 days ago\nBy Bob Roe\nAn unrelated teaser sentence here.";
        let parts = extract_text(text, &|_| false);
        assert_eq!(parts.title.as_deref(), Some("Big Storm Hits the Coast"));
        assert_eq!(parts.bylines, vec!["Ann Lee".to_string()]);
        assert_eq!(
            parts.paragraphs,
            vec![
                "The storm arrived overnight, flooding streets.".to_string(),
                "Officials said repairs will take weeks.".to_string()
            ]
        );
        assert_eq!(parts.date.map(|d| (d.year, d.month, d.day)), Some((Some(2020), 5, 3)));
    }

    #[test]
    fn template_lines_are_chrome() {
        let parts = extract_text(
            "Headline Of The Day Here\nSubscribe to our newsletter today.\nBody one is here.",
            &|k| k.starts_with("subscribe"),
        );
        assert_eq!(parts.paragraphs, vec!["Body one is here.".to_string()]);
    }
}
