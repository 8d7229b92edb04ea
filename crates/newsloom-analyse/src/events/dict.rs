//! Readers for PETRARCH/TABARI-format dictionaries: verb patterns (`--- BLOCK [code] ---`,
//! verb forms, `- pre * post [code]` patterns, `&SYNSET`s), actors (`NAME [CODE]`,
//! `+SYNONYM`, date-restricted codes) and agents (`NAME [~AGT]`, `!MACRO!`s).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A small fast hasher for short dictionary words (the FxHash mix used by rustc); the keys
/// are our own dictionary entries, so DoS resistance does not matter here.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        // Mix the high bits down: the table indexes by the low bits.
        let x = (self.0 ^ (self.0 >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 29)
    }
}

/// A 64-bit hash of a word, for sets that only pre-filter (a collision costs an exact lookup
/// later, never a wrong result).
pub(crate) fn word_hash(w: &str) -> u64 {
    let mut h = Fx::default();
    h.write(w.as_bytes());
    h.write_usize(w.len());
    h.finish()
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;
pub(crate) type FxSet<K> = HashSet<K, FxBuild>;

/// A 512-bit Bloom signature of words, to skip patterns whose words a sentence lacks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sig(pub [u64; 8]);

impl Sig {
    pub fn add(&mut self, w: &str) {
        let mut h = Fx::default();
        h.write(w.as_bytes());
        let x = h.finish();
        let bit = (x >> 55) as usize; // 0..512
        self.0[bit / 64] |= 1 << (bit % 64);
    }
    pub fn covers(&self, other: &Sig) -> bool {
        self.0.iter().zip(&other.0).all(|(a, b)| b & !a == 0)
    }
}

/// A CAMEO code pair from a pattern: `[041:042]` codes the event source→target as 041 and
/// target→source as 042; `[:051]` only the reverse; `[---]` nothing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CodePair {
    pub fwd: Option<String>,
    pub rev: Option<String>,
}

impl CodePair {
    fn parse(s: &str) -> Option<CodePair> {
        let s = s.trim();
        let (a, b) = s.split_once(':').unwrap_or((s, ""));
        let norm = |x: &str| {
            let x = x.trim();
            (!x.is_empty() && !x.starts_with("---")).then(|| x.to_string())
        };
        let c = CodePair { fwd: norm(a), rev: norm(b) };
        (c.fwd.is_some() || c.rev.is_some()).then_some(c)
    }
}

/// A word in a pattern or phrase: matched exactly when it ended in `_`, else as a stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PWord {
    Lit {
        w: String,
        exact: bool,
    },
    Syn(usize),
    /// `%` in a pattern: the source (before `*`) or target (after) is a compound actor.
    Compound,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub pre: Vec<PWord>,
    pub post: Vec<PWord>,
    /// `pre_tight[k]`: `pre[k]` is joined by `_` to what follows it (the next pre word, or
    /// the verb for the last one), so nothing may come between them.
    pub pre_tight: Vec<bool>,
    /// `post_tight[k]`: `post[k]` is joined by `_` to what precedes it (the previous post
    /// word, or the verb for the first one).
    pub post_tight: Vec<bool>,
    /// `post_in_pp[k]`: `post[k]` is inside a parenthesised group after its first word —
    /// `(TO SANCTIONS)` is a prepositional phrase, whose words no verb comes between (PETRARCH2
    /// matches it against a PP of the parse, so `to lift the sanctions` is not one).
    pub post_in_pp: Vec<bool>,
    pub code: Option<CodePair>,
    /// Signature of the literal words, for [`Sig::covers`].
    pub sig: Sig,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct VerbBlock {
    pub default: Option<CodePair>,
    pub patterns: Vec<Pattern>,
}

/// One verb form (`CARRIED OUT`) with its block and its own code if it has one.
#[derive(Debug, Clone)]
pub(crate) struct VerbForm {
    pub rest: Vec<String>,
    pub block: usize,
    pub own: Option<Option<CodePair>>,
}

