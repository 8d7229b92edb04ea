//! A binary averaged perceptron over hashed features, and its compact file format.
//!
//! The NER tagger's perceptron (`ner::model`) is built around its 17 BILOU tags with SIMD rows
//! and transition tables; deciding keep/drop for a candidate attribution needs one weight per
//! feature, so this is the same averaged-perceptron update with a single score.

use std::collections::HashMap;

/// FNV-1a over a template id and a string: the feature key (0 is kept free).
pub(crate) fn key(template: u8, s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in std::iter::once(template).chain(s.bytes()) {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h.max(1)
}

/// Trainable weights: w and the lazily updated sums for averaging.
#[derive(Default)]
pub(crate) struct Trainer {
    index: HashMap<u32, usize>,
    w: Vec<f32>,
    total: Vec<f32>,
    stamp: Vec<u32>,
    clock: u32,
}

impl Trainer {
    pub fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().filter_map(|f| self.index.get(f)).map(|&i| self.w[i]).sum()
    }

    /// Advances the averaging clock: call once per training example.
    pub fn tick(&mut self) {
        self.clock += 1;
    }

    /// Adds `d` to the weight of every feature in `feats`.
    pub fn update(&mut self, feats: &[u32], d: f32) {
        for &f in feats {
            let n = self.w.len();
            let i = *self.index.entry(f).or_insert(n);
            if i == n {
                self.w.push(0.0);
                self.total.push(0.0);
                self.stamp.push(0);
            }
            self.total[i] += (self.clock - self.stamp[i]) as f32 * self.w[i];
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

    /// The averaged weights, rows below `min_abs` dropped.
    pub fn averaged(&self, min_abs: f32) -> Weights {
        let clock = self.clock.max(1) as f32;
        let w = self
            .index
            .iter()
            .map(|(&k, &i)| (k, (self.total[i] + (self.clock - self.stamp[i]) as f32 * self.w[i]) / clock))
            .filter(|&(_, x)| x.abs() >= min_abs)
            .collect();
        Weights { w }
    }
}

/// Runtime weights by feature key.
#[derive(Debug, Default, Clone)]
pub(crate) struct Weights {
    pub w: HashMap<u32, f32>,
}

impl Weights {
    pub fn score(&self, feats: &[u32]) -> f32 {
        feats.iter().filter_map(|f| self.w.get(f)).sum()
    }

    pub fn len(&self) -> usize {
        self.w.len()
    }

    /// Sorted u32 keys, then i16 weights scaled by one f32 (little endian).
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut pairs: Vec<(u32, f32)> = self.w.iter().map(|(&k, &x)| (k, x)).collect();
        pairs.sort_unstable_by_key(|p| p.0);
        let max = pairs.iter().fold(0f32, |m, p| m.max(p.1.abs())).max(1e-9);
        let scale = max / 32000.0;
        out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for (k, _) in &pairs {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, x) in &pairs {
            out.extend_from_slice(&((x / scale).round().clamp(-32767.0, 32767.0) as i16).to_le_bytes());
        }
    }

    pub fn read(r: &mut Reader) -> Result<Self, String> {
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        let keys: Vec<u32> = (0..n).map(|_| r.u32()).collect::<Result<_, _>>()?;
        let mut w = HashMap::with_capacity(n);
        for k in keys {
            w.insert(k, r.i16()? as f32 * scale);
        }
        Ok(Self { w })
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
    pub fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take(2)?.try_into().map_err(|_| "bad i16")?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_rule_and_round_trips() {
        let (a, b, bias) = (key(1, "a"), key(1, "b"), key(0, ""));
        let mut t = Trainer::default();
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
        assert!(back.score(&[a, bias]) > 0.0 && back.score(&[b, bias]) < 0.0);
        assert!(Weights::read(&mut Reader { buf: &buf[..buf.len() - 1], pos: 0 }).is_err());
    }
}
