//! A binary averaged perceptron over hashed features, and its compact file format.
//!
//! The NER tagger's perceptron (`ner::model`) is built around its 17 BILOU tags with SIMD rows
//! and transition tables; deciding keep/drop for a candidate attribution needs one weight per
//! feature, so this is the same averaged-perceptron update with a single score.

use rustc_hash::FxHashMap as HashMap;

/// FNV-1a (64 bits) of a string, for [`Key::h`].
pub(crate) fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

/// A feature key (FNV-1a; 0 is kept free) built piece by piece without allocating: `Key::new(7).s(cue).s(word).get()`
/// (pieces are separated, so `ab|c` and `a|bc` differ).
#[derive(Clone, Copy)]
pub(crate) struct Key(u32);

impl Key {
    pub fn new(template: u8) -> Self {
        Key((0x811c_9dc5u32 ^ template as u32).wrapping_mul(0x0100_0193))
    }

    fn byte(self, b: u8) -> Self {
        Key((self.0 ^ b as u32).wrapping_mul(0x0100_0193))
    }

    /// Appends a string piece.
    #[cfg(test)]
    pub fn s(self, s: &str) -> Self {
        s.bytes().fold(self.byte(0x1f), Key::byte)
    }

    /// Appends a string piece given by its [`hash_str`] (token forms are hashed once per
    /// document, not once per feature).
    pub fn h(self, x: u64) -> Self {
        let y = (x ^ (x >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        Key((((self.0 as u64) ^ y).wrapping_mul(0x94d0_49bb_1331_11eb) >> 32) as u32)
    }

    /// Appends a small number (a bucket, a flag).
    pub fn n(self, n: u32) -> Self {
        n.to_le_bytes().into_iter().fold(self.byte(0x1e), Key::byte)
    }

    pub fn get(self) -> u32 {
        self.0.max(1)
    }
}

/// The slot of feature key `f` in a table of `2^bits` weights (Fibonacci hashing: the high bits
/// of the product, so every bit of the key counts).
#[inline]
fn slot(f: u32, bits: u8) -> usize {
    (f.wrapping_mul(0x9E37_79B1) >> (32 - bits as u32)) as usize
}

/// Trainable weights: w and the lazily updated sums for averaging, by table slot (features
/// sharing a slot share a weight, in training as at run time).
pub(crate) struct Trainer {
    bits: u8,
    index: HashMap<u32, usize>,
    w: Vec<f32>,
    total: Vec<f64>,
    stamp: Vec<u32>,
    clock: u32,
}

impl Trainer {
    /// Weights for a table of `2^bits` slots.
    pub fn new(bits: u8) -> Self {
        assert!((1..=24).contains(&bits), "table bits {bits}");
        Self {
            bits,
            index: HashMap::default(),
            w: Vec::new(),
            total: Vec::new(),
            stamp: Vec::new(),
            clock: 0,
        }
    }

    pub fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().filter_map(|&f| self.index.get(&(slot(f, self.bits) as u32))).map(|&i| self.w[i]).sum()
    }

    /// Advances the averaging clock: call once per training example.
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    /// Adds `d` to the weight of every feature in `feats`.
    pub fn update(&mut self, feats: &[u32], d: f32) {
        for &f in feats {
            let n = self.w.len();
            let i = *self.index.entry(slot(f, self.bits) as u32).or_insert(n);
            if i == n {
                self.w.push(0.0);
                self.total.push(0.0);
                self.stamp.push(0);
            }
            self.total[i] += (self.clock - self.stamp[i]) as f64 * self.w[i] as f64;
            self.stamp[i] = self.clock;
            self.w[i] += d;
        }
    }
    /// One choice among `options` (feature sets), or none of them (score 0) when `allow_none`:
    /// when the best
    /// scoring choice is not `gold`, moves the weights toward gold and away from it. Returns
    /// whether it was wrong.
    pub fn learn_choice(&mut self, options: &[Vec<u32>], gold: Option<usize>, allow_none: bool) -> bool {
        self.tick();
        let mut pred = None;
        let mut best = if allow_none { 0.0 } else { f32::NEG_INFINITY };
        for (i, o) in options.iter().enumerate() {
            let s = self.score(o);
            if s > best {
                best = s;
                pred = Some(i);
            }
        }
        if pred == gold {
            return false;
        }
        if let Some(g) = gold {
            self.update(&options[g], 1.0);
        }
        if let Some(p) = pred {
            self.update(&options[p], -1.0);
        }
        true
    }

    /// One choice among `options` where any option marked `ok` is right (latent structured
    /// perceptron): when the best scoring option is not right, moves the weights toward the best
    /// scoring right one and away from it. Returns whether it was wrong.
    pub fn learn_any(&mut self, options: &[Vec<u32>], ok: &[bool]) -> bool {
        self.tick();
        let scores: Vec<f32> = options.iter().map(|o| self.score(o)).collect();
        let argmax = |keep: &dyn Fn(usize) -> bool| {
            (0..options.len())
                .filter(|&i| keep(i))
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]).then(b.cmp(&a)))
        };
        let (Some(pred), Some(target)) = (argmax(&|_| true), argmax(&|i| ok[i])) else { return false };
        if ok[pred] {
            return false;
        }
        self.update(&options[target], 1.0);
        self.update(&options[pred], -1.0);
        true
    }

    /// The averaged weights, quantised; slots below `min_abs` are left at zero.
    pub fn averaged(&self, min_abs: f32) -> Weights {
        let clock = self.clock.max(1) as f64;
        let avg: Vec<(usize, f32)> = self
            .index
            .iter()
            .map(|(&k, &i)| {
                let x = (self.total[i] + (self.clock - self.stamp[i]) as f64 * self.w[i] as f64) / clock;
                (k as usize, x as f32)
            })
            .filter(|&(_, x)| x.abs() >= min_abs)
            .collect();
        let max = avg.iter().fold(0f32, |m, p| m.max(p.1.abs())).max(1e-9);
        let scale = max / 32000.0;
        let mut w = vec![0i16; 1 << self.bits];
        for (k, x) in avg {
            w[k] = (x / scale).round().clamp(-32767.0, 32767.0) as i16;
        }
        Weights { bits: self.bits, scale, w }
    }
}

