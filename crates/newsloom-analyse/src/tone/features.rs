//! Features of one target mention in its sentence, for the target-dependent tone model.
//!
//! The same function serves training and tagging, so the two cannot drift. Words are lower case
//! with digits folded to `0`; the target's own words are left out (the model learns what is
//! said about a mention, not who it is). Sparse features are hashed into [`BUCKETS`] rows; the
//! averaged word vectors around the target ([`super::vectors`]) are [`DENSE`] dense features
//! numbered from `BUCKETS` on.

use super::lexicon::{Lexicon, normalize};
use super::vectors::{DIM, SentenceVectors, VectorSum, WordVectors};
use std::borrow::Cow;

/// log2 of the number of hashed feature rows.
pub const BUCKET_BITS: u32 = 20;
pub const BUCKETS: usize = 1 << BUCKET_BITS;
/// Words either side of the target that get position-aware features.
const WINDOW: usize = 4;
/// Averaged word vectors, each a block of [`DIM`] dense features: the words in the window
/// left / right of the target, the sentence, its sentiment words, the word right before /
/// after the target, the target's clause, the sentence left / right of the target.
pub const DENSE_BLOCKS: usize = 9;
/// Number of dense features; their keys are `BUCKETS..BUCKETS + DENSE`.
pub const DENSE: usize = DENSE_BLOCKS * DIM;
/// Dense feature values are the mean unit vector times this: with the sparse features' step
/// size they learn at a useful pace (5-fold F1m with four of the blocks and v2's step, scale
/// 2 / 4 / 8: 69.3 / 69.6 / 69.5).
const VECTOR_SCALE: f32 = 4.0;

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
pub(crate) fn bucket(tag: &str, a: &str, b: &str) -> u32 {
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

/// The bucket of the always-on bias feature (the decision shift is added to its row).
pub fn bias_bucket() -> u32 {
    bucket("bias", "", "")
}

/// Clause breaks: a sentiment word on the other side of one of these says less about the target.
fn is_clause_break(w: &str) -> bool {
    matches!(w, "," | ";" | ":" | "—" | "–" | "(" | ")" | "but" | "while" | "whereas" | "although")
}

/// Appends the (bucket, value) features of the target `t0..t1` (word indices) of a sentence.
/// `words` are normalised ([`normalize_word`]); `valences` are their contextual lexicon
/// valences ([`Lexicon::contextual_valences`]); `vectors` their rows in the shipped word
/// vectors ([`SentenceVectors::new`]). Returns how many of the appended features are the
/// sentence bag ([`bag_features`]): they come first, and the local half of the model is
/// trained without them ([`super::TrainConfig::local_share`]).
#[allow(clippy::too_many_arguments)]
pub fn target_features(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    names: &[bool],
    vectors: &SentenceVectors,
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) -> usize {
    let t1 = t1.min(words.len());
    let t0 = t0.min(t1);
    let before = out.len();
    bag_features(words, t0, t1, out);
    let bag = out.len() - before;
    local_features(lex, words, valences, names, vectors, t0, t1, out);
    bag
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
/// the sentence, averaged word vectors around it.
#[allow(clippy::too_many_arguments)]
pub fn local_features(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    names: &[bool],
    vectors: &SentenceVectors,
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let span = local_sparse(lex, words, valences, names, t0, t1, out);
    vector_features(vectors, valences, &span, out);
}

/// Where a target's vector blocks lie in its sentence ([`VectorSpan::ranges`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VectorSpan {
    pub n: usize,
    pub t0: usize,
    pub t1: usize,
    pub clause_start: usize,
    pub clause_end: usize,
}

/// The block of the sentiment words outside the target (they have no range).
pub const SENTIMENT_BLOCK: usize = 3;

impl VectorSpan {
    /// The words of each dense block, as up to two ranges (the blocks that skip the target);
    /// the [`SENTIMENT_BLOCK`] has none (its words are the sentiment words outside the target).
    pub fn ranges(&self) -> [[std::ops::Range<usize>; 2]; DENSE_BLOCKS] {
        let (n, t0, t1) = (self.n, self.t0, self.t1);
        let none = || n..n;
        [
            [t0.saturating_sub(WINDOW)..t0, none()],
            [t1..(t1 + WINDOW).min(n), none()],
            [0..t0, t1..n],
            [none(), none()],
            [t0.saturating_sub(1)..t0, none()],
            [t1..(t1 + 1).min(n), none()],
            [self.clause_start.min(t0)..t0, t1..self.clause_end.clamp(t1, n)],
            [0..t0, none()],
            [t1..n, none()],
        ]
    }

    /// Is word `i` a sentiment word outside the target?
    #[inline]
    pub fn in_sentiment_block(&self, i: usize, valences: &[f32]) -> bool {
        (i < self.t0 || i >= self.t1) && valences.get(i).is_some_and(|&v| v != 0.0)
    }

    /// The value of a dense feature of a block of `count` words is its summed quantised
    /// components times this.
    pub fn block_scale(count: u32) -> f32 {
        VECTOR_SCALE * WordVectors::shared().step() / count as f32
    }
}

/// [`local_features`] without the vector blocks (the tagger scores those from per-word
/// projections, [`super::ToneModel::add_vector_scores`]); returns where the blocks lie.
pub fn local_sparse(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    names: &[bool],
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) -> VectorSpan {
    let n = words.len();
    let t1 = t1.min(n);
    let t0 = t0.min(t1);
    out.push((bias_bucket(), 1.0));
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
    let quotes = words.iter().filter(|w| is_quote(w)).count();
    if quotes > 0 {
        out.push((bucket("quoted", "", ""), 1.0));
    }
    target_relations(lex, words, valences, t0, t1, clause_start, clause_end, out);
    other_names(words, valences, names, t0, t1, out);
    super::roles::role_features(words, valences, t0, t1, clause_start, clause_end, out);
    // Crude stems (the first five letters), by side and not, so inflections share weight
    // ("criticised", "criticism").
    for i in (0..n).filter(|&i| outside(i)) {
        let w = words[i].as_ref();
        if w.len() > 5 && w.is_char_boundary(5) {
            let side = if i < t0 { "L" } else { "R" };
            out.push((bucket("P5", &w[..5], side), 1.0));
            out.push((bucket("P5", &w[..5], ""), 1.0));
        }
    }
    VectorSpan { n, t0, t1, clause_start, clause_end }
}

/// Mean word vectors around the target ([`DENSE_BLOCKS`]), as dense features. They carry what
/// is learnt about a word to its neighbours in vector space, words never seen in training
/// included (5-fold F1m 67.95 → 70.24).
fn vector_features(sv: &SentenceVectors, valences: &[f32], span: &VectorSpan, out: &mut Vec<(u32, f32)>) {
    let vecs = WordVectors::shared();
    if vecs.is_empty() || sv.len() != span.n {
        return;
    }
    for (b, [r1, r2]) in span.ranges().into_iter().enumerate() {
        let s = if b == SENTIMENT_BLOCK {
            let mut s = VectorSum::default();
            for i in (0..span.n).filter(|&i| span.in_sentiment_block(i, valences)) {
                s.add(vecs, sv.ids[i]);
            }
            s
        } else {
            sv.range(r1.start, r1.end).plus(&sv.range(r2.start, r2.end))
        };
        if s.count == 0 {
            continue;
        }
        let k = VectorSpan::block_scale(s.count);
        let base = (BUCKETS + b * DIM) as u32;
        out.extend(s.sum.iter().enumerate().map(|(d, &x)| (base + d as u32, x as f32 * k)));
    }
}

/// Which words look like parts of names: capitalised, and at the sentence start only when
/// not a common sentence opener. `raw` are the words as written.
pub fn name_mask<'a>(raw: impl Iterator<Item = &'a str>) -> Vec<bool> {
    raw.enumerate()
        .map(|(i, w)| {
            let cap = w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase);
            cap && (i > 0
                || !matches!(
                    w,
                    "The"
                        | "A"
                        | "An"
                        | "He"
                        | "She"
                        | "It"
                        | "In"
                        | "But"
                        | "And"
                        | "I"
                        | "We"
                        | "They"
                        | "This"
                        | "That"
                        | "His"
                        | "Her"
                        | "Their"
                        | "On"
                        | "At"
                        | "As"
                        | "After"
                        | "If"
                        | "When"
                ))
        })
        .collect()
}

