//! Near-duplicate detection: MinHash signatures over word shingles with LSH banding.
//!
//! A reprint with light edits (a changed headline, a dropped paragraph, an added byline)
//! keeps most of its 4-word shingles, so its Jaccard similarity to the original stays high,
//! while two independently written reports of one event share few. LSH banding finds the
//! candidates in constant time per article; the signature agreement then estimates Jaccard.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

/// Number of hash functions in a signature.
pub const SIG_LEN: usize = 64;
/// Bands × rows = SIG_LEN. With 16 bands of 4 rows, pairs at Jaccard 0.5 are found with
/// probability 1-(1-0.5^4)^16 ≈ 0.64 and pairs at 0.8 with ≈ 1.0.
const BANDS: usize = 16;
const ROWS: usize = SIG_LEN / BANDS;
/// Words per shingle.
const SHINGLE: usize = 4;
/// Bodies with fewer words are not checked: short texts (error pages, teasers) are too alike.
pub const MIN_WORDS: usize = 25;

pub type Signature = [u32; SIG_LEN];

#[inline]
const fn mix(mut z: u64) -> u64 {
    // splitmix64 finaliser: a cheap, well-distributed permutation of u64.
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// MinHash signature of the word-key sequence, or `None` when it is too short to judge.
pub fn signature(words: &[u64]) -> Option<Signature> {
    if words.len() < MIN_WORDS {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has the features `sign_avx512` is compiled for (checked above).
        return Some(unsafe { sign_avx512(words) });
    }
    Some(sign(words))
}

/// [`sign`] compiled for AVX-512, where the 64 hash lanes vectorise (64-bit multiplies need
/// AVX-512DQ): the same signature, several times faster. The hottest loop of the stage.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn sign_avx512(words: &[u64]) -> Signature {
    sign(words)
}

#[inline(always)]
fn sign(words: &[u64]) -> Signature {
    let mut sig = [u32::MAX; SIG_LEN];
    for w in words.windows(SHINGLE) {
        let mut h = 0u64;
        for &k in w {
            h = mix(h ^ k);
        }
        // One strong hash per shingle, then SIG_LEN hashes of it. (Cheaper derived families,
        // h1 + i·h2 or multiply-shift, under-estimated Jaccard on light edits in tests.)
        for (i, s) in sig.iter_mut().enumerate() {
            let v = (mix(h.wrapping_add((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))) >> 32) as u32;
            *s = (*s).min(v);
        }
    }
    sig
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / SIG_LEN as f32
}

fn band_key(sig: &Signature, band: usize) -> u64 {
    let mut h = mix(band as u64 + 1);
    for &v in &sig[band * ROWS..(band + 1) * ROWS] {
        h = mix(h ^ u64::from(v));
    }
    h
}

/// What the index remembers of one article.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DupEntry {
    pub article: String,
    /// The earliest article this one copies (itself when it is an original).
    pub original: String,
    pub story: String,
    pub time: f64,
    /// Title vector, to tell a reprint from a same-template page (paywall, sign-up form).
    pub title: Vec<(u32, f32)>,
}

/// LSH index over the signatures of recent articles; entries older than the window are
/// evicted so memory stays bounded.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DupIndex {
    buckets: FxHashMap<u64, Vec<u64>>,
    #[serde(with = "signatures")]
    entries: FxHashMap<u64, (Signature, DupEntry)>,
    order: VecDeque<(f64, u64)>,
    next: u64,
}

impl DupIndex {
    /// The most similar indexed article with estimated Jaccard ≥ `threshold`.
    pub fn find(&self, sig: &Signature, threshold: f32) -> Option<(&DupEntry, f32)> {
        self.find_where(sig, threshold, |_, _| true)
    }

    /// The most similar indexed article with estimated Jaccard ≥ `threshold` that `accept`s.
    pub fn find_where(
        &self,
        sig: &Signature,
        threshold: f32,
        accept: impl Fn(&DupEntry, f32) -> bool,
    ) -> Option<(&DupEntry, f32)> {
        let mut best: Option<(u64, f32)> = None;
        for b in 0..BANDS {
            let Some(ids) = self.buckets.get(&band_key(sig, b)) else { continue };
            for id in ids {
                let Some((s, e)) = self.entries.get(id) else { continue };
                let sim = similarity(sig, s);
                // Ties go to the earlier article (smaller id).
                if sim >= threshold
                    && best.is_none_or(|(bid, bs)| sim > bs || (sim == bs && *id < bid))
                    && accept(e, sim)
                {
                    best = Some((*id, sim));
                }
            }
        }
        best.map(|(id, sim)| (&self.entries[&id].1, sim))
    }

