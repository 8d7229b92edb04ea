//! The learnt attribution scorer: trained on PolNeAR (`newsloom train quotes`), it decides
//! which candidate attributions to keep and where their contents begin and end.
//!
//! Candidates are the rules' hits (`find`, `reported`) plus hits for cue words that the
//! training data marks as cues often enough (a learnt vocabulary). Each candidate comes with a
//! few alternative content boundaries ([`candidates::variants`]); an averaged perceptron over
//! boundary, cue, length and rule features scores every alternative, the best one is kept when
//! it scores above the threshold, and kept contents that cover the same text are merged to the
//! better one. The rules stay as features and proposals; the weights are learnt.

pub(crate) mod candidates;
mod features;
pub(crate) mod perceptron;
#[cfg(test)]
mod tests;
mod train;

pub use train::{TrainConfig, cross_validate, publisher_folds, train, train_file};

use super::find::Hit;
use super::text::Doc;
use candidates::{Origin, Variant, candidates, variant_kind, variants};
use features::{Input, features};
use perceptron::{Reader, Weights};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::sync::LazyLock;

const MAGIC: &[u8; 8] = b"NLQUOT01";
/// Bumped whenever candidates, features or the layout change; the file must match.
const MODEL_VERSION: u32 = 1;

/// A variant's score, kind of derivation and content.
type Scored = (f32, Variant, Vec<(usize, usize)>);

/// Learnt weights, the learnt cue vocabulary and the keep threshold.
#[derive(Clone, Default)]
pub struct QuoteModel {
    pub(crate) weights: Weights,
    pub(crate) vocab: HashSet<String>,
    pub(crate) threshold: f32,
    /// Whether to choose among alternative content boundaries ([`TrainConfig::boundaries`]).
    pub(crate) boundaries: bool,
}

impl std::fmt::Debug for QuoteModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QuoteModel({} weights, {} cue words)", self.weights.len(), self.vocab.len())
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
        let boundaries = r.take(1)?[0] != 0;
        let weights = Weights::read(&mut r)?;
        let n = r.u32()? as usize;
        let mut vocab = HashSet::with_capacity(n);
        for _ in 0..n {
            let len = r.take(1)?[0] as usize;
            let w = std::str::from_utf8(r.take(len)?).map_err(|e| format!("quote weights: {e}"))?;
            vocab.insert(w.to_string());
        }
        Ok(Self { weights, vocab, threshold, boundaries })
    }

    pub fn to_gz(&self) -> Result<Vec<u8>, String> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        raw.extend_from_slice(&self.threshold.to_le_bytes());
        raw.push(self.boundaries as u8);
        self.weights.write(&mut raw);
        let mut words: Vec<&String> = self.vocab.iter().filter(|w| w.len() < 256).collect();
        words.sort();
        raw.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for w in words {
            raw.push(w.len() as u8);
            raw.extend_from_slice(w.as_bytes());
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).map_err(|e| e.to_string())?;
        enc.finish().map_err(|e| e.to_string())
    }

    /// Number of feature weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.len() == 0
    }

    /// Scores the candidates built from the rules' `hits` and returns the kept ones, with
    /// their chosen contents, in reading order.
    pub(crate) fn apply(&self, d: &Doc, hits: Vec<Hit>) -> Vec<Hit> {
        let mut feats = Vec::with_capacity(32);
        let mut kept: Vec<(f32, usize, Hit, Origin)> = Vec::new();
        for c in candidates(d, hits, &self.vocab) {
            if c.origin == Origin::Rule && !self.boundaries {
                // Nothing to choose: the rules' hit stays as found.
                kept.push((f32::INFINITY, c.sent, c.hit, c.origin));
                continue;
            }
            let mut best: Option<Scored> = None;
            for (v, content) in variants(d, &c, self.boundaries) {
                features(d, &Input::of(d, &c, v, &content), &mut feats);
                let s = self.weights.score(&feats);
                if best.as_ref().is_none_or(|b| s > b.0) {
                    best = Some((s, v, content));
                }
            }
            let Some((score, v, content)) = best else { continue };
            if c.origin == Origin::Learnt && score <= self.threshold {
                continue;
            }
            let mut h = c.hit;
            h.kind = variant_kind(d, &h, v, &content);
            h.content = content;
            h.confidence = 1.0 / (1.0 + (-score).exp());
            kept.push((score, c.sent, h, c.origin));
        }
        // The rules' hits first (the rules already drop hits that repeat one another), then
        // learnt-cue hits by score, each only when it covers text no kept hit covers.
        kept.sort_by(|a, b| (a.3 == Origin::Learnt).cmp(&(b.3 == Origin::Learnt)).then(b.0.total_cmp(&a.0)));
        let mut out: Vec<(usize, Hit)> = Vec::with_capacity(kept.len());
        for (_, si, h, origin) in kept {
            if origin == Origin::Learnt && out.iter().any(|(_, o)| overlap_half(&o.content, &h.content)) {
                continue;
            }
            out.push((si, h));
        }
        // Reading order, so pronouns resolve to the speaker named just before.
        out.sort_by_key(|(si, h)| (*si, h.cue.map_or(h.content[0].0, |c| c.0)));
        out.into_iter().map(|(_, h)| h).collect()
    }
}

/// Token ranges sharing at least half of the longer side.
pub(crate) fn overlap_half(x: &[(usize, usize)], y: &[(usize, usize)]) -> bool {
    let len = |v: &[(usize, usize)]| v.iter().map(|&(a, b)| b.saturating_sub(a)).sum::<usize>();
    let shared: usize =
        x.iter().flat_map(|&(a, b)| y.iter().map(move |&(c, e)| b.min(e).saturating_sub(a.max(c)))).sum();
    let longer = len(x).max(len(y));
    longer > 0 && shared * 2 >= longer
}
