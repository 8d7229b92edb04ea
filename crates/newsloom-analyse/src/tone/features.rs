//! Features of one target mention in its sentence, for the target-dependent tone model.
//!
//! The same function serves training and tagging, so the two cannot drift. Words are lower case
//! with digits folded to `0`; the target's own words are left out (the model learns what is
//! said about a mention, not who it is). Features are hashed into [`BUCKETS`] rows.

use super::lexicon::{Lexicon, normalize};
use std::borrow::Cow;

/// log2 of the number of hashed feature rows.
pub const BUCKET_BITS: u32 = 20;
pub const BUCKETS: usize = 1 << BUCKET_BITS;
/// Words either side of the target that get position-aware features.
const WINDOW: usize = 4;

/// A word normalised for lookup: lower case, curly apostrophes straight, digits folded to `0`.
pub fn normalize_word(w: &str) -> Cow<'_, str> {
    let plain = w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'.');
    if plain {
        return Cow::Borrowed(w);
    }
    let mut s = String::with_capacity(w.len());
    let mut last_digit = false;
    for c in w.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                s.push('0');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        match c {
            '’' | '‘' | '`' => s.push('\''),
            c => s.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(s)
}

/// FNV-1a over a template tag and up to two strings, reduced to a bucket.
#[inline]
fn bucket(tag: &str, a: &str, b: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in [tag.as_bytes(), b"\x1f", a.as_bytes(), b"\x1f", b.as_bytes()] {
        for &x in part {
            h ^= x as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    // The high bits of FNV mix best.
    h >> (32 - BUCKET_BITS)
}

/// Clause breaks: a sentiment word on the other side of one of these says less about the target.
fn is_clause_break(w: &str) -> bool {
    matches!(w, "," | ";" | ":" | "—" | "–" | "(" | ")" | "but" | "while" | "whereas" | "although")
}

/// Appends the (bucket, value) features of the target `t0..t1` (word indices) of a sentence.
/// `words` are normalised ([`normalize_word`]); `valences` are their contextual lexicon
/// valences ([`Lexicon::contextual_valences`]).
pub fn target_features(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let t1 = t1.min(words.len());
    let t0 = t0.min(t1);
    bag_features(words, t0, t1, out);
    local_features(lex, words, valences, t0, t1, out);
}

/// The unigram of word `i` and the bigram starting there: the sentence-wide bag features.
#[inline]
pub fn bag_at(words: &[Cow<'_, str>], i: usize) -> (u32, Option<u32>) {
    let bg = (i + 1 < words.len()).then(|| bucket("bg", &words[i], &words[i + 1]));
    (bucket("w", &words[i], ""), bg)
}

/// Bag of words and bigrams of the sentence, without those touching the target. (At tagging
/// time these are summed once per sentence and the target's own are taken off, which gives the
/// same scores.)
pub fn bag_features(words: &[Cow<'_, str>], t0: usize, t1: usize, out: &mut Vec<(u32, f32)>) {
    let n = words.len();
    let outside = |i: usize| i < t0 || i >= t1;
    for i in (0..n).filter(|&i| outside(i)) {
        let (w, bg) = bag_at(words, i);
        out.push((w, 1.0));
        if let Some(bg) = bg.filter(|_| outside(i + 1)) {
            out.push((bg, 1.0));
        }
    }
}

/// Everything but the bag: position-aware words near the target, lexicon evidence, place in
/// the sentence.
pub fn local_features(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let n = words.len();
    let t1 = t1.min(n);
    let t0 = t0.min(t1);
    out.push((bucket("bias", "", ""), 1.0));
    let outside = |i: usize| i < t0 || i >= t1;
    // Words near the target, by side and (close in) by distance.
    for d in 1..=WINDOW {
        if let Some(i) = t0.checked_sub(d) {
            out.push((bucket("L", &words[i], ""), 1.0));
            if d <= 2 {
                out.push((bucket(["L1", "L2"][d - 1], &words[i], ""), 1.0));
            }
        }
        let i = t1 + d - 1;
        if i < n {
            out.push((bucket("R", &words[i], ""), 1.0));
            if d <= 2 {
                out.push((bucket(["R1", "R2"][d - 1], &words[i], ""), 1.0));
            }
        }
    }
    if t0 >= 2 {
        out.push((bucket("Lbg", &words[t0 - 2], &words[t0 - 1]), 1.0));
    }
    if t1 + 1 < n {
        out.push((bucket("Rbg", &words[t1], &words[t1 + 1]), 1.0));
    }
    // Where the target stands: sentence subject, first or later.
    let lead = words[..t0].iter().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    out.push((
        bucket(
            "pos",
            if lead == 0 {
                "first"
            } else if lead <= 3 {
                "early"
            } else {
                "late"
            },
            "",
        ),
        1.0,
    ));
    // Lexicon evidence: the whole sentence, the target's clause, and the near window.
    let clause_start = (0..t0).rev().find(|&i| is_clause_break(&words[i])).map_or(0, |i| i + 1);
    let clause_end = (t1..n).find(|&i| is_clause_break(&words[i])).unwrap_or(n);
    let (mut all, mut clause, mut near, mut pos, mut neg) = (0.0f32, 0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (i, &v) in valences.iter().enumerate() {
        if v == 0.0 || !outside(i) {
            continue;
        }
        all += v;
        if v > 0.0 {
            pos += v
        } else {
            neg -= v
        }
        if (clause_start..clause_end).contains(&i) {
            clause += v;
        }
        let dist = if i < t0 { t0 - i } else { i + 1 - t1 };
        if dist <= WINDOW {
            near += v;
        }
        // Sentiment words with their (negated or not) direction and side.
        let dir = if v > 0.0 { "+" } else { "-" };
        let negated = lex.valence(&words[i]).is_some_and(|raw| raw.signum() != v.signum());
        let side = if i < t0 { "L" } else { "R" };
        out.push((bucket("lexw", &words[i], if negated { "neg" } else { "" }), 1.0));
        out.push((bucket("lexdir", dir, side), 1.0));
    }
    for (tag, v) in [("sent", all), ("clause", clause), ("near", near)] {
        out.push((bucket(tag, "", ""), normalize(v)));
    }
    out.push((bucket("lexpos", "", ""), normalize(pos)));
    out.push((bucket("lexneg", "", ""), normalize(neg)));
    // Quoted speech: sentiment inside quotes is the speaker's, not about the speaker.
    let quotes = words.iter().filter(|w| matches!(w.as_ref(), "\"" | "“" | "”" | "``" | "''")).count();
    if quotes > 0 {
        out.push((bucket("quoted", "", ""), 1.0));
    }
}