    pub fn insert(&mut self, sig: Signature, entry: DupEntry) {
        let id = self.next;
        self.next += 1;
        for b in 0..BANDS {
            self.buckets.entry(band_key(&sig, b)).or_default().push(id);
        }
        self.order.push_back((entry.time, id));
        self.entries.insert(id, (sig, entry));
    }

    /// Drops entries whose time is before `cutoff`, and the oldest beyond `max` entries
    /// (in arrival order).
    pub fn evict_before(&mut self, cutoff: f64, max: usize) {
        while let Some(&(t, id)) = self.order.front() {
            if t >= cutoff && self.order.len() <= max {
                break;
            }
            self.order.pop_front();
            if let Some((sig, _)) = self.entries.remove(&id) {
                for b in 0..BANDS {
                    let key = band_key(&sig, b);
                    if let Some(v) = self.buckets.get_mut(&key) {
                        v.retain(|x| *x != id);
                        if v.is_empty() {
                            self.buckets.remove(&key);
                        }
                    }
                }
            }
        }
        if self.buckets.capacity() > 4 * self.buckets.len().max(1024) {
            self.buckets.shrink_to_fit();
            self.entries.shrink_to_fit();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<u64> {
        s.split_whitespace().map(|w| crate::text::hash_bytes(w.as_bytes())).collect()
    }

    #[test]
    fn similar_texts_collide_and_different_do_not() {
        let base: String = (0..80).map(|i| format!("w{} ", i)).collect();
        let edited = base.replace("w40 ", "changed ").replace("w70 ", "");
        let other: String = (0..80).map(|i| format!("x{} ", i)).collect();
        let a = signature(&words(&base)).unwrap();
        let b = signature(&words(&edited)).unwrap();
        let c = signature(&words(&other)).unwrap();
        assert!(similarity(&a, &b) > 0.75, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1);
        let mut idx = DupIndex::default();
        let e = |id: &str| DupEntry {
            article: id.into(),
            original: id.into(),
            story: "s".into(),
            time: 0.0,
            title: vec![],
        };
        idx.insert(a, e("a"));
        assert_eq!(idx.find(&b, 0.7).unwrap().0.article, "a");
        assert!(idx.find(&c, 0.7).is_none());
        idx.evict_before(1.0, 100);
        assert!(idx.find(&b, 0.7).is_none() && idx.is_empty());
        for i in 0..3 {
            idx.insert(a, e(&format!("x{i}")));
        }
        idx.evict_before(f64::NEG_INFINITY, 2);
        assert_eq!(idx.len(), 2);
        assert_eq!(idx.find(&a, 0.7).unwrap().0.article, "x1", "the oldest went first");
    }

    #[test]
    fn the_vectorised_signature_equals_the_portable_one() {
        let w = words(&(0..300).map(|i| format!("t{} ", i % 97)).collect::<String>());
        let portable = sign(&w);
        assert_eq!(signature(&w), Some(portable));
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512dq") {
            // SAFETY: checked just above.
            assert_eq!(unsafe { sign_avx512(&w) }, portable);
        } else {
            eprintln!("no AVX-512 here: only the portable path was checked");
        }
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert!(signature(&words("too short to judge")).is_none());
    }
}

/// serde for the signature map: serde derives arrays only up to 32 elements, so each
/// signature travels as a sequence.
mod signatures {
    use super::{DupEntry, SIG_LEN, Signature};
    use rustc_hash::FxHashMap;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Entries = FxHashMap<u64, (Signature, DupEntry)>;

    pub fn serialize<S: Serializer>(entries: &Entries, s: S) -> Result<S::Ok, S::Error> {
        let flat: Vec<(u64, &[u32], &DupEntry)> =
            entries.iter().map(|(k, (sig, e))| (*k, &sig[..], e)).collect();
        flat.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        let flat: Vec<(u64, Vec<u32>, DupEntry)> = Vec::deserialize(d)?;
        flat.into_iter()
            .map(|(k, sig, e)| {
                let sig: Signature = sig
                    .try_into()
                    .map_err(|_| D::Error::custom(format!("a signature is not {SIG_LEN} hashes")))?;
                Ok((k, (sig, e)))
            })
            .collect()
    }
}
