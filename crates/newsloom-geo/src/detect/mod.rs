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

mod context;
mod region;
mod roads;
mod scan;
mod trim;
mod unknown;

use context::{in_place_context, same_name_elsewhere, untagged_after_preposition, widen_to_known_names};
pub use region::{article_region, merge, organisations_in_region};
use roads::scan_streets;
use scan::{scan_hyphenated, scan_untagged};
use trim::place_part;
#[cfg(test)]
use trim::run_on_cut;
use unknown::unknown_place_like;

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
    /// place's context ("in Greer", "Glen Allen, Va.", "Laurel County"), or an organisation
    /// named like a town of the article's region (see [`organisations_in_region`]).
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

impl Toponym {
    /// A toponym that is not an actor and qualifies no other.
    fn new(start: usize, end: usize, text: impl Into<String>, key: &str, found: Found) -> Self {
        Toponym {
            start,
            end,
            text: text.into(),
            key: key.to_string(),
            found,
            as_actor: false,
            qualifies: None,
        }
    }
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

/// Words after a place name that make it a pathogen's or a disease's name.
const DISEASE_NOUNS: &[&str] = &["virus", "viruses", "fever", "disease", "encephalitis"];

/// Words that start a capitalised sequence without being part of a place name.
const LEADING_WORDS: &[&str] =
    &["the", "in", "at", "on", "of", "from", "to", "for", "and", "by", "near", "a"];

/// Capitalised words that are towns somewhere but in running text lead institution names or
/// are abbreviations (directions are [`DIRECTIONS`]; see [`not_a_place`]).
const NOT_PLACES: &[&str] = &[
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

/// Articles, prepositions and conjunctions of the other languages newsloom ingests (Spanish,
/// Italian, French, Portuguese, German, Dutch, Catalan). Capitalised at a sentence's start
/// they are tagged or scanned as one-word names, and the gazetteer has towns or alternate names
/// spelt so ("El", "Il", "La"): in running text they never name a place. "Van" (Turkey) and
/// "Como" are left out; dotted abbreviations ("La.", Louisiana) do not match.
const FUNCTION_WORDS: &[&str] = &[
    "el", "la", "los", "las", "lo", "il", "le", "les", "gli", "un", "una", "uno", "une", "des", "del",
    "della", "delle", "dei", "di", "da", "de", "du", "het", "een", "der", "die", "das", "den", "dem", "y",
    "e", "o", "en", "et", "al", "au", "aux", "con", "per", "por", "para", "nel", "nella", "im", "am", "zum",
    "zur", "und", "ou", "os", "as", "na", "no", "ao", "se", "si", "que", "qui", "che", "non", "ma", "pero",
    "es", "est",
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

/// A lowercased word that names no place in running text though towns bear it: a direction,
/// an institution noun, a month or a weekday.
fn not_a_place(lower: &str) -> bool {
    DIRECTIONS.contains(&lower)
        || NOT_PLACES.contains(&lower)
        || newsloom_model::calendar::is_month_or_weekday(lower)
}

/// One-word place names that are common words ("Spring", "Superior", "Best", "Metro"), from
/// `data/common-words.txt` (see `build_common_words.py`).
static COMMON_WORDS: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../data/common-words.txt").lines().filter(|l| !l.starts_with('#')).collect()
    });

/// A one-word name (normalised `key`) that is a town or district's and also a common word: in
/// running text, capitalised, it starts or is a title or another name ("Superior Court",
/// "PRIDE Spring Cleanup", "Best Western") far more often than it names the town, so the
/// gazetteer scan and context rules leave it to the tagger. Not when the word also names a
/// country or a first-level region of some size in any form ("US", "Georgia"); a small
/// municipality that is a first-level region (Slovenia's "Štore", 2,257 people, beside "iTunes
/// Music Store") counts as a town.
fn common_word_town(gaz: &Gazetteer, key: &str, level: Level) -> bool {
    let region = |c: &crate::gazetteer::Candidate| {
        let e = gaz.entry(c.entry);
        e.level < Level::Adm1 || (e.level == Level::Adm1 && e.population >= SMALL_REGION)
    };
    level >= Level::Adm1 && COMMON_WORDS.contains(key) && !gaz.candidates(key).any(|c| region(&c))
}

/// First-level regions with fewer people than this are treated as towns by [`common_word_town`].
const SMALL_REGION: u64 = 50_000;

/// Nationality-style suffixes: a country alias with one is an adjective or demonym.
pub(crate) fn looks_adjectival(text: &str) -> bool {
    let t = text.trim_end_matches('s');
    ["an", "ese", "ish", "i", "ic", "ch", "ean", "ian"].iter().any(|s| t.ends_with(s))
}

/// `word` lowercased into `buf` (reused: no allocation per word).
fn lower_into<'b>(word: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if word.is_ascii() {
        buf.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
    buf
}

