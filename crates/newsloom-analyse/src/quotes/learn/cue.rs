//! The cue tagger's features: for one token of a sentence, whether it carries an attribution
//! (`said`, `according`, `claim`, `warned`, `:` …). The word, its ending and neighbours, the
//! rules' lexicon class and verb reading, whether the rules used it as a cue, a subject
//! before it, what follows it (`that`, `to`, a quotation) and where it sits in the sentence.

use super::super::find::Hit;
use super::super::lexicon::{self as lx, CueKind};
use super::super::text::{Doc, Sent};
use super::perceptron::{Key, hash_str};

/// Template ids of the cue tagger (the content and speaker models use other ranges).
const T: u8 = 0;

/// How the rules used a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum RuleUse {
    None = 0,
    /// The cue of a quotation's frame (`“…,” he said`).
    Quote = 1,
    /// The cue of the rules' reported speech.
    Reported = 2,
}

/// Per token of the document: the rules' use of it as a cue.
pub(crate) fn rule_uses(d: &Doc, hits: &[Hit]) -> Vec<RuleUse> {
    let mut v = vec![RuleUse::None; d.toks.len()];
    for h in hits {
        if let Some((s, _)) = h.cue {
            v[s] = if h.reported { RuleUse::Reported } else { RuleUse::Quote };
        }
    }
    v
}

/// Per-document token forms, computed once: lowercase (in one buffer, no allocation per
/// token), the context form ([`Words::norm`]), the word cluster, and per-sentence facts the
/// cue features read.
pub(crate) struct Words<'a> {
    text: &'a str,
    buf: String,
    /// Lowercase of each token: a range of `buf`, or of `text` when it is already lowercase.
    lower: Vec<(u32, u32, bool)>,
    form: Vec<Form>,
    /// Hashes of `lower` and of the context form ([`hash_str`]), computed on first use (0:
    /// not yet): the tagger reads only the words around its candidates.
    lower_h: Vec<std::cell::Cell<u64>>,
    form_h: Vec<std::cell::Cell<u64>>,
    /// Word clusters, looked up on first use (`u32::MAX`: not yet; punctuation is 0).
    cl: Vec<std::cell::Cell<u32>>,
    /// Each token's byte range in `text`.
    spans: Vec<(u32, u32)>,
    /// A comma lies before the token in its sentence.
    pub comma_before: Vec<bool>,
    /// The token's sentence holds a quotation.
    pub quoted_sent: Vec<bool>,
    /// Word tokens and tokens inside quotations before each token (and before the end), so
    /// spans count them in constant time.
    words_upto: Vec<u32>,
    quoted_upto: Vec<u32>,
}

static START: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| hash_str("<s>"));
static END: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| hash_str("</s>"));

/// [`hash_str`] of a fixed context form, computed once.
fn fixed_h(x: &'static str) -> u64 {
    static H: std::sync::LazyLock<[u64; 4]> =
        std::sync::LazyLock::new(|| ["<q>", "</q>", "<num>", "<Cap>"].map(hash_str));
    match x {
        "<q>" => H[0],
        "</q>" => H[1],
        "<num>" => H[2],
        "<Cap>" => H[3],
        _ => hash_str(x),
    }
}

