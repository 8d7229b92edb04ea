//! The tagger's feature templates over [`TokInfo`]s: the straightforward `static_features` +
//! `dynamic_features` that training reads, and the parts the fast decoder sums separately
//! (word, neighbour, shape-context and lexical-context features; see `infer.rs`).

use super::clusters;
use super::features::{F_CAPS_SENT, F_INIT_CAP, F_SENT_START, HashMap64, K, TokInfo, fmix, key, mix};

macro_rules! push {
    ($out:expr, $t:expr, $a:expr, $b:expr) => {
        if let (Some(a), Some(b)) = ($a, $b) {
            $out.push(key($t, a, b));
        }
    };
}

/// A value that is always known, for [`push!`].
#[inline]
fn k(x: u64) -> Option<u64> {
    Some(x)
}

/// The neighbour of a token past the end of its sentence.
pub const NONE: TokInfo = TokInfo {
    lower: 1,
    word: 1,
    upper: 1,
    shape: 1,
    sshape: 1,
    prefix: [1; 4],
    suffix: [1; 4],
    len: 0,
    gaz: 0,
    geo: 0,
    gwords: 0,
    doc_case: 0,
    doc_ctx: 0,
    flags: 0,
    cluster: 0,
    glove: 0,
    hyph: 0,
    affix5: [0; 2],
};
/// The neighbour of a token before the start of its sentence.
pub const BOS: TokInfo = TokInfo { lower: 2, word: 2, sshape: 2, shape: 2, ..NONE };

/// Number of tag-independent features per token (upper bound).
pub const MAX_STATIC: usize = 80;

/// Token `i + k` of sentence `s..e`, or the padding before or after the sentence.
#[inline]
fn neighbour(infos: &[TokInfo], s: usize, e: usize, i: usize, k: isize) -> &TokInfo {
    let j = i as isize + k;
    if j < s as isize {
        &BOS
    } else if j >= e as isize {
        &NONE
    } else {
        &infos[j as usize]
    }
}

/// Writes the tag-independent features of token `i` of sentence `s..e` into `out`.
pub fn static_features(infos: &[TokInfo], s: usize, e: usize, i: usize, out: &mut Vec<u32>) {
    out.clear();
    let at = |k: isize| neighbour(infos, s, e, i, k);
    let w = at(0);
    let (p1, p2, n1, n2) = (at(-1), at(-2), at(1), at(2));
    let caps = (w.flags & F_CAPS_SENT != 0) as u64;
    out.push(key(1, 0, 0));
    push!(out, 2, w.fl(), k(0));
    push!(out, 3, w.fw(), k(0));
    out.push(key(4, w.shape, 0));
    out.push(key(5, w.sshape, 0));
    for k in 0..4 {
        if w.len as usize > k + 1 {
            out.push(key(6 + k as u64, w.prefix[k], 0));
            out.push(key(10 + k as u64, w.suffix[k], 0));
        }
    }
    push!(out, 14, p1.fl(), k(0));
    push!(out, 15, n1.fl(), k(0));
    push!(out, 16, p2.fl(), k(0));
    push!(out, 17, n2.fl(), k(0));
    out.push(key(82, clusters::prefix(p2.glove, 8), 0));
    out.push(key(83, clusters::prefix(n2.glove, 8), 0));
    out.push(key(18, p1.sshape, w.sshape));
    out.push(key(19, w.sshape, n1.sshape));
    push!(out, 20, p1.fl(), w.fl());
    push!(out, 21, w.fl(), n1.fl());
    out.push(key(22, mix(p1.sshape, w.sshape), n1.sshape));
    out.push(key(23, w.gaz as u64, 0));
    out.push(key(24, p1.gaz as u64, 0));
    out.push(key(25, n1.gaz as u64, 0));
    out.push(key(26, w.gaz as u64, w.sshape));
    out.push(key(27, (w.flags & F_SENT_START) as u64, w.sshape));
    push!(out, 28, k(caps), w.fl());
    out.push(key(29, w.doc_case as u64, mix(w.sshape, caps)));
    out.push(key(30, w.len.min(12) as u64, caps));
    push!(out, 31, p1.fl(), k(w.sshape));
    push!(out, 32, k(w.sshape), n1.fl());
    push!(out, 33, p1.fw(), k(0));
    push!(out, 34, n1.fw(), k(0));
    out.push(key(35, mix(p1.gaz as u64, w.gaz as u64), n1.gaz as u64));
    push!(out, 36, k(w.doc_case as u64), w.fl());
    out.push(key(37, p2.sshape, mix(p1.sshape, w.sshape)));
    out.push(key(38, n1.sshape, mix(n2.sshape, w.sshape)));
    push!(out, 39, w.fu(), k(caps));
    out.push(key(46, w.gwords as u64, 0));
    out.push(key(47, w.gwords as u64, w.sshape));
    out.push(key(48, p1.gwords as u64, w.gwords as u64));
    out.push(key(49, w.gwords as u64, n1.gwords as u64));
    push!(out, 50, p1.fl().zip(w.fl()).map(|(x, y)| mix(x, y)), n1.fl());
    out.push(key(51, (e - s).min(6) as u64, mix((i - s).min(3) as u64, w.sshape)));
    push!(out, 52, k(p1.sshape), w.fl().zip(k(n1.sshape)).map(|(x, y)| mix(x, y)));
    cluster_features(w, out);
    out.push(key(58, clusters::prefix(p1.cluster, 6), 0));
    out.push(key(59, clusters::prefix(n1.cluster, 6), 0));
    out.push(key(60, clusters::prefix(p1.cluster, 12), 0));
    out.push(key(61, clusters::prefix(n1.cluster, 12), 0));
    out.push(key(79, clusters::prefix(p1.glove, 8), 0));
    out.push(key(80, clusters::prefix(n1.glove, 8), 0));
    geo_features([p1.geo, w.geo, n1.geo].map(u64::from), w.doc_ctx as u64, w.sshape, caps, out);
    word_extra(w, caps, out);
    debug_assert!(out.len() <= MAX_STATIC);
}

