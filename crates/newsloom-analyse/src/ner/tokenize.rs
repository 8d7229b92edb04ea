//! Tokenisation of raw article text into CoNLL-style tokens with byte and char offsets, and a
//! simple sentence splitter over those tokens.
//!
//! The tokens follow the conventions of the CoNLL-2003 / Penn treebank text the tagger was
//! trained on: punctuation is split off, `Kelin’s` becomes `Kelin` + `’s`, `don't` becomes
//! `do` + `n't`, while `U.S.`, `St.`, `J.`, `1,000`, `3.5` and `NATO-Russia` stay whole.

/// One token: `start..end` are byte offsets into the text, `char_start..char_end` are char
/// (Unicode scalar) offsets, which is what [`newsloom_model::Span`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
}

impl Token {
    /// The token's text in `text` (the string it was produced from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Abbreviations that keep their final period (lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col", "maj",
    "capt", "sgt", "cpl", "adm", "cmdr", "rev", "hon", "pres", "inc", "corp", "co", "ltd", "plc", "bhd",
    "llc", "bros", "no", "nos", "vs", "etc", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
    "sun", "ave", "blvd", "dept", "est", "approx", "fig", "vol", "pp", "ca", "cf", "al", "govt", "assn",
    "univ", "mln", "bln",
    // US state abbreviations as newswire writes them ("St. Petersburg, Fla.").
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky",
    "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn",
    "tex", "va", "vt", "wash", "wis", "wyo",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '@' || c == '#'
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Splits `text` into tokens. Never panics; linear time.
///
/// ```
/// use newsloom_analyse::ner::tokenize;
/// let text = "Kelin’s view: the U.S. and NATO-Russia ties.";
/// let toks: Vec<&str> = tokenize(text).iter().map(|t| t.text(text)).collect();
/// assert_eq!(toks, ["Kelin", "’s", "view", ":", "the", "U.S.", "and", "NATO-Russia", "ties", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 4);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let byte_at = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let push = |out: &mut Vec<Token>, a: usize, b: usize| {
        if b > a {
            out.push(Token { start: byte_at(a), end: byte_at(b), char_start: a, char_end: b });
        }
    };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_word_char(c) {
            // A word: alphanumerics joined by single inner '-', '.', '&', '/', ',' (digits) or apostrophes.
            let start = i;
            let mut j = i + 1;
            while j < n {
                let d = chars[j].1;
                if is_word_char(d) {
                    j += 1;
                    continue;
                }
                let next = chars.get(j + 1).map(|x| x.1);
                let next_word = next.is_some_and(is_word_char);
                let prev = chars[j - 1].1;
                let joins = match d {
                    '-' | '&' => next_word,
                    '.' => next.is_some_and(|x| x.is_alphanumeric()),
                    ',' | ':' | '/' => prev.is_ascii_digit() && next.is_some_and(|x| x.is_ascii_digit()),
                    _ if is_apostrophe(d) => next_word && !is_clitic_at(&chars, j + 1) && prev != 'n',
                    _ => false,
                };
                if d == '$' && j - start <= 2 && chars[start..j].iter().all(|x| x.1.is_ascii_uppercase()) {
                    j += 1; // currency prefixes: "C$", "US$"
                    break;
                }
                if !joins {
                    break;
                }
                j += 1;
            }
            // "don't": split "n't" off when the word ends that way.
            let mut end = j;
            if j < n && is_apostrophe(chars[j].1) && chars[j - 1].1 == 'n' {
                if chars.get(j + 1).is_some_and(|x| x.1 == 't' || x.1 == 'T')
                    && !chars.get(j + 2).is_some_and(|x| is_word_char(x.1))
                {
                    // An empty first part means the text is already split ("n't").
                    push(&mut out, start, j - 1);
                    push(&mut out, j - 1, j + 2);
                    i = j + 2;
                    continue;
                }
                // "n'" with another continuation ("Mon'Rae"): treat the apostrophe as inner.
                if chars.get(j + 1).is_some_and(|x| is_word_char(x.1)) && !is_clitic_at(&chars, j + 1) {
                    let mut k = j + 1;
                    while k < n && is_word_char(chars[k].1) {
                        k += 1;
                    }
                    end = k;
                }
            }
            // Keep a final period on abbreviations, initials and dotted acronyms, and on list
            // numbers at the start of a line ("4. El Hassane Lahssini").
            let line_start =
                chars[..start].iter().rev().find(|x| x.1 != ' ' && x.1 != '\t').is_none_or(|x| x.1 == '\n');
            let list_number =
                line_start && end - start <= 2 && chars[start..end].iter().all(|x| x.1.is_ascii_digit());
            if end < n && chars[end].1 == '.' && (list_number || keeps_period(&chars[start..end])) {
                end += 1;
            }
            push(&mut out, start, end);
            i = end;
            continue;
        }
        if is_apostrophe(c) && is_clitic_at(&chars, i + 1) {
            // "'s", "’re", "'ll" ... as one token.
            let mut j = i + 1;
            while j < n && chars[j].1.is_alphabetic() {
                j += 1;
            }
            push(&mut out, i, j);
            i = j;
            continue;
        }
        // Punctuation: runs of the same char ("...", "--", "''") form one token.
        let mut j = i + 1;
        if matches!(c, '.' | '-' | '\'' | '`' | '=' | '*' | '!' | '?') {
            while j < n && chars[j].1 == c {
                j += 1;
            }
        }
        push(&mut out, i, j);
        i = j;
    }
    out
}

