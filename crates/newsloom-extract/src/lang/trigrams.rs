//! whatlang 0.18's `detect` for Latin and Cyrillic text, giving the same language and the same
//! confidence (bit for bit) at a fraction of the cost.
//!
//! whatlang scores a text against each language of its script by walking the language's 300
//! trigrams and looking each up in a hash map of the text's trigrams: 37 × 300 lookups for a
//! Latin text, most of them misses, about 0.5 M instructions for a 400-char prefix (10 % of an
//! extraction). Here the walk is turned round: the profiles are indexed once by trigram, and only
//! the text's trigrams (up to 600) are looked up, each naming the languages that rank it. A
//! language's distance is the same sum as whatlang's, over the same integers: for each of its
//! profile trigrams, the difference of ranks when the text has it and 300 when not. Everything
//! else follows whatlang's code step by step (same element types and sorts, same float
//! expressions), with its alphabet scores and script detection called directly
//! (`whatlang::dev`). Other scripts go to `whatlang::detect` unchanged. The tests below check
//! every profile and varied texts against whatlang itself.
//!
//! `profiles.txt` holds whatlang's Latin and Cyrillic trigram profiles, written by
//! `profiles.py` from whatlang's source; a whatlang upgrade needs it regenerated (the tests
//! fail otherwise).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use whatlang::dev::{
    FilterList, LowercaseText, RawAlphabetsInfo, alphabet_cyrillic_calculate_scores,
    alphabet_latin_calculate_scores,
};
use whatlang::{Lang, Script};

const PROFILES: &str = include_str!("profiles.txt");
/// whatlang's `MAX_TRIGRAM_DISTANCE` (the cost of a profile trigram the text lacks) and
/// `MAX_TOTAL_DISTANCE`.
const MAX_TRIGRAM_DISTANCE: u32 = 300;
const MAX_TOTAL_DISTANCE: u32 = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;
/// How many of the text's most frequent trigrams whatlang ranks (`TEXT_TRIGRAMS_SIZE`).
const TEXT_TRIGRAMS_SIZE: usize = 600;

/// One script's languages in whatlang's order, and its trigrams indexed.
struct Profiles {
    langs: Vec<Lang>,
    /// Trigrams in each language's profile (300 for every one today).
    sizes: Vec<u32>,
    /// Trigram → range of `ranks`: (language index, rank in that language's profile).
    index: HashMap<u64, (u32, u32), BuildHasherDefault<MulHasher>>,
    ranks: Vec<(u16, u16)>,
}

static LATIN: LazyLock<Profiles> = LazyLock::new(|| Profiles::load("latin"));
static CYRILLIC: LazyLock<Profiles> = LazyLock::new(|| Profiles::load("cyrillic"));

impl Profiles {
    fn load(script: &str) -> Profiles {
        let mut langs = Vec::new();
        let mut sizes = Vec::new();
        // (trigram, language index, rank), sorted by trigram into runs for the index.
        let mut all: Vec<(u64, u16, u16)> = Vec::with_capacity(300 * 40);
        let lines = PROFILES.lines().filter(|l| !l.starts_with('#'));
        for line in lines.filter(|l| l.split(' ').next() == Some(script)) {
            let mut fields = line.split(' ').skip(1);
            let code = fields.next().expect("language code");
            langs.push(Lang::from_code(code).expect("a whatlang language code"));
            let mut size = 0;
            for (rank, t) in fields.enumerate() {
                let mut c = t.chars().map(|c| if c == '_' { ' ' } else { c });
                let (Some(c1), Some(c2), Some(c3), None) = (c.next(), c.next(), c.next(), c.next()) else {
                    panic!("profiles.txt: bad trigram {t:?}")
                };
                all.push((pack(c1, c2, c3), langs.len() as u16 - 1, rank as u16));
                size += 1;
            }
            sizes.push(size);
        }
        all.sort_unstable();
        let mut index = HashMap::with_capacity_and_hasher(all.len() / 2, Default::default());
        let mut from = 0;
        for run in all.chunk_by(|a, b| a.0 == b.0) {
            index.insert(run[0].0, (from as u32, (from + run.len()) as u32));
            from += run.len();
        }
        let ranks = all.iter().map(|&(_, lang, rank)| (lang, rank)).collect();
        Profiles { langs, sizes, index, ranks }
    }
}

