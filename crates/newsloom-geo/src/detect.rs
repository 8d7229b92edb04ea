//! Toponym detection: which spans of an article name places.
//!
//! Three sources, in order of trust:
//! 1. the entity stage's place mentions (the tagger's LOC spans), and its other mentions whose
//!    whole text is a country, region or continent name or a country adjective ("Russian",
//!    tagged MISC; "Russia" tagged ORG as an actor);
//! 2. capitalised word sequences the tagger left untagged that the gazetteer knows, kept only
//!    where that is precise: multi-word names, countries, regions, "X County", and towns above a
//!    population floor, not at the start of a sentence;
//! 3. qualifiers after a comma ("Alexandria, Va.", "Paris, Texas"), which are toponyms too and
//!    tell which Alexandria is meant.

use newsloom_analyse::ner::{Token, sentences, tokenize};
use newsloom_model::{EntityKind, Mention};

use crate::gazetteer::{Gazetteer, Level, NameKind, normalise};

/// Where a toponym was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A place mention of the entity stage.
    Tagged,
    /// A country/region name or adjective the entity stage tagged as another kind.
    Retyped,
    /// An untagged capitalised name the gazetteer knows.
    Gazetteer,
    /// A qualifier after a comma ("…, Va.").
    Qualifier,
    /// A street or road: capitalised words before a street noun ("Wichita Drive", "Augusta
    /// St.") or a numbered route ("KY 52", "A417"). No gazetteer entry; detection only.
    Street,
    /// A name the tagger called a person or organisation that the gazetteer knows, in a
    /// place's context ("in Greer", "Glen Allen, Va.", "Laurel County").
    Context,
}

/// One toponym span, before resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Toponym {
    /// Char offsets into the body.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Normalised lookup key.
    pub key: String,
    pub found: Found,
    /// The entity stage tagged it as an organisation (a place acting: "Turkey said").
    pub as_actor: bool,
    /// Index of the toponym this one qualifies ("Va." in "Alexandria, Va." qualifies
    /// "Alexandria"), set by [`detect`].
    pub qualifies: Option<usize>,
}

/// Tunable detection settings.
#[derive(Debug, Clone, Copy)]
pub struct DetectParams {
    /// Smallest population of a town found by the gazetteer scan alone.
    pub scan_min_population: u64,
    /// Keep tagged place spans the gazetteer cannot resolve (counts for detection only).
    pub keep_unknown_tagged: bool,
    /// Streets and numbered roads ([`Found::Street`]).
    pub streets: bool,
    /// Other-kind mentions the gazetteer knows, in a place's context ([`Found::Context`]).
    pub place_context: bool,
}

impl Default for DetectParams {
    fn default() -> Self {
        Self { scan_min_population: 20_000, keep_unknown_tagged: true, streets: true, place_context: true }
    }
}

/// Words that start a capitalised sequence without being part of a place name.
const LEADING_WORDS: &[&str] =
    &["the", "in", "at", "on", "of", "from", "to", "for", "and", "by", "near", "a"];

/// Capitalised words that are towns somewhere but in running text are directions or lead
/// institution names (months and weekdays are in `newsloom_model::calendar`).
const NOT_PLACES: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "st",
    "no",
    // Institution nouns that lead organisation names ("Police Department", "University Park").
    "police",
    "university",
    "college",
    "union",
    "center",
    "centre",
    "school",
    "church",
    "hospital",
    "court",
    "department",
    "city",
    "county",
    "market",
    "park",
    "hall",
    "commonwealth",
];

/// Direction words that lead a region's name ("East Texas", "Northern Illinois").
const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
];

/// Nationality-style suffixes: a country alias with one is an adjective or demonym.
pub(crate) fn looks_adjectival(text: &str) -> bool {
    let t = text.trim_end_matches('s');
    ["an", "ese", "ish", "i", "ic", "ch", "ean", "ian"].iter().any(|s| t.ends_with(s))
}

fn adjective_kind(k: NameKind) -> bool {
    k == NameKind::Adjective
}