/// `text` without trailing possessives ("Kelin’s" → "Kelin"); `strip_suffix` rather than
/// `trim_end_matches`, whose substring searcher is set up anew on every call.
fn strip_possessive(mut text: &str) -> &str {
    while let Some(t) = text.strip_suffix("’s").or_else(|| text.strip_suffix("'s")) {
        text = t;
    }
    text
}

/// Whether `key` is a country's or continent's adjective or demonym, whatever else it names.
pub(crate) fn country_adjective(gaz: &Gazetteer, key: &str) -> bool {
    gaz.candidates(key).any(|c| {
        c.kind == NameKind::Adjective && matches!(gaz.entry(c.entry).level, Level::Continent | Level::Country)
    })
}

fn adjective_kind(k: NameKind) -> bool {
    k == NameKind::Adjective
}

fn is_cap(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

/// Char offset → byte offset over `body`, for slicing mention spans, without a table per
/// article: the identity on ASCII text, else from the nearest token starting at or before the
/// offset (tokens carry both), walking the few chars after it.
struct CharBytes<'a> {
    body: &'a str,
    tokens: &'a [Token],
    ascii: bool,
    /// Chars in `body`.
    len: usize,
}

impl<'a> CharBytes<'a> {
    fn new(body: &'a str, tokens: &'a [Token]) -> Self {
        let ascii = body.is_ascii();
        let len = if ascii { body.len() } else { body.chars().count() };
        CharBytes { body, tokens, ascii, len }
    }

    /// Byte offset of char offset `c` (clamped to the end).
    fn byte(&self, c: usize) -> usize {
        let c = c.min(self.len);
        if self.ascii {
            return c;
        }
        let k = self.tokens.partition_point(|t| t.char_start <= c);
        let (mut ch, mut b) = match k.checked_sub(1).map(|j| &self.tokens[j]) {
            Some(t) => (t.char_start, t.start),
            None => (0, 0),
        };
        let mut it = self.body[b..].chars();
        while ch < c {
            let Some(x) = it.next() else { break };
            b += x.len_utf8();
            ch += 1;
        }
        b
    }