/// Is there an English clitic (`s`, `re`, `ve`, `ll`, `d`, `m`, `t`) at `i`, followed by a non-word char?
fn is_clitic_at(chars: &[(usize, char)], i: usize) -> bool {
    let mut j = i;
    let mut buf = [0u8; 3];
    let mut len = 0;
    while j < chars.len() && chars[j].1.is_alphabetic() {
        if len == 2 {
            return false;
        }
        buf[len] = chars[j].1.to_ascii_lowercase() as u8;
        len += 1;
        j += 1;
    }
    if j < chars.len() && is_word_char(chars[j].1) {
        return false;
    }
    matches!(&buf[..len], b"s" | b"re" | b"ve" | b"ll" | b"d" | b"m" | b"t")
}

fn keeps_period(word: &[(usize, char)]) -> bool {
    if word.iter().any(|x| x.1 == '.') {
        return true; // "U.S" + "." , "p.m" + "."
    }
    if word.len() == 1 && word[0].1.is_alphabetic() {
        return true; // initial: "J."
    }
    if word.len() > 6 || !word.iter().all(|x| x.1.is_ascii_alphabetic()) {
        return false;
    }
    let mut lower = [0u8; 6];
    for (k, x) in word.iter().enumerate() {
        lower[k] = x.1.to_ascii_lowercase() as u8;
    }
    let w = &lower[..word.len()];
    ABBREVIATIONS.iter().any(|a| a.as_bytes() == w)
}

/// Splits pre-tokenised text (tokens separated by whitespace, as in CoNLL files) into tokens.
pub fn tokenize_whitespace(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut ci = 0;
    for (bi, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some((sb, sc)) = start.take() {
                out.push(Token { start: sb, end: bi, char_start: sc, char_end: ci });
            }
        } else if start.is_none() {
            start = Some((bi, ci));
        }
        ci += 1;
    }
    if let Some((sb, sc)) = start {
        out.push(Token { start: sb, end: text.len(), char_start: sc, char_end: ci });
    }
    out
}

/// Groups tokens into sentences, returned as `[start, end)` token index ranges.
///
/// A sentence ends at a line break, or after `.`, `!`, `?` (plus closing quotes/brackets) when
/// the next token does not start with a lowercase letter. Very long runs are cut at 250 tokens
/// so that tagging time stays bounded.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let end_here = if i + 1 == tokens.len() {
            true
        } else {
            let gap = &text[tokens[i].end..tokens[i + 1].start];
            let next = tokens[i + 1].text(text);
            let next_c = next.chars().next().unwrap_or(' ');
            if gap.contains('\n') || i + 1 - start >= 250 {
                true
            } else {
                let t = tokens[i].text(text);
                let terminal = matches!(t, "." | "!" | "?" | "..." | "…" | "!!" | "??" | "?!")
                    || (is_closer(t) && i > start && ends_sentence_punct(tokens[i - 1].text(text)));
                terminal && !next_c.is_lowercase() && !is_closer(next) && next != "," && next != "."
            }
        };
        if end_here {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    out
}

fn ends_sentence_punct(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "...")
}

fn is_closer(t: &str) -> bool {
    matches!(t, "\"" | "”" | "’" | "'" | "''" | ")" | "]" | "»")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_punctuation_and_clitics() {
        assert_eq!(
            toks("“We need NATO,” Kelin said. They don't."),
            ["“", "We", "need", "NATO", ",", "”", "Kelin", "said", ".", "They", "do", "n't", "."]
        );
        assert_eq!(toks("Russia's and O'Brien's"), ["Russia", "'s", "and", "O'Brien", "'s"]);
        assert_eq!(
            toks("Mr. J. Smith, Inc. paid $1,000.50 at 3 p.m."),
            ["Mr.", "J.", "Smith", ",", "Inc.", "paid", "$", "1,000.50", "at", "3", "p.m."]
        );
        assert_eq!(toks("/TASS/. -- wait..."), ["/", "TASS", "/", ".", "--", "wait", "..."]);
        assert_eq!(toks("1. Smith 3/4\n2. Jones 1996."), ["1.", "Smith", "3/4", "2.", "Jones", "1996", "."]);
        assert_eq!(toks("C$1.5 and $2"), ["C$", "1.5", "and", "$", "2"]);
    }

    #[test]
    fn keeps_conll_tokens_whole() {
        let text = "U.S. 's Clinton said n't ( EU ) 1996-08-30 .";
        assert_eq!(toks(text), tokenize_whitespace(text).iter().map(|t| t.text(text)).collect::<Vec<_>>());
    }

    #[test]
    fn char_offsets_count_scalars() {
        let text = "«Мы» Kelin";
        let t = tokenize(text);
        let last = t.last().unwrap();
        assert_eq!((last.char_start, last.char_end), (5, 10));
        assert_eq!(last.text(text), "Kelin");
    }

    #[test]
    fn sentence_split() {
        let text = "Kelin said this. NATO agreed.\nNew line here Mr. Smith said";
        let t = tokenize(text);
        let s = sentences(text, &t);
        let first: Vec<&str> = (s[0].0..s[0].1).map(|i| t[i].text(text)).collect();
        assert_eq!(first, ["Kelin", "said", "this", "."]);
        assert_eq!(s.len(), 3);
        assert!(sentences("", &[]).is_empty());
    }
}
