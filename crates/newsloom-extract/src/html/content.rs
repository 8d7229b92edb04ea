//! Main-content detection on the compact DOM.
//!
//! 1. Boilerplate pruning: tags (`nav`, `aside`, `footer`, forms, scripts), ARIA roles, hidden
//!    elements and class/id cues (share, related, comments, cookie, ads, newsletter, ...), but
//!    never a node holding most of the page's text that also carries a content cue.
//! 2. Scoring (readability-style): every text block adds points for its length and commas to
//!    its ancestors, weighted by tag and class/id cues and discounted by link density.
//! 3. The best container plus siblings that score close to it or read as prose, the same
//!    place in sibling boxes of the same kind (forum posts, page-builder sections; see
//!    `repeat`), prose paragraphs elsewhere in the enclosing `<article>`/`<main>`, blocks
//!    between two chosen siblings, and other prose boxes scoring close to the best (an
//!    article split over page-builder rows); the box the page declares as the article body
//!    (`itemprop="articleBody"`) is taken whole.
//! 4. Serialisation in document order into paragraphs, headings, list items and quotes;
//!    link-heavy sub-blocks, boilerplate phrases and learned template blocks are dropped;
//!    captions are kept apart.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{lead, negative, positive};
use super::dom::{Dom, Tag};

/// Class/id cues of a comment area (`comment|disqus|respond|reply|kommentar` anywhere), matched
/// by hand: it runs for every element with a class, where a regex call costs more than the scan.
/// Every cue holds an `m`, `p` or `q` (rarer in class strings than first letters such as `c`
/// or `r`): eight bytes at a time, only those are looked at, each against the cues it can sit in.
pub(super) fn comment_cue(class_id: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Bit 7 of each byte of `y` that is zero (exact: no carry crosses a byte).
    let zero = |y: u64| !(((y & LO7) + LO7) | y | LO7);
    let b = class_id.as_bytes();
    let at = |start: Option<usize>, w: &[u8]| start.is_some_and(|s| b.get(s..s + w.len()) == Some(w));
    let mut i = 0;
    while i < b.len() {
        let x = match b.get(i..i + 8) {
            Some(c) => u64::from_le_bytes(c.try_into().expect("8 bytes")),
            // The last bytes, zero-padded (a zero byte is none of m, p, q).
            None => b[i..].iter().rev().fold(0u64, |x, &c| (x << 8) | u64::from(c)),
        };
        let mut hits = zero(x ^ (ONES * u64::from(b'm')))
            | zero(x ^ (ONES * u64::from(b'p')))
            | zero(x ^ (ONES * u64::from(b'q')));
        while hits != 0 {
            let j = i + (hits.trailing_zeros() / 8) as usize;
            let found = match b[j] {
                // The first `m` of "comment" and "kommentar" is their third byte.
                b'm' => at(j.checked_sub(2), b"comment") || at(j.checked_sub(2), b"kommentar"),
                b'p' => at(j.checked_sub(3), b"respond") || at(j.checked_sub(2), b"reply"),
                _ => at(j.checked_sub(3), b"disqus"),
            };
            if found {
                return true;
            }
            hits &= hits - 1;
        }
        i += 8;
    }
    false
}
static PHRASE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(advertisement|anzeige|werbung|publicité|share( this( article| story)?)?|tweet|print|e-?mail|comments?|\d+ comments?|related( articles| stories| posts)?|read more|weiterlesen|mehr lesen|click here.*|sign up.*|subscribe.*|follow us.*|all rights reserved.*|copyright.*|©.*|loading\W*|skip to .*|back to top|top|caption|close|expand|back to gallery|view gallery|read later|hide caption|toggle caption|enlarge this image|schließen|(reading time|lesezeit|tempo de leitura|tiempo de lectura|temps de lecture|tempo di lettura)\W*\d+\s*\w*|\d+\s*(min|mins|minute|minutes|minuten|minutos|minuti)\.?\s*(read|lesezeit|de leitura|de lectura|de lecture|di lettura))\W*$").unwrap()
});

/// A serialised block of the main content.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub text: String,
    pub kind: BlockKind,
    /// The element the block's text sits in (its DOM path keys template learning).
    pub node: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    Caption,
}