/// whatlang's language and confidence for `text` (`whatlang::detect`), if it can tell.
pub fn detect(text: &str) -> Option<(Lang, f64)> {
    type Alphabets = fn(&LowercaseText, &FilterList) -> RawAlphabetsInfo;
    let (profiles, alphabets): (&Profiles, Alphabets) = match whatlang::detect_script(text)? {
        Script::Latin => (&*LATIN, alphabet_latin_calculate_scores as Alphabets),
        Script::Cyrillic => (&*CYRILLIC, alphabet_cyrillic_calculate_scores as Alphabets),
        _ => return whatlang::detect(text).map(|i| (i.lang(), i.confidence())),
    };
    let lower = LowercaseText::new(text);
    let alphabet = alphabets(&lower, &FilterList::all());
    let (count, distances) = distances(&lower, profiles);
    // whatlang `trigrams::detection::calculate_scores_in_profiles`, after the distances.
    let max_dist = count as u32 * MAX_TRIGRAM_DISTANCE;
    let trigram: Vec<(Lang, f64)> = distances
        .iter()
        .map(|&(lang, distance)| (lang, (max_dist - distance) as f64 / max_dist as f64))
        .collect();

    // whatlang `combined::raw_detect`.
    let mut all_langs: Vec<Lang> = alphabet.scores.iter().map(|x| x.0).collect();
    for (lang, _) in trigram.iter() {
        if !all_langs.contains(lang) {
            all_langs.push(*lang);
        }
    }
    let alphabet_weight = (-(alphabet.count as f64 / 300.0) + 2.0 / 3.0).clamp(1.0 / 3.0, 2.0 / 3.0);
    let trigram_weight = 1.0 - alphabet_weight;
    let mut scores = Vec::with_capacity(all_langs.len());
    for lang in all_langs {
        let a: f64 = alphabet.scores.iter().find(|(l, _)| l == &lang).map(|x| x.1).unwrap_or(0.0);
        let t: f64 = trigram.iter().find(|(l, _)| l == &lang).map(|x| x.1).unwrap_or(0.0);
        scores.push((lang, a * alphabet_weight + t * trigram_weight));
    }
    scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Less));

    // whatlang `combined::detect`.
    let &(lang, score1) = scores.first()?;
    let confidence = scores.get(1).map_or(1.0, |&(_, score2)| confidence(score1, score2, count));
    Some((lang, confidence))
}

/// whatlang `core::confidence::calculate_confidence`.
fn confidence(highest_score: f64, second_score: f64, count: usize) -> f64 {
    if highest_score == 0.0 {
        return 0.0;
    }
    if second_score == 0.0 {
        return highest_score;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (highest_score - second_score) / second_score;
    if rate > confident_rate { 1.0 } else { rate / confident_rate }
}

/// The number of ranked text trigrams and each language's distance, nearest first: whatlang's
/// `trigrams_count` and `raw_distances` (`calculate_scores_in_profiles`).
fn distances(lower: &str, p: &Profiles) -> (usize, Vec<(Lang, u32)>) {
    // whatlang `trigrams::utils::count`: stop characters read as spaces, a space before and after,
    // no trigram centred on a space next to another.
    let mut occurrences: HashMap<u64, u32, BuildHasherDefault<MulHasher>> =
        HashMap::with_capacity_and_hasher(lower.len().min(2048), Default::default());
    let mut chars = lower.chars().map(|c| if is_stop_char(c) { ' ' } else { c }).chain(Some(' '));
    let mut c1 = ' ';
    let mut c2 = chars.next().unwrap_or(' ');
    for c3 in chars {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            *occurrences.entry(pack(c1, c2, c3)).or_insert(0) += 1;
        }
        c1 = c2;
        c2 = c3;
    }
    // `trigram_occurances_to_positions`: by count then trigram, both descending (no ties: the
    // packing keeps the trigrams' order), the first 600 ranked.
    let mut ranked: Vec<u128> =
        occurrences.iter().map(|(&t, &n)| (u128::from(n) << 64) | u128::from(t)).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    ranked.truncate(TEXT_TRIGRAMS_SIZE);
    let count = ranked.len();

    // Per language: the sum of rank differences over its trigrams the text has, and how many.
    let mut found = vec![(0u32, 0u32); p.langs.len()];
    for (pos, &r) in ranked.iter().enumerate() {
        if let Some(&(from, to)) = p.index.get(&(r as u64)) {
            for &(lang, rank) in &p.ranks[from as usize..to as usize] {
                let f = &mut found[lang as usize];
                f.0 += (pos as i32 - rank as i32).unsigned_abs();
                f.1 += 1;
            }
        }
    }
    // whatlang `calculate_distance`.
    let mut distances: Vec<(Lang, u32)> = (p.langs.iter().zip(&p.sizes).zip(&found))
        .map(|((&lang, &size), &(sum, n))| {
            let mut total_dist = sum + (size - n) * MAX_TRIGRAM_DISTANCE;
            if MAX_TRIGRAM_DISTANCE > count as u32 {
                total_dist -= (MAX_TRIGRAM_DISTANCE - count as u32) * MAX_TRIGRAM_DISTANCE;
            }
            (lang, total_dist.clamp(0, MAX_TOTAL_DISTANCE))
        })
        .collect();
    distances.sort_unstable_by_key(|(_, dist)| *dist);
    (count, distances)
}