fn is_cap(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

/// Char offset ↔ byte offset over `body`, for slicing mention spans.
fn char_to_byte(body: &str) -> Vec<usize> {
    body.char_indices().map(|(b, _)| b).chain(std::iter::once(body.len())).collect()
}

/// Whether the gazetteer has a name (not only an abbreviation) for `key`, and the best level.
fn known(gaz: &Gazetteer, key: &str, allow_adjective: bool) -> Option<(Level, u64, NameKind)> {
    known_as(gaz, key, allow_adjective, true)
}

/// Like [`known`]; without `alternates` only entries's own names count.
fn known_as(
    gaz: &Gazetteer,
    key: &str,
    allow_adjective: bool,
    alternates: bool,
) -> Option<(Level, u64, NameKind)> {
    let run = gaz.candidates(key);
    let named = run.clone().any(|c| matches!(c.kind, NameKind::Primary | NameKind::Alternate));
    run.filter(|c| match c.kind {
            NameKind::Primary => true,
            NameKind::Alternate => alternates,
            NameKind::Adjective => allow_adjective && !named,
            NameKind::Abbreviation => false,
        })
        .map(|c| {
            let e = gaz.entry(c.entry);
            (e.level, e.population, c.kind)
        })
        .min_by_key(|&(level, pop, kind)| (level, std::cmp::Reverse(pop), kind))
}

/// Finds the toponyms of `body` given the entity stage's mentions of it.
pub fn detect(gaz: &Gazetteer, body: &str, mentions: &[Mention], p: &DetectParams) -> Vec<Toponym> {
    let tokens = tokenize(body);
    let sents = sentences(body, &tokens);
    detect_tokenized(gaz, body, &tokens, &sents, mentions, p)
}

/// [`detect`] over the body's tokens and sentences (token ranges), when they are at hand.
pub fn detect_tokenized(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    sents: &[(usize, usize)],
    mentions: &[Mention],
    p: &DetectParams,
) -> Vec<Toponym> {
    let c2b = char_to_byte(body);
    let slice =
        |s: usize, e: usize| body.get(c2b[s.min(c2b.len() - 1)]..c2b[e.min(c2b.len() - 1)]).unwrap_or("");
    let mut out: Vec<Toponym> = Vec::new();
    let mut key = String::new();
    // Spans the gazetteer scan leaves alone: places (taken as tagged) and people. Names of
    // organisations and the like are scanned, since they embed places ("Dublin City Council",
    // "Texas Alcoholic Beverage Commission"), which count as toponyms.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut named: Vec<(usize, usize, bool)> = Vec::new();
    for m in mentions {
        let (mut s, e) = (m.span.start, m.span.end);
        if e <= s || e >= c2b.len() {
            continue;
        }
        if matches!(m.kind, EntityKind::Place | EntityKind::Person) {
            covered.push((s, e));
        } else {
            named.push((s, e, m.kind == EntityKind::Organisation));
        }
        let mut text = slice(s, e);
        if let Some(rest) = text.strip_prefix("the ").or_else(|| text.strip_prefix("The ")) {
            s += 4;
            text = rest;
        }
        // "Kelin’s": the possessive is not part of the name.
        let mut text = text.trim_end_matches("’s").trim_end_matches("'s");
        if m.kind == EntityKind::Place {
            text = place_part(gaz, text, &mut key);
        }
        let e = s + text.chars().count();
        normalise(text, &mut key);
        let (found, as_actor) = match m.kind {
            EntityKind::Place => {
                if !p.keep_unknown_tagged && known(gaz, &key, true).is_none() {
                    continue;
                }
                (Found::Tagged, false)
            }
            EntityKind::Misc | EntityKind::Organisation => {
                // "Americans", "Syrians": the plural of a country's demonym names the country.
                if m.kind == EntityKind::Misc
                    && text.len() > 5
                    && text.ends_with('s')
                    && known(gaz, &key, true).is_none()
                {
                    let mut singular = key.clone();
                    singular.pop();
                    if known(gaz, &singular, true).is_some_and(|(l, _, k)| {
                        k == NameKind::Adjective && matches!(l, Level::Continent | Level::Country)
                    }) && looks_adjectival(text)
                    {
                        key = singular;
                    }
                }
                let Some((level, _, kind)) = known(gaz, &key, true) else { continue };
                // "Barrow County" tagged as an organisation (its government) is the county.
                let county = level == Level::Adm2
                    && kind == NameKind::Primary
                    && [" County", " Parish"].iter().any(|w| text.ends_with(w));
                let big = county || matches!(level, Level::Continent | Level::Country | Level::Adm1);
                let adjective = kind == NameKind::Adjective && looks_adjectival(text);
                if !(big && (kind != NameKind::Adjective || adjective)) {
                    continue;
                }
                (Found::Retyped, m.kind == EntityKind::Organisation)
            }
            EntityKind::Person => {
                // The tagger calls some counties and states people ("Laurel County"); a whole
                // multi-word mention that is such a region is taken as one.
                let Some((level, _, kind)) = known(gaz, &key, false) else { continue };
                let region = matches!(level, Level::Country | Level::Adm1 | Level::Adm2);
                if !(region && kind == NameKind::Primary && text.contains(' ')) {
                    continue;
                }
                (Found::Retyped, false)
            }
        };
        out.push(Toponym {
            start: s,
            end: e,
            text: text.to_string(),
            key: key.clone(),
            found,
            as_actor,
            qualifies: None,
        });
    }

    covered.sort_unstable();
    scan_untagged(gaz, body, tokens, sents, &covered, &named, p, &mut out);
    scan_hyphenated(gaz, body, tokens, &covered, p, &mut out);
    if p.streets {
        scan_streets(body, tokens, &mut out);
    }
    if p.place_context {
        in_place_context(gaz, body, tokens, mentions, &slice, &mut out);
        untagged_after_preposition(gaz, body, tokens, mentions, &mut out);
        same_name_elsewhere(gaz, mentions, &slice, &mut out);
    }
    out.sort_by_key(|t| (t.start, std::cmp::Reverse(t.end)));
    // Overlaps (a scan match inside a tagged span): the first, longest wins.
    let mut kept: Vec<Toponym> = Vec::with_capacity(out.len());
    for t in out {
        if kept.last().is_some_and(|k| t.start < k.end) {
            continue;
        }
        kept.push(t);
    }
    add_qualifiers(gaz, body, tokens, &mut kept);
    kept
}

/// Last words of a name that make it an organisation's (or its seat's) rather than a place's:
/// "Mayo County Council", "West Virginia Division of…", "Hartford Police". The place is the
/// name's leading part.
const ORG_NOUNS: &[&str] =
    &["council", "division", "department", "police", "commission", "commissioner", "court", "airport"];

/// The place in a tagged place span: the span up to a comma and a lower-case word ("Hungerford
/// St., police"), and, when it ends in an organisation noun ("Mayo County Council"), its
/// longest leading part the gazetteer knows.
fn place_part<'a>(gaz: &Gazetteer, text: &'a str, key: &mut String) -> &'a str {
    let mut text = text;
    if let Some(i) = text.find(", ")
        && text[i + 2..].chars().next().is_some_and(char::is_lowercase)
    {
        text = &text[..i];
    }
    let Some((_, last)) = text.rsplit_once(' ') else { return text };
    let last = last.trim_end_matches(['.', ',']).to_ascii_lowercase();
    if !ORG_NOUNS.contains(&last.as_str()) {
        return text;
    }
    let mut head = text;
    while let Some((h, _)) = head.rsplit_once(' ') {
        head = h;
        normalise(head, key);
        if known(gaz, key, false).is_some_and(|(_, _, k)| k != NameKind::Adjective) {
            return head;
        }
    }
    text
}

