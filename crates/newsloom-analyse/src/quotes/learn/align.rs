//! Gold attributions (character offsets) mapped onto the document's tokens, for training:
//! the cue's anchor token, the source's token range and the content's characters.

use super::super::find::lower;
use super::super::gold::{GoldArticle, GoldSpans};
use super::super::lexicon as lx;
use super::super::text::{CharMap, Doc};

/// One gold attribution in token indices (`[s, e)` ranges).
#[derive(Debug, Clone)]
pub(crate) struct GoldTok {
    /// The cue word that carries the attribution ([`anchor`]).
    pub anchor: Option<usize>,
    pub source: Option<(usize, usize)>,
    /// The content as character ranges, as the scorer reads it.
    pub chars: Vec<(usize, usize)>,
}

/// Token char offsets, for mapping character spans to tokens.
pub(crate) struct TokChars {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl TokChars {
    pub fn new(d: &Doc, cm: &CharMap) -> Self {
        Self {
            starts: d.toks.iter().map(|t| cm.char(t.s)).collect(),
            ends: d.toks.iter().map(|t| cm.char(t.e)).collect(),
        }
    }

    /// Tokens sharing a character with `[s, e)`.
    pub fn range(&self, (s, e): (usize, usize)) -> Option<(usize, usize)> {
        let a = self.ends.partition_point(|&x| x <= s);
        let b = self.starts.partition_point(|&x| x < e);
        (a < b).then_some((a, b))
    }

    /// Token ranges for a role's spans, in order.
    pub fn ranges(&self, g: &GoldSpans) -> Vec<(usize, usize)> {
        let mut v: Vec<(usize, usize)> = g.spans.iter().filter_map(|&sp| self.range(sp)).collect();
        v.sort_unstable();
        v
    }

    pub fn char_span(&self, (s, e): (usize, usize)) -> (usize, usize) {
        (self.starts[s], self.ends[e - 1])
    }
}

/// The token of a cue span that carries it: past auxiliaries, adverbs, determiners, `to`
/// and time words (`has also said` → `said`, `is expected` → `expected`, `a call for` →
/// `call`); the first token when all of them are such words (`in`, `:`).
pub(crate) fn anchor(d: &Doc, (s, e): (usize, usize)) -> usize {
    (s..e)
        .find(|&k| {
            let w = lower(d, k);
            d.toks[k].word
                && !lx::is_aux_adverb(&w)
                && !lx::is_determiner(&w)
                && !lx::is_time_word(&w)
                && !matches!(&*w, "to" | "on" | "’s" | "'s" | "it" | "there")
        })
        .unwrap_or(s)
}

/// The article's gold attributions in tokens (those whose content maps onto tokens).
pub(crate) fn align(d: &Doc, tc: &TokChars, rec: &GoldArticle) -> Vec<GoldTok> {
    rec.attributions
        .iter()
        .filter_map(|a| {
            if tc.ranges(&a.content).is_empty() {
                return None;
            }
            let cue = a.cue.as_ref().map(|c| tc.ranges(c)).and_then(|r| Some((r.first()?.0, r.last()?.1)));
            let source =
                a.source.as_ref().map(|c| tc.ranges(c)).and_then(|r| Some((r.first()?.0, r.last()?.1)));
            Some(GoldTok { anchor: cue.map(|c| anchor(d, c)), source, chars: a.content.spans.clone() })
        })
        .collect()
}

/// Shared characters over the longer side, the scorer's overlap (both sides as character
/// ranges).
pub(crate) fn overlap(x: &[(usize, usize)], y: &[(usize, usize)]) -> f32 {
    let len = |v: &[(usize, usize)]| v.iter().map(|&(a, b)| b.saturating_sub(a)).sum::<usize>();
    let shared: usize =
        x.iter().flat_map(|&(a, b)| y.iter().map(move |&(c, e)| b.min(e).saturating_sub(a.max(c)))).sum();
    let longer = len(x).max(len(y));
    if longer == 0 { 0.0 } else { shared as f32 / longer as f32 }
}
