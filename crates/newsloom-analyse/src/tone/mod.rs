//! Tone: GDELT-style V2Tone per article and target-dependent sentiment per entity mention.
//!
//! * [`Lexicon`]: VADER's word valences (MIT) with its negation ("not good") and intensifier
//!   ("very bad") rules. Per article, [`ToneAnalyser::article_tone`] counts the words whose
//!   contextual valence is positive or negative, as GDELT's V2Tone does: `tone = positive -
//!   negative` in percent of words, `polarity = positive + negative`, plus the word count and
//!   the self/group (first-person pronoun) density.
//! * Per mention, [`ToneAnalyser::mention_tones`] classifies the sentiment of the mention's
//!   sentence towards that mention (negative / neutral / positive) with a logistic regression
//!   over the words around it, its clause's lexicon score, its place in the sentence, and how
//!   it relates to the sentiment words (distance, subject or object of one, negation and quotes
//!   near it, sentiment nearer another name), and averaged pretrained word vectors around it
//!   ([`vectors`], GloVe, PDDL-1.0) ([`features`]). Its weights are learnt from NewsMTSC dev
//!   (Hamborg & Donnay, EACL 2021; MIT) by [`train`] and ship in `models/tone-target.bin.gz`.
//!
//! ```
//! use newsloom_analyse::tone::ToneAnalyser;
//! let tone = ToneAnalyser::shared();
//! let t = tone.article_tone("The talks were a great success. Nobody was hurt.");
//! assert!(t.tone > 0.0 && t.word_count == 9);
//! ```

mod eval;
pub mod features;
pub mod lexicon;
mod model;
mod roles;
#[cfg(test)]
mod tests;
mod train;
pub mod vectors;

pub use eval::eval;
pub use lexicon::Lexicon;
pub use model::{NC, ToneModel, TrainConfig};
pub use train::{train, train_from_examples};

use crate::ner::{Token, sentences, tokenize};
use features::{normalize_word, target_features};
use newsloom_model::{ArticleTone, Mention, MentionTone, Span};
use std::borrow::Cow;
use std::sync::LazyLock;

const SHIPPED_MODEL: &[u8] = include_bytes!("../../models/tone-target.bin.gz");

/// Tone scoring with the shipped lexicon and target model.
pub struct ToneAnalyser {
    lexicon: &'static Lexicon,
    model: Result<ToneModel, String>,
}

/// One sentence prepared for scoring: normalised words, their contextual valences, and the
/// char range of each word in the text.
pub struct ScoredSentence<'a> {
    pub words: Vec<Cow<'a, str>>,
    pub valences: Vec<f32>,
    /// Which words look like parts of names ([`features::name_mask`]).
    pub names: Vec<bool>,
    pub tokens: &'a [Token],
}

