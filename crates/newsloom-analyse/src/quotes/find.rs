//! Finding attributions in a tokenised document: direct quotations with their frames
//! (`“…,” Kelin said.`), partial quotes and reported speech (`Kelin said that …`,
//! `…, the ministry noted.`, `According to X, …`).

use super::lexicon::{self as lx, CueKind};
use super::reported::{reported, speaker_label};
use super::text::{Doc, Sent};
use newsloom_model::QuoteKind;

/// One attribution, in token indices (`[s, e)` ranges) of the document.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub content: Vec<(usize, usize)>,
    pub kind: QuoteKind,
    pub speaker: Option<(usize, usize)>,
    pub cue: Option<(usize, usize)>,
    pub medium: Option<(usize, usize)>,
    pub para: usize,
    /// Index of the last sentence the hit covers.
    pub last_sent: usize,
    pub confidence: f32,
    /// Found by the reported-speech rules (`reported`), which the learnt tagger replaces.
    pub reported: bool,
}

/// A cue verb found in a token range.
#[derive(Debug, Clone, Copy)]
pub(super) struct Cue {
    pub s: usize,
    pub e: usize,
    pub kind: CueKind,
}

pub(crate) fn find_hits(d: &Doc) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for (si, &sent) in d.sents.iter().enumerate() {
        let before = hits.len();
        find_in_sentence(d, &mut hits, si, sent);
        for h in &mut hits[before..] {
            h.last_sent = h.last_sent.max(si);
        }
    }
    hits
}

fn find_in_sentence(d: &Doc, hits: &mut Vec<Hit>, si: usize, sent: Sent) {
    if let Some(h) = speaker_label(d, sent) {
        hits.push(h);
        return;
    }
    let before = hits.len();
    let regions: Vec<usize> =
        (0..d.quotes.len()).filter(|&q| d.quotes[q].open >= sent.a && d.quotes[q].close < sent.b).collect();
    if !regions.is_empty() {
        if let Some(h) = direct(d, sent, &regions) {
            hits.push(h);
        } else if quote_only(d, sent, &regions) {
            if let Some(mut h) = frame_in_next(d, si, sent, &regions) {
                // The frame sentence belongs to this quote too.
                h.last_sent = si + 1;
                hits.push(h);
                return;
            }
            orphan(d, hits, si, sent, &regions);
            return;
        }
    }
    let more = reported(d, sent, &hits[before..]);
    if more.is_empty() {
        return;
    }
    hits.extend(more);
    // In reading order, so pronouns resolve to the speaker named just before.
    let pos = |h: &Hit| h.cue.map_or(h.content[0].0, |c| c.0);
    hits[before..].sort_by_key(pos);
}

/// The token in lowercase ([`Doc::lower`], computed once per document).
pub(super) fn lower<'d>(d: &'d Doc<'_>, i: usize) -> std::borrow::Cow<'d, str> {
    std::borrow::Cow::Borrowed(d.lower(i))
}

/// The first cue word in `[a, b)` that lies outside quotations.
pub(super) fn cues_in<'a>(d: &'a Doc<'a>, a: usize, b: usize) -> impl Iterator<Item = Cue> + 'a {
    (a..b).filter_map(move |i| {
        if d.in_quote[i].is_some() || !d.toks[i].word {
            return None;
        }
        // Cue words are lowercase; a capitalised token is checked in lowercase without
        // allocating for the (common) lowercase case.
        let t = d.tok(i);
        if !lx::may_be_cue(t) {
            return None;
        }
        let owned;
        let l: &str = if t.bytes().any(|c| c.is_ascii_uppercase()) {
            owned = t.to_lowercase();
            &owned
        } else {
            t
        };
        if l == "according" && i + 1 < b && d.is(i + 1, "to") {
            return Some(Cue { s: i, e: i + 2, kind: CueKind::Strong });
        }
        let kind = lx::cue_kind(l)?;
        if kind == CueKind::Weak && !verb_context(d, a, i, l) {
            return None;
        }
        // `was said to`, `is expected to`: passive, not an attribution by the subject
        // (`is urging` is progressive and fine).
        let be = |k: usize| matches!(d.tok(k), "is" | "was" | "be" | "been" | "are" | "were");
        // `was first declared`, `were mistakenly charged`: an adverb may sit in between.
        let adverb = |k: usize| {
            let w = d.tok(k);
            matches!(w, "first" | "also" | "later" | "then" | "not" | "never" | "widely" | "formally")
                || (w.len() > 4 && w.ends_with("ly"))
        };
        if i > a && !l.ends_with("ing") && (be(i - 1) || (i > a + 1 && adverb(i - 1) && be(i - 2))) {
            return None;
        }
        let e = if matches!(l, "pointed" | "went") && i + 1 < b { i + 2 } else { i + 1 };
        Some(Cue { s: i, e, kind })
    })
}

