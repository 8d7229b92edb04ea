//! HTML → article.
//!
//! # Parser choice (measured)
//!
//! All 591 dev pages of both benchmarks (avg 148 KB, 87 MB in all), decoded to strings in
//! memory, one core, release build, parse only (no extraction):
//!
//! | parser | MB/s | pages/s |
//! |---|---|---|
//! | scraper 0.29 (html5ever 0.35 tree builder + ego-tree DOM) | 106 | 715 |
//! | html5ever 0.40 tokenizer alone (no tree) | 159 | 1,073 |
//! | tl 0.7 (not HTML5-conformant) | 700 | 4,750 |
//! | lol_html 3.0, element + end-tag + text handlers on `*` (until 2026-12-06) | 324 | 2,190 |
//!
//! Since 2026-12-06 the DOM ([`dom`]) is built from [`tokenize`], a one-pass scanner of the
//! part of the HTML5 tokenizer the builder reads (tag boundaries with quoted attribute values,
//! comments and bogus comments, RCDATA/RAWTEXT/script data with its escaped states, PLAINTEXT,
//! CDATA in foreign content) plus lol_html's namespace simulation (SVG/MathML, integration
//! points, breakout tags) and its end-tag rule (an end tag pops to the nearest open element of
//! its name, else is ignored), so the trees are the ones lol_html gave. The builder adds the
//! implied-end-tag rules that matter for text; plain formatting elements (`<b>`, a bare
//! `<span>`) and everything inside `<svg>`, `<select>` and `<noscript>` get no node at all.
//! Checked against the lol_html build on the 591 pages, on each cut at 39 points (23,640
//! inputs: cut-off tags, comments, scripts) and on 23,640 copies with 5 random snippets each
//! (`<script>`, `<!--`, `<svg>`, quotes, `<plaintext>`, …): identical DOMs, except where
//! lol_html gave up ("parsing ambiguity", e.g. `<textarea>` in `<select>`: it dropped the rest
//! of the page; the scanner goes on). tl was not taken: its tree ignores an end tag that does
//! not close the innermost element (`<div><p>a</div>` leaves the `<div>` open), so it cannot
//! give these trees, and it has no raw-text states.
//!
//! # Where a page's instructions go (callgrind, `NewsExtractor::extract` per page)
//!
//! `valgrind --tool=callgrind --toggle-collect='newsloom_extract::NewsExtractor::extract_with'
//! newsloom eval extract --gold GOLD.jsonl` (the CLI, mimalloc). Output unchanged on every page
//! (`bench/extract-same.sh`).
//!
//! | | AEB dev (88) | trafilatura-eval dev (503) |
//! |---|---|---|
//! | lol_html DOM (2026-12-06 morning), all | 9.30 M | 10.71 M |
//! | … of which the parse ([`dom::parse`]) | 6.12 M | 7.07 M |
//! | [`tokenize`] DOM, cheaper class cues and link hashes, all | 5.44 M (−42 %) | 6.17 M (−42 %) |
//! | … of which the parse | 2.37 M (−61 %) | 2.74 M (−61 %) |
//! | children in one array, page text in one buffer, 8-byte text measuring, arena reserved, month-name prefilter in `find_date`, all | 5.07 M (−7 %) | 5.71 M (−7 %) |
//! | … of which the parse | 2.18 M | 2.51 M |
//! | one-pass word joins and counts, timestamp test cheap parts first, path hashes in one `write` per path, comment cue by bytes, all | 4.75 M (−6 %) | 5.25 M (−8 %) |
//!
//! Earlier (2026-12-05 → 06, `extract_eval` example with glibc malloc): 14.36 → 9.82 M on AEB
//! and 13.38 → 11.47 M on trafilatura-eval, by compiling the patterns when an extractor is
//! built ([`crate::compile_patterns`]; lazily they cost the first pages ≈ 300 M instructions)
//! and by reading names and values from the page bytes instead of lol_html's allocating
//! accessors. The lol_html share of the parse (≈ 4.4–5 M a page: tokenizer, selector VM on
//! `*`, serialising the discarded output, per-text-node decoder set-up) is what the scanner
//! removed. Left in the parse: the scanner ≈ 0.9 M a page, node construction (`Builder::add`
//! with each node's child list) ≈ 0.35 M, text measuring ≈ 0.25 M. Outside it: whatlang
//! ≈ 0.65 M (already on a 400-char prefix), metadata ≈ 0.45 M (was 0.68 M: class cues are
//! matched in one pass per class attribute instead of a `str::contains` per cue), the body
//! serialiser ≈ 0.25 M. Link hosts are hashed with FNV-1a instead of SipHash (≈ 600
//! instructions a link before). Since then (the last table row): a node's children are a
//! range of one page-wide array ([`dom::Dom::children`]) and its text a range of one buffer
//! ([`dom::Dom::text`]) instead of a `Vec` and a `String` per node, text is measured eight
//! ASCII bytes at a time, the node arena is reserved for one node per 48 bytes (one per 128
//! made 384 of the 503 trafilatura-eval pages grow and copy it), and ASCII words are joined
//! and keyed in one pass over the bytes. Whatlang's cost is per call (≈ 11 k trigram look-ups
//! a page across the ~30 Latin-script profiles), not per character, so a shorter sample would
//! not make it cheaper.

