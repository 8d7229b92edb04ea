//! Pretrained word vectors for the target model: GloVe 6B 50-d (Pennington, Socher & Manning,
//! EMNLP 2014; PDDL-1.0) for the 40,000 most frequent words, unit length, quantised to i8
//! (`models/tone-vectors.bin.gz`, built by `build_tone_vectors.py`).
//!
//! They let the model carry what it learns about a word to words it never saw in training: a
//! sentence that calls someone "lambasted" scores like one that says "criticised", because the
//! averaged vectors of the words around the target are features ([`super::features`]).

use rustc_hash::FxHashMap;
use std::io::Read;
use std::sync::LazyLock;

/// Dimensions of a vector.
pub const DIM: usize = 50;
const MAGIC: &[u8; 8] = b"NLTVEC01";
const SHIPPED: &[u8] = include_bytes!("../../models/tone-vectors.bin.gz");
/// The id of a word without a vector.
pub const NO_VECTOR: u32 = u32::MAX;

/// Word → row of quantised vector components.
#[derive(Default)]
pub struct WordVectors {
    /// By a 64-bit hash of the word ([`word_hash`]): no string to compare on each lookup, one
    /// cache miss fewer per word (a collision among 40k words is a 1-in-10^10 event).
    index: FxHashMap<u64, u32>,
    data: Vec<i8>,
    /// The value of one quantisation step.
    step: f32,
}

static SHARED: LazyLock<WordVectors> = LazyLock::new(|| {
    // A file that does not parse leaves the model without its vector features; the unit tests
    // load the shipped file, so this cannot go unnoticed.
    WordVectors::from_bytes(SHIPPED).unwrap_or_default()
});

