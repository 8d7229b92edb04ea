//! Page metadata in order of trust: JSON-LD (schema.org Article types), OpenGraph / article:*,
//! other meta tags, `<time>` and itemprop elements, visible bylines and dates, the URL.

use std::sync::LazyLock;

use newsloom_model::PublishedDate;
use regex::Regex;
use serde_json::Value;

use super::content::{Stats, normalise, subtree_text};
use super::dom::{Dom, Tag};
use crate::assemble::Sourced;
use crate::dates;

#[derive(Debug, Default)]
pub struct PageMeta {
    pub title: Sourced<String>,
    pub description: Sourced<String>,
    pub authors: Sourced<Vec<String>>,
    pub published: Option<PublishedDate>,
    pub updated: Option<PublishedDate>,
    pub section: Sourced<String>,
    pub site_name: Sourced<String>,
    pub url: Sourced<String>,
    pub lang: Sourced<String>,
    /// JSON-LD `articleBody`: the body when the page renders it with scripts.
    pub ld_body: Option<String>,
}

#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    modified: Option<String>,
    section: Option<String>,
    publisher: Option<String>,
    description: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    body: Option<String>,
    is_article: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "liveblogposting",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "socialmediaposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "posting",
];

/// Whitespace-normalised text with HTML entities decoded: meta values are often escaped
/// twice (`&amp;#8217;`) and JSON-LD strings carry raw entities.
pub fn clean(s: &str) -> String {
    if s.contains('&') { normalise(&html_escape::decode_html_entities(s)) } else { normalise(s) }
}

/// Drops a ` | Site` / `Site - ` part only when it is the known site name.
fn strip_known_site(title: &str, site: Option<&str>) -> String {
    let Some(site) = site.filter(|s| !s.is_empty()) else { return title.to_string() };
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.eq_ignore_ascii_case(site)
        {
            return head.to_string();
        }
    }
    title.to_string()
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(clean(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(str_of),
        Value::Object(o) => o.get("name").or_else(|| o.get("@value")).and_then(str_of),
        _ => None,
    }
}

fn names_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => a.iter().take(10).for_each(|x| names_of(x, out)),
        Value::Object(o) => {
            if let Some(n) = o.get("name").and_then(str_of) {
                out.push(n);
            }
        }
        Value::String(s) => out.push(clean(s)),
        _ => {}
    }
}

fn walk_ld(v: &Value, found: &mut Vec<LdArticle>, depth: usize) {
    if depth > 8 || found.len() > 20 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_ld(x, found, depth + 1)),
        Value::Object(o) => {
            let types: Vec<String> = match o.get("@type") {
                Some(Value::String(t)) => vec![t.to_lowercase()],
                Some(Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).map(str::to_lowercase).collect(),
                _ => vec![],
            };
            let is_article = types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()));
            if is_article || types.iter().any(|t| t == "webpage") {
                let mut a = LdArticle { is_article, ..LdArticle::default() };
                a.headline = o.get("headline").or_else(|| o.get("name")).and_then(str_of);
                if let Some(au) = o.get("author").or_else(|| o.get("creator")) {
                    names_of(au, &mut a.authors);
                }
                a.published = o.get("datePublished").or_else(|| o.get("dateCreated")).and_then(str_of);
                a.modified = o.get("dateModified").and_then(str_of);
                a.section = o.get("articleSection").and_then(str_of);
                a.publisher = o.get("publisher").and_then(str_of);
                a.description = o.get("description").and_then(str_of);
                a.lang = o.get("inLanguage").and_then(str_of);
                a.url = o.get("url").and_then(str_of);
                a.body = o.get("articleBody").and_then(Value::as_str).map(str::to_string);
                found.push(a);
            }
            for key in ["@graph", "mainEntity", "mainEntityOfPage", "itemListElement"] {
                if let Some(x) = o.get(key)
                    && !x.is_string()
                {
                    walk_ld(x, found, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn parse_ld(dom: &Dom) -> Option<LdArticle> {
    let mut found = Vec::new();
    for s in &dom.jsonld {
        let s = s.trim().trim_start_matches("<!--").trim_end_matches("-->").trim();
        let v: Value = match serde_json::from_str(s) {
            Ok(v) => v,
            // Literal newlines and tabs inside strings are a common JSON-LD error.
            Err(_) => match serde_json::from_str(&s.replace(['\n', '\r', '\t'], " ")) {
                Ok(v) => v,
                Err(_) => continue,
            },
        };
        walk_ld(&v, &mut found, 0);
    }
    let pos = found.iter().position(|a| a.is_article).or(if found.is_empty() { None } else { Some(0) })?;
    Some(found.swap_remove(pos))
}

fn meta<'a>(dom: &'a Dom, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| dom.metas.iter().find(|(n, c)| n == k && !c.trim().is_empty()).map(|(_, c)| c.trim()))
}

pub use super::authors::clean_authors;

/// Meta tags that carry the publication date, most specific first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "citation_date",
    "citation_publication_date",
    "article.published",
    "og:pubdate",
    "published_time",
];