#[derive(Clone, Copy)]
enum Form {
    Lower,
    Fixed(&'static str),
    /// A capitalised word: `<Cap>` unless it is a function word.
    Cap,
}

impl<'a> Words<'a> {
    pub fn new(d: &Doc<'a>) -> Self {
        let n = d.toks.len();
        let mut w = Words {
            text: d.text,
            // The document's lowercase table (one copy, so `Words` does not borrow `d`).
            buf: d.lower_buf.clone(),
            lower: d.lower_at.clone(),
            form: Vec::with_capacity(n),
            cl: Vec::with_capacity(n),
            lower_h: vec![std::cell::Cell::new(0); n],
            form_h: vec![std::cell::Cell::new(0); n],
            spans: Vec::with_capacity(n),
            comma_before: vec![false; n],
            quoted_sent: vec![false; n],
            words_upto: Vec::with_capacity(n + 1),
            quoted_upto: Vec::with_capacity(n + 1),
        };
        let (mut words, mut quoted) = (0u32, 0u32);
        for i in 0..n {
            w.words_upto.push(words);
            w.quoted_upto.push(quoted);
            words += d.toks[i].word as u32;
            quoted += d.in_quote[i].is_some() as u32;
        }
        w.words_upto.push(words);
        w.quoted_upto.push(quoted);
        for i in 0..n {
            let t = d.tok(i);
            let f = if !d.toks[i].word {
                match d.in_quote[i].map(|q| d.quotes[q as usize]) {
                    Some(q) if q.open == i => Form::Fixed("<q>"),
                    Some(q) if q.close == i => Form::Fixed("</q>"),
                    _ => Form::Lower,
                }
            } else if t.as_bytes()[0].is_ascii_digit() {
                Form::Fixed("<num>")
            } else if d.is_cap(i) {
                Form::Cap
            } else {
                Form::Lower
            };
            w.form.push(f);
            w.cl.push(std::cell::Cell::new(if d.toks[i].word { u32::MAX } else { 0 }));
            w.spans.push((d.toks[i].s as u32, d.toks[i].e as u32));
        }
        for sent in &d.sents {
            let quoted = (sent.a..sent.b).any(|k| d.in_quote[k].is_some());
            let mut comma = false;
            for k in sent.a..sent.b {
                w.comma_before[k] = comma;
                w.quoted_sent[k] = quoted;
                comma |= d.is(k, ",");
            }
        }
        w
    }

    /// The token's word cluster ([`cluster`]).
    pub fn cl(&self, i: usize) -> u32 {
        let c = self.cl[i].get();
        if c != u32::MAX {
            return c;
        }
        let (s, e) = self.spans[i];
        let c = cluster(&self.text[s as usize..e as usize]);
        self.cl[i].set(c);
        c
    }

    /// Word tokens in `[s, e)`.
    pub fn words_in(&self, s: usize, e: usize) -> usize {
        (self.words_upto[e] - self.words_upto[s]) as usize
    }

    /// Whether a token of `[s, e)` lies inside a quotation.
    pub fn quoted_in(&self, s: usize, e: usize) -> bool {
        self.quoted_upto[e] > self.quoted_upto[s]
    }

    /// The token in lowercase.
    pub fn lower(&self, i: usize) -> &str {
        let (s, e, in_buf) = self.lower[i];
        if in_buf { &self.buf[s as usize..e as usize] } else { &self.text[s as usize..e as usize] }
    }

    /// [`hash_str`] of [`Words::lower`].
    pub fn lower_h(&self, i: usize) -> u64 {
        let h = self.lower_h[i].get();
        if h != 0 {
            return h;
        }
        let h = hash_str(self.lower(i));
        self.lower_h[i].set(h);
        h
    }

    /// [`hash_str`] of the token's context form.
    fn form_h(&self, i: usize) -> u64 {
        let h = self.form_h[i].get();
        if h != 0 {
            return h;
        }
        let h = match self.form[i] {
            Form::Lower => self.lower_h(i),
            Form::Fixed(x) => fixed_h(x),
            Form::Cap if closed_class(self.lower(i)) => self.lower_h(i),
            Form::Cap => fixed_h("<Cap>"),
        };
        self.form_h[i].set(h);
        h
    }

