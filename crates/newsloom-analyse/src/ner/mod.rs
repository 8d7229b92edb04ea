//! Named entities: tokenisation with offsets, a statistical tagger, and linking of mentions to
//! canonical entities with CAMEO actor codes.
//!
//! # Layers (all usable on their own)
//!
//! * [`tokenize()`] / [`sentences`]: CoNLL-style tokens with byte and char offsets, sentence split.
//! * [`NerTagger`]: an averaged-perceptron BILOU tagger (PER, ORG, LOC, MISC) trained on
//!   CoNLL-2003 English (`eng.train`; Tjong Kim Sang & De Meulder, 2003) with word, affix, shape,
//!   context, document-case and gazetteer features, plus features meant for names it was never
//!   taught: word clusters and case profiles learnt from unlabelled news ([`clusters`]) and
//!   Census first names and surnames ([`names`]), GeoNames place names ([`places`]) and person
//!   cues around the same word elsewhere in the document. Its weights ship in
//!   `models/ner-weights.bin.gz` (compiled into the binary); [`train`] rebuilds them.
//!   [`NerTagger::shared`] gives a process-wide instance. Each thread that tags keeps bounded
//!   caches of word-level features and scores across documents (about 3 MB), so that common
//!   words are scored once per thread rather than once per token; results are the same.
//! * [`Gazetteer`]: names from the Phoenix actor dictionaries (MIT) with CAMEO codes.
//! * [`EntityRecognizer`]: per article, tags the body, links mentions to entities (country
//!   codes, IGOs, "the Kremlin" → RUSGOV, "the alliance" → NATO when NATO is in the article),
//!   merges aliases ("Andrei Kelin" … "Kelin" … "he"), and reads roles from apposition and
//!   titles ("Andrei Kelin, the Foreign Ministry's head of …", "Defense Minister Sergei Shoigu").
//!
//! # Entity ids and codes
//!
//! * Countries (names, adjectives, and their cities as Phoenix codes them: "Moscow" → RUS) link
//!   to the entity whose id is the country code (`RUS`), kind place.
//! * Dictionary institutions and IGOs use their CAMEO code as id when it is specific (`RUSGOV`
//!   for "the Kremlin", `IGOWSTNAT` for NATO, `IGOEUREEC` for the EU); others get a slug id
//!   (`org:reuters`) with the code in [`newsloom_model::Entity::code`].
//! * A country modifier plus an agent noun composes a code: "Russian Foreign Ministry" →
//!   `org:rus-foreign-ministry`, code `RUSGOV`, country `RUS`.
//! * People: `person:<slug of the longest name>` (`person:andrei-kelin`); `code` when the
//!   dictionaries know them (resolved for the article date, see
//!   [`EntityRecognizer::recognise_dated`] / [`EntityRecognizer::recognise_article`]); `role`
//!   and `country` from a title or an apposition.
//! * Everything else: `org:…`, `place:…`, `misc:…` slugs.
//!
//! Mentions carry char offsets into the body ([`newsloom_model::Span`]) and a confidence:
//! the tagger's calibrated margin (on CoNLL dev, 0.9 means about 90% of such spans are exactly
//! right), 0.6 for dictionary-only finds and descriptions ("the alliance"), 0.5 for pronouns.
//!
//! ```
//! use newsloom_analyse::ner::{EntityRecognizer, NerLabel};
//! let rec = EntityRecognizer::new();
//! let body = "Andrei Kelin, a Russian diplomat, told Interfax that NATO must change. Kelin said more.";
//! let (entities, mentions) = rec.recognise("a1", body);
//! let kelin = entities.iter().find(|e| e.name == "Andrei Kelin").unwrap();
//! assert_eq!(kelin.id, "person:andrei-kelin");
//! assert_eq!(mentions.iter().filter(|m| m.entity == kelin.id).count(), 2);
//! assert!(entities.iter().any(|e| e.code.as_deref() == Some("IGOWSTNAT"))); // NATO
//! // Lower level: tokens, sentences and BIO spans with byte and char offsets.
//! let tagged = rec.tagger().tag(body);
//! assert!(tagged.spans.iter().any(|s| s.label == NerLabel::Org && &body[s.start..s.end] == "NATO"));
//! ```

pub mod clusters;
mod eval;
pub(crate) mod features;
pub mod gazetteer;
mod infer;
mod link;
mod model;
pub mod names;
pub mod places;
mod templates;
#[cfg(test)]
mod tests;
pub mod tokenize;
mod train;
mod words;

pub use eval::{eval, predict_jsonl};
pub use gazetteer::{GazCat, GazEntry, Gazetteer};
pub use link::EntityRecognizer;
pub use tokenize::{Token, sentences, tokenize, tokenize_whitespace};
pub use train::train;

use features::token_infos;
use model::Weights;
use std::sync::LazyLock;

/// The tagger's classes (CoNLL's). `Misc` covers nationalities, events, works and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NerLabel {
    Per,
    Org,
    Loc,
    Misc,
}

impl NerLabel {
    const ALL: [NerLabel; 4] = [NerLabel::Per, NerLabel::Org, NerLabel::Loc, NerLabel::Misc];

    /// CoNLL's name: `PER`, `ORG`, `LOC`, `MISC`.
    pub fn as_str(self) -> &'static str {
        ["PER", "ORG", "LOC", "MISC"][self as usize]
    }
}

/// One tagged entity span. Token indices refer to [`TaggedText::tokens`].
#[derive(Debug, Clone, PartialEq)]
pub struct NerSpan {
    pub label: NerLabel,
    pub first_token: usize,
    /// Exclusive.
    pub end_token: usize,
    /// Byte offsets into the tagged text.
    pub start: usize,
    pub end: usize,
    /// Char offsets into the tagged text.
    pub char_start: usize,
    pub char_end: usize,
    /// 0..1, from the tagger's score margins over the span's tokens.
    pub confidence: f32,
}