/// Per-node statistics over the unpruned tree.
pub struct Stats {
    /// Text length ignoring pruning (metadata lives in pruned bylines and headers).
    pub raw_len: Vec<u32>,
    pub pruned: Vec<bool>,
    pub text_len: Vec<u32>,
    pub link_len: Vec<u32>,
    pub commas: Vec<u32>,
    pub has_block: Vec<bool>,
    /// Text directly in the element (not inside a block child): `<div>text<div>…</div></div>`.
    pub inline_len: Vec<u32>,
    pub inline_commas: Vec<u32>,
    /// In a comment area: a box whose class/id names comments, or inside one.
    pub in_comments: Vec<bool>,
    /// Images per subtree, pruned ones included.
    pub imgs: Vec<u32>,
}

impl Stats {
    pub fn link_density(&self, i: usize) -> f32 {
        if self.text_len[i] == 0 { 0.0 } else { self.link_len[i] as f32 / self.text_len[i] as f32 }
    }
}

type Counts = (Vec<u32>, Vec<u32>, Vec<u32>, Vec<bool>, Vec<u32>, Vec<u32>);

/// Text length, link-text length, commas, has-block-child, and own inline text length and
/// commas (text not inside a block child) per node.
fn text_stats(dom: &Dom, pruned: &[bool]) -> Counts {
    let n = dom.nodes.len();
    let (mut tl, mut ll, mut cm, mut hb) = (vec![0u32; n], vec![0u32; n], vec![0u32; n], vec![false; n]);
    let (mut il, mut ic) = (vec![0u32; n], vec![0u32; n]);
    // Children always have larger indices than their parent: one reverse pass aggregates.
    for i in (1..n).rev() {
        if pruned[i] {
            continue;
        }
        let node = &dom.nodes[i];
        if node.tag == Tag::Text {
            tl[i] = node.len;
            cm[i] = node.commas;
        } else {
            if node.tag == Tag::A {
                ll[i] = tl[i];
            }
            if !node.tag.is_inline() {
                hb[node.parent as usize] = true;
            }
        }
        let p = node.parent as usize;
        tl[p] += tl[i];
        ll[p] += ll[i];
        cm[p] += cm[i];
        hb[p] |= hb[i] && !node.tag.is_inline();
        if node.tag.is_inline() {
            il[p] += tl[i];
            ic[p] += cm[i];
        }
    }
    (tl, ll, cm, hb, il, ic)
}

/// Text length, link-text length and images per node, nothing pruned: [`text_stats`]'s first
/// two counts without the other four (the pass before pruning needs only these), and images.
fn text_lengths(dom: &Dom) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = dom.nodes.len();
    let (mut tl, mut ll, mut im) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
    for i in (1..n).rev() {
        let node = &dom.nodes[i];
        match node.tag {
            Tag::Text => tl[i] = node.len,
            Tag::A => ll[i] = tl[i],
            Tag::Img => im[i] += 1,
            _ => {}
        }
        let p = node.parent as usize;
        tl[p] += tl[i];
        ll[p] += ll[i];
        im[p] += im[i];
    }
    (tl, ll, im)
}