/// Street nouns: capitalised words before one name a street or road.
const STREET_NOUNS: &[&str] = &[
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
const ROUTE_PREFIXES: &[&str] =
    &["interstate", "highway", "route", "hwy", "us", "sr", "cr", "fm", "i", "state route", "county road"];

fn is_route_number(w: &str) -> bool {
    !w.is_empty() && w.len() <= 5 && w.chars().all(|c| c.is_ascii_digit())
}

/// "A417", "M25", "US-24", "I-95": a road number in one token.
fn is_road_token(w: &str) -> bool {
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
fn scan_streets(body: &str, tokens: &[Token], out: &mut Vec<Toponym>) {
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
        out.push(Toponym {
            start: tokens[s].char_start,
            end: end_char,
            text,
            key: key.clone(),
            found: Found::Street,
            as_actor: false,
            qualifies: None,
        });
    };
    let name_word = |w: &str| {
        (is_cap(w) && w.chars().any(char::is_alphabetic))
            || (w.chars().next().is_some_and(|c| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].iter().any(|x| w.ends_with(x)))
    };
    for i in 0..tokens.len() {
        let w = tokens[i].text(body);
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

/// Mentions the tagger gave another kind that the gazetteer knows as a place, where the
/// context says place: after "in"/"near"/"outside", before a comma and a state or country
/// ("Glen Allen, Va."), or before "County"/"Parish" ("Laurel County").
fn in_place_context<'a>(
    gaz: &Gazetteer,
    body: &'a str,
    tokens: &[Token],
    mentions: &[Mention],
    slice: &dyn Fn(usize, usize) -> &'a str,
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    for m in mentions {
        if matches!(m.kind, EntityKind::Place) {
            continue;
        }
        let (s, e) = (m.span.start, m.span.end);
        let ti = tokens.partition_point(|t| t.char_start < s);
        let tj = tokens.partition_point(|t| t.char_end < e);
        if tokens.get(ti).is_none_or(|t| t.char_start != s) || tokens.get(tj).is_none_or(|t| t.char_end != e)
        {
            continue;
        }
        let text = slice(s, e);
        if !is_cap(text) {
            continue;
        }
        let is_word = |k: usize, words: &[&str]| {
            tokens.get(k).is_some_and(|t| words.iter().any(|w| t.text(body).eq_ignore_ascii_case(w)))
        };
        // The context first (cheap), the gazetteer only where it says place.
        let county = is_word(tj + 1, &["county", "parish"]);
        let place_prep = ti > 0 && is_word(ti - 1, &["in", "near", "outside"]);
        let comma = tokens.get(tj + 1).is_some_and(|t| t.text(body) == ",")
            && tokens.get(tj + 2).is_some_and(|q| is_cap(q.text(body)));
        if !(county || place_prep || comma) {
            continue;
        }
        // "Laurel County", "Pointe Coupee Parish".
        if county {
            let t2 = &body[tokens[ti].start..tokens[tj + 1].end];
            normalise(t2, &mut key);
            if known(gaz, &key, false).is_some_and(|(l, _, _)| matches!(l, Level::Adm2 | Level::Adm3)) {
                out.push(Toponym {
                    start: s,
                    end: tokens[tj + 1].char_end,
                    text: t2.to_string(),
                    key: key.clone(),
                    found: Found::Context,
                    as_actor: false,
                    qualifies: None,
                });
                continue;
            }
        }
        normalise(text, &mut key);
        let Some((level, _, kind)) = known(gaz, &key, false) else { continue };
        if kind == NameKind::Adjective || level == Level::Continent {
            continue;
        }
        // A comma and a state or country after it.
        let qualified = comma
            && tokens.get(tj + 2).is_some_and(|q| {
                let mut k = String::new();
                normalise(q.text(body), &mut k);
                gaz.lookup_key(&k).iter().any(|c| {
                    matches!(gaz.entry(c.entry).level, Level::Country | Level::Adm1)
                        && c.kind != NameKind::Adjective
                })
            });
        if place_prep || qualified {
            out.push(Toponym {
                start: s,
                end: e,
                text: text.to_string(),
                key: key.clone(),
                found: Found::Context,
                as_actor: false,
                qualifies: None,
            });
        }
    }
}

/// One name, one sense per article: a mention the tagger called a person or organisation
/// whose whole text is, letter for letter, a toponym the tagger or the gazetteer scan found
/// elsewhere in the article ("Mansfield" the council beside "Mansfield" the town) is that
/// toponym too, when the gazetteer has it as a town or region.
fn same_name_elsewhere<'a>(
    gaz: &Gazetteer,
    mentions: &[Mention],
    slice: &dyn Fn(usize, usize) -> &'a str,
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    let mut added = Vec::new();
    for m in mentions {
        if !matches!(m.kind, EntityKind::Person | EntityKind::Organisation) {
            continue;
        }
        let (s, e) = (m.span.start, m.span.end);
        let text = slice(s, e);
        if !is_cap(text)
            || out.iter().any(|t| t.start < e && s < t.end)
            || (text.len() <= 4 && text.chars().all(|c| !c.is_lowercase()))
            || !out.iter().any(|t| t.text == text && matches!(t.found, Found::Tagged | Found::Gazetteer))
        {
            continue;
        }
        // A surname the tagger once took for a place: the person reading is the majority.
        if m.kind == EntityKind::Person {
            let as_person = mentions
                .iter()
                .filter(|o| o.kind == EntityKind::Person && slice(o.span.start, o.span.end) == text)
                .count();
            if as_person > out.iter().filter(|t| t.text == text).count() {
                continue;
            }
        }
        normalise(text, &mut key);
        let Some((level, _, kind)) = known(gaz, &key, false) else { continue };
        if kind == NameKind::Adjective || level == Level::Continent {
            continue;
        }
        added.push(Toponym {
            start: s,
            end: e,
            text: text.to_string(),
            key: key.clone(),
            found: Found::Context,
            as_actor: m.kind == EntityKind::Organisation,
            qualifies: None,
        });
    }
    out.extend(added);
}

/// "in Shadyside", "near Scottdale": a capitalised word (or two) no mention covers, right after
/// a place preposition, that the gazetteer has by its own name as a town or district, however
/// small.
fn untagged_after_preposition(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    mentions: &[Mention],
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    let taken = |s: usize, e: usize, out: &[Toponym]| {
        mentions.iter().any(|m| m.span.start < e && s < m.span.end)
            || out.iter().any(|t| t.start < e && s < t.end)
    };
    for i in 1..tokens.len() {
        let prev = tokens[i - 1].text(body);
        if !matches!(prev, "in" | "near" | "outside") {
            continue;
        }
        let w = tokens[i].text(body);
        let lower = w.to_lowercase();
        if !is_cap(w)
            || NOT_PLACES.contains(&lower.as_str())
            || newsloom_model::calendar::is_month_or_weekday(&lower)
        {
            continue;
        }
        // The longest of two words or one, and not the start of a longer capitalised name.
        for n in [2usize, 1] {
            let Some(last) = tokens.get(i + n - 1) else { continue };
            if (i..i + n).any(|k| !is_cap(tokens[k].text(body)))
                || tokens.get(i + n).is_some_and(|t| is_cap(t.text(body)))
            {
                continue;
            }
            let text = &body[tokens[i].start..last.end];
            normalise(text, &mut key);
            let Some((level, _, NameKind::Primary)) = known_as(gaz, &key, false, false) else { continue };
            if !matches!(level, Level::City | Level::Adm2 | Level::Adm3)
                || taken(tokens[i].char_start, last.char_end, out)
            {
                break;
            }
            out.push(Toponym {
                start: tokens[i].char_start,
                end: last.char_end,
                text: text.to_string(),
                key: key.clone(),
                found: Found::Context,
                as_actor: false,
                qualifies: None,
            });
            break;
        }
    }
}

/// Capitalised sequences no mention covers that the gazetteer names precisely.
#[allow(clippy::too_many_arguments)]
fn scan_untagged(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    sents: &[(usize, usize)],
    covered: &[(usize, usize)],
    named: &[(usize, usize, bool)],
    p: &DetectParams,
    out: &mut Vec<Toponym>,
) {
    // `covered` is sorted by start (see `detect`): check the few ranges starting before the token.
    let is_covered = |t: &Token| {
        let i = covered.partition_point(|&(s, _)| s < t.char_end);
        covered[i.saturating_sub(3)..i].iter().any(|&(_, e)| t.char_start < e)
    };
    // Inside an organisation's (or other) name, a place is any part but the last ("Gainesville
    // Police", "the Tarrant County Medical Examiner"), unless after "of" ("University of
    // Kentucky"), and never an organisation's whole name ("Hamas").
    // A single word the tagger calls an organisation is a place when it is a city of 100,000
    // ("A Gainesville man"), or named as a place elsewhere in the article.
    let inside_name = |first: &Token, last: &Token, prev: Option<&str>, pop: u64| -> Option<bool> {
        let &(s, e, org) = named.iter().find(|&&(s, e, _)| first.char_start < e && s < first.char_end)?;
        let whole = first.char_start <= s && last.char_end >= e;
        let ends = last.char_end >= e && !prev.is_some_and(|w| matches!(w, "of" | "in"));
        Some(!(org && ((whole && pop < 100_000) || (ends && !whole))) && last.char_end <= e)
    };
    // Names rejected only for where they stand (a sentence's first word, a small town): taken
    // after all if the same name is a toponym elsewhere in the article.
    let mut pending: Vec<Toponym> = Vec::new();
    let sent_starts: Vec<usize> = sents.iter().map(|&(s, _)| s).collect();
    let mut key = String::new();
    let mut i = 0;
    let mut mid_until = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let word = t.text(body);
        let lower = word.to_lowercase();
        let lower = lower.trim_end_matches('.');
        if !is_cap(word) || is_covered(t) || LEADING_WORDS.contains(&lower) {
            i += 1;
            continue;
        }
        if let Some((end, text)) = dotted_or_dateline(gaz, body, tokens, i, &sent_starts) {
            normalise(text, &mut key);
            out.push(Toponym {
                start: t.char_start,
                end: tokens[end - 1].char_end,
                text: text.to_string(),
                key: key.clone(),
                found: Found::Gazetteer,
                as_actor: false,
                qualifies: None,
            });
            i = end;
            continue;
        }
        // The run of capitalised, uncovered tokens from here (at most 4).
        let mut run = i;
        while run < tokens.len() && run - i < 4 && is_cap(tokens[run].text(body)) && !is_covered(&tokens[run])
        {
            run += 1;
        }
        let sentence_start = sent_starts.binary_search(&i).is_ok()
            || (i > 0 && matches!(tokens[i - 1].text(body), "\"" | "“" | "(" | "-" | "—" | ":"));
        // Inside a capitalised run whose start matched nothing ("Rev. Roy Jones", "Western
        // Pennsylvania"): a name here is a place after a direction word or when it is a
        // country or first-level region; others only if named as places elsewhere.
        let mid = i < mid_until;
        let after_direction = mid && {
            let w = tokens[i - 1].text(body);
            DIRECTIONS.iter().any(|d| d.eq_ignore_ascii_case(w))
        };
        let mut matched = None;
        for end in (i + 1..=run).rev() {
            let text = &body[t.start..tokens[end - 1].end];
            normalise(text, &mut key);
            let words = end - i;
            // One untagged word is a place by its own name only ("Moskva" needs the tagger).
            let Some((level, pop, kind)) = known_as(gaz, &key, true, words > 1) else { continue };
            // "Dublin City Council", "Alexandria City Public Schools": "X City" before another
            // name word is X's government unless a town has "X City" as its own name.
            if words > 1
                && key.ends_with(" city")
                && tokens.get(end).is_some_and(|n| is_cap(n.text(body)))
                && !gaz.lookup_key(&key).iter().any(|c| {
                    c.kind == NameKind::Primary && gaz.entry(c.entry).level == Level::City
                })
            {
                continue;
            }
            if words == 1
                && (NOT_PLACES.contains(&lower) || newsloom_model::calendar::is_month_or_weekday(lower))
            {
                continue;
            }
            let prev = i.checked_sub(1).map(|j| tokens[j].text(body));
            if inside_name(t, &tokens[end - 1], prev, pop) == Some(false) {
                if !adjective_kind(kind) {
                    pending.push(Toponym {
                        start: t.char_start,
                        end: tokens[end - 1].char_end,
                        text: text.to_string(),
                        key: key.clone(),
                        found: Found::Gazetteer,
                        as_actor: false,
                        qualifies: None,
                    });
                }
                continue;
            }
            let adjective = kind == NameKind::Adjective;
            let ok = if adjective {
                looks_adjectival(text) || level == Level::Country
            } else {
                match level {
                    Level::Continent | Level::Country | Level::Adm1 => true,
                    Level::Adm2 | Level::Adm3 => words > 1 || pop >= p.scan_min_population,
                    Level::City => {
                        pop >= p.scan_min_population || (words > 1 && (pop >= 1000 || kind == NameKind::Primary))
                    }
                }
            };
            // A capitalised word opening a sentence is often not a name at all.
            let ok = ok && (!mid || (!adjective && (after_direction || level <= Level::Adm1)));
            if ok && (!sentence_start || words > 1 || level <= Level::Adm1) {
                matched = Some((end, text));
                break;
            }
            if !adjective && pending.last().is_none_or(|t: &Toponym| t.start != tokens[i].char_start) {
                pending.push(Toponym {
                    start: t.char_start,
                    end: tokens[end - 1].char_end,
                    text: text.to_string(),
                    key: key.clone(),
                    found: Found::Gazetteer,
                    as_actor: false,
                    qualifies: None,
                });
            }
        }
        match matched {
            Some((end, text)) => {
                normalise(text, &mut key);
                out.push(Toponym {
                    start: t.char_start,
                    end: tokens[end - 1].char_end,
                    text: text.to_string(),
                    key: key.clone(),
                    found: Found::Gazetteer,
                    as_actor: false,
                    qualifies: None,
                });
                i = end;
            }
            // A longer run may hold a name further on ("Western Pennsylvania").
            None => {
                mid_until = mid_until.max(run);
                i += 1;
            }
        }
    }
    let keys: std::collections::HashSet<&str> = out.iter().map(|t| t.key.as_str()).collect();
    let confirmed: Vec<Toponym> = pending.into_iter().filter(|t| keys.contains(t.key.as_str())).collect();
    out.extend(confirmed);
}

