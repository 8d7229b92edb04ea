//! The tagger's weights: an averaged linear model over hashed features and BILOU tags, its
//! training loop (passive-aggressive updates), and the compact on-disk format (gzip of sorted
//! u32 keys + i16 rows).

use super::features::{
    F_ALL_CAPS, F_INIT_CAP, F_UNK, GAZ_TEMPLATES, History, MAX_STATIC, TokInfo, dynamic_features, key,
    sentence_order, static_features,
};
use std::collections::HashMap;
use std::io::{Read, Write};

/// BILOU tags over PER, ORG, LOC, MISC: 0 = O; for label l, 1 + 4l = B (begin), 2 + 4l = I
/// (inside), 3 + 4l = L (last), 4 + 4l = U (a one-token entity).
pub const NT: usize = 17;
/// The "tag" before a sentence's first token, for history features.
pub const BOS_TAG: u8 = NT as u8;

const MAGIC: &[u8; 8] = b"NLNERW01";
/// Bumped whenever features, tags or the file layout change; the file must match.
pub const MODEL_VERSION: u32 = 5;

/// Is `tag` allowed after `prev`? An entity opened by B continues with I and closes with L;
/// O, B and U only follow a closed one.
#[inline]
pub const fn allowed(prev: u8, tag: u8) -> bool {
    let open = prev != BOS_TAG && prev != 0 && matches!((prev - 1) % 4, 0 | 1);
    if tag == 0 || matches!((tag - 1) % 4, 0 | 3) {
        return !open;
    }
    open && (prev - 1) / 4 == (tag - 1) / 4
}

/// [`allowed`] as one bit per tag for each `prev` (the BOS tag included): decoding asks it
/// for every tag of every token.
const ALLOWED_AFTER: [u32; NT + 1] = {
    let mut t = [0u32; NT + 1];
    let mut prev = 0;
    while prev <= NT {
        let mut tag = 0;
        while tag < NT {
            if allowed(prev as u8, tag as u8) {
                t[prev] |= 1 << tag;
            }
            tag += 1;
        }
        prev += 1;
    }
    t
};

/// The best-scoring tag that may follow `prev`, its score and the runner-up's score (for the
/// margin; `i32::MIN` when there is none).
#[inline]
pub fn best_allowed(acc: &[i32; NT], prev: u8) -> (u8, i32, i32) {
    let mask = ALLOWED_AFTER[prev as usize];
    let (mut best, mut bs, mut second) = (0u8, i32::MIN, i32::MIN);
    for (tag, &sc) in acc.iter().enumerate() {
        if mask & (1 << tag) == 0 {
            continue;
        }
        if sc > bs {
            second = bs;
            bs = sc;
            best = tag as u8;
        } else if sc > second {
            second = sc;
        }
    }
    (best, bs, second)
}

/// One slot of the weight table: the feature key (0 = empty) with its row inline, so that a
/// lookup costs one cache miss.
#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: u32,
    w: [i16; NT],
}

/// Runtime weights: open-addressing table from feature key to a row of i16 per tag.
pub struct Weights {
    /// One bit per key (2^22 bits, 512 KB, stays in cache): most absent features are rejected
    /// here without touching the big table.
    filter: Vec<u64>,
    slots: Vec<Slot>,
    mask: usize,
    len: usize,
    /// Multiply integer scores by this to get perceptron units.
    pub scale: f32,
    pub(crate) dense: Dense,
    /// Unique per built table, for caches of scores summed from it.
    pub(crate) id: u64,
}

/// Values of a gazetteer or history feature that have a dense table (they have fewer).
pub const DENSE_VALUES: usize = 16;