#[derive(Debug, Default)]
pub(crate) struct VerbDict {
    pub blocks: Vec<VerbBlock>,
    /// By the form's first word.
    pub forms: FxMap<String, Vec<VerbForm>>,
    pub synsets: Vec<Vec<Vec<String>>>,
    /// The `~` transformation rules for nested events (see [`super::compose`]).
    pub transforms: Vec<super::compose::Transform>,
    syn_ids: HashMap<String, usize>,
    block_ids: HashMap<String, usize>,
}

fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("").trim_end()
}

/// Regular English forms of a verb: -S, -ED, -ING.
fn regular_forms(v: &str) -> Vec<String> {
    let mut out = vec![v.to_string()];
    let last = v.chars().last().unwrap_or(' ');
    let prev = v.chars().rev().nth(1).unwrap_or(' ');
    let vowel = |c: char| "AEIOU".contains(c);
    if v.ends_with('S') || v.ends_with('X') || v.ends_with('Z') || v.ends_with("CH") || v.ends_with("SH") {
        out.push(format!("{v}ES"));
    } else if last == 'Y' && !vowel(prev) {
        out.push(format!("{}IES", &v[..v.len() - 1]));
    } else {
        out.push(format!("{v}S"));
    }
    if last == 'E' {
        out.push(format!("{v}D"));
        out.push(format!("{}ING", &v[..v.len() - 1]));
    } else if last == 'Y' && !vowel(prev) {
        out.push(format!("{}IED", &v[..v.len() - 1]));
        out.push(format!("{v}ING"));
    } else {
        out.push(format!("{v}ED"));
        out.push(format!("{v}ING"));
    }
    out
}

fn words_of(s: &str) -> Vec<String> {
    s.split(['_', ' ']).filter(|w| !w.is_empty()).map(str::to_uppercase).collect()
}