/// Forms the word-by-word scan misses, at token `i`: a state abbreviation after a comma
/// ("…, Okla.", found or not the place before it), a dotted abbreviation ("U.S.", "D.C.",
/// "S.C.": a country's code or a US state's abbreviation, the final dot included), and a
/// dateline in capitals opening a sentence ("MIDDLETOWN —", "ROCKY HILL, Conn."), a place of
/// any size the gazetteer has by that name. Returns the end token and the text.
fn dotted_or_dateline<'a>(
    gaz: &Gazetteer,
    body: &'a str,
    tokens: &[Token],
    i: usize,
    sent_starts: &[usize],
) -> Option<(usize, &'a str)> {
    let t = &tokens[i];
    let word = t.text(body);
    let mut key = String::new();
    // "U.S" + ".": letters each followed by a dot.
    let b = word.as_bytes();
    let dotted = b.len() >= 3
        && b.iter().enumerate().all(|(k, c)| if k % 2 == 0 { c.is_ascii_uppercase() } else { *c == b'.' });
    if dotted {
        let end = if word.ends_with('.') {
            i + 1
        } else {
            tokens.get(i + 1).filter(|n| n.start == t.end && n.text(body) == ".")?;
            i + 2
        };
        let text = &body[t.start..tokens[end - 1].end];
        normalise(text, &mut key);
        let fits = gaz.lookup_key(&key).iter().any(|c| {
            let e = gaz.entry(c.entry);
            match e.level {
                Level::Country => true,
                Level::Adm1 => c.kind != NameKind::Adjective,
                _ => false,
            }
        });
        return fits.then_some((end, text));
    }
    // A state's abbreviation after a comma ("…, Okla."), whether or not the place before it
    // was found.
    if word.len() >= 2 && word.len() <= 5 && i > 0 && tokens[i - 1].text(body) == "," {
        let end = if word.ends_with('.') {
            i + 1
        } else {
            tokens.get(i + 1).filter(|n| n.start == t.end && n.text(body) == ".")?;
            i + 2
        };
        let text = &body[t.start..tokens[end - 1].end];
        normalise(text, &mut key);
        let fits = gaz
            .lookup_key(&key)
            .iter()
            .any(|c| c.kind == NameKind::Abbreviation && gaz.entry(c.entry).level == Level::Adm1);
        return fits.then_some((end, text));
    }
    // A dateline: capitals from a sentence's start up to a dash or a comma.
    if word.len() < 3 || !word.chars().all(|c| c.is_uppercase() || c == '.') {
        return None;
    }
    let opens = sent_starts.binary_search(&i).is_ok()
        || i == 0
        || body[tokens[i - 1].end..t.start].contains('\n');
    if !opens {
        return None;
    }
    let mut end = i + 1;
    while end < tokens.len() && end - i < 3 {
        let w = tokens[end].text(body);
        if w.len() < 2 || !w.chars().all(|c| c.is_uppercase() || c == '.') {
            break;
        }
        end += 1;
    }
    let after = tokens.get(end)?.text(body);
    if !matches!(after, "—" | "–" | "-" | "--" | ",") {
        return None;
    }
    let text = &body[t.start..tokens[end - 1].end];
    normalise(text, &mut key);
    let lower = key.as_str();
    if NOT_PLACES.contains(&lower) || newsloom_model::calendar::is_month_or_weekday(lower) {
        return None;
    }
    known_as(gaz, &key, false, true).filter(|&(level, _, _)| level != Level::Continent)?;
    Some((end, text))
}