/// Scores of the templates with only a few values, summed from the table once at load time, so
/// that decoding adds a row instead of hashing and probing (the sums are the same).
pub(crate) struct Dense {
    /// Templates 23, 24, 25 ([`GAZ_TEMPLATES`]) by gazetteer value.
    pub gaz: [[[i32; NT]; DENSE_VALUES]; 3],
    /// Templates 40 (previous tag) + 41 (previous two tags), at `prev * (NT + 1) + prev2`.
    pub trans: Vec<[i32; NT]>,
    /// Template 44 by prediction-history value.
    pub hist: [[i32; NT]; DENSE_VALUES],
}

/// `acc += row`, widening i16 to i32: the innermost loop of the tagger.
#[inline(always)]
fn add_i16_row(acc: &mut [i32; NT], row: &[i16; NT]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        const _: () = assert!(NT == 17);
        // SAFETY: SSE2 is part of the x86_64 baseline. The unaligned loads read lanes 0..16 of
        // `row` (32 of its 34 bytes) and the unaligned loads/stores touch lanes 0..16 of `acc`
        // (64 of its 68 bytes); lane 16 is added after.
        unsafe {
            let r = row.as_ptr() as *const __m128i;
            let (lo, hi) = (_mm_loadu_si128(r), _mm_loadu_si128(r.add(1)));
            // Interleaving a lane with itself and shifting right by 16 sign-extends it.
            let wide = [
                _mm_srai_epi32(_mm_unpacklo_epi16(lo, lo), 16),
                _mm_srai_epi32(_mm_unpackhi_epi16(lo, lo), 16),
                _mm_srai_epi32(_mm_unpacklo_epi16(hi, hi), 16),
                _mm_srai_epi32(_mm_unpackhi_epi16(hi, hi), 16),
            ];
            let a = acc.as_mut_ptr() as *mut __m128i;
            for (k, w) in wide.into_iter().enumerate() {
                _mm_storeu_si128(a.add(k), _mm_add_epi32(_mm_loadu_si128(a.add(k)), w));
            }
        }
        acc[16] += row[16] as i32;
    }
    #[cfg(not(target_arch = "x86_64"))]
    for (a, &w) in acc.iter_mut().zip(row) {
        *a += w as i32;
    }
}

impl Weights {
    #[inline]
    fn filter_bit(k: u32) -> (usize, u64) {
        let h = (k.rotate_right(11) as usize) & ((1 << 22) - 1);
        (h >> 6, 1u64 << (h & 63))
    }

