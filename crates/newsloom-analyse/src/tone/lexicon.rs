//! Lexicon sentiment with negation and intensifiers, after VADER (Hutto & Gilbert, ICWSM 2014).
//!
//! The word valences (-4..+4) are VADER's lexicon from the PyPI package `vaderSentiment` 3.3.2
//! (MIT, Copyright (c) 2016 C.J. Hutto; `models/VADER-LICENSE`), kept as `word<TAB>valence` in
//! `models/vader-lexicon.tsv` and compiled into the binary. The rules are VADER's: a booster or
//! dampener ("very", "barely") in the three words before a sentiment word scales it (less the
//! further away it is), a negation ("not", "never", "n't") in those three words flips and damps
//! it (x -0.74), and after "but" a sentence's words count 1.5x (0.5x before it).

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

const LEXICON_TSV: &str = include_str!("../../models/vader-lexicon.tsv");

/// VADER's empirically derived booster step and negation scalar.
const BOOST: f32 = 0.293;
const NEGATION_SCALAR: f32 = -0.74;
/// VADER's normalisation constant: `compound = s / sqrt(s^2 + ALPHA)`.
const ALPHA: f32 = 15.0;

/// VADER's negation words (lower case; "n't" is split off by the tokeniser and listed too).
const NEGATIONS: &[&str] = &[
    "not", "n't", "no", "never", "none", "nothing", "nowhere", "neither", "nor", "without", "cannot", "aint",
    "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt",
    "mustnt", "neednt", "shouldnt", "wasnt", "werent", "wont", "wouldnt", "rarely", "seldom", "despite",
];

/// VADER's degree adverbs: +1 boosts the next sentiment word, -1 damps it.
const BOOSTERS: &[(&str, i8)] = &[
    ("absolutely", 1),
    ("amazingly", 1),
    ("awfully", 1),
    ("completely", 1),
    ("considerable", 1),
    ("considerably", 1),
    ("decidedly", 1),
    ("deeply", 1),
    ("enormous", 1),
    ("enormously", 1),
    ("entirely", 1),
    ("especially", 1),
    ("exceptional", 1),
    ("exceptionally", 1),
    ("extreme", 1),
    ("extremely", 1),
    ("fabulously", 1),
    ("fully", 1),
    ("greatly", 1),
    ("highly", 1),
    ("hugely", 1),
    ("incredible", 1),
    ("incredibly", 1),
    ("intensely", 1),
    ("major", 1),
    ("majorly", 1),
    ("more", 1),
    ("most", 1),
    ("particularly", 1),
    ("purely", 1),
    ("quite", 1),
    ("really", 1),
    ("remarkably", 1),
    ("so", 1),
    ("substantially", 1),
    ("thoroughly", 1),
    ("total", 1),
    ("totally", 1),
    ("tremendous", 1),
    ("tremendously", 1),
    ("unbelievably", 1),
    ("unusually", 1),
    ("utter", 1),
    ("utterly", 1),
    ("very", 1),
    ("almost", -1),
    ("barely", -1),
    ("hardly", -1),
    ("kinda", -1),
    ("less", -1),
    ("little", -1),
    ("marginal", -1),
    ("marginally", -1),
    ("occasional", -1),
    ("occasionally", -1),
    ("partly", -1),
    ("scarce", -1),
    ("scarcely", -1),
    ("slight", -1),
    ("slightly", -1),
    ("somewhat", -1),
    ("sorta", -1),
];

/// What the lexicon knows about a lower-case word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WordClass {
    Plain,
    /// A sentiment word with its valence (-4..+4).
    Sentiment(f32),
    Negation,
    /// +1 booster, -1 dampener.
    Booster(i8),
    /// "but": shifts the weight to what follows.
    But,
}

/// The sentiment lexicon with its rule words.
pub struct Lexicon {
    words: FxHashMap<&'static str, WordClass>,
}

impl Lexicon {
    /// The shipped lexicon, parsed once per process.
    pub fn shared() -> &'static Lexicon {
        static LEX: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);
        &LEX
    }

    fn load() -> Lexicon {
        let mut words = FxHashMap::default();
        for line in LEXICON_TSV.lines() {
            let Some((w, v)) = line.split_once('\t') else { continue };
            if let Ok(v) = v.trim().parse::<f32>() {
                words.insert(w, WordClass::Sentiment(v));
            }
        }
        // Rule words override valences: VADER never scores "no" or "but" themselves in context.
        for &(w, d) in BOOSTERS {
            words.insert(w, WordClass::Booster(d));
        }
        for &w in NEGATIONS {
            words.insert(w, WordClass::Negation);
        }
        words.insert("but", WordClass::But);
        Lexicon { words }
    }

    /// The class of a lower-case word.
    #[inline]
    pub fn class(&self, lower: &str) -> WordClass {
        self.words.get(lower).copied().unwrap_or(WordClass::Plain)
    }

    /// The valence of a lower-case word, if it is a sentiment word.
    pub fn valence(&self, lower: &str) -> Option<f32> {
        match self.class(lower) {
            WordClass::Sentiment(v) => Some(v),
            _ => None,
        }
    }

    /// Valences of each word in context (0 for words without sentiment), with boosters,
    /// negation and the "but" shift applied. `words` are lower case, in order, of one sentence.
    pub fn contextual_valences<S: AsRef<str>>(&self, words: &[S]) -> Vec<f32> {
        let classes: Vec<WordClass> = words.iter().map(|w| self.class(w.as_ref())).collect();
        let mut out = vec![0.0f32; words.len()];
        for (i, c) in classes.iter().enumerate() {
            let WordClass::Sentiment(mut v) = *c else { continue };
            let mut negated = false;
            for back in 1..=3 {
                let Some(j) = i.checked_sub(back) else { break };
                match classes[j] {
                    WordClass::Booster(d) => {
                        // VADER: the step shrinks by 5% per word of distance and follows the sign.
                        let step = BOOST * d as f32 * (1.0 - 0.05 * (back - 1) as f32);
                        v += if v > 0.0 { step } else { -step };
                    }
                    WordClass::Negation => negated = true,
                    _ => {}
                }
            }
            if negated {
                v *= NEGATION_SCALAR;
            }
            out[i] = v;
        }
        if let Some(b) = classes.iter().position(|c| *c == WordClass::But) {
            for (i, v) in out.iter_mut().enumerate() {
                *v *= if i < b { 0.5 } else { 1.5 };
            }
        }
        out
    }

    /// VADER-style compound score of one sentence in -1..1.
    pub fn compound<S: AsRef<str>>(&self, words: &[S]) -> f32 {
        normalize(self.contextual_valences(words).iter().sum())
    }
}

/// VADER's squashing of a valence sum into -1..1.
pub fn normalize(sum: f32) -> f32 {
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// First-person pronouns: GDELT's self/group reference words.
pub fn is_self_reference(lower: &str) -> bool {
    matches!(lower, "i" | "me" | "my" | "mine" | "myself" | "we" | "us" | "our" | "ours" | "ourselves")
}