/// Run-time weights: a dense table of `2^bits` i16 weights (times `scale`) by [`slot`]. One
/// memory read per feature and no key to compare; the table is small enough to stay in cache.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    bits: u8,
    scale: f32,
    w: Vec<i16>,
}

impl Default for Weights {
    fn default() -> Self {
        Self { bits: 1, scale: 0.0, w: vec![0; 2] }
    }
}

impl Weights {
    /// The mean of tables of one size (each dequantised, summed, quantised again).
    pub fn mean(parts: &[Weights]) -> Weights {
        match parts {
            [] => Weights::default(),
            [one] => one.clone(),
            _ => {
                let bits = parts[0].bits;
                assert!(parts.iter().all(|p| p.bits == bits), "tables of different sizes");
                let n = parts.len() as f32;
                let avg: Vec<f32> = (0..1usize << bits)
                    .map(|i| parts.iter().map(|p| p.w[i] as f32 * p.scale).sum::<f32>() / n)
                    .collect();
                let max = avg.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-9);
                let scale = max / 32000.0;
                let w = avg.iter().map(|x| (x / scale).round().clamp(-32767.0, 32767.0) as i16).collect();
                Weights { bits, scale, w }
            }
        }
    }

    #[inline]
    pub fn score(&self, feats: &[u32]) -> f32 {
        let sum: i32 = feats.iter().map(|&f| self.w[slot(f, self.bits)] as i32).sum();
        sum as f32 * self.scale
    }

    /// Slots with a weight.
    pub fn len(&self) -> usize {
        self.w.iter().filter(|&&x| x != 0).count()
    }

    /// Table bits, the f32 scale, then the i16 weights (little endian).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(self.bits);
        out.extend_from_slice(&self.scale.to_le_bytes());
        for x in &self.w {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }

    pub fn read(r: &mut Reader) -> Result<Self, String> {
        let bits = r.take(1)?[0];
        if !(1..=24).contains(&bits) {
            return Err(format!("quote weights: table of 2^{bits} slots"));
        }
        let scale = r.f32()?;
        let raw = r.take(2usize << bits)?;
        let w = raw.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
        Ok(Self { bits, scale, w })
    }
}

/// Bounds-checked little-endian reads: a truncated file is an error, not a panic.
pub(crate) struct Reader<'a> {
    pub buf: &'a [u8],
    pub pos: usize,
}

impl Reader<'_> {
    pub fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end =
            self.pos.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or("weight file is truncated")?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "bad u32")?))
    }
    pub fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "bad f32")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule_and_round_trips() {
        let key = |t: u8, s: &str| Key::new(t).s(s).get();
        let (a, b, bias) = (key(1, "a"), key(1, "b"), key(0, ""));
        let mut t = Trainer::new(10);
        for _ in 0..5 {
            t.learn_choice(&[vec![a, bias]], Some(0), true);
            t.learn_choice(&[vec![b, bias]], None, true);
        }
        let w = t.averaged(0.0);
        assert!(w.score(&[a, bias]) > 0.0 && w.score(&[b, bias]) < 0.0);
        let mut buf = Vec::new();
        w.write(&mut buf);
        let back = Weights::read(&mut Reader { buf: &buf, pos: 0 }).unwrap();
        assert_eq!(back.len(), w.len());
        assert_eq!(back.score(&[a, bias]), w.score(&[a, bias]));
        assert!(back.score(&[a, bias]) > 0.0 && back.score(&[b, bias]) < 0.0);
        assert!(Weights::read(&mut Reader { buf: &buf[..buf.len() - 1], pos: 0 }).is_err());
    }

    #[test]
    fn mean_of_tables_scores_as_the_mean_of_their_scores() {
        let key = |s: &str| Key::new(1).s(s).get();
        let (a, b) = (key("a"), key("b"));
        let mut t1 = Trainer::new(10);
        let mut t2 = Trainer::new(10);
        for _ in 0..4 {
            t1.learn_choice(&[vec![a]], Some(0), true);
            t2.learn_choice(&[vec![a], vec![b]], Some(1), false);
        }
        let (w1, w2) = (t1.averaged(0.0), t2.averaged(0.0));
        let m = Weights::mean(&[w1.clone(), w2.clone()]);
        for f in [a, b] {
            let want = (w1.score(&[f]) + w2.score(&[f])) / 2.0;
            assert!(
                (m.score(&[f]) - want).abs() < 1e-3 * want.abs().max(1.0),
                "{f}: {} vs {want}",
                m.score(&[f])
            );
        }
        assert!(w2.score(&[a]) < 0.0 && m.score(&[b]) > 0.0);
        assert_eq!(Weights::mean(std::slice::from_ref(&w1)).score(&[a]), w1.score(&[a]));
    }
}
