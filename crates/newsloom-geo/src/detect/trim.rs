//! The place in a tagged place span: without what the tagger ran on into, and without an
//! organisation noun at its end.

use super::*;

/// Last words of a name that make it an organisation's (or its seat's) rather than a place's:
/// "Mayo County Council", "West Virginia Division of…", "Hartford Police". The place is the
/// name's leading part.
const ORG_NOUNS: &[&str] =
    &["council", "division", "department", "police", "commission", "commissioner", "court", "airport"];

/// The place in a tagged place span: the span up to a comma and a lower-case word ("Hungerford
/// St., police"), and, when it ends in an organisation noun ("Mayo County Council"), its
/// longest leading part the gazetteer knows.
pub(super) fn place_part<'a>(gaz: &Gazetteer, text: &'a str, key: &mut String) -> &'a str {
    let mut text = run_on_cut(text);
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

/// Lower-case words that join the parts of a place name ("State of Illinois", "Trinidad and
/// Tobago", "Stratford upon Avon", "Rio de Janeiro").
const NAME_JOINERS: &[&str] = &[
    "of", "and", "upon", "on", "de", "del", "da", "do", "dos", "das", "du", "des", "la", "le", "el", "al",
    "y", "van", "von", "der",
];

/// A tagged span without the words the tagger ran on into after the name: from a lower-case
/// word that joins no name ("Forum Drive and", "Wichita Drive instead of Wichita"), a
/// weekday or month ("West Wichita Saturday") or a dash or bracket ("ST. PAUL --",
/// "Cambridge (01223"), then without trailing joiners and commas.
pub(super) fn run_on_cut(text: &str) -> &str {
    // Word start offsets, walked with one word of lookahead (no list per span).
    let mut words = text.split(' ').scan(0, |at, w| {
        let i = *at;
        *at += w.len() + 1;
        Some((i, w))
    });
    words.next();
    let mut words = words.peekable();
    let mut end = text.len();
    let mut lower = [0u8; 9];
    while let Some((i, w)) = words.next() {
        let bare = w.trim_end_matches(['.', ',']);
        let cut = if w.starts_with(['(', '-', '—', '–']) {
            true
        } else if w.starts_with(char::is_lowercase) {
            // A short joiner before a capitalised word ("Dar es Salaam"), or a word capitalised
            // inside ("d'Ivoire", "al-Bab"), belongs to the name.
            let next_cap = words.peek().is_some_and(|&(_, n)| is_cap(n));
            let joins = ((NAME_JOINERS.contains(&bare) || bare.len() <= 3) && next_cap)
                || w.chars().skip(1).any(char::is_uppercase);
            !joins
        } else {
            // A weekday or month (at most "wednesday"'s 9 letters), lowercased on the stack.
            (3..=9).contains(&bare.len()) && bare.is_ascii() && {
                let l = &mut lower[..bare.len()];
                l.copy_from_slice(bare.as_bytes());
                l.make_ascii_lowercase();
                std::str::from_utf8(l).is_ok_and(newsloom_model::calendar::is_month_or_weekday)
            }
        };
        if cut {
            end = i;
            break;
        }
    }
    let mut t = text[..end].trim_end_matches([' ', ',', ';', ':', '&']);
    while let Some((head, last)) = t.rsplit_once(' ')
        && NAME_JOINERS.contains(&last)
    {
        t = head.trim_end_matches([' ', ',', '&']);
    }
    if t.is_empty() { text } else { t }
}