/// Boilerplate pruning, then statistics over what is left.
pub fn stats(dom: &Dom) -> Stats {
    let n = dom.nodes.len();
    let (raw_len, raw_links, imgs) = text_lengths(dom);
    let total = raw_len[0].max(1) as f32;
    // Share of the page's non-link text: what the article is made of.
    let prose = |i: usize| raw_len[i].saturating_sub(raw_links[i]) as f32;
    let total_prose = prose(0).max(1.0);
    let mut pruned = vec![false; n];
    let mut inside_article = vec![false; n];
    // The element with the most prose in direct <p>/text children anchors the article: its
    // ancestors are never pruned, whatever their class or tag says (`content-with-sidebar`,
    // `m-advertisement-off-canvas--pusher`, a <form> around the page).
    let mut direct = vec![0u32; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        if matches!(node.tag, Tag::P | Tag::Text) {
            direct[node.parent as usize] += raw_len[i].saturating_sub(raw_links[i]);
        }
    }
    // Comment threads can out-write the article; they never anchor it.
    let mut in_comments = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        in_comments[i] = in_comments[node.parent as usize]
            || (!node.attrs.class_id.is_empty() && comment_cue(&node.attrs.class_id));
    }
    let rail = super::teasers::rails(dom, &raw_len, &imgs);
    let mut protected = vec![false; n];
    let mut anchor = (1..n).filter(|&i| !in_comments[i]).max_by_key(|&i| direct[i]).unwrap_or(0);
    while anchor != 0 && direct.len() > 1 {
        protected[anchor] = true;
        anchor = dom.nodes[anchor].parent as usize;
    }
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        inside_article[i] =
            inside_article[p] || node.tag == Tag::Article || node.attrs.itemprop() == Some("articlebody");
        if pruned[p] {
            pruned[i] = true;
            continue;
        }
        if node.tag == Tag::Text {
            continue;
        }
        let share = raw_len[i] as f32 / total;
        let ld = if raw_len[i] == 0 { 0.0 } else { raw_links[i] as f32 / raw_len[i] as f32 };
        let a = &node.attrs;
        let by_tag = match node.tag {
            Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Iframe
            | Tag::Input
            | Tag::Button
            | Tag::Select
            | Tag::Textarea
            | Tag::Object
            | Tag::Media
            | Tag::Dialog
            | Tag::Title => true,
            // Sites that wrap everything in one of these keep it when it holds most of the text.
            Tag::Nav | Tag::Aside | Tag::Menu | Tag::Footer => !(prose(i) / total_prose > 0.5 && ld < 0.3),
            Tag::Header => !(inside_article[i] || (share > 0.5 && ld < 0.3)),
            Tag::Form => share < 0.3 || ld > 0.5,
            _ => false,
        };
        let by_role = a.role().is_some_and(|r| {
            matches!(
                r,
                "navigation"
                    | "banner"
                    | "contentinfo"
                    | "complementary"
                    | "menu"
                    | "menubar"
                    | "search"
                    | "dialog"
                    | "alert"
            )
        });
        let by_class = !a.class_id.is_empty() && negative(&a.class_id) && {
            let content_cue = positive(&a.class_id) || a.itemprop() == Some("articlebody");
            let prose_share = prose(i) / total_prose;
            // A wrapper holding most of the page's prose is not boilerplate, whatever its
            // class says (`m-advertisement-off-canvas--pusher`), unless it is a comment area.
            !((content_cue && prose_share > 0.3 && ld < 0.3)
                || (prose_share > 0.5 && ld < 0.3 && !comment_cue(&a.class_id)))
        };
        pruned[i] = if protected[i] {
            matches!(node.tag, Tag::Script | Tag::Style | Tag::Template | Tag::Svg)
        } else {
            by_tag || by_role || by_class || a.hidden || rail[i]
        };
    }
    let (text_len, link_len, commas, has_block, inline_len, inline_commas) = text_stats(dom, &pruned);
    Stats {
        raw_len,
        pruned,
        text_len,
        link_len,
        commas,
        has_block,
        inline_len,
        inline_commas,
        in_comments,
        imgs,
    }
}

fn class_weight(dom: &Dom, i: usize) -> f32 {
    let a = &dom.nodes[i].attrs;
    let mut w = 0.0;
    if !a.class_id.is_empty() {
        if negative(&a.class_id) {
            w -= 25.0;
        }
        if positive(&a.class_id) {
            w += 25.0;
        }
    }
    if a.itemprop() == Some("articlebody") {
        w += 40.0;
    }
    w + match dom.nodes[i].tag {
        Tag::Article => 15.0,
        Tag::Main => 10.0,
        Tag::Div => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => -3.0,
        Tag::H(_) | Tag::Th => -5.0,
        _ => 0.0,
    }
}

