//! The tagger's second pass: document-level consistency ("two-stage prediction aggregation",
//! Krishnan & Manning 2006; Ratinov & Roth 2009).
//!
//! The first pass tags the whole document. From its tags, every capitalised token gets a few
//! document features ([`doc_keys`]): how the other capitalised occurrences of the same word
//! were labelled (majority, unanimous or not), and whether the token lies inside a phrase that
//! the first pass tagged as an entity elsewhere in the document (its majority label and the
//! token's position in it; matched case-blind, so an all-caps headline sees the body's
//! "John Smith"). The token's own first-pass tag is never counted.
//!
//! The second pass re-decodes the sentences that have such features, with the first pass's
//! tag-independent scores (kept from the first pass, so nothing is rescored), its transition
//! and history features, plus the weights of these document features. Those weights are
//! learnt on first-pass tags produced the honest way: each training document is tagged by a
//! tagger trained without it (jackknife, see `train.rs`), or the second pass would learn to
//! trust a first pass that is far more accurate on its own training data than on new text.

use super::features::{
    F_ALL_CAPS, F_ALPHA, F_CAPS_SENT, F_INIT_CAP, F_SENT_START, HashMap64, TokInfo, fmix, key, mix,
};

/// Document feature keys per token; 0 = none.
pub const DOC_KEYS: usize = 5;
pub type DocKeys = [u32; DOC_KEYS];

/// Longest first-pass entity (in tokens) matched elsewhere in the document.
const MAX_MENTION: usize = 6;

/// A key whose presence in the weight table says the table holds second-pass weights.
pub fn sentinel() -> u32 {
    key(69, 0, 0)
}

/// The label of a tag: 0..4 for PER, ORG, LOC, MISC; 4 for O.
#[inline]
fn label(tag: u8) -> usize {
    if tag == 0 { 4 } else { ((tag - 1) / 4) as usize }
}

#[inline]
fn capitalised(t: &TokInfo) -> bool {
    t.flags & F_ALPHA != 0 && t.flags & (F_INIT_CAP | F_ALL_CAPS) != 0
}

/// The majority index of `c` (first on ties) and whether it holds every count; `None` for no counts.
fn majority(c: &[u16]) -> Option<(usize, bool)> {
    let total: u16 = c.iter().sum();
    if total == 0 {
        return None;
    }
    let mut best = 0;
    for l in 1..c.len() {
        if c[l] > c[best] {
            best = l;
        }
    }
    Some((best, c[best] == total))
}

/// Entity spans `(start, end, label)` of first-pass BILOU tags (a run left open counts).
fn spans(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let t = tags[i];
        if t == 0 {
            i += 1;
            continue;
        }
        let l = (t - 1) / 4;
        let mut j = i + 1;
        if (t - 1) % 4 <= 1 {
            while j < tags.len()
                && tags[j] != 0
                && (tags[j] - 1) / 4 == l
                && matches!((tags[j] - 1) % 4, 1 | 2)
            {
                j += 1;
                if (tags[j - 1] - 1) % 4 == 2 {
                    break;
                }
            }
        }
        out.push((i, j, l as usize));
        i = j;
    }
    out
}

/// The document features of every token from the first pass's `tags` (see the module doc);
/// returns whether any token has one.
pub fn doc_keys(infos: &[TokInfo], tags: &[u8], out: &mut Vec<DocKeys>) -> bool {
    let n = infos.len();
    out.clear();
    out.resize(n, [0; DOC_KEYS]);
    // Labels of the capitalised occurrences of each word.
    let mut words: HashMap64<[u16; 5]> = HashMap64::with_capacity_and_hasher(n / 4, Default::default());
    for (t, &tag) in infos.iter().zip(tags) {
        if capitalised(t) {
            words.entry(t.lower).or_insert([0; 5])[label(tag)] += 1;
        }
    }
    // First-pass entities by their case-blind token sequence.
    let ents = spans(tags);
    let mut phrases: HashMap64<[u16; 4]> = HashMap64::default();
    let mut prefixes: HashMap64<()> = HashMap64::default();
    let mut own: HashMap64<usize> = HashMap64::default();
    for &(s, e, l) in &ents {
        if e - s > MAX_MENTION {
            continue;
        }
        let mut h = 0x5eed;
        for t in &infos[s..e] {
            h = mix(h, t.upper);
            prefixes.insert(fmix(h), ());
        }
        phrases.entry(fmix(h)).or_insert([0; 4])[l] += 1;
        own.insert(((s as u64) << 32) | e as u64, l);
    }
    // Per token: the longest phrase covering it that was an entity elsewhere, as
    // (length, 1 + 4 * majority label + position: 0 first, 1 inside, 2 last, 3 alone).
    let mut mention = vec![(0usize, 0u64); n];
    if !phrases.is_empty() {
        for p in 0..n {
            if !capitalised(&infos[p]) {
                continue;
            }
            let mut h = 0x5eed;
            for len in 1..=MAX_MENTION.min(n - p) {
                let last = &infos[p + len - 1];
                if len > 1 && last.flags & F_SENT_START != 0 {
                    break;
                }
                h = mix(h, last.upper);
                let f = fmix(h);
                if !prefixes.contains_key(&f) {
                    break;
                }
                let Some(c) = phrases.get(&f) else { continue };
                let mut c = *c;
                if let Some(&l) = own.get(&(((p as u64) << 32) | (p + len) as u64)) {
                    c[l] -= 1;
                }
                let Some((m, _)) = majority(&c) else { continue };
                for k in p..p + len {
                    let pos = if len == 1 {
                        3
                    } else if k == p {
                        0
                    } else if k + 1 == p + len {
                        2
                    } else {
                        1
                    };
                    if len > mention[k].0 {
                        mention[k] = (len, 1 + 4 * m as u64 + pos);
                    }
                }
            }
        }
    }
    static MASK: std::sync::LazyLock<u32> = std::sync::LazyLock::new(|| {
        std::env::var("NEWSLOOM_NER_STACK_FEATS").ok().and_then(|x| x.parse().ok()).unwrap_or(31)
    });
    let mask = *MASK;
    let mut any = false;
    for (i, t) in infos.iter().enumerate() {
        if !capitalised(t) {
            continue;
        }
        let caps = (t.flags & F_CAPS_SENT != 0) as u64;
        let own_tag = tags[i] as u64;
        let keys = &mut out[i];
        let mut c = words[&t.lower];
        c[label(tags[i])] -= 1;
        if let Some((m, all)) = majority(&c) {
            let v = 1 + 2 * m as u64 + all as u64;
            keys[0] = key(70, v, caps);
            keys[1] = key(71, v, t.sshape);
            keys[2] = key(72, v, own_tag);
            any = true;
        }
        let v = mention[i].1;
        if v != 0 {
            keys[3] = key(73, v, caps);
            keys[4] = key(74, v, own_tag);
            any = true;
        }
        for (b, k) in keys.iter_mut().enumerate() {
            if mask & (1 << b) == 0 {
                *k = 0;
            }
        }
    }
    any
}

