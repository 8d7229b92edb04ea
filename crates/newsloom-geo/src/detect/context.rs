//! Mentions of another kind, or untagged words, that their context shows to be places.

use super::*;

/// Mentions the tagger gave another kind that the gazetteer knows as a place, where the
/// context says place: after "in"/"near"/"outside", before a comma and a state or country
/// ("Glen Allen, Va."), before "County"/"Parish" ("Laurel County"), in a list of counties
/// ("Walton and Oconee counties"), or before a resident noun ("a Chapin man"). Towns named
/// like surnames are where the tagger says person most often, and local news names them so.
pub(super) fn in_place_context<'a>(
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
        let counties = in_county_list(body, tokens, tj + 1);
        let resident = is_word(tj + 1, RESIDENT_NOUNS)
            && (ti == 0
                || is_word(ti - 1, &["a", "an", "the"])
                || tokens[ti - 1].text(body).ends_with("-old"));
        if !(county || place_prep || comma || counties || resident) {
            continue;
        }
        // "Walton and Oconee counties": the county of that name.
        if counties {
            normalise(&format!("{text} County"), &mut key);
            if known_county(gaz, &key) {
                out.push(Toponym::new(s, e, text, &key, Found::Context));
            }
            continue;
        }
        // "Laurel County", "Pointe Coupee Parish".
        if county {
            let t2 = &body[tokens[ti].start..tokens[tj + 1].end];
            normalise(t2, &mut key);
            if known_county(gaz, &key) {
                out.push(Toponym::new(s, tokens[tj + 1].char_end, t2, &key, Found::Context));
                continue;
            }
        }
        normalise(text, &mut key);
        let Some((level, _, kind)) = known(gaz, &key, false) else { continue };
        if kind == NameKind::Adjective || level == Level::Continent || common_word_town(gaz, &key, level) {
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
        let town = matches!(level, Level::City | Level::Adm2 | Level::Adm3);
        if place_prep || qualified || (resident && town) {
            out.push(Toponym::new(s, e, text, &key, Found::Context));
        }
    }
}

/// Whether the gazetteer knows `key` ("laurel county") as a county or parish.
fn known_county(gaz: &Gazetteer, key: &str) -> bool {
    known(gaz, key, false).is_some_and(|(l, _, _)| matches!(l, Level::Adm2 | Level::Adm3))
}

/// Nouns for the people of a place: "a Chapin man", "the 60-year-old Alton woman". Not
/// "family" or "home", which follow surnames as often ("the Obama family").
const RESIDENT_NOUNS: &[&str] = &[
    "man",
    "woman",
    "men",
    "women",
    "resident",
    "residents",
    "native",
    "couple",
    "teen",
    "teenager",
    "boy",
    "girl",
];

/// Whether tokens from `k` on are the rest of a list of names ending in "counties" or
/// "parishes" (", Grayson and Love counties", "to Riley counties").
fn in_county_list(body: &str, tokens: &[Token], k: usize) -> bool {
    for t in tokens.iter().skip(k).take(8) {
        let w = t.text(body);
        if w.eq_ignore_ascii_case("counties") || w.eq_ignore_ascii_case("parishes") {
            return true;
        }
        if !(w == "," || matches!(w, "and" | "or" | "to" | "&") || is_cap(w)) {
            return false;
        }
    }
    false
}

/// One name, one sense per article: a mention the tagger called a person or organisation
/// whose whole text is, letter for letter, a toponym the tagger or the gazetteer scan found
/// elsewhere in the article ("Mansfield" the council beside "Mansfield" the town) is that
/// toponym too, when the gazetteer has it as a town or region.
pub(super) fn same_name_elsewhere<'a>(
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
pub(super) fn untagged_after_preposition(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    mentions: &[Mention],
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    let mut lower = String::new();
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
        if !is_cap(w) || not_a_place(lower_into(w, &mut lower)) {
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
                || common_word_town(gaz, &key, level)
                || taken(tokens[i].char_start, last.char_end, out)
            {
                break;
            }
            out.push(Toponym::new(tokens[i].char_start, last.char_end, text, &key, Found::Context));
            break;
        }
    }
}

/// Words that open a longer place name around a shorter one ("North Kansas City", "South
/// Charleston", "Fort Worth").
const NAME_OPENERS: &[&str] = &["North", "South", "East", "West", "New", "Fort", "Port", "Lake", "Mount"];