/// Readability-style container scores: each text block adds its score to its ancestors
/// (NaN for nodes that are no candidate).
pub fn candidate_scores(dom: &Dom, st: &Stats) -> Vec<f32> {
    let n = dom.nodes.len();
    let mut score = vec![f32::NAN; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        if st.pruned[i] || node.tag == Tag::Text || node.tag.is_inline() && node.tag != Tag::Span {
            continue;
        }
        if matches!(node.tag, Tag::H(_) | Tag::Li | Tag::Dt | Tag::Th) {
            continue;
        }
        // A text block: an element with text and no block children (p, or div used as p),
        // scored for its container; or text directly inside a block that also has block
        // children (`<div>text<div class=br></div>text</div>`), scored for the block itself.
        let (len, commas, mut anc) = if st.has_block[i] {
            (st.inline_len[i], st.inline_commas[i], i)
        } else {
            (st.text_len[i], st.commas[i], node.parent as usize)
        };
        if len < 25 {
            continue;
        }
        // Paragraphs separated by `<br>` in one element (pages without `<p>`, or one `<p>`
        // holding the whole article) count as the paragraphs they are, not as one capped block.
        let s = match br_segments(dom, st, i) {
            Some(segs) if segs.len() > 1 => segs
                .iter()
                .filter(|&&(l, _)| l >= 25)
                .map(|&(l, c)| block_score(l, c))
                .sum::<f32>()
                .max(block_score(len, commas)),
            _ => block_score(len, commas),
        };
        for level in 0..5 {
            // The document itself is a container only for blocks placed right in it
            // (fragments such as `<p>…</p><p>…</p>` without html/body).
            if anc == 0 && level > 0 {
                break;
            }
            if score[anc].is_nan() {
                // A content cue on a nearly empty box (`div.articlemeta`) is worth little.
                score[anc] = class_weight(dom, anc) * (st.text_len[anc] as f32 / 200.0).min(1.0);
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[anc] += s / div;
            if anc == 0 {
                break;
            }
            anc = dom.nodes[anc].parent as usize;
        }
    }
    score
}

/// Picks the main-content roots: the best-scoring container and its worthy siblings.
pub fn content_roots(dom: &Dom, st: &Stats) -> (Vec<usize>, f32) {
    let n = dom.nodes.len();
    let score = candidate_scores(dom, st);
    // The article follows its headline: containers holding the first h1, or starting
    // shortly after it, are favoured over header widgets, sidebars and popups elsewhere.
    let h1 = (1..n).find(|&i| dom.nodes[i].tag == Tag::H(1) && st.raw_len[i] > 0);
    let near_h1 =
        |i: usize| h1.is_some_and(|h| (i > h && i - h < H1_WINDOW) || (i < h && last_descendant(dom, i) > h));
    let mut best: Option<(usize, f32)> = None;
    let mut plain: Option<(usize, f32)> = None;
    for (i, &s) in score.iter().enumerate() {
        if s.is_nan() {
            continue;
        }
        let boost = if near_h1(i) { H1_BOOST } else { 1.0 };
        let f = s * (1.0 - st.link_density(i));
        if best.is_none_or(|(_, b)| f * boost > b) {
            best = Some((i, f * boost));
        }
        if plain.is_none_or(|(_, b)| f > b) {
            plain = Some((i, f));
        }
    }
    // No text block at all (text only in list items or cells, as when deep nesting was
    // flattened at the depth cap): the whole document is the candidate.
    let Some((mut top, mut top_score)) = best else {
        return (if st.text_len[0] > 0 { vec![0] } else { vec![] }, 0.0);
    };
    // Articles split over sibling sections (`section.post__content` × n, a lead paragraph
    // apart from the rest): climb while the parent holds clearly more prose than the node.
    let (good, links) = good_prose(dom, st);
    // The headline's boost picks a box near the first <h1>; when that <h1> is a sidebar's or
    // a header widget's, the box is a teaser with a fraction of the prose of the best box
    // elsewhere: prose wins then.
    if let Some((p, ps)) = plain
        && p != top
        && good[p] >= 4 * good[top].max(50)
        && !is_ancestor(dom, p, top)
        && !is_ancestor(dom, top, p)
    {
        (top, top_score) = (p, ps);
    }
    // Wrappers that add nothing are passed through, up to a few levels.
    'climb: loop {
        let mut a = dom.nodes[top].parent as usize;
        for _ in 0..8 {
            if a == 0 || st.link_density(a) > 0.35 {
                break 'climb;
            }
            let extra = good[a] - good[top];
            // Teaser lists (a linked headline and a summary per item) are prose too, but
            // with a link every couple of hundred characters.
            let extra_links = links[a] - links[top];
            if good[a] >= good[top] + good[top] / 4 && extra >= 150 && extra_links * 250 <= extra {
                top = a;
                continue 'climb;
            }
            if good[a] > good[top] + good[top] / 4 {
                break 'climb;
            }
            a = dom.nodes[a].parent as usize;
        }
        break;
    }
    let parent = dom.nodes[top].parent as usize;
    if parent == 0 && top == 0 {
        return (vec![top], top_score);
    }
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = &dom.nodes[top].attrs.class_id;
    let mut roots = Vec::new();
    for &c in dom.children(parent) {
        let c = c as usize;
        if c == top {
            roots.push(c);
            continue;
        }
        if st.pruned[c] || dom.nodes[c].tag == Tag::Text || st.text_len[c] == 0 {
            continue;
        }
        let mut s = score[c];
        if s.is_nan() {
            s = 0.0;
        }
        s *= 1.0 - st.link_density(c);
        if !top_class.is_empty() && dom.nodes[c].attrs.class_id == *top_class {
            s += top_score * 0.2;
        }
        let len = st.text_len[c];
        let ld = st.link_density(c);
        let prose = matches!(dom.nodes[c].tag, Tag::P | Tag::Blockquote | Tag::Pre)
            && ((len > 80 && ld < 0.25) || (len > 0 && ld == 0.0 && ends_sentence(&subtree_text(dom, c))));
        // A sibling block of real prose (a lead before the body, a second body part).
        let prose_box = good[c] >= 100 && ld < 0.2 && links[c] * 250 <= good[c];
        if s >= threshold || prose || prose_box {
            roots.push(c);
        }
    }
    roots = sandwiched(dom, st, parent, roots);
    // The lead ("intro", "chapo", "standfirst") often sits apart from the body container, a
    // few levels up: take prose blocks with a lead cue that come before the body within the
    // enclosing article (or five levels up).
    let first = roots.first().copied().unwrap_or(top);
    let mut scope = dom.nodes[top].parent as usize;
    for _ in 0..5 {
        if scope == 0 || dom.nodes[scope].tag == Tag::Article {
            break;
        }
        scope = dom.nodes[scope].parent as usize;
    }
    if scope != 0 {
        let mut leads = Vec::new();
        for i in scope + 1..first {
            let a = &dom.nodes[i].attrs;
            if st.pruned[i] || a.class_id.is_empty() || !lead(&a.class_id) {
                continue;
            }
            let inside_lead = leads.iter().any(|&l| is_ancestor(dom, l, i));
            if !inside_lead && st.text_len[i] >= 60 && st.link_density(i) < 0.3 && !is_ancestor(dom, i, first)
            {
                leads.push(i);
            }
        }
        if !leads.is_empty() {
            leads.extend(roots);
            roots = leads;
        }
    }
    let mut parallel = super::repeat::parallel_roots(dom, st, &good, &links, top);
    parallel.extend(super::repeat::stray_prose(dom, st, top, &roots));
    parallel.extend(super::repeat::split_parts(dom, st, &score, &good, &links, top, &roots));
    // Reader comments are prose too (a comment box beside the body, `div.kommentarModul`, one
    // of many of a kind): they join an article only when it is itself one (a forum thread).
    if !st.in_comments[top] {
        parallel.retain(|&c| !st.in_comments[c]);
        roots.retain(|&c| c == top || !st.in_comments[c]);
    }
    if !parallel.is_empty() {
        roots.extend(parallel);
        roots.sort_unstable();
        roots.dedup();
        // In document order an ancestor comes first and its subtree is a contiguous range:
        // one pass drops roots inside an earlier one.
        let mut end = 0;
        roots.retain(|&r| {
            let keep = r > end || end == 0;
            if keep {
                end = last_descendant(dom, r);
            }
            keep
        });
    }
    (super::repeat::declared_body(dom, st, enclosing(dom, st, roots)), top_score)
}

