//! Shallow text structure shared by the quote and event finders: word/punctuation tokens,
//! paragraphs, quotation regions and sentences, all by byte offset into the body.
//!
//! Everything here is one linear pass over the text; nothing allocates per character.

/// One token: a word (letters, digits and word-internal `’ ' - .`) or a single punctuation char.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub s: usize,
    pub e: usize,
    pub word: bool,
    /// A line break lies between the previous token and this one.
    pub nl_before: bool,
}

/// A quotation: from the opening mark to the closing mark (token indices, both inclusive).
/// `open_ended` quotes run to the end of their paragraph without a closing mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QRegion {
    pub open: usize,
    pub close: usize,
    pub open_ended: bool,
}

/// A sentence (or a longer quoted stretch with its frame), as a token range `[a, b)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    pub a: usize,
    pub b: usize,
    pub para: usize,
}

/// A tokenised document.
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
    pub quotes: Vec<QRegion>,
    pub sents: Vec<Sent>,
    /// For each token, the index into `quotes` of the quotation it lies in (marks included).
    pub in_quote: Vec<Option<u32>>,
    /// Lowercase tokens that have an uppercase letter, one after another ([`Doc::lower`]).
    pub(crate) lower_buf: String,
    /// Each token's lowercase: a byte range of `lower_buf` (`true`) or of `text`.
    pub(crate) lower_at: Vec<(u32, u32, bool)>,
}

/// Abbreviations that keep their trailing period (lowercase, without the period).
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr", "sr", "prof", "rev",
    "capt", "maj", "adm", "cmdr", "inc", "corp", "ltd", "co", "jan", "feb", "mar", "apr", "aug", "sept",
    "sep", "oct", "nov", "dec", "no", "vs", "etc", "ft", "mt", "pres", "gens", "reps", "sens", "messrs",
    "dept", "univ", "approx", "est", "fig", "vol",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True for characters that can join two word parts (`don’t`, `vice-president`, `U.S`).
fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | '‑' | '&')
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(text.len() / 5);
    let mut it = text.char_indices().peekable();
    let mut nl = false;
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            if c == '\n' || c == '\r' || c == '\u{2029}' {
                nl = true;
            }
            continue;
        }
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            loop {
                match it.peek().copied() {
                    Some((_, d)) if is_word_char(d) => {
                        end += d.len_utf8();
                        it.next();
                    }
                    Some((j, d)) if is_joiner(d) => {
                        // Join only when a word char follows the joiner.
                        let after = text[j + d.len_utf8()..].chars().next();
                        if after.is_some_and(is_word_char) {
                            end = j + d.len_utf8();
                            it.next();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            // Keep the period of abbreviations, initials and dotted acronyms (U.S.).
            if text[end..].starts_with('.') {
                let w = &text[i..end];
                let single_initial = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
                let dotted = w.contains('.') && w.chars().all(|c| c.is_alphabetic() || c == '.');
                if single_initial || dotted || ABBREV.iter().any(|a| a.eq_ignore_ascii_case(w)) {
                    end += 1;
                    it.next();
                }
            }
            toks.push(Tok { s: i, e: end, word: true, nl_before: nl });
        } else {
            toks.push(Tok { s: i, e: i + c.len_utf8(), word: false, nl_before: nl });
        }
        nl = false;
    }
    toks
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let toks = tokenize(text);
        let quotes = find_quotes(text, &toks);
        let mut in_quote = vec![None; toks.len()];
        for (qi, q) in quotes.iter().enumerate() {
            for slot in &mut in_quote[q.open..=q.close] {
                *slot = Some(qi as u32);
            }
        }
        // Every token in lowercase, once: the rules and the tagger read them many times.
        let mut lower_buf = String::new();
        let lower_at = toks
            .iter()
            .map(|t| {
                let w = &text[t.s..t.e];
                let ascii = w.is_ascii();
                let upper = if ascii {
                    w.bytes().any(|c| c.is_ascii_uppercase())
                } else {
                    w.chars().any(char::is_uppercase)
                };
                if !upper {
                    return (t.s as u32, t.e as u32, false);
                }
                let s = lower_buf.len();
                if ascii {
                    lower_buf.extend(w.bytes().map(|c| c.to_ascii_lowercase() as char));
                } else {
                    lower_buf.push_str(&w.to_lowercase());
                }
                (s as u32, lower_buf.len() as u32, true)
            })
            .collect();
        let mut doc = Doc { text, toks, quotes, sents: Vec::new(), in_quote, lower_buf, lower_at };
        doc.sents = doc.split_sentences();
        doc
    }

    /// Token `i` in lowercase.
    pub fn lower(&self, i: usize) -> &str {
        let (s, e, in_buf) = self.lower_at[i];
        if in_buf { &self.lower_buf[s as usize..e as usize] } else { &self.text[s as usize..e as usize] }
    }

    pub fn tok(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.text[t.s..t.e]
    }

    pub fn first_char(&self, i: usize) -> char {
        self.tok(i).chars().next().unwrap_or(' ')
    }

    pub fn is_cap(&self, i: usize) -> bool {
        self.toks[i].word && self.first_char(i).is_uppercase()
    }

    pub fn is(&self, i: usize, s: &str) -> bool {
        self.tok(i) == s
    }

    fn split_sentences(&self) -> Vec<Sent> {
        let n = self.toks.len();
        let mut out = Vec::new();
        let mut a = 0;
        let mut para = 0;
        let mut i = 0;
        while i < n {
            if i > a && self.toks[i].nl_before {
                out.push(Sent { a, b: i, para });
                para += 1;
                a = i;
            }
            let t = self.tok(i);
            // `2:45 p.m. Connecticut’s tax commissioner says …`
            if matches!(t, "a.m." | "p.m.")
                && i + 1 < n
                && self.is_cap(i + 1)
                && !self.toks[i + 1].nl_before
                && self.in_quote[i].is_none()
            {
                out.push(Sent { a, b: i + 1, para });
                a = i + 1;
                i += 1;
                continue;
            }
            if matches!(t, "." | "!" | "?" | "…") {
                // Swallow further terminators and closing marks.
                let mut j = i + 1;
                while j < n && !self.toks[j].nl_before && is_sentence_closer(self.tok(j)) {
                    if self.in_quote[j].is_some_and(|q| self.quotes[q as usize].open == j) {
                        break; // the opening mark of the next quotation
                    }
                    if let Some(q) = self.in_quote[i]
                        && self.quotes[q as usize].close == j
                    {
                        j += 1;
                        break;
                    }
                    j += 1;
                }
                // Inside a quotation, a terminator only ends the sentence together with the
                // closing mark (`“A.” She said` splits, `“A. B,” he said` does not).
                let inside = self.in_quote[i].is_some_and(|q| self.quotes[q as usize].close >= j);
                let next_starts = j >= n
                    || self.toks[j].nl_before
                    || self.first_char(j).is_uppercase()
                    || self.first_char(j).is_ascii_digit()
                    || is_opening_mark(self.tok(j))
                    || self.in_quote[j].is_some_and(|q| self.quotes[q as usize].open == j);
                if !inside && next_starts && j < n && !self.toks[j].nl_before {
                    out.push(Sent { a, b: j, para });
                    a = j;
                }
                i = j;
                continue;
            }
            i += 1;
        }
        if a < n {
            out.push(Sent { a, b: n, para });
        }
        out
    }
}