/// Splits `Title | Site` style titles and keeps the title part.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let t = normalise(title);
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "] {
        if let Some(idx) = t.rfind(sep) {
            let (head, tail) = (&t[..idx], &t[idx + sep.len()..]);
            let tail_is_site = site.is_some_and(|s| {
                tail.eq_ignore_ascii_case(s) || tail.to_lowercase().contains(&s.to_lowercase())
            });
            if tail_is_site || (tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3)
            {
                return strip_site_suffix(head, site);
            }
        }
        if let Some(idx) = t.find(sep) {
            let (head, tail) = (&t[..idx], &t[idx + sep.len()..]);
            if site.is_some_and(|s| head.eq_ignore_ascii_case(s)) {
                return tail.to_string();
            }
        }
    }
    t
}

static SCRIPT_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["'](?:datePublished|publishedDate|published_at|publishDate|publish_date|date_published|firstPublishedDate|publicationDate)["']\s*:\s*["']([0-9][0-9T:.+\-Z ]{7,34})["']"#).unwrap()
});

/// A publication date a script carries as data (`{"publishedDate":"2016-11-04T20:37:27Z"}`,
/// a shop's `"published_at"`): the first one in the page, for pages that show no date.
pub fn script_date(html: &str) -> Option<PublishedDate> {
    // Bounded: the data sits in the page's first few hundred KB when it is there at all.
    let end = html.len().min(1 << 20);
    let end = (0..=end).rev().find(|&i| html.is_char_boundary(i)).unwrap_or(0);
    let c = SCRIPT_DATE_RE.captures(&html[..end])?;
    dates::parse_machine_date(&c[1], "script")
}

/// Last resort for a page that states its date nowhere it is expected: the first full date
/// in the main content's text, else in the page's text (a signature line "10. September
/// 2017", a footer stamp), recorded with source `page-text`.
pub fn any_date(dom: &Dom, content: Option<(usize, usize)>) -> Option<PublishedDate> {
    let n = dom.nodes.len();
    let (start, end) = content.unwrap_or((0, 0));
    let ranges = [(start, end.min(n.saturating_sub(1))), (1, n.saturating_sub(1))];
    for (a, b) in ranges {
        let mut seen = 0;
        for i in a..=b {
            let node = &dom.nodes[i];
            let text = dom.text(i);
            // Only a text with a year (19xx/20xx) can give a full date: skip the regexes otherwise.
            let has_year = text
                .as_bytes()
                .windows(4)
                .any(|w| matches!(&w[..2], b"19" | b"20") && w[2].is_ascii_digit() && w[3].is_ascii_digit());
            if node.tag != Tag::Text || !has_year {
                continue;
            }
            seen += 1;
            if seen > 5000 {
                break;
            }
            if let Some(d) =
                dates::find_date(text).filter(|d| d.year.is_some()).and_then(|d| d.to_published("page-text"))
            {
                return Some(d);
            }
        }
    }
    None
}

