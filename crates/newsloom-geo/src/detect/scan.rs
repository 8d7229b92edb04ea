//! The gazetteer scan of capitalised words no mention covers: runs, dotted abbreviations,
//! datelines and the parts of hyphenated words.

use super::*;

/// Capitalised sequences no mention covers that the gazetteer names precisely.
#[allow(clippy::too_many_arguments)]
pub(super) fn scan_untagged(
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
    let mut lower_buf = String::new();
    let mut i = 0;
    let mut mid_until = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // A scan match from this token to `tokens[end - 1]`.
        let found_to = |end: usize, text: &str, key: &str| {
            Toponym::new(t.char_start, tokens[end - 1].char_end, text, key, Found::Gazetteer)
        };
        let word = t.text(body);
        if !is_cap(word) || is_covered(t) {
            i += 1;
            continue;
        }
        // Lowercased only now: most tokens are not capitalised.
        let lower = lower_into(word, &mut lower_buf).trim_end_matches('.');
        if LEADING_WORDS.contains(&lower) {
            i += 1;
            continue;
        }
        if let Some((end, text)) = dotted_or_dateline(gaz, body, tokens, i, &sent_starts) {
            normalise(text, &mut key);
            out.push(found_to(end, text, &key));
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
                && !gaz
                    .lookup_key(&key)
                    .iter()
                    .any(|c| c.kind == NameKind::Primary && gaz.entry(c.entry).level == Level::City)
            {
                continue;
            }
            if words == 1 && not_a_place(lower) {
                continue;
            }
            // A common word: a place only if named as one elsewhere in the article.
            if words == 1 && common_word_town(gaz, &key, level) {
                pending.push(found_to(end, text, &key));
                continue;
            }
            let prev = i.checked_sub(1).map(|j| tokens[j].text(body));
            if inside_name(t, &tokens[end - 1], prev, pop) == Some(false) {
                if !adjective_kind(kind) {
                    pending.push(found_to(end, text, &key));
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
                        pop >= p.scan_min_population
                            || (words > 1 && (pop >= 1000 || kind == NameKind::Primary))
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
                pending.push(found_to(end, text, &key));
            }
        }
        match matched {
            Some((end, text)) => {
                normalise(text, &mut key);
                out.push(found_to(end, text, &key));
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
pub(super) fn dotted_or_dateline<'a>(
    gaz: &Gazetteer,
    body: &'a str,
    tokens: &[Token],
    i: usize,
    sent_starts: &[usize],
) -> Option<(usize, &'a str)> {
    let t = &tokens[i];
    let word = t.text(body);
    let mut key = String::new();
    // The token after the word's own final dot, or after a dot right behind it ("U.S" + ".").
    let past_dot = || -> Option<usize> {
        if word.ends_with('.') {
            return Some(i + 1);
        }
        tokens.get(i + 1).filter(|n| n.start == t.end && n.text(body) == ".")?;
        Some(i + 2)
    };
    // "U.S" + ".": letters each followed by a dot.
    let b = word.as_bytes();
    let dotted = b.len() >= 3
        && b.iter().enumerate().all(|(k, c)| if k % 2 == 0 { c.is_ascii_uppercase() } else { *c == b'.' });
    if dotted {
        let end = past_dot()?;
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
        let end = past_dot()?;
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
    let opens =
        sent_starts.binary_search(&i).is_ok() || i == 0 || body[tokens[i - 1].end..t.start].contains('\n');
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
    if not_a_place(lower) {
        return None;
    }
    known_as(gaz, &key, false, true).filter(|&(level, _, _)| level != Level::Continent)?;
    Some((end, text))
}

/// Lower-case prefixes of a hyphenated name ("anti-Russian", "pro-Kremlin", "ex-Soviet").
const HYPHEN_PREFIXES: &[&str] = &["anti", "pro", "ex", "non", "post", "pre", "pan", "trans", "mid"];

/// Places joined into one hyphenated word: "Texas-based", "Egypt-US relations",
/// "Logan-Rogersville", "Athens-Clarke County". Each capitalised part that is a country or
/// first-level region, or a town or county of the scan's size, by its own name, is a toponym
/// (parts are not scanned otherwise; a word the gazetteer knows whole is left to the scan).
pub(super) fn scan_hyphenated(
    gaz: &Gazetteer,
    body: &str,
    tokens: &[Token],
    covered: &[(usize, usize)],
    p: &DetectParams,
    out: &mut Vec<Toponym>,
) {
    let mut key = String::new();
    // Kept apart from `out` until the end: the loop checks overlaps against `out`.
    let mut found = Vec::new();
    for (ti, t) in tokens.iter().enumerate() {
        if !body.as_bytes()[t.start..t.end].contains(&b'-') {
            continue;
        }
        let word = t.text(body);
        // "anti-Russian", "pro-Kremlin": a lower-case prefix before the name.
        if !is_cap(word)
            && !word.split_once('-').is_some_and(|(pre, rest)| HYPHEN_PREFIXES.contains(&pre) && is_cap(rest))
        {
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
        let modifier = parts.iter().any(|w| w.starts_with(char::is_lowercase));
        let mut offset = 0; // chars into the word
        for (pi, part) in parts.iter().enumerate() {
            let start = t.char_start + offset;
            offset += part.chars().count() + 1;
            if part.chars().count() < 3 && !(part.len() == 2 && part.chars().all(|c| c.is_ascii_uppercase()))
            {
                continue;
            }
            if !is_cap(part) || !part.chars().all(char::is_alphabetic) {
                continue;
            }
            let lower = part.to_lowercase();
            if not_a_place(&lower) {
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
                    found.push(Toponym::new(start, next.char_end, text, &key, Found::Gazetteer));
                    continue;
                }
            }
            normalise(part, &mut key);
            // "Turkish-backed", "anti-Russian": a country's adjective beside a lower-case part
            // names the country acting (as a tagged "Turkish" does).
            if modifier && looks_adjectival(part) && country_adjective(gaz, &key) {
                found.push(Toponym::new(start, start + part.chars().count(), *part, &key, Found::Gazetteer));
                continue;
            }
            let code = part.len() == 2;
            let Some((level, pop, _)) = known_as(gaz, &key, code, code) else { continue };
            let ok = match level {
                Level::Continent | Level::Country | Level::Adm1 => !code || level == Level::Country,
                Level::Adm2 | Level::Adm3 | Level::City => !code && pop >= p.scan_min_population,
            };
            if ok {
                found.push(Toponym::new(start, start + part.chars().count(), *part, &key, Found::Gazetteer));
            }
        }
    }
    out.extend(found);
}
