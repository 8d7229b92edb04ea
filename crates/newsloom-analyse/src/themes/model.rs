//! The learnt topic model: multinomial naive Bayes over hashed lower-case words, with its
//! compact file (gzip of class codes, priors, and sparse per-bucket word counts).

use rustc_hash::FxHashMap as HashMap;
use std::io::{Read, Write};

const MAGIC: &[u8; 8] = b"NLTHEM01";
const BUCKET_BITS: u32 = 20;
/// Additive smoothing, chosen by 5-fold CV on BBC dev (accuracy: 1.0 → 95.7, 0.1 → 96.6,
/// 0.01 → 97.0, 0.002 → 97.0).
const ALPHA: f32 = 0.01;

/// Lower-case words of a text (letters and digits; one-letter words and pure numbers dropped).
pub fn words(text: &str) -> Vec<std::borrow::Cow<'_, str>> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\''))
        .filter(|w| w.len() > 1 && !w.bytes().all(|b| b.is_ascii_digit()))
        .map(|w| {
            if w.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            }
        })
        .collect()
}

fn bucket(w: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in w.as_bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h >> (32 - BUCKET_BITS)
}

/// Naive Bayes over the classes it was trained on (IPTC codes).
pub struct TopicModel {
    pub classes: Vec<String>,
    log_prior: Vec<f32>,
    /// bucket → per class log probability.
    log_word: HashMap<u32, Vec<f32>>,
    /// Raw counts, kept for writing the file.
    counts: HashMap<u32, Vec<u32>>,
    docs: Vec<u32>,
}

impl TopicModel {
    /// Trains on (text, class code) pairs.
    pub fn fit<'a>(data: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut classes: Vec<String> = Vec::new();
        let mut docs: Vec<u32> = Vec::new();
        let mut counts: HashMap<u32, Vec<u32>> = HashMap::default();
        let mut pending = Vec::new();
        for (text, class) in data {
            let c = match classes.iter().position(|x| x == class) {
                Some(c) => c,
                None => {
                    classes.push(class.to_string());
                    docs.push(0);
                    classes.len() - 1
                }
            };
            docs[c] += 1;
            pending.push((c, words(text).into_iter().map(|w| bucket(&w)).collect::<Vec<u32>>()));
        }
        let nc = classes.len();
        for (c, ws) in pending {
            for b in ws {
                counts.entry(b).or_insert_with(|| vec![0; nc])[c] += 1;
            }
        }
        Self::from_counts(classes, docs, counts)
    }

    fn from_counts(classes: Vec<String>, docs: Vec<u32>, counts: HashMap<u32, Vec<u32>>) -> Self {
        let nc = classes.len();
        let total_docs: u32 = docs.iter().sum();
        let vocab = counts.len() as f32;
        let mut totals = vec![0u64; nc];
        for row in counts.values() {
            for (t, &x) in totals.iter_mut().zip(row) {
                *t += x as u64;
            }
        }
        let denom: Vec<f32> = totals.iter().map(|&t| t as f32 + ALPHA * vocab).collect();
        let log_word = counts
            .iter()
            .map(|(&k, row)| {
                (k, row.iter().zip(&denom).map(|(&x, d)| ((x as f32 + ALPHA) / d).ln()).collect())
            })
            .collect();
        Self {
            log_prior: docs.iter().map(|&d| (d.max(1) as f32 / total_docs.max(1) as f32).ln()).collect(),
            log_word,
            counts,
            docs,
            classes,
        }
    }

    /// Posterior probability of each class (tempered by text length so that long articles do not
    /// all get 1.0: NB's independence assumption makes raw posteriors overconfident).
    pub fn posterior(&self, words: &[&str]) -> Vec<f32> {
        let nc = self.classes.len();
        let mut s = self.log_prior.clone();
        let mut n = 0usize;
        for w in words {
            if let Some(row) = self.log_word.get(&bucket(w)) {
                n += 1;
                for c in 0..nc {
                    s[c] += row[c];
                }
            }
        }
        // Words the model never saw add the same log-probability to every class but for the
        // denominators; they are skipped, as is usual for hashed NB.
        let temper = 3.0 + n as f32 / 10.0;
        let m = s.iter().fold(f32::MIN, |a, &b| a.max(b));
        let e: Vec<f32> = s.iter().map(|x| ((x - m) / temper).exp()).collect();
        let z: f32 = e.iter().sum();
        e.iter().map(|x| x / z).collect()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let nc = self.classes.len();
        let mut raw = Vec::new();
        raw.extend(MAGIC);
        raw.extend((nc as u32).to_le_bytes());
        for (c, d) in self.classes.iter().zip(&self.docs) {
            raw.extend((c.len() as u32).to_le_bytes());
            raw.extend(c.as_bytes());
            raw.extend(d.to_le_bytes());
        }
        let mut keys: Vec<&u32> = self.counts.keys().collect();
        keys.sort_unstable();
        raw.extend((keys.len() as u32).to_le_bytes());
        for k in keys {
            raw.extend(k.to_le_bytes());
            for &x in &self.counts[k] {
                raw.extend((x.min(u16::MAX as u32) as u16).to_le_bytes());
            }
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }

    pub fn from_bytes(gz: &[u8]) -> Result<Self, String> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut raw).map_err(|e| format!("themes model: {e}"))?;
        let bad = || "themes model: truncated or corrupt file".to_string();
        if raw.len() < 12 || &raw[..8] != MAGIC {
            return Err("themes model: not a newsloom themes model".into());
        }
        let nc = u32::from_le_bytes(raw[8..12].try_into().unwrap()) as usize;
        let (mut classes, mut docs) = (Vec::new(), Vec::new());
        let mut p = 12usize;
        let read_u32 = |raw: &[u8], p: &mut usize| -> Result<u32, String> {
            let v = raw.get(*p..*p + 4).ok_or_else(bad)?;
            *p += 4;
            Ok(u32::from_le_bytes(v.try_into().unwrap()))
        };
        for _ in 0..nc {
            let len = read_u32(&raw, &mut p)? as usize;
            let name = raw.get(p..p + len).ok_or_else(bad)?;
            classes.push(String::from_utf8(name.to_vec()).map_err(|_| bad())?);
            p += len;
            docs.push(read_u32(&raw, &mut p)?);
        }
        let n = read_u32(&raw, &mut p)? as usize;
        let row_len = 4 + 2 * nc;
        if raw.len() != p + n * row_len {
            return Err(bad());
        }
        let counts = raw[p..]
            .chunks_exact(row_len)
            .map(|r| {
                let k = u32::from_le_bytes(r[..4].try_into().unwrap());
                (k, (0..nc).map(|c| u16::from_le_bytes([r[4 + 2 * c], r[5 + 2 * c]]) as u32).collect())
            })
            .collect();
        Ok(Self::from_counts(classes, docs, counts))
    }
}
