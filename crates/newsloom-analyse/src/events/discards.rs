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
            self.by_first.entry(first).or_default().push((words.collect(), story));
        }
    }

    /// Whether `sentence` is kept, discarded, or discards its story. Linear in its length:
    /// one lookup per token, and each phrase found is checked over its own few words.
    pub fn check(&self, sentence: &str) -> Discard {
        if self.by_first.is_empty() {
            return Discard::Keep;
        }
        let toks: Vec<&str> = sentence.split_whitespace().collect();
        let mut buf = String::new();
        let mut found = Discard::Keep;
        for (i, t) in toks.iter().enumerate() {
            buf.clear();
            buf.extend(t.chars().flat_map(char::to_uppercase));
            let Some(cands) = self.by_first.get(buf.as_str()) else { continue };
            for (rest, story) in cands {
                let hit = rest.len() < toks.len() - i
                    && rest
                        .iter()
                        .zip(&toks[i + 1..])
                        .all(|(r, t)| t.chars().flat_map(char::to_uppercase).eq(r.chars()));
                if hit {
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