    /// [`hash_str`] of the token as a context word: lowercase, names as `<Cap>`, numbers as
    /// `<num>`, quotation marks by role, `<s>` / `</s>` outside the sentence.
    pub fn norm_h(&self, i: Option<usize>, sent: Sent) -> u64 {
        match i {
            Some(i) if i >= sent.a && i < sent.b => self.form_h(i),
            Some(i) if i >= sent.b => *END,
            _ => *START,
        }
    }
}

/// Function words kept as themselves even when capitalised.
fn closed_class(l: &str) -> bool {
    lx::is_np_stop(l)
        || lx::is_pronoun(l)
        || lx::is_determiner(l)
        || lx::is_aux_adverb(l)
        || lx::is_modal(l)
        || lx::cue_kind(l).is_some()
        || matches!(l, "according" | "in" | "on" | "at" | "of" | "for" | "by")
}

/// A crude stem, so inflections share weights (`supports`, `supported`, `supporting`).
pub(crate) fn stem(l: &str) -> &str {
    for suf in ["ing", "ed", "es", "s"] {
        if let Some(x) = l.strip_suffix(suf)
            && x.len() >= 3
        {
            return x;
        }
    }
    l
}

/// The word's cluster path in the NER word clusters (unsupervised, from news text): prefixes of
/// it group words used alike (`said`, `says`, `told`), so unseen cue words share weights. The
/// key is the hash of [`crate::ner::clusters::lower_form`], computed without allocating.
pub(crate) fn cluster(tok: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    if tok.is_ascii() {
        // The same bytes as the loop below gives for ASCII, without decoding characters.
        for b in tok.bytes() {
            let b = match b {
                b'`' => b'\'',
                b'0'..=b'9' => b'0',
                b => b.to_ascii_lowercase(),
            };
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        return crate::ner::clusters::Clusters::shipped().get(crate::ner::features::fmix(h));
    }
    let mut buf = [0u8; 4];
    for c in tok.chars() {
        // As `ner::features::normalise` for a word, then digits as 0, then lowercase.
        let c = match c {
            '’' | '‘' | '‛' | '`' | '′' => '\'',
            '–' | '‑' | '‐' => '-',
            c if c.is_ascii_digit() => '0',
            c => c,
        };
        for l in c.to_lowercase() {
            for &b in l.encode_utf8(&mut buf).as_bytes() {
                h ^= b as u64;
                h = h.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    crate::ner::clusters::Clusters::shipped().get(crate::ner::features::fmix(h))
}

/// The first `bits` of a cluster path as a feature value (0 for none).
pub(crate) fn cluster_prefix(c: u32, bits: u32) -> u32 {
    let p = crate::ner::clusters::prefix(c, bits);
    p as u32 ^ (p >> 16) as u32
}

fn bucket(n: usize) -> u32 {
    match n {
        0..=3 => n as u32,
        4..=5 => 4,
        6..=9 => 5,
        10..=15 => 6,
        _ => 7,
    }
}

/// What stands right before token `i` once auxiliaries and adverbs are skipped (`Kelin has
/// also said`): 1 a pronoun, 2 a name, 3 a speaker noun or plural, 0 anything else. A cheap
/// stand-in for the rules' subject reading, read for every token.
fn subject_kind(d: &Doc, ws: &Words, sent: Sent, i: usize) -> u32 {
    let mut k = i;
    while k > sent.a && k + 3 > i && d.toks[k - 1].word && lx::is_aux_adverb(ws.lower(k - 1)) {
        k -= 1;
    }
    if k == sent.a || !d.toks[k - 1].word {
        return 0;
    }
    let p = ws.lower(k - 1);
    if lx::is_pronoun(p) {
        1
    } else if d.is_cap(k - 1) {
        2
    } else if lx::is_speaker_noun(p) || (p.len() > 4 && p.ends_with('s') && !p.ends_with("ss")) {
        3
    } else {
        0
    }
}

/// Whether token `i` may be a cue at all: a word or colon outside quotations that no
/// quotation frame of the rules already uses.
pub(crate) fn can_be_cue(d: &Doc, i: usize, uses: &[RuleUse]) -> bool {
    (d.toks[i].word || d.is(i, ":")) && d.in_quote[i].is_none() && uses[i] != RuleUse::Quote
}

/// Whether the tagger reads token `i`: one that [`can_be_cue`] and that the rules read as a
/// cue of reported speech or whose stem carried a cue in training ([`CueWords`]). The first
/// pass that keeps tagging cheap: most words of an article are never scored.
pub(crate) fn is_candidate(d: &Doc, ws: &Words, i: usize, uses: &[RuleUse], words: &CueWords) -> bool {
    can_be_cue(d, i, uses) && (uses[i] == RuleUse::Reported || words.contains(ws.lower(i)))
}

/// The stems the tagger reads: those that carried a gold cue in training (less the frequent
/// ones that almost never did), kept as written for the model file and hashed for the lookup.
#[derive(Debug, Clone, Default)]
pub(crate) struct CueWords {
    stems: Vec<String>,
    hashes: rustc_hash::FxHashSet<u64>,
}

impl CueWords {
    pub fn insert(&mut self, stem: String) {
        if self.hashes.insert(hash_str(&stem)) {
            self.stems.push(stem);
        }
    }

    /// Whether the stem of `lower` (a lowercase word) is one of them.
    pub fn contains(&self, lower: &str) -> bool {
        self.hashes.contains(&hash_str(stem(lower)))
    }

    /// The stems, sorted.
    pub fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.stems.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

/// Features of token `i` of `sent` as a cue. `rule` is the rules' use of it.
pub(crate) fn features(d: &Doc, ws: &Words, sent: Sent, i: usize, rule: RuleUse, out: &mut Vec<u32>) {
    out.clear();
    let w = ws.norm_h(Some(i), sent);
    let lw: &str = ws.lower(i);
    let lwh = ws.lower_h(i);
    let p1 = ws.norm_h(i.checked_sub(1), sent);
    let p2 = ws.norm_h(i.checked_sub(2), sent);
    let n1 = ws.norm_h(Some(i + 1), sent);
    let n2 = ws.norm_h(Some(i + 2), sent);
    let suffix = |k: usize| lw.char_indices().rev().nth(k - 1).map_or(lw, |(b, _)| &lw[b..]);
    let lex = match lx::cue_kind(lw) {
        Some(CueKind::Strong) => 1,
        Some(CueKind::Weak) => 2,
        None if lx::nominal_cue(lw).is_some() => 3,
        None => 0,
    };
    let r = rule as u32;
    let quoted = d.in_quote[i].is_some() as u32;
    // Distance from the last closing quotation mark before it in the sentence (`“…,” he said`).
    let after_quote =
        (sent.a..i).rev().take(8).find(|&k| d.in_quote[k].is_some()).map_or(0, |k| 1 + bucket(i - k));
    let has_quote = ws.quoted_sent[i] as u32;
    let quote_next = (i + 1..sent.b.min(i + 4)).any(|k| d.in_quote[k].is_some()) as u32;
    let from_start = bucket(i - sent.a);
    let to_end = bucket(sent.b - i - 1);
    // The subject reading of the rules (`Kelin said`, `the ministry said`, `he said`).
    let subject = subject_kind(d, ws, sent, i);
    let cap = d.is_cap(i) as u32;
    let comma_before = ws.comma_before[i] as u32;
    let s3 = hash_str(suffix(3));
    let k = |t: u8| Key::new(T + t);
    out.push(k(0).get());
    out.push(k(1).h(w).get());
    out.push(k(2).h(s3).get());
    out.push(k(3).h(hash_str(suffix(2))).n(lex).get());
    out.push(k(4).n(lex).n(r).get());
    out.push(k(5).h(w).n(r).get());
    out.push(k(6).h(p1).get());
    out.push(k(7).h(p2).h(p1).get());
    out.push(k(8).h(n1).get());
    out.push(k(9).h(n1).h(n2).get());
    out.push(k(10).h(p1).h(w).get());
    out.push(k(11).h(w).h(n1).get());
    out.push(k(12).n(quoted).n(after_quote).n(quote_next).get());
    out.push(k(13).n(has_quote).n(lex).get());
    out.push(k(14).n(from_start).n(to_end).get());
    out.push(k(15).n(subject).n(lex).get());
    out.push(k(16).h(w).n(subject).get());
    out.push(k(17).h(s3).h(n1).get());
    out.push(k(18).h(s3).h(p1).get());
    out.push(k(19).n(cap).n(from_start.min(1)).n(lex).get());
    out.push(k(20).n(comma_before).n(subject).n(r).get());
    out.push(k(21).h(w).n(after_quote.min(2)).get());
    out.push(k(22).n(r).n(quoted).get());
    out.push(k(23).h(lwh).get());
    let st = stem(lw);
    let sth = hash_str(st);
    out.push(k(24).h(sth).get());
    out.push(k(25).h(sth).h(n1).get());
    out.push(k(26).h(sth).n(subject).get());
    let c = ws.cl(i);
    let pre = |b: u32| {
        crate::ner::clusters::prefix(c, b) as u32 ^ (crate::ner::clusters::prefix(c, b) >> 16) as u32
    };
    out.push(k(27).n(pre(6)).get());
    out.push(k(28).n(pre(10)).get());
    out.push(k(29).n(pre(16)).get());
    out.push(k(30).n(pre(8)).h(n1).get());
    out.push(k(31).n(pre(8)).n(subject).n(lex).get());
    // Word classes of the neighbours (the next word's class says whether a clause follows).
    let ncl = |j: usize| if j < sent.b && d.toks[j].word { cluster_prefix(ws.cl(j), 5) } else { 1 };
    let (c_next, c_prev) = (ncl(i + 1), if i > sent.a { ncl(i - 1) } else { 1 });
    out.push(k(32).n(pre(6)).n(c_next).get());
    out.push(k(33).n(c_prev).n(pre(6)).get());
    out.push(k(34).h(sth).n(c_next).get());
    // A complement a few words on (`told reporters that`, `vowed to`), without a parser: how
    // far the next `that` and `to` are; a verb after `to` or a modal (`to discuss`, `could
    // call`); the classes of the next two words.
    let lim = sent.b.min(i + 6);
    let find =
        |w: &str| (i + 1..lim).find(|&j| d.toks[j].word && ws.lower(j) == w).map_or(0, |j| (j - i) as u32);
    let (that_at, to_at) = (find("that"), find("to"));
    out.push(k(35).n(that_at).get());
    out.push(k(36).h(sth).n(that_at.min(3)).get());
    out.push(k(37).h(sth).n(to_at.min(3)).get());
    let prev = (i > sent.a && d.toks[i - 1].word).then(|| ws.lower(i - 1));
    let (prev_to, prev_modal) = (prev == Some("to"), prev.is_some_and(lx::is_modal));
    out.push(k(38).n(prev_to as u32).n(prev_modal as u32).n(lex).get());
    out.push(k(39).n(pre(6)).n(ncl(i + 2)).n(c_next).get());
}

/// Other candidates scoring at most this in the first pass are not read by the second.
const STACK_MIN: f32 = -2.0;

/// A first-pass cue score in eight bands around the threshold.
fn score_band(x: f32) -> u32 {
    [-4.0, -2.0, -1.0, 0.0, 1.0, 3.0, 6.0].iter().filter(|&&t| x >= t).count() as u32
}

/// One sentence's candidates for the second pass (token and first-pass score, in token
/// order), with what [`stack_features`] reads of them computed once: the strongest other
/// candidate on each side of each, the commas and semicolons before each token, and the count
/// of likely cues. Built in one pass, so a sentence of thousands of candidates (hostile input)
/// costs linear time, not quadratic.
pub(crate) struct StackGroup<'a> {
    pub cands: &'a [(usize, f32)],
    /// Per candidate: the strongest candidate before it, ties to the nearest (the later one).
    left: Vec<Option<(usize, f32)>>,
    /// Per candidate: the strongest candidate after it, ties to the nearest (the earlier one).
    right: Vec<Option<(usize, f32)>>,
    /// Commas and semicolons (non-word tokens) before each token from the first candidate's.
    punct: Vec<u32>,
    strong: u32,
}

impl<'a> StackGroup<'a> {
    pub(crate) fn new(d: &Doc, cands: &'a [(usize, f32)]) -> Self {
        let n = cands.len();
        let better_left = |a: (usize, f32), b: (usize, f32)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)).is_ge();
        let better_right = |a: (usize, f32), b: (usize, f32)| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)).is_ge();
        let mut left = Vec::with_capacity(n);
        let mut best: Option<(usize, f32)> = None;
        for &c in cands {
            left.push(best);
            best = Some(best.map_or(c, |b| if better_left(c, b) { c } else { b }));
        }
        let mut right = vec![None; n];
        best = None;
        for (k, &c) in cands.iter().enumerate().rev() {
            right[k] = best;
            best = Some(best.map_or(c, |b| if better_right(c, b) { c } else { b }));
        }
        let (first, last) = (cands.first().map_or(0, |c| c.0), cands.last().map_or(0, |c| c.0));
        let mut punct = Vec::with_capacity(last + 1 - first.min(last));
        let mut seen = 0;
        for t in first..=last.max(first) {
            punct.push(seen);
            if t < d.toks.len() && !d.toks[t].word && matches!(d.tok(t), "," | ";") {
                seen += 1;
            }
        }
        let strong = cands.iter().filter(|c| c.1 > -1.0).count().min(4) as u32;
        Self { cands, left, right, punct, strong }
    }

    /// Whether a comma or semicolon lies strictly between candidate tokens `a` < `b`.
    fn punct_between(&self, a: usize, b: usize) -> bool {
        let first = self.cands[0].0;
        self.punct[b - first] > self.punct[a + 1 - first]
    }
}

/// The second pass's features of candidate `k` of a sentence (stacking): what the first pass
/// scored it and the other candidates of its sentence. A word right after a strong `said` is
/// more often inside its content than a cue; a weak cue alone in its sentence is more often
/// one.
pub(crate) fn stack_features(ws: &Words, k: usize, group: &StackGroup, out: &mut Vec<u32>) {
    out.clear();
    let (i, own) = group.cands[k];
    let sth = hash_str(stem(ws.lower(i)));
    let own_b = score_band(own);
    let kk = |t: u8| Key::new(T + t);
    out.push(kk(40).n(own_b).get());
    out.push(kk(41).h(sth).n(own_b).get());
    // The strongest other candidate on each side, its band and distance, and whether a
    // comma or semicolon lies between. Candidates the first pass gives no chance are left
    // out: the features then do not depend on which words the first pass reads.
    let (left, right) = (group.left[k], group.right[k]);
    for (side, best) in [(0u32, left.filter(|c| c.1 > STACK_MIN)), (1, right.filter(|c| c.1 > STACK_MIN))] {
        let Some((j, s)) = best else {
            out.push(kk(42).n(side).n(9).n(own_b).get());
            continue;
        };
        let b = score_band(s);
        let dist = bucket(j.abs_diff(i));
        let comma = group.punct_between(i.min(j), i.max(j)) as u32;
        out.push(kk(42).n(side).n(b).n(own_b).get());
        out.push(kk(43).n(side).n(b).n(dist).n(comma).get());
        out.push(kk(44).n(side).h(sth).n(b).get());
        out.push(kk(45).n(side).h(stem_h(ws, j)).n(b.min(5)).n(dist.min(4)).get());
    }
    out.push(kk(46).n(group.strong).n(own_b).get());
}

fn stem_h(ws: &Words, j: usize) -> u64 {
    hash_str(stem(ws.lower(j)))
}

/// Calls `f(k, sentence's candidates, index in them)` for every candidate `k` of `toks`
/// ((sentence, token) in order) of `d`, with `first` their first-pass scores.
pub(crate) fn by_sentence(
    d: &Doc,
    toks: &[(usize, usize)],
    first: &[f32],
    mut f: impl FnMut(usize, &StackGroup, usize),
) {
    let mut cands: Vec<(usize, f32)> = Vec::new();
    let mut a = 0;
    while a < toks.len() {
        let b = a + toks[a..].iter().take_while(|t| t.0 == toks[a].0).count();
        cands.clear();
        cands.extend((a..b).map(|k| (toks[k].1, first[k])));
        let group = StackGroup::new(d, &cands);
        for k in a..b {
            f(k, &group, k - a);
        }
        a = b;
    }
}
