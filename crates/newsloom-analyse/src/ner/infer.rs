//! Decoding at run time: the same scores as the training loop's `static_features` +
//! `dynamic_features`, computed with far fewer table lookups.
//!
//! * Features of one word alone (its forms, affixes, shapes: 18 of the 46 static ones) and of
//!   a neighbour alone (6) are summed once per distinct word of the document and reused for
//!   every occurrence.
//! * Features with a handful of values (gazetteer flags, previous tags, history) come from
//!   the dense tables of [`Weights`].
//! * Context features that read only short shapes and small per-token values of the token and
//!   its neighbours (13 templates plus the three gazetteer ones) are summed once per distinct
//!   [`ShapeSig`], in a small direct-mapped per-thread cache.
//! * The remaining context features of a whole sentence are hashed and prefetched before any
//!   is summed, so their cache misses overlap.
//!
//! Scores are integer sums, so the order of the parts does not matter: the tags and margins
//! are exactly those of the straightforward decoder (a test compares them).

use super::features::{
    BOS, F_CAPS_SENT, GAZ_TEMPLATES, HashMap64, History, NEIGHBOURS, NONE, ShapeSig, TokInfo, key,
    lexical_context_features, mix, neighbour_features, shape_context_features, word_features,
};
use super::model::{BOS_TAG, DENSE_VALUES, NT, Weights, best_allowed};

#[inline]
fn add_row(acc: &mut [i32; NT], row: &[i32; NT]) {
    for (a, r) in acc.iter_mut().zip(row) {
        *a += r;
    }
}

/// The word-level rows of distinct words, kept per thread across documents: the common
/// words of news ("the", "said", ",", "Russia") are scored once per thread, not per article.
/// Bounded: emptied when it holds [`TYPE_CACHE_WORDS`] words at the start of a document.
#[derive(Default)]
struct TypeCache {
    /// [`Weights::id`] of the weights the rows were summed from.
    weights: u64,
    index: HashMap64<u32>,
    /// Per distinct word: its own features' row, without and with the caps-line flag.
    own: Vec<[Option<[i32; NT]>; 2]>,
    /// Per distinct word: its row as the neighbour at each of [`NEIGHBOURS`].
    nb: Vec<[[i32; NT]; 4]>,
    /// Direct-mapped by signature hash: the last signature seen in each slot with the row of
    /// its shape-context and gazetteer features. Small enough to stay in the core's cache;
    /// its slots are prefetched a sentence ahead like the weight rows.
    shape: Vec<Option<(ShapeSig, [i32; NT])>>,
}

/// About 1.7 MB of rows per thread.
const TYPE_CACHE_WORDS: usize = 16384;
/// Slots of the shape cache (a power of two; about 0.9 MB per thread).
const SHAPE_SLOTS: usize = 8192;

thread_local! {
    static TYPE_CACHE: std::cell::RefCell<TypeCache> = std::cell::RefCell::default();
}

/// Per-document scoring state: the word-level score rows of each distinct word.
pub struct DocScorer<'a> {
    w: &'a Weights,
    /// Distinct word (by `TokInfo::word`) of each token: its index in the cache.
    tok_type: Vec<u32>,
    /// Taken from the thread's cache for the document's lifetime, and given back on drop.
    cache: TypeCache,
    /// The rows of the sentence-boundary pseudo-words at each of [`NEIGHBOURS`].
    edge: [[i32; NT]; 4],
    feats: Vec<u32>,
    keys: Vec<u32>,
}

impl Drop for DocScorer<'_> {
    fn drop(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        // `try_with`: during thread teardown the cache is simply dropped.
        let _ = TYPE_CACHE.try_with(|c| *c.borrow_mut() = cache);
    }
}

impl<'a> DocScorer<'a> {
    pub fn new(w: &'a Weights, infos: &[TokInfo]) -> Self {
        let mut feats = Vec::with_capacity(32);
        let mut cache = TYPE_CACHE.try_with(|c| std::mem::take(&mut *c.borrow_mut())).unwrap_or_default();
        if cache.weights != w.id || cache.shape.len() != SHAPE_SLOTS {
            cache.shape.clear();
            cache.shape.resize(SHAPE_SLOTS, None);
        }
        if cache.weights != w.id || cache.nb.len() >= TYPE_CACHE_WORDS {
            // Emptied, not replaced: the vectors keep their capacity, so a full cache is not
            // regrown (and its pages faulted in again) one doubling at a time.
            cache.weights = w.id;
            cache.index.clear();
            cache.own.clear();
            cache.nb.clear();
        }
        let mut tok_type = Vec::with_capacity(infos.len());
        for t in infos {
            let n = cache.nb.len() as u32;
            let id = *cache.index.entry(t.word).or_insert(n);
            if id == n {
                cache.nb.push(std::array::from_fn(|which| {
                    neighbour_features(t, which, &mut feats);
                    w.sum(&feats)
                }));
                cache.own.push([None; 2]);
            }
            tok_type.push(id);
        }
        let edge = std::array::from_fn(|which| {
            neighbour_features(if NEIGHBOURS[which] < 0 { &BOS } else { &NONE }, which, &mut feats);
            w.sum(&feats)
        });
        DocScorer { w, tok_type, cache, edge, feats, keys: Vec::new() }
    }