impl ToneAnalyser {
    /// The process-wide analyser (lexicon and model parsed once).
    pub fn shared() -> &'static ToneAnalyser {
        static SHARED: LazyLock<ToneAnalyser> =
            LazyLock::new(|| ToneAnalyser::with_model(ToneModel::from_bytes(SHIPPED_MODEL)));
        &SHARED
    }

    /// An analyser with another target model (or the error that loading it gave: then no
    /// mention tones are produced, and [`ToneAnalyser::model_error`] says why).
    pub fn with_model(model: Result<ToneModel, String>) -> Self {
        Self { lexicon: Lexicon::shared(), model }
    }

    pub fn lexicon(&self) -> &'static Lexicon {
        self.lexicon
    }

    /// Why the target model could not be loaded, if it could not.
    pub fn model_error(&self) -> Option<&str> {
        self.model.as_ref().err().map(String::as_str)
    }

    fn prepare<'a>(&self, text: &'a str, tokens: &'a [Token]) -> ScoredSentence<'a> {
        let words: Vec<Cow<'a, str>> = tokens.iter().map(|t| normalize_word(t.text(text))).collect();
        let valences = self.lexicon.contextual_valences(&words);
        let names = features::name_mask(tokens.iter().map(|t| t.text(text)));
        ScoredSentence { words, valences, names, tokens }
    }

    /// V2Tone of a text (see the module docs).
    pub fn article_tone(&self, body: &str) -> ArticleTone {
        let tokens = tokenize(body);
        let sents = sentences(body, &tokens);
        let prepared: Vec<ScoredSentence<'_>> =
            sents.iter().map(|&(a, b)| self.prepare(body, &tokens[a..b])).collect();
        tone_of(&prepared)
    }

    /// Class probabilities (negative, neutral, positive) of the sentiment towards the words
    /// `t0..t1` of a prepared sentence, or `None` without a model.
    pub fn target_probabilities(&self, s: &ScoredSentence<'_>, t0: usize, t1: usize) -> Option<[f32; NC]> {
        let model = self.model.as_ref().ok()?;
        let mut f = Vec::with_capacity(128 + features::DENSE);
        let sv = vectors::SentenceVectors::new(vectors::WordVectors::shared(), &s.words);
        target_features(self.lexicon, &s.words, &s.valences, &s.names, &sv, t0, t1, &mut f);
        Some(model.probabilities(&f))
    }

    /// Sentiment towards one char range of a single sentence `text` (tokenised here).
    pub fn target_in_sentence(&self, text: &str, char_start: usize, char_end: usize) -> Option<[f32; NC]> {
        let tokens = tokenize(text);
        let s = self.prepare(text, &tokens);
        let (t0, t1) = token_range(&tokens, char_start, char_end);
        self.target_probabilities(&s, t0, t1)
    }

    /// Article tone plus the tone towards each mention (in the mention's sentence). Each
    /// sentence is scored once; the sentence-wide bag of words is summed once per sentence and
    /// each target's own words are taken off (the same scores as [`features::target_features`]).
    pub fn analyse(
        &self,
        article_id: &str,
        body: &str,
        mentions: &[Mention],
    ) -> (ArticleTone, Vec<MentionTone>) {
        let tokens = tokenize(body);
        let sents = sentences(body, &tokens);
        self.analyse_tokens(article_id, body, &tokens, &sents, mentions)
    }

    /// [`ToneAnalyser::analyse`] over tokens and sentences already made (by the entity tagger).
    pub fn analyse_tokens(
        &self,
        article_id: &str,
        body: &str,
        tokens: &[Token],
        sents: &[(usize, usize)],
        mentions: &[Mention],
    ) -> (ArticleTone, Vec<MentionTone>) {
        let prepared: Vec<ScoredSentence<'_>> =
            sents.iter().map(|&(a, b)| self.prepare(body, &tokens[a..b])).collect();
        let tone = tone_of(&prepared);
        let mut out = Vec::new();
        let Ok(model) = &self.model else { return (tone, out) };
        let mut order: Vec<&Mention> = mentions.iter().collect();
        order.sort_by_key(|m| m.span.start);
        let mut next = 0;
        let mut local = Vec::with_capacity(128);
        let word_vectors = vectors::WordVectors::shared();
        for s in &prepared {
            let (Some(first), Some(last)) = (s.tokens.first(), s.tokens.last()) else { continue };
            let end = order[next..].iter().take_while(|m| m.span.start < last.char_end).count();
            let here = &order[next..next + end];
            next += end;
            if !here.iter().any(|m| m.span.start >= first.char_start) {
                continue;
            }
            // The sentence's bag score and word vector rows, once.
            let projected = model.project_sentence(&word_vectors.ids(&s.words));
            let row = |k: u32| model.scores(&[(k, 1.0)]);
            let bags: Vec<(u32, Option<u32>)> =
                (0..s.words.len()).map(|i| features::bag_at(&s.words, i)).collect();
            // Summed in one call, which fetches the rows ahead (same order, same sum).
            local.clear();
            for &(w, bg) in &bags {
                local.push((w, 1.0));
                local.extend(bg.map(|bg| (bg, 1.0)));
            }
            let bag = model.scores(&local);
            for m in here.iter().filter(|m| m.span.start >= first.char_start) {
                let (t0, t1) = token_range(s.tokens, m.span.start, m.span.end);
                let mut sc = bag;
                if t1 > t0 {
                    for (i, &(w, bg)) in bags.iter().enumerate().take(t1).skip(t0.saturating_sub(1)) {
                        if i >= t0 {
                            add(&mut sc, row(w), -1.0);
                        }
                        if let Some(bg) = bg {
                            add(&mut sc, row(bg), -1.0);
                        }
                    }
                }
                local.clear();
                let span =
                    features::local_sparse(self.lexicon, &s.words, &s.valences, &s.names, t0, t1, &mut local);
                add(&mut sc, model.scores(&local), 1.0);
                model.add_vector_scores(&projected, &s.valences, &span, &mut sc);
                let p = model::softmax(sc);
                out.push(mention_tone(&m.entity, Span::new(article_id, m.span.start, m.span.end), p));
            }
        }
        (tone, out)
    }
}

fn add(acc: &mut [f32; NC], row: [f32; NC], sign: f32) {
    for c in 0..NC {
        acc[c] += sign * row[c];
    }
}

/// V2Tone counts over prepared sentences.
fn tone_of(sents: &[ScoredSentence<'_>]) -> ArticleTone {
    let (mut words, mut pos, mut neg, mut selfref) = (0u32, 0u32, 0u32, 0u32);
    for s in sents {
        for (w, &v) in s.words.iter().zip(&s.valences) {
            if !w.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            words += 1;
            pos += (v > 0.0) as u32;
            neg += (v < 0.0) as u32;
            selfref += lexicon::is_self_reference(w) as u32;
        }
    }
    let pct = |n: u32| if words == 0 { 0.0 } else { 100.0 * n as f32 / words as f32 };
    ArticleTone {
        tone: pct(pos) - pct(neg),
        positive: pct(pos),
        negative: pct(neg),
        polarity: pct(pos) + pct(neg),
        self_group_density: pct(selfref),
        word_count: words,
    }
}

/// The predicted class of a probability row as polarity -1/0/1, with P(pos) - P(neg) as score.
pub fn mention_tone(entity: &str, span: Span, p: [f32; NC]) -> MentionTone {
    let best = argmax(p);
    MentionTone {
        entity: entity.to_string(),
        span,
        polarity: best as i8 - 1,
        score: p[2] - p[0],
        confidence: p[best],
    }
}

pub(crate) fn argmax(p: [f32; NC]) -> usize {
    (0..NC).fold(0, |b, c| if p[c] > p[b] { c } else { b })
}

/// The tokens covering chars `start..end` (at least one token when the range touches any).
pub(crate) fn token_range(tokens: &[Token], start: usize, end: usize) -> (usize, usize) {
    let t0 = tokens.iter().position(|t| t.char_end > start).unwrap_or(tokens.len());
    let t1 = tokens[t0..].iter().position(|t| t.char_start >= end).map_or(tokens.len(), |k| t0 + k);
    (t0, t1.max(t0))
}
