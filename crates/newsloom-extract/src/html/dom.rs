//! A compact DOM built from lol_html's streaming tokenizer.
//!
//! lol_html tokenizes per the HTML5 spec (with its tree-builder simulation for the
//! RCDATA/RAWTEXT/script states) but builds no tree; this module builds one with the HTML5
//! rules that matter for text extraction: void elements, implied end of `<p>` before blocks,
//! of `<li>`/`<dt>`/`<dd>`/`<tr>`/`<td>`/`<option>` before a sibling, end tags popping to their
//! element (and ignored when it is not open). Depth, node count and input size are capped so
//! adversarial pages cost bounded time and memory.

use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{EndTag, TextType};
use lol_html::{EndTagHandler, HtmlRewriter, Settings, doc_text, element};

/// Pages beyond this are cut (with a warning): no article needs more.
pub const MAX_HTML_BYTES: usize = 4 << 20;
/// Deeper elements are flattened into their ancestor at this depth.
pub const MAX_DEPTH: usize = 256;
/// Elements and text nodes beyond this are dropped.
pub const MAX_NODES: usize = 300_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Document,
    Text,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    Script,
    Style,
    Noscript,
    Template,
    Svg,
    Iframe,
    Nav,
    Header,
    Footer,
    Aside,
    Form,
    Input,
    Button,
    Select,
    Textarea,
    Label,
    Option,
    Article,
    Main,
    Section,
    Div,
    Span,
    P,
    Br,
    Hr,
    H(u8),
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Code,
    Table,
    Tbody,
    Tr,
    Td,
    Th,
    Caption,
    Figure,
    Figcaption,
    Img,
    A,
    Time,
    Address,
    Inline,
    Center,
    Font,
    Object,
    Media,
    Menu,
    Dialog,
    Details,
    Summary,
    Other,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        use Tag::*;
        match name {
            "html" => Html,
            "head" => Head,
            "body" => Body,
            "title" => Title,
            "meta" => Meta,
            "link" => Link,
            "script" => Script,
            "style" => Style,
            "noscript" => Noscript,
            "template" => Template,
            "svg" | "math" => Svg,
            "iframe" => Iframe,
            "nav" => Nav,
            "header" => Header,
            "footer" => Footer,
            "aside" => Aside,
            "form" => Form,
            "input" => Input,
            "button" => Button,
            "select" => Select,
            "textarea" => Textarea,
            "label" => Label,
            "option" | "optgroup" => Option,
            "article" => Article,
            "main" => Main,
            "section" => Section,
            "div" => Div,
            "span" => Span,
            "p" => P,
            "br" => Br,
            "hr" => Hr,
            "h1" => H(1),
            "h2" => H(2),
            "h3" => H(3),
            "h4" => H(4),
            "h5" => H(5),
            "h6" => H(6),
            "ul" => Ul,
            "ol" => Ol,
            "li" => Li,
            "dl" => Dl,
            "dt" => Dt,
            "dd" => Dd,
            "blockquote" => Blockquote,
            "pre" => Pre,
            "code" => Code,
            "table" => Table,
            "tbody" | "thead" | "tfoot" => Tbody,
            "tr" => Tr,
            "td" => Td,
            "th" => Th,
            "caption" => Caption,
            "figure" => Figure,
            "figcaption" => Figcaption,
            "img" => Img,
            "a" => A,
            "time" => Time,
            "address" => Address,
            "center" => Center,
            "font" => Font,
            "object" | "embed" | "applet" => Object,
            "video" | "audio" | "canvas" | "picture" | "source" | "track" => Media,
            "menu" => Menu,
            "dialog" => Dialog,
            "details" => Details,
            "summary" => Summary,
            "strong" | "b" | "em" | "i" | "u" | "s" | "small" | "sup" | "sub" | "abbr" | "cite" | "q"
            | "mark" | "ins" | "del" | "kbd" | "samp" | "var" | "dfn" | "bdi" | "bdo" | "big" | "tt"
            | "strike" | "nobr" | "wbr" | "data" => Inline,
            _ => Other,
        }
    }

    /// Inline (phrasing) elements: their text continues the current paragraph.
    pub fn is_inline(self) -> bool {
        matches!(
            self,
            Tag::Text
                | Tag::Span
                | Tag::Inline
                | Tag::A
                | Tag::Time
                | Tag::Code
                | Tag::Font
                | Tag::Label
                | Tag::Img
                | Tag::Other
        )
    }

    /// Elements whose start closes an open `<p>` (HTML5 "close a p element").
    fn closes_p(self) -> bool {
        use Tag::*;
        matches!(
            self,
            P | Div
                | Ul
                | Ol
                | Dl
                | Table
                | H(_)
                | Blockquote
                | Pre
                | Section
                | Article
                | Aside
                | Nav
                | Header
                | Footer
                | Main
                | Figure
                | Figcaption
                | Form
                | Hr
                | Address
                | Menu
                | Details
                | Dialog
                | Center
        )
    }
}

