//! Repeated structures: an article split over sibling boxes of one kind (a forum thread's
//! posts, a page builder's `sqs-block` / `et_pb_row` sections, `div.blah > section` × n)
//! is found from the one box that scored best by following the same path of tag + class
//! down every sibling of the same kind.

use super::content::Stats;
use super::dom::{Dom, Tag};

/// How far above the best container a repeated box may sit.
const MAX_LEVELS: usize = 6;

/// Class/id tokens without digits (`post-1234`, `p702` are per-item ids, not kinds).
fn class_sig(class_id: &str) -> impl Iterator<Item = &str> {
    class_id.split_whitespace().filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
}

fn same_kind(dom: &Dom, a: usize, b: usize) -> bool {
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
        for &s in &dom.nodes[grand].children {
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
        at = dom.nodes[at]
            .children
            .iter()
            .map(|&c| c as usize)
            .find(|&c| !st.pruned[c] && same_kind(dom, c, want))?;
    }
    Some(at)
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
        let ex = extract_html(&html, None, None, None);
        for t in texts {
            assert!(ex.paragraphs.iter().any(|p| p == t), "missing {t:?} in {:?}", ex.paragraphs);
        }
        assert!(!ex.paragraphs.iter().any(|p| p.contains("joined")), "{:?}", ex.paragraphs);
    }
}