/// Sentiment attributed to the nearest name: a sentiment word nearer another name than the
/// target is likelier about that other person ("Smith praised Jones's courage").
fn other_names(
    words: &[Cow<'_, str>],
    valences: &[f32],
    names: &[bool],
    t0: usize,
    t1: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let n = words.len().min(names.len());
    let others: Vec<usize> = (0..n).filter(|&i| names[i] && !(t0..t1).contains(&i)).collect();
    if others.is_empty() {
        out.push((bucket("alone", "", ""), 1.0));
    } else {
        out.push((bucket("others", if others[0] < t0 { "before" } else { "after" }, ""), 1.0));
    }
    let (mut mine, mut theirs) = (0.0f32, 0.0f32);
    for (i, &v) in valences.iter().enumerate().take(n) {
        if v == 0.0 || (t0..t1).contains(&i) {
            continue;
        }
        let d_me = if i < t0 { t0 - i } else { i + 1 - t1 };
        let d_other = others.iter().map(|&j| j.abs_diff(i)).min().unwrap_or(usize::MAX);
        let dir = if v > 0.0 { "+" } else { "-" };
        if d_me <= d_other {
            mine += v;
            out.push((bucket("attr", dir, "me"), 1.0));
        } else {
            theirs += v;
            out.push((bucket("attr", dir, "other"), 1.0));
        }
    }
    out.push((bucket("mine", "", ""), super::lexicon::normalize(mine)));
    out.push((bucket("theirs", "", ""), super::lexicon::normalize(theirs)));
}

fn is_quote(w: &str) -> bool {
    matches!(w, "\"" | "“" | "”" | "``" | "''")
}

/// The feature tag of a sentiment word at word distance `d` from the target.
fn dist_tag(d: usize) -> &'static str {
    match d {
        0..=1 => "lexsd1",
        2..=3 => "lexsd3",
        4..=7 => "lexsd7",
        _ => "lexsdfar",
    }
}