/// whatlang `utils::is_stop_char`: ASCII punctuation, digits, controls and space.
fn is_stop_char(ch: char) -> bool {
    matches!(ch, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}')
}

/// A trigram as one integer ordered as whatlang orders its `Trigram`s (char by char).
fn pack(c1: char, c2: char, c3: char) -> u64 {
    ((c1 as u64) << 42) | ((c2 as u64) << 21) | c3 as u64
}

/// Hash of a packed trigram: one multiply, the well-mixed high bits rotated down.
#[derive(Default)]
struct MulHasher(u64);

impl Hasher for MulHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use whatlang::dev::{RawLangInfo, raw_detect};

    fn whatlang(text: &str) -> Option<(Lang, u64)> {
        whatlang::detect(text).map(|i| (i.lang(), i.confidence().to_bits()))
    }

    fn ours(text: &str) -> Option<(Lang, u64)> {
        detect(text).map(|(l, c)| (l, c.to_bits()))
    }

    /// Our distances (all languages, in order) against whatlang's own, and the final answer.
    fn check(text: &str) {
        assert_eq!(ours(text), whatlang(text), "{text:?}");
        let Some(RawLangInfo::MultiScript(raw)) = raw_detect(text).lang_info else { return };
        let p: &Profiles = match whatlang::detect_script(text) {
            Some(Script::Latin) => &LATIN,
            Some(Script::Cyrillic) => &CYRILLIC,
            _ => return,
        };
        let (count, d) = distances(&LowercaseText::new(text), p);
        assert_eq!(count, raw.trigram_raw_outcome.trigrams_count, "{text:?}");
        assert_eq!(d, raw.trigram_raw_outcome.raw_distances, "{text:?}");
    }

    #[test]
    fn every_profile_scores_as_in_whatlang() {
        // A text made of one language's profile has all of its 300 trigrams, each ranked near
        // its place in the profile: a wrong or misplaced trigram in any language's line shows
        // in that language's distance. Shorter cuts add texts under 300 trigrams.
        for line in PROFILES.lines().filter(|l| !l.starts_with('#')) {
            let words: Vec<String> = line.split(' ').skip(2).map(|t| t.replace('_', " ")).collect();
            let text = words.concat();
            check(&text);
            check(&words[..40].concat());
            check(&words[..3].concat().to_uppercase());
        }
    }

    #[test]
    fn varied_texts_as_in_whatlang() {
        let texts = [
            "The Russian Foreign Ministry has unexpectedly spoken out in favor of a reset with NATO.",
            "Die Bundesregierung hat am Dienstag beschlossen, die Ausgaben für die Bildung zu erhöhen.",
            "El Gobierno aprobó este martes el proyecto de ley de presupuestos para el año 2025.",
            "Il presidente della Repubblica ha firmato il decreto dopo una lunga discussione.",
            "Le gouvernement a présenté mercredi son projet de loi de finances pour l'année prochaine.",
            "De regering heeft dinsdag besloten om meer geld uit te geven aan onderwijs en zorg.",
            "Rząd przyjął we wtorek projekt ustawy budżetowej na przyszły rok.",
            "Hükümet salı günü gelecek yılın bütçe tasarısını meclise sundu.",
            "Правительство во вторник одобрило проект бюджета на следующий год.",
            "Уряд у вівторок схвалив проєкт бюджету на наступний рік.",
            "Владата во вторникот го усвои предлогот на буџетот за следната година.",
            "الحكومة وافقت يوم الثلاثاء على مشروع الميزانية للعام المقبل",
            "政府は火曜日に来年度の予算案を承認した。",
            "Η κυβέρνηση ενέκρινε την Τρίτη το σχέδιο προϋπολογισμού.",
            "I am begging pardon",
            "Mi ne scias!",
            "a",
            "ab 12, cd!",
            "NATO. EU. UN.",
            "Ça va? Oui, très bien, merci. ÉTÉ À PARIS.",
            "Moskva Москва Moscow",
            "",
            "   12 345 !!! ",
        ];
        for t in texts {
            check(t);
        }
        // Pseudo-random mixes of profile trigrams from several languages, with case, digits and
        // punctuation, 1 to ~700 chars (a fixed xorshift sequence).
        let pool: Vec<&str> =
            PROFILES.lines().filter(|l| !l.starts_with('#')).flat_map(|l| l.split(' ').skip(2)).collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..300 {
            let len = (next() % 240) as usize;
            let start = (next() % pool.len() as u64) as usize;
            let spread = 1 + (next() % 3000) as usize;
            let mut text = String::new();
            for _ in 0..len {
                let t = pool[(start + (next() as usize % spread)) % pool.len()].replace('_', " ");
                match next() % 16 {
                    0 => text.push_str(&t.to_uppercase()),
                    1 => text.push_str(", 19"),
                    2 => text.push('.'),
                    _ => text.push_str(&t),
                }
            }
            check(&text);
        }
    }
}
