//! Where a right-hand content ends: a scorer of its own over the clause breaks and
//! prepositions after a cue (`discussed [my sentence] on Fox News`, `learned [how to see in
//! the dark], and …`), trained to rank the gold end first among them (a latent perceptron, as
//! the span scorer). A right-hand candidate whose end it ranks below its best loses the gap
//! ([`adjust`]): most wrong contents on unseen publishers run on past a shorter gold one, and
//! this scorer, reading the end with what the content opens with, the cue, how far it is and
//! the next likely cue, puts the gold end first more often than the span scorer does.

use super::super::find::trim_end;
use super::super::text::{Doc, Sent};
use super::content::{Cand, Side, cue_extent, is_break, soft_break};
use super::cue::{Words, cluster_prefix, stem};
use super::perceptron::{Key, Weights, hash_str};

/// Template ids of the end scorer.
const T: u8 = 160;
/// The weight of the end scorer's gap against the span scorer's score (chosen by publisher
/// folds of the training file: 0.5–2 all gain there, 1 most on the dev folds).
const END_WEIGHT: f32 = 1.0;
/// Ends read after a cue (the candidates read at most `MAX_STARTS × MAX_ENDS` of them).
pub(crate) const MAX_POS: usize = 16;

fn bucket(n: usize) -> u32 {
    match n {
        0..=3 => n as u32,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        _ => 8,
    }
}

/// The possible ends of a right-hand content of the cue at `anchor`: the clause breaks and
/// prepositions after it, and the sentence end (`se`), at most [`MAX_POS`].
pub(crate) fn positions(d: &Doc, ws: &Words, sent: Sent, anchor: usize, out: &mut Vec<usize>) {
    out.clear();
    let (_, ce) = cue_extent(d, ws, sent, anchor);
    let se = trim_end(d, sent.a, sent.b);
    let hi = se.min(ce + 200);
    for e in ce + 1..hi {
        if out.len() + 1 >= MAX_POS {
            break;
        }
        if is_break(d, ws, e) || (e > ce + 1 && soft_break(d, ws, e)) {
            out.push(e);
        }
    }
    if ce < hi {
        out.push(hi);
    }
}

/// What the end features of one cue read once: the cue's stem, where the cue and the sentence
/// end, and the word a right-hand content opens with.
pub(crate) struct EndCtx {
    sent: Sent,
    anchor: usize,
    ce: usize,
    se: usize,
    cue: u64,
    open: u64,
}

impl EndCtx {
    pub fn new(d: &Doc, ws: &Words, sent: Sent, anchor: usize) -> Self {
        let (_, ce) = cue_extent(d, ws, sent, anchor);
        let se = trim_end(d, sent.a, sent.b);
        // What the content opens with (`that`, `to`, a quotation, a noun phrase…): a `that`
        // clause runs on, an object stops at its prepositions.
        let first = (ce..se.min(ce + 200)).find(|&t| d.toks[t].word || d.in_quote[t].is_some()).unwrap_or(ce);
        EndCtx {
            sent,
            anchor,
            ce,
            se,
            cue: hash_str(stem(ws.lower(anchor))),
            open: ws.norm_h(Some(first), sent),
        }
    }

    /// Features of a right-hand content ending before token `b`, the `nth` end after the cue.
    /// `cues` are the likely cue tokens with their scores (sorted by token).
    pub fn features(&self, ws: &Words, b: usize, nth: usize, cues: &[(usize, f32)], out: &mut Vec<u32>) {
        out.clear();
        let (sent, ce, se, cue, open) = (self.sent, self.ce, self.se, self.cue, self.open);
        let cls = |t: usize| if t >= sent.a && t < sent.b { cluster_prefix(ws.cl(t), 5) } else { 1 };
        let (last, after, next) =
            (ws.norm_h(b.checked_sub(1), sent), ws.norm_h(Some(b), sent), ws.norm_h(Some(b + 1), sent));
        let (c_last, c_after, c_next) = (cls(b.wrapping_sub(1)), cls(b), cls(b + 1));
        let dist = bucket(ws.words_in(ce.min(b), b));
        let tail = bucket(ws.words_in(b.min(se), se));
        let to_end = (b >= se) as u32;
        // The next likely cue after the end, before the sentence ends: how far, and how strong.
        let k0 = cues.partition_point(|c| c.0 < b);
        let next_cue = cues[k0..].iter().find(|c| c.0 < se && c.0 != self.anchor).map_or(0, |&(t, s)| {
            let band = if s > 2.0 { 2 } else { 1 };
            band * 10 + bucket(ws.words_in(b, t)).min(6)
        });
        let k = |t: u8| Key::new(T + t);
        out.push(k(0).n(to_end).get());
        out.push(k(1).h(after).get());
        out.push(k(2).h(last).get());
        out.push(k(3).h(after).h(next).get());
        out.push(k(4).h(last).h(after).get());
        out.push(k(5).n(c_last).n(c_after).n(c_next).get());
        out.push(k(6).h(after).n(c_next).get());
        out.push(k(7).n(dist).n(to_end).get());
        out.push(k(8).n(tail).h(after).get());
        out.push(k(9).h(cue).h(after).get());
        out.push(k(10).h(cue).n(dist).get());
        out.push(k(11).h(cue).n(to_end).get());
        out.push(k(12).n(next_cue).n(to_end).get());
        out.push(k(13).n(next_cue).h(after).get());
        out.push(k(14).n(nth.min(8) as u32).n(to_end).get());
        out.push(k(15).n(dist).n(tail).get());
        out.push(k(16).h(after).n(dist.min(5)).get());
        out.push(k(17).h(open).h(after).get());
        out.push(k(18).h(open).n(dist.min(6)).n(to_end).get());
        out.push(k(19).h(cue).h(after).n(to_end).get());
        out.push(k(20).h(after).h(next).n(cls(b + 2)).get());
        out.push(k(21).n(c_last).h(after).n(dist.min(4)).get());
        out.push(k(22).h(open).n(c_after).n(c_next).get());
    }
}

/// The end scorer's score of each position of the cue at `anchor` (as [`positions`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn scores(
    d: &Doc,
    ws: &Words,
    sent: Sent,
    anchor: usize,
    cues: &[(usize, f32)],
    w: &Weights,
    pos: &mut Vec<usize>,
    feats: &mut Vec<u32>,
) -> Vec<(usize, f32)> {
    positions(d, ws, sent, anchor, pos);
    let ctx = EndCtx::new(d, ws, sent, anchor);
    pos.iter()
        .enumerate()
        .map(|(n, &b)| {
            ctx.features(ws, b, n, cues, feats);
            (b, w.score(feats))
        })
        .collect()
}

/// Adds the end scorer's say to the content scores of `cands`: a right-hand candidate whose end
/// the end scorer ranks below its best loses the gap (times [`END_WEIGHT`]); other candidates
/// are left as scored. `ends` are [`scores`] of the cue.
pub(crate) fn adjust(cands: &[Cand], ends: &[(usize, f32)], scores: &mut [f32]) {
    let best = ends.iter().fold(f32::NEG_INFINITY, |m, e| m.max(e.1));
    for (c, s) in cands.iter().zip(scores.iter_mut()) {
        if c.side == Side::Right {
            let b = c.pieces[c.pieces.len() - 1].1;
            if let Some(e) = ends.iter().find(|e| e.0 == b) {
                *s += END_WEIGHT * (e.1 - best);
            }
        }
    }
}