/// How the target relates to the sentiment around it: distance-weighted lexicon polarity,
/// sentiment words by side and distance, a sentiment word acting on the target right after
/// it (subject: "Smith slammed") or right before it (object: "praised Smith"), negation near
/// the target, and whether the target stands inside a quotation.
#[allow(clippy::too_many_arguments)]
fn target_relations(
    lex: &Lexicon,
    words: &[Cow<'_, str>],
    valences: &[f32],
    t0: usize,
    t1: usize,
    clause_start: usize,
    clause_end: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let n = words.len();
    let (mut dw, mut clause_dw) = (0.0f32, 0.0f32);
    for (i, &v) in valences.iter().enumerate() {
        if v == 0.0 || (t0..t1).contains(&i) {
            continue;
        }
        let dist = if i < t0 { t0 - i } else { i + 1 - t1 };
        let w = 1.0 / (1.0 + dist as f32 / 3.0);
        dw += v * w;
        if (clause_start..clause_end).contains(&i) {
            clause_dw += v * w;
        }
        let dir = if v > 0.0 { "+" } else { "-" };
        let side = if i < t0 { "L" } else { "R" };
        out.push((bucket(dist_tag(dist), dir, side), 1.0));
    }
    out.push((bucket("dw", "", ""), super::lexicon::normalize(dw)));
    out.push((bucket("cdw", "", ""), super::lexicon::normalize(clause_dw)));
    // A sentiment word right after the target (skipping auxiliaries / adverbs) or right before.
    let skip = |w: &str| super::roles::is_verb_filler(w) || w == "repeatedly";
    if let Some(i) = (t1..n.min(t1 + 4)).find(|&i| !skip(&words[i])) {
        if valences[i] != 0.0 {
            let dir = if valences[i] > 0.0 { "+" } else { "-" };
            out.push((bucket("subjv", dir, ""), 1.0));
        }
        if i + 1 < n && valences[i] == 0.0 && valences[i + 1] != 0.0 {
            let dir = if valences[i + 1] > 0.0 { "+" } else { "-" };
            out.push((bucket("subjv2", dir, ""), 1.0));
        }
        // Passive: "Smith was praised by".
        if i > t1 && matches!(words[i - 1].as_ref(), "was" | "is" | "were" | "are" | "been" | "be" | "being")
        {
            out.push((bucket("passive", "", ""), 1.0));
        }
    }
    let mut j = t0;
    while j > 0
        && matches!(
            words[j - 1].as_ref(),
            "the"
                | "a"
                | "of"
                | "to"
                | "for"
                | "by"
                | "with"
                | "president"
                | "former"
                | "sen."
                | "rep."
                | "mr."
                | "ms."
                | "mrs."
                | "dr."
                | "'s"
        )
    {
        j -= 1;
    }
    if let Some(i) = j.checked_sub(1).filter(|&i| valences[i] != 0.0) {
        let dir = if valences[i] > 0.0 { "+" } else { "-" };
        out.push((bucket("objv", dir, ""), 1.0));
    }
    // Negation within three words either side of the target.
    for (i, w) in words.iter().enumerate().take((t1 + 3).min(n)).skip(t0.saturating_sub(3)) {
        if !(t0..t1).contains(&i) && lex.class(w) == super::lexicon::WordClass::Negation {
            out.push((bucket("negnear", if i < t0 { "L" } else { "R" }, ""), 1.0));
        }
    }
    // Inside a quotation (an odd number of quote marks before the target).
    let before = words[..t0].iter().filter(|w| is_quote(w)).count();
    if before % 2 == 1 {
        out.push((bucket("inquote", "", ""), 1.0));
    }
    let after = words[t1.min(n)..].iter().filter(|w| is_quote(w)).count();
    if before == 0 && after > 0 {
        out.push((bucket("quoteafter", "", ""), 1.0));
    } else if after == 0 && before > 0 {
        out.push((bucket("quotebefore", "", ""), 1.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The features of the target words `t0..t1` of a sentence written with spaces between
    /// tokens.
    fn features_of(sentence: &str, t0: usize, t1: usize) -> Vec<(u32, f32)> {
        let lex = Lexicon::shared();
        let raw: Vec<&str> = sentence.split_whitespace().collect();
        let words: Vec<Cow<'_, str>> = raw.iter().map(|w| normalize_word(w)).collect();
        let valences = lex.contextual_valences(&words);
        let names = name_mask(raw.iter().copied());
        let sv = SentenceVectors::new(WordVectors::shared(), &words);
        let mut out = Vec::new();
        target_features(lex, &words, &valences, &names, &sv, t0, t1, &mut out);
        out
    }

    fn has(f: &[(u32, f32)], tag: &str, a: &str, b: &str) -> bool {
        f.iter().any(|&(k, _)| k == bucket(tag, a, b))
    }

    fn value(f: &[(u32, f32)], tag: &str) -> f32 {
        f.iter().filter(|&&(k, _)| k == bucket(tag, "", "")).map(|&(_, v)| v).sum()
    }

    /// The dense block `b` of a feature list, if present.
    fn block(f: &[(u32, f32)], b: usize) -> Option<Vec<f32>> {
        let base = (BUCKETS + b * DIM) as u32;
        let v: Vec<f32> =
            f.iter().filter(|&&(k, _)| (base..base + DIM as u32).contains(&k)).map(|x| x.1).collect();
        (!v.is_empty()).then_some(v)
    }

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        dot / (a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|x| x * x).sum::<f32>().sqrt())
    }

    #[test]
    fn vector_blocks_average_the_words_around_the_target() {
        let v = WordVectors::shared();
        let f = features_of("Smith was praised by critics", 0, 1);
        // Nothing left of a sentence-initial target: no left window, word-before or left blocks.
        for b in [0, 4, 7] {
            assert!(block(&f, b).is_none(), "block {b}");
        }
        // The word right after the target is "was": its own (scaled) vector.
        let after = block(&f, 5).unwrap();
        let was: Vec<f32> = v.row(v.id("was")).iter().map(|&x| x as f32 * v.step() * VECTOR_SCALE).collect();
        assert!(after.iter().zip(&was).all(|(a, b)| (a - b).abs() < 1e-6));
        // The sentiment-word block is the mean of "praised" and "critics" (both in VADER); the
        // sentence block is the mean of all four words.
        let sentiment = block(&f, 3).unwrap();
        let both: Vec<f32> = (0..DIM)
            .map(|d| (v.row(v.id("praised"))[d] as i32 + v.row(v.id("critics"))[d] as i32) as f32)
            .map(|x| x * v.step() * VECTOR_SCALE / 2.0)
            .collect();
        assert!(sentiment.iter().zip(&both).all(|(a, b)| (a - b).abs() < 1e-5));
        let alone = block(&features_of("Jones was praised by voters", 0, 1), 3).unwrap();
        assert!(cosine(&alone, &both) < 0.99 && cosine(&alone, &both) > 0.5);
        let sentence = block(&f, 2).unwrap();
        let mean: Vec<f32> = (0..DIM)
            .map(|d| {
                let sum: i32 =
                    ["was", "praised", "by", "critics"].iter().map(|w| v.row(v.id(w))[d] as i32).sum();
                sum as f32 * v.step() * VECTOR_SCALE / 4.0
            })
            .collect();
        assert!(sentence.iter().zip(&mean).all(|(a, b)| (a - b).abs() < 1e-5));
        // Dense keys sit above the hashed buckets.
        assert!(f.iter().filter(|&&(k, _)| k as usize >= BUCKETS).count() >= 5 * DIM);
        assert!(f.iter().all(|&(k, _)| (k as usize) < BUCKETS + DENSE));
    }

    #[test]
    fn an_unseen_verb_looks_like_its_synonyms() {
        // The word-before block of "lambasted Smith" is close to that of "criticized Smith", far
        // from "met Smith": what is learnt for one carries to the other.
        let before = |s: &str| block(&features_of(s, 2, 3), 4).unwrap();
        let (lambasted, criticized, met) = (
            before("Critics lambasted Smith"),
            before("Critics criticized Smith"),
            before("Critics met Smith"),
        );
        assert!(cosine(&lambasted, &criticized) > cosine(&lambasted, &met) + 0.2);
    }

    #[test]
    fn projected_vector_scores_equal_the_feature_list_scores() {
        // The tagger scores the vector blocks from per-word projections; that must give what
        // the dense features give through the model, for every target of a sentence.
        let lex = Lexicon::shared();
        let raw: Vec<&str> = "Critics lambasted Smith , a brilliant leader , but Jones was not praised"
            .split_whitespace()
            .collect();
        let words: Vec<Cow<'_, str>> = raw.iter().map(|w| normalize_word(w)).collect();
        let valences = lex.contextual_valences(&words);
        let names = name_mask(raw.iter().copied());
        let vecs = WordVectors::shared();
        let sv = SentenceVectors::new(vecs, &words);
        let model =
            crate::tone::ToneModel::from_bytes(include_bytes!("../../models/tone-target.bin.gz")).unwrap();
        let projected = model.project_sentence(&vecs.ids(&words));
        for (t0, t1) in [(2, 3), (9, 10), (0, 1), (13, 14)] {
            let mut sparse = Vec::new();
            let span = local_sparse(lex, &words, &valences, &names, t0, t1, &mut sparse);
            let mut split = model.scores(&sparse);
            model.add_vector_scores(&projected, &valences, &span, &mut split);
            let mut all = Vec::new();
            local_features(lex, &words, &valences, &names, &sv, t0, t1, &mut all);
            assert!(all.len() >= sparse.len() + 5 * DIM, "target {t0}: vector blocks present");
            let whole = model.scores(&all);
            assert!((0..3).all(|c| (split[c] - whole[c]).abs() < 1e-3), "target {t0}: {split:?} {whole:?}");
        }
    }

    #[test]
    fn names_are_capitalised_words_but_not_sentence_openers() {
        let m = name_mask("The senator met Joe Biden in Ohio .".split_whitespace());
        assert_eq!(m, [false, false, false, true, true, false, true, false]);
        assert_eq!(name_mask("Smith left".split_whitespace()), [true, false]);
        assert_eq!(name_mask("USA".split_whitespace()), [false]);
    }

    #[test]
    fn negation_flips_the_sign_of_what_follows_the_target() {
        let good = features_of("Smith is good", 0, 1);
        assert!(has(&good, "subjv", "+", ""), "Smith is good: subject of a positive word");
        let not_good = features_of("Smith is not good", 0, 1);
        assert!(has(&not_good, "subjv2", "-", ""), "the negated word counts as negative");
        assert!(!has(&not_good, "subjv2", "+", "") && !has(&not_good, "subjv", "+", ""));
        assert!(value(&good, "dw") > 0.0 && value(&not_good, "dw") < 0.0);
    }

    #[test]
    fn sentiment_goes_to_the_nearest_name() {
        // "brilliant" is 5 words from Smith and 3 from Jones.
        let s = "Smith met Jones , a brilliant leader";
        let smith = features_of(s, 0, 1);
        let jones = features_of(s, 2, 3);
        assert!(has(&smith, "attr", "+", "other") && !has(&smith, "attr", "+", "me"));
        assert!(has(&jones, "attr", "+", "me") && !has(&jones, "attr", "+", "other"));
        assert!(value(&smith, "theirs") > 0.0 && value(&smith, "mine") == 0.0);
        assert!(value(&jones, "mine") > 0.0 && value(&jones, "theirs") == 0.0);
        assert!(has(&smith, "others", "after", "") && has(&jones, "others", "before", ""));
    }

    #[test]
    fn a_sentiment_verb_before_the_target_makes_it_the_object() {
        let f = features_of("Critics attacked the former Sen. Smith", 5, 6);
        assert!(has(&f, "objv", "-", ""), "titles and articles are skipped back to the verb");
        let f = features_of("He said \" Smith is great \"", 3, 4);
        assert!(has(&f, "inquote", "", ""));
        assert!(!has(&features_of("Smith said \" it is great \"", 0, 1), "inquote", "", ""));
    }
}