/// A toponym the tagger or a scan cut short is widened to the name the text goes on to give,
/// when the gazetteer knows that name as a region or town: "Lexington" before "County" is
/// Lexington County, "Kansas City" after "North" is North Kansas City. A different tagger cuts
/// such names in different places; the gazetteer says where the name ends.
pub(super) fn widen_to_known_names(gaz: &Gazetteer, body: &str, tokens: &[Token], out: &mut [Toponym]) {
    let mut key = String::new();
    for t in out.iter_mut() {
        let ti = tokens.partition_point(|x| x.char_start < t.start);
        let tj = tokens.partition_point(|x| x.char_end < t.end);
        let (Some(first), Some(last)) = (tokens.get(ti), tokens.get(tj)) else { continue };
        if first.char_start != t.start || last.char_end != t.end {
            continue;
        }
        if let Some(next) = tokens.get(tj + 1)
            && matches!(next.text(body), "County" | "Parish")
        {
            let text = &body[first.start..next.end];
            normalise(text, &mut key);
            if known_county(gaz, &key) {
                (t.end, t.text, t.key) = (next.char_end, text.to_string(), key.clone());
                continue;
            }
        }
        if let Some(prev) = ti.checked_sub(1).map(|k| &tokens[k])
            && NAME_OPENERS.contains(&prev.text(body))
            && prev.end + 1 == first.start
        {
            let text = &body[prev.start..last.end];
            normalise(text, &mut key);
            if known(gaz, &key, false).is_some_and(|(l, _, k)| {
                matches!(l, Level::City | Level::Adm2 | Level::Adm3) && k == NameKind::Primary
            }) {
                (t.start, t.text, t.key) = (prev.char_start, text.to_string(), key.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mention, spans};
    use super::*;

    #[test]
    fn towns_before_a_resident_noun_or_in_a_list_of_counties_are_toponyms() {
        let body = "A Chapin man died on Tuesday. The 60-year-old Alton woman was hurt. The Obama family \
                    was there. Snow fell from Ellsworth to Riley counties and in Walton and Oconee counties.";
        let mentions: Vec<Mention> =
            [("Chapin", 0), ("Alton", 0), ("Obama", 0), ("Ellsworth", 0), ("Riley", 0), ("Walton", 0)]
                .iter()
                .map(|&(t, n)| mention(body, t, n, EntityKind::Person))
                .collect();
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["Chapin", "Alton", "Ellsworth", "Riley", "Walton"] {
            assert!(got.iter().any(|(t, f)| t == want && *f == Found::Context), "{want} in {got:?}");
        }
        // "family" follows surnames as often as towns.
        assert!(!got.iter().any(|(t, _)| t == "Obama"), "{got:?}");
    }

    #[test]
    fn another_languages_articles_are_no_places() {
        // The English tagger reads Spanish and Italian too, and takes a capitalised article for a
        // name; the gazetteer has towns or alternate names spelt so.
        let body = "El presidente hablo en Madrid. Il governo di Roma ha detto. Se fue a Lima. \
                    He moved to Alexandria, La., last year.";
        let mentions: Vec<Mention> =
            [("El", EntityKind::Place), ("Il", EntityKind::Place), ("Se", EntityKind::Place)]
                .iter()
                .map(|&(t, k)| mention(body, t, 0, k))
                .chain(
                    ["Madrid", "Roma", "Lima", "Alexandria"]
                        .iter()
                        .map(|t| mention(body, t, 0, EntityKind::Place)),
                )
                .collect();
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["Madrid", "Roma", "Lima", "Alexandria", "La."] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        assert!(!got.iter().any(|(t, _)| ["El", "Il", "Se"].contains(&t.as_str())), "{got:?}");
    }

    #[test]
    fn a_common_word_that_only_a_small_region_bears_is_no_place() {
        // "Store" is Štore, a Slovenian municipality of 2,257 people and a first-level region.
        let body = "Videos sell in the Music Store on-line for 1.99 dollars, Apple said in Cupertino.";
        let mentions = [mention(body, "Music Store on-line", 0, EntityKind::Organisation)];
        let got = spans(body, &mentions, &DetectParams::default());
        assert!(!got.iter().any(|(t, _)| t == "Store"), "{got:?}");
        assert!(got.iter().any(|(t, _)| t == "Cupertino"), "{got:?}");
    }

    #[test]
    fn a_place_cut_short_is_widened_to_the_name_the_gazetteer_knows() {
        let body =
            "Lexington County deputies said a North Kansas City man and a Kansas City woman were hurt.";
        let mentions = [
            mention(body, "Lexington", 0, EntityKind::Place),
            mention(body, "Kansas City", 0, EntityKind::Place),
            mention(body, "Kansas City", 1, EntityKind::Place),
        ];
        let got = spans(body, &mentions, &DetectParams::default());
        for want in ["Lexington County", "North Kansas City", "Kansas City"] {
            assert!(got.iter().any(|(t, _)| t == want), "{want} in {got:?}");
        }
        assert!(!got.iter().any(|(t, _)| t == "Lexington"), "{got:?}");
    }
}
