//! Teaser rails: a row of cards, each a picture, a link to another page of the site and a
//! short headline ("Most read", "More in Sport", a carousel of related stories).
//!
//! Link density does not catch them when the headline sits beside the link rather than in it
//! (the link wraps only the picture, or is an empty overlay over the card), and their class
//! names vary by site (`rail__item`, `swiper-slide`, `c-card`). What they share is the shape:
//! several sibling boxes of one kind, every one with an image, a link into the site and a
//! line or two of text. An article's own lists rarely have a picture in every item, and its
//! galleries link to images, not into the site.

use super::dom::{Dom, Tag};

/// At most this much text in one card (a kicker and a headline, or a headline and a date).
const CARD_MAX_TEXT: u32 = 220;
/// At least this many cards in one row.
const MIN_CARDS: usize = 3;
/// Text around a row that still belongs to it (its heading, "See all").
const HEADING_MAX: u32 = 80;

/// Per node, whether it is a teaser rail (the box holding the cards, with its heading when
/// that is all the enclosing box adds). `raw_len` is each node's text length, nothing pruned,
/// `imgs` its images.
pub fn rails(dom: &Dom, raw_len: &[u32], imgs: &[u32]) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut rail = vec![false; n];
    // Links into the site per subtree (children have larger ids than parents).
    let mut inlinks = vec![0u32; n];
    for i in (1..n).rev() {
        let node = &dom.nodes[i];
        if node.tag == Tag::A && (node.attrs.href == 0 || (dom.site > 1 && node.attrs.href == dom.site)) {
            inlinks[i] += 1;
        }
        inlinks[node.parent as usize] += inlinks[i];
    }
    let is_card = |i: usize| imgs[i] > 0 && inlinks[i] > 0 && raw_len[i] > 0 && raw_len[i] <= CARD_MAX_TEXT;
    for p in 1..n {
        // A row of cards has at least MIN_CARDS pictures and as many links.
        if imgs[p] < MIN_CARDS as u32 || inlinks[p] < MIN_CARDS as u32 {
            continue;
        }
        // A table's rows are data (a wiki's list of items, each with its icon and page).
        if matches!(dom.nodes[p].tag, Tag::Table | Tag::Tbody | Tag::Tr) {
            continue;
        }
        let kids = dom.children(p);
        // More text than cards could hold (the page's big boxes): no row.
        if raw_len[p] > kids.len() as u32 * CARD_MAX_TEXT + HEADING_MAX {
            continue;
        }
        // The cards: one kind of box (the same tag and class tokens, digits aside), nearly
        // every element child one.
        let (mut elements, mut cards, mut first, mut card_text, mut one_kind) =
            (0usize, 0usize, 0usize, 0u32, true);
        for &k in kids {
            let k = k as usize;
            if dom.nodes[k].tag == Tag::Text {
                continue;
            }
            elements += 1;
            if !is_card(k) {
                continue;
            }
            if cards == 0 {
                first = k;
            } else if !super::repeat::same_kind(dom, k, first) {
                one_kind = false;
                break;
            }
            cards += 1;
            card_text += raw_len[k];
        }
        if !one_kind || cards < MIN_CARDS || cards * 4 < elements * 3 || raw_len[p] > card_text + HEADING_MAX
        {
            continue;
        }
        // Take in the heading: climb while the enclosing box adds only a short line.
        let mut top = p;
        for _ in 0..2 {
            let up = dom.nodes[top].parent as usize;
            if up == 0 || matches!(dom.nodes[up].tag, Tag::Body | Tag::Html) {
                break;
            }
            if raw_len[up] > raw_len[top] + HEADING_MAX {
                break;
            }
            top = up;
        }
        rail[top] = true;
    }
    rail
}

#[cfg(test)]
mod tests {
    use super::super::extract_html;
    use super::super::tests::prose;

    fn article(extra: &str) -> String {
        let body = prose("Body", 6);
        format!(
            r#"<html><body><nav><a href="/">Home</a></nav><article><h1>Bridge to be rebuilt</h1>
            {body}{extra}<p>The work is to start in May, the mayor said on Monday, and to last a year.</p>
            </article><footer>© Town</footer></body></html>"#
        )
    }

    /// A row of cards whose headlines sit beside their links (the link wraps only the picture)
    /// is left out, heading and all, while the article around it is kept.
    #[test]
    fn a_row_of_story_cards_is_left_out() {
        let cards: String =
            ["Mayor resigns", "Storm hits the coast", "Team wins the cup", "Prices rise again"]
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    format!(
                        r#"<div class="rail__item"><a href="/news/{i}/story"><img src="/i/{i}.jpg"></a>
                    <h3 class="rail__item-headline">{h}</h3><span>A line about story {i}</span>
                    <a class="rail__item-anchor" href="/news/{i}/story"></a></div>"#
                    )
                })
                .collect();
        let html = article(&format!(
            r#"<div class="rail"><div class="rail__header"><h3>Most read in news</h3></div><div class="swiper-wrapper">{cards}</div></div>"#
        ));
        let ex = extract_html(&html, Some("https://news.example.com/bridge"));
        let all = ex.paragraphs.join("\n");
        assert!(!all.contains("Storm hits") && !all.contains("Most read"), "{all}");
        assert!(all.contains("Body paragraph 5") && all.contains("start in May"), "{all}");
    }

    /// Not every row of pictures and links is a rail: a table of items (a wiki's list, each with
    /// its icon and page) and a list whose items have no picture stay in the article.
    #[test]
    fn tables_and_lists_without_pictures_are_kept() {
        let rows: String = ["Amethyst", "Honey", "Poppy", "Melon"]
            .iter()
            .map(|n| format!(r#"<tr><td><img src="/i/{n}.png"></td><td><a href="/{n}">{n}</a></td><td>A gift {n} likes.</td></tr>"#))
            .collect();
        let items: String = ["the budget", "the bridge", "the school", "the park"]
            .iter()
            .map(|n| format!(r#"<li>The council also voted on <a href="/topics/{n}">{n}</a> today.</li>"#))
            .collect();
        let html = article(&format!("<table><tbody>{rows}</tbody></table><ul>{items}</ul>"));
        let ex = extract_html(&html, Some("https://news.example.com/bridge"));
        let all = ex.paragraphs.join("\n");
        assert!(all.contains("A gift Poppy likes."), "{all}");
        assert!(all.contains("voted on the park"), "{all}");
    }
}
