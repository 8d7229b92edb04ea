//! Tagged place spans the gazetteer does not know: which are kept (detection only).

use super::*;

/// Lower-case words that join the parts of a name ("Isle of Man", "Rio de la Plata").
const NAME_JOINERS: &[&str] = &[
    "of", "the", "de", "du", "des", "la", "le", "el", "del", "da", "do", "dos", "van", "von", "der", "den",
    "upon", "and", "&", "y", "di",
];

/// Last words of a name that make it an institution's or an event's, not a place's
/// ("Belk Foundation", "Fithian House", "Superior Court", "Spring Cleanup Tournament").
const INSTITUTION_NOUNS: &[&str] = &[
    "house",
    "foundation",
    "center",
    "centre",
    "club",
    "college",
    "court",
    "museum",
    "department",
    "union",
    "association",
    "fellowship",
    "motel",
    "market",
    "homes",
    "communities",
    "tournament",
    "agreement",
    "award",
    "academy",
    "council",
    "police",
    "culture",
];

/// Words for kinds of places, natural and administrative: a name with one is a place's
/// ("Kanawha River", "Farallon Islands", "Shawnee Park", "Harbor City", "Fort Stevens").
const PLACE_NOUNS: &[&str] = &[
    "river",
    "lake",
    "lakes",
    "island",
    "islands",
    "bay",
    "park",
    "valley",
    "hill",
    "hills",
    "sea",
    "ocean",
    "area",
    "point",
    "square",
    "township",
    "province",
    "abbey",
    "dam",
    "field",
    "fort",
    "mount",
    "mt",
    "creek",
    "canyon",
    "beach",
    "falls",
    "forest",
    "mountain",
    "mountains",
    "peninsula",
    "gulf",
    "harbor",
    "harbour",
    "city",
    "county",
    "parish",
    "heights",
    "springs",
    "station",
    "republic",
    "region",
    "district",
    "state",
    "village",
    "town",
    "borough",
    "coast",
    "desert",
];

/// Whether a tagged place span the gazetteer does not know is worth keeping as a toponym
/// (detection only: it cannot be resolved). Streets and numbered roads are. Otherwise it
/// takes several capitalised words, no lower-case word but name joiners (not a run-on:
/// "County prosecutors last week"), no institution noun at the end, and a word for a kind of
/// place or a leading direction ("North Africa", "South Los Angeles"): the tagger's unknown
/// single words and other names are mostly brands, people, events and buildings.
pub(super) fn unknown_place_like(text: &str) -> bool {
    let bare = |w: &str| w.trim_matches(|c: char| c == '.' || c == ',').to_ascii_lowercase();
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else { return false };
    if text.bytes().any(|b| b.is_ascii_digit())
        || text.split_whitespace().any(|w| {
            let b = bare(w);
            roads::STREET_NOUNS.contains(&b.as_str()) || roads::ROUTE_PREFIXES.contains(&b.as_str())
        })
    {
        return true;
    }
    let mut last = first;
    let mut n = 1;
    for w in words {
        if w.chars().next().is_some_and(char::is_lowercase) && !NAME_JOINERS.contains(&w) {
            return false;
        }
        last = w;
        n += 1;
    }
    if n < 2 || !is_cap(first) || INSTITUTION_NOUNS.contains(&bare(last).as_str()) {
        return false;
    }
    let lead = bare(first);
    DIRECTIONS.contains(&lead.as_str())
        || ["upper", "lower", "near", "far", "middle"].contains(&lead.as_str())
        || text.split_whitespace().any(|w| PLACE_NOUNS.contains(&bare(w).as_str()))
}

/// Whether the last word of `text` is a word for a kind of place ("Cedar Grove", "Rocky Hill").
pub(super) fn names_a_kind_of_place(text: &str) -> bool {
    // Compared without lowercasing into a new string: this runs on every person mention.
    text.rsplit(' ').next().is_some_and(|w| {
        let w = w.trim_end_matches('.');
        PLACE_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(w)) || w.eq_ignore_ascii_case("grove")
    })
}

/// Whether the first word of `text` is one that opens a place's name ("Lake Harriet", "Camp
/// Lejeune", "Cape Peron").
pub(super) fn leads_with_a_kind_of_place(text: &str) -> bool {
    text.split(' ').next().is_some_and(|w| {
        let w = w.trim_end_matches('.');
        ["lake", "mount", "mt", "fort", "ft", "camp", "cape", "port", "isle"]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(w))
    })
}

/// Last words that make a name a natural feature's ("Korean Peninsula", "Glenrock Lagoon",
/// "Kanawha River"): every gold set counts these as toponyms, whatever the tagger called them,
/// unlike buildings (hospitals, courts, stadiums), which only GeoWebNews does.
const NATURAL_NOUNS: &[&str] = &[
    "river",
    "lake",
    "lakes",
    "island",
    "islands",
    "bay",
    "valley",
    "sea",
    "ocean",
    "point",
    "creek",
    "canyon",
    "beach",
    "falls",
    "forest",
    "mountain",
    "mountains",
    "peninsula",
    "gulf",
    "harbor",
    "harbour",
    "coast",
    "desert",
    "lagoon",
];

/// Whether `text` is several capitalised words (name joiners aside) ending in a word for a
/// natural feature ([`NATURAL_NOUNS`]).
pub(super) fn names_a_natural_feature(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else { return false };
    let mut last = None;
    for w in words {
        if !is_cap(w) && !NAME_JOINERS.contains(&w) {
            return false;
        }
        last = Some(w);
    }
    is_cap(first) && last.is_some_and(|w| NATURAL_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(w)))
}
