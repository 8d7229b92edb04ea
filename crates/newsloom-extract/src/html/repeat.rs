//! Repeated structures: an article split over sibling boxes of one kind (a forum thread's
//! posts, a page builder's `sqs-block` / `et_pb_row` sections, `div.blah > section` × n)
//! is found from the one box that scored best by following the same path of tag + class
//! down every sibling of the same kind.

use std::sync::LazyLock;

use regex::Regex;

use super::content::Stats;
use super::dom::{Dom, Tag};

/// The shortest stray paragraph taken (a one-sentence lead or closing line is ~60 chars).
const STRAY_MIN_LEN: u32 = 60;

/// How far above the best container a repeated box may sit.
const MAX_LEVELS: usize = 6;

/// Class/id tokens without digits (`post-1234`, `p702` are per-item ids, not kinds).
fn class_sig(class_id: &str) -> impl Iterator<Item = &str> {
    class_id.split_whitespace().filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
}

pub(super) fn same_kind(dom: &Dom, a: usize, b: usize) -> bool {
    let (x, y) = (&dom.nodes[a], &dom.nodes[b]);
    x.tag == y.tag && class_sig(&x.attrs.class_id).eq(class_sig(&y.attrs.class_id))
}

/// Nodes in sibling boxes that correspond to `top` (same tag + class path from the repeated
/// box down), holding real prose; empty if `top` is not inside a repeated structure.
/// `good` and `links` are per-node prose length and link count (see `content::good_prose`).
pub fn parallel_roots(dom: &Dom, st: &Stats, good: &[u32], links: &[u32], top: usize) -> Vec<usize> {
    let mut path = vec![top];
    let mut cur = top;
    for _ in 0..MAX_LEVELS {
        let parent = dom.nodes[cur].parent as usize;
        if parent == 0 || matches!(dom.nodes[parent].tag, Tag::Body | Tag::Html) {
            break;
        }
        if cur != top {
            path.push(cur);
        }
        cur = parent;
        let grand = dom.nodes[cur].parent as usize;
        // A box of a named kind; plain `<div>`s repeat everywhere.
        if grand == 0 || class_sig(&dom.nodes[cur].attrs.class_id).next().is_none() {
            continue;
        }
        let mut found = Vec::new();
        for &s in dom.children(grand) {
            let s = s as usize;
            if s == cur || st.pruned[s] || !same_kind(dom, s, cur) {
                continue;
            }
            if let Some(c) = follow(dom, st, s, &path) {
                let prose = good[c] >= 80 && st.link_density(c) < 0.3 && links[c] * 250 <= good[c];
                if prose {
                    found.push(c);
                }
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Follows `path` (bottom-up list of nodes below a box) down from the sibling box `s`.
fn follow(dom: &Dom, st: &Stats, s: usize, path: &[usize]) -> Option<usize> {
    let mut at = s;
    for &want in path.iter().rev() {
        at = dom
            .children(at)
            .iter()
            .map(|&c| c as usize)
            .find(|&c| !st.pruned[c] && same_kind(dom, c, want))?;
    }
    Some(at)
}

/// Paragraphs of prose in the enclosing `<article>`/`<main>` that the chosen containers
/// missed (a lead paragraph set apart, text between two widgets): each such `<p>` outside a
/// link-heavy box becomes a root of its own.
pub fn stray_prose(dom: &Dom, st: &Stats, top: usize, roots: &[usize]) -> Vec<usize> {
    let mut scope = dom.nodes[top].parent as usize;
    for _ in 0..6 {
        if scope == 0 || matches!(dom.nodes[scope].tag, Tag::Article | Tag::Main) {
            break;
        }
        scope = dom.nodes[scope].parent as usize;
    }
    if scope == 0 || !matches!(dom.nodes[scope].tag, Tag::Article | Tag::Main) || st.link_density(scope) > 0.3
    {
        return Vec::new();
    }
    let end = super::content::last_descendant(dom, scope);
    // Node ranges of the roots, in document order; one pointer walks them with `i`.
    let mut ranges: Vec<(usize, usize)> =
        roots.iter().map(|&r| (r, super::content::last_descendant(dom, r))).collect();
    ranges.sort_unstable();
    let mut next = 0;
    let mut out = Vec::new();
    let mut i = scope + 1;
    while i <= end {
        while next < ranges.len() && ranges[next].1 < i {
            next += 1;
        }
        if next < ranges.len() && ranges[next].0 <= i {
            i = ranges[next].1 + 1;
            continue;
        }
        let node = &dom.nodes[i];
        let skip_subtree = st.pruned[i] || (node.tag != Tag::Text && st.link_density(i) > 0.5);
        if skip_subtree {
            i = super::content::last_descendant(dom, i) + 1;
            continue;
        }
        if node.tag == Tag::P && st.text_len[i] >= STRAY_MIN_LEN && st.link_density(i) < 0.1 {
            let text = super::content::subtree_text(dom, i);
            if text.trim_end().ends_with(['.', '!', '?', '"', '”', '“', '«', '»', ':', ')']) {
                out.push(i);
            }
            i = super::content::last_descendant(dom, i) + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// Boxes whose prose is never the article's, matched anywhere in a class/id.
static OVERLAY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"modal|dialog|popup|privacy|cookie|consent|comment|review|outdated").unwrap()
});
/// Mean paragraph length of a split-off part of the article.
const SPLIT_PARAGRAPH: u32 = 100;

/// An article split over boxes that are not siblings (a lead box, then text sections in
/// separate page-builder rows): other boxes of prose that score nearly as well as the best.
pub fn split_parts(
    dom: &Dom,
    st: &Stats,
    score: &[f32],
    good: &[u32],
    links: &[u32],
    top: usize,
    roots: &[usize],
) -> Vec<usize> {
    let f = |i: usize| score[i] * (1.0 - st.link_density(i));
    let bar = f(top) * 0.6;
    let mut out: Vec<usize> = Vec::new();
    let mut cands: Vec<usize> = (1..score.len())
        .filter(|&i| {
            !score[i].is_nan()
                && f(i) >= bar
                && good[i] >= 300
                && st.link_density(i) < 0.2
                && links[i] * 250 <= good[i]
        })
        .collect();
    // Best first; a box inside or around one already taken is skipped.
    cands.sort_by(|a, b| f(*b).total_cmp(&f(*a)));
    for c in cands {
        let overlaps =
            |r: usize| super::content::is_ancestor(dom, r, c) || super::content::is_ancestor(dom, c, r);
        if roots.iter().any(|&r| overlaps(r)) || out.iter().any(|&r| overlaps(r)) {
            continue;
        }
        // Parts of an article are paragraphs, not a box of one-line tips or teasers.
        let end = super::content::last_descendant(dom, c);
        let blocks = (c..=end)
            .filter(|&i| {
                let t = dom.nodes[i].tag;
                !st.pruned[i] && t != Tag::Text && !t.is_inline() && !st.has_block[i] && st.text_len[i] >= 60
            })
            .count() as u32;
        if good[c] < SPLIT_PARAGRAPH * blocks.max(1) {
            continue;
        }
        // Overlays, consent texts and reader comments are prose too, kept unpruned by a
        // content cue or an unusual class; they are never a part of the article.
        let mut a = c;
        let mut aside = false;
        while a != 0 && !super::content::is_ancestor(dom, a, top) {
            aside |= OVERLAY_RE.is_match(&dom.nodes[a].attrs.class_id);
            a = dom.nodes[a].parent as usize;
        }
        if aside {
            continue;
        }
        out.push(c);
    }
    out
}

/// Least text of a declared article body (`itemprop="articleBody"`) that is followed.
const DECLARED_MIN: u32 = 200;

/// The box the page itself declares as the article's body (`itemprop="articleBody"`, the
/// schema.org markup many CMSs emit) is the article whatever the scores found: roots inside it
/// give way to it, and it joins roots found elsewhere. Only a box of real text with few links
/// (a declared body that is a stub or a link list is ignored).
pub fn declared_body(dom: &Dom, st: &Stats, roots: Vec<usize>) -> Vec<usize> {
    let declared =
        (1..dom.nodes.len()).find(|&i| !st.pruned[i] && dom.nodes[i].attrs.itemprop() == Some("articlebody"));
    let Some(d) = declared.filter(|&d| st.text_len[d] >= DECLARED_MIN && st.link_density(d) < 0.2) else {
        return roots;
    };
    if roots.iter().any(|&r| super::content::is_ancestor(dom, r, d)) {
        return roots;
    }
    let mut out: Vec<usize> =
        roots.into_iter().filter(|&r| !super::content::is_ancestor(dom, d, r)).collect();
    out.push(d);
    out.sort_unstable();
    out
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&OVERLAY_RE);
}

#[cfg(test)]
mod tests {
    use crate::html::extract_html;

    fn post(n: usize, text: &str) -> String {
        format!(
            r#"<div class="message" id="post-{n}"><div class="message-user"><a href="/u/{n}">user{n}</a>
            <span>Posts: 12{n}, joined in March 2019, from Berlin</span></div>
            <div class="message-cell"><article class="message-body"><p>{text}</p></article></div></div>"#
        )
    }

    #[test]
    fn every_post_of_a_thread_is_kept_without_the_user_boxes() {
        let texts = [
            "My cat loses a lot of fur every night, the whole sofa is covered in it by the morning, and the \
             vacuum cleaner cannot keep up any more. She eats well, sleeps a lot and seems happy. What can I do?",
            "Brushing every day helped with ours, and a change of food made a difference after a few weeks. \
             Ask the vet about the food first, though, since some cats do not take well to a sudden change.",
            "Same here, short walks and a good brush, and the fur on the sofa went down a lot within a month. \
             We also put a blanket on her favourite spot and wash it every week, which keeps the sofa clean.",
        ];
        let posts: String = texts.iter().enumerate().map(|(i, t)| post(i, t)).collect();
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a></nav><div class="thread"><h1>Fur everywhere</h1>
            {posts}</div><footer>© Forum</footer></body></html>"#
        );
        let ex = extract_html(&html, None);
        for t in texts {
            assert!(ex.paragraphs.iter().any(|p| p == t), "missing {t:?} in {:?}", ex.paragraphs);
        }
        assert!(!ex.paragraphs.iter().any(|p| p.contains("joined")), "{:?}", ex.paragraphs);
    }

    #[test]
    fn the_declared_article_body_is_taken_whole() {
        let body: String = (0..6)
            .map(|i| {
                format!(
                    "<p>Paragraph {i} says that the museum, closed for two years, opens again in May, with a new \
                     wing, a cafe and a garden.</p>"
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a></nav><div class="page"><h1>Museum opens</h1>
            <div itemprop="articleBody"><div class="text">{body}</div>
            <ul><li>Open Monday to Friday, nine to five.</li><li>Free for children.</li></ul></div>
            </div><footer>© Town</footer></body></html>"#
        );
        let ex = extract_html(&html, None);
        assert!(ex.paragraphs.iter().any(|p| p == "Free for children."), "{:?}", ex.paragraphs);
        assert!(ex.paragraphs[0].starts_with("Paragraph 0"), "{:?}", ex.paragraphs);
    }

    #[test]
    fn prose_set_apart_in_the_same_article_is_kept() {
        let body: String = (0..6)
            .map(|i| {
                format!(
                    "<p>Paragraph {i} of the report says that the council, after a long debate, agreed to \
                     rebuild the old bridge over the river before the winter.</p>"
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><main>
            <div class="hero"><div class="hero-inner"><h1>Bridge to be rebuilt</h1>
            <div class="box"><p>The town will spend four million euros on the work, which is to start in May, the mayor said on Monday.</p></div></div></div>
            <div class="share"><a href="/s">Share</a></div>
            <div class="wrap"><div class="col"><div class="text">{body}</div></div></div>
            </main><footer>© Town</footer></body></html>"#
        );
        let ex = extract_html(&html, None);
        assert!(ex.paragraphs[0].starts_with("The town will spend"), "{:?}", ex.paragraphs);
        assert_eq!(ex.paragraphs.len(), 7, "{:?}", ex.paragraphs);
    }
}