/// Whether a sentence has document features (others keep their first-pass tags).
#[inline]
pub fn has_keys(keys: &[DocKeys]) -> bool {
    keys.iter().any(|k| k.iter().any(|&f| f != 0))
}

/// For diagnostics: the word majority and phrase-majority label of token `i` (other occurrences).
pub fn debug_majorities(infos: &[TokInfo], tags: &[u8], i: usize) -> Option<(Option<usize>, Option<usize>)> {
    if !capitalised(&infos[i]) {
        return None;
    }
    let mut c = [0u16; 5];
    for (t, &tag) in infos.iter().zip(tags) {
        if capitalised(t) && t.lower == infos[i].lower {
            c[label(tag)] += 1;
        }
    }
    c[label(tags[i])] -= 1;
    let wm = majority(&c).map(|x| x.0);
    let mut keys = Vec::new();
    doc_keys(infos, tags, &mut keys);
    let _ = keys;
    Some((wm, None))
}

/// Post-hoc document consistency of first-pass tags (experiment): `mode` bits 1 relabel every
/// occurrence of a predicted entity string with its majority (by confidence) label, 2 tag
/// untagged occurrences of multi-token entity strings, 4 of one-token ones in caps lines, 8 of
/// one-token ones anywhere.
pub fn consistency(infos: &[TokInfo], tags: &mut [u8], margins: &[f32], mode: u32) {
    let ents = spans(tags);
    if ents.is_empty() {
        return;
    }
    let conf = |s: usize, e: usize| {
        let m = margins[s..e].iter().copied().fold(f32::MAX, f32::min);
        1.0 / (1.0 + (-(m - 8.0) / 16.0).exp())
    };
    let hash = |s: usize, e: usize| {
        let mut h = 0x5eed;
        for t in &infos[s..e] {
            h = mix(h, t.upper);
        }
        fmix(h)
    };
    let mut votes: HashMap64<[f32; 4]> = HashMap64::default();
    let mut prefixes: HashMap64<()> = HashMap64::default();
    for &(s, e, l) in &ents {
        votes.entry(hash(s, e)).or_insert([0.0; 4])[l] += conf(s, e);
        let mut h = 0x5eed;
        for t in &infos[s..e.min(s + MAX_MENTION)] {
            h = mix(h, t.upper);
            prefixes.insert(fmix(h), ());
        }
    }
    let best = |v: &[f32; 4]| (0..4).max_by(|&a, &b| v[a].total_cmp(&v[b])).unwrap_or(0);
    let set = |tags: &mut [u8], s: usize, e: usize, l: usize| {
        for k in s..e {
            let pos = if e - s == 1 {
                4
            } else if k == s {
                1
            } else if k + 1 == e {
                3
            } else {
                2
            };
            tags[k] = (4 * l + pos) as u8;
        }
    };
    if mode & 1 != 0 {
        for &(s, e, l) in &ents {
            let b = best(&votes[&hash(s, e)]);
            if b != l {
                set(tags, s, e, b);
            }
        }
    }
    if mode & 14 != 0 {
        let n = infos.len();
        let mut p = 0;
        while p < n {
            if tags[p] != 0 || !capitalised(&infos[p]) {
                p += 1;
                continue;
            }
            let mut h = 0x5eed;
            let mut found = None;
            for len in 1..=MAX_MENTION.min(n - p) {
                let last = &infos[p + len - 1];
                if tags[p + len - 1] != 0 || len > 1 && last.flags & F_SENT_START != 0 {
                    break;
                }
                h = mix(h, last.upper);
                let f = fmix(h);
                if !prefixes.contains_key(&f) {
                    break;
                }
                if let Some(v) = votes.get(&f) {
                    found = Some((len, best(v)));
                }
            }
            match found {
                Some((len, l))
                    if len > 1 && mode & 2 != 0
                        || len == 1
                            && (mode & 8 != 0 || mode & 4 != 0 && infos[p].flags & F_CAPS_SENT != 0) =>
                {
                    set(tags, p, p + len, l);
                    p += len;
                }
                _ => p += 1,
            }
        }
    }
}
