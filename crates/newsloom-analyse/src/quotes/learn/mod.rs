//! The learnt attribution tagger: trained on PolNeAR (`newsloom train quotes`), it finds the
//! cues of reported speech, the content each one attributes and keeps the rules as features.
//!
//! The rules' quotation hits (a quotation with its frame, its continuation, a speaker label)
//! stay as found. For reported speech, a first pass keeps the words outside quotations that the
//! rules read as cues or whose stem carried cues in training ([`cue::CueWords`]); each is scored
//! as a cue by an averaged perceptron ([`cue`]: the word, its ending and neighbours, the rules'
//! lexicon class and whether the rules used it, a subject before it, what follows it). Weights
//! are dense i16 tables indexed by a hash of the feature ([`perceptron::Weights`]). A second
//! pass scores each candidate again with its first-pass score and those of the other
//! candidates of its sentence ([`cue::stack_features`]: a word right after a strong `said` is
//! more often inside its content than a cue), trained on out-of-fold first-pass scores. Each
//! token scoring above the threshold gets a content: a second perceptron ranks candidate spans
//! ([`content`]: right of the cue to a clause break, left of it, around a frame, an adjacent
//! quotation, the rules' own reading) by their boundary words, length and agreement with the
//! rules; a right-hand candidate's end is also ranked by an end scorer of its own ([`ends`]);
//! a third ranks speakers ([`speaker`]), chosen together with the content. Attributions
//! are then kept by cue score, each only when its content does not cover what a kept one
//! covers.

pub(crate) mod align;
pub(crate) mod content;
pub(crate) mod cue;
pub(crate) mod ends;
pub(crate) mod perceptron;
pub(crate) mod speaker;
#[cfg(test)]
mod tests;
mod train;

pub use train::{TrainConfig, cross_validate, diagnose, publisher_folds, train, train_file};

use super::find::Hit;
use super::reported::hit_for_cue;
use super::text::Doc;
use content::{Cand, SpanCtx, cue_extent};
use cue::RuleUse;
use newsloom_model::QuoteKind;
use perceptron::{Reader, Weights};
use std::io::{Read, Write};
use std::sync::LazyLock;

const MAGIC: &[u8; 8] = b"NLQUOT01";
/// Bumped whenever candidates, features or the layout change; the file must match.
const MODEL_VERSION: u32 = 8;

/// Learnt weights (one table each for the cue tagger, the span scorer and the speaker scorer)
/// and the cue threshold.
#[derive(Clone, Default)]
pub struct QuoteModel {
    pub(crate) cue: Weights,
    pub(crate) span: Weights,
    pub(crate) speaker: Weights,
    /// The second-pass cue tagger (stacked on the first pass's scores of the sentence's other
    /// candidates), when trained.
    pub(crate) cue2: Option<Weights>,
    /// The end scorer of right-hand contents ([`ends`]), when trained.
    pub(crate) end: Option<Weights>,
    /// A token is a cue when it scores above this.
    pub(crate) threshold: f32,
    /// Tokens scoring above this are cues a content should not hold (a span feature).
    pub(crate) floor: f32,
    /// A content never holds another cue scoring above this.
    pub(crate) block: f32,
    /// The stems the tagger reads (a first pass: other words are not scored).
    pub(crate) words: cue::CueWords,
}

impl std::fmt::Debug for QuoteModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QuoteModel({} weights, threshold {})", self.len(), self.threshold)
    }
}

static SHIPPED_BYTES: &[u8] = include_bytes!("../../../models/quotes-weights.bin.gz");
static SHIPPED: LazyLock<Option<QuoteModel>> = LazyLock::new(|| QuoteModel::from_gz(SHIPPED_BYTES).ok());

