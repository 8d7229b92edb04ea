//! Generated inputs for the tests that check a hand-written scan against the pattern it
//! replaces: many strings joined from pieces (cues, near misses, filler), deterministic.

/// A xorshift64 sequence drawing strings from pieces.
pub(crate) struct Pieces {
    state: u64,
}

impl Pieces {
    /// A sequence starting from `seed` (non-zero).
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state % n as u64) as usize
    }

    /// A string of 1 to `most` pieces drawn from `parts`.
    pub(crate) fn string(&mut self, parts: &[&str], most: usize) -> String {
        let mut s = String::new();
        for _ in 0..1 + self.below(most) {
            s.push_str(parts[self.below(parts.len())]);
        }
        s
    }
}