    fn own_row(&mut self, t: &TokInfo, i: usize, caps: u64) -> [i32; NT] {
        let ty = self.tok_type[i] as usize;
        if let Some(r) = self.cache.own[ty][caps as usize] {
            return r;
        }
        word_features(t, caps, &mut self.feats);
        let r = self.w.sum(&self.feats);
        self.cache.own[ty][caps as usize] = Some(r);
        r
    }

    fn gaz_row(&self, which: usize, gaz: u8) -> [i32; NT] {
        match self.w.dense.gaz[which].get(gaz as usize) {
            Some(r) => *r,
            None => self.w.sum(&[key(GAZ_TEMPLATES[which], gaz as u64, 0)]),
        }
    }

    /// The summed row of the shape-context and gazetteer features of signature `sig` (hash
    /// `h`), from the cache when its slot holds it.
    fn shape_row(&mut self, sig: &ShapeSig, h: u64) -> [i32; NT] {
        let slot = h as usize & (SHAPE_SLOTS - 1);
        if let Some((seen, row)) = &self.cache.shape[slot]
            && seen == sig
        {
            return *row;
        }
        shape_context_features(sig, &mut self.feats);
        let mut row = self.w.sum(&self.feats);
        for (which, g) in sig.gaz().into_iter().enumerate() {
            add_row(&mut row, &self.gaz_row(which, g));
        }
        self.cache.shape[slot] = Some((*sig, row));
        row
    }

    /// Greedy left-to-right decoding of sentence `s..e`, writing tags and margins (best minus
    /// second-best score, in perceptron units) for those tokens.
    pub fn decode(
        &mut self,
        infos: &[TokInfo],
        (s, e): (usize, usize),
        hist: &mut History,
        tags: &mut [u8],
        margins: &mut [f32],
    ) {
        // Lexical context features of every token first, prefetching their rows.
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        let mut bounds = Vec::with_capacity(e - s + 1);
        bounds.push(0);
        let mut sigs = Vec::with_capacity(e - s);
        for i in s..e {
            let sig = ShapeSig::new(infos, s, e, i);
            let h = sig.hash();
            crate::prefetch(self.cache.shape.as_ptr().wrapping_add(h as usize & (SHAPE_SLOTS - 1)));
            sigs.push((sig, h));
            lexical_context_features(infos, s, e, i, &mut self.feats);
            for &f in &self.feats {
                self.w.prefetch(f);
            }
            keys.extend_from_slice(&self.feats);
            bounds.push(keys.len());
        }
        let mut statics: Vec<[i32; NT]> = Vec::with_capacity(e - s);
        for i in s..e {
            let t = &infos[i];
            let caps = (t.flags & F_CAPS_SENT != 0) as u64;
            let mut acc = self.own_row(t, i, caps);
            for (which, &off) in NEIGHBOURS.iter().enumerate() {
                let j = i as isize + off;
                if j >= s as isize && j < e as isize {
                    add_row(&mut acc, &self.cache.nb[self.tok_type[j as usize] as usize][which]);
                } else {
                    add_row(&mut acc, &self.edge[which]);
                }
            }
            let (sig, h) = &sigs[i - s];
            add_row(&mut acc, &self.shape_row(sig, *h));
            self.w.add(&keys[bounds[i - s]..bounds[i - s + 1]], &mut acc);
            statics.push(acc);
        }
        self.keys = keys;

        let (mut prev, mut prev2) = (BOS_TAG, BOS_TAG);
        for i in s..e {
            let t = &infos[i];
            let hv = hist.value(t);
            let mut acc = statics[i - s];
            add_row(&mut acc, &self.w.dense.trans[prev as usize * (NT + 1) + prev2 as usize]);
            if (hv as usize) < DENSE_VALUES {
                add_row(&mut acc, &self.w.dense.hist[hv as usize]);
            } else {
                self.w.add(&[key(44, hv as u64, 0)], &mut acc);
            }
            let dynf = [
                key(42, prev as u64, t.lower),
                key(43, prev as u64, t.sshape),
                key(45, hv as u64, mix(t.sshape, prev as u64)),
            ];
            self.w.add(&dynf, &mut acc);
            let (best, bs, second) = best_allowed(&acc, prev);
            tags[i] = best;
            hist.record(t, best);
            margins[i] = if second == i32::MIN { 100.0 } else { (bs - second) as f32 * self.w.scale };
            prev2 = prev;
            prev = best;
        }
    }
}
