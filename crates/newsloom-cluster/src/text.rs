//! Language-agnostic tokenisation: lower-cased, transliterated to ASCII (so `Zürich`, `Zurich`
//! and `Цюрих`-as-transliterated meet), split on anything that is not a letter or digit.

use std::hash::{Hash, Hasher};

/// One word of a text, reduced to a hashed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Hash of the folded (lower-case ASCII) word.
    pub key: u64,
    /// Looks like part of a name: capitalised mid-sentence, or an all-caps word (datelines).
    pub cap: bool,
    /// All digits (ages, counts, street numbers).
    pub num: bool,
    /// A function word (several languages): kept for shingles, skipped for TF-IDF.
    pub stop: bool,
    /// For a number token of up to 4 digits, its value; for a month name, 1..=12 (`month`).
    pub val: u16,
    pub month: bool,
    /// A day reference: 1..=7 a weekday name (Monday..Sunday), 8 "today"/"tonight",
    /// 9 "yesterday"/"last night"; 0 none.
    pub day_ref: u8,
}

/// Stable 64-bit hash of a byte string (FxHash is deterministic across runs and platforms).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    b.hash(&mut h);
    h.finish()
}

/// Hashed key of a word as [`tokenize`] would produce it.
pub fn word_key(word: &str) -> u64 {
    let mut toks = Vec::new();
    tokenize(word, &mut toks);
    toks.first().map_or(0, |t| t.key)
}

/// Splits `text` into tokens appended to `out`. Single letters are dropped; digits are kept.
/// Words are cut at 64 bytes so hostile input cannot build huge keys.
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    struct Cur {
        word: String,
        first_upper: bool,
        all_upper: bool,
        letters: usize,
        at_sentence_start: bool,
    }
    let flush = |cur: &mut Cur, out: &mut Vec<Token>| {
        if cur.word.is_empty() {
            return;
        }
        // Ordinals count as their number ("14th" → "14"), so "Aug. 14th" is a date.
        if cur.word.len() > 2
            && cur.word.as_bytes()[0].is_ascii_digit()
            && ["st", "nd", "rd", "th"].iter().any(|s| cur.word.ends_with(s))
            && cur.word.as_bytes()[..cur.word.len() - 2].iter().all(u8::is_ascii_digit)
        {
            cur.word.truncate(cur.word.len() - 2);
        }
        let w = &cur.word;
        let num = w.bytes().all(|b| b.is_ascii_digit());
        if w.len() >= 2 || num {
            let mut key = hash_bytes(stem(w).as_bytes());
            let lex = if num { Lex::default() } else { lexicon().get(&key).copied().unwrap_or_default() };
            // Number words count as their digits, so "three teens" meets "3 teens".
            let num = num || lex.number > 0;
            if lex.number > 0 {
                key = hash_bytes(lex.number.to_string().as_bytes());
            }
            let stop = lex.stop;
            let cap = !stop
                && !num
                && ((cur.first_upper && !cur.at_sentence_start) || (cur.all_upper && cur.letters >= 3));
            let val = if lex.number > 0 {
                u16::from(lex.number)
            } else if num && w.len() <= 4 {
                w.parse().unwrap_or(0)
            } else {
                u16::from(lex.month)
            };
            out.push(Token { key, cap, num, stop, val, month: lex.month > 0, day_ref: lex.day_ref });
        }
        cur.word.clear();
    };
    let mut cur = Cur {
        word: String::with_capacity(64),
        first_upper: false,
        all_upper: true,
        letters: 0,
        at_sentence_start: true,
    };
    let mut sentence_start = true;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if cur.word.is_empty() {
                cur.first_upper = c.is_uppercase();
                cur.all_upper = true;
                cur.letters = 0;
                cur.at_sentence_start = sentence_start;
                sentence_start = false;
            }
            if c.is_alphabetic() {
                cur.letters += 1;
                cur.all_upper &= c.is_uppercase();
            }
            if cur.word.len() >= 64 {
                continue;
            }
            if c.is_ascii() {
                cur.word.push(c.to_ascii_lowercase());
            } else if let Some(s) = deunicode::deunicode_char(c) {
                // Transliteration may yield several chars or spaces ("ß" → "ss", "中" → "Zhong ").
                cur.word
                    .extend(s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
            }
        } else {
            flush(&mut cur, out);
            if matches!(c, '.' | '!' | '?' | '¿' | '¡' | ':' | ';' | '\n') {
                sentence_start = true;
            }
        }
    }
    flush(&mut cur, out);
}

/// Light plural folding ("shootings" → "shooting", "victims" → "victim"): cheap, and
/// harmless on names and on the other languages' plurals in -s.
fn stem(w: &str) -> &str {
    let b = w.as_bytes();
    if b.len() > 4 && b[b.len() - 1] == b's' && !matches!(b[b.len() - 2], b's' | b'u' | b'i') {
        &w[..w.len() - 1]
    } else {
        w
    }
}

/// What is known about a closed-class word, keyed by its token hash.
#[derive(Debug, Clone, Copy, Default)]
struct Lex {
    stop: bool,
    month: u8,
    day_ref: u8,
    /// A number word's value ("three", "tres", "drie" → 3).
    number: u8,
}