/// Whether a weak cue word at `i` reads as a verb: not after a determiner or possessive
/// (`the plan`, `Clinton’s support`), and a bare form (`plan`, `support`) only after a modal,
/// `to`, a plural subject or a pronoun (`they support`, `will seek`).
fn verb_context(d: &Doc, a: usize, i: usize, l: &str) -> bool {
    if i == a || !d.toks[i - 1].word {
        return !is_bare(l);
    }
    let p = lower(d, i - 1);
    if lx::is_determiner(&p) || p.ends_with("’s") || p.ends_with("'s") {
        return false;
    }
    if !is_bare(l) {
        return true;
    }
    let mut k = i - 1;
    while k > a && {
        let w = lower(d, k);
        matches!(&*w, "not" | "also" | "never" | "still" | "just" | "only" | "even")
            || (w.len() > 4 && w.ends_with("ly"))
    } {
        k -= 1;
    }
    let p = lower(d, k);
    lx::is_modal(&p)
        || lx::is_negated_aux(&p)
        || matches!(&*p, "i" | "we" | "they" | "you" | "who" | "that")
        || (p.len() > 3 && p.ends_with('s') && !p.ends_with("ss") && d.toks[k].word && !lx::is_np_stop(&p))
        || p.ends_with("n’t")
        || p.ends_with("n't")
}

/// An uninflected verb form, which may as well be a noun (`plan`, `question`).
fn is_bare(l: &str) -> bool {
    !(l.ends_with("ed")
        || l.ends_with("ing")
        || l.ends_with('s')
        || matches!(
            l,
            "saw" | "laid" | "knew" | "thought" | "felt" | "found" | "sought" | "understood" | "shown"
        ))
}

/// `night`, `Tuesday`: a time noun left of a speaker belongs to an adverbial (`that night the
/// senator said`).
fn is_time_noun(l: &str) -> bool {
    matches!(
        l,
        "night"
            | "morning"
            | "afternoon"
            | "evening"
            | "week"
            | "month"
            | "year"
            | "today"
            | "yesterday"
            | "tonight"
            | "weekend"
    ) || lx::is_weekday(l)
}