impl VerbDict {
    /// Parses a verb dictionary; several texts can be loaded into one dictionary (later
    /// blocks with a known name add patterns and verbs to the earlier block).
    pub fn load(&mut self, text: &str) {
        let mut block: Option<usize> = None;
        let mut syn: Option<usize> = None;
        for raw in text.lines() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with("<!") {
                if line.is_empty() {
                    syn = None;
                }
                continue;
            }
            let line = strip_comment(line).trim();
            if line.is_empty() {
                continue;
            }
            if line.starts_with('~') {
                self.transforms.extend(super::compose::Transform::parse(line));
                continue;
            }
            if let Some(rest) = line.strip_prefix("---") {
                syn = None;
                // `---  GET   [---]  ---`
                let rest = rest.trim().trim_end_matches('-').trim();
                let (name, code) = match rest.find('[') {
                    Some(i) => (rest[..i].trim(), rest[i + 1..].split(']').next().unwrap_or("")),
                    None => (rest, ""),
                };
                let id = match self.block_ids.get(name) {
                    Some(&id) => id,
                    None => {
                        self.blocks.push(VerbBlock { default: CodePair::parse(code), patterns: Vec::new() });
                        self.block_ids.insert(name.to_string(), self.blocks.len() - 1);
                        self.blocks.len() - 1
                    }
                };
                block = Some(id);
                continue;
            }
            if let Some(name) = line.strip_prefix('&') {
                let name = name.trim().trim_end_matches('_').to_uppercase();
                let id = *self.syn_ids.entry(name).or_insert_with(|| {
                    self.synsets.push(Vec::new());
                    self.synsets.len() - 1
                });
                syn = Some(id);
                continue;
            }
            if let Some(id) = syn
                && let Some(w) = line.strip_prefix('+')
            {
                let ws = words_of(w.trim());
                if !ws.is_empty() {
                    self.synsets[id].push(ws);
                }
                continue;
            }
            let Some(b) = block else { continue };
            if let Some(p) = line.strip_prefix('-') {
                if let Some(pat) = self.parse_pattern(p) {
                    self.blocks[b].patterns.push(pat);
                }
                continue;
            }
            self.parse_verb_line(line, b);
        }
        let mut rules = std::mem::take(&mut self.transforms);
        for t in &mut rules {
            t.resolve(self);
        }
        self.transforms = rules;
    }

    /// The code of a one-word verb (its own, else its block's): how transformation rules name codes.
    pub fn code_of(&self, verb: &str) -> Option<String> {
        let f = self.forms.get(verb)?.iter().find(|f| f.rest.is_empty())?;
        let code = match &f.own {
            Some(c) => c.clone(),
            None => self.blocks[f.block].default.clone(),
        };
        code?.fwd
    }

    fn parse_verb_line(&mut self, line: &str, block: usize) {
        // `GET {GETS GETTING GOT GOTTEN } [code]`, `+CARRY_OUT {+CARRIED_OUT}`, `SUSPEND`
        let (head, rest) = match line.find('{') {
            Some(i) => (&line[..i], &line[i..]),
            None => (line, ""),
        };
        let mut own = None;
        let mut head = head.to_string();
        if let Some(i) = head.find('[') {
            own = Some(CodePair::parse(head[i + 1..].split(']').next().unwrap_or("")));
            head.truncate(i);
        }
        let (irregular, after) = match rest.find('}') {
            Some(i) => (&rest[1..i], &rest[i + 1..]),
            None => ("", rest),
        };
        if let Some(i) = after.find('[') {
            own = Some(CodePair::parse(after[i + 1..].split(']').next().unwrap_or("")));
        }
        let base = head.trim().trim_end_matches('_');
        if base.is_empty() || base.contains(' ') {
            return;
        }
        // In a multi-word verb the word marked `+` is the one that inflects (`+CARRY_OUT`,
        // `WIRE_+TAP` → `WIRE TAPS`, `WIRE TAPPED`); unmarked, the first word does.
        let marked = |s: &str| -> (Vec<String>, usize) {
            let raw: Vec<&str> = s.split(['_', ' ']).filter(|w| !w.is_empty()).collect();
            let at = raw.iter().position(|w| w.starts_with('+')).unwrap_or(0);
            (raw.iter().map(|w| w.trim_start_matches('+').to_uppercase()).collect(), at)
        };
        let (words, at) = marked(base);
        let Some(inflected) = words.get(at) else { return };
        let mut forms: Vec<Vec<String>> = regular_forms(inflected)
            .into_iter()
            .map(|f| {
                let mut ws = words.clone();
                ws[at] = f;
                ws
            })
            .collect();
        for irr in irregular.split_whitespace() {
            let (ws, _) = marked(irr.trim_end_matches('_'));
            if !ws.is_empty() && ws.iter().all(|w| !w.is_empty()) {
                forms.push(ws);
            }
        }
        for f in forms {
            let mut it = f.into_iter();
            let Some(w0) = it.next() else { continue };
            let entry = self.forms.entry(w0).or_default();
            let vf = VerbForm { rest: it.collect(), block, own: own.clone() };
            if !entry.iter().any(|e| e.rest == vf.rest && e.block == vf.block) {
                entry.push(vf);
            }
        }
    }

    fn parse_pattern(&mut self, p: &str) -> Option<Pattern> {
        let (body, code) = match p.find('[') {
            Some(i) => (&p[..i], p[i + 1..].split(']').next().unwrap_or("")),
            None => return None,
        };
        let code = CodePair::parse(code);
        let mut pre = Vec::new();
        let mut post = Vec::new();
        // Words joined by `_` are consecutive; words apart (a space) may have others between
        // them. `*` can be joined too (`FAILED_TO_*`, `*_TO_PROVIDE`, `WOULD_*_TALKS`).
        let mut pre_tight: Vec<bool> = Vec::new();
        let mut post_tight: Vec<bool> = Vec::new();
        let mut seen_star = false;
        let mut post_in_pp: Vec<bool> = Vec::new();
        // Inside `( … )`: Some(words of the group seen so far).
        let mut pp: Option<usize> = None;
        for tok in body.split_whitespace() {
            if tok.starts_with('(') {
                pp = Some(0);
            }
            let closes = tok.ends_with(')');
            if tok == "%" {
                if seen_star {
                    post.push(PWord::Compound);
                    post_tight.push(false);
                    post_in_pp.push(false);
                } else {
                    pre.push(PWord::Compound);
                    pre_tight.push(false);
                }
                continue;
            }
            let t: String = tok.chars().filter(|c| !"(){}$+%^|".contains(*c)).collect();
            if t.is_empty() {
                if closes {
                    pp = None;
                }
                continue;
            }
            // `MOST_CERTAINLY_&NEGATVAUXVRB_EVER`: words and synset references joined by `_`.
            let exact = t.ends_with('_');
            let mut joined = false; // this piece is joined by `_` to the one before it
            for piece in t.split('_') {
                if piece.is_empty() {
                    continue;
                }
                if piece == "*" {
                    seen_star = true;
                    if joined && let Some(last) = pre_tight.last_mut() {
                        *last = true;
                    }
                    joined = true;
                    continue;
                }
                let w = if let Some(name) = piece.strip_prefix('&') {
                    let name = name.to_uppercase();
                    let id = *self.syn_ids.entry(name).or_insert_with(|| {
                        self.synsets.push(Vec::new());
                        self.synsets.len() - 1
                    });
                    PWord::Syn(id)
                } else {
                    PWord::Lit { w: piece.to_uppercase(), exact }
                };
                if seen_star {
                    post.push(w);
                    post_tight.push(joined);
                    post_in_pp.push(pp.is_some_and(|n| n > 0));
                    if let Some(n) = pp.as_mut() {
                        *n += 1;
                    }
                } else {
                    // A pre word is tight when the next piece (word or `*`) is joined to it.
                    if joined && let Some(last) = pre_tight.last_mut() {
                        *last = true;
                    }
                    pre.push(w);
                    pre_tight.push(false);
                }
                joined = true;
            }
            if closes {
                pp = None;
            }
        }
        post_in_pp.resize(post.len(), false);
        if !seen_star {
            return None;
        }
        if pre.is_empty() && post.is_empty() && body.contains('%') {
            pre.push(PWord::Compound);
            pre_tight.push(false);
        }
        let mut sig = Sig::default();
        for pw in pre.iter().chain(&post) {
            if let PWord::Lit { w, .. } = pw {
                sig.add(w);
            }
        }
        Some(Pattern { pre, post, pre_tight, post_tight, post_in_pp, code, sig })
    }
}