mod authors;
pub mod content;
mod cues;
pub mod dom;
pub mod meta;
pub mod paths;
mod repeat;
mod teasers;
pub mod tokenize;

use std::sync::LazyLock;

use regex::Regex;

use crate::assemble::Extracted;
use crate::templates::{self, Chrome, Lesson};
use content::BlockKind;

/// Labels that open the after-matter of an article.
static END_MARKER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(kontakt|contact|pressekontakt|telefon|ansprechpartner(in)?|über den autor|über die autorin|about the author|weitere informationen|mehr informationen|more information|zum weiterlesen|weiterlesen|mehr zum thema|mehr zu .{1,30}|das könnte sie auch interessieren|lesen sie auch|auch interessant|schon gelesen|lust auf mehr|quellen|quellenangaben|sources|related( articles| stories)?|read more|more from .{1,30}|you might also like|recommended|empfohlene artikel|rezept drucken|vorschau auf den nächsten artikel|weitere .{1,20}tipps|newsletter|tags|schlagworte|themen)\s*[:?!.]?$").unwrap()
});

static CTA_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(newsletter|abonnier|subscribe|follow (us|the)|folgen sie|folgt uns|download (our|the)|our app|unsere app|youtube|facebook|instagram|twitter|whatsapp|telegram|escr[ií]benos|escribirnos|s[ií]guenos|lust auf mehr|kennt ihr schon|klicken sie|click here|sign up|jetzt anmelden|submit your|unterstütze|unterstützen sie|supporte|support us|support our|hazte miembro|become a member|werde mitglied|jetzt spenden|donate)\b").unwrap()
});

static DISCLOSURE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(werbung|anzeige|advertorial|sponsored( content| post)?|gesponsert|enthält werbung|this (post|article) contains affiliate|affiliate[- ]links?|paid (post|partnership))\b").unwrap()
});

/// Affiliate disclosures ("Für Links auf dieser Seite erhält X ggf. eine Provision", "We may
/// receive compensation …", "Bei den Verlinkungen handelt es sich um Affiliate Links"): the
/// word affiliate, or a commission the site receives, in a short paragraph about links or
/// products. ("Provision" and "commission" alone are common words in news.) ASCII word
/// boundaries keep both on the lazy DFA (Unicode ones fall back to a slower engine).
static AFFILIATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)affiliate|(?-u:\b)(werbe|partner)-?links?(?-u:\b)|(?-u:\b)(receives?|earns?|get|erhält|erhalten|erhalte|bekommt|bekommen|verdienen|verdient)(?-u:\b).{0,60}(?-u:\b)(commissions?|provision(en)?|compensation|vergütung)(?-u:\b)|(?-u:\b)(commissions?|provision(en)?|compensation|vergütung)(?-u:\b).{0,30}(?-u:\b)(erhält|erhalten|bekommt|bekommen|receives?|earns?)(?-u:\b)").unwrap()
});
static AFFILIATE_WHAT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(links?|verlinkung\w*|products?|produkte?n?|händler|shops?|kauf\w*|purchases?|buy)(?-u:\b)")
        .unwrap()
});

/// Whether a short paragraph discloses paid links rather than saying something of the article.
fn affiliate_note(p: &str) -> bool {
    p.len() < 300 && affiliate_cue(p) && AFFILIATE_RE.is_match(p) && AFFILIATE_WHAT_RE.is_match(p)
}

/// What every [`AFFILIATE_RE`] match holds, case aside: "affiliate", "link", "commission",
/// "compensation", "provision" or "verg" (vergütung). A byte scan rules most paragraphs out
/// before the pattern runs (every paragraph of a page is tested). The Kelvin sign and the long
/// s, which the case-insensitive pattern reads as k and s, send a paragraph to the pattern.
fn affiliate_cue(p: &str) -> bool {
    if !p.is_ascii() && (p.contains('\u{212a}') || p.contains('\u{17f}')) {
        return true;
    }
    let b = p.as_bytes();
    (0..b.len()).any(|i| {
        let r = &b[i..];
        let ci = |w: &[u8]| r.len() >= w.len() && r[..w.len()].eq_ignore_ascii_case(w);
        // `| 0x20` lowercases ASCII letters; no other byte becomes one of these.
        match b[i] | 0x20 {
            b'a' => ci(b"affiliate"),
            b'l' => ci(b"link"),
            b'c' => ci(b"commission") || ci(b"compensation"),
            b'p' => ci(b"provision"),
            b'v' => ci(b"verg"),
            _ => false,
        }
    })
}