/// Speaker phrase ending right before `cue` (skipping `has also` etc.), not reaching below `lo`.
pub(super) fn left_np(d: &Doc, lo: usize, cue: usize) -> Option<(usize, usize)> {
    let mut i = cue;
    // A time adjunct between speaker and cue (`who in 2010 said`, `Sanders on Tuesday said`).
    if i >= lo + 3
        && matches!(&*lower(d, i - 2), "in" | "on" | "last" | "this")
        && (lx::is_time_word(&lower(d, i - 1)) || d.tok(i - 1).bytes().all(|c| c.is_ascii_digit()))
    {
        i -= 2;
    }
    let mut skipped = 0;
    while i > lo && skipped < 3 && d.toks[i - 1].word && lx::is_aux_adverb(&lower(d, i - 1)) {
        i -= 1;
        skipped += 1;
    }
    let end = i;
    if end == lo {
        return None;
    }
    if d.is(end - 1, ",") {
        return comma_np(d, lo, end - 1);
    }
    // A lone pronoun subject.
    let last = lower(d, end - 1);
    if lx::is_pronoun(&last) {
        return Some((end - 1, end));
    }
    let mut j = end;
    let mut n = 0;
    while j > lo && n < 10 {
        let k = j - 1;
        let t = d.tok(k);
        if d.in_quote[k].is_some() {
            break;
        }
        if t == ")" {
            // Skip a parenthetical such as `(D-S.C.)`.
            match (lo..k).rev().find(|&p| d.is(p, "(")) {
                Some(p) if k - p <= 8 => {
                    j = p;
                    n += 1;
                    continue;
                }
                _ => break,
            }
        }
        if !d.toks[k].word {
            break;
        }
        let l = t.to_lowercase();
        if matches!(l.as_str(), "of" | "and" | "&" | "on" | "for" | "in" | "at" | "to") {
            // `representative of the Ministry`, `Commission on Presidential Debates`,
            // `advisers to Mr. Obama`, `Trump and Pence` need a name on the right.
            let and_ok = !matches!(l.as_str(), "and" | "&") || (k > lo && d.is_cap(k - 1));
            if j < end && (d.is_cap(j) || d.is(j, "the")) && k > lo && d.toks[k - 1].word && and_ok {
                j = k;
                n += 1;
                continue;
            }
            break;
        }
        if lx::is_np_stop(&l) || lx::cue_kind(&l).is_some() || (j < end && is_time_noun(&l)) {
            break;
        }
        j = k;
        n += 1;
    }
    if j == end {
        return None;
    }
    // Lowercase-headed phrases must end in a speaker noun (`the ministry`, `a senior aide`).
    // The head is the last word before a parenthetical (`Rep. Stephen Lynch (D-Mass.)`).
    let mut hend = end;
    if d.is(end - 1, ")")
        && let Some(p) = (j..end - 1).rev().find(|&p| d.is(p, "("))
        && p > j
    {
        hend = p;
    }
    let head = lower(d, hend - 1);
    let plural = head.len() > 4 && head.ends_with('s') && !head.ends_with("ss") && !head.ends_with("us");
    let det = |k: usize| {
        let w = lower(d, k);
        matches!(
            &*w,
            "the"
                | "its"
                | "his"
                | "her"
                | "their"
                | "our"
                | "some"
                | "many"
                | "most"
                | "other"
                | "a"
                | "an"
                | "one"
                | "several"
                | "another"
                | "both"
                | "few"
        ) || w.ends_with("’s")
            || w.ends_with("'s")
            || w.starts_with(|c: char| c.is_ascii_digit())
    };
    // `the candidate’s former doctor`, `63 percent`: a determined phrase of a few words.
    let determined = hend - j >= 2 && (det(hend - 2) || (hend - j <= 6 && det(j)));
    if !d.is_cap(hend - 1) && !lx::is_speaker_noun(&head) && !plural && !determined {
        return None;
    }
    // Long phrases that run into a clause: keep the last capitalised run or speaker-noun phrase.
    if end - j > 7 {
        let mut s = end - 1;
        while s > j && (d.is_cap(s - 1) || matches!(&*lower(d, s - 1), "the" | "a" | "an")) {
            s -= 1;
        }
        j = s;
    }
    Some((j, end))
}