/// A code with an optional validity window (yyyymmdd, inclusive).
#[derive(Debug, Clone)]
pub(crate) struct DatedCode {
    pub code: String,
    pub from: u32,
    pub to: u32,
}

/// Multi-word phrases (actor names, agent nouns) by their first word.
#[derive(Debug, Default)]
pub(crate) struct PhraseDict {
    /// first word → (remaining words, last word exact?, entry index)
    pub by_first: FxMap<String, Vec<(Vec<String>, bool, usize)>>,
    /// Phrases of two or more words by `FIRST SECOND` → (words after the second, last word
    /// exact?, entry index). Keeps lookups short for common first words (`THE`, `UNITED`).
    pub by_pair: FxMap<String, Vec<(Vec<String>, bool, usize)>>,
    /// First words of the phrases in `by_pair`.
    pub pair_first: FxSet<String>,
    /// First words of two-word phrases whose second word is a stem (`DEFENSE_MINIST`).
    pub pair_stem_first: FxSet<String>,
    pub entries: Vec<Vec<DatedCode>>,
    /// Per slot of [`word_hash`] (2^18 slots, 256 KB): which of `by_first`, `pair_first` and
    /// `pair_stem_first` may hold a word hashing there ([`WordFlags`]). A miss here costs one byte read and no
    /// heap string compare; a hit is confirmed by the exact lookup.
    flags: Vec<u8>,
}

const FLAG_BITS: u32 = 18;