/// Most text an enclosing box may add to the roots, as a share of theirs.
const ENCLOSING_EXTRA: f32 = 1.0;
/// Most link text in what it adds, as a share of that.
const ENCLOSING_LINKS: f32 = 0.08;

/// An article assembled from several boxes (a lead box, split parts, stray paragraphs) leaves
/// out what sits between and around them in their common box: the subheadings, lists, tables
/// and short lines of the same article. That box is taken instead when it adds at most as
/// much text as the roots hold, nearly without links (a box holding other stories or link
/// lists adds far more, or adds links).
fn enclosing(dom: &Dom, st: &Stats, roots: Vec<usize>) -> Vec<usize> {
    let [first, rest @ ..] = roots.as_slice() else { return roots };
    if rest.is_empty() {
        return roots;
    }
    let mut lca = *first;
    for &r in rest {
        while lca != 0 && !is_ancestor(dom, lca, r) {
            lca = dom.nodes[lca].parent as usize;
        }
    }
    if lca == 0 || matches!(dom.nodes[lca].tag, Tag::Body | Tag::Html) {
        return roots;
    }
    let covered: u32 = roots.iter().map(|&r| st.text_len[r]).sum();
    let covered_links: u32 = roots.iter().map(|&r| st.link_len[r]).sum();
    let extra = st.text_len[lca].saturating_sub(covered) as f32;
    let extra_links = st.link_len[lca].saturating_sub(covered_links) as f32;
    if extra <= covered as f32 * ENCLOSING_EXTRA && extra_links <= extra * ENCLOSING_LINKS {
        vec![lca]
    } else {
        roots
    }
}