/// `content` is the node range of the main content (first root, last node under the last root).
pub fn extract(dom: &Dom, st: &Stats, url: Option<&str>, content: Option<(usize, usize)>) -> PageMeta {
    let ld = parse_ld(dom).unwrap_or_default();
    let mut m = PageMeta {
        site_name: meta(dom, &["og:site_name", "application-name", "twitter:site"])
            .map(|s| (clean(s), "og"))
            .or(ld.publisher.clone().map(|p| (p, "jsonld"))),
        ..PageMeta::default()
    };
    m.ld_body = ld.body.clone().filter(|_| ld.is_article);
    let site = m.site_name.as_ref().map(|s| s.0.as_str());

    // Title: JSON-LD headline, og:title, first h1 when it agrees with them, <title> cleaned.
    let h1 = first_tag_text(dom, st, |t| t == Tag::H(1));
    let og_title = meta(dom, &["og:title", "twitter:title", "dc.title", "title", "headline"]).map(clean);
    let title = ld
        .headline
        .clone()
        .filter(|_| ld.is_article)
        .map(|t| (strip_known_site(&t, site), "jsonld"))
        .or(og_title.map(|t| (strip_site_suffix(&t, site), "og")))
        .or(h1.clone().map(|t| (t, "h1")))
        .or(Some(strip_site_suffix(&clean(&dom.title), site))
            .filter(|t| !t.is_empty())
            .map(|t| (t, "title")));
    m.title = match (title, h1) {
        // A shorter h1 contained in a suffixed meta title is the clean one.
        (Some((t, src)), Some(h)) if src != "jsonld" && t != h && t.starts_with(&h) => Some((h, "h1")),
        (t, _) => t,
    };
    m.description = meta(dom, &["og:description", "description", "twitter:description"])
        .map(|d| (clean(d), "meta"))
        .or(ld.description.clone().map(|d| (d, "jsonld")));

    // Authors.
    let mut authors = clean_authors(&ld.authors, site);
    let mut src = "jsonld";
    if authors.is_empty() {
        let metas: Vec<String> = dom
            .metas
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "author"
                        | "article:author"
                        | "dc.creator"
                        | "dcterms.creator"
                        | "byl"
                        | "parsely-author"
                        | "sailthru.author"
                        | "citation_author"
                        | "cxenseparse:author"
                )
            })
            .map(|(_, c)| c.clone())
            .collect();
        authors = clean_authors(&metas, site);
        src = "meta";
    }
    if authors.is_empty() {
        let found =
            itemprop_or_class(dom, st, &["author", "creator"], &["author", "byline", "autor", "verfasser"]);
        authors = clean_authors(&found, site);
        src = "text";
    }
    m.authors = (!authors.is_empty()).then_some((authors.into_iter().take(6).collect(), src));

    // Dates.
    let ld_date = || ld.published.as_deref().and_then(|d| dates::parse_machine_date(d, "jsonld"));
    let meta_date = || meta(dom, PUBLISHED_KEYS).and_then(|d| dates::parse_machine_date(d, "meta"));
    m.published = meta_date()
        .or_else(ld_date)
        .or_else(|| time_element(dom, content))
        .or_else(|| visible_date(dom, st, content))
        .or_else(|| nearby_date(dom, content))
        // Last resort: a full date in the page title or description ("23.01.2022 - …").
        .or_else(|| {
            let texts = [
                Some(dom.title.as_str()),
                meta(dom, &["og:title"]),
                meta(dom, &["description", "og:description"]),
            ];
            texts.into_iter().flatten().find_map(|t| {
                dates::find_date(t).filter(|d| d.year.is_some()).and_then(|d| d.to_published("title"))
            })
        });
    m.updated = ld.modified.as_deref().and_then(|d| dates::parse_machine_date(d, "jsonld")).or_else(|| {
        meta(dom, &["article:modified_time", "og:updated_time", "datemodified", "last-modified"])
            .and_then(|d| dates::parse_machine_date(d, "meta"))
    });

    m.section = ld.section.clone().map(|s| (s, "jsonld")).or(meta(
        dom,
        &["article:section", "section", "parsely-section"],
    )
    .map(|s| (normalise(s), "meta")));
    m.url = dom
        .canonical
        .clone()
        .map(|u| (u, "canonical"))
        .or(meta(dom, &["og:url"]).map(|u| (u.to_string(), "og")))
        .or(ld.url.clone().map(|u| (u, "jsonld")));
    m.lang = ld
        .lang
        .as_deref()
        .and_then(crate::lang::normalise_declared)
        .map(|l| (l, "jsonld"))
        .or(dom.lang.as_deref().and_then(crate::lang::normalise_declared).map(|l| (l, "html-lang")))
        .or(meta(dom, &["og:locale", "content-language", "language"])
            .and_then(crate::lang::normalise_declared)
            .map(|l| (l, "meta")));
    // UTC stamps are moved to the site's local day; a date in the URL path is what the
    // publisher filed the page under and wins over a disagreeing stamp.
    let host = url.and_then(|u| u.split("://").nth(1)).and_then(|r| r.split(['/', ':', '?']).next());
    if let Some(off) = dates::site_utc_offset(host, m.lang.as_ref().map(|l| l.0.as_str())) {
        m.published = m.published.take().map(|d| dates::localise(d, off));
    }
    if let Some(u) = url.and_then(dates::date_from_url)
        && m.published.as_ref().and_then(|p| p.day()) != u.day()
    {
        m.published = Some(u);
    }
    m
}

