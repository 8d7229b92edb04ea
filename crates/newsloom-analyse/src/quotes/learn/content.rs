//! Content spans for a cue: the candidates (right of the cue, from a few starts to a few clause
//! breaks; left of it, from a clause start to a comma or the speaker; both sides around a
//! parenthetical frame; an adjacent quotation; the next sentence after `said:`; the rules' own
//! reading) and their features for the learnt span scorer, which picks one.

use super::super::find::{Hit, left_np, trim_end};
use super::super::lexicon as lx;
use super::super::text::{Doc, Sent};
use super::cue::{RuleUse, Words, cluster_prefix};
use super::perceptron::{Key, Weights};

/// Template ids of the span scorer.
const T: u8 = 64;

/// Where a candidate lies against its cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Side {
    Right = 0,
    Left = 1,
    /// Both sides of a frame (`But to prevent problems, he said, officials should …`).
    Around = 2,
    /// Quotations next to the cue.
    Quote = 3,
    /// The next sentence (`He said:` closing a sentence).
    Next = 4,
    /// The rules' own content when none of the above has it.
    Rule = 5,
}

/// One candidate content: token ranges `[s, e)` and how it was derived.
#[derive(Debug, Clone)]
pub(crate) struct Cand {
    pub pieces: Vec<(usize, usize)>,
    pub side: Side,
    /// Index of its end among the clause breaks after its start (0 = the first break).
    pub nth_end: usize,
    /// The score of the best other cue inside it (−∞ when none).
    pub inner: f32,
}

/// Words that may open a clause after a content (a content may end before them).
fn break_word(l: &str) -> bool {
    matches!(
        l,
        "and"
            | "but"
            | "while"
            | "because"
            | "as"
            | "when"
            | "after"
            | "before"
            | "if"
            | "since"
            | "although"
            | "though"
            | "where"
            | "which"
            | "who"
            | "according"
            | "including"
            | "with"
            | "despite"
            | "so"
            | "or"
            | "until"
            | "unless"
            | "whether"
    )
}

/// Prepositions and relatives after which a content often stops (`called for more investment
/// in a statement`): ends for right-hand contents besides the clause breaks.
pub(crate) fn soft_break(d: &Doc, ws: &Words, k: usize) -> bool {
    d.in_quote[k].is_none()
        && d.toks[k].word
        && matches!(
            ws.lower(k),
            "in" | "on"
                | "at"
                | "during"
                | "for"
                | "from"
                | "over"
                | "to"
                | "by"
                | "amid"
                | "than"
                | "about"
                | "into"
                | "through"
                | "that"
                | "against"
                | "without"
                | "under"
                | "between"
                | "ahead"
        )
}

pub(crate) fn is_break(d: &Doc, ws: &Words, k: usize) -> bool {
    d.in_quote[k].is_none()
        && if d.toks[k].word {
            break_word(ws.lower(k))
        } else {
            matches!(d.tok(k), "," | ";" | ":" | "—" | "–" | "(" | ")" | "―")
        }
}

/// Where the cue's words begin and end around its anchor: `has also said`, `according to`,
/// `pointed out`.
pub(crate) fn cue_extent(d: &Doc, ws: &Words, sent: Sent, anchor: usize) -> (usize, usize) {
    let mut s = anchor;
    while s > sent.a && s + 3 > anchor && d.toks[s - 1].word && lx::is_aux_adverb(ws.lower(s - 1)) {
        s -= 1;
    }
    let mut e = anchor + 1;
    if e < sent.b && matches!(ws.lower(anchor), "according" | "pointed" | "referring" | "went") {
        e += 1;
    }
    (s, e)
}

/// Ends tried after each right-hand start.
const MAX_ENDS: usize = 6;
/// Right-hand starts tried after the cue.
const MAX_STARTS: usize = 2;
/// Tokens on each side of the cue that candidates may span. News sentences are far shorter;
/// the bound keeps a hostile one-sentence text of thousands of cues linear, not quadratic.
const MAX_SPAN: usize = 200;
/// A candidate holding more cues than this is no quotation (and is not scanned further).
const MAX_INNER_CUES: usize = 64;