/// Affixes that carry over to names never seen in training (issue 14, third round): the
/// part after a hyphen ("Tripoli-based", "U.N.-sponsored": MISC) and five-letter affixes
/// ("-ville", "-berg", "Inter-"). Word-level, so the tagger sums them once per distinct word.
#[inline]
fn word_extra(w: &TokInfo, caps: u64, out: &mut Vec<u32>) {
    if w.hyph != 0 {
        out.push(key(70, w.hyph, caps));
    }
    if w.affix5[0] != 0 {
        out.push(key(73, w.affix5[0], 0));
        out.push(key(74, w.affix5[1], 0));
    }
}

/// Cluster path prefixes of the word (coarse to fine) and its case profile in unlabelled text.
#[inline]
fn cluster_features(w: &TokInfo, out: &mut Vec<u32>) {
    let c = w.cluster;
    out.push(key(53, clusters::prefix(c, 4), 0));
    out.push(key(54, clusters::prefix(c, 8), 0));
    out.push(key(55, clusters::prefix(c, 12), 0));
    out.push(key(56, clusters::prefix(c, 16), 0));
    out.push(key(57, clusters::case(c), w.sshape));
    let g = w.glove;
    out.push(key(75, clusters::prefix(g, 4), 0));
    out.push(key(76, clusters::prefix(g, 8), 0));
    out.push(key(77, clusters::prefix(g, 12), 0));
    out.push(key(78, clusters::prefix(g, 16), 0));
}

// The tagger at run time scores [`static_features`] in three parts that sum to the same
// multiset of keys (a test checks it), so that the parts which depend on one word only are
// looked up once per distinct word of a document instead of once per token:
// - [`word_features`]: the token's own word (and its sentence's caps flag);
// - [`neighbour_features`]: a neighbour's word at offset -1, +1, -2 or +2;
// - [`context_features`]: everything else, plus the gazetteer templates 23–25, whose few
//   values are scored from dense tables ([`GAZ_TEMPLATES`]).
// Training keeps calling `static_features`, whose key order its float sums depend on.

/// Templates scoring the gazetteer value of the token, its left and its right neighbour.
pub const GAZ_TEMPLATES: [u64; 3] = [23, 24, 25];

/// The features of `static_features` that depend on token `w` alone and the caps flag.
pub fn word_features(w: &TokInfo, caps: u64, out: &mut Vec<u32>) {
    out.clear();
    out.push(key(1, 0, 0));
    push!(out, 2, w.fl(), k(0));
    push!(out, 3, w.fw(), k(0));
    out.push(key(4, w.shape, 0));
    out.push(key(5, w.sshape, 0));
    for k in 0..4 {
        if w.len as usize > k + 1 {
            out.push(key(6 + k as u64, w.prefix[k], 0));
            out.push(key(10 + k as u64, w.suffix[k], 0));
        }
    }
    push!(out, 28, k(caps), w.fl());
    out.push(key(30, w.len.min(12) as u64, caps));
    push!(out, 39, w.fu(), k(caps));
    out.push(key(46, w.gwords as u64, 0));
    out.push(key(47, w.gwords as u64, w.sshape));
    cluster_features(w, out);
    word_extra(w, caps, out);
}