/// Siblings between two chosen roots (a subheading, a short list, a table, a one-line
/// paragraph between two prose boxes) belong to the article as much as what surrounds them,
/// and so does a heading right before the first root; link-heavy boxes stay out.
fn sandwiched(dom: &Dom, st: &Stats, parent: usize, roots: Vec<usize>) -> Vec<usize> {
    let kids = dom.children(parent);
    // The roots are children of `parent`, in document order (node ids grow in that order).
    let (Some(&lo), Some(&hi)) = (roots.first(), roots.last()) else { return roots };
    let Some(first) = kids.iter().position(|&c| c as usize == lo) else { return roots };
    let usable = |c: usize| {
        !st.pruned[c] && dom.nodes[c].tag != Tag::Text && st.text_len[c] > 0 && st.link_density(c) < 0.35
    };
    let mut start = first;
    if let Some(k) =
        kids[..first].iter().rposition(|&c| !st.pruned[c as usize] && st.text_len[c as usize] > 0)
        && matches!(dom.nodes[kids[k] as usize].tag, Tag::H(_))
        && usable(kids[k] as usize)
    {
        start = k;
    }
    let mut next = roots.iter().peekable();
    let mut out = Vec::with_capacity(roots.len());
    for &c in &kids[start..] {
        let c = c as usize;
        if c > hi {
            break;
        }
        let is_root = next.peek().is_some_and(|&&r| r == c);
        if is_root {
            next.next();
        }
        if is_root || usable(c) {
            out.push(c);
        }
    }
    out
}

/// The score of one text block: commas mark prose; a comma-separated list of names is one
/// block, so both parts are capped.
fn block_score(len: u32, commas: u32) -> f32 {
    1.0 + (commas as f32).min(10.0) + (len as f32 / 100.0).min(3.0)
}

/// `(length, commas)` of the runs of inline text between the `<br>`s (and block children) of
/// element `i`; `None` when it has no `<br>` child.
fn br_segments(dom: &Dom, st: &Stats, i: usize) -> Option<Vec<(u32, u32)>> {
    let children = dom.children(i);
    if !children.iter().any(|&c| dom.nodes[c as usize].tag == Tag::Br) {
        return None;
    }
    let mut segs = Vec::new();
    let mut cur = (0u32, 0u32);
    for &c in children {
        let c = c as usize;
        if st.pruned[c] {
            continue;
        }
        let tag = dom.nodes[c].tag;
        if tag.is_inline() {
            cur.0 += st.text_len[c];
            cur.1 += st.commas[c];
        } else if cur.0 > 0 {
            segs.push(cur);
            cur = (0, 0);
        }
    }
    if cur.0 > 0 {
        segs.push(cur);
    }
    Some(segs)
}

