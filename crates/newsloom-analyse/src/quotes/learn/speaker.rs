//! Speakers for a cue: candidates (the rules' reading, the subject before the cue, the phrase
//! after it, a pronoun fused with the cue word, a passive cue's agent, a possessive before a
//! noun cue, the words right before the cue, the names, pronouns, quantifiers and speaker nouns
//! of the sentence, or none) and their features for the learnt speaker scorer, which picks one.

use super::super::find::{left_np, right_np, trim_end};
use super::super::lexicon as lx;
use super::super::text::Doc;
use super::cue::Words;
use super::perceptron::Key;

/// Template ids of the speaker scorer.
const T: u8 = 128;

/// One candidate speaker (`None`: the attribution names no source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SpeakerCand {
    pub span: Option<(usize, usize)>,
    /// Agrees with the rules' speaker / is the subject before the cue / the phrase after it.
    pub rule: bool,
    pub subject: bool,
    pub inverted: bool,
    /// Is the cue word itself, a pronoun fused with its auxiliary (`He’s predicting`).
    pub fused: bool,
    /// Is the agent of a passive cue (`criticized by some of his rivals`).
    pub agent: bool,
    /// Among candidates on the same side of the cue, 0 for the nearest.
    pub rank: usize,
}

/// Phrases of `[a, b)` that may name a speaker: runs of capitalised words, pronouns, and
/// phrases ending in a speaker noun (`the ministry`, `senior aides`).
fn chunks(d: &Doc, ws: &Words, a: usize, b: usize, out: &mut Vec<(usize, usize)>) {
    let mut k = a;
    while k < b {
        if d.in_quote[k].is_some() || !d.toks[k].word {
            k += 1;
            continue;
        }
        let l = ws.lower(k);
        // Quantifiers stand for people as pronouns do (`some say`, `most are planning`).
        if (lx::is_pronoun(l) && l != "one" && l != "you") || is_quantifier(l) {
            out.push((k, k + 1));
            k += 1;
            continue;
        }
        if d.is_cap(k) && !lx::is_np_stop(l) && !lx::is_determiner(l) {
            let mut e = k + 1;
            while e < b && e < k + 6 && d.is_cap(e) && d.in_quote[e].is_none() {
                e += 1;
            }
            out.push((k, e));
            k = e;
            continue;
        }
        if lx::is_speaker_noun(l) {
            let mut s = k;
            while s > a && s + 4 > k && d.toks[s - 1].word && !lx::is_np_stop(ws.lower(s - 1)) {
                s -= 1;
                if lx::is_determiner(ws.lower(s)) {
                    break;
                }
            }
            out.push((s, k + 1));
        }
        k += 1;
    }
}

/// The candidates for the cue `[cs, ce)` anchored at `anchor` in sentence `si`; `rule` is the
/// rules' speaker for it, `content` the chosen content (a speaker lies outside it).
pub(crate) fn candidates(
    d: &Doc,
    ws: &Words,
    si: usize,
    (cs, ce): (usize, usize),
    rule: Option<(usize, usize)>,
    content: &[(usize, usize)],
    out: &mut Vec<SpeakerCand>,
) {
    out.clear();
    let sent = d.sents[si];
    let se = trim_end(d, sent.a, sent.b);
    let subject = left_np(d, sent.a, cs);
    let inverted = if d.tok(cs) == "according" {
        super::super::find::according_np(d, ce, se)
    } else {
        right_np(d, ce, se)
    };
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(16);
    spans.extend(rule);
    spans.extend(subject);
    spans.extend(inverted);
    let fused = (ce == cs + 1 && fused_pronoun(ws.lower(cs))).then_some((cs, ce));
    spans.extend(fused);
    let agent = agent_np(d, ws, ce, se);
    spans.extend(agent);
    // `his comments`, `their chants of`: a possessive right before a noun cue names its owner.
    for k in cs.saturating_sub(3).max(sent.a)..cs {
        if matches!(ws.lower(k), "his" | "her" | "their" | "its" | "my" | "our") {
            spans.push((k, k + 1));
        }
    }
    spans.extend(words_before(d, ws, sent.a, cs));
    // A relative pronoun right before the cue (`the study, which notes`, `a report that found`).
    if cs > sent.a && matches!(ws.lower(cs - 1), "which" | "that" | "who") {
        spans.push((cs - 1, cs));
    }
    chunks(d, ws, sent.a.max(cs.saturating_sub(25)), cs, &mut spans);
    chunks(d, ws, ce, se.min(ce + 15), &mut spans);
    let inside = |(s, e): (usize, usize)| content.iter().any(|&(a, b)| s >= a && e <= b);
    out.push(SpeakerCand {
        span: None,
        rule: rule.is_none(),
        subject: false,
        inverted: false,
        fused: false,
        agent: false,
        rank: 0,
    });
    for sp in spans {
        if sp.0 >= sp.1 || out.iter().any(|c| c.span == Some(sp)) || (inside(sp) && Some(sp) != rule) {
            continue;
        }
        out.push(SpeakerCand {
            span: Some(sp),
            rule: Some(sp) == rule,
            subject: Some(sp) == subject,
            inverted: Some(sp) == inverted,
            fused: Some(sp) == fused,
            agent: Some(sp) == agent,
            rank: 0,
        });
    }
    // Nearness rank on each side of the cue.
    let dist =
        |c: &SpeakerCand| c.span.map(|(s, e)| if e <= cs { (0, cs - e) } else { (1, s.saturating_sub(ce)) });
    let ds: Vec<_> = out.iter().map(dist).collect();
    for (i, c) in out.iter_mut().enumerate() {
        if let Some((side, x)) = ds[i] {
            c.rank = ds.iter().filter(|o| o.is_some_and(|(s2, y)| s2 == side && y < x)).count();
        }
    }
}