/// A tagged text: its tokens, sentences (token ranges) and entity spans.
#[derive(Debug, Clone, Default)]
pub struct TaggedText {
    pub tokens: Vec<Token>,
    pub sentences: Vec<(usize, usize)>,
    pub spans: Vec<NerSpan>,
}

/// The statistical tagger plus the gazetteer its features use.
pub struct NerTagger {
    pub(crate) weights: Weights,
    gaz: Gazetteer,
}

static SHIPPED_WEIGHTS: &[u8] = include_bytes!("../../models/ner-weights.bin.gz");

static SHARED: LazyLock<NerTagger> = LazyLock::new(NerTagger::shipped);

impl NerTagger {
    /// Loads the shipped weights and gazetteer (a few tens of milliseconds). With a broken
    /// weight file the tagger finds nothing rather than panicking; [`NerTagger::try_shipped`]
    /// reports the error.
    pub fn shipped() -> Self {
        Self::try_shipped()
            .unwrap_or_else(|_| NerTagger { weights: Weights::empty(), gaz: Gazetteer::shipped() })
    }

    /// `NEWSLOOM_NER_WEIGHTS` names another weight file, to compare taggers without a rebuild.
    pub fn try_shipped() -> Result<Self, String> {
        let weights = match std::env::var_os("NEWSLOOM_NER_WEIGHTS") {
            Some(p) => Weights::from_gz(&std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?)?,
            None => Weights::from_gz(SHIPPED_WEIGHTS)?,
        };
        Ok(NerTagger { weights, gaz: Gazetteer::shipped() })
    }

    /// A process-wide tagger, loaded on first use.
    pub fn shared() -> &'static NerTagger {
        &SHARED
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Tokenises, splits sentences and tags raw text.
    pub fn tag(&self, text: &str) -> TaggedText {
        let tokens = tokenize(text);
        let sentences = sentences(text, &tokens);
        let spans = self.tag_tokens(text, &tokens, &sentences);
        TaggedText { tokens, sentences, spans }
    }

    /// Tags already tokenised text (`sentences` are `[start, end)` token ranges).
    pub fn tag_tokens(&self, text: &str, tokens: &[Token], sentences: &[(usize, usize)]) -> Vec<NerSpan> {
        let infos = token_infos(text, tokens, sentences, &self.gaz);
        let mut tags = vec![0u8; tokens.len()];
        let mut margins = vec![0f32; tokens.len()];
        let mut hist = features::History::default();
        let mut scorer = infer::DocScorer::new(&self.weights, &infos);
        for (s, e) in features::sentence_order(&infos, sentences) {
            if s < e && e <= tokens.len() {
                scorer.decode(&infos, (s, e), &mut hist, &mut tags, &mut margins);
            }
        }
        spans_from_tags(tokens, &tags, &margins)
    }
}

/// Trains on `data` (weights to `out`) and scores the result on `dev` without rebuilding: for
/// developing the features. Use [`train`] to produce the shipped weights.
#[doc(hidden)]
pub fn train_eval(
    data: &std::path::Path,
    dev: &std::path::Path,
    out: &std::path::Path,
    epochs: usize,
) -> Result<String, String> {
    let gaz = Gazetteer::shipped();
    let (summary, weights) = train::train_with(data, out, epochs, &gaz)?;
    let report = eval::eval_with(&NerTagger { weights, gaz }, dev, Some(data))?;
    Ok(format!("{summary}\n{}", report.human))
}

/// Trains on `data` (weights to `out`, shipped gazetteer and epochs) and returns the eval
/// report of the result on `dev`: what `newsloom eval ner --folds K` runs per fold.
pub fn train_eval_report(
    data: &std::path::Path,
    dev: &std::path::Path,
    out: &std::path::Path,
) -> Result<newsloom_model::EvalReport, String> {
    let gaz = Gazetteer::shipped();
    let epochs = train::env_or("NEWSLOOM_NER_EPOCHS", train::EPOCHS);
    let (_, weights) = train::train_with(data, out, epochs, &gaz)?;
    eval::eval_with(&NerTagger { weights, gaz }, dev, Some(data))
}

/// Turns BIO tags into spans.
fn spans_from_tags(tokens: &[Token], tags: &[u8], margins: &[f32]) -> Vec<NerSpan> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let t = tags[i];
        if t == 0 {
            i += 1;
            continue;
        }
        // B (I)* L, or U; a run the greedy decoder left open at a sentence end still counts.
        let l = (t - 1) / 4;
        let mut j = i + 1;
        if (t - 1) % 4 <= 1 {
            while j < tags.len()
                && tags[j] != 0
                && (tags[j] - 1) / 4 == l
                && matches!((tags[j] - 1) % 4, 1 | 2)
            {
                j += 1;
                if (tags[j - 1] - 1) % 4 == 2 {
                    break;
                }
            }
        }
        // Calibrated on CoNLL dev: spans whose weakest token margin is ~8 perceptron units are
        // right half the time, ~40 about 90%, ~80 about 98%.
        let m = margins[i..j].iter().copied().fold(f32::MAX, f32::min);
        let confidence = 1.0 / (1.0 + (-(m - 8.0) / 16.0).exp());
        out.push(NerSpan {
            label: NerLabel::ALL[l as usize],
            first_token: i,
            end_token: j,
            start: tokens[i].start,
            end: tokens[j - 1].end,
            char_start: tokens[i].char_start,
            char_end: tokens[j - 1].char_end,
            confidence,
        });
        i = j;
    }
    out
}