/// `Ann Lutz, told` or `Andrei Kelin, the ministry's head of …, told`: the name before an
/// appositive. `comma` is the comma right before the cue.
fn comma_np(d: &Doc, lo: usize, comma: usize) -> Option<(usize, usize)> {
    // Appositives and relative clauses (`Dr. Connie Mariano, who as a Navy captain …, said`)
    // can be long.
    let prev_comma = |to: usize| (lo.max(to.saturating_sub(40))..to).rev().find(|&k| d.is(k, ","));
    let c1 = prev_comma(comma);
    let seg_a = c1.map_or(lo, |c| c + 1);
    let name_run = |a: usize, b: usize| {
        // `Rep. Gregory W. Meeks (D-N.Y.),`: the name before a parenthetical.
        let mut b = b;
        if b > a
            && d.is(b - 1, ")")
            && let Some(p) = (a..b - 1).rev().find(|&k| d.is(k, "("))
        {
            b = p;
        }
        let mut s = b;
        while s > a && s + 5 > b && d.is_cap(s - 1) && d.in_quote[s - 1].is_none() {
            s -= 1;
        }
        (s < b && (s == a || !d.toks[s - 1].word || lx::is_np_stop(&lower(d, s - 1)) || s + 1 < b))
            .then_some((s, b))
    };
    if seg_a < comma && (seg_a..comma).all(|k| d.is_cap(k)) && comma - seg_a <= 5 {
        return Some((seg_a, comma));
    }
    let c1 = c1?;
    // `Jean-Marc Ayrault, the foreign minister of France, a permanent member of …, said`: walk
    // back over appositives (each opening with a determiner) to a name that opens the chain.
    let mut right = c1;
    for _ in 0..3 {
        let Some(c) = prev_comma(right) else { break };
        let seg = c + 1;
        // Appositives: `the foreign minister of France`, `of Springfield`, `Va.`
        let appositive =
            matches!(&*lower(d, seg), "the" | "a" | "an" | "its" | "his" | "her" | "of" | "from")
                || (right - seg <= 2 && (seg..right).all(|k| d.is_cap(k) || d.is(k, ".")));
        if seg >= right || !appositive {
            break;
        }
        let start = prev_comma(c).map_or(lo, |p| p + 1);
        if start < c && c - start <= 5 && (start..c).all(|k| d.is_cap(k) && d.in_quote[k].is_none()) {
            return Some((start, c));
        }
        right = c;
    }
    let c0 = prev_comma(c1).map_or(lo, |c| c + 1);
    if c1 > c0 { name_run(c0, c1) } else { None }
}

/// Speaker phrase starting at `from` (for `said Kelin`, `according to the ministry`).
pub(super) fn right_np(d: &Doc, from: usize, hi: usize) -> Option<(usize, usize)> {
    let mut j = from;
    if j < hi && matches!(&*lower(d, j), "the" | "a" | "an") {
        j += 1;
    }
    let start = from;
    let mut e = j;
    while e < hi && d.toks[e].word && d.in_quote[e].is_none() {
        let l = lower(d, e);
        if d.is_cap(e) || lx::is_speaker_noun(&l) || (e > j && l == "of" && e + 1 < hi && d.is_cap(e + 1)) {
            e += 1;
        } else if e > start
            && !lx::is_np_stop(&l)
            && e + 1 < hi
            && (d.is_cap(e + 1) || lx::is_speaker_noun(&lower(d, e + 1)))
        {
            // adjective inside a phrase: `the Russian foreign ministry`
            e += 1;
        } else {
            break;
        }
    }
    if e == j {
        if j < hi && lx::is_pronoun(&lower(d, j)) {
            return Some((j, j + 1));
        }
        return None;
    }
    // Drop trailing time words (`said Kelin Tuesday`).
    while e > j + 1 && lx::is_time_word(&lower(d, e - 1)) {
        e -= 1;
    }
    Some((start, e))
}

/// The source after `according to`: up to the next comma or the end, at most 12 words.
pub(super) fn according_np(d: &Doc, from: usize, hi: usize) -> Option<(usize, usize)> {
    let mut e = from;
    while e < hi && e < from + 12 && d.toks[e].word && d.in_quote[e].is_none() {
        e += 1;
    }
    (e > from).then_some((from, e))
}

