//! Streets and numbered roads (detection only: the gazetteer has no entry for them).

use super::*;

/// Street nouns: capitalised words before one name a street or road.
pub(super) const STREET_NOUNS: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "drive",
    "dr",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "trail",
    "pike",
    "freeway",
    "expressway",
    "bypass",
    "turnpike",
];

/// Abbreviated street nouns, written with a dot that belongs to the name ("Augusta St.").
const STREET_ABBREVIATIONS: &[&str] = &["st", "ave", "rd", "dr", "ln", "blvd", "pkwy", "hwy"];

/// Route prefixes before a number ("Interstate 64", "KY 52", "US-24" is one token).
pub(super) const ROUTE_PREFIXES: &[&str] =
    &["interstate", "highway", "route", "hwy", "us", "sr", "cr", "fm", "i", "state route", "county road"];

pub(super) fn is_route_number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 5 && w.chars().all(|c| c.is_ascii_digit())
}

/// "A417", "M25", "US-24", "I-95": a road number in one token.
pub(super) fn is_road_token(w: &str) -> bool {
    let (head, num) = match w.split_once('-') {
        Some((h, n)) => (h, n),
        None => {
            let i = w.find(|c: char| c.is_ascii_digit()).unwrap_or(w.len());
            w.split_at(i)
        }
    };
    let road_head = matches!(head, "A" | "M" | "B") && !w.contains('-')
        || matches!(head, "US" | "I" | "SR" | "CR" | "FM" | "KY" | "IL" | "SH");
    road_head
        && is_route_number(num)
        && num.len() >= 2 - usize::from(head != "A" && head != "M" && head != "B")
}

/// Streets and numbered roads: the capitalised words (at most three, initials and ordinals
/// such as "N." or "42nd" included) before a street noun, and route numbers.
pub(super) fn scan_streets(body: &str, tokens: &[Token], out: &mut Vec<Toponym>) {
    let mut key = String::new();
    let mut push = |out: &mut Vec<Toponym>, s: usize, e: usize| {
        let text: String = body[tokens[s].start..tokens[e - 1].end].to_string();
        // The dot of "St." belongs to the name.
        let last = tokens[e - 1].text(body).to_ascii_lowercase();
        let (end_char, text) = match body[tokens[e - 1].end..].starts_with('.')
            && STREET_ABBREVIATIONS.contains(&last.as_str())
        {
            true => (tokens[e - 1].char_end + 1, format!("{text}.")),
            false => (tokens[e - 1].char_end, text),
        };
        normalise(&text, &mut key);
        out.push(Toponym::new(tokens[s].char_start, end_char, text, &key, Found::Street));
    };
    let name_word = |w: &str| {
        (is_cap(w) && w.chars().any(char::is_alphabetic))
            || (w.chars().next().is_some_and(|c| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].iter().any(|x| w.ends_with(x)))
    };
    // "A380", "A320": in an article about aircraft these are Airbus models, not A-roads. The
    // body is searched only when such a number occurs.
    let airbus_model = |w: &str| {
        ["A300", "A310", "A318", "A319", "A320", "A321", "A330", "A340", "A350", "A380"].contains(&w)
            && ["Airbus", "airliner", "aircraft", "jetliner"].iter().any(|a| body.contains(a))
    };
    for i in 0..tokens.len() {
        let w = tokens[i].text(body);
        if airbus_model(w) {
            continue;
        }
        // Every street noun, route prefix and road number starts with a capital letter.
        if !w.starts_with(|c: char| c.is_ascii_uppercase()) || w.len() > 12 {
            continue;
        }
        let next_is_number = tokens.get(i + 1).is_some_and(|t| is_route_number(t.text(body)));
        let bare = w.trim_end_matches('.');
        // Only a street noun or a route prefix goes on (no allocation for the other words).
        if !next_is_number && !STREET_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(bare)) {
            if w.as_bytes().get(1).is_some_and(|b| b.is_ascii_digit() || *b == b'-' || b.is_ascii_uppercase())
                && is_road_token(w)
            {
                push(out, i, i + 1);
            }
            continue;
        }
        if is_road_token(w) {
            push(out, i, i + 1);
            continue;
        }
        let lower = bare.to_ascii_lowercase();
        // "Interstate 64", "KY 52", "State Route 3".
        if i + 1 < tokens.len() && is_route_number(tokens[i + 1].text(body)) && is_cap(w) {
            let two =
                i.checked_sub(1).map(|j| format!("{} {lower}", tokens[j].text(body).to_ascii_lowercase()));
            if two.as_deref().is_some_and(|t| ROUTE_PREFIXES.contains(&t)) {
                push(out, i - 1, i + 2);
                continue;
            }
            if ROUTE_PREFIXES.contains(&lower.as_str())
                || (w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase()))
            {
                push(out, i, i + 2);
                continue;
            }
        }
        if !is_cap(w) || !STREET_NOUNS.contains(&lower.as_str()) || i == 0 {
            continue;
        }
        // "St. John", "Dr. Smith": a saint or a title before a name, not a street.
        if matches!(lower.as_str(), "st" | "dr") {
            let mut k = i + 1;
            if tokens.get(k).is_some_and(|t| t.text(body) == ".") {
                k += 1;
            }
            if tokens.get(k).is_some_and(|t| is_cap(t.text(body))) {
                continue;
            }
        }
        // Walk back over the name's words.
        let mut s = i;
        while s > 0 && i - s < 3 {
            let pw = tokens[s - 1].text(body);
            let pl = pw.to_ascii_lowercase();
            if !name_word(pw) || LEADING_WORDS.contains(&pl.as_str()) || STREET_NOUNS.contains(&pl.as_str()) {
                break;
            }
            // Words must be adjacent (one space), not across a line or punctuation.
            if body[tokens[s - 1].end..tokens[s].start] != *" " {
                break;
            }
            s -= 1;
        }
        if s < i {
            push(out, s, i + 1);
        }
    }
}