fn first_tag_text(dom: &Dom, st: &Stats, pred: impl Fn(Tag) -> bool) -> Option<String> {
    (1..dom.nodes.len())
        .find(|&i| pred(dom.nodes[i].tag) && st.raw_len[i] > 0)
        .map(|i| subtree_text(dom, i))
        .filter(|t| !t.is_empty())
}

/// Whether `hay` contains one of `needles` (non-empty, ASCII), in one pass: a `str::contains`
/// per needle sets up a searcher each time, and these run on every class attribute of a page.
fn contains_any(hay: &str, needles: &[&str]) -> bool {
    let h = hay.as_bytes();
    // Needles' first bytes as a bit set over 0..128.
    let first =
        needles.iter().fold(0u128, |m, n| m | n.as_bytes().first().map_or(0, |&b| 1u128 << (b & 127)));
    h.iter().enumerate().any(|(i, &b)| {
        b < 128 && first & (1u128 << b) != 0 && needles.iter().any(|n| h[i..].starts_with(n.as_bytes()))
    })
}

/// Texts of elements with a matching itemprop, or a class/id containing one of the cues.
fn itemprop_or_class(dom: &Dom, st: &Stats, props: &[&str], classes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for i in 1..dom.nodes.len() {
        let a = &dom.nodes[i].attrs;
        let hit = a.itemprop().is_some_and(|p| props.contains(&p))
            || a.rel().is_some_and(|r| r.contains("author"))
            || (!a.class_id.is_empty()
                && contains_any(&a.class_id, classes)
                && !a.class_id.contains("comment"));
        if !hit || matches!(dom.nodes[i].tag, Tag::Text | Tag::Script | Tag::Style) {
            continue;
        }
        if a.itemprop().is_some()
            && let Some(c) = a.datetime()
        {
            out.push(c.to_string());
            break;
        }
        if st.raw_len[i] > 80 {
            continue;
        }
        let t = subtree_text(dom, i);
        // A hit that cleans to nothing ("Publiziert am") lets the next one speak.
        if !t.is_empty() && !clean_authors(std::slice::from_ref(&t), None).is_empty() {
            out.push(t);
            break;
        }
    }
    out
}

/// A `<time datetime>` (or an element marked as the publication date): one marked as such
/// wins, else the one nearest the start of the content.
fn time_element(dom: &Dom, content: Option<(usize, usize)>) -> Option<PublishedDate> {
    let start = content.map_or(0, |c| c.0);
    let mut nearest: Option<(usize, PublishedDate)> = None;
    for (i, node) in dom.nodes.iter().enumerate() {
        let a = &node.attrs;
        let Some(dt) = a.datetime() else { continue };
        let published_cue = a.itemprop() == Some("datepublished")
            || a.class_id.contains("publish")
            || a.class_id.contains("posted");
        if node.tag != Tag::Time && !published_cue {
            continue;
        }
        let Some(d) = dates::parse_machine_date(dt, "time") else { continue };
        if published_cue {
            return Some(d);
        }
        let dist = i.abs_diff(start);
        if nearest.as_ref().is_none_or(|(b, _)| dist < *b) {
            nearest = Some((dist, d));
        }
    }
    nearest.map(|(_, d)| d)
}