/// Places joined into one hyphenated word: "Texas-based", "Egypt-US relations",
/// "Logan-Rogersville", "Athens-Clarke County". Each capitalised part that is a country or
/// first-level region, or a town or county of the scan's size, by its own name, is a toponym
/// (parts are not scanned otherwise; a word the gazetteer knows whole is left to the scan).
fn scan_hyphenated(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    covered: &[(usize, usize)],
    p: &DetectParams,
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    let mut found = Vec::new();
    for (ti, t) in tokens.iter().enumerate() {
        if !body.as_bytes()[t.start..t.end].contains(&b'-') {
            continue;
        }
        let word = t.text(body);
        if !is_cap(word) {
            continue;
        }
        if covered.iter().any(|&(s, e)| s < t.char_end && t.char_start < e)
            || out.iter().any(|o| o.start < t.char_end && t.char_start < o.end)
        {
            continue;
        }
        normalise(word, &mut key);
        if gaz.has_key(&key) {
            continue;
        }
        let parts: Vec<&str> = word.split('-').collect();
        // Names joined ("Agence France-Presse", "Navarro-Valls") are one name: every
        // capitalised part of three letters or more must be a place name.
        let names: Vec<&&str> = parts.iter().filter(|w| is_cap(w) && w.chars().count() >= 3).collect();
        if names.len() > 1
            && !names.iter().all(|w| {
                normalise(w, &mut key);
                gaz.has_key(&key)
            })
        {
            continue;
        }
        let mut offset = 0; // chars into the word
        for (pi, part) in parts.iter().enumerate() {
            let start = t.char_start + offset;
            offset += part.chars().count() + 1;
            if part.chars().count() < 3 && !(part.len() == 2 && part.chars().all(|c| c.is_ascii_uppercase())) {
                continue;
            }
            if !is_cap(part) || !part.chars().all(char::is_alphabetic) {
                continue;
            }
            let lower = part.to_lowercase();
            if NOT_PLACES.contains(&lower.as_str()) || newsloom_model::calendar::is_month_or_weekday(&lower) {
                continue;
            }
            // "Athens-Clarke County": the last part with the word after it.
            if pi + 1 == parts.len()
                && let Some(next) = tokens.get(ti + 1)
                && matches!(next.text(body), "County" | "Parish")
            {
                let text = &body[t.start + (word.len() - part.len())..next.end];
                normalise(text, &mut key);
                if known_as(gaz, &key, false, false).is_some() {
                    found.push((start, next.char_end, text.to_string(), key.clone()));
                    continue;
                }
            }
            normalise(part, &mut key);
            let code = part.len() == 2;
            let Some((level, pop, _)) = known_as(gaz, &key, code, code) else { continue };
            let ok = match level {
                Level::Continent | Level::Country | Level::Adm1 => !code || level == Level::Country,
                Level::Adm2 | Level::Adm3 | Level::City => !code && pop >= p.scan_min_population,
            };
            if ok {
                found.push((start, start + part.chars().count(), part.to_string(), key.clone()));
            }
        }
    }
    out.extend(found.into_iter().map(|(start, end, text, key)| Toponym {
        start,
        end,
        text,
        key,
        found: Found::Gazetteer,
        as_actor: false,
        qualifies: None,
    }));
}

