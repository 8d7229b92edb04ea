//! Quotes and reported speech, with their speakers.
//!
//! [`QuoteExtractor::extract`] finds, in an article body:
//! - direct quotations in any common style (`“…”`, `"…"`, `«…»`, `‘…’`, `„…“`), including
//!   quotations that run over several paragraphs (a paragraph that opens a quote without
//!   closing it) and `“…,” he said. “…”` continuations, which become one quote;
//! - partial quotes (`Peskov complained of a “total lack of trust”`), also inside reported
//!   clauses (`She said Trump favors a “strongman approach.”`);
//! - reported speech and stance: every speech, stance or plan cue in a sentence
//!   (`Kelin said that …`, `…, the ministry noted.`, `According to X, …`, `…, saying …`,
//!   `X toured the plant and said …`, `an architect who said …`, `The difference now, he told
//!   me, is …`, `Trump’s claim that …`, `PENCE: …`), each content ending where a coordinated
//!   clause, a reporter's aside or a closing parenthesis begins.
//!
//! Each [`Quote`] carries the content span (char offsets into the body, from the first to the
//! last piece), the speaker mention span as written (`he`), the canonical speaker name
//! (`he` → the previous named speaker, `Kelin` → `Andrei Kelin`, titles dropped), the
//! speaker's entity id when entity mentions are passed in, the cue verb and the medium
//! (`told Interfax`). It is a shallow, rule-based finder: one pass over the tokens, a bounded
//! amount of work per cue.
//!
//! Reported speech is tagged by a model learnt from PolNeAR ([`learn`], weights in
//! `models/quotes-weights.bin.gz`): its cues, contents and speakers, with the rules' readings as
//! features; [`QuoteExtractor::rules_only`] gives the rules alone.
//!
//! ```
//! use newsloom_analyse::quotes::QuoteExtractor;
//! let body = "“We need normal relations,” Andrei Kelin told Interfax. “It is time,” he added.";
//! let quotes = QuoteExtractor::new().extract("a1", body, None);
//! assert_eq!(quotes.len(), 2);
//! assert_eq!(quotes[0].speaker.as_deref(), Some("Andrei Kelin"));
//! assert_eq!(quotes[0].medium.as_deref(), Some("Interfax"));
//! assert_eq!(quotes[1].speaker.as_deref(), Some("Andrei Kelin"));
//! assert_eq!(quotes[1].span.slice(body), Some("“It is time,”"));
//! ```

mod eval;
mod find;
pub mod gold;
pub mod learn;
mod lexicon;
mod reported;
#[cfg(test)]
mod tests;
pub(crate) mod text;

pub use eval::{QuoteMetrics, eval, evaluate, write_predictions};
pub use learn::QuoteModel;

use newsloom_model::{Mention, Quote, Span};
use std::collections::HashMap;
use std::sync::Arc;
use text::{CharMap, Doc};

/// Finds quotes and their speakers. Cheap to create; holds no per-article state.
#[derive(Debug, Default, Clone)]
pub struct QuoteExtractor {
    scorer: Scorer,
}

/// Which model decides over the rules' candidates.
#[derive(Debug, Default, Clone)]
enum Scorer {
    /// The model compiled into the binary (the rules alone if it does not load).
    #[default]
    Shipped,
    RulesOnly,
    Model(Arc<QuoteModel>),
}

/// A quote together with its content pieces (a quote interrupted by `he said` has two).
#[derive(Debug, Clone)]
pub struct QuoteDetail {
    pub quote: Quote,
    /// Content pieces as char ranges `[start, end)` into the body.
    pub pieces: Vec<(usize, usize)>,
}

impl QuoteExtractor {
    pub fn new() -> Self {
        Self::default()
    }

    /// The hand-written rules alone, without the learnt scorer (the baseline it is measured
    /// against).
    pub fn rules_only() -> Self {
        Self { scorer: Scorer::RulesOnly }
    }

    /// The rules' candidates decided by `model` (e.g. one trained on some folds).
    pub fn with_model(model: Arc<QuoteModel>) -> Self {
        Self { scorer: Scorer::Model(model) }
    }

    fn model(&self) -> Option<&QuoteModel> {
        match &self.scorer {
            Scorer::Shipped => QuoteModel::shipped(),
            Scorer::RulesOnly => None,
            Scorer::Model(m) => Some(m),
        }
    }

    /// Quotes in `body`. `mentions` (from the entity recogniser, char offsets into the same
    /// body) let speakers resolve to entity ids; without them speakers are names only.
    pub fn extract(&self, article_id: &str, body: &str, mentions: Option<&[Mention]>) -> Vec<Quote> {
        self.extract_detailed(article_id, body, mentions).into_iter().map(|d| d.quote).collect()
    }