/// Attributes kept for extraction (the rest are dropped at parse time).
#[derive(Debug, Default, Clone)]
pub struct Attrs {
    /// `class` and `id`, lowercased, space-separated.
    pub class_id: String,
    pub itemprop: Option<String>,
    pub role: Option<String>,
    pub datetime: Option<String>,
    pub rel: Option<String>,
    pub hidden: bool,
    /// Where an `<a>` points: 0 no `href` or a relative one (this site), 1 `mailto:`/`tel:`,
    /// else the [`site_hash`] of its host.
    pub href: u64,
}

#[derive(Debug)]
pub struct Node {
    pub tag: Tag,
    pub parent: u32,
    pub children: Vec<u32>,
    /// Text of a `Text` node (entities decoded).
    pub text: String,
    /// For text nodes: whitespace-normalised length in chars, and commas.
    pub len: u32,
    pub commas: u32,
    pub attrs: Attrs,
}

/// The parsed page: the tree plus head data collected on the way.
#[derive(Debug, Default)]
pub struct Dom {
    pub nodes: Vec<Node>,
    pub title: String,
    /// `(name|property|itemprop|http-equiv, content)`, keys lowercased.
    pub metas: Vec<(String, String)>,
    pub jsonld: Vec<String>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    pub warnings: Vec<String>,
    /// [`site_hash`] of the page's own host (its URL, else its canonical link); 0 unknown.
    pub site: u64,
}

/// A hash of a URL's site (the last two labels of its host, `news.example.com` and
/// `www.example.com` alike), at least 2; 0 for a relative URL, 1 for `mailto:` and `tel:`.
pub fn site_hash(url: &str) -> u64 {
    use std::hash::Hasher;
    let u = url.trim().as_bytes();
    let starts = |p: &[u8]| u.len() >= p.len() && u[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"mailto:") || starts(b"tel:") {
        return 1;
    }
    let rest = if starts(b"https://") {
        &u[8..]
    } else if starts(b"http://") {
        &u[7..]
    } else if starts(b"//") {
        &u[2..]
    } else {
        return 0;
    };
    let end = rest.iter().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(at) = host.iter().rposition(|&b| b == b'@') {
        host = &host[at + 1..];
    }
    if let Some(colon) = host.iter().position(|&b| b == b':') {
        host = &host[..colon];
    }
    let mut h = std::hash::DefaultHasher::new();
    for label in host.rsplit(|&b| b == b'.').filter(|l| !l.is_empty()).take(2) {
        for b in label {
            h.write_u8(b.to_ascii_lowercase());
        }
        h.write_u8(b'.');
    }
    h.finish().max(2)
}

struct Builder {
    dom: Dom,
    stack: Vec<u32>,
    pending: String,
    in_jsonld: bool,
    overflow: bool,
}

impl Builder {
    fn top(&self) -> u32 {
        *self.stack.last().unwrap_or(&0)
    }

    fn top_tag(&self) -> Tag {
        self.dom.nodes[self.top() as usize].tag
    }

    fn add(&mut self, tag: Tag, attrs: Attrs) -> Option<u32> {
        if self.dom.nodes.len() >= MAX_NODES {
            self.overflow = true;
            return None;
        }
        let id = self.dom.nodes.len() as u32;
        let parent = self.top();
        self.dom.nodes.push(Node {
            tag,
            parent,
            children: Vec::new(),
            text: String::new(),
            len: 0,
            commas: 0,
            attrs,
        });
        self.dom.nodes[parent as usize].children.push(id);
        Some(id)
    }

    /// Pops to (and including) the nearest open `target` below any `boundary`.
    /// Looks at most 64 levels up: an implied end further away than that is not worth a
    /// scan per element on pathologically deep pages.
    fn close_open(&mut self, target: &[Tag], boundary: &[Tag]) {
        let lowest = self.stack.len().saturating_sub(64).max(1);
        for pos in (lowest..self.stack.len()).rev() {
            let t = self.dom.nodes[self.stack[pos] as usize].tag;
            if target.contains(&t) {
                self.stack.truncate(pos);
                return;
            }
            if boundary.contains(&t) {
                return;
            }
        }
    }