/// "Alexandria, Va.", "Paris, Texas", "Sochi, Russia": the name after the comma is a toponym
/// (added when missing) that qualifies the one before it.
fn add_qualifiers(gaz: &Gazetteer, body: &str, tokens: &[Token], tops: &mut Vec<Toponym>) {
    let mut key = String::new();
    let mut added = Vec::new();
    for (ti, t) in tops.iter().enumerate() {
        // The token right after the toponym must be a comma.
        let k = tokens.partition_point(|x| x.char_start < t.end);
        if k >= tokens.len() {
            continue;
        }
        if tokens[k].text(body) != "," || k + 1 >= tokens.len() {
            continue;
        }
        let q = &tokens[k + 1];
        // One or two tokens ("Va.", "New York", "W. Va.").
        for n in [2usize, 1] {
            if k + n >= tokens.len() {
                continue;
            }
            let last = &tokens[k + n];
            if !is_cap(last.text(body)) || !is_cap(q.text(body)) {
                continue;
            }
            let text = &body[q.start..last.end];
            normalise(text, &mut key);
            let fits = gaz.lookup_key(&key).iter().any(|c| {
                let e = gaz.entry(c.entry);
                matches!(e.level, Level::Country | Level::Adm1) && c.kind != NameKind::Adjective
            });
            if fits {
                added.push((ti, q.char_start, last.char_end, text.to_string(), key.clone()));
                break;
            }
        }
    }
    for (ti, s, e, text, key) in added {
        match tops.iter().position(|t| t.start == s && t.end == e) {
            Some(j) => tops[j].qualifies = Some(ti),
            None => {
                if tops.iter().any(|t| t.start < e && s < t.end) {
                    continue;
                }
                tops.push(Toponym {
                    start: s,
                    end: e,
                    text,
                    key,
                    found: Found::Qualifier,
                    as_actor: false,
                    qualifies: Some(ti),
                })
            }
        }
    }
    // Keep document order; re-point the qualifier links after sorting.
    let mut order: Vec<usize> = (0..tops.len()).collect();
    order.sort_by_key(|&i| tops[i].start);
    let mut new_pos = vec![0; tops.len()];
    for (new, &old) in order.iter().enumerate() {
        new_pos[old] = new;
    }
    let mut sorted: Vec<Toponym> = order.iter().map(|&i| tops[i].clone()).collect();
    for t in &mut sorted {
        t.qualifies = t.qualifies.map(|q| new_pos[q]);
    }
    *tops = sorted;
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsloom_model::Span;

    fn mention(body: &str, text: &str, nth: usize, kind: EntityKind) -> Mention {
        let start = body.match_indices(text).nth(nth).expect("text in body").0;
        Mention {
            entity: text.into(),
            text: text.into(),
            kind,
            span: Span::new("t", start, start + text.len()),
            confidence: 1.0,
        }
    }

    fn spans(body: &str, mentions: &[Mention], p: &DetectParams) -> Vec<(String, Found)> {
        detect(Gazetteer::shared(), body, mentions, p).into_iter().map(|t| (t.text, t.found)).collect()
    }

    #[test]
    fn streets_and_numbered_roads_are_toponyms() {
        let body = "A fire broke out on Wichita Drive near Augusta St. on Tuesday. St. John and Dr. Kale \
                    helped. Traffic on Interstate 64 and the A417 was slow, and KY 52 was closed.";
        let got = spans(body, &[], &DetectParams::default());
        for want in ["Wichita Drive", "Augusta St.", "Interstate 64", "A417", "KY 52"] {
            assert!(got.iter().any(|(t, f)| t == want && *f == Found::Street), "{want} in {got:?}");
        }
        assert!(
            !got.iter().any(|(t, f)| *f == Found::Street && (t.contains("John") || t.contains("Kale"))),
            "{got:?}"
        );
        let off = spans(body, &[], &DetectParams { streets: false, ..DetectParams::default() });
        assert!(!off.iter().any(|(_, f)| *f == Found::Street));
    }

    #[test]
    fn person_or_organisation_names_in_a_place_context_are_toponyms() {
        let body = "Parker grew up in Greer and later moved to Glen Allen, Va., then to Laurel County. \
                    Parker said Greer was home.";
        let mentions = [
            mention(body, "Parker", 0, EntityKind::Person),
            mention(body, "Greer", 0, EntityKind::Person),
            mention(body, "Glen Allen", 0, EntityKind::Person),
            mention(body, "Laurel", 0, EntityKind::Person),
            mention(body, "Parker", 1, EntityKind::Person),
            mention(body, "Greer", 1, EntityKind::Organisation),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["Greer", "Glen Allen", "Laurel County"] {
            assert!(got.iter().any(|(t, f)| t == want && *f == Found::Context), "{want} in {got:?}");
        }
        // The qualifier after the comma is found too; the people stay people.
        assert!(got.iter().any(|(t, _)| t == "Va."), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t == "Parker"), "{got:?}");
        // Without "in" before it and without a qualifier, the second Greer is left alone.
        assert_eq!(got.iter().filter(|(t, _)| t == "Greer").count(), 1, "{got:?}");
    }

    #[test]
    fn an_untagged_small_town_after_in_is_a_toponym() {
        let body = "The water main broke in Shadyside on Monday, in March, and in Anytown Heights.";
        let got = spans(body, &[], &DetectParams::default());
        assert!(got.iter().any(|(t, f)| t == "Shadyside" && *f == Found::Context), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t == "March" || t.starts_with("Anytown")), "{got:?}");
    }

    #[test]
    fn organisation_nouns_and_city_governments_leave_the_place() {
        let body = "Members of the Laurel County Council met. Shortly after, Dublin City Council members voted. \
                    Later he moved to Kansas City Missouri.";
        let mentions = [mention(body, "Laurel County Council", 0, EntityKind::Place)];
        let got = spans(body, &mentions, &DetectParams::default());
        assert!(got.iter().any(|(t, f)| t == "Laurel County" && *f == Found::Tagged), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "Dublin"), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "Kansas City"), "{got:?}");
    }

    #[test]
    fn plural_demonyms_name_their_country() {
        let body = "Many Syrians and Iraqis came.";
        let mentions = [mention(body, "Syrians", 0, EntityKind::Misc), mention(body, "Iraqis", 0, EntityKind::Misc)];
        let tops = detect(Gazetteer::shared(), body, &mentions, &DetectParams::default());
        let keys: Vec<&str> = tops.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["syrian", "iraqi"]);
    }

    #[test]
    fn a_place_later_in_a_capitalised_run_is_found_after_a_direction_word() {
        let body = "He was taken to the clinic of the Association of Western Pennsylvania. The Rev. Roy Jones spoke.";
        let got = spans(body, &[], &DetectParams::default());
        assert!(got.iter().any(|(t, _)| t == "Pennsylvania"), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t == "Roy"), "{got:?}");
    }

    #[test]
    fn places_inside_hyphenated_words_are_toponyms() {
        let body = "A Texas-based firm backed the Logan-Rogersville schools and an EU-Israel summit, \
                    Agence France-Presse said.";
        let got = spans(body, &[], &DetectParams::default());
        for want in ["Texas", "Logan", "Israel"] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        assert!(!got.iter().any(|(t, _)| t == "France"), "{got:?}");
    }

    #[test]
    fn dotted_abbreviations_and_capital_datelines_are_toponyms() {
        let body = "ROCKY HILL — He works for the U.S. Attorney’s office in Columbia, S.C., officials said.";
        let mentions = [mention(body, "U.S. Attorney", 0, EntityKind::Organisation)];
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["ROCKY HILL", "U.S.", "S.C."] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        let body = "The couple moved to Smallville, Okla., last year.";
        let got = spans(body, &[], &DetectParams::default());
        for want in ["Okla."] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        let got = spans("MONDAY — Nothing happened. THE END, he said.", &[], &DetectParams::default());
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_person_or_organisation_named_like_a_tagged_place_is_that_place() {
        let body = "Crews worked in Mansfield on Monday. Mansfield approved the plan. Welch said Welch \
                    would go to Welch.";
        let mentions = [
            mention(body, "Mansfield", 0, EntityKind::Place),
            mention(body, "Mansfield", 1, EntityKind::Organisation),
            mention(body, "Welch", 0, EntityKind::Person),
            mention(body, "Welch", 1, EntityKind::Person),
            mention(body, "Welch", 2, EntityKind::Place),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        assert_eq!(got.iter().filter(|(t, _)| t == "Mansfield").count(), 2, "{got:?}");
        assert_eq!(got.iter().filter(|(t, _)| t == "Welch").count(), 1, "{got:?}");
    }

    #[test]
    fn a_county_tagged_as_an_organisation_is_the_county() {
        let body = "Laurel County approved the budget on Monday.";
        let mentions = [mention(body, "Laurel County", 0, EntityKind::Organisation)];
        let got = spans(body, &mentions, &DetectParams::default());
        assert_eq!(got, vec![("Laurel County".to_string(), Found::Retyped)]);
    }

    #[test]
    fn the_eu_and_supplementary_adjectives_are_retyped_places() {
        let body = "EU ministers met Ukrainian and European officials.";
        let mentions = [
            mention(body, "EU", 0, EntityKind::Organisation),
            mention(body, "Ukrainian", 0, EntityKind::Misc),
            mention(body, "European", 0, EntityKind::Misc),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["EU", "Ukrainian", "European"] {
            assert!(got.iter().any(|(t, f)| t == want && *f == Found::Retyped), "{want} in {got:?}");
        }
        let gaz = Gazetteer::shared();
        let eu = gaz.lookup("European Union");
        assert!(eu.iter().any(|c| gaz.entry(c.entry).geonameid == 6_255_148));
        let ua = gaz.lookup("Ukrainian");
        assert!(ua.iter().any(|c| gaz.entry(c.entry).geonameid == 690_791 && c.kind == NameKind::Adjective));
    }
}