/// The candidates for the cue at `anchor` in sentence `si`. `rule` is the rules' hit for it;
/// `cues` are the document's likely cue tokens with their scores (sorted by token): PolNeAR's
/// contents never hold another attribution's cue, so a candidate records the best other cue
/// it holds, and one holding a cue scoring above `block` is left out.
#[allow(clippy::too_many_arguments)]
pub(crate) fn candidates(
    d: &Doc,
    si: usize,
    anchor: usize,
    rule: Option<&Hit>,
    cues: &[(usize, f32)],
    block: f32,
    ws: &Words,
    out: &mut Vec<Cand>,
) {
    out.clear();
    // The best other cue inside, and whether every word inside is a cue (no content at all).
    let inner = |pieces: &[(usize, usize)]| {
        let mut best = f32::NEG_INFINITY;
        let mut n = 0;
        for &(s, e) in pieces {
            let (k, end) = (cues.partition_point(|c| c.0 < s), cues.partition_point(|c| c.0 < e));
            if end - k > MAX_INNER_CUES {
                return (f32::INFINITY, true);
            }
            for &(c, x) in &cues[k..end] {
                n += 1;
                if c != anchor {
                    best = best.max(x);
                }
            }
        }
        let words: usize = pieces.iter().map(|&(s, e)| ws.words_in(s, e)).sum();
        (best, n >= words)
    };
    let sent = d.sents[si];
    let (cs, ce) = cue_extent(d, ws, sent, anchor);
    // The sentence as the candidates see it: at most MAX_SPAN tokens each side of the cue.
    let sent = Sent { a: sent.a.max(cs.saturating_sub(MAX_SPAN)), b: sent.b.min(ce + MAX_SPAN), ..sent };
    let se = trim_end(d, sent.a, sent.b);
    // Takes a slice: only a candidate that is kept is copied into its own vector.
    let push = |pieces: &[(usize, usize)], side: Side, nth_end: usize, out: &mut Vec<Cand>| {
        if pieces.iter().any(|&(s, e)| s >= e) || !pieces.iter().any(|&(s, e)| ws.words_in(s, e) > 0) {
            return;
        }
        let (inner, only_cues) = inner(pieces);
        if inner > block || only_cues || out.iter().any(|c| c.pieces == pieces) {
            return;
        }
        out.push(Cand { pieces: pieces.to_vec(), side, nth_end, inner });
    };
    // Right of the cue: a few starts, each to a few clause breaks or the sentence end.
    let mut starts = 0;
    for a in ce..se {
        if starts >= MAX_STARTS {
            break;
        }
        let opens = d.in_quote[a].is_some_and(|q| d.quotes[q as usize].open == a);
        if !(opens || (d.toks[a].word && d.in_quote[a].is_none())) {
            continue;
        }
        starts += 1;
        let mut n = 0;
        for e in a + 1..=se {
            if e == se || is_break(d, ws, e) || (e > a + 1 && soft_break(d, ws, e)) {
                push(&[(a, e)], Side::Right, n, out);
                n += 1;
                if n >= MAX_ENDS && e < se {
                    push(&[(a, se)], Side::Right, n, out);
                    break;
                }
            }
        }
    }
    // Left of the cue: from a clause start to a comma, the speaker or the cue.
    let speaker = left_np(d, sent.a, cs);
    let mut ends: Vec<usize> =
        (sent.a + 1..cs).rev().filter(|&k| is_break(d, ws, k) && !d.toks[k].word).take(3).collect();
    ends.push(cs);
    if let Some((s, _)) = speaker {
        ends.push(s);
    }
    for (n, &e) in ends.iter().enumerate() {
        let e = trim_end(d, sent.a, e);
        let mut m = 0;
        for a in sent.a..e {
            if m >= 4 {
                break;
            }
            if a == sent.a
                || matches!(d.tok(a - 1), "," | ":" | ";" | "—" | "(")
                || (a == sent.a + 2 && d.is(a - 1, ","))
            {
                push(&[(a, e)], Side::Left, n, out);
                m += 1;
            }
        }
    }
    // Around a parenthetical frame: `…, he said, …`, and `X is expected to …` (subject + rest).
    if let Some((ss, _)) = speaker {
        if ss > sent.a + 1
            && d.is(ss - 1, ",")
            && let Some(c) = (ce..se.min(ce + 6)).find(|&k| d.is(k, ","))
        {
            push(&[(sent.a, ss - 1), (c + 1, se)], Side::Around, 0, out);
        }
        if ce < se {
            push(&[speaker.unwrap(), (ce, se)], Side::Around, 1, out);
        }
    }
    // Quotations next to the cue.
    let first = d.quotes.partition_point(|q| q.open < sent.a);
    let qs: Vec<(usize, usize)> = d.quotes[first..]
        .iter()
        .take_while(|q| q.open < sent.b)
        .filter(|q| q.close < sent.b)
        .map(|q| (q.open, q.close + 1))
        .collect();
    if let Some(i) = qs.iter().position(|&(o, _)| o >= ce && o < ce + 4) {
        push(&[qs[i]], Side::Quote, 0, out);
        push(&qs[i..], Side::Quote, 1, out);
    }
    if let Some(i) = qs.iter().rposition(|&(_, c)| c <= cs && c + 4 > cs) {
        push(&qs[..=i], Side::Quote, 2, out);
    }
    // `He said:` ending a sentence: the next sentence in the paragraph (or the next one).
    if ((se < sent.b && d.is(se, ":")) || se <= ce + 3)
        && let Some(&next) = d.sents.get(si + 1)
        && next.para <= sent.para + 1
    {
        let b = next.b.min(next.a + MAX_SPAN);
        push(&[(next.a, trim_end(d, next.a, b))], Side::Next, 0, out);
    }
    if let Some(h) = rule {
        push(&h.content, Side::Rule, 0, out);
    }
}

