//! The discard list (`Phoenix.discards.txt`, `PETR.Validate.discards.txt`): phrases whose
//! presence means a sentence, or with a leading `+` the whole story, is not coded — sports
//! (`BASEBALL`, `+CHAMPIONS LEAGUE`), entertainment, and past years (`1994`, `YEARS AGO`),
//! so that history retold in today's news is not coded as today's events.
//!
//! Matched as PETRARCH2 matches them: the sentence is split on white space and upper-cased,
//! and a phrase's words must equal consecutive tokens as written, punctuation included (so
//! `three years ago,` does not hold `YEARS AGO`, and `in 2004.` does not hold `2004`).

use super::dict::FxMap;

/// What a sentence's discard phrases ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Discard {
    Keep,
    Sentence,
    Story,
}

/// Discard phrases by their first token: (the tokens after it, whole story?).
#[derive(Debug, Default)]
pub(crate) struct Discards {
    by_first: FxMap<String, Vec<(Vec<String>, bool)>>,
    /// 2^16 bits over [`token_hash`] of the first tokens: most tokens start no phrase, and
    /// this rejects them without upper-casing or a map lookup.
    first_bits: Vec<u64>,
}

/// FNV-1a over a token's bytes, ASCII letters upper-cased (the lists are ASCII).
fn token_hash(t: &[u8]) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in t {
        h = (h ^ b.to_ascii_uppercase() as u32).wrapping_mul(0x0100_0193);
    }
    (h ^ (h >> 16)) as u16
}

/// `token` upper-cased equals `word` (already upper-cased when read).
fn same(token: &str, word: &str) -> bool {
    if word.is_ascii() {
        token.eq_ignore_ascii_case(word)
    } else {
        token.chars().flat_map(char::to_uppercase).eq(word.chars())
    }
}

impl Discards {
    /// Reads a discard file: one phrase a line, `#` starts a comment, `+` marks a story discard.
    pub fn load(&mut self, text: &str) {
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with("<!") {
                continue;
            }
            let (story, phrase) = match line.strip_prefix('+') {
                Some(p) => (true, p),
                None => (false, line),
            };
            let mut words = phrase.split_whitespace().map(str::to_uppercase);
            let Some(first) = words.next() else { continue };
            if self.first_bits.is_empty() {
                self.first_bits = vec![0; 1 << 10];
            }
            let h = token_hash(first.as_bytes()) as usize;
            self.first_bits[h >> 6] |= 1 << (h & 63);
            self.by_first.entry(first).or_default().push((words.collect(), story));
        }
    }

    /// Whether `sentence` is kept, discarded, or discards its story. Linear in its length:
    /// one bit test per token, and a phrase found is checked over its own few words.
    pub fn check(&self, sentence: &str) -> Discard {
        if self.by_first.is_empty() {
            return Discard::Keep;
        }
        let mut found = Discard::Keep;
        let mut toks = sentence.split_whitespace();
        let mut upper = String::new();
        while let Some(t) = toks.next() {
            let h = token_hash(t.as_bytes()) as usize;
            if self.first_bits[h >> 6] & (1 << (h & 63)) == 0 {
                continue;
            }
            upper.clear();
            upper.extend(t.chars().flat_map(char::to_uppercase));
            let Some(cands) = self.by_first.get(upper.as_str()) else { continue };
            for (rest, story) in cands {
                let mut after = toks.clone();
                if rest.iter().all(|r| after.next().is_some_and(|t| same(t, r))) {
                    if *story {
                        return Discard::Story;
                    }
                    found = Discard::Sentence;
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discards_match_tokens_as_written() {
        let mut d = Discards::default();
        d.load("# comment\nYEARS AGO  # a note\n+Manchester United\n1994\n");
        assert_eq!(d.check("They met three years ago in Paris."), Discard::Sentence);
        // PETRARCH2 splits on white space: punctuation stays on the token.
        assert_eq!(d.check("They met three years ago, in Paris."), Discard::Keep);
        assert_eq!(d.check("the 1994 genocide"), Discard::Sentence);
        assert_eq!(d.check("in 1994."), Discard::Keep);
        assert_eq!(d.check("Manchester United beat Chelsea."), Discard::Story);
        assert_eq!(d.check("Manchester City beat Chelsea."), Discard::Keep);
        // Thousands of tokens that start a phrase: one short check each.
        let long = "years ".repeat(5_000);
        assert_eq!(d.check(&long), Discard::Keep);
    }
}