/// Offsets of the neighbours [`neighbour_features`] scores: -1, +1, -2, +2.
pub const NEIGHBOURS: [isize; 4] = [-1, 1, -2, 2];

/// The features of `static_features` that depend on one neighbour alone, `NEIGHBOURS[which]`.
pub fn neighbour_features(t: &TokInfo, which: usize, out: &mut Vec<u32>) {
    out.clear();
    match which {
        0 => {
            push!(out, 14, t.fl(), k(0));
            push!(out, 33, t.fw(), k(0));
            out.push(key(58, clusters::prefix(t.cluster, 6), 0));
            out.push(key(60, clusters::prefix(t.cluster, 12), 0));
            out.push(key(79, clusters::prefix(t.glove, 8), 0));
        }
        1 => {
            push!(out, 15, t.fl(), k(0));
            push!(out, 34, t.fw(), k(0));
            out.push(key(59, clusters::prefix(t.cluster, 6), 0));
            out.push(key(61, clusters::prefix(t.cluster, 12), 0));
            out.push(key(80, clusters::prefix(t.glove, 8), 0));
        }
        2 => {
            push!(out, 16, t.fl(), k(0));
            out.push(key(82, clusters::prefix(t.glove, 8), 0));
        }
        _ => {
            push!(out, 17, t.fl(), k(0));
            out.push(key(83, clusters::prefix(t.glove, 8), 0));
        }
    }
}

/// GeoNames place-name features of the token and its neighbours ([`TokInfo::geo`]), and the
/// person cues of the word elsewhere in the document ([`TokInfo::doc_ctx`]).
#[inline]
fn geo_features([p1_geo, w_geo, n1_geo]: [u64; 3], doc_ctx: u64, sshape: u64, caps: u64, out: &mut Vec<u32>) {
    out.push(key(62, w_geo, caps));
    out.push(key(63, mix(p1_geo, w_geo), n1_geo));
    out.push(key(65, doc_ctx, caps));
    out.push(key(66, doc_ctx, sshape));
}

/// The remaining features of `static_features` (all but the gazetteer templates 23–25): the
/// shape context of [`ShapeSig`] and the lexical ones.
#[cfg(test)]
pub fn context_features(infos: &[TokInfo], s: usize, e: usize, i: usize, out: &mut Vec<u32>) {
    let mut lexical = Vec::new();
    lexical_context_features(infos, s, e, i, &mut lexical);
    shape_context_features(&ShapeSig::new(infos, s, e, i), out);
    out.extend_from_slice(&lexical);
}

/// Everything the shape-context features of a token read: the short shapes of the token and
/// its two neighbours and a few small values. Tokens with equal signatures have equal features,
/// so a decoder sums their rows once per signature (news repeats a few thousand of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeSig {
    /// Short shapes of the tokens at −1, 0, +1.
    shapes: [u64; 3],
    /// Gazetteer values at −1, 0, +1; sentence-start flag, document case, caps line; word
    /// classes at −1, 0, +1; place values at −1, 0, +1; document person cues.
    small: [u8; 16],
}

impl ShapeSig {
    #[inline]
    pub fn new(infos: &[TokInfo], s: usize, e: usize, i: usize) -> Self {
        let at = |k: isize| neighbour(infos, s, e, i, k);
        let (p1, w, n1) = (at(-1), at(0), at(1));
        let caps = (w.flags & F_CAPS_SENT != 0) as u8;
        ShapeSig {
            shapes: [p1.sshape, w.sshape, n1.sshape],
            small: [
                p1.gaz,
                w.gaz,
                n1.gaz,
                w.flags & F_SENT_START,
                w.doc_case,
                caps,
                p1.gwords,
                w.gwords,
                n1.gwords,
                p1.geo,
                w.geo,
                n1.geo,
                w.doc_ctx,
                0,
                0,
                0,
            ],
        }
    }

    /// A well-mixed hash of the whole signature.
    #[inline]
    pub fn hash(&self) -> u64 {
        let small = u128::from_le_bytes(self.small);
        let mut h = mix(mix(K, small as u64), (small >> 64) as u64);
        for &x in &self.shapes {
            h = mix(h, x);
        }
        fmix(h)
    }