impl WordVectors {
    /// The shipped vectors (parsed once per process).
    pub fn shared() -> &'static WordVectors {
        &SHARED
    }

    /// Decodes the `NLTVEC01` file format.
    pub fn from_bytes(gz: &[u8]) -> Result<WordVectors, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut raw).map_err(|e| format!("tone vectors: {e}"))?;
        let bad = || "tone vectors: truncated or corrupt file".to_string();
        if raw.len() < 24 || &raw[..8] != MAGIC {
            return Err("tone vectors: not a newsloom vector file".into());
        }
        let u32_at = |i: usize| u32::from_le_bytes(raw[i..i + 4].try_into().unwrap());
        let (version, n, dim) = (u32_at(8), u32_at(12) as usize, u32_at(16) as usize);
        if version != 1 || dim != DIM {
            return Err(format!(
                "tone vectors: version {version} with {dim} dimensions; this build reads 1 / {DIM}"
            ));
        }
        let step = f32::from_le_bytes(raw[20..24].try_into().unwrap());
        let mut index = FxHashMap::default();
        index.reserve(n);
        let mut at = 24;
        for id in 0..n as u32 {
            let len = *raw.get(at).ok_or_else(bad)? as usize;
            let word = raw.get(at + 1..at + 1 + len).ok_or_else(bad)?;
            let word = std::str::from_utf8(word).map_err(|_| bad())?;
            index.entry(word_hash(word)).or_insert(id);
            at += 1 + len;
        }
        if raw.len() != at + n * DIM {
            return Err(bad());
        }
        let data = raw[at..].iter().map(|&b| b as i8).collect();
        Ok(WordVectors { index, data, step })
    }

    /// The row id of a (normalised, lower-case) word, or [`NO_VECTOR`].
    #[inline]
    pub fn id(&self, word: &str) -> u32 {
        self.index.get(&word_hash(word)).copied().unwrap_or(NO_VECTOR)
    }

    /// The quantised components of row `id` (multiply by [`WordVectors::step`]).
    #[inline]
    pub fn row(&self, id: u32) -> &[i8] {
        let i = id as usize * DIM;
        &self.data[i..i + DIM]
    }

    /// The value of one quantisation step.
    pub fn step(&self) -> f32 {
        self.step
    }

    /// The row ids of a sentence's words.
    pub fn ids<S: AsRef<str>>(&self, words: &[S]) -> Vec<u32> {
        words.iter().map(|w| self.id(w.as_ref())).collect()
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// FNV-1a (64 bits) of a word, with a final mix.
#[inline]
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// A running sum of word vectors and how many were added.
#[derive(Clone, Copy)]
pub struct VectorSum {
    pub sum: [i32; DIM],
    pub count: u32,
}

impl Default for VectorSum {
    fn default() -> Self {
        Self { sum: [0; DIM], count: 0 }
    }
}

impl VectorSum {
    /// Adds the vector of row `id` (words without one are skipped).
    #[inline]
    pub fn add(&mut self, vectors: &WordVectors, id: u32) {
        if id == NO_VECTOR {
            return;
        }
        for (s, &x) in self.sum.iter_mut().zip(vectors.row(id)) {
            *s += x as i32;
        }
        self.count += 1;
    }

    /// The sum of two disjoint sets of words.
    pub fn plus(&self, other: &VectorSum) -> VectorSum {
        let mut out = *self;
        for (s, &x) in out.sum.iter_mut().zip(&other.sum) {
            *s += x;
        }
        out.count += other.count;
        out
    }
}

/// A sentence's word vector rows with prefix sums, so that the sum over any range of words
/// costs one subtraction per dimension (a sentence is summed once, not once per target).
pub struct SentenceVectors {
    pub ids: Vec<u32>,
    /// `prefix[i]` is the sum of words `0..i`.
    prefix: Vec<VectorSum>,
}

impl SentenceVectors {
    pub fn new<S: AsRef<str>>(vectors: &WordVectors, words: &[S]) -> Self {
        let ids = vectors.ids(words);
        let mut prefix = Vec::with_capacity(ids.len() + 1);
        let mut acc = VectorSum::default();
        prefix.push(acc);
        for &id in &ids {
            acc.add(vectors, id);
            prefix.push(acc);
        }
        Self { ids, prefix }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The sum over words `a..b` (clamped to the sentence).
    #[inline]
    pub fn range(&self, a: usize, b: usize) -> VectorSum {
        let n = self.ids.len();
        let (b, a) = (b.min(n), a.min(b.min(n)));
        let (hi, lo) = (&self.prefix[b], &self.prefix[a]);
        let mut out = VectorSum { sum: [0; DIM], count: hi.count - lo.count };
        for d in 0..DIM {
            out.sum[d] = hi.sum[d] - lo.sum[d];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_vectors_load_and_put_like_words_together() {
        let v = WordVectors::shared();
        assert_eq!(v.len(), 40_000);
        let cos = |a: &str, b: &str| {
            let (x, y) = (v.row(v.id(a)), v.row(v.id(b)));
            let dot: i32 = x.iter().zip(y).map(|(&p, &q)| p as i32 * q as i32).sum();
            let norm = |z: &[i8]| (z.iter().map(|&p| (p as i32 * p as i32) as f32).sum::<f32>()).sqrt();
            dot as f32 / (norm(x) * norm(y))
        };
        // Synonyms sit closer than unrelated words; unit length survives quantisation.
        assert!(cos("lambasted", "criticized") > cos("lambasted", "met") + 0.3);
        assert!(cos("praised", "hailed") > 0.8, "{}", cos("praised", "hailed"));
        let norm: f32 = v.row(v.id("the")).iter().map(|&x| (x as f32 * v.step()).powi(2)).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 0.02, "{norm}");
        assert_eq!(v.id("no-such-word-here"), NO_VECTOR);
        assert_eq!(v.id("1990"), NO_VECTOR, "words with digits are left out");
    }

    #[test]
    fn sums_skip_words_without_vectors() {
        let v = WordVectors::shared();
        let mut s = VectorSum::default();
        for id in v.ids(&["good", "zzqqxx", "news"]) {
            s.add(v, id);
        }
        assert_eq!(s.count, 2);
        let g = v.row(v.id("good"))[0] as i32 + v.row(v.id("news"))[0] as i32;
        assert_eq!(s.sum[0], g);
        assert_eq!(s.plus(&s).count, 4);
        // Prefix sums give the same sums over any range.
        let words = ["the", "senator", "zzqqxx", "was", "praised"];
        let sv = SentenceVectors::new(v, &words);
        for (a, b) in [(0, 5), (1, 3), (2, 3), (4, 9), (3, 1)] {
            let mut direct = VectorSum::default();
            for &id in sv.ids.get(a.min(5)..b.clamp(a.min(5), 5)).unwrap_or(&[]) {
                direct.add(v, id);
            }
            let r = sv.range(a, b);
            assert_eq!((r.count, r.sum), (direct.count, direct.sum), "{a}..{b}");
        }
        assert_eq!(sv.range(0, 5).count, 4);
        assert!(WordVectors::from_bytes(b"not gzip").is_err());
    }
}