fn bucket(n: usize) -> u32 {
    match n {
        0..=3 => n as u32,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        21..=35 => 8,
        _ => 9,
    }
}

/// What the span features of one cue read: the cue, its sentence and the rules' reading.
pub(crate) struct SpanCtx<'a, 'd> {
    d: &'a Doc<'d>,
    ws: &'a Words<'d>,
    si: usize,
    sent: Sent,
    se: usize,
    cs: usize,
    ce: usize,
    rule_use: RuleUse,
    rule: Option<&'a Hit>,
    /// The rules' speaker for the cue.
    speaker: Option<(usize, usize)>,
    /// Hashes of the cue word and of the words after and before it.
    cue: u64,
    next_cue: u64,
    prev_cue: u64,
}

impl<'a, 'd> SpanCtx<'a, 'd> {
    pub fn new(
        d: &'a Doc<'d>,
        ws: &'a Words<'d>,
        si: usize,
        anchor: usize,
        rule_use: RuleUse,
        rule: Option<&'a Hit>,
        speaker: Option<(usize, usize)>,
    ) -> Self {
        let sent = d.sents[si];
        let (cs, ce) = cue_extent(d, ws, sent, anchor);
        SpanCtx {
            d,
            ws,
            si,
            sent,
            se: trim_end(d, sent.a, sent.b),
            cs,
            ce,
            rule_use,
            rule,
            speaker,
            cue: ws.lower_h(anchor),
            next_cue: ws.norm_h(Some(ce), sent),
            prev_cue: ws.norm_h(cs.checked_sub(1), sent),
        }
    }

    /// Context words come from the sentence (a `Next` candidate reads its own sentence).
    fn ctx(&self, side: Side) -> Sent {
        if side == Side::Next {
            self.d.sents.get(self.si + 1).copied().unwrap_or(self.sent)
        } else {
            self.sent
        }
    }

