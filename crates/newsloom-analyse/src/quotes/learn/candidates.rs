//! Candidate attributions for the learnt scorer: the rules' hits, hits for cue words the
//! training data knows but the lexicon lacks, and for each a few alternative content
//! boundaries (to the sentence end, cut at the first clause break, from the sentence start…).
//! The scorer picks among them; the rules decide nothing final.

use super::super::find::{Hit, lower, trim_end, words_between};
use super::super::lexicon as lx;
use super::super::reported::hit_for_cue;
use super::super::text::{Doc, Sent};
use newsloom_model::QuoteKind;
use std::collections::HashSet;

/// Where a candidate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Rule,
    /// A cue word from the learnt vocabulary, framed by the rules' reading of a speech cue.
    Learnt,
}

/// How a variant's content was derived from the hit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Variant {
    AsFound = 0,
    ToSentenceEnd = 1,
    CutAtBreak = 2,
    FromSentenceStart = 3,
    FromCue = 4,
    IntoNextSentence = 5,
    BeforeCue = 6,
}

pub(crate) struct Candidate {
    pub hit: Hit,
    pub origin: Origin,
    pub sent: usize,
}

/// The sentence holding token `t` (sentences are sorted and do not overlap).
pub(crate) fn sentence_of(d: &Doc, t: usize) -> usize {
    d.sents.partition_point(|s| s.b <= t).min(d.sents.len().saturating_sub(1))
}

fn anchor(h: &Hit) -> usize {
    h.cue.map_or(h.content.first().map_or(0, |c| c.0), |c| c.0)
}

/// The rules' hits plus one hit per learnt cue word that no rule hit uses as its cue.
pub(crate) fn candidates(d: &Doc, hits: Vec<Hit>, vocab: &HashSet<String>) -> Vec<Candidate> {
    let mut used: HashSet<usize> = HashSet::new();
    // Quotations the rules' hits already hold (by quotation index; found by binary search so
    // long run-on contents cost nothing extra).
    let mut held = vec![false; d.quotes.len()];
    for h in &hits {
        if let Some((s, e)) = h.cue {
            used.extend(s..e);
        }
        for &(s, e) in &h.content {
            if s < e
                && let Some(q) = d.in_quote[s]
            {
                held[q as usize] = true;
            }
            let first = d.quotes.partition_point(|q| q.open < s);
            for (qi, q) in d.quotes.iter().enumerate().skip(first) {
                if q.open >= e {
                    break;
                }
                held[qi] = true;
            }
        }
    }
    let mut out: Vec<Candidate> = hits
        .into_iter()
        .map(|h| Candidate { sent: sentence_of(d, anchor(&h)), hit: h, origin: Origin::Rule })
        .collect();
    if vocab.is_empty() {
        return out;
    }
    for (si, &sent) in d.sents.iter().enumerate() {
        // Bounded work per sentence, as in the rules.
        let mut n = 0;
        for i in sent.a..sent.b {
            if n >= 8 {
                break;
            }
            if !d.toks[i].word || d.in_quote[i].is_some() || used.contains(&i) {
                continue;
            }
            let l = lower(d, i);
            // Words of the rules' lexicon were already read (and passed over on purpose, e.g.
            // passives); the learnt vocabulary adds the others.
            if !vocab.contains(&*l) || lx::cue_kind(&l).is_some() || l == "according" {
                continue;
            }
            n += 1;
            if let Some(h) = hit_for_cue(d, sent, i)
                && !h
                    .content
                    .iter()
                    .any(|&(s, e)| (s..e).any(|k| d.in_quote[k].is_some_and(|q| held[q as usize])))
            {
                out.push(Candidate { hit: h, origin: Origin::Learnt, sent: si });
            }
        }
    }
    out
}

/// First clause break (`,` `;` `—` `(`) after at least three words of `[a, b)`, outside quotes.
fn first_break(d: &Doc, a: usize, b: usize) -> Option<usize> {
    let mut words = 0;
    for k in a..b {
        if d.toks[k].word {
            words += 1;
            continue;
        }
        if words >= 3 && d.in_quote[k].is_none() && matches!(d.tok(k), "," | ";" | "—" | "–" | "(") {
            return Some(k);
        }
    }
    None
}

/// Alternative contents for a hit, the hit's own first. Each is token ranges `[s, e)`.
/// With `boundaries` off, only the hit's own content.
pub(crate) fn variants(d: &Doc, c: &Candidate, boundaries: bool) -> Vec<(Variant, Vec<(usize, usize)>)> {
    let h = &c.hit;
    let mut out = vec![(Variant::AsFound, h.content.clone())];
    // Measured: choosing among alternative boundaries lost F1 on dev and in cross-validation
    // (the indirect row most), so the shipped model keeps the rules' boundaries; the
    // machinery stays for `TrainConfig::boundaries` experiments.
    if !boundaries || h.content.len() != 1 || d.sents.is_empty() || h.kind != QuoteKind::Indirect {
        return out;
    }
    let (a, b) = h.content[0];
    let sent: Sent = d.sents[c.sent];
    if a < sent.a || b > sent.b {
        // A quotation running over several sentences: its marks are its boundaries.
        return out;
    }
    let se = trim_end(d, sent.a, sent.b);
    let mut push = |v: Variant, s: usize, e: usize| {
        let e = trim_end(d, s, e);
        // A quotation is the rules' to frame: a variant does not reach into one it lacked.
        let new_quote = (s..e).any(|k| (k < a || k >= b) && d.in_quote[k].is_some());
        if s < e
            && !new_quote
            && words_between(d, s, e) >= 1
            && !out.iter().any(|(_, x)| x.as_slice() == [(s, e)])
        {
            out.push((v, vec![(s, e)]));
        }
    };
    if b < se {
        push(Variant::ToSentenceEnd, a, se);
    }
    if let Some(k) = first_break(d, a, b) {
        push(Variant::CutAtBreak, a, k);
    }
    let cue = h.cue;
    if a > sent.a && cue.is_none_or(|(cs, _)| cs >= b || cs < a) {
        let s = cue.filter(|&(cs, _)| cs < a).map_or(sent.a, |(_, ce)| ce.max(sent.a));
        push(Variant::FromSentenceStart, sent.a, b);
        if s > sent.a {
            push(Variant::FromCue, s, b);
        }
    }
    if b >= se && c.sent + 1 < d.sents.len() {
        let next = d.sents[c.sent + 1];
        if next.para == sent.para {
            push(Variant::IntoNextSentence, a, trim_end(d, next.a, next.b));
        }
    }
    // The rules read the clause after the cue; the attribution may be the one before it.
    if let Some((cs, _)) = cue
        && a > cs
        && cs > sent.a + 2
    {
        push(Variant::BeforeCue, sent.a, cs);
    }
    out
}

/// The kind of a variant: the hit's own for its own content; otherwise partial when any of it
/// is quoted.
pub(crate) fn variant_kind(d: &Doc, h: &Hit, v: Variant, content: &[(usize, usize)]) -> QuoteKind {
    if v == Variant::AsFound {
        return h.kind;
    }
    if content.iter().any(|&(a, e)| (a..e).any(|k| d.in_quote[k].is_some())) {
        QuoteKind::Partial
    } else {
        QuoteKind::Indirect
    }
}