    fn start(&mut self, tag: Tag) {
        use Tag::*;
        if tag.closes_p() {
            self.close_open(&[P], &[Table, Td, Th, Button, Object, Caption, Template, Svg]);
        }
        match tag {
            Li => self.close_open(&[Li], &[Ul, Ol, Menu, Table, Td]),
            Dt | Dd => self.close_open(&[Dt, Dd], &[Dl, Table, Td]),
            Tr => self.close_open(&[Tr], &[Table]),
            Td | Th => self.close_open(&[Td, Th], &[Tr, Table]),
            Option => self.close_open(&[Option], &[Select]),
            A => self.close_open(&[A], &[Table, Td, Th]),
            H(_) if matches!(self.top_tag(), H(_)) => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    fn end(&mut self, id: u32) {
        if let Some(pos) = self.stack.iter().rposition(|&n| n == id) {
            self.stack.truncate(pos);
        }
    }

    fn text(&mut self, chunk: &str, kind: TextType, last: bool) {
        // Script and style bodies are never text; only JSON-LD is kept.
        let top = self.top_tag();
        let wanted = match top {
            Tag::Script => self.in_jsonld && self.dom.jsonld.len() < 16,
            Tag::Style | Tag::Template | Tag::Iframe | Tag::Noscript | Tag::Svg | Tag::Select => false,
            _ => true,
        };
        if wanted {
            self.pending.push_str(chunk);
        }
        if !last || !wanted {
            return;
        }
        let raw = std::mem::take(&mut self.pending);
        match self.top_tag() {
            Tag::Script => {
                if self.in_jsonld && self.dom.jsonld.len() < 16 {
                    self.dom.jsonld.push(raw);
                }
            }
            Tag::Style | Tag::Template | Tag::Iframe | Tag::Noscript => {}
            Tag::Title => {
                if self.dom.title.is_empty() {
                    self.dom.title = decode(&raw);
                }
            }
            _ => {
                let top = self.top() as usize;
                let last_child = self.dom.nodes[top].children.last().map(|&c| c as usize);
                if raw.bytes().all(|b| b.is_ascii_whitespace()) {
                    // Whitespace matters only after inline content (`<b>a</b> <i>b</i>`, where
                    // the <b> text was merged into a text node); indentation between blocks
                    // would just cost nodes.
                    let after_inline = last_child.is_some_and(|c| self.dom.nodes[c].tag.is_inline());
                    if !after_inline || raw.is_empty() {
                        return;
                    }
                }
                let text =
                    if matches!(kind, TextType::Data | TextType::RCData) { decode_owned(raw) } else { raw };
                if let Some(last) = last_child
                    && self.dom.nodes[last].tag == Tag::Text
                {
                    let node = &mut self.dom.nodes[last];
                    node.text.push_str(&text);
                    (node.len, node.commas) = measure(&node.text);
                    return;
                }
                if let Some(id) = self.add(Tag::Text, Attrs::default()) {
                    let node = &mut self.dom.nodes[id as usize];
                    (node.len, node.commas) = measure(&text);
                    node.text = text;
                }
            }
        }
    }
}

/// Text length as whitespace-normalised chars (one space per word gap) and comma count,
/// in one pass over the bytes.
fn measure(text: &str) -> (u32, u32) {
    let (mut len, mut commas, mut in_ws) = (0u32, 0u32, true);
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() {
            in_ws = true;
        } else if b & 0xC0 != 0x80 {
            len += 1 + u32::from(in_ws);
            in_ws = false;
            commas += u32::from(b == b',');
        }
    }
    if !text.is_ascii() {
        commas += text.matches(['，', '、', '،']).count() as u32;
    }
    (len, commas)
}

fn decode_owned(s: String) -> String {
    if s.contains(['&', '\0', '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}']) {
        decode(&s)
    } else {
        s
    }
}

/// Decodes entities and drops NULs and invisible format characters (soft hyphens, zero-width
/// spaces and joiners, BOMs) that would split words for any later text matching.
fn decode(s: &str) -> String {
    let s = if s.contains('&') { html_escape::decode_html_entities(s).into_owned() } else { s.to_string() };
    let invisible = |c: char| {
        matches!(c, '\0' | '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
    };
    if s.contains(invisible) { s.replace(invisible, "") } else { s }
}

fn attr(el: &lol_html::html_content::Element, name: &str) -> Option<String> {
    el.get_attribute(name).map(|v| decode(&v))
}

/// Parses `html` into a [`Dom`]. Never fails: malformed input yields whatever tree the
/// tokenizer recovers, with warnings for the caps that were hit.
pub fn parse(html: &str) -> Dom {
    let mut warnings = Vec::new();
    let html = if html.len() > MAX_HTML_BYTES {
        let mut cut = MAX_HTML_BYTES;
        while !html.is_char_boundary(cut) {
            cut -= 1;
        }
        warnings.push(format!("html truncated to {} of {} bytes", cut, html.len()));
        &html[..cut]
    } else {
        html
    };
    let root = Node {
        tag: Tag::Document,
        parent: 0,
        children: Vec::new(),
        text: String::new(),
        len: 0,
        commas: 0,
        attrs: Attrs::default(),
    };
    let b = Rc::new(RefCell::new(Builder {
        dom: Dom { nodes: vec![root], warnings, ..Dom::default() },
        stack: vec![0],
        pending: String::new(),
        in_jsonld: false,
        overflow: false,
    }));
    let (be, bt) = (b.clone(), b.clone());
    let settings = Settings::new()
        .append_element_content_handler(element!("*", move |el| {
            let name = el.tag_name();
            let tag = Tag::from_name(&name);
            let mut bb = be.borrow_mut();
            match tag {
                Tag::Meta => {
                    let key = attr(el, "property")
                        .or_else(|| attr(el, "name"))
                        .or_else(|| attr(el, "itemprop"))
                        .or_else(|| attr(el, "http-equiv"));
                    if let (Some(k), Some(c)) = (key, attr(el, "content"))
                        && bb.dom.metas.len() < 500
                    {
                        bb.dom.metas.push((k.to_ascii_lowercase(), c));
                    }
                    return Ok(());
                }
                Tag::Link => {
                    if attr(el, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                        bb.dom.canonical = attr(el, "href");
                    }
                    return Ok(());
                }
                Tag::Html => {
                    if bb.dom.lang.is_none() {
                        bb.dom.lang = attr(el, "lang");
                    }
                    return Ok(());
                }
                Tag::Head | Tag::Body => return Ok(()),
                _ => {}
            }
            // Nothing inside these is ever extracted: no nodes for SVG paths or option lists.
            if bb.overflow || matches!(bb.top_tag(), Tag::Svg | Tag::Select | Tag::Noscript | Tag::Template) {
                return Ok(());
            }
            bb.start(tag);
            // One pass over the attributes (lol_html's get_attribute allocates per call).
            let mut attrs = Attrs::default();
            let mut script_type = None;
            for a in el.attributes() {
                let name = a.name();
                match name.as_str() {
                    "class" | "id" => {
                        if !attrs.class_id.is_empty() {
                            attrs.class_id.push(' ');
                        }
                        attrs.class_id.push_str(&a.value().to_lowercase());
                    }
                    "itemprop" => attrs.itemprop = Some(a.value().to_lowercase()),
                    "role" => attrs.role = Some(a.value().to_lowercase()),
                    "datetime" => attrs.datetime = Some(a.value()),
                    "content" if attrs.datetime.is_none() => attrs.datetime = Some(a.value()),
                    "rel" => attrs.rel = Some(a.value().to_lowercase()),
                    "hidden" => attrs.hidden = true,
                    "href" if tag == Tag::A => attrs.href = site_hash(&a.value()),
                    "style" => {
                        let v = a.value().to_lowercase().replace(' ', "");
                        attrs.hidden |= v.contains("display:none") || v.contains("visibility:hidden");
                    }
                    "type" if tag == Tag::Script => script_type = Some(a.value().to_lowercase()),
                    _ => {}
                }
            }
            if tag == Tag::Script {
                bb.in_jsonld = script_type.is_some_and(|t| t.contains("ld+json"));
            }
            // Plain formatting elements (<b>, <em>, a bare <span>) carry nothing extraction
            // uses: their text joins the parent's, saving a node and an end-tag handler each.
            let plain = attrs.class_id.is_empty()
                && attrs.itemprop.is_none()
                && attrs.role.is_none()
                && !attrs.hidden;
            if plain && matches!(tag, Tag::Inline | Tag::Span | Tag::Font) {
                return Ok(());
            }
            let void = !el.can_have_content();
            if (void && !matches!(tag, Tag::Br | Tag::Hr | Tag::Img))
                || (!void && bb.stack.len() >= MAX_DEPTH)
            {
                return Ok(());
            }
            let Some(id) = bb.add(tag, attrs) else { return Ok(()) };
            if void {
                return Ok(());
            }
            bb.stack.push(id);
            drop(bb);
            if let Some(handlers) = el.end_tag_handlers() {
                let be2 = be.clone();
                let h: EndTagHandler<'static> = Box::new(move |_e: &mut EndTag<'_>| {
                    be2.borrow_mut().end(id);
                    Ok(())
                });
                handlers.push(h);
            }
            Ok(())
        }))
        .append_document_content_handler(doc_text!(move |t| {
            bt.borrow_mut().text(t.as_str(), t.text_type(), t.last_in_text_node());
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let result = rewriter.write(html.as_bytes()).and_then(|_| rewriter.end());
    let Ok(cell) = Rc::try_unwrap(b) else {
        return Dom { warnings: vec!["html parser state still shared".into()], ..Dom::default() };
    };
    let mut builder = cell.into_inner();
    if let Err(e) = result {
        builder.dom.warnings.push(format!("html parse stopped early: {e}"));
    }
    if builder.overflow {
        builder.dom.warnings.push(format!("html has more than {MAX_NODES} nodes; the rest was dropped"));
    }
    builder.dom
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(dom: &Dom) -> Vec<(Tag, String)> {
        dom.nodes
            .iter()
            .filter(|n| n.tag == Tag::Text)
            .map(|n| (dom.nodes[n.parent as usize].tag, n.text.clone()))
            .collect()
    }

    #[test]
    fn a_link_s_site_is_its_host_s_last_two_labels() {
        assert_eq!(site_hash("/2020/05/other-story"), 0);
        assert_eq!(site_hash("other-story.html"), 0);
        assert_eq!(site_hash("mailto:press@example.org"), 1);
        assert_eq!(site_hash("TEL:+49 30 1234"), 1);
        let site = site_hash("https://www.example.com/news/1");
        assert!(site > 1);
        for same in ["http://news.example.com/", "//EXAMPLE.com:8080/x?y", "https://user@example.com#top"] {
            assert_eq!(site_hash(same), site, "{same}");
        }
        assert_ne!(site_hash("https://www.facebook.com/events/1"), site);
        let dom = parse(r#"<p><a href="https://www.facebook.com/e/1">event</a> <a href="/x">here</a></p>"#);
        let hrefs: Vec<u64> = dom.nodes.iter().filter(|n| n.tag == Tag::A).map(|n| n.attrs.href).collect();
        assert_eq!(hrefs, vec![site_hash("https://facebook.com"), 0]);
    }

    #[test]
    fn implied_ends_and_entities() {
        let dom = parse("<title>T &amp; U</title><p>one<div>two</div><p>a &eacute;<li>x<li>y</p>");
        assert_eq!(dom.title, "T & U");
        let t = texts(&dom);
        assert_eq!(t[0], (Tag::P, "one".into()));
        assert_eq!(t[1], (Tag::Div, "two".into()));
        assert_eq!(t[2], (Tag::P, "a é".into()));
        // The second <li> closes the first one: both are children of the <p>'s parent chain.
        let lis: Vec<_> = dom.nodes.iter().filter(|n| n.tag == Tag::Li).collect();
        assert_eq!(lis.len(), 2);
        assert_ne!(dom.nodes[lis[1].parent as usize].tag, Tag::Li);
    }

    #[test]
    fn head_data_is_collected() {
        let dom = parse(
            r#"<html lang="de"><meta property="og:title" content="A &quot;B&quot;"><link rel="canonical" href="https://x/y"><script type="application/ld+json">{"a":1}</script><script>var x = "<p>no</p>";</script>"#,
        );
        assert_eq!(dom.lang.as_deref(), Some("de"));
        assert_eq!(dom.metas, vec![("og:title".to_string(), "A \"B\"".to_string())]);
        assert_eq!(dom.canonical.as_deref(), Some("https://x/y"));
        assert_eq!(dom.jsonld, vec![r#"{"a":1}"#.to_string()]);
        assert!(texts(&dom).is_empty());
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let dom = parse(&html);
        assert!(dom.nodes.len() <= MAX_DEPTH + 2);
        assert_eq!(texts(&dom).last().map(|t| t.1.as_str()), Some("deep text"));
    }
}
