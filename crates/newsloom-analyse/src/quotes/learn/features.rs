//! Features of one candidate content: where its boundaries fall (the words on either side),
//! its cue word, its length, where it lies against the cue and the speaker, and the rules'
//! own reading (kind, confidence, lexicon class of the cue).

use super::super::find::{Hit, lower};
use super::super::lexicon::{self as lx, CueKind};
use super::super::text::{Doc, Sent};
use super::candidates::{Origin, Variant};
use super::perceptron::key;

const QUOTE_MARKS: &[&str] = &["“", "”", "\"", "«", "»", "„"];

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        9..=16 => "9-16",
        17..=32 => "17-32",
        _ => "33+",
    }
}

/// A boundary word: lowercase words, punctuation as is, and names by shape.
fn word(d: &Doc, i: Option<usize>) -> String {
    match i {
        None => "<none>".into(),
        Some(i) if i >= d.toks.len() => "<end>".into(),
        Some(i) if d.is_cap(i) && !lx::is_pronoun(&lower(d, i)) && lx::cue_kind(&lower(d, i)).is_none() => {
            if lx::is_np_stop(&lower(d, i)) {
                lower(d, i).into_owned()
            } else {
                "<Cap>".into()
            }
        }
        Some(i) => lower(d, i).into_owned(),
    }
}

pub(crate) struct Input<'a> {
    pub hit: &'a Hit,
    pub origin: Origin,
    pub variant: Variant,
    pub content: &'a [(usize, usize)],
    pub sent: Sent,
    pub sent_index: usize,
}

impl<'a> Input<'a> {
    /// One variant of a candidate, as both inference and training score it: one constructor so
    /// the two paths cannot drift apart.
    pub fn of(
        d: &Doc,
        c: &'a super::candidates::Candidate,
        variant: Variant,
        content: &'a [(usize, usize)],
    ) -> Self {
        Input { hit: &c.hit, origin: c.origin, variant, content, sent: d.sents[c.sent], sent_index: c.sent }
    }
}

pub(crate) fn features(d: &Doc, x: &Input, out: &mut Vec<u32>) {
    out.clear();
    let h = x.hit;
    let (a, b) = (x.content.first().map_or(0, |c| c.0), x.content.last().map_or(0, |c| c.1));
    let v = x.variant as u8;
    let org = match x.origin {
        Origin::Rule => "R",
        Origin::Learnt => "L",
    };
    let kind = format!("{:?}", h.kind);
    let cue = h.cue.map(|(s, e)| lower(d, e - 1).into_owned() + if e - s > 1 { "+" } else { "" });
    let cue_s = cue.as_deref().unwrap_or("<none>");
    let lex = match h.cue.and_then(|(s, _)| lx::cue_kind(&lower(d, s))) {
        Some(CueKind::Strong) => "strong",
        Some(CueKind::Weak) => "weak",
        None => "none",
    };
    let words = (a..b).filter(|&k| d.toks[k].word).count();
    let len = bucket(words);
    let pos = match h.cue {
        None => "nocue",
        Some((cs, _)) if cs >= b => "before",
        Some((_, ce)) if ce <= a => "after",
        Some(_) => "around",
    };
    let gap = match h.cue {
        Some((_, ce)) if ce <= a => bucket(a - ce),
        Some((cs, _)) if cs >= b => bucket(cs - b),
        _ => "-",
    };
    let spk = match h.speaker {
        None => "none",
        Some((s, e)) if e == s + 1 && lx::is_pronoun(&lower(d, s)) => "pron",
        Some((_, e)) if d.is_cap(e - 1) => "cap",
        Some(_) => "lower",
    };
    let first = word(d, Some(a));
    let last = word(d, b.checked_sub(1));
    let before = word(d, a.checked_sub(1).filter(|&k| k >= x.sent.a).or(Some(usize::MAX)));
    let after = word(d, Some(if b < x.sent.b { b } else { usize::MAX }));
    let qs = x.content.iter().any(|&(s, _)| QUOTE_MARKS.contains(&d.tok(s)));
    let qe = b > a && QUOTE_MARKS.contains(&d.tok(b - 1));
    let qin = x.content.iter().any(|&(s, e)| (s..e).any(|k| d.in_quote[k].is_some()));
    let at_start = a == x.sent.a;
    let to_end = (b..x.sent.b).all(|k| !d.toks[k].word);
    let conf = (h.confidence * 10.0).round() as u32;
    let sent_pos = match x.sent_index {
        0 => "title",
        1..=3 => "lead",
        _ => "body",
    };
    let mut f = |t: u8, s: &str| out.push(key(t, s));
    f(0, "");
    f(1, &format!("{org}{kind}"));
    f(2, cue_s);
    f(3, &format!("{cue_s}|{v}"));
    f(4, &format!("{org}{v}"));
    f(5, &first);
    f(6, &before);
    f(7, &last);
    f(8, &after);
    f(9, &format!("{len}|{v}"));
    f(10, &format!("{pos}|{v}"));
    f(11, spk);
    f(12, &format!("{qs}{qe}{qin}"));
    f(13, &format!("{org}{conf}"));
    f(14, &format!("{gap}|{pos}"));
    f(15, &format!("{at_start}{to_end}|{pos}"));
    f(16, &format!("{lex}{org}"));
    f(17, &x.content.len().min(3).to_string());
    f(18, &format!("{cue_s}|{pos}"));
    f(19, sent_pos);
    f(20, &format!("{first}|{v}"));
    f(21, &format!("{after}|{v}"));
    f(22, &format!("{before}|{first}"));
    f(23, &format!("{last}|{after}"));
    f(24, &format!("{cue_s}|{len}"));
    f(25, &format!("{kind}|{v}|{qs}{qe}"));
    f(26, &format!("{spk}|{pos}|{org}"));
    f(27, &format!("{cue_s}|{first}"));
    f(28, &format!("{len}|{pos}|{kind}"));
    // Learnt-cue candidates get weights of their own: for them the score also decides
    // whether to keep the candidate, for the rules' hits only which boundaries to take.
    if x.origin == Origin::Learnt {
        for k in out.iter_mut() {
            *k = (*k ^ 0x5bd1_e995).max(1);
        }
    }
}
