//! Word lists the entity linker uses (titles, pronouns, institution nouns, …).

/// Words that title a person when they precede the name ("Defense Minister Sergei Shoigu").
pub(super) const TITLE_WORDS: &[&str] = &[
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "secretary",
    "general",
    "chairman",
    "chairwoman",
    "ambassador",
    "director",
    "chief",
    "head",
    "governor",
    "premier",
    "chancellor",
    "king",
    "queen",
    "prince",
    "senator",
    "sen.",
    "rep.",
    "gov.",
    "gen.",
    "mayor",
    "commander",
    "envoy",
    "leader",
    "deputy",
    "adviser",
    "advisor",
    "official",
    "judge",
    "justice",
    "ceo",
    "chair",
    "pope",
    "sheikh",
    "emir",
];
pub(super) const HONORIFICS: &[&str] =
    &["mr.", "mrs.", "ms.", "dr.", "prof.", "mr", "mrs", "ms", "dr", "sir", "lord", "lady"];
/// (`EntityRecognizer::references` relies on these and [`ALLIANCE_WORDS`] starting with h, s,
/// a, b or o.)
pub(super) const PRONOUNS: &[&str] = &["he", "she", "him", "his", "her", "hers", "himself", "herself"];
/// Lowercase words that belong inside personal names ("Ludwig van Beethoven", "Osama bin Laden").
pub(super) const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "del", "della", "du", "dos", "das", "la", "le", "bin",
    "ibn", "al", "el", "y", "e", "ter", "ten", "zu", "of",
];
pub(super) const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];
/// Heads of agent phrases that name an institution ("Foreign Ministry", "Security Council").
pub(super) const INSTITUTION_NOUNS: &[&str] = &[
    "ministry",
    "council",
    "parliament",
    "government",
    "army",
    "police",
    "court",
    "commission",
    "committee",
    "agency",
    "department",
    "office",
    "service",
    "assembly",
    "force",
    "navy",
    "guard",
    "cabinet",
    "senate",
];
/// Definite descriptions that refer back to an organisation of the article.
pub(super) const ALLIANCE_WORDS: &[&str] = &["alliance", "bloc", "organisation", "organization"];

/// Is `w`, lowercased, one of `list` (lowercase words)? Allocates only for non-ASCII words.
pub(super) fn lower_in(w: &str, list: &[&str]) -> bool {
    let b = w.as_bytes();
    let Some(&first) = b.first() else { return list.contains(&"") };
    if w.is_ascii() {
        let f = first.to_ascii_lowercase();
        list.iter()
            .any(|x| x.len() == b.len() && x.as_bytes().first() == Some(&f) && x.eq_ignore_ascii_case(w))
    } else {
        list.contains(&w.to_lowercase().as_str())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_words_start_with_the_letters_linking_checks_first() {
        for w in super::PRONOUNS.iter().chain(super::ALLIANCE_WORDS) {
            assert!(matches!(w.as_bytes()[0], b'h' | b's' | b'a' | b'b' | b'o'), "{w}");
        }
    }
}