/// After a cue: the addressee or medium (`told Interfax`, `told reporters`) and where the
/// reported content starts. Returns `(medium, content_start)`.
pub(super) fn after_cue(d: &Doc, cue: Cue, hi: usize) -> (Option<(usize, usize)>, usize) {
    let l = lower(d, cue.s);
    let mut i = cue.e;
    let mut medium = None;
    if lx::takes_addressee(&l) && i < hi && d.toks[i].word {
        let s = i;
        if matches!(&*lower(d, i), "the" | "a" | "an") {
            i += 1;
        }
        let mut e = i;
        while e < hi && d.toks[e].word && (d.is_cap(e) || lx::is_medium_noun(&lower(d, e))) {
            e += 1;
        }
        if e > i {
            medium = Some((s, e));
            i = e;
        } else if i < hi && matches!(&*lower(d, i), "him" | "her" | "them" | "me" | "us" | "reporters") {
            i += 1;
        }
    }
    // Time words and short prepositional frames before `that` (`said in a statement that`).
    let mut j = i;
    while j < hi && d.toks[j].word && lx::is_time_word(&lower(d, j)) {
        j += 1;
    }
    let look = (j..hi.min(j + 10)).find(|&k| d.is(k, "that") || d.is(k, ",") || d.is(k, ":"));
    if let Some(k) = look
        && d.is(k, "that")
        && j < hi
        && matches!(&*lower(d, j), "in" | "on" | "at" | "during" | "to" | "via" | "after" | "before" | "that")
    {
        if medium.is_none() && k > j + 1 {
            // `in an interview with CNN`, `on Twitter`
            let cap = (j..k).filter(|&x| d.is_cap(x)).collect::<Vec<_>>();
            if let (Some(&a), Some(&b)) = (cap.first(), cap.last()) {
                medium = Some((a, b + 1));
            }
        }
        return (medium, k);
    }
    while j < hi && matches!(d.tok(j), "," | ":" | "—" | "–") {
        j += 1;
    }
    (medium, j)
}

/// Token range of `[a, b)` without trailing sentence punctuation.
pub(super) fn trim_end(d: &Doc, a: usize, mut b: usize) -> usize {
    while b > a && matches!(d.tok(b - 1), "." | "!" | "?" | "," | ";" | ":" | "…" | "—" | "–") {
        b -= 1;
    }
    b
}

pub(super) fn words_between(d: &Doc, a: usize, b: usize) -> usize {
    (a..b).filter(|&i| d.toks[i].word).count()
}

/// True when the sentence is (almost) nothing but quotations.
fn quote_only(d: &Doc, sent: Sent, regions: &[usize]) -> bool {
    let inside: usize = regions.iter().map(|&q| d.quotes[q].close + 1 - d.quotes[q].open).sum();
    let outside_words = (sent.a..sent.b).filter(|&i| d.in_quote[i].is_none() && d.toks[i].word).count();
    inside > 0 && outside_words <= 1
}

fn quote_spans(d: &Doc, regions: &[usize]) -> Vec<(usize, usize)> {
    regions.iter().map(|&q| (d.quotes[q].open, d.quotes[q].close + 1)).collect()
}