/// Words that stand for a group of people as a subject (`some say`, `both have put forward`).
fn is_quantifier(lower: &str) -> bool {
    matches!(
        lower,
        "some" | "most" | "both" | "none" | "half" | "many" | "few" | "others" | "several" | "all"
    )
}

/// `The reports show`, `multiple reports reveal`: up to four words right before the cue, back to
/// punctuation, a quotation or a clause word, as a phrase whatever its case (the capitalised
/// runs and speaker nouns of [`chunks`] miss lower-case sources).
fn words_before(d: &Doc, ws: &Words, lo: usize, cs: usize) -> Option<(usize, usize)> {
    let mut k = cs;
    while k > lo
        && k + 5 > cs
        && d.toks[k - 1].word
        && d.in_quote[k - 1].is_none()
        && !lx::is_np_stop(ws.lower(k - 1))
    {
        k -= 1;
    }
    (k < cs).then_some((k, cs))
}

/// `he’s`, `she’d`, `they’re`: a personal pronoun fused with an auxiliary into one word.
fn fused_pronoun(lower: &str) -> bool {
    let Some((p, aux)) = lower.split_once(['’', '\'']) else { return false };
    matches!(p, "he" | "she" | "i" | "we" | "they" | "you")
        && matches!(aux, "s" | "re" | "m" | "ve" | "d" | "ll")
}

/// The agent of a passive cue: the phrase after `by` within a few words of the cue, up to
/// punctuation or a clause word (`criticized by some of his rivals for`).
fn agent_np(d: &Doc, ws: &Words, ce: usize, se: usize) -> Option<(usize, usize)> {
    let by = (ce..se.min(ce + 6)).find(|&k| d.in_quote[k].is_none() && ws.lower(k) == "by")?;
    let mut e = by + 1;
    while e < se.min(by + 9)
        && d.toks[e].word
        && d.in_quote[e].is_none()
        && !matches!(
            ws.lower(e),
            "that"
                | "who"
                | "which"
                | "for"
                | "to"
                | "in"
                | "on"
                | "at"
                | "with"
                | "after"
                | "before"
                | "because"
                | "as"
        )
    {
        e += 1;
    }
    (e > by + 1).then_some((by + 1, e))
}

fn bucket(n: usize) -> u32 {
    match n {
        0..=2 => n as u32,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

/// Features of speaker candidate `c` for the cue `[cs, ce)` at `anchor`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn features(
    d: &Doc,
    si: usize,
    anchor: usize,
    (cs, ce): (usize, usize),
    has_rule: bool,
    c: &SpeakerCand,
    ws: &Words,
    out: &mut Vec<u32>,
) {
    out.clear();
    let sent = d.sents[si];
    let cue = ws.lower_h(anchor);
    let k = |t: u8| Key::new(T + t);
    let Some((s, e)) = c.span else {
        out.push(k(0).get());
        out.push(k(1).h(cue).get());
        out.push(k(2).n(has_rule as u32).get());
        out.push(k(3).h(ws.norm_h(cs.checked_sub(1), sent)).get());
        return;
    };
    let right = s >= ce;
    let dist = bucket(if right { s - ce } else { cs.saturating_sub(e) });
    let head: &str = ws.lower(e - 1);
    let kind = if c.fused {
        6
    } else if c.agent {
        7
    } else if e == s + 1 && matches!(head, "which" | "that") {
        5
    } else if e == s + 1 && lx::is_pronoun(head) {
        1
    } else if d.is_cap(e - 1) {
        2
    } else if lx::is_speaker_noun(head) {
        3
    } else {
        4
    };
    let (lo, hi) = if right { (ce, s) } else { (e, cs) };
    let comma = (lo..hi).any(|x| d.is(x, ",")) as u32;
    let clause = (lo..hi).any(|x| matches!(ws.lower(x), "that" | "who" | "which" | "and" | "but")) as u32;
    let before = ws.norm_h(s.checked_sub(1), sent);
    let after = ws.norm_h(Some(e), sent);
    let flags = (c.rule as u32) | (c.subject as u32) << 1 | (c.inverted as u32) << 2 | (c.agent as u32) << 3;
    let rank = c.rank.min(3) as u32;
    let dir = right as u32;
    out.push(k(10).n(flags).get());
    out.push(k(11).n(flags).n(has_rule as u32).get());
    out.push(k(12).n(dir).n(dist).get());
    out.push(k(13).n(dir).n(rank).get());
    out.push(k(14).n(dir).n(kind).get());
    out.push(k(15).h(cue).n(dir).get());
    out.push(k(16).h(cue).n(kind).get());
    out.push(k(17).n(dir).h(before).get());
    out.push(k(18).n(dir).h(after).get());
    out.push(k(19).n(dir).n(comma).n(clause).get());
    out.push(k(20).h(ws.norm_h(Some(e - 1), sent)).get());
    out.push(k(21).n(flags).n(dir).n(rank).get());
    out.push(k(22).n(dir).n(rank).n(kind).n(comma).get());
    out.push(k(23).h(cue).n(dir).n(rank).get());
}