#[inline]
fn flag_slot(w: &str) -> usize {
    (word_hash(w) >> (64 - FLAG_BITS)) as usize
}

/// Bits of [`PhraseDict::flags`].
pub(crate) struct WordFlags;

impl WordFlags {
    pub const BY_FIRST: u8 = 1;
    pub const PAIR_FIRST: u8 = 2;
    pub const PAIR_STEM_FIRST: u8 = 4;
}

/// A 65,536-bit set of the first (up to) four bytes of words: a word whose leading bytes are
/// not in it equals none of the words, and extends no word of four or more bytes.
#[derive(Debug, Clone)]
pub(crate) struct PrefixBits(Vec<u64>);

impl Default for PrefixBits {
    /// An empty set lets everything through (before it is built).
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl PrefixBits {
    #[inline]
    fn bit(w: &str) -> (usize, u64) {
        let b = w.as_bytes();
        let n = b.len().min(4);
        let mut x = n as u64;
        for &c in &b[..n] {
            x = (x << 8) | c as u64;
        }
        let h = (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize;
        (h >> 6, 1u64 << (h & 63))
    }

    /// Adds words (to an empty, let-everything-through set too, which then starts filtering).
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a String>) {
        if self.0.is_empty() {
            self.0 = vec![0u64; 1024];
        }
        for w in words {
            let (i, b) = Self::bit(w);
            self.0[i] |= b;
        }
    }

    /// False only when no word of the set can equal or be a prefix (of 4+ bytes) of `w`.
    #[inline]
    pub fn may_contain(&self, w: &str) -> bool {
        let (i, b) = Self::bit(w);
        self.0.get(i).is_none_or(|x| x & b != 0)
    }
}

/// `yymmdd` (Phoenix) or `yyyymmdd` (validation files) → yyyymmdd.
fn yymmdd(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    let yy = n / 10000;
    // PETRARCH2's (and TABARI's) pivot: 00–30 are 20YY, 31–99 are 19YY (`350101` is 1935).
    let year = if yy > 30 { 1900 + yy } else { 2000 + yy };
    Some(year * 10000 + n % 10000)
}

/// `RUSGOV 991231-080507`, `RUSGOV >080508`, `RUSGOV <080508`, `RUS`; spaces inside the
/// restriction are allowed (`HOB < 950601`, `HOBGOV 19950601 - 19990815`).
///
/// `>D` includes its day and `<D` excludes it (so `<D` and `>D` meet without overlapping);
/// `A-B` includes both ends (the validation records code B itself with the range's code).
fn parse_dated(s: &str) -> Option<DatedCode> {
    let mut it = s.split_whitespace();
    let code = it.next()?.trim_start_matches('~').to_uppercase();
    let (mut from, mut to) = (0, u32::MAX);
    let r: String = it.collect();
    let before = |x: &str| yymmdd(x).map_or(u32::MAX, |d| d.saturating_sub(1));
    if let Some(x) = r.strip_prefix('>') {
        from = yymmdd(x).unwrap_or(0);
    } else if let Some(x) = r.strip_prefix('<') {
        to = before(x);
    } else if let Some((a, b)) = r.split_once('-') {
        from = yymmdd(a).unwrap_or(0);
        to = yymmdd(b).unwrap_or(u32::MAX);
    }
    (!code.is_empty()).then_some(DatedCode { code, from, to })
}

impl PhraseDict {
    /// Builds the quick-reject flags; call after loading.
    pub fn finish(&mut self) {
        self.flags = vec![0; 1 << FLAG_BITS];
        for (words, bit) in [
            (self.by_first.keys().collect::<Vec<_>>(), WordFlags::BY_FIRST),
            (self.pair_first.iter().collect(), WordFlags::PAIR_FIRST),
            (self.pair_stem_first.iter().collect(), WordFlags::PAIR_STEM_FIRST),
        ] {
            for w in words {
                self.flags[flag_slot(w)] |= bit;
            }
        }
    }