    /// Like [`Self::extract`], keeping each quote's separate content pieces.
    pub fn extract_detailed(
        &self,
        article_id: &str,
        body: &str,
        mentions: Option<&[Mention]>,
    ) -> Vec<QuoteDetail> {
        let doc = Doc::new(body);
        let hits = self.hits(&doc);
        if hits.is_empty() {
            return Vec::new();
        }
        self.details(article_id, body, &doc, &CharMap::new(body), hits, mentions)
    }

    /// The quotes of a tokenised body, for a caller that shares `doc` and `cm` with other stages.
    pub(crate) fn extract_in(
        &self,
        article_id: &str,
        body: &str,
        doc: &Doc,
        cm: &CharMap,
        mentions: Option<&[Mention]>,
    ) -> Vec<Quote> {
        let hits = self.hits(doc);
        self.details(article_id, body, doc, cm, hits, mentions).into_iter().map(|d| d.quote).collect()
    }

    /// Quotations and reported speech found by the rules, re-scored by the learnt tagger.
    fn hits(&self, doc: &Doc) -> Vec<find::Hit> {
        let hits = find::find_hits(doc);
        match self.model() {
            Some(m) => m.apply(doc, hits),
            None => hits,
        }
    }

    fn details(
        &self,
        article_id: &str,
        body: &str,
        doc: &Doc,
        cm: &CharMap,
        hits: Vec<find::Hit>,
        mentions: Option<&[Mention]>,
    ) -> Vec<QuoteDetail> {
        let names = NameIndex::new(doc);
        let mut last_named: Option<(String, Option<String>)> = None;
        // Speakers named so far (canonical name, entity), for `the ministry` → the ministry named earlier.
        let mut earlier: Vec<(String, Option<String>)> = Vec::new();
        let mut out = Vec::with_capacity(hits.len());
        for h in hits {
            let pieces: Vec<(usize, usize)> = h
                .content
                .iter()
                .filter(|&&(a, b)| b > a)
                .map(|&(a, b)| (cm.char(doc.toks[a].s), cm.char(doc.toks[b - 1].e)))
                .collect();
            let (Some(&(start, _)), Some(&(_, end))) = (pieces.first(), pieces.last()) else { continue };
            let text = h
                .content
                .iter()
                .filter(|&&(a, b)| b > a)
                .map(|&(a, b)| &body[doc.toks[a].s..doc.toks[b - 1].e])
                .collect::<Vec<_>>()
                .join(" ");
            let tok_span = |(a, b): (usize, usize)| (doc.toks[a].s, doc.toks[b - 1].e);
            let mut speaker = None;
            let mut speaker_entity = None;
            let mut speaker_span = None;
            if let Some(sp) = h.speaker {
                let (bs, be) = tok_span(sp);
                let (cs, ce) = (cm.char(bs), cm.char(be));
                speaker_span = Some(Span::new(article_id, cs, ce));
                // The mention sharing most characters with the speaker phrase (`the Russian
                // foreign ministry` is the ministry, not Russia).
                let mention_entity = |s: usize, e: usize| {
                    mentions.and_then(|ms| {
                        ms.iter()
                            .filter(|m| m.span.start < e && s < m.span.end)
                            .max_by_key(|m| m.span.end.min(e) - m.span.start.max(s))
                            .map(|m| m.entity.clone())
                    })
                };
                let written = &body[bs..be];
                let lower = written.to_lowercase();
                if sp.1 - sp.0 == 1 && lexicon::is_pronoun(&lower) {
                    if let Some((name, ent)) = resolve_pronoun(doc, sp.0, &lower, &names, &last_named) {
                        speaker = Some(name);
                        speaker_entity = ent.or_else(|| mention_entity(cs, ce));
                    } else {
                        speaker = Some(written.to_string());
                    }
                } else if let Some((name, ent)) = definite_antecedent(&lower, &earlier) {
                    // `the ministry` after `the Russian foreign ministry` said something.
                    speaker = Some(name);
                    speaker_entity = ent.or_else(|| mention_entity(cs, ce));
                } else {
                    let name = names.canonical(doc, sp);
                    speaker_entity = mention_entity(cs, ce);
                    if doc.is_cap(sp.1 - 1) {
                        last_named = Some((name.clone(), speaker_entity.clone()));
                    }
                    earlier.push((name.clone(), speaker_entity.clone()));
                    speaker = Some(name);
                }
            }
            let quote = Quote {
                text,
                kind: h.kind,
                span: Span::new(article_id, start, end),
                speaker,
                speaker_entity,
                speaker_span,
                cue: h.cue.map(|c| {
                    let (s, e) = tok_span(c);
                    body[s..e].to_string()
                }),
                medium: h.medium.map(|m| {
                    let (s, e) = tok_span(m);
                    body[s..e].to_string()
                }),
                confidence: h.confidence,
            };
            out.push(QuoteDetail { quote, pieces });
        }
        out
    }
}