/// One hash lookup per token instead of string comparisons against three word lists.
fn lexicon() -> &'static rustc_hash::FxHashMap<u64, Lex> {
    static LEX: std::sync::OnceLock<rustc_hash::FxHashMap<u64, Lex>> = std::sync::OnceLock::new();
    LEX.get_or_init(|| {
        let mut m: rustc_hash::FxHashMap<u64, Lex> = rustc_hash::FxHashMap::default();
        let key = |w: &str| hash_bytes(stem(w).as_bytes());
        for w in STOP {
            m.entry(key(w)).or_default().stop = true;
        }
        for (i, names) in MONTHS.iter().enumerate() {
            for w in *names {
                m.entry(key(w)).or_default().month = i as u8 + 1;
            }
        }
        for (i, names) in DAYS.iter().enumerate() {
            for w in *names {
                m.entry(key(w)).or_default().day_ref = i as u8 + 1;
            }
        }
        for (i, names) in NUMBERS.iter().enumerate() {
            for w in *names {
                m.entry(key(w)).or_default().number = i as u8 + 2;
            }
        }
        m
    })
}

/// Month number of an English, Spanish, Italian or Dutch month name or abbreviation.
const MONTHS: [&[&str]; 12] = [
    &["january", "jan", "enero", "gennaio", "januari"],
    &["february", "feb", "febrero", "febbraio", "februari"],
    &["march", "mar", "marzo", "maart"],
    &["april", "apr", "abril", "aprile"],
    &["may", "mayo", "maggio", "mei"],
    &["june", "jun", "junio", "giugno", "juni"],
    &["july", "jul", "julio", "luglio", "juli"],
    &["august", "aug", "agosto", "augustus"],
    &["september", "sept", "sep", "septiembre", "settembre"],
    &["october", "oct", "octubre", "ottobre", "oktober", "okt"],
    &["november", "nov", "noviembre", "novembre"],
    &["december", "dec", "diciembre", "dicembre"],
];

/// Number words from two to twelve ("one" is too often not a count).
const NUMBERS: [&[&str]; 11] = [
    &["two", "dos", "twee"],
    &["three", "tres", "tre", "drie"],
    &["four", "cuatro", "quattro", "vier"],
    &["five", "cinco", "cinque", "vijf"],
    &["six", "seis", "sei", "zes"],
    &["seven", "siete", "sette", "zeven"],
    &["eight", "ocho", "acht"],
    &["nine", "nueve", "nove", "negen"],
    &["ten", "diez", "dieci", "tien"],
    &["eleven", "undici"],
    &["twelve", "doce", "dodici", "twaalf"],
];

/// Weekdays (Monday first), then "today" and "yesterday" words.
const DAYS: [&[&str]; 9] = [
    &["monday", "lunes", "lunedi", "maandag"],
    &["tuesday", "martes", "martedi", "dinsdag"],
    &["wednesday", "miercoles", "mercoledi", "woensdag"],
    &["thursday", "jueves", "giovedi", "donderdag"],
    &["friday", "viernes", "venerdi", "vrijdag"],
    &["saturday", "sabado", "sabato", "zaterdag"],
    &["sunday", "domingo", "domenica", "zondag"],
    &["today", "tonight", "hoy", "oggi", "vandaag"],
    &["yesterday", "ayer", "ieri", "gisteren"],
];

/// Function words of English, Spanish, Italian, Dutch, German and French (sorted).
static STOP: &[&str] = &[
    "a", "about", "after", "al", "all", "als", "also", "am", "an", "and", "any", "are", "as", "at", "au",
    "aux", "be", "been", "before", "but", "by", "can", "che", "con", "could", "da", "dal", "dalla", "das",
    "dat", "de", "dei", "del", "della", "dem", "den", "der", "des", "di", "did", "die", "do", "du", "een",
    "ein", "eine", "el", "en", "er", "es", "est", "et", "for", "from", "had", "has", "have", "he", "her",
    "het", "his", "how", "i", "il", "im", "in", "into", "is", "ist", "it", "its", "la", "las", "le", "les",
    "lo", "los", "mit", "more", "most", "nel", "nella", "no", "non", "not", "of", "om", "on", "one", "op",
    "or", "other", "our", "out", "over", "par", "per", "por", "pour", "que", "qui", "said", "se", "she",
    "so", "some", "su", "sur", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "to", "un", "una", "und", "une", "uno", "up", "van", "voor", "was", "we", "were", "what", "when",
    "which", "who", "will", "with", "would", "you", "zu",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_is_sorted() {
        let mut s = STOP.to_vec();
        s.sort();
        s.dedup();
        assert_eq!(s, STOP.to_vec());
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(word_key("Zürich"), word_key("zurich"));
        assert_eq!(word_key("ZURICH"), word_key("zurich"));
        assert_ne!(word_key("zurich"), word_key("zurick"));
    }

    #[test]
    fn marks_names_and_numbers() {
        let mut t = Vec::new();
        tokenize("HAWTHORNE — A 20-year-old man, Bernard Gillis, was shot. Police said.", &mut t);
        let caps: Vec<_> = t.iter().filter(|t| t.cap).map(|t| t.key).collect();
        assert!(caps.contains(&word_key("hawthorne")));
        assert!(caps.contains(&word_key("gillis")));
        assert!(caps.contains(&word_key("bernard")));
        // Sentence-initial capitals are not names.
        assert!(!caps.contains(&word_key("police")));
        assert!(t.iter().any(|t| t.num && t.key == word_key("20")));
        assert_eq!(word_key("three"), word_key("3"));
    }
}