    /// Which sets may hold `w` ([`WordFlags`]); all bits before [`Self::finish`].
    #[inline]
    pub fn flags(&self, w: &str) -> u8 {
        if self.flags.is_empty() {
            return u8::MAX;
        }
        self.flags.get(flag_slot(w)).copied().unwrap_or(u8::MAX)
    }

    /// Stores a name as PETRARCH2 does: `_` and spaces alike separate its words, and every
    /// word matches only as written (no stems: `+RUSSIAN` is not `RUSSIANS`, `DUMA` not
    /// `DUMAS`; the dictionaries list the plurals they mean, such as `+ISRAELIS`). With
    /// `open_end`, the last word of a phrase of two or more words not ending in `_` may be a
    /// stem: the agents file keeps a few (`DEFENSE_MINIST` for `defense minister`).
    fn add_phrase(&mut self, phrase: &str, entry: usize, open_end: bool) {
        let exact = !open_end || phrase.trim_end().ends_with('_');
        // Hyphens split names as sentences are split (`AL-SHABAAB`, `KI-MOON`): kept whole,
        // such a name could never match a sentence's words.
        let words: Vec<String> = words_of(phrase.trim().trim_end_matches('_'))
            .iter()
            .flat_map(|w| {
                w.split(['-', '‑']).filter(|p| !p.is_empty()).map(str::to_string).collect::<Vec<_>>()
            })
            .collect();
        let Some((first, rest)) = words.split_first() else { return };
        if first.len() < 2 && rest.is_empty() {
            return;
        }
        match rest.split_first() {
            None => self.by_first.entry(first.clone()).or_default().push((Vec::new(), exact, entry)),
            Some((second, more)) => {
                self.pair_first.insert(first.clone());
                if more.is_empty() && !exact {
                    self.pair_stem_first.insert(first.clone());
                }
                self.by_pair.entry(format!("{first} {second}")).or_default().push((
                    more.to_vec(),
                    exact,
                    entry,
                ))
            }
        }
    }

    /// Loads an actor file: `NAME [CODE]` lines, `+SYNONYM` lines, and indented
    /// `[CODE yymmdd-yymmdd]` lines that belong to the last name.
    pub fn load_actors(&mut self, text: &str) {
        let mut pending: Vec<String> = Vec::new();
        let mut codes: Vec<DatedCode> = Vec::new();
        let flush = |this: &mut Self, pending: &mut Vec<String>, codes: &mut Vec<DatedCode>| {
            if !pending.is_empty() && !codes.is_empty() {
                this.entries.push(std::mem::take(codes));
                let id = this.entries.len() - 1;
                for p in pending.drain(..) {
                    this.add_phrase(&p, id, false);
                }
            }
            pending.clear();
            codes.clear();
        };
        for raw in text.lines() {
            if raw.trim_start().starts_with('#') || raw.trim_start().starts_with("<!") {
                continue;
            }
            let line = strip_comment(raw);
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            let indented = raw.starts_with([' ', '\t']);
            let (name, code_part) = match t.find('[') {
                Some(i) => (t[..i].trim(), &t[i..]),
                None => (t, ""),
            };
            let new_codes: Vec<DatedCode> =
                code_part.split('[').filter_map(|c| c.split(']').next()).filter_map(parse_dated).collect();
            if name.is_empty() || (indented && !name.starts_with('+')) {
                codes.extend(new_codes);
                continue;
            }
            if let Some(syn) = name.strip_prefix('+') {
                pending.push(syn.to_string());
                codes.extend(new_codes);
                continue;
            }
            // A new head name: the previous group is complete.
            flush(self, &mut pending, &mut codes);
            pending.push(name.to_string());
            codes.extend(new_codes);
        }
        flush(self, &mut pending, &mut codes);
    }