/// A quotation with a speech frame right after (`“…,” Kelin said.`) or right before it
/// (`Kelin told Interfax: “…”`).
fn direct(d: &Doc, sent: Sent, regions: &[usize]) -> Option<Hit> {
    let first = d.quotes[regions[0]];
    // Whether a cue with its own speaker precedes the first quotation (computed once).
    let mut governed_before: Option<bool> = None;
    // Frame after a quotation.
    for (ri, &q) in regions.iter().enumerate() {
        let seg_a = d.quotes[q].close + 1;
        let seg_b = regions.get(ri + 1).map_or(sent.b, |&n| d.quotes[n].open);
        let window = seg_b.min(seg_a + 24);
        let Some(cue) = cues_in(d, seg_a, window).next() else { continue };
        // A parenthetical (`Chaffetz (R-Utah) said`) is fine; a new sentence or clause is not.
        if (seg_a..cue.s).any(|k| d.is(k, ";") || (d.is(k, ".") && !d.is(k + 1, ",") && !d.is(k + 1, ")"))) {
            continue;
        }
        let mut lo = seg_a;
        while lo < cue.s && !d.toks[lo].word {
            lo += 1;
        }
        // `“…” while 73 percent said`, `“…” often, and criticized`: a new clause, not a frame.
        let conj = |k: usize| {
            matches!(
                &*lower(d, k),
                "and"
                    | "but"
                    | "while"
                    | "whereas"
                    | "because"
                    | "although"
                    | "though"
                    | "if"
                    | "since"
                    | "so"
                    | "after"
                    | "before"
                    | "as"
                    | "when"
                    | "until"
                    | "unless"
            )
        };
        let mut pre = cue.s;
        while pre > lo && d.toks[pre - 1].word && lx::is_aux_adverb(&lower(d, pre - 1)) {
            pre -= 1;
        }
        if (lo..cue.s).any(|k| conj(k) && k > lo && d.is(k - 1, ","))
            || (lo < cue.s && conj(lo) && lo > seg_a)
            || (pre > lo && matches!(&*lower(d, pre - 1), "and" | "but" | "or"))
            // `a “champion” for its members, citing …`: a participle continues the clause.
            || (cue.s > lo && d.tok(cue.s).ends_with("ing"))
        {
            continue;
        }
        let speaker = if d.tok(cue.s) == "according" {
            according_np(d, cue.e, seg_b)
        } else if cue.s == lo {
            right_np(d, cue.e, seg_b)
        } else {
            frame_np(d, lo, cue.s)
        };
        // A frame with no readable speaker (`“…” and says`) still marks a quote; the speaker is
        // a pronoun in it if any.
        if speaker.is_none() {
            continue;
        }
        let (medium, cstart) = after_cue(d, cue, seg_b);
        // `“The Show,” the nominee said she wanted …`: the cue opens a clause of its own.
        if cue.s > lo
            && cstart < seg_b
            && cstart == cue.e
            && !lx::takes_addressee(&lower(d, cue.s))
            && d.in_quote[cstart].is_none()
            && (lx::is_pronoun(&lower(d, cstart)) || matches!(&*lower(d, cstart), "that" | "the"))
            && words_between(d, cstart, seg_b) >= 3
        {
            continue;
        }
        // Text before the first quotation makes it a partial quote (`The agenda included “…”`).
        let pre_words = words_between(d, sent.a, first.open);
        let pre_ends_comma = first.open > sent.a && matches!(d.tok(first.open - 1), "," | ":");
        // `Clinton is describing as “unhinged” a tweet attacking …`: a cue before the quotation
        // with its own speaker governs it; reported speech handles the clause.
        if pre_words >= 4
            && !pre_ends_comma
            && *governed_before.get_or_insert_with(|| {
                cues_in(d, sent.a, first.open).take(24).any(|c| left_np(d, sent.a, c.s).is_some())
            })
        {
            continue;
        }
        let (content, kind) = if pre_words >= 4 && !pre_ends_comma {
            let last = d.quotes[regions[ri]].close + 1;
            let mut c = vec![(sent.a, last)];
            c.extend(quote_spans(d, &regions[ri + 1..]));
            (c, QuoteKind::Partial)
        } else {
            (quote_spans(d, regions), QuoteKind::Direct)
        };
        return Some(Hit {
            content,
            kind,
            speaker,
            cue: Some((cue.s, cue.e)),
            medium,
            para: sent.para,
            last_sent: 0,
            confidence: if speaker.is_some() { 0.9 } else { 0.5 },
            reported: false,
        });
    }
    // `“…” ― Sonya Herridge`: a dash and a name closing the sentence.
    let last_q = d.quotes[*regions.last()?];
    let k = last_q.close + 1;
    if k + 1 < sent.b && matches!(d.tok(k), "―" | "—" | "–" | "-") && d.is_cap(k + 1) {
        let mut e = k + 1;
        while e < sent.b && e < k + 7 && (d.is_cap(e) || d.tok(e).len() <= 2 && d.toks[e].word) {
            e += 1;
        }
        if trim_end(d, k + 1, sent.b) <= e {
            return Some(Hit {
                content: quote_spans(d, regions),
                kind: QuoteKind::Direct,
                speaker: Some((k + 1, e)),
                cue: None,
                medium: None,
                para: sent.para,
                last_sent: 0,
                confidence: 0.8,
                reported: false,
            });
        }
    }
    // Frame before the first quotation.
    let pre_b = first.open;
    let cue = cues_in(d, sent.a, pre_b).last()?;
    let (medium, cstart) = after_cue(d, cue, pre_b);
    // `says of Clinton, “…”`, `said in a statement: “…”`: a short gap that ends in , or :
    let short_gap = words_between(d, cstart, pre_b) <= 8 && matches!(d.tok(pre_b - 1), "," | ":");
    if words_between(d, cstart, pre_b) > 1 && !short_gap {
        return None; // the cue governs a longer clause: handled as partial/indirect speech
    }
    // `She said Trump favors a “strongman approach.”`: an earlier cue governs the clause the
    // quotation sits in; `he said “budget reforms” and … would help`: the clause goes on after
    // it. Both are partial quotes inside reported speech.
    let opens_quote = cstart == pre_b || matches!(d.tok(pre_b - 1), "," | ":");
    let last = d.quotes[*regions.last()?];
    let tail = words_between(d, last.close + 1, trim_end(d, last.close + 1, sent.b));
    let introduced = pre_b > cue.e && matches!(d.tok(pre_b - 1), "," | ":");
    let governed = cues_in(d, sent.a, cue.s).any(|c| left_np(d, sent.a, c.s).is_some());
    if (!opens_quote && cues_in(d, sent.a, cue.s).next().is_some())
        || (!introduced && (tail >= 3 || governed))
    {
        return None;
    }
    let speaker = if d.tok(cue.s) == "according" {
        according_np(d, cue.e, pre_b)
    } else {
        left_np(d, sent.a, cue.s)
            .or_else(|| right_np(d, cue.e, pre_b))
            .or_else(|| subject_fallback(d, sent.a, cue.s))
    }?;
    let that = cstart < pre_b && d.is(cstart, "that");
    let (content, kind) = if that {
        let last = d.quotes[*regions.last()?].close + 1;
        (vec![(cstart, last)], QuoteKind::Partial)
    } else {
        (quote_spans(d, regions), QuoteKind::Direct)
    };
    Some(Hit {
        content,
        kind,
        speaker: Some(speaker),
        cue: Some((cue.s, cue.e)),
        medium,
        para: sent.para,
        last_sent: 0,
        confidence: 0.85,
        reported: false,
    })
}