/// `the ministry`, `the agency`: the latest earlier speaker whose name ends in that noun
/// (and is longer, so it says more).
fn definite_antecedent(
    lower: &str,
    earlier: &[(String, Option<String>)],
) -> Option<(String, Option<String>)> {
    let head = lower.strip_prefix("the ")?;
    if head.contains(' ') || head.is_empty() {
        return None;
    }
    earlier
        .iter()
        .rev()
        .find(|(name, _)| {
            let n = name.to_lowercase();
            n.len() > lower.len() && n.rsplit(' ').next() == Some(head)
        })
        .cloned()
}

/// `he`/`she` → the last named speaker; `who` → the name right before `, who`.
fn resolve_pronoun(
    doc: &Doc,
    at: usize,
    lower: &str,
    names: &NameIndex,
    last_named: &Option<(String, Option<String>)>,
) -> Option<(String, Option<String>)> {
    if lower == "who" && at >= 2 && doc.is(at - 1, ",") && doc.is_cap(at - 2) {
        let mut s = at - 2;
        while s > 0 && doc.is_cap(s - 1) {
            s -= 1;
        }
        return Some((names.canonical(doc, (s, at - 1)), None));
    }
    if lexicon::is_person_pronoun(lower) || matches!(lower, "they" | "it" | "we") {
        return last_named.clone();
    }
    None
}

/// Full names seen in the document, by their last word, so `Kelin` can become `Andrei Kelin`.
struct NameIndex {
    by_last: HashMap<String, String>,
}

impl NameIndex {
    fn new(doc: &Doc) -> Self {
        let mut by_last = HashMap::new();
        let n = doc.toks.len();
        let mut i = 0;
        while i < n {
            if !doc.is_cap(i) {
                i += 1;
                continue;
            }
            let mut e = i;
            while e < n && doc.is_cap(e) && (e == i || !doc.toks[e].nl_before) {
                e += 1;
            }
            let (s, _) = strip_titles(doc, (i, e));
            if e - s >= 2 && e - s <= 4 {
                let last = strip_possessive(doc.tok(e - 1));
                let full = join_words(doc, s, e);
                by_last.entry(last.to_string()).or_insert(full);
            }
            i = e;
        }
        Self { by_last }
    }

    /// The canonical form of a speaker phrase: titles and determiners dropped, a lone surname
    /// expanded to the full name seen elsewhere in the article.
    fn canonical(&self, doc: &Doc, (s, e): (usize, usize)) -> String {
        // `Rep. Ann Lutz (D-Wis.)`: the party and state are no part of the name.
        let mut e = e;
        if e > s + 1
            && doc.is(e - 1, ")")
            && let Some(p) = (s + 1..e - 1).rev().find(|&p| doc.is(p, "("))
        {
            e = p;
        }
        // A descriptive phrase ending in a name: `White House spokesman Josh Earnest`.
        let mut ns = e;
        while ns > s && doc.is_cap(ns - 1) {
            ns -= 1;
        }
        if ns == e || (ns > s && doc.is(ns - 1, "of")) {
            // No name, or a descriptor such as `a representative of the Ministry`.
            return join_words(doc, s, e);
        }
        let (ns, _) = strip_titles(doc, (ns, e));
        if e - ns == 1 {
            let last = strip_possessive(doc.tok(ns));
            if let Some(full) = self.by_last.get(last) {
                return full.clone();
            }
        }
        if ns > s && !doc.is_cap(s) {
            // `the Foreign Ministry`: keep the name part only when there is a real name.
            if e - ns >= 2 {
                return join_words(doc, ns, e);
            }
            return join_words(doc, s, e);
        }
        join_words(doc, ns, e)
    }
}

/// Drops leading titles (`Defense Minister`, `Mr.`) when a name is left after them.
fn strip_titles(doc: &Doc, (s, e): (usize, usize)) -> (usize, usize) {
    let mut last_title = None;
    for k in s..e {
        if lexicon::is_title(&doc.tok(k).to_lowercase()) {
            last_title = Some(k);
        }
    }
    match last_title {
        Some(k) if k + 1 < e => (k + 1, e),
        _ => (s, e),
    }
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("’s").or_else(|| w.strip_suffix("'s")).unwrap_or(w)
}

fn join_words(doc: &Doc, s: usize, e: usize) -> String {
    let text = &doc.text[doc.toks[s].s..doc.toks[e - 1].e];
    let text = strip_possessive(text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