    /// Loads an agents file: `NAME {PLURALS} [~AGT]` lines with `!MACRO! = A, B` substitutions.
    pub fn load_agents(&mut self, text: &str) {
        let mut macros: Vec<(String, Vec<String>)> = Vec::new();
        for raw in text.lines() {
            let t = strip_comment(raw).trim();
            if t.is_empty() || t.starts_with("<!") {
                continue;
            }
            if t.starts_with('!')
                && let Some((name, vals)) = t.split_once('=')
            {
                let vals = vals.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
                macros.push((name.trim().to_string(), vals));
                continue;
            }
            let Some(i) = t.find('[') else { continue };
            let Some(code) = parse_dated(t[i + 1..].split(']').next().unwrap_or("")) else { continue };
            let mut names_part = t[..i].to_string();
            let mut plurals = Vec::new();
            // `NAME {PLURALS}`: those plurals only (`{}`: none), as PETRARCH2 reads them.
            let listed = names_part.contains('{');
            if let Some(b) = names_part.find('{') {
                let inner = names_part[b + 1..].split('}').next().unwrap_or("").to_string();
                plurals.extend(inner.split_whitespace().map(str::to_string));
                names_part.truncate(b);
            }
            let name = names_part.trim().to_string();
            let mut variants = vec![name.clone()];
            // A `!MACRO!` substitution lists every form itself (`!MINIST!` = MINISTER,
            // MINISTERS, …): no plural is made for it.
            let mut substituted = false;
            for (m, vals) in &macros {
                if name.contains(m.as_str()) {
                    variants = vals.iter().map(|v| name.replace(m.as_str(), v)).collect();
                    substituted = true;
                }
            }
            self.entries.push(vec![code]);
            let id = self.entries.len() - 1;
            for v in variants.iter().chain(plurals.iter()) {
                self.add_phrase(v, id, true);
            }
            if listed || substituted {
                continue;
            }
            // The regular plural PETRARCH2 makes (`-Y` → `-IES`, `-S` → `-SES`, else `-S`;
            // also `-MAN` → `-MEN`, which it would spell `-MANS`).
            for v in &variants {
                let base = v.trim_end_matches('_');
                let pl = if let Some(stem) = base.strip_suffix('Y').filter(|_| !base.ends_with("EY")) {
                    format!("{stem}IES_")
                } else if let Some(stem) = base.strip_suffix("MAN") {
                    format!("{stem}MEN_")
                } else if base.ends_with('S') {
                    format!("{base}ES_")
                } else {
                    format!("{base}S_")
                };
                self.add_phrase(&pl, id, true);
            }
        }
    }
}

/// The code valid on `date` (yyyymmdd): the narrowest window containing it, else an undated one.
pub(crate) fn code_on(codes: &[DatedCode], date: Option<u32>) -> Option<&str> {
    let undated = codes.iter().find(|c| c.from == 0 && c.to == u32::MAX);
    match date {
        Some(d) => codes
            .iter()
            .filter(|c| c.from <= d && d <= c.to && !(c.from == 0 && c.to == u32::MAX))
            .min_by_key(|c| c.to.saturating_sub(c.from))
            .or(undated)
            .map(|c| c.code.as_str()),
        None => undated.or(codes.last()).map(|c| c.code.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_blocks_patterns_and_forms() {
        let mut v = VerbDict::default();
        v.load(
            "&TALK_\n+TALKS\n+NEGOTIATIONS\n\n--- HOLD [---] ---\nHOLD {HOLDS HOLDING HELD} # c\n\
             +CARRY_OUT {+CARRIED_OUT}\n- * MEETING [046:046] # HOLD\n- * &TALK_ [046]\n- NOT * [---]\n",
        );
        assert_eq!(v.blocks.len(), 1);
        assert_eq!(v.blocks[0].default, None);
        assert_eq!(v.blocks[0].patterns.len(), 3);
        assert_eq!(v.blocks[0].patterns[0].code.as_ref().unwrap().rev.as_deref(), Some("046"));
        assert!(v.forms.contains_key("HELD"));
        assert!(v.forms.contains_key("HOLDING"));
        assert!(v.forms["CARRIED"].iter().any(|f| f.rest == ["OUT"]));
        assert_eq!(v.synsets[0].len(), 2);
        assert_eq!(CodePair::parse(":051"), Some(CodePair { fwd: None, rev: Some("051".into()) }));
    }

    #[test]
    fn actors_with_dates_and_agents_with_macros() {
        let mut a = PhraseDict::default();
        a.load_actors("RUSSIAN_FEDERATION_  [RUS]\n+RUSSIA_\n+MOSCOW_\nVLADIMIR_PUTIN_ # x\n+PUTIN_\n\t[RUSELI 700101-990809]\n\t[RUSGOV >000507]\n");
        let putin = a.by_first["PUTIN"][0].2;
        assert_eq!(code_on(&a.entries[putin], Some(20170104)), Some("RUSGOV"));
        assert_eq!(code_on(&a.entries[putin], Some(19900101)), Some("RUSELI"));
        let mut g = PhraseDict::default();
        g.load_agents("!MINIST! = MINISTER, MINISTRY\nDEFENSE_!MINIST! [~GOVMIL]\nSOLDIER [~MIL]\n");
        assert!(g.by_pair.contains_key("DEFENSE MINISTRY"));
        assert!(g.by_first.contains_key("SOLDIERS"));
        assert_eq!(g.entries[0][0].code, "GOVMIL");
    }

    #[test]
    fn multi_word_verbs_inflect_the_marked_word() {
        let mut v = VerbDict::default();
        v.load("--- X [---] ---\nWIRE_+TAP {WIRE_+TAPPED  WIRE_+TAPPING }\n+SHUT_DOWN {+SHUTS_DOWN}\n");
        assert!(v.forms["WIRE"].iter().any(|f| f.rest == ["TAPPED"]));
        assert!(v.forms["WIRE"].iter().any(|f| f.rest == ["TAPS"]));
        assert!(v.forms["SHUT"].iter().any(|f| f.rest == ["DOWN"]));
        assert!(v.forms["SHUTS"].iter().any(|f| f.rest == ["DOWN"]));
        assert!(v.forms.keys().all(|k| !k.contains('+')));
    }

    #[test]
    fn joined_pattern_words_are_tight() {
        let mut v = VerbDict::default();
        v.load("--- X [---] ---\nX\n- FAILED_TO_* [111]\n- * NEW_&TIE_RELATIONS [903]\n- *_TO_PROVIDE [082]\n- A B * C [001]\n");
        let p = &v.blocks[0].patterns;
        assert_eq!(p.len(), 4);
        assert_eq!((p[0].pre.len(), p[0].pre_tight.clone(), p[0].post.len()), (2, vec![true, true], 0));
        assert_eq!(p[1].post_tight, [false, true, true]);
        assert_eq!(p[2].post_tight, [true, true]);
        assert_eq!((p[3].pre_tight.clone(), p[3].post_tight.clone()), (vec![false, false], vec![false]));
    }

    #[test]
    fn hyphenated_names_are_split_like_sentence_words() {
        let mut a = PhraseDict::default();
        a.load_actors("AL-SHABAAB_ [SOMREB]\nSECRETARY-GENERAL_BAN_KI-MOON_ [IGOUNO]\n");
        assert!(a.by_pair.contains_key("AL SHABAAB"), "{:?}", a.by_pair.keys().collect::<Vec<_>>());
        assert!(a.by_pair.contains_key("SECRETARY GENERAL"));
        assert!(a.by_first.keys().all(|k| !k.contains('-')));
    }

    #[test]
    fn date_restrictions_with_spaces() {
        let mut a = PhraseDict::default();
        a.load_actors("FOO_BAR\n\t[AAA < 950601]\n\t[AAAGOV 19950601 - 19990815]\n\t[AAAREB > 990816]\n");
        let id = a.by_pair["FOO BAR"][0].2;
        let on = |d| code_on(&a.entries[id], Some(d));
        assert_eq!(on(19950531), Some("AAA"));
        assert_eq!(on(19950601), Some("AAAGOV"));
        assert_eq!(on(19990815), Some("AAAGOV"));
        assert_eq!(on(19990816), Some("AAAREB"));
    }
}