    fn class(&self, t: Option<usize>, ctx: Sent) -> u32 {
        // Word classes (unsupervised clusters stand in for parts of speech).
        t.filter(|&t| t < ctx.b && t >= ctx.a).map_or(1, |t| cluster_prefix(self.ws.cl(t), 5))
    }

    /// Features of the cue and side alone.
    fn side_features(&self, side: Side, out: &mut Vec<u32>) {
        let k = |t: u8| Key::new(T + t).n(side as u32);
        out.push(k(0).get());
        out.push(k(1).h(self.cue).get());
        out.push(k(16).h(self.next_cue).get());
        out.push(k(17).h(self.prev_cue).get());
        out.push(k(21).h(self.prev_cue).h(self.next_cue).get());
    }

    /// Features of where a content starts.
    fn start_features(&self, side: Side, a: usize, out: &mut Vec<u32>) {
        let ctx = self.ctx(side);
        let (first, before) = (self.ws.norm_h(Some(a), ctx), self.ws.norm_h(a.checked_sub(1), ctx));
        let (c_first, c_before) = (self.class(Some(a), ctx), self.class(a.checked_sub(1), ctx));
        let k = |t: u8| Key::new(T + t).n(side as u32);
        out.push(k(2).h(first).get());
        out.push(k(3).h(before).get());
        out.push(k(11).h(self.cue).h(first).get());
        out.push(k(13).h(before).h(first).get());
        out.push(k(25).n(c_first).get());
        out.push(k(28).n(c_before).n(c_first).get());
        out.push(k(29).h(self.cue).n(c_first).get());
    }

    /// Features of where a content ends.
    fn end_features(&self, side: Side, b: usize, out: &mut Vec<u32>) {
        let ctx = self.ctx(side);
        let (last, after) = (self.ws.norm_h(b.checked_sub(1), ctx), self.ws.norm_h(Some(b), ctx));
        let (c_last, c_after, c_after2) =
            (self.class(b.checked_sub(1), ctx), self.class(Some(b), ctx), self.class(Some(b + 1), ctx));
        let to_end = (b >= self.se) as u32;
        let k = |t: u8| Key::new(T + t).n(side as u32);
        out.push(k(4).h(last).get());
        out.push(k(5).h(after).get());
        out.push(k(12).h(self.cue).h(after).get());
        out.push(k(14).h(last).h(after).get());
        out.push(k(26).n(c_last).n(c_after).get());
        out.push(k(27).h(after).n(c_after2).get());
        out.push(k(30).n(c_after).n(c_after2).n(to_end).get());
    }