fn is_sentence_closer(t: &str) -> bool {
    matches!(t, "." | "!" | "?" | "…" | "”" | "\"" | "’" | "'" | ")" | "]" | "»")
}

fn is_opening_mark(t: &str) -> bool {
    matches!(t, "“" | "\"" | "„" | "«" | "‘" | "(" | "[")
}

/// Pairs quotation marks within each paragraph. Typographic marks pair by shape, ASCII `"`
/// by context; `‘…’` counts only when it opens after a space and closes before a non-letter.
/// A paragraph that opens a quotation without closing it gives an open-ended region.
fn find_quotes(text: &str, toks: &[Tok]) -> Vec<QRegion> {
    let mut out = Vec::new();
    let n = toks.len();
    let t = |i: usize| &text[toks[i].s..toks[i].e];
    // End of the paragraph each token is in (precomputed: one pass, not one scan per mark).
    let mut pend = vec![n; n];
    for j in (0..n.saturating_sub(1)).rev() {
        pend[j] = if toks[j + 1].nl_before { j + 1 } else { pend[j + 1] };
    }
    let para_end = |from: usize| pend[from];
    let prev_is_space = |i: usize| i == 0 || toks[i].nl_before || toks[i - 1].e < toks[i].s;
    let next_is_space = |i: usize| i + 1 >= n || toks[i + 1].nl_before || toks[i].e < toks[i + 1].s;
    // `‘08`, `‘em`, `rock ‘n’ roll`: an apostrophe written as an opening mark, which would
    // otherwise pair with the next closing one and swallow the sentences between.
    let elision = |i: usize| {
        i + 1 < n
            && toks[i].e == toks[i + 1].s
            && (t(i + 1).starts_with(|c: char| c.is_ascii_digit())
                || matches!(t(i + 1), "em" | "til" | "cause" | "n" | "tis" | "twas"))
    };
    let mut i = 0;
    while i < n {
        let open = t(i);
        let closers: &[&str] = match open {
            "“" => &["”", "“", "\""],
            // A closing mark typed as the opening one at the start of a paragraph.
            "”" if is_para_start(toks, i) && i + 1 < n && toks[i + 1].word => &["”", "“"],
            "„" => &["“", "”"],
            "«" => &["»"],
            "\"" if prev_is_space(i) || !toks[i - 1].word => &["\"", "”"],
            "‘" if (prev_is_space(i) || matches!(t(i - 1), "“" | "\"" | "(")) && !elision(i) => &["’"],
            "'" if i + 1 < n && t(i + 1) == "'" && toks[i].e == toks[i + 1].s => {
                // ASCII doubled quotes (`''…''`, as some archives write them).
                let end = para_end(i);
                let close = (i + 2..end.saturating_sub(1))
                    .find(|&j| t(j) == "'" && t(j + 1) == "'" && toks[j].e == toks[j + 1].s);
                match close {
                    Some(c) if c > i + 2 => {
                        out.push(QRegion { open: i, close: c + 1, open_ended: false });
                        i = c + 2;
                    }
                    _ => i += 2,
                }
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let end = para_end(i);
        let mut close = None;
        let mut j = i + 1;
        while j < end {
            let tj = t(j);
            if closers.contains(&tj) {
                let ok = match tj {
                    // “…“ (a closing mark typed as opening) only when it is followed by space or punct.
                    "“" if open == "“" => next_is_space(j) || (j + 1 < n && !toks[j + 1].word),
                    "\"" => !prev_is_space(j) || next_is_space(j) || j + 1 == end,
                    "’" => next_is_space(j) || (j + 1 < n && !toks[j + 1].word),
                    _ => true,
                };
                if ok {
                    close = Some(j);
                    break;
                }
            }
            j += 1;
        }
        match close {
            Some(c) if c > i + 1 => {
                out.push(QRegion { open: i, close: c, open_ended: false });
                i = c + 1;
            }
            Some(c) => i = c + 1,
            None => {
                // Single quotes never run open-ended: too many are apostrophes.
                if open != "‘" && end > i + 1 && is_para_start(toks, i) {
                    out.push(QRegion { open: i, close: end - 1, open_ended: true });
                    i = end;
                } else {
                    i += 1;
                }
            }
        }
    }
    out
}

fn is_para_start(toks: &[Tok], i: usize) -> bool {
    i == 0 || toks[i].nl_before
}

/// Byte offset → char offset, for turning spans into [`newsloom_model::Span`] values.
pub(crate) struct CharMap {
    /// `idx[b]` = number of chars before byte `b` (only filled at char boundaries).
    idx: Vec<u32>,
}

impl CharMap {
    pub fn new(text: &str) -> Self {
        let mut idx = vec![0u32; text.len() + 1];
        let mut count = 0u32;
        for (b, _) in text.char_indices() {
            idx[b] = count;
            count += 1;
        }
        idx[text.len()] = count;
        Self { idx }
    }

    pub fn char(&self, byte: usize) -> usize {
        self.idx.get(byte).copied().unwrap_or(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(d: &Doc, s: Sent) -> String {
        d.text[d.toks[s.a].s..d.toks[s.b - 1].e].to_string()
    }

    #[test]
    fn tokens_keep_abbreviations_and_possessives() {
        let text = "Mr. Kelin’s U.S. visit, he said.";
        let d = Doc::new(text);
        let toks: Vec<&str> = (0..d.toks.len()).map(|i| d.tok(i)).collect();
        assert_eq!(toks, ["Mr.", "Kelin’s", "U.S.", "visit", ",", "he", "said", "."]);
    }

    #[test]
    fn sentences_do_not_split_inside_quotes() {
        let text = "“We agree. We will go,” he said. She left.\n\n“Yes.” He nodded.";
        let d = Doc::new(text);
        let s: Vec<String> = d.sents.iter().map(|&s| words(&d, s)).collect();
        assert_eq!(s, ["“We agree. We will go,” he said.", "She left.", "“Yes.”", "He nodded."]);
        assert_eq!(d.sents[2].para, 1);
    }

    #[test]
    fn elisions_are_not_opening_marks() {
        let d = Doc::new(
            "Rep. Hank Johnson said in ‘08 that voters had changed. “It is a new time,” he said. “The ‘blame game’ is over.”",
        );
        // Three sentences: the `‘08` apostrophe does not open a quotation closing at `game’`.
        assert_eq!(d.sents.len(), 3);
        assert!(d.quotes.iter().all(|q| d.tok(q.open) != "‘" || d.tok(q.open + 1) == "blame"));
    }

    #[test]
    fn quote_styles_pair_up() {
        for text in ["He said «Да» now.", "He said „Ja“ now.", "He said \"yes\" now.", "He said ‘yes’ now."]
        {
            let d = Doc::new(text);
            assert_eq!(d.quotes.len(), 1, "{text}");
            assert_eq!(d.tok(d.quotes[0].open + 1).to_lowercase(), d.tok(3).to_lowercase());
        }
        // Apostrophes are not quotation marks.
        let d = Doc::new("The Democrats’ plan isn’t Trump’s.");
        assert!(d.quotes.is_empty());
    }

    #[test]
    fn open_paragraph_quote_runs_to_paragraph_end() {
        let d = Doc::new("“First part of it.\n\n“Second part,” she said.");
        assert_eq!(d.quotes.len(), 2);
        assert!(d.quotes[0].open_ended);
        assert!(!d.quotes[1].open_ended);
    }

    #[test]
    fn char_map_counts_chars() {
        let m = CharMap::new("«Мы» a");
        assert_eq!(m.char("«Мы» ".len()), 5);
    }
}