/// Whether one of the last three paragraphs before the final one is a call to action (the
/// final one then belongs to the same box).
fn cta_above(paragraphs: &[String]) -> bool {
    let n = paragraphs.len();
    paragraphs[n.saturating_sub(4)..n.saturating_sub(1)].iter().any(|p| p.len() < 200 && CTA_RE.is_match(p))
}

/// Extracts body and metadata from an HTML page on its own (no per-source templates).
pub fn extract_html(html: &str, url: Option<&str>) -> Extracted {
    extract_html_learning(html, url, None).0
}

/// Extracts body and metadata from an HTML page. With `learn` (the page's source and the
/// chrome it has learnt), learnt chrome blocks are dropped and the page's lesson is returned.
pub fn extract_html_learning(
    html: &str,
    url: Option<&str>,
    learn: Option<(&str, &Chrome)>,
) -> (Extracted, Option<Lesson>) {
    let mut dom = dom::parse(html);
    dom.site = url.or(dom.canonical.as_deref()).map(dom::site_hash).filter(|&h| h > 1).unwrap_or(0);
    let st = content::stats(&dom);
    let (roots, top_score) = content::content_roots(&dom, &st);
    let range = roots.first().zip(roots.last()).map(|(&a, &b)| (a, content::last_descendant(&dom, b)));
    let mut page = meta::extract(&dom, &st, url, range);
    if page.published.is_none() {
        page.published = meta::script_date(html).or_else(|| meta::any_date(&dom, range));
    }
    let mut blocks = content::serialise(&dom, &st, &roots);

    // Too little found in the chosen container: fall back to all prose-like blocks.
    let found: usize = blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).map(|b| b.text.len()).sum();
    if found < 200 && st.text_len[0] as usize > 2 * found.max(100) {
        let all = content::serialise(&dom, &st, &[0]);
        let all_len: usize =
            all.iter().filter(|b| b.kind == BlockKind::Paragraph).map(|b| b.text.len()).sum();
        if all_len > found {
            blocks = all;
        }
    }

    let title = page.title.clone();
    // Learned template blocks for this source; skipped when they would take most of the body.
    let no_chrome = Chrome::default();
    let chrome = learn.map_or(&no_chrome, |(_, c)| c);
    // Only short blocks can be template chrome; keys are only needed when learning.
    let learning = learn.is_some();
    let keys: Vec<String> = blocks
        .iter()
        .map(|b| if learning && b.text.len() <= 300 { crate::text::line_key(&b.text) } else { String::new() })
        .collect();
    // DOM paths of the blocks, and the paths this source's pages fill with the same few texts.
    let paths: Vec<u64> = if learning {
        let mut hasher = paths::PathHasher::new(&dom);
        blocks.iter().map(|b| hasher.hash(&dom, b.node)).collect()
    } else {
        Vec::new()
    };
    let templ: Vec<bool> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            (!k.is_empty() && templates::is_chrome(&chrome.lines, k))
                || paths.get(i).is_some_and(|p| chrome.paths.binary_search(p).is_ok())
        })
        .collect();
    let templ_chars: usize = blocks.iter().zip(&templ).filter(|(_, t)| **t).map(|(b, _)| b.text.len()).sum();
    let total_chars: usize = blocks.iter().map(|b| b.text.len()).sum();
    let use_templ = templ_chars * 2 < total_chars;
    let lesson = learn.map(|(source, _)| {
        let pairs: Vec<(u64, u64)> =
            paths.iter().zip(&blocks).map(|(&p, b)| (p, templates::key_hash(&b.text))).collect();
        Lesson::new(source, keys.iter().filter(|k| !k.is_empty()).map(String::as_str), pairs)
    });

    let mut paragraphs = Vec::new();
    let mut captions = Vec::new();
    let title_key = title.as_ref().map(|t| crate::text::line_key(&t.0));
    // Only a block about the title's length can repeat it (spares the key of every other one).
    let title_len = title.as_ref().map_or(0, |t| t.0.len());
    for (i, b) in blocks.into_iter().enumerate() {
        if use_templ && templ[i] {
            continue;
        }
        let chrome = if b.kind == BlockKind::Paragraph { crate::text::chrome_block(&b.text) } else { None };
        match b.kind {
            BlockKind::Caption => captions.push(b.text),
            _ if chrome == Some(crate::text::LineKind::Caption) => captions.push(b.text),
            _ if chrome.is_some() => {}
            // The headline again (a heading, or a gallery's or share box's line) is not the body.
            _ if title_len.abs_diff(b.text.len()) * 2 <= title_len + 8
                && title_key.as_deref() == Some(crate::text::line_key(&b.text).as_str()) => {}
            BlockKind::Heading(1) if paragraphs.is_empty() => {}
            _ => paragraphs.push(b.text),
        }
    }
    // Affiliate disclosures, wherever the page put them (above the body, beside a product box),
    // and the byline with its date repeated as a line of the body.
    let authors = page.authors.as_ref().map_or(&[][..], |a| &a.0[..]);
    paragraphs.retain(|p| !affiliate_note(p) && !authors::dated_byline(p, authors));
    // A short "end of article" label in the last part of the body starts the page's
    // after-matter (contact box, author box, further reading): cut there.
    let total: usize = paragraphs.iter().map(String::len).sum();
    let mut seen = 0;
    let mut cut = None;
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 && seen * 10 >= total * 6 && p.len() < 60 && END_MARKER_RE.is_match(p) {
            cut = Some(i);
            break;
        }
        seen += p.len();
    }
    if let Some(i) = cut {
        paragraphs.truncate(i);
    }
    // Ad disclosures and calls to action opening the body ("*Werbung. Dieser Beitrag …").
    while paragraphs.len() > 1
        && paragraphs.first().is_some_and(|p| {
            p.len() < 160 && (DISCLOSURE_RE.is_match(p) || (p.len() < 100 && CTA_RE.is_match(p)))
        })
    {
        paragraphs.remove(0);
    }
    // Calls to action closing the page ("Follow us on …", "Download our app", "Lust auf
    // mehr?") are not the article's last paragraph.
    // A box of them (heading, pitch, button) goes as a whole, headings included.
    let mut popped_cta = false;
    for _ in 0..6 {
        let Some(last) = paragraphs.last().filter(|_| paragraphs.len() > 1) else { break };
        let heading_like = last.chars().count() < 80 && !last.trim_end().ends_with(['.', '"', '”', '…']);
        if last.len() < 200 && CTA_RE.is_match(last) {
            popped_cta = true;
        } else if !(heading_like && (popped_cta || cta_above(&paragraphs))) {
            break;
        }
        paragraphs.pop();
    }
    // Trailing headings introduce nothing.
    while paragraphs.last().is_some_and(|p: &String| {
        p.chars().count() < 80
            && !p.trim_end().ends_with(['.', '!', '?', '"', '”', '。', '！', '？', '」', '…'])
    }) {
        paragraphs.pop();
    }
    // Nothing (or next to nothing) in the markup: the page renders its text with scripts.
    // Its JSON-LD articleBody, else its description, is the best text there is.
    let mut warnings = dom.warnings.clone();
    let mut fallback_used = false;
    let markup_len: usize = paragraphs.iter().map(String::len).sum();
    // The publisher's own articleBody far longer than what the markup gave: the markup shows a
    // stub (a script-rendered or paywalled page, a teaser in place of the text).
    // Only a plain-text one: some CMSs put their HTML in it.
    let ld_len =
        page.ld_body.as_deref().filter(|b| !b.contains("</") && !b.contains("<br")).map_or(0, str::len);
    if markup_len < 100 || (ld_len >= LD_BODY_MIN && ld_len >= LD_BODY_RATIO * markup_len) {
        let fallback = page
            .ld_body
            .as_deref()
            .map(|b| (b, "jsonld articleBody"))
            .or(page.description.as_ref().map(|d| (d.0.as_str(), "description")))
            .filter(|(b, _)| b.len() > paragraphs.iter().map(String::len).sum::<usize>().max(50));
        if let Some((b, what)) = fallback {
            warnings.push(format!("little or no body text in the markup: the {what} stands in"));
            fallback_used = true;
            paragraphs = b.split('\n').map(content::normalise).filter(|p| !p.is_empty()).collect();
        }
    }
    let words: usize = paragraphs.iter().map(|p| p.split_whitespace().count()).sum();
    let mut structure =
        (top_score / 60.0).min(1.0) * 0.6 + if words > 150 { 0.4 } else { words as f32 / 375.0 };
    if fallback_used {
        // Text from metadata, not from the page's structure.
        structure *= 0.5;
    }
    if paragraphs.is_empty() {
        warnings.push("no main content block found in the html".into());
    }
    let extracted = Extracted {
        title,
        subtitle: page.description,
        bylines: page.authors,
        published: page.published,
        updated: page.updated,
        section: page.section,
        source_name: page.site_name,
        url: page.url,
        declared_lang: page.lang,
        paragraphs,
        captions,
        structure,
        warnings,
    };
    (extracted, lesson)
}