    /// Features of the content as a whole.
    fn whole_features(&self, c: &Cand, out: &mut Vec<u32>) {
        let (a, b) = (c.pieces[0].0, c.pieces[c.pieces.len() - 1].1);
        let words: usize = c.pieces.iter().map(|&(s, e)| self.ws.words_in(s, e)).sum();
        let len = bucket(words);
        let gap = bucket(if a >= self.ce { a - self.ce } else { self.cs.saturating_sub(b) });
        let rule_match = match self.rule {
            Some(h) if h.content == c.pieces => 1,
            Some(h) if h.content[0].0 == a => 2,
            Some(h) if h.content[h.content.len() - 1].1 == b => 3,
            Some(_) => 4,
            None => 0,
        };
        let to_end = (b >= self.se) as u32;
        let from_start = (a <= self.sent.a + 2) as u32;
        let quoted = c.pieces.iter().any(|&(s, e)| self.ws.quoted_in(s, e)) as u32;
        let nth = c.nth_end.min(7) as u32;
        let inner = match c.inner {
            x if x == f32::NEG_INFINITY => 0,
            x if x < -2.0 => 1,
            x if x < 0.0 => 2,
            x if x < 2.0 => 3,
            x if x < 5.0 => 4,
            _ => 5,
        };
        // The rules' speaker for the cue inside the content (PolNeAR's contents never hold
        // their source), or right before it.
        let holds = self.speaker.map_or(0, |(x, y)| {
            if c.pieces.iter().any(|&(p, q)| x < q && p < y) {
                1
            } else if y <= a && a <= y + 1 {
                2
            } else {
                3
            }
        });
        let after = self.ws.norm_h(Some(b), self.ctx(c.side));
        let k = |t: u8| Key::new(T + t).n(c.side as u32);
        out.push(k(6).n(len).get());
        out.push(k(7).n(gap).get());
        out.push(k(8).n(nth).n(to_end).get());
        out.push(k(9).n(to_end).n(from_start).get());
        out.push(k(10).n(rule_match).n(self.rule_use as u32).get());
        out.push(k(15).n(quoted).n(len).get());
        out.push(k(18).h(self.cue).n(len).get());
        out.push(k(19).h(self.next_cue).n(gap).get());
        out.push(k(20).h(after).n(nth).get());
        out.push(k(22).n(c.pieces.len() as u32).n(rule_match).get());
        out.push(k(23).n(inner).get());
        out.push(k(24).n(inner).n(to_end).get());
        out.push(k(31).n(holds).get());
        out.push(k(32).n(holds).h(self.cue).get());
        // The clause breaks the content crosses (`…, noting that`, `…, and has`, `which`),
        // the first four: the break with the word after it and with that word's class; and how
        // many, by length. A content that runs on past a new clause is usually too long.
        let ctx = self.ctx(c.side);
        let mut n = 0u32;
        'p: for &(s, e) in &c.pieces {
            for t in s + 1..e {
                if is_break(self.d, self.ws, t) {
                    n += 1;
                    if n > 4 {
                        break 'p;
                    }
                    let brk = self.ws.lower_h(t);
                    out.push(k(37).h(brk).h(self.ws.norm_h(Some(t + 1), ctx)).get());
                    out.push(k(38).h(brk).n(self.class(Some(t + 1), ctx)).get());
                }
            }
        }
        out.push(k(39).n(n.min(5)).n(len).get());
    }

    /// All features of candidate `c` (training reads these).
    pub fn features(&self, c: &Cand, out: &mut Vec<u32>) {
        out.clear();
        let (a, b) = (c.pieces[0].0, c.pieces[c.pieces.len() - 1].1);
        self.side_features(c.side, out);
        self.start_features(c.side, a, out);
        self.end_features(c.side, b, out);
        self.whole_features(c, out);
    }

    /// The score of every candidate, as `w.score(features)` would give it, with the parts that
    /// depend only on the side, the start or the end summed once each.
    pub fn scores(&self, cands: &[Cand], w: &Weights, out: &mut Vec<f32>) {
        out.clear();
        let mut feats = Vec::with_capacity(16);
        let mut part = |key: (u8, usize), cache: &mut Vec<((u8, usize), f32)>, f: &dyn Fn(&mut Vec<u32>)| {
            if let Some(&(_, x)) = cache.iter().find(|(k, _)| *k == key) {
                return x;
            }
            feats.clear();
            f(&mut feats);
            let x = w.score(&feats);
            cache.push((key, x));
            x
        };
        let (mut sides, mut starts, mut ends) = (Vec::new(), Vec::new(), Vec::new());
        let mut whole = Vec::with_capacity(16);
        for c in cands {
            let (a, b) = (c.pieces[0].0, c.pieces[c.pieces.len() - 1].1);
            let side = c.side;
            let x = part((side as u8, 0), &mut sides, &|o| self.side_features(side, o))
                + part((side as u8, a), &mut starts, &|o| self.start_features(side, a, o))
                + part((side as u8, b), &mut ends, &|o| self.end_features(side, b, o));
            whole.clear();
            self.whole_features(c, &mut whole);
            out.push(x + w.score(&whole));
        }
    }
}