    /// The text between two char offsets.
    fn slice(&self, s: usize, e: usize) -> &'a str {
        self.body.get(self.byte(s)..self.byte(e)).unwrap_or("")
    }
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
    let cb = CharBytes::new(body, tokens);
    let slice = |s: usize, e: usize| cb.slice(s, e);
    let mut out: Vec<Toponym> = Vec::new();
    let mut key = String::new();
    // Spans the gazetteer scan leaves alone: places (taken as tagged) and people. Names of
    // organisations and the like are scanned, since they embed places ("Dublin City Council",
    // "Texas Alcoholic Beverage Commission"), which count as toponyms.
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut named: Vec<(usize, usize, bool)> = Vec::new();
    for m in mentions {
        let (mut s, e) = (m.span.start, m.span.end);
        if e <= s || e > cb.len {
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
        let mut text = strip_possessive(text);
        if m.kind == EntityKind::Place {
            text = place_part(gaz, text, &mut key);
        }
        let e = s + text.chars().count();
        normalise(text, &mut key);
        let (found, as_actor) = match m.kind {
            EntityKind::Place => {
                if (!p.keep_unknown_tagged && known(gaz, &key, true).is_none())
                    || (!gaz.has_key(&key) && !unknown_place_like(text))
                {
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
                    if country_adjective(gaz, &singular) && looks_adjectival(text) {
                        key = singular;
                    }
                }
                // A country's adjective the tagger calls MISC is that, though a town bears the
                // word as its name ("Spanish", Ontario; "Canadian", Texas).
                let demonym =
                    m.kind == EntityKind::Misc && looks_adjectival(text) && country_adjective(gaz, &key);
                let reading = match demonym {
                    true => Some((Level::Country, 0, NameKind::Adjective)),
                    false => known(gaz, &key, true),
                };
                let Some((level, _, kind)) = reading else {
                    // "Cape Peron" as an organisation: a name the gazetteer lacks opening with
                    // a word for a kind of place; "Korean Peninsula", "Glenrock Lagoon" as an
                    // organisation or MISC: one ending in a natural feature's noun (no
                    // gazetteer entry: it takes the nearest place's point in resolution).
                    if ((m.kind == EntityKind::Organisation
                        && text.contains(' ')
                        && unknown::leads_with_a_kind_of_place(text))
                        || unknown::names_a_natural_feature(text))
                        && !gaz.has_key(&key)
                    {
                        out.push(Toponym::new(s, e, text, &key, Found::Retyped));
                    }
                    continue;
                };
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
                let Some((level, _, kind)) = known(gaz, &key, false) else {
                    // A name the gazetteer lacks that ends or opens with a word for a kind of
                    // place ("Squirrel Hill", "Jerome Township", "Lake Harriet"): detection only.
                    if text.contains(' ')
                        && (unknown::names_a_kind_of_place(text) || unknown::leads_with_a_kind_of_place(text))
                        && !gaz.has_key(&key)
                    {
                        out.push(Toponym::new(s, e, text, &key, Found::Retyped));
                    }
                    continue;
                };
                let region = matches!(level, Level::Country | Level::Adm1 | Level::Adm2);
                // So are towns whose name ends in a word for a kind of place ("Cedar Grove",
                // "Rocky Hill"), which no person's name does.
                let town = level == Level::City && unknown::names_a_kind_of_place(text);
                if !((region || town) && kind == NameKind::Primary && text.contains(' ')) {
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
        widen_to_known_names(gaz, body, tokens, &mut out);
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
    // "West Nile virus", "Marburg fever", "Minamata disease": the name is the pathogen's or the
    // disease's, not a place the text speaks of.
    kept.retain(|t| {
        let k = tokens.partition_point(|x| x.char_start < t.end);
        !tokens.get(k).is_some_and(|x| DISEASE_NOUNS.contains(&x.text(body)))
    });
    // "El", "Il": another language's article is no one-word place.
    kept.retain(|t| !FUNCTION_WORDS.iter().any(|w| t.text.eq_ignore_ascii_case(w)));
    add_qualifiers(gaz, body, tokens, &mut kept);
    kept
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

    pub(super) fn mention(body: &str, text: &str, nth: usize, kind: EntityKind) -> Mention {
        let start = body.match_indices(text).nth(nth).expect("text in body").0;
        Mention {
            entity: text.into(),
            text: text.into(),
            kind,
            span: Span::new("t", start, start + text.len()),
            confidence: 1.0,
        }
    }

    pub(super) fn spans(body: &str, mentions: &[Mention], p: &DetectParams) -> Vec<(String, Found)> {
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
        // Beside aircraft, "A380" is the Airbus; the A303 stays a road.
        let body = "The airline flies its A380 aircraft to Sydney. Traffic on the A303 was slow.";
        let got = spans(body, &[], &DetectParams::default());
        assert!(got.iter().any(|(t, f)| t == "A303" && *f == Found::Street), "{got:?}");
        assert!(!got.iter().any(|(t, _)| t == "A380"), "{got:?}");
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
    fn tagged_spans_lose_the_words_run_on_after_the_name() {
        assert_eq!(run_on_cut("Forum Drive and"), "Forum Drive");
        assert_eq!(run_on_cut("Wichita Drive instead of Wichita"), "Wichita Drive");
        assert_eq!(run_on_cut("West Wichita Saturday"), "West Wichita");
        assert_eq!(run_on_cut("ST. PAUL --"), "ST. PAUL");
        assert_eq!(run_on_cut("US and several other countries"), "US");
        for name in
            ["Dar es Salaam", "Cote d'Ivoire", "State of Illinois", "Trinidad and Tobago", "Hungerford St."]
        {
            assert_eq!(run_on_cut(name), name);
        }
    }

    #[test]
    fn an_unknown_person_tagged_name_ending_in_a_kind_of_place_is_a_toponym() {
        let body = "Zorvath Township trustees met Qelbin Smith at Qelbin Hill and Lake Orvish.";
        let mentions = [
            mention(body, "Zorvath Township", 0, EntityKind::Person),
            mention(body, "Qelbin Smith", 0, EntityKind::Person),
            mention(body, "Qelbin Hill", 0, EntityKind::Person),
            mention(body, "Lake Orvish", 0, EntityKind::Organisation),
        ];
        let got: Vec<String> =
            spans(body, &mentions, &DetectParams::default()).into_iter().map(|x| x.0).collect();
        assert_eq!(got, ["Zorvath Township", "Qelbin Hill", "Lake Orvish"]);
    }

    #[test]
    fn an_unknown_name_ending_in_a_natural_feature_is_a_toponym_whatever_its_tag() {
        let body = "Boats left Qelbin Lagoon for the Zorvath Peninsula, said the Qelbin Foundation.";
        let mentions = [
            mention(body, "Qelbin Lagoon", 0, EntityKind::Organisation),
            mention(body, "Zorvath Peninsula", 0, EntityKind::Misc),
            mention(body, "Qelbin Foundation", 0, EntityKind::Organisation),
        ];
        let got: Vec<String> =
            spans(body, &mentions, &DetectParams::default()).into_iter().map(|x| x.0).collect();
        assert_eq!(got, ["Qelbin Lagoon", "Zorvath Peninsula"]);
    }

    #[test]
    fn a_place_naming_a_virus_or_disease_is_no_toponym() {
        let body =
            "Two cases of West Nile virus were confirmed in Ohio. Doctors in Uganda treated Marburg fever.";
        let mentions = [
            mention(body, "West Nile", 0, EntityKind::Place),
            mention(body, "Ohio", 0, EntityKind::Place),
            mention(body, "Uganda", 0, EntityKind::Place),
            mention(body, "Marburg", 0, EntityKind::Place),
        ];
        let got: Vec<String> =
            spans(body, &mentions, &DetectParams::default()).into_iter().map(|x| x.0).collect();
        assert_eq!(got, ["Ohio", "Uganda"]);
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
        let mentions =
            [mention(body, "Syrians", 0, EntityKind::Misc), mention(body, "Iraqis", 0, EntityKind::Misc)];
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
                    Agence France-Presse said. Turkish-backed militias and anti-Russian protesters \
                    met Franco-Prussian scholars.";
        let got = spans(body, &[], &DetectParams::default());
        for want in ["Texas", "Logan", "Israel", "Turkish", "Russian"] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        // Names joined, and adjectives beside no lower-case part, are not places.
        assert!(!got.iter().any(|(t, _)| t == "France" || t == "Prussian"), "{got:?}");
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
        assert!(got.iter().any(|(t, _)| t == "Okla."), "Okla. in {got:?}");
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
    fn unknown_tagged_places_are_kept_only_when_they_look_like_places() {
        for keep in [
            "Kanawha River",
            "Farallon Islands",
            "Orchard St.",
            "A417",
            "Isle of Wight Coast",
            "North Zorblatt",
        ] {
            assert!(unknown_place_like(keep), "{keep}");
        }
        for drop in
            ["Stihl", "Fithian House", "Belk Foundation", "County prosecutors last week", "of Homeland"]
        {
            assert!(!unknown_place_like(drop), "{drop}");
        }
        let body = "He moved to Zorblatt Foundation and Zorblatt River.";
        let mentions = [
            mention(body, "Zorblatt Foundation", 0, EntityKind::Place),
            mention(body, "Zorblatt River", 0, EntityKind::Place),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        assert_eq!(got, vec![("Zorblatt River".to_string(), Found::Tagged)]);
    }

    #[test]
    fn towns_named_like_common_words_need_the_tagger() {
        let body = "The case went to Clarke County Superior Court before the Spring Cleanup. Officials \
                    in Boston agreed.";
        let got = spans(body, &[], &DetectParams::default());
        assert!(!got.iter().any(|(t, _)| t == "Superior" || t == "Spring"), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "Boston"), "{got:?}");
    }

    #[test]
    fn a_town_named_for_a_kind_of_place_tagged_as_a_person_is_the_town() {
        let body = "Voters in the borough of Cedar Grove approved it. Morgan Freeman spoke.";
        let mentions = [
            mention(body, "Cedar Grove", 0, EntityKind::Person),
            mention(body, "Morgan Freeman", 0, EntityKind::Person),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        assert_eq!(got, vec![("Cedar Grove".to_string(), Found::Retyped)]);
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