    /// The gazetteer values of the tokens at 0, −1 and +1 (the order of [`GAZ_TEMPLATES`]).
    #[inline]
    pub fn gaz(&self) -> [u8; 3] {
        [self.small[1], self.small[0], self.small[2]]
    }
}

/// The context features that read no word and no token beyond the neighbours, only the
/// signature.
pub fn shape_context_features(sig: &ShapeSig, out: &mut Vec<u32>) {
    out.clear();
    let [p1, w, n1] = sig.shapes;
    let [
        p1_gaz,
        w_gaz,
        n1_gaz,
        start,
        doc_case,
        caps,
        p1_gw,
        w_gw,
        n1_gw,
        p1_geo,
        w_geo,
        n1_geo,
        doc_ctx,
        ..,
    ] = sig.small.map(u64::from);
    out.push(key(18, p1, w));
    out.push(key(19, w, n1));
    out.push(key(22, mix(p1, w), n1));
    out.push(key(26, w_gaz, w));
    out.push(key(27, start, w));
    out.push(key(29, doc_case, mix(w, caps)));
    out.push(key(35, mix(p1_gaz, w_gaz), n1_gaz));
    out.push(key(48, p1_gw, w_gw));
    out.push(key(49, w_gw, n1_gw));
    geo_features([p1_geo, w_geo, n1_geo], doc_ctx, w, caps, out);
}

/// The other context features: those that read a word form (left out for unknown words), the
/// tokens two away, or the position in the sentence.
pub fn lexical_context_features(infos: &[TokInfo], s: usize, e: usize, i: usize, out: &mut Vec<u32>) {
    out.clear();
    let at = |k: isize| neighbour(infos, s, e, i, k);
    let w = at(0);
    let (p1, p2, n1, n2) = (at(-1), at(-2), at(1), at(2));
    out.push(key(37, p2.sshape, mix(p1.sshape, w.sshape)));
    out.push(key(38, n1.sshape, mix(n2.sshape, w.sshape)));
    out.push(key(51, (e - s).min(6) as u64, mix((i - s).min(3) as u64, w.sshape)));
    push!(out, 20, p1.fl(), w.fl());
    push!(out, 21, w.fl(), n1.fl());
    push!(out, 31, p1.fl(), k(w.sshape));
    push!(out, 32, k(w.sshape), n1.fl());
    push!(out, 36, k(w.doc_case as u64), w.fl());
    push!(out, 50, p1.fl().zip(w.fl()).map(|(x, y)| mix(x, y)), n1.fl());
    push!(out, 52, k(p1.sshape), w.fl().zip(k(n1.sshape)).map(|(x, y)| mix(x, y)));
}

/// Labels the tagger gave earlier occurrences of the same capitalised word in this document
/// (Ratinov & Roth's "prediction history"): later "Kelin" profits from "Andrei Kelin".
#[derive(Default)]
pub struct History(HashMap64<[u16; 5]>);

impl History {
    /// 0 = no history, else 1 + 2 * majority label (4 = O) + (all agree ? 1 : 0).
    #[inline]
    pub fn value(&self, w: &TokInfo) -> u8 {
        if w.flags & F_INIT_CAP == 0 {
            return 0;
        }
        let Some(c) = self.0.get(&w.lower) else { return 0 };
        let (mut best, mut total) = (0, 0);
        for l in 0..5 {
            total += c[l];
            if c[l] > c[best] {
                best = l;
            }
        }
        1 + 2 * best as u8 + (c[best] == total) as u8
    }

    #[inline]
    pub fn record(&mut self, w: &TokInfo, tag: u8) {
        if w.flags & F_INIT_CAP != 0 {
            let l = if tag == 0 { 4 } else { ((tag - 1) / 4) as usize };
            self.0.entry(w.lower).or_insert([0; 5])[l] += 1;
        }
    }
}

/// The tag-dependent features of token `w`, given the two previous predicted tags and the
/// document's prediction history for the word.
#[inline]
pub fn dynamic_features(w: &TokInfo, prev: u8, prev2: u8, hist: u8, out: &mut [u32; 6]) {
    out[0] = key(40, prev as u64, 0);
    out[1] = key(41, prev as u64, prev2 as u64);
    // 0: no feature (the trainer skips it) for an unknown word, which only training has.
    out[2] = w.fl().map_or(0, |l| key(42, prev as u64, l));
    out[3] = key(43, prev as u64, w.sshape);
    out[4] = key(44, hist as u64, 0);
    out[5] = key(45, hist as u64, mix(w.sshape, prev as u64));
}