impl QuoteModel {
    /// The model compiled into the binary; `None` when its file does not load (the rules then
    /// work alone; [`QuoteModel::from_gz`] on the bytes reports why).
    pub fn shipped() -> Option<&'static QuoteModel> {
        SHIPPED.as_ref()
    }

    pub fn shipped_bytes() -> &'static [u8] {
        SHIPPED_BYTES
    }

    pub fn from_gz(gz: &[u8]) -> Result<Self, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut raw).map_err(|e| format!("quote weights: {e}"))?;
        let mut r = Reader { buf: &raw, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err("quote weights: not a newsloom quote model".into());
        }
        let v = r.u32()?;
        if v != MODEL_VERSION {
            return Err(format!("quote weights: version {v}, this build reads {MODEL_VERSION}"));
        }
        let threshold = r.f32()?;
        let floor = r.f32()?;
        let block = r.f32()?;
        let cue = Weights::read(&mut r)?;
        let span = Weights::read(&mut r)?;
        let speaker = Weights::read(&mut r)?;
        let cue2 = if r.take(1)?[0] == 1 { Some(Weights::read(&mut r)?) } else { None };
        let end = if r.take(1)?[0] == 1 { Some(Weights::read(&mut r)?) } else { None };
        let n = r.u32()? as usize;
        let mut words = cue::CueWords::default();
        for _ in 0..n {
            let len = r.take(1)?[0] as usize;
            let w = std::str::from_utf8(r.take(len)?).map_err(|e| format!("quote weights: {e}"))?;
            words.insert(w.to_string());
        }
        if r.pos != r.buf.len() {
            return Err("quote weights: trailing bytes".into());
        }
        Ok(Self { cue, span, speaker, cue2, end, threshold, floor, block, words })
    }

    pub fn to_gz(&self) -> Result<Vec<u8>, String> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        for x in [self.threshold, self.floor, self.block] {
            raw.extend_from_slice(&x.to_le_bytes());
        }
        for w in [&self.cue, &self.span, &self.speaker] {
            w.write(&mut raw);
        }
        raw.push(self.cue2.is_some() as u8);
        if let Some(w) = &self.cue2 {
            w.write(&mut raw);
        }
        raw.push(self.end.is_some() as u8);
        if let Some(w) = &self.end {
            w.write(&mut raw);
        }
        let words: Vec<&str> = self.words.sorted().into_iter().filter(|w| w.len() < 256).collect();
        raw.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for w in words {
            raw.push(w.len() as u8);
            raw.extend_from_slice(w.as_bytes());
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).map_err(|e| e.to_string())?;
        enc.finish().map_err(|e| e.to_string())
    }

    /// Number of non-zero weights.
    pub fn len(&self) -> usize {
        self.cue.len()
            + self.span.len()
            + self.speaker.len()
            + self.cue2.as_ref().map_or(0, Weights::len)
            + self.end.as_ref().map_or(0, Weights::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The attributions of `d`: the rules' quotation hits as found, and reported speech from
    /// the cues the tagger finds, in reading order. `hits` are the rules' hits.
    pub(crate) fn apply(&self, d: &Doc, hits: Vec<Hit>) -> Vec<Hit> {
        let uses = cue::rule_uses(d, &hits);
        // A reported hit whose content holds a quotation (`complaining of a “total lack of
        // trust”`) has the marks as evidence, as the direct ones do: it stays as found.
        let (mut out, reported): (Vec<Hit>, Vec<Hit>) =
            hits.into_iter().partition(|h| !h.reported || h.kind == QuoteKind::Partial);
        let mut feats = Vec::with_capacity(48);
        let ws = cue::Words::new(d);
        // Every candidate token scored first: contents stop short of the other cues.
        let mut toks: Vec<(usize, usize)> = Vec::new();
        let mut first: Vec<f32> = Vec::new();
        let mut flat: Vec<u32> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        for (si, &sent) in d.sents.iter().enumerate() {
            for i in sent.a..sent.b {
                if !cue::is_candidate(d, &ws, i, &uses, &self.words) {
                    continue;
                }
                cue::features(d, &ws, sent, i, uses[i], &mut feats);
                toks.push((si, i));
                first.push(self.cue.score(&feats));
                if self.cue2.is_some() {
                    flat.extend_from_slice(&feats);
                    ends.push(flat.len());
                }
            }
        }
        let fin = match &self.cue2 {
            Some(w2) => {
                let mut fin = vec![0.0; toks.len()];
                cue::by_sentence(d, &toks, &first, |k, group, g| {
                    cue::stack_features(&ws, g, group, &mut feats);
                    let base = &flat[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
                    fin[k] = w2.score(base) + w2.score(&feats);
                });
                fin
            }
            None => first.clone(),
        };
        let cues: Vec<(usize, usize, f32)> = toks
            .iter()
            .zip(&first)
            .filter(|&(_, &s)| s > self.floor)
            .map(|(&(si, i), &s)| (si, i, s))
            .collect();
        let tokens: Vec<(usize, f32)> = cues.iter().map(|c| (c.1, c.2)).collect();
        let mut found: Vec<(f32, Hit)> = Vec::with_capacity(cues.len());
        let mut cands = Vec::new();
        // The rules' hit of each cue token (the first, as a search in order would give).
        let mut rule_of: std::collections::HashMap<usize, &Hit> = std::collections::HashMap::new();
        for h in &reported {
            if let Some(c) = h.cue {
                rule_of.entry(c.0).or_insert(h);
            }
        }
        for (k, &(si, i)) in toks.iter().enumerate() {
            let score = fin[k];
            if score <= self.threshold {
                continue;
            }
            let rule = rule_of.get(&i).copied();
            if let Some(h) =
                self.attribution(d, si, i, score, &uses, rule, &tokens, &ws, &mut feats, &mut cands)
            {
                found.push((score, h));
            }
        }
        // Best first; a content covering half of a kept one is the same attribution read twice.
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        let fixed = out.len();
        // Kept hits by where their content starts, so each check looks only at the hits whose
        // extent can meet it (all of them was quadratic on a text of thousands of cues).
        let extent = |h: &Hit| {
            let s = h.content.iter().map(|p| p.0).min().unwrap_or(0);
            (s, h.content.iter().map(|p| p.1).max().unwrap_or(s))
        };
        let mut by_start: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
        let mut longest = 0;
        for (k, o) in out.iter().enumerate() {
            let (s, e) = extent(o);
            by_start.entry(s).or_default().push(k);
            longest = longest.max(e - s);
        }
        for (_, h) in found {
            let (s, e) = extent(&h);
            // Nearest starts first, and at most `NEAR_CHECKS` of them: one long content made the
            // window span every kept hit of a text of thousands of cues (quadratic again).
            let near = by_start.range(s.saturating_sub(longest)..e.max(s + 1)).rev().flat_map(|(_, ks)| ks);
            if near.take(NEAR_CHECKS).any(|&k| overlap_half(&out[k].content, &h.content)) {
                continue;
            }
            by_start.entry(s).or_default().push(out.len());
            longest = longest.max(e - s);
            out.push(h);
        }
        // Reading order, so pronouns resolve to the speaker named just before.
        if out.len() > fixed {
            out.sort_by_key(|h| h.cue.map_or(h.content[0].0, |c| c.0));
        }
        out
    }

    /// The end scorer's scores of the right-hand ends of the cue at `i` (none without one).
    pub(crate) fn end_scores(
        &self,
        d: &Doc,
        ws: &cue::Words,
        sent: super::text::Sent,
        i: usize,
        cues: &[(usize, f32)],
        feats: &mut Vec<u32>,
    ) -> Vec<(usize, f32)> {
        match &self.end {
            Some(w) => ends::scores(d, ws, sent, i, cues, w, &mut Vec::new(), feats),
            None => Vec::new(),
        }
    }

    /// The speaker candidates of the cue at `i` spanning `extent` (sentence `si`), written to
    /// `speakers`, and the speaker scorer's score of each.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn speaker_scores(
        &self,
        d: &Doc,
        ws: &cue::Words,
        si: usize,
        i: usize,
        extent: (usize, usize),
        rule_speaker: Option<(usize, usize)>,
        feats: &mut Vec<u32>,
        speakers: &mut Vec<speaker::SpeakerCand>,
    ) -> Vec<f32> {
        speaker::candidates(d, ws, si, extent, rule_speaker, &[], speakers);
        speakers
            .iter()
            .map(|c| {
                speaker::features(d, si, i, extent, rule_speaker.is_some(), c, ws, feats);
                self.speaker.score(feats)
            })
            .collect()
    }

    /// The attribution of the cue at token `i` (sentence `si`): the best scoring content, and
    /// the speaker and medium as the rules read that cue.
    #[allow(clippy::too_many_arguments)]
    fn attribution(
        &self,
        d: &Doc,
        si: usize,
        i: usize,
        score: f32,
        uses: &[RuleUse],
        rule: Option<&Hit>,
        cues: &[(usize, f32)],
        ws: &cue::Words,
        feats: &mut Vec<u32>,
        cands: &mut Vec<Cand>,
    ) -> Option<Hit> {
        let sent = d.sents[si];
        let frame = rule.cloned().or_else(|| hit_for_cue(d, sent, i));
        let rule_speaker = frame.as_ref().and_then(|h| h.speaker);
        content::candidates(d, si, i, rule, cues, self.block, ws, cands);
        let mut content_scores = Vec::with_capacity(cands.len());
        SpanCtx::new(d, ws, si, i, uses[i], rule, rule_speaker).scores(
            cands,
            &self.span,
            &mut content_scores,
        );
        // A right-hand content's end as the end scorer ranks it.
        let end_scores = self.end_scores(d, ws, sent, i, cues, feats);
        ends::adjust(cands, &end_scores, &mut content_scores);
        let extent = cue_extent(d, ws, sent, i);
        let mut speakers = Vec::new();
        let speaker_scores = self.speaker_scores(d, ws, si, i, extent, rule_speaker, feats, &mut speakers);
        // The best content and speaker together: a content never holds its own speaker.
        let mut best: Option<(f32, usize, usize)> = None;
        for (ci, c) in cands.iter().enumerate() {
            for (k, sp) in speakers.iter().enumerate() {
                let s = content_scores[ci] + speaker_scores[k];
                let clash = sp.span.is_some_and(|(a, b)| c.pieces.iter().any(|&(x, y)| a < y && x < b));
                if !clash && best.is_none_or(|b| s > b.0) {
                    best = Some((s, ci, k));
                }
            }
        }
        let (_, ci, k) = best?;
        let pieces = std::mem::take(&mut cands[ci].pieces);
        let speaker = speakers[k].span;
        let quoted = pieces.iter().any(|&(a, e)| ws.quoted_in(a, e));
        Some(Hit {
            content: pieces,
            kind: if quoted { QuoteKind::Partial } else { QuoteKind::Indirect },
            speaker,
            cue: Some((i, extent.1)),
            medium: frame.as_ref().and_then(|h| h.medium),
            para: sent.para,
            last_sent: si,
            confidence: 1.0 / (1.0 + (-score).exp()),
            reported: true,
        })
    }
}

/// Token ranges sharing at least half of the longer side.
/// Kept hits a found one is compared with, nearest start first (an article has a handful near
/// any point; only hostile text has more).
const NEAR_CHECKS: usize = 256;

pub(crate) fn overlap_half(x: &[(usize, usize)], y: &[(usize, usize)]) -> bool {
    let len = |v: &[(usize, usize)]| v.iter().map(|&(a, b)| b.saturating_sub(a)).sum::<usize>();
    let shared: usize =
        x.iter().flat_map(|&(a, b)| y.iter().map(move |&(c, e)| b.min(e).saturating_sub(a.max(c)))).sum();
    let longer = len(x).max(len(y));
    longer > 0 && shared * 2 >= longer
}