    #[inline(always)]
    fn row(&self, k: u32) -> Option<&[i16; NT]> {
        let (word, bit) = Self::filter_bit(k);
        if self.filter[word] & bit == 0 {
            return None;
        }
        let mut i = k as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.key == k {
                return Some(&s.w);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Hints the CPU to load the filter word and the slot of `k` (no effect on results). No
    /// branch on the filter here: waiting for its bit (a cache miss, and a branch that goes
    /// either way) was the costliest part of decoding.
    #[inline]
    pub(crate) fn prefetch(&self, k: u32) {
        let (word, _) = Self::filter_bit(k);
        crate::prefetch(self.filter.as_ptr().wrapping_add(word));
        crate::prefetch(self.slots.as_ptr().wrapping_add(k as usize & self.mask));
    }

    /// The sum of the rows of `feats`.
    pub(crate) fn sum(&self, feats: &[u32]) -> [i32; NT] {
        let mut acc = [0i32; NT];
        self.add(feats, &mut acc);
        acc
    }

    #[inline(always)]
    pub(crate) fn add(&self, feats: &[u32], acc: &mut [i32; NT]) {
        for &f in feats {
            if let Some(r) = self.row(f) {
                add_i16_row(acc, r);
            }
        }
    }

    /// Weights that score every tag 0 (the tagger then finds nothing).
    pub fn empty() -> Self {
        Self::build(Vec::new(), 1.0)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn build(pairs: Vec<(u32, [i16; NT])>, scale: f32) -> Self {
        // Keys are already well-mixed hashes, so their low bits index the table directly.
        let cap = (pairs.len() * 5 / 4 + 1).next_power_of_two().max(16);
        let mut slots = vec![Slot { key: 0, w: [0; NT] }; cap];
        let mut filter = vec![0u64; (1 << 22) / 64];
        let mut len = 0;
        for (k, r) in pairs {
            let mut i = k as usize & (cap - 1);
            while slots[i].key != 0 && slots[i].key != k {
                i = (i + 1) & (cap - 1);
            }
            if slots[i].key == 0 {
                slots[i] = Slot { key: k, w: r };
                let (word, bit) = Self::filter_bit(k);
                filter[word] |= bit;
                len += 1;
            }
        }
        let empty =
            Dense { gaz: [[[0; NT]; DENSE_VALUES]; 3], trans: Vec::new(), hist: [[0; NT]; DENSE_VALUES] };
        static IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut w = Weights { filter, slots, mask: cap - 1, len, scale, dense: empty, id };
        let mut dense = Dense {
            gaz: std::array::from_fn(|t| {
                std::array::from_fn(|v| w.sum(&[key(GAZ_TEMPLATES[t], v as u64, 0)]))
            }),
            trans: Vec::with_capacity((NT + 1) * (NT + 1)),
            hist: std::array::from_fn(|v| w.sum(&[key(44, v as u64, 0)])),
        };
        for prev in 0..=NT as u64 {
            for prev2 in 0..=NT as u64 {
                dense.trans.push(w.sum(&[key(40, prev, 0), key(41, prev, prev2)]));
            }
        }
        w.dense = dense;
        w
    }

    /// Decodes the gzip'd weight file.
    pub fn from_gz(gz: &[u8]) -> Result<Self, String> {
        let raw = gunzip_bytes(gz, 256 << 20)?;
        let mut r = raw.as_slice();
        let mut take = |n: usize| -> Result<&[u8], String> {
            if r.len() < n {
                return Err("weight file truncated".into());
            }
            let (a, b) = r.split_at(n);
            r = b;
            Ok(a)
        };
        if take(8)? != MAGIC {
            return Err("not a newsloom NER weight file".into());
        }
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let version = u32_at(take(4)?);
        if version != MODEL_VERSION {
            return Err(format!("weight file version {version}, this build needs {MODEL_VERSION}"));
        }
        let nt = u32_at(take(4)?) as usize;
        if nt != NT {
            return Err("weight file has a different tag set".into());
        }
        let scale = f32::from_le_bytes(take(4)?.try_into().map_err(|_| "bad scale")?);
        let n = u32_at(take(4)?) as usize;
        let keys = take(n.checked_mul(4).ok_or("bad size")?)?.to_vec();
        let rows = take(n.checked_mul(NT * 2).ok_or("bad size")?)?;
        let mut pairs = Vec::with_capacity(n);
        for i in 0..n {
            let k = u32_at(&keys[i * 4..]);
            let mut row = [0i16; NT];
            for (t, w) in row.iter_mut().enumerate() {
                let o = (i * NT + t) * 2;
                *w = i16::from_le_bytes([rows[o], rows[o + 1]]);
            }
            pairs.push((k, row));
        }
        Ok(Self::build(pairs, scale))
    }
}

/// Decompresses gzip into bytes, refusing more than `limit` bytes.
pub(crate) fn gunzip_bytes(gz: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).take(limit).read_to_end(&mut out).map_err(|e| format!("gunzip: {e}"))?;
    Ok(out)
}

/// A table compiled into the binary, or the file named by the environment variable `var` when
/// it is set and readable: a developer override for trying a table before shipping it (the
/// weights must be trained on it). A table that does not load is empty.
pub(crate) fn shipped_or_override<T: Default>(
    var: &str,
    shipped: &[u8],
    from_gz: impl Fn(&[u8]) -> Result<T, String>,
) -> T {
    if let Ok(p) = std::env::var(var)
        && let Ok(b) = std::fs::read(&p)
    {
        return from_gz(&b).unwrap_or_default();
    }
    from_gz(shipped).unwrap_or_default()
}

pub(crate) fn gunzip(gz: &[u8]) -> Result<String, String> {
    String::from_utf8(gunzip_bytes(gz, 64 << 20)?).map_err(|e| e.to_string())
}

/// Greedy left-to-right decoding of one sentence `s..e`, writing tags and margins (best minus
/// second-best score, in perceptron units) for those tokens. The straightforward form of
/// [`super::infer::DocScorer::decode`], which must give the same results (tests compare them).
#[cfg(test)]
pub fn decode(
    w: &Weights,
    infos: &[TokInfo],
    (s, e): (usize, usize),
    hist: &mut History,
    tags: &mut [u8],
    margins: &mut [f32],
) {
    // The tag-independent scores of all tokens first: their table lookups are independent, so
    // the memory accesses overlap (and are prefetched) instead of queueing behind each decision.
    let mut feats = Vec::with_capacity(MAX_STATIC);
    let mut statics: Vec<[i32; NT]> = Vec::with_capacity(e - s);
    for i in s..e {
        static_features(infos, s, e, i, &mut feats);
        for &f in &feats {
            w.prefetch(f);
        }
        let mut acc = [0i32; NT];
        w.add(&feats, &mut acc);
        statics.push(acc);
    }
    let mut dynf = [0u32; 6];
    let (mut prev, mut prev2) = (BOS_TAG, BOS_TAG);
    for i in s..e {
        dynamic_features(&infos[i], prev, prev2, hist.value(&infos[i]), &mut dynf);
        let mut acc = statics[i - s];
        w.add(&dynf, &mut acc);
        let (best, bs, second) = best_allowed(&acc, prev);
        tags[i] = best;
        hist.record(&infos[i], best);
        margins[i] = if second == i32::MIN { 100.0 } else { (bs - second) as f32 * w.scale };
        prev2 = prev;
        prev = best;
    }
}

/// One training document: token infos, gold tags and sentences (token ranges).
pub struct TrainDoc {
    pub infos: Vec<TokInfo>,
    pub gold: Vec<u8>,
    pub sents: Vec<(usize, usize)>,
}

/// The PA-I step (Crammer et al. 2006) for an error whose wrong tag outscores the gold one by
/// `margin` over `features` features (each moves two rows: the gold tag's up, the wrong one's
/// down), in units of the cap `cap`, so that a capped step is a perceptron step and the weights
/// keep the scale the pruning threshold reads. The gold tag may score higher yet be barred
/// after the tag chosen before it: its margin counts as 0 then. Always in (0, 1]; a cap of 0
/// gives perceptron steps of 1.
fn pa_step(margin: f32, features: usize, cap: f32) -> f32 {
    if cap <= 0.0 {
        return 1.0;
    }
    let norm = 2.0 * features.max(1) as f32;
    ((margin.max(0.0) + 1.0) / norm / cap).min(1.0)
}

/// Trainer of the averaged weights: perceptron or passive-aggressive (PA-I) updates.
#[derive(Default)]
pub struct Trainer {
    /// Passive-aggressive step cap (PA-I, see `train::PA_CAP`); 0 = perceptron steps of 1.
    pa: f32,
    index: HashMap<u32, usize>,
    w: Vec<[f32; NT]>,
    total: Vec<[f32; NT]>,
    stamp: Vec<[u32; NT]>,
    clock: u32,
}

impl Trainer {
    /// A trainer with passive-aggressive steps capped at `pa` (0: perceptron steps).
    pub fn with_pa(pa: f32) -> Self {
        Trainer { pa, ..Trainer::default() }
    }

    fn slot(&mut self, k: u32) -> usize {
        let n = self.w.len();
        let i = *self.index.entry(k).or_insert(n);
        if i == n {
            self.w.push([0.0; NT]);
            self.total.push([0.0; NT]);
            self.stamp.push([0; NT]);
        }
        i
    }

    fn update(&mut self, feats: &[u32], tag: usize, d: f32) {
        // Key 0 is "no feature" (see `dynamic_features`).
        for &f in feats.iter().filter(|&&f| f != 0) {
            let i = self.slot(f);
            let dt = (self.clock - self.stamp[i][tag]) as f32;
            self.total[i][tag] += dt * self.w[i][tag];
            self.stamp[i][tag] = self.clock;
            self.w[i][tag] += d;
        }
    }

    fn score(&self, feats: &[u32], acc: &mut [f32; NT]) {
        for f in feats {
            if let Some(&i) = self.index.get(f) {
                for (a, w) in acc.iter_mut().zip(&self.w[i]) {
                    *a += w;
                }
            }
        }
    }

    /// One pass over the documents in `order`, sentences in text order (the prediction history
    /// runs through each document); returns the number of token errors.
    ///
    /// `unk(doc, token)` says which capitalised tokens to treat as unknown words this epoch
    /// ([`F_UNK`]).
    pub fn epoch(
        &mut self,
        docs: &[TrainDoc],
        order: &[usize],
        unk: &dyn Fn(usize, &TokInfo) -> bool,
    ) -> usize {
        let mut feats = Vec::with_capacity(MAX_STATIC);
        let mut dynf = [0u32; 6];
        let mut errors = 0;
        let mut infos = Vec::new();
        for &di in order {
            let TrainDoc { infos: orig, gold, sents } = &docs[di];
            infos.clear();
            infos.extend(orig.iter().map(|t| {
                let mut t = *t;
                if t.flags & (F_INIT_CAP | F_ALL_CAPS) != 0 && unk(di, &t) {
                    t.flags |= F_UNK;
                }
                t
            }));
            let infos = &infos;
            let mut hist = History::default();
            for &(s, e) in &sentence_order(infos, sents) {
                let (mut prev, mut prev2) = (BOS_TAG, BOS_TAG);
                for i in s..e {
                    self.clock += 1;
                    static_features(infos, s, e, i, &mut feats);
                    dynamic_features(&infos[i], prev, prev2, hist.value(&infos[i]), &mut dynf);
                    let mut acc = [0f32; NT];
                    self.score(&feats, &mut acc);
                    self.score(&dynf, &mut acc);
                    let mut best = 0usize;
                    for (t, &sc) in acc.iter().enumerate() {
                        if allowed(prev, t as u8) && sc > acc[best] {
                            best = t;
                        }
                    }
                    let g = gold[i] as usize;
                    if best != g {
                        errors += 1;
                        let step = pa_step(acc[best] - acc[g], feats.len() + dynf.len(), self.pa);
                        self.update(&feats, g, step);
                        self.update(&dynf, g, step);
                        self.update(&feats, best, -step);
                        self.update(&dynf, best, -step);
                    }
                    hist.record(&infos[i], best as u8);
                    prev2 = prev;
                    prev = best as u8;
                }
            }
        }
        errors
    }

    /// This trainer's averaged weights by feature key.
    fn averaged(&self) -> Vec<(u32, [f32; NT])> {
        let clock = self.clock.max(1) as f32;
        self.index
            .iter()
            .map(|(&k, &i)| {
                let row = std::array::from_fn(|t| {
                    (self.total[i][t] + (self.clock - self.stamp[i][t]) as f32 * self.w[i][t]) / clock
                });
                (k, row)
            })
            .collect()
    }

    /// Averages the averaged weights of several trainers (runs over different shuffles), prunes
    /// rows whose weights are all below `min_abs`, quantises and gzips.
    pub fn finish(trainers: &[Trainer], min_abs: f32) -> Result<(Vec<u8>, Weights), String> {
        let mut sum: std::collections::BTreeMap<u32, [f32; NT]> = std::collections::BTreeMap::new();
        for tr in trainers {
            for (k, row) in tr.averaged() {
                let acc = sum.entry(k).or_insert([0.0; NT]);
                for (a, x) in acc.iter_mut().zip(row) {
                    *a += x / trainers.len() as f32;
                }
            }
        }
        let mut pairs: Vec<(u32, [f32; NT])> =
            sum.into_iter().filter(|(_, r)| r.iter().any(|x| x.abs() >= min_abs)).collect();
        pairs.sort_unstable_by_key(|p| p.0);
        let max = pairs.iter().flat_map(|p| p.1).fold(0f32, |m, x| m.max(x.abs())).max(1e-9);
        let scale = max / 32000.0;
        let q: Vec<(u32, [i16; NT])> = pairs
            .iter()
            .map(|(k, r)| (*k, r.map(|x| (x / scale).round().clamp(-32767.0, 32767.0) as i16)))
            .collect();
        let mut raw = Vec::with_capacity(24 + q.len() * (4 + NT * 2));
        raw.extend_from_slice(MAGIC);
        raw.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        raw.extend_from_slice(&(NT as u32).to_le_bytes());
        raw.extend_from_slice(&scale.to_le_bytes());
        raw.extend_from_slice(&(q.len() as u32).to_le_bytes());
        for (k, _) in &q {
            raw.extend_from_slice(&k.to_le_bytes());
        }
        for (_, r) in &q {
            for x in r {
                raw.extend_from_slice(&x.to_le_bytes());
            }
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).map_err(|e| e.to_string())?;
        let gz = enc.finish().map_err(|e| e.to_string())?;
        Ok((gz, Weights::build(q, scale)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_add_widens_every_lane() {
        let row: [i16; NT] = std::array::from_fn(|t| [32767, -32767, -1, 7, i16::MIN][t % 5]);
        let mut acc: [i32; NT] = std::array::from_fn(|t| t as i32 * 1000 - 5000);
        let want: [i32; NT] = std::array::from_fn(|t| acc[t] + row[t] as i32);
        add_i16_row(&mut acc, &row);
        assert_eq!(acc, want);
    }

    #[test]
    fn passive_aggressive_steps_grow_with_the_margin_up_to_a_perceptron_step() {
        let cap = 0.05;
        let near = pa_step(0.0, 60, cap);
        assert!((near - 1.0 / 120.0 / cap).abs() < 1e-6, "{near}");
        assert!(near > 0.0 && near < 1.0);
        // A barred gold tag that scores higher counts as a zero margin, never a step backwards.
        assert_eq!(pa_step(-30.0, 60, cap), near);
        let steps: Vec<f32> = [0.0, 1.0, 3.0, 5.0].iter().map(|&m| pa_step(m, 60, cap)).collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
        assert_eq!(pa_step(1000.0, 60, cap), 1.0);
        assert!(pa_step(0.0, 0, cap) <= 1.0);
        assert_eq!(pa_step(5.0, 60, 0.0), 1.0);
    }

    #[test]
    fn bilou_constraint() {
        let (b_per, i_per, l_per, u_per, i_org) = (1, 2, 3, 4, 6);
        assert!(allowed(BOS_TAG, b_per) && allowed(BOS_TAG, u_per) && allowed(BOS_TAG, 0));
        assert!(!allowed(BOS_TAG, i_per) && !allowed(BOS_TAG, l_per));
        assert!(allowed(b_per, i_per) && allowed(b_per, l_per) && allowed(i_per, l_per));
        assert!(!allowed(b_per, 0) && !allowed(b_per, u_per) && !allowed(b_per, i_org));
        assert!(allowed(l_per, 0) && allowed(u_per, b_per) && !allowed(l_per, i_per));
    }

    #[test]
    fn bad_weight_files_are_errors() {
        assert!(Weights::from_gz(b"junk").is_err());
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"NLNERW01\x01\x00").unwrap();
        assert!(Weights::from_gz(&enc.finish().unwrap()).is_err());
    }
}