/// Per node: the length of prose-like text blocks (≥ 60 chars, few links) below it, and the
/// number of links below it.
fn good_prose(dom: &Dom, st: &Stats) -> (Vec<u32>, Vec<u32>) {
    let n = dom.nodes.len();
    let mut good = vec![0u32; n];
    let mut links = vec![0u32; n];
    for i in (1..n).rev() {
        let node = &dom.nodes[i];
        if st.pruned[i] || node.tag == Tag::Text {
            continue;
        }
        let own = if st.has_block[i] { st.inline_len[i] } else { st.text_len[i] };
        let prose_block = !node.tag.is_inline() && st.link_density(i) < 0.25;
        if own >= 60 && (prose_block || st.has_block[i]) {
            good[i] += own;
        }
        let p = node.parent as usize;
        if !node.tag.is_inline() {
            good[p] += good[i];
        }
        links[p] += links[i] + u32::from(node.tag == Tag::A);
    }
    (good, links)
}

pub(super) fn is_ancestor(dom: &Dom, anc: usize, mut i: usize) -> bool {
    while i != 0 {
        if i == anc {
            return true;
        }
        i = dom.nodes[i].parent as usize;
    }
    false
}

const H1_WINDOW: usize = 400;
const H1_BOOST: f32 = 2.0;

/// The last node (in document order) under `i`.
pub fn last_descendant(dom: &Dom, mut i: usize) -> usize {
    while let Some(c) = dom.last_child(i) {
        i = c;
    }
    i
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', '"', '”', '。'])
}

/// All text under `i` (unpruned or not), whitespace-normalised.
pub fn subtree_text(dom: &Dom, i: usize) -> String {
    let mut out = String::new();
    let mut stack = vec![i];
    while let Some(j) = stack.pop() {
        let node = &dom.nodes[j];
        if node.tag == Tag::Text {
            out.push_str(dom.text(j));
        } else if !matches!(node.tag, Tag::Script | Tag::Style) {
            stack.extend(dom.children(j).iter().rev().map(|&c| c as usize));
        }
    }
    normalise(&out)
}

/// The words of `s` joined by single spaces.
pub fn normalise(s: &str) -> String {
    crate::text::join_words(s)
}

struct Writer {
    blocks: Vec<Block>,
    buf: String,
    kind: BlockKind,
    link_chars: usize,
    /// Link text of links that lead off the site (see [`leads_out`]).
    out_chars: usize,
    node: usize,
}

impl Writer {
    fn flush(&mut self) {
        let text = normalise(&self.buf);
        let links = self.link_chars;
        let out = self.out_chars;
        self.buf.clear();
        self.link_chars = 0;
        self.out_chars = 0;
        if text.is_empty() {
            return;
        }
        let len = text.chars().count();
        // A block that is mostly links ("Read more: <a>…</a>") is navigation, unless the links
        // lead off the site: teasers and related stories point into it, while a source, a
        // petition, an event page or a contact address the article names points elsewhere.
        let outward = out * 2 >= links;
        if self.kind != BlockKind::Caption && links * 10 > len * 6 && len < 300 && !outward {
            return;
        }
        if PHRASE_RE.is_match(&text) {
            return;
        }
        self.blocks.push(Block { text, kind: self.kind, node: self.node });
    }
}

/// Whether a link (its `href` as a [`site_hash`](super::dom::site_hash)) leads off the page's
/// site `site`: a `mailto:`/`tel:` link, or one to another host when the page's own is known.
fn leads_out(href: u64, site: u64) -> bool {
    href == 1 || (href > 1 && site != 0 && href != site)
}

