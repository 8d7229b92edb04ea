//! How a target stands in its sentence: speaker of reported speech, the word it is subject or
//! object of, and the sentiment word that predicates on it. NewsMTSC labels how the sentence
//! treats the target, and these separate the speaker ("Smith said the plan was a disaster": not
//! against Smith) and the subject ("Smith failed") from the rest of the sentence.

use super::features::bucket;
use std::borrow::Cow;

/// Verbs (and "according") of reported speech.
fn is_speech(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "added"
            | "argued"
            | "argues"
            | "claimed"
            | "claims"
            | "wrote"
            | "writes"
            | "stated"
            | "tweeted"
            | "asserted"
            | "insisted"
            | "explained"
            | "noted"
            | "warned"
            | "declared"
            | "announced"
            | "suggested"
            | "acknowledged"
            | "admitted"
            | "according"
    )
}

/// Auxiliaries, relative `who` and common adverbs that stand between a subject and its verb
/// (shared with the sentiment-after-target feature in `features.rs`, which adds its own).
pub(super) fn is_verb_filler(w: &str) -> bool {
    matches!(
        w,
        "was"
            | "is"
            | "were"
            | "are"
            | "has"
            | "had"
            | "have"
            | "been"
            | "be"
            | "being"
            | "also"
            | "who"
            | "then"
            | "would"
            | "will"
            | "could"
    )
}

/// Auxiliaries and adverbs between a subject and its verb.
fn is_auxiliary(w: &str) -> bool {
    is_verb_filler(w) || matches!(w, "later" | "previously" | "recently")
}

/// Articles and titles between a verb and its object name.
fn is_title(w: &str) -> bool {
    matches!(
        w,
        "the" | "a" | "president" | "former" | "sen." | "rep." | "mr." | "ms." | "mrs." | "dr." | "gov."
    )
}

/// Appends the role features of the target `t0..t1` (word indices, `t0 <= t1 <= words.len()`);
/// `clause_start..clause_end` is its clause. Each feature costs O(1) or one pass over the
/// sentence.
pub fn role_features(
    words: &[Cow<'_, str>],
    valences: &[f32],
    t0: usize,
    t1: usize,
    clause_start: usize,
    clause_end: usize,
    out: &mut Vec<(u32, f32)>,
) {
    let n = words.len().min(valences.len());
    let (t1, clause_end) = (t1.min(n), clause_end.min(n));
    let t0 = t0.min(t1);
    let outside = |i: usize| i < t0 || i >= t1;
    let dir = |v: f32| if v > 0.0 { "+" } else { "-" };
    // The word the target is subject of (past auxiliaries) and the one before it (past titles).
    let after = (t1..n.min(t1 + 4)).find(|&i| !is_auxiliary(&words[i]));
    let before = (0..t0).rev().find(|&i| !is_title(&words[i]));
    // Reported speech: the target as speaker ("Smith said", "said Smith", "according to Smith"),
    // or someone else's speech reported; each sentiment word by that role and its direction.
    // "said Smith" counts only after a quote or comma ("… ,\" said Smith"), not in "Jones said
    // Smith lied".
    let inverted =
        |i: usize| is_speech(&words[i]) && i > 0 && matches!(words[i - 1].as_ref(), "," | "\"" | "”" | "''");
    let speaker = after.is_some_and(|i| is_speech(&words[i]))
        || before.is_some_and(|i| inverted(i) || (words[i] == "to" && i > 0 && words[i - 1] == "according"));
    let reported = (0..n).filter(|&i| outside(i)).any(|i| is_speech(&words[i]));
    let role = if speaker {
        "spk"
    } else if reported {
        "rep"
    } else {
        "none"
    };
    out.push((bucket("role", role, ""), 1.0));
    for (i, &v) in valences.iter().enumerate().take(n) {
        if v != 0.0 && outside(i) {
            out.push((bucket("roledir", role, dir(v)), 1.0));
        }
    }
    // Those words by identity and 5-letter stem, sentiment words or not ("Smith slammed",
    // "ousted Smith").
    for (tag, stem_tag, at) in [("headR", "headR5", after), ("headL", "headL5", before)] {
        if let Some(i) = at {
            let w = words[i].as_ref();
            out.push((bucket(tag, w, ""), 1.0));
            if w.len() > 5 && w.is_char_boundary(5) {
                out.push((bucket(stem_tag, &w[..5], ""), 1.0));
            }
        }
    }
    // The predicate: the nearest sentiment word in the target's clause on each side.
    if let Some(i) = (t1..clause_end).find(|&i| valences[i] != 0.0) {
        out.push((bucket("pred", dir(valences[i]), ""), 1.0));
        out.push((bucket("predw", &words[i], ""), 1.0));
    }
    if let Some(i) = (clause_start.min(t0)..t0).rev().find(|&i| valences[i] != 0.0) {
        out.push((bucket("predl", dir(valences[i]), ""), 1.0));
        out.push((bucket("predlw", &words[i], ""), 1.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tone::Lexicon;
    use crate::tone::features::normalize_word;

    /// The role features of the target words `t0..t1` of a space-separated sentence (its
    /// clause is the whole sentence).
    fn roles_of(sentence: &str, t0: usize, t1: usize) -> Vec<(u32, f32)> {
        let words: Vec<Cow<'_, str>> = sentence.split_whitespace().map(normalize_word).collect();
        let valences = Lexicon::shared().contextual_valences(&words);
        let mut out = Vec::new();
        role_features(&words, &valences, t0, t1, 0, words.len(), &mut out);
        out
    }

    fn has(f: &[(u32, f32)], tag: &str, a: &str, b: &str) -> bool {
        f.iter().any(|&(k, _)| k == bucket(tag, a, b))
    }

    #[test]
    fn the_speaker_of_reported_speech_is_told_apart() {
        let s = "Smith said the plan was a disaster";
        assert!(has(&roles_of(s, 0, 1), "role", "spk", ""));
        assert!(has(&roles_of(s, 0, 1), "roledir", "spk", "-"));
        assert!(has(&roles_of("the plan failed , according to Smith", 6, 7), "role", "spk", ""));
        assert!(has(&roles_of("\" It failed , \" said Sen. Smith", 7, 8), "role", "spk", ""));
        // Jones is reported on, not speaking.
        assert!(has(&roles_of("Smith said Jones was a disaster", 2, 3), "role", "rep", ""));
        assert!(has(&roles_of("Jones was a disaster", 0, 1), "role", "none", ""));
    }

    #[test]
    fn the_head_word_skips_auxiliaries_and_titles() {
        let f = roles_of("Smith has slammed the deal", 0, 1);
        assert!(has(&f, "headR", "slammed", "") && has(&f, "headR5", "slamm", ""));
        let f = roles_of("Voters ousted former President Smith", 4, 5);
        assert!(has(&f, "headL", "ousted", "") && has(&f, "headL5", "ouste", ""));
        let f = roles_of("Smith failed badly", 0, 1);
        assert!(has(&f, "headR", "failed", "") && has(&f, "pred", "-", ""));
    }

    #[test]
    fn hostile_targets_are_clamped() {
        // Ranges past the sentence or inverted give features, not a panic.
        assert!(!roles_of("Smith won", 5, 9).is_empty());
        assert!(!roles_of("Smith won", 2, 1).is_empty());
        assert!(!roles_of("", 0, 0).is_empty());
    }
}