/// The speaker in a frame after a quotation: everything from the frame start to the cue
/// (`, Kelin said`, `, a senior aide said`), or the name before an appositive.
fn frame_np(d: &Doc, lo: usize, cue: usize) -> Option<(usize, usize)> {
    let mut end = cue;
    while end > lo && d.toks[end - 1].word && lx::is_aux_adverb(&lower(d, end - 1)) {
        end -= 1;
    }
    // `“…” when he said`, `“…” and says`: a conjunction is not a speaker; what follows it is.
    let mut lo = lo;
    while lo < end && (!d.toks[lo].word || (lx::is_np_stop(&lower(d, lo)) && !lx::is_pronoun(&lower(d, lo))))
    {
        lo += 1;
    }
    if end == lo || end - lo > 24 {
        return None;
    }

    if let Some(c) = (lo..end).find(|&k| d.is(k, ",")) {
        // `Andrei Kelin, the Foreign Ministry’s head of …,`
        // `Rep. Jim Jordan (R-Ohio), an oversight panel member,`
        let name_like = |k: usize| d.toks[k].word || matches!(d.tok(k), "(" | ")" | "." | "-");
        return (c > lo && c - lo <= 5 && (lo..c).all(name_like)).then_some((lo, c));
    }
    if end - lo > 12 {
        return None;
    }
    let ok = (lo..end).all(|k| d.toks[k].word || matches!(d.tok(k), "(" | ")" | "-" | "’" | "'" | "."));
    (ok && end - lo <= 10).then_some((lo, end))
}