/// Serialises the content under `roots` into blocks.
pub fn serialise(dom: &Dom, st: &Stats, roots: &[usize]) -> Vec<Block> {
    let mut w = Writer {
        blocks: Vec::new(),
        buf: String::new(),
        kind: BlockKind::Paragraph,
        link_chars: 0,
        out_chars: 0,
        node: 0,
    };
    for &r in roots {
        w.node = r;
        walk(dom, st, r, &mut w, Ctx { link: false, out: false, caption: false, root: true, block: r });
        w.flush();
    }
    w.blocks
}

#[derive(Clone, Copy)]
struct Ctx {
    /// The nearest block element above (where text after a nested block belongs).
    block: usize,
    link: bool,
    /// Inside a link that leads off the site.
    out: bool,
    caption: bool,
    root: bool,
}

fn walk(dom: &Dom, st: &Stats, i: usize, w: &mut Writer, ctx: Ctx) {
    if st.pruned[i] {
        return;
    }
    let node = &dom.nodes[i];
    match node.tag {
        Tag::Text => {
            let text = dom.text(i);
            w.buf.push_str(text);
            if ctx.link {
                let n = text.split_whitespace().map(|t| t.chars().count() + 1).sum::<usize>();
                w.link_chars += n;
                if ctx.out {
                    w.out_chars += n;
                }
            }
            return;
        }
        Tag::Br => {
            w.buf.push(' ');
            return;
        }
        Tag::Hr | Tag::Img => return,
        _ => {}
    }
    if st.text_len[i] == 0 {
        return;
    }
    let ld = st.link_density(i);
    if !ctx.root {
        // Link lists and link-heavy boxes inside the article (related stories, tag clouds).
        let container = matches!(
            node.tag,
            Tag::Div
                | Tag::Section
                | Tag::Ul
                | Tag::Ol
                | Tag::Table
                | Tag::Dl
                | Tag::Aside
                | Tag::Nav
                | Tag::Other
        );
        let list = matches!(node.tag, Tag::Ul | Tag::Ol);
        if container && (ld > 0.5 || (list && ld > 0.35)) {
            return;
        }
    }
    let caption = ctx.caption
        || matches!(node.tag, Tag::Figcaption | Tag::Caption)
        || (node.tag == Tag::Figure && st.text_len[i] < 500)
        || caption_by_class(dom, st, i);
    let block = !node.tag.is_inline();
    let kind = match node.tag {
        _ if caption => BlockKind::Caption,
        Tag::H(l) => BlockKind::Heading(l),
        _ => BlockKind::Paragraph,
    };
    if block {
        w.flush();
        w.kind = kind;
        w.node = i;
    }
    let inner = Ctx {
        link: ctx.link || node.tag == Tag::A,
        out: ctx.out || (node.tag == Tag::A && leads_out(node.attrs.href, dom.site)),
        caption,
        root: false,
        block: if block { i } else { ctx.block },
    };
    for &c in dom.children(i) {
        walk(dom, st, c as usize, w, inner);
        if block {
            // A nested block flushed and reset the kind: text after it is ours again.
            w.kind = kind;
            w.node = i;
        }
    }
    if block {
        w.flush();
        w.kind = if ctx.caption { BlockKind::Caption } else { BlockKind::Paragraph };
        w.node = ctx.block;
    }
}

/// `image-caption`, `wp-caption-text`, `media__caption`: a caption by its class, wherever the
/// word stands in the token (the weak cue only reads token starts), when it is short and a
/// picture sits in it or within three levels above it, or a box there is named for one. A box
/// whose class says caption but holds a page's only text (a video page's summary) is none.
fn caption_by_class(dom: &Dom, st: &Stats, i: usize) -> bool {
    if st.text_len[i] >= 500 || !dom.nodes[i].attrs.class_id.contains("caption") {
        return false;
    }
    let mut a = i;
    for _ in 0..3 {
        // A lazy-loaded picture has no <img> yet, only its box's class (`InlineImage-…`).
        let c = &dom.nodes[a].attrs.class_id;
        if st.imgs[a] > 0 || ["image", "img", "photo", "picture", "figure"].iter().any(|w| c.contains(w)) {
            return true;
        }
        a = dom.nodes[a].parent as usize;
        if a == 0 {
            break;
        }
    }
    false
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&PHRASE_RE);
    super::cues::compile_patterns();
}
