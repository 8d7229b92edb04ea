//! Mentions of another kind, or untagged words, that their context shows to be places.

use super::*;

/// Mentions the tagger gave another kind that the gazetteer knows as a place, where the
/// context says place: after "in"/"near"/"outside", before a comma and a state or country
/// ("Glen Allen, Va."), or before "County"/"Parish" ("Laurel County").
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
        if !(county || place_prep || comma) {
            continue;
        }
        // "Laurel County", "Pointe Coupee Parish".
        if county {
            let t2 = &body[tokens[ti].start..tokens[tj + 1].end];
            normalise(t2, &mut key);
            if known(gaz, &key, false).is_some_and(|(l, _, _)| matches!(l, Level::Adm2 | Level::Adm3)) {
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
        if place_prep || qualified {
            out.push(Toponym::new(s, e, text, &key, Found::Context));
        }
    }
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