/// JSON-LD `articleBody` replaces a markup body it outgrows this many times...
const LD_BODY_RATIO: usize = 3;
/// ...when it is at least this long (bytes).
const LD_BODY_MIN: usize = 500;

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&END_MARKER_RE);
    LazyLock::force(&CTA_RE);
    LazyLock::force(&DISCLOSURE_RE);
    LazyLock::force(&AFFILIATE_RE);
    LazyLock::force(&AFFILIATE_WHAT_RE);
    authors::compile_patterns();
    content::compile_patterns();
    meta::compile_patterns();
    repeat::compile_patterns();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan never rules out a paragraph the patterns take (fragments of disclosures,
    /// near misses, odd cases, and characters a case-insensitive pattern folds).
    #[test]
    fn affiliate_scan_keeps_every_match() {
        let parts = [
            "Affiliate",
            "affiliate-Links",
            "Partnerlinks",
            "werbe-link",
            "WerbeLinks",
            "We ",
            "receive ",
            "earn ",
            "erhält ",
            "bekommen ",
            "a commission",
            "Provision",
            "provisionen",
            "compensation",
            "Vergütung",
            "VERGÜTUNG",
            " for ",
            "links",
            "Produkte",
            "products",
            "shop",
            "kaufen",
            "purchase",
            "buy",
            " ",
            ". ",
            "lin\u{212a}",
            "commi\u{17f}\u{17f}ion",
            "aff\u{131}liate",
            "L\u{130}NK",
            "AFFILIATE",
            "affiliat",
            "lin",
            "commissio",
            "the",
            "storm",
            "ü",
            "é",
            ",",
            "-",
            "\n",
        ];
        let mut pieces = crate::test_strings::Pieces::new(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..50_000 {
            let p = pieces.string(&parts, 7);
            let by_pattern = AFFILIATE_RE.is_match(&p);
            assert!(!by_pattern || affiliate_cue(&p), "{p:?}");
        }
    }

    #[test]
    fn comment_cues_match_as_the_pattern_did() {
        let re = regex::Regex::new(r"comment|disqus|respond|reply|kommentar").unwrap();
        for c in [
            "comments",
            "post-comment-list",
            "x-disqus_thread",
            "respond",
            "replyto",
            "kommentare",
            "commen",
            "kommenta",
            "reply",
            "",
            "c",
            "disqu",
            "ccomment",
            "Comment",
            "repl y",
            "komment comment",
            "wp-block-group has-background post-comment-list",
            "elementor-widget-container x-disqus_thread",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaakommentar",
            "mmmmmmmmpppppppqqqqqqqcommen",
            "entry-content single-post-reply",
            "é-comment",
            "ü respond",
        ] {
            assert_eq!(content::comment_cue(c), re.is_match(c), "{c:?}");
        }
        // Generated class strings: cues, near misses and filler at every offset of the scan.
        let parts = [
            "comment",
            "commen",
            "omment",
            "disqus",
            "isqus",
            "respond",
            "espond",
            "reply",
            "eply",
            "kommentar",
            "kommenta",
            "m",
            "p",
            "q",
            "mm",
            "-",
            " ",
            "_",
            "x",
            "post",
            "page",
            "main",
            "é",
            "ü",
        ];
        let mut pieces = crate::test_strings::Pieces::new(0x2545_f491_4f6c_dd1d_u64);
        for _ in 0..100_000 {
            let c = pieces.string(&parts, 8);
            assert_eq!(content::comment_cue(&c), re.is_match(&c), "{c:?}");
        }
    }

    /// The DOM-path hashes the learnt state keeps: as when each tag and token was hashed on
    /// its own (SipHash over one byte stream), on a page of every tag kind, digits, odd spaces.
    #[test]
    fn path_hashes_are_those_of_hashing_tags_and_tokens_one_by_one() {
        use std::hash::{Hash, Hasher};
        fn reference(d: &dom::Dom, mut i: usize) -> u64 {
            let mut h = std::hash::DefaultHasher::new();
            for _ in 0..6 {
                if i == 0 {
                    break;
                }
                let node = &d.nodes[i];
                node.tag.hash(&mut h);
                for t in
                    node.attrs.class_id.split_whitespace().filter(|t| !t.bytes().any(|b| b.is_ascii_digit()))
                {
                    t.hash(&mut h);
                }
                0xffu8.hash(&mut h);
                i = node.parent as usize;
            }
            h.finish()
        }
        let html = "<html><body><main class=\"site  main\"><article id=\"post-12\" class=\"post\u{a0}x\tY\u{3000}z\">\
            <h1 class=a1>T</h1><h3>S</h3><section class=\"s\u{2010}t Ü\"><div><div><div><p class=\"lead  \">One.</p>\
            <ul><li class=item-3>x</li></ul><blockquote><p>Q</p></blockquote><figure><figcaption class=c>C</figcaption>\
            </figure><table><tr><td class=\" \u{85}cell\">v</td></tr></table></div></div></div></section></article>\
            </main><footer class=\"f foot\"><span class=s>x</span><a href=/a class=l>y</a></footer></body></html>";
        let d = dom::parse(html);
        let mut hasher = paths::PathHasher::new(&d);
        assert!(d.nodes.len() > 20);
        // Twice: parts cut for one path serve the next.
        for i in (0..d.nodes.len()).chain(0..d.nodes.len()).rev() {
            assert_eq!(hasher.hash(&d, i), reference(&d, i), "node {i}");
            assert_eq!(paths::path_hash(&d, i), reference(&d, i), "node {i}");
        }
    }

    #[test]
    fn script_rendered_page_falls_back_to_article_body_then_description() {
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Rates rise",
            "datePublished":"2021-03-04T10:00:00Z","articleBody":"The central bank raised rates on Thursday.\nMarkets fell."}</script>"#;
        let html = format!(r#"<html><head>{ld}</head><body><div id="app"></div></body></html>"#);
        let ex = extract_html(&html, None);
        assert_eq!(ex.paragraphs, vec!["The central bank raised rates on Thursday.", "Markets fell."]);
        assert!(ex.warnings.iter().any(|w| w.contains("articleBody")));

        let html = r#"<html><head><meta name="description" content="A long description of what the page would show, were scripts run."></head><body><div id="app"></div></body></html>"#;
        let ex = extract_html(html, None);
        assert_eq!(ex.paragraphs.len(), 1);
        assert!(ex.paragraphs[0].starts_with("A long description"));
    }

    #[test]
    fn a_stub_in_the_markup_gives_way_to_a_far_longer_article_body() {
        let sentence = "The council agreed after a long debate to rebuild the old bridge before the winter.";
        let full: Vec<String> = (0..8).map(|i| format!("Paragraph {i}. {sentence}")).collect();
        let ld = format!(
            r#"<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Bridge","articleBody":"{}"}}</script>"#,
            full.join("\\n")
        );
        // The markup shows the first paragraph only (the rest is rendered by scripts).
        let page = |body: &str| {
            format!("<html><head>{ld}</head><body><article><h1>Bridge</h1>{body}</article></body></html>")
        };
        let ex = extract_html(&page(&format!("<p>{}</p>", full[0])), None);
        assert_eq!(ex.paragraphs, full);
        assert!(ex.warnings.iter().any(|w| w.contains("articleBody")));
        // A markup body of the same text is kept as the markup has it.
        let all: String = full.iter().map(|p| format!("<p>{p}</p><div>Advertisement</div>")).collect();
        let ex = extract_html(&page(&all), None);
        assert_eq!(ex.paragraphs, full);
        assert!(!ex.warnings.iter().any(|w| w.contains("articleBody")));
    }

    #[test]
    fn a_date_carried_as_script_data_is_used_when_the_page_shows_none() {
        let html = r#"<html><body><article><p>A review of a meal kit service that was delivered on time, with fresh food.</p></article>
            <script type="application/json">{"publishedDate":"2016-11-04T20:37:27Z","updatedDate":null}</script></body></html>"#;
        let ex = extract_html(html, None);
        assert_eq!(ex.published.map(|d| d.iso[..10].to_string()).as_deref(), Some("2016-11-04"));
    }

    #[test]
    fn a_date_only_in_the_text_is_the_last_resort() {
        let html = r#"<html><body><article><h1>Goodbye</h1><p>After ten years this blog closes today, and I thank
            everyone who read it, wrote to me and argued with me in the comments, sometimes for weeks on end, about nothing.</p><p>Benni<br>10. September 2017</p>
            </article><footer>Impressum</footer></body></html>"#;
        let d = extract_html(html, None).published.unwrap();
        assert_eq!((&d.iso[..10], d.source.as_deref()), ("2017-09-10", Some("page-text")));
    }

    #[test]
    fn an_article_of_br_separated_paragraphs_beats_a_box_of_short_paragraphs() {
        // One <p> holding the article, paragraphs split by <br> (as press-release portals
        // print them), against a box of more, shorter <p>s elsewhere on the page. Scored as
        // one block the article lost to the box (both were taken, box first).
        let para = |i: usize| {
            format!(
                "Paragraph {i} of the report says the new battery, built from cheap parts, charges in minutes, \
                 runs for a day, and could serve remote water sensors, according to the team in the study."
            )
        };
        let article: String = (0..6).map(|i| format!("{}<br />\n", para(i))).collect();
        let tips: String = (0..8)
            .map(|i| format!("<p>Tip {i}: combine search words with and, or, not, for example with brackets around them.</p>"))
            .collect();
        let html = format!(
            "<html><head><title>Fast battery</title></head><body><div class=\"a\"><p>{article}</p></div>\
             <div class=\"b\">{tips}</div></body></html>"
        );
        let body = extract_html(&html, None).paragraphs.join(" ");
        assert!(body.contains("Paragraph 0 of the report") && body.contains("Paragraph 5"), "{body}");
        assert!(!body.contains("Tip 3"), "{body}");
    }

    /// `n` paragraphs of article prose, `<p>{tag} paragraph {i} says …</p>` (other modules'
    /// tests build their pages on it too).
    pub(super) fn prose(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "<p>{tag} paragraph {i} says that the council agreed after a long debate to rebuild the old \
                     bridge over the river before the winter and to close the road for two months.</p>"
                )
            })
            .collect()
    }

    #[test]
    fn a_subheading_and_a_list_between_the_body_and_a_closing_paragraph_are_kept() {
        // The body box wins; the closing paragraph is taken as a prose sibling; the subheading
        // and the short list between them were left out.
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a></nav><div class="page"><h1>Bridge</h1>
            <div class="text">{}</div><h2>What changes for drivers</h2><ul><li>Detour via the ring road</li>
            <li>Buses every ten minutes</li></ul><p>The works are to end in March, if the winter is mild, the mayor said.</p>
            </div><footer>© Town</footer></body></html>"#,
            prose("Body", 8)
        );
        let body = extract_html(&html, None).paragraphs.join("\n");
        assert!(
            body.contains("What changes for drivers") && body.contains("Buses every ten minutes"),
            "{body}"
        );
        assert!(body.contains("Body paragraph 0") && body.contains("end in March"), "{body}");
    }

    #[test]
    fn a_sidebar_headline_does_not_pull_the_body_into_its_teaser() {
        // The page's first <h1> is a sidebar widget's, after the article; the box after it is
        // a comma-rich teaser that, with the headline's boost, outscored an article of short
        // sentences with four times its text.
        let items: String = (0..12)
            .map(|i| {
                format!(
                    "<p>Item {i}: the old bridge over the river is to be rebuilt before the winter comes.</p>"
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><div class="col"><h2>New level passes</h2><div class="news">{items}</div></div>
            <div class="side"><h1>Quicklinks</h1><div class="box"><p>Book your hotel, your flight, your car,
            your tickets, your tours, your dinners, your guides, your boats, your bikes, your museum passes and
            your insurance through our partner portal, and five percent of the price goes to the youth teams.</p></div></div>
            </body></html>"#
        );
        let body = extract_html(&html, None).paragraphs.join("\n");
        assert!(body.contains("Item 0:") && body.contains("Item 11:"), "{body}");
        assert!(!body.contains("partner portal"), "{body}");
    }

    #[test]
    fn an_article_split_over_page_builder_rows_is_kept_whole_without_the_cookie_text() {
        // Lead box and two text rows in separate page-builder sections, not siblings of one
        // another; a consent box of prose at the end.
        let html = format!(
            r#"<html><body><section class="row"><div class="col"><div class="text">{}</div></div></section>
            <section class="row"><div class="col"><h2>Second part</h2><div class="wrap"><div class="text">{}</div></div></div></section>
            <section class="row"><div class="col"><div class="text">{}</div></div></section>
            <div class="x-cookie-text"><div class="inner">{}</div></div></body></html>"#,
            prose("Lead", 4),
            prose("Middle", 4),
            prose("Closing", 4),
            prose("Cookie", 4)
        );
        let body = extract_html(&html, None).paragraphs.join("\n");
        for part in ["Lead paragraph 0", "Middle paragraph 3", "Closing paragraph 3"] {
            assert!(body.contains(part), "{part}: {body}");
        }
        assert!(!body.contains("Cookie paragraph"), "{body}");
    }

    #[test]
    fn a_closing_call_to_action_box_goes_as_a_whole() {
        let body: String = (0..4)
            .map(|i| format!("<p>Paragraph {i}: the council agreed, after a long debate, to rebuild the bridge soon.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><article><h1>Bridge</h1>{body}<div class="box"><h2>Like what you read?</h2>
            <p>Support us with a small monthly amount and keep local news free.</p><h3>Become a member now!</h3></div>
            </article></body></html>"#
        );
        let ex = extract_html(&html, None);
        assert_eq!(ex.paragraphs.len(), 4, "{:?}", ex.paragraphs);
    }

    #[test]
    fn affiliate_disclosures_go_and_news_about_commissions_stays() {
        let body: String = (0..4)
            .map(|i| format!("<p>Paragraph {i}: the new coffee grinder, tested for a month, grinds evenly and quietly.</p>"))
            .collect();
        let news = "The European Commission said on Monday that products sold through links on the platform must be labelled.";
        let html = format!(
            r#"<html><body><article><h1>Grinder test</h1><p>Für Links auf dieser Seite erhält das Magazin ggf. eine
            Provision vom Händler.</p>{body}<p>{news}</p><p>Bei den Verlinkungen handelt es sich um Affiliate Links.</p>
            <p>The grinder costs 80 euros and is sold in most shops, the maker said.</p></article></body></html>"#
        );
        let ex = extract_html(&html, None);
        assert_eq!(ex.paragraphs.len(), 6, "{:?}", ex.paragraphs);
        assert!(
            ex.paragraphs[0].starts_with("Paragraph 0") && ex.paragraphs[4] == news,
            "{:?}",
            ex.paragraphs
        );
    }

    #[test]
    fn a_comment_box_beside_the_body_does_not_join_it() {
        // A German comment module after the body: a prose box of its own, which the sibling
        // rules took as a second part of the article.
        let html = format!(
            r#"<html><body><h1>Bridge</h1><div class="page"><div class="text">{}</div>
            <div class="kommentarModul"><p>Sie sind aktuell nicht eingeloggt. Um einen Kommentar zu dieser Meldung zu schreiben,
            melden Sie sich bitte mit Ihrem Konto an.</p></div></div></body></html>"#,
            prose("Body", 6)
        );
        let body = extract_html(&html, None).paragraphs.join("\n");
        assert!(body.contains("Body paragraph 5"), "{body}");
        assert!(!body.contains("eingeloggt"), "{body}");
    }

    #[test]
    fn a_line_linking_off_the_site_is_kept_and_a_teaser_into_it_is_not() {
        // Both lines are one link each; the first leads to another site (an event page, a
        // contact address), the second to another story of the same site.
        let body: String = (0..4)
            .map(|i| format!("<p>Paragraph {i}: the club holds its summer contest on the river, with music, food and a ramp on a raft.</p>"))
            .collect();
        let html = format!(
            r#"<html><body><article><h1>Contest on the river</h1>{body}
            <p><a href="https://www.facebook.com/events/123">Hier geht's zur Facebook-Veranstaltung</a></p>
            <p><a href="mailto:info@club.example.org">info@club.example.org</a></p>
            <p><a href="https://www.skate-news.example.de/2017/other-contest">Last year's contest on the lake</a></p>
            <p><a href="/2017/ramp-test">Our big ramp test of the season</a></p>
            <p>The contest starts at noon, and entry is free for everyone who brings a board.</p>
            </article></body></html>"#
        );
        let url = Some("https://www.skate-news.example.de/2017/contest");
        let body = extract_html(&html, url).paragraphs.join("\n");
        assert!(body.contains("Facebook-Veranstaltung") && body.contains("info@club"), "{body}");
        assert!(!body.contains("Last year") && !body.contains("ramp test"), "{body}");
    }

    #[test]
    fn the_box_holding_the_parts_of_an_article_brings_the_list_between_them() {
        // The body box wins; the lead paragraph, set apart in its own box, is taken as a stray
        // paragraph of the <article>; the fact box between them (a subheading and a short list)
        // was left out.
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Bridge to be rebuilt</h1>
            <div class="intro-wrap"><p>The town will spend four million euros on the old bridge, the mayor said on Monday.</p></div>
            <div class="facts"><h2>The bridge in figures</h2><ul><li>Length: 120 m</li><li>Cost: four million euros</li>
            <li>Opening: May 2027</li></ul></div><div class="body"><div class="text">{}</div></div>
            </article><footer><a href="/imprint">Imprint</a></footer></body></html>"#,
            prose("Body", 6)
        );
        let body = extract_html(&html, None).paragraphs.join("\n");
        assert!(body.starts_with("The town will spend") && body.contains("Body paragraph 5"), "{body}");
        assert!(
            body.contains("Cost: four million euros") && body.contains("The bridge in figures"),
            "{body}"
        );
    }

    #[test]
    fn gallery_labels_reading_times_and_the_headline_again_are_not_body() {
        let html = format!(
            r#"<html><head><title>Bridge to be rebuilt</title></head><body><article><h1>Bridge to be rebuilt</h1>
            <p>Tempo de leitura: 2 minutos</p><div class="text">{}</div>
            <div class="gallery"><p>Caption</p><p>Close</p><p>Bridge to be rebuilt</p><p>Back to Gallery</p></div>
            <p>Read Later</p><p>5 min read</p></article></body></html>"#,
            prose("Body", 6)
        );
        let body = extract_html(&html, None).paragraphs;
        assert!(body.iter().any(|p| p.starts_with("Body paragraph 5")), "{body:?}");
        for gone in [
            "Tempo de leitura",
            "Caption",
            "Close",
            "Bridge to be rebuilt",
            "Back to Gallery",
            "Read Later",
            "5 min",
        ] {
            assert!(!body.iter().any(|p| p.starts_with(gone)), "{gone}: {body:?}");
        }
    }

    #[test]
    fn a_caption_is_known_by_its_class_beside_a_picture() {
        let html = format!(
            r#"<html><body><article><h1>Teachers rally</h1><div class="text">{}</div>
            <div class="asset asset-image"><div class="image-image"><img src="/a.jpg"></div>
            <div class="image-meta"><div class="image-caption">Teachers wearing red hold signs at the Statehouse.</div></div></div>
            <div class="InlineImage-wrapper"><div class="lazyload-placeholder"></div>
            <div class="InlineImage-imageEmbedCaption">The governor speaks to reporters on Tuesday.</div></div>
            <p>The rally ended in the evening, when the last buses left the square.</p></article></body></html>"#,
            prose("Body", 6)
        );
        let ex = extract_html(&html, None);
        let body = ex.paragraphs.join("\n");
        assert!(body.contains("Body paragraph 5") && body.contains("last buses left"), "{body}");
        assert!(!body.contains("wearing red") && !body.contains("governor speaks"), "{body}");
        // A box named for captions that holds the page's only text, no picture near: the body.
        let html = r#"<html><body><nav><a href="/">Home</a></nav><div class="b-video-caption"><p>New York is the epicentre of the
            pandemic in the United States. Sport has come to a standstill as well, and nobody knows when the leagues start again.</p></div></body></html>"#;
        let body = extract_html(html, None).paragraphs.join("\n");
        assert!(body.contains("epicentre of the pandemic"), "{body}");
    }
}