/// A sentence made only of a quotation: the continuation of the previous speaker's quote
/// (`“…,” he said. “…”`), or a quote introduced by the previous sentence (`X reports:`).
fn orphan(d: &Doc, hits: &mut Vec<Hit>, si: usize, sent: Sent, regions: &[usize]) {
    let spans = quote_spans(d, regions);
    if si > 0 {
        let prev = d.sents[si - 1];
        let claimed = hits.last().is_some_and(|h| h.content.iter().any(|&(s, _)| s >= prev.a));
        if sent.para - prev.para <= 1
            && prev.b > prev.a
            && d.is(prev.b - 1, ":")
            && !claimed
            && let Some(cue) = cues_in(d, prev.a, prev.b).last()
            && let Some(sp) = left_np(d, prev.a, cue.s).or_else(|| right_np(d, cue.e, prev.b - 1))
        {
            let (medium, _) = after_cue(d, cue, prev.b - 1);
            hits.push(Hit {
                content: spans,
                kind: QuoteKind::Direct,
                speaker: Some(sp),
                cue: Some((cue.s, cue.e)),
                medium,
                para: sent.para,
                last_sent: 0,
                confidence: 0.8,
                reported: false,
            });
            return;
        }
    }
    // `“…,” he said. “…”` and a quotation carried on into the next paragraph continue the
    // previous quote; a quotation further away is a new quote by the same speaker.
    // The quote of the last sentence with hits, passing over reported speech found beside it.
    let target = hits.last().map(|l| l.last_sent).and_then(|ls| {
        let n = hits.len();
        (0..n).rev().take_while(|&i| hits[i].last_sent == ls).find(|&i| hits[i].kind != QuoteKind::Indirect)
    });
    if let Some(h) = target.map(|i| &mut hits[i])
        && h.kind != QuoteKind::Indirect
        && sent.para - h.para <= 1
        && h.speaker.is_some()
    {
        let open_before = h
            .content
            .last()
            .is_some_and(|&(_, e)| d.in_quote[e - 1].is_some_and(|q| d.quotes[q as usize].open_ended));
        let adjacent =
            h.kind == QuoteKind::Direct && h.last_sent + 1 == si && (sent.para == h.para || open_before);
        if adjacent {
            h.content.extend(spans);
            h.para = sent.para;
            return;
        }
        let mut copy = h.clone();
        copy.content = spans;
        copy.kind = QuoteKind::Direct;
        copy.para = sent.para;
        copy.confidence = 0.6;
        hits.push(copy);
        return;
    }
    // A free-standing quotation of some length: a quote whose speaker is not named nearby.
    let words: usize = regions.iter().map(|&q| words_between(d, d.quotes[q].open, d.quotes[q].close)).sum();
    if words >= 4 {
        hits.push(Hit {
            content: spans,
            kind: QuoteKind::Direct,
            speaker: None,
            cue: None,
            medium: None,
            para: sent.para,
            last_sent: 0,
            confidence: 0.4,
            reported: false,
        });
    }
}

/// `“…?” Graham asked.`: the question or exclamation mark ended the sentence, and the next
/// sentence is only the frame.
fn frame_in_next(d: &Doc, si: usize, sent: Sent, regions: &[usize]) -> Option<Hit> {
    let next = *d.sents.get(si + 1)?;
    if next.para != sent.para {
        return None;
    }
    let b = trim_end(d, next.a, next.b);
    if b <= next.a || words_between(d, next.a, b) > 10 || (next.a..b).any(|k| d.in_quote[k].is_some()) {
        return None;
    }
    let cue = cues_in(d, next.a, b.min(next.a + 8)).next()?;
    let speaker = if cue.s == next.a { right_np(d, cue.e, b) } else { frame_np(d, next.a, cue.s) }?;
    let (medium, _) = after_cue(d, cue, b);
    Some(Hit {
        content: quote_spans(d, regions),
        kind: QuoteKind::Direct,
        speaker: Some(speaker),
        cue: Some((cue.s, cue.e)),
        medium,
        para: sent.para,
        last_sent: 0,
        confidence: 0.8,
        reported: false,
    })
}

/// The speaker of a cue whose subject lies further back: `Trump attacked Clinton …, saying, “…”`
/// (the sentence subject), else the last pronoun or name before the cue.
fn subject_fallback(d: &Doc, a: usize, cue: usize) -> Option<(usize, usize)> {
    let participle = d.tok(cue).ends_with("ing") && cue > a && d.is(cue - 1, ",");
    if participle {
        let s = (a..cue).find(|&k| d.is_cap(k) && d.in_quote[k].is_none())?;
        let mut e = s;
        while e < cue && d.is_cap(e) {
            e += 1;
        }
        return Some((s, e));
    }
    let k = (a..cue).rev().find(|&k| {
        d.in_quote[k].is_none()
            && (lx::is_person_pronoun(&lower(d, k)) || matches!(&*lower(d, k), "they" | "we"))
    })?;
    Some((k, k + 1))
}