/// The full date (with a year) in a short text line nearest to the article content, outside
/// links, navigation and footers: "Erstellt am: 01.11.2023", "Hamburg, 2. November 2021".
fn nearby_date(dom: &Dom, content: Option<(usize, usize)>) -> Option<PublishedDate> {
    let (start, end) = content?;
    let n = dom.nodes.len();
    let first_prose = (start..=end.min(n - 1))
        .find(|&i| dom.nodes[i].tag == Tag::Text && dom.nodes[i].len >= 150)
        .unwrap_or(start + 40);
    let mut skip = vec![false; n];
    let mut best: Option<(usize, PublishedDate)> = None;
    let mut seen = 0;
    for i in 1..n {
        let node = &dom.nodes[i];
        skip[i] = skip[node.parent as usize]
            || matches!(
                node.tag,
                Tag::A | Tag::Nav | Tag::Footer | Tag::Script | Tag::Style | Tag::Select | Tag::Option
            );
        let text = dom.text(i);
        if skip[i] || node.tag != Tag::Text || !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        // In a long text only a date at its very start ("27.1.2022 - Bei der …") counts.
        let text = match text.char_indices().nth(60) {
            Some((cut, _)) if text.len() > 200 => &text[..cut],
            _ => text,
        };
        seen += 1;
        if seen > 3000 {
            break;
        }
        let dist = if i < start {
            start - i
        } else if i > end {
            (i - end) * 2
        } else {
            0
        };
        // Inside the content only the lines before its first real paragraph carry the date.
        if dist == 0 && i > first_prose {
            continue;
        }
        if best.as_ref().is_some_and(|(d, _)| *d <= dist) {
            continue;
        }
        if let Some(d) =
            dates::find_date(text).filter(|d| d.year.is_some()).and_then(|d| d.to_published("text"))
        {
            best = Some((dist, d));
        }
    }
    best.map(|(_, d)| d)
}

/// A date in a short element whose class says it holds one (`date`, `meta`, `byline`, ...),
/// the one nearest the start of the content winning.
fn visible_date(dom: &Dom, st: &Stats, content: Option<(usize, usize)>) -> Option<PublishedDate> {
    let start = content.map_or(0, |c| c.0);
    let mut best: Option<(usize, PublishedDate)> = None;
    for i in 1..dom.nodes.len() {
        let a = &dom.nodes[i].attrs;
        if a.class_id.is_empty() || st.raw_len[i] > 150 {
            continue;
        }
        let dist = i.abs_diff(start);
        if best.as_ref().is_some_and(|(d, _)| *d <= dist) {
            continue;
        }
        if contains_any(
            &a.class_id,
            &["date", "time", "publish", "posted", "datum", "meta", "byline", "info", "subline"],
        ) && !a.class_id.contains("comment")
        {
            let t = subtree_text(dom, i);
            if let Some(d) = dates::find_date(&t).and_then(|d| d.to_published("text")) {
                best = Some((dist, d));
            }
        }
    }
    best.map(|(_, d)| d)
}

/// Compiles this module's patterns now (see [`crate::compile_patterns`]).
pub(crate) fn compile_patterns() {
    LazyLock::force(&SCRIPT_DATE_RE);
}

#[cfg(test)]
mod tests {
    #[test]
    fn contains_any_is_any_contains() {
        let needles = ["date", "time", "publish", "byline"];
        for hay in [
            "",
            "post-date",
            "x",
            "timestamp",
            "dat",
            "article-meta publisher",
            "by-line",
            "ü-date",
            "datetime",
        ] {
            assert_eq!(super::contains_any(hay, &needles), needles.iter().any(|n| hay.contains(n)), "{hay}");
        }
    }
}
