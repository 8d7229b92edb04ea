//! A second detection pass, once the article's toponyms are resolved: single names the tagger
//! called organisations that are towns or counties of the article's own region.

use super::*;

/// The ADM1 region (`US.LA`) most of the resolved towns and counties lie in, if any.
pub fn article_region<'g>(gaz: &'g Gazetteer, entries: &[Option<u32>]) -> Option<&'g str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in entries.iter().flatten().map(|&e| gaz.entry(e)) {
        if e.admin1.is_empty() || !matches!(e.level, Level::City | Level::Adm2 | Level::Adm3) {
            continue;
        }
        match counts.iter_mut().find(|(a, _)| *a == &*e.admin1) {
            Some((_, n)) => *n += 1,
            None => counts.push((&e.admin1, 1)),
        }
    }
    // The first most named on a tie (`max_by_key` keeps the last).
    counts.iter().rev().max_by_key(|&&(_, n)| n).map(|&(a, _)| a)
}

/// Organisation mentions whose whole text is the own or alternate name of a town or county
/// in one of `regions` (the article's, the outlet's home), standing alone (no capitalised word after, no house number before: "the
/// Mansfield resident", "Lexington 4", "While Clarke and Oconee…"). Local news calls its
/// towns' governments, schools and teams by the town's name, and the tagger then says
/// organisation; inside the article's region the name is the town far more often than not.
pub fn organisations_in_region(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    mentions: &[Mention],
    tops: &[Toponym],
    regions: &[&str],
) -> Vec<Toponym> {
    let cb = CharBytes::new(body, tokens);
    let mut key = String::new();
    let mut out = Vec::new();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Organisation) {
        let s = m.span.start;
        let text = strip_possessive(cb.slice(s, m.span.end));
        let e = s + text.chars().count();
        // Short capitals are abbreviations ("BA"), not towns.
        if !is_cap(text) || (text.len() <= 3 && !text.chars().any(char::is_lowercase)) {
            continue;
        }
        if tops.iter().any(|t| t.start < e && s < t.end) {
            continue;
        }
        let ti = tokens.partition_point(|t| t.char_start < s);
        let tj = tokens.partition_point(|t| t.char_end < e);
        if tokens.get(ti).is_none_or(|t| t.char_start != s) || tokens.get(tj).is_none_or(|t| t.char_end != e)
        {
            continue;
        }
        let word = |k: usize| tokens.get(k).map_or("", |t| t.text(body));
        let prev = ti.checked_sub(1).map_or("", word);
        if is_cap(word(tj + 1))
            || prev.starts_with(|c: char| c.is_ascii_digit())
            || (prev == "to" && ti >= 2 && word(ti - 2).eq_ignore_ascii_case("according"))
        {
            continue;
        }
        normalise(text, &mut key);
        let local = gaz.candidates(&key).any(|c| {
            let en = gaz.entry(c.entry);
            matches!(c.kind, NameKind::Primary | NameKind::Alternate)
                && matches!(en.level, Level::City | Level::Adm2 | Level::Adm3)
                && regions.contains(&&*en.admin1)
        });
        if local {
            out.push(Toponym::new(s, e, text, &key, Found::Context));
        }
    }
    out
}

/// `tops` (sorted by start) with `extra` (none overlapping them) merged in order, the
/// qualifier links renumbered.
pub fn merge(tops: Vec<Toponym>, mut extra: Vec<Toponym>) -> Vec<Toponym> {
    extra.sort_by_key(|t| t.start);
    let mut new_index = Vec::with_capacity(tops.len());
    let mut out: Vec<Toponym> = Vec::with_capacity(tops.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    for t in tops {
        while let Some(x) = extra.next_if(|x| x.start < t.start) {
            out.push(x);
        }
        new_index.push(out.len());
        out.push(t);
    }
    out.extend(extra);
    for t in &mut out {
        if let Some(q) = t.qualifies.as_mut() {
            *q = new_index[*q];
        }
    }
    out
}
