//! A compact DOM built from the events of [`super::tokenize`].
//!
//! The tokenizer follows HTML5 where it decides token boundaries (raw-text elements, comments,
//! quoted attribute values) but builds no tree; this module builds one with the HTML5 rules
//! that matter for text extraction: void elements, implied end of `<p>` before blocks, of
//! `<li>`/`<dt>`/`<dd>`/`<tr>`/`<td>`/`<option>` before a sibling, end tags popping to their
//! element (and ignored when it is not open). Depth, node count and input size are capped so
//! adversarial pages cost bounded time and memory. Names and attribute values are slices of
//! the page; only the attributes extraction reads are copied.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokenize::{Namespaces, TextMode, Token, Tokenizer};
use crate::text::lowercase;
pub use attrs::Attrs;
use measure::measure_after;
#[cfg(test)]
use measure::{measure, measure_byte};

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
    fn from_name(name: &[u8]) -> Tag {
        use Tag::*;
        match name {
            b"html" => Html,
            b"head" => Head,
            b"body" => Body,
            b"title" => Title,
            b"meta" => Meta,
            b"link" => Link,
            b"script" => Script,
            b"style" => Style,
            b"noscript" => Noscript,
            b"template" => Template,
            b"svg" | b"math" => Svg,
            b"iframe" => Iframe,
            b"nav" => Nav,
            b"header" => Header,
            b"footer" => Footer,
            b"aside" => Aside,
            b"form" => Form,
            b"input" => Input,
            b"button" => Button,
            b"select" => Select,
            b"textarea" => Textarea,
            b"label" => Label,
            b"option" | b"optgroup" => Option,
            b"article" => Article,
            b"main" => Main,
            b"section" => Section,
            b"div" => Div,
            b"span" => Span,
            b"p" => P,
            b"br" => Br,
            b"hr" => Hr,
            b"h1" => H(1),
            b"h2" => H(2),
            b"h3" => H(3),
            b"h4" => H(4),
            b"h5" => H(5),
            b"h6" => H(6),
            b"ul" => Ul,
            b"ol" => Ol,
            b"li" => Li,
            b"dl" => Dl,
            b"dt" => Dt,
            b"dd" => Dd,
            b"blockquote" => Blockquote,
            b"pre" => Pre,
            b"code" => Code,
            b"table" => Table,
            b"tbody" | b"thead" | b"tfoot" => Tbody,
            b"tr" => Tr,
            b"td" => Td,
            b"th" => Th,
            b"caption" => Caption,
            b"figure" => Figure,
            b"figcaption" => Figcaption,
            b"img" => Img,
            b"a" => A,
            b"time" => Time,
            b"address" => Address,
            b"center" => Center,
            b"font" => Font,
            b"object" | b"embed" | b"applet" => Object,
            b"video" | b"audio" | b"canvas" | b"picture" | b"source" | b"track" => Media,
            b"menu" => Menu,
            b"dialog" => Dialog,
            b"details" => Details,
            b"summary" => Summary,
            b"strong" | b"b" | b"em" | b"i" | b"u" | b"s" | b"small" | b"sup" | b"sub" | b"abbr"
            | b"cite" | b"q" | b"mark" | b"ins" | b"del" | b"kbd" | b"samp" | b"var" | b"dfn" | b"bdi"
            | b"bdo" | b"big" | b"tt" | b"strike" | b"nobr" | b"wbr" | b"data" => Inline,
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

#[derive(Debug)]
pub struct Node {
    pub tag: Tag,
    pub parent: u32,
    /// The node's children are `Dom::kids[first_kid..first_kid + n_kids]` ([`Dom::children`]):
    /// one array for the page instead of a `Vec` per element.
    first_kid: u32,
    n_kids: u32,
    /// The last child (0: none; the root is no one's child).
    last_kid: u32,
    /// Text of a `Text` node (entities decoded): `Dom::texts[text_start..text_start +
    /// text_len]` ([`Dom::text`]), all of a page's text in one buffer.
    text_start: u32,
    text_len: u32,
    /// For text nodes: whitespace-normalised length in chars, and commas.
    pub len: u32,
    pub commas: u32,
    pub attrs: Attrs,
}

impl Node {
    fn new(tag: Tag, parent: u32, attrs: Attrs) -> Node {
        Node {
            tag,
            parent,
            first_kid: 0,
            n_kids: 0,
            last_kid: 0,
            text_start: 0,
            text_len: 0,
            len: 0,
            commas: 0,
            attrs,
        }
    }
}

/// The parsed page: the tree plus head data collected on the way.
#[derive(Debug, Default)]
pub struct Dom {
    pub nodes: Vec<Node>,
    /// Every node's children, node after node (see [`Node`]).
    kids: Vec<u32>,
    /// Every text node's text, node after node (see [`Node`]).
    texts: String,
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

impl Dom {
    /// The children of node `i`, in document order.
    pub fn children(&self, i: usize) -> &[u32] {
        let n = &self.nodes[i];
        &self.kids[n.first_kid as usize..(n.first_kid + n.n_kids) as usize]
    }

    /// The text of node `i` (empty but for text nodes).
    pub fn text(&self, i: usize) -> &str {
        let n = &self.nodes[i];
        &self.texts[n.text_start as usize..(n.text_start + n.text_len) as usize]
    }

    /// The last child of node `i`.
    pub fn last_child(&self, i: usize) -> Option<usize> {
        let last = self.nodes[i].last_kid;
        (last != 0).then_some(last as usize)
    }

    /// Lays the children out in [`Dom::kids`]: a node's children are the later nodes naming it
    /// as parent, in id order, so a count and a prefix sum place them (no list per node).
    fn link_children(&mut self) {
        let mut next = 0u32;
        for i in 0..self.nodes.len() {
            let n = &mut self.nodes[i];
            n.first_kid = next;
            next += n.n_kids;
            n.n_kids = 0;
        }
        self.kids = vec![0; next as usize];
        for id in 1..self.nodes.len() {
            let p = self.nodes[id].parent as usize;
            let n = &mut self.nodes[p];
            self.kids[(n.first_kid + n.n_kids) as usize] = id as u32;
            n.n_kids += 1;
        }
    }
}

/// A hash of a URL's site (the last two labels of its host, `news.example.com` and
/// `www.example.com` alike), at least 2; 0 for a relative URL, 1 for `mailto:` and `tel:`.
pub fn site_hash(url: &str) -> u64 {
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
    // FNV-1a: hashed per link, and only compared for equality (SipHash cost ~600
    // instructions a link).
    // The last two non-empty labels, last first, each followed by a dot.
    let mut h = FNV_OFFSET;
    let mut taken = 0;
    while taken < 2 {
        let (label, before) = match host.iter().rposition(|&b| b == b'.') {
            Some(p) => (&host[p + 1..], Some(&host[..p])),
            None => (host, None),
        };
        if !label.is_empty() {
            for &b in label {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
            }
            h = (h ^ u64::from(b'.')).wrapping_mul(FNV_PRIME);
            taken += 1;
        }
        match before {
            Some(b) => host = b,
            None => break,
        }
    }
    h.max(2)
}

/// Whether an inline style hides the element: `display:none` or `visibility:hidden` in the
/// style lowercased with its spaces removed. Lowercased by ASCII only, on the stack: no
/// non-ASCII char lowercases into either needle (only U+212A, the Kelvin sign, lowercases to
/// an ASCII letter, `k`).
fn style_hides(style: &str) -> bool {
    let mut buf = [0u8; 512];
    let mut n = 0;
    for &b in style.as_bytes() {
        if b == b' ' {
            continue;
        }
        let Some(slot) = buf.get_mut(n) else {
            let v = style.to_lowercase().replace(' ', "");
            return v.contains("display:none") || v.contains("visibility:hidden");
        };
        *slot = b.to_ascii_lowercase();
        n += 1;
    }
    let s = &buf[..n];
    memchr::memmem::find(s, b"display:none").is_some()
        || memchr::memmem::find(s, b"visibility:hidden").is_some()
}

struct Builder {
    dom: Dom,
    /// Open elements with their tags (read on every event; the nodes are far apart in memory).
    stack: Vec<(u32, Tag)>,
    in_jsonld: bool,
    overflow: bool,
}

impl Builder {
    fn top(&self) -> u32 {
        self.stack.last().map_or(0, |e| e.0)
    }

    fn top_tag(&self) -> Tag {
        self.stack.last().map_or(Tag::Document, |e| e.1)
    }

    fn add(&mut self, tag: Tag, attrs: Attrs) -> Option<u32> {
        if self.dom.nodes.len() >= MAX_NODES {
            self.overflow = true;
            return None;
        }
        let id = self.dom.nodes.len() as u32;
        let parent = self.top();
        self.dom.nodes.push(Node::new(tag, parent, attrs));
        let p = &mut self.dom.nodes[parent as usize];
        p.n_kids += 1;
        p.last_kid = id;
        Some(id)
    }

    /// Pops to (and including) the nearest open `target` below any `boundary`.
    /// Looks at most 64 levels up: an implied end further away than that is not worth a
    /// scan per element on pathologically deep pages.
    fn close_open(&mut self, target: &[Tag], boundary: &[Tag]) {
        let lowest = self.stack.len().saturating_sub(64).max(1);
        for pos in (lowest..self.stack.len()).rev() {
            let t = self.stack[pos].1;
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
        if let Some(pos) = self.stack.iter().rposition(|e| e.0 == id) {
            self.stack.truncate(pos);
        }
    }

    /// A whole text node; `decodable` for data and RCDATA (character references count there).
    fn text(&mut self, raw: &str, decodable: bool) {
        // Script and style bodies are never text; only JSON-LD is kept.
        let top = self.top_tag();
        match top {
            Tag::Script => {
                if self.in_jsonld && self.dom.jsonld.len() < 16 {
                    self.dom.jsonld.push(raw.to_string());
                }
            }
            Tag::Style | Tag::Template | Tag::Iframe | Tag::Noscript | Tag::Svg | Tag::Select => {}
            Tag::Title => {
                if self.dom.title.is_empty() {
                    self.dom.title = decode(raw);
                }
            }
            _ => {
                let top = self.top() as usize;
                let last_child = self.dom.last_child(top);
                if raw.bytes().all(|b| b.is_ascii_whitespace()) {
                    // Whitespace matters only after inline content (`<b>a</b> <i>b</i>`, where
                    // the <b> text was merged into a text node); indentation between blocks
                    // would just cost nodes.
                    let after_inline = last_child.is_some_and(|c| self.dom.nodes[c].tag.is_inline());
                    if !after_inline || raw.is_empty() {
                        return;
                    }
                }
                let decoded = decodable && needs_decode(raw);
                // The text goes at the end of `texts`, where the last text node's text ends:
                // a text node is only extended while it is the last child of the open element,
                // so no text node was made after it.
                let start = self.dom.texts.len();
                let (id, after_ws) = match last_child {
                    Some(last) if self.dom.nodes[last].tag == Tag::Text => {
                        let node = &self.dom.nodes[last];
                        debug_assert_eq!((node.text_start + node.text_len) as usize, start);
                        let ws =
                            node.text_len == 0 || self.dom.texts.as_bytes()[start - 1].is_ascii_whitespace();
                        (last, ws)
                    }
                    _ => match self.add(Tag::Text, Attrs::default()) {
                        Some(id) => (id as usize, true),
                        None => return,
                    },
                };
                if decoded {
                    self.dom.texts.push_str(&decode(raw));
                } else {
                    self.dom.texts.push_str(raw);
                }
                let (len, commas) = measure_after(&self.dom.texts[start..], after_ws);
                let node = &mut self.dom.nodes[id];
                if node.text_len == 0 {
                    node.text_start = start as u32;
                }
                node.text_len += (self.dom.texts.len() - start) as u32;
                node.len += len;
                node.commas += commas;
            }
        }
    }
}

/// Whether [`decode`] would change `s`: an entity, a NUL or an invisible format character.
fn needs_decode(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr2(b'&', 0, b).is_some() || (!b.is_ascii() && has_format_char(b))
}

/// Whether UTF-8 `b` holds one of the invisible format characters [`decode`] drops (U+00AD,
/// U+200B–U+200D, U+2060, U+FEFF), found from their lead bytes (these bytes never continue a
/// char): a `contains` over a set of chars costs a decode per char.
fn has_format_char(b: &[u8]) -> bool {
    memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(|i| match b[i] {
        0xC2 => b.get(i + 1) == Some(&0xAD),
        0xE2 => matches!(b.get(i + 1..i + 3), Some([0x80, 0x8B..=0x8D] | [0x81, 0xA0])),
        _ => b.get(i + 1..i + 3) == Some(&[0xBB, 0xBF]),
    })
}

/// Decodes entities and drops NULs and invisible format characters (soft hyphens, zero-width
/// spaces and joiners, BOMs) that would split words for any later text matching.
fn decode(s: &str) -> String {
    let s = if s.contains('&') { html_escape::decode_html_entities(s).into_owned() } else { s.to_string() };
    let b = s.as_bytes();
    if memchr::memchr(0, b).is_some() || (!b.is_ascii() && has_format_char(b)) {
        let invisible = |c: char| {
            matches!(c, '\0' | '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
        };
        s.replace(invisible, "")
    } else {
        s
    }
}

/// The first attribute named `name` (lowercase), entities decoded.
fn attr(attrs: &[(&str, &str)], name: &str) -> Option<String> {
    attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| decode(v))
}

/// `name` ASCII-lowercased into `buf`; `None` when it is longer than `buf`.
fn lower<'b, const N: usize>(name: &[u8], buf: &'b mut [u8; N]) -> Option<&'b [u8]> {
    let out = buf.get_mut(..name.len())?;
    for (d, s) in out.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Some(out)
}

/// A tag name in lower case: in `buf` when it fits (no allocation), else allocated.
fn lower_name<'b>(name: &[u8], buf: &'b mut [u8; 32]) -> std::borrow::Cow<'b, [u8]> {
    match lower(name, buf) {
        Some(l) => std::borrow::Cow::Borrowed(l),
        None => std::borrow::Cow::Owned(name.to_ascii_lowercase()),
    }
}

/// Elements that never have content (HTML5's void elements).
fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"keygen"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// A hash of a lowercased tag name, to match end tags against open elements.
fn name_hash(lname: &[u8]) -> u64 {
    lname.iter().fold(FNV_OFFSET, |h, &c| (h ^ u64::from(c)).wrapping_mul(FNV_PRIME))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x100_0000_01b3;

/// Hashes the [`name_hash`] keys of the open-name counts as they are.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = name_hash(bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// An open element as the tokenizer side sees it: every start tag that can have content,
/// whether or not the builder made a node for it (HTML5 tree construction without the
/// implied ends, which the builder applies to its own stack).
struct Open {
    name: u64,
    node: Option<u32>,
}

/// Appends `v` lowercased (as `str::to_lowercase` does) without a temporary for ASCII text.
fn push_lowercase(out: &mut String, v: &str) {
    if v.is_ascii() {
        let start = out.len();
        out.push_str(v);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&lowercase(v));
    }
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
    let root = Node::new(Tag::Document, 0, Attrs::default());
    // About one node per 70 bytes of page on the benchmark pages (2,170 a trafilatura-eval
    // page): reserving for one per 48 spares all but 22 of its 503 pages the copies of a
    // growing arena (with one per 128, 384 of them grew).
    let mut nodes = Vec::with_capacity((html.len() / 48).clamp(16, MAX_NODES + 1));
    nodes.push(root);
    // Text is about a quarter of a page's bytes.
    let texts = String::with_capacity(html.len() / 4);
    let mut bb = Builder {
        dom: Dom { nodes, texts, warnings, ..Dom::default() },
        stack: vec![(0, Tag::Document)],
        in_jsonld: false,
        overflow: false,
    };
    let mut open: Vec<Open> = Vec::with_capacity(64);
    let mut counts: HashMap<u64, u32, BuildHasherDefault<NameHasher>> = HashMap::default();
    let mut tok = Tokenizer::new(html);
    let mut ns = Namespaces::default();
    while let Some(token) = tok.next_token() {
        match token {
            Token::Text { text, decode } => bb.text(text, decode),
            Token::Other => {}
            Token::End { name } => {
                let mut buf = [0u8; 32];
                let lname = &*lower_name(name, &mut buf);
                let h = name_hash(lname);
                // Pops to the nearest open element of that name (none: the tag is ignored);
                // the nodes of all elements popped end here.
                // (`counts` answers for names that are not open, which would cost a scan of a
                // stack of unclosed elements per stray end tag.)
                if counts.get(&h).is_some_and(|&n| n > 0)
                    && let Some(pos) = open.iter().rposition(|o| o.name == h)
                {
                    for o in open.drain(pos..) {
                        if let Some(n) = counts.get_mut(&o.name) {
                            *n -= 1;
                        }
                        if let Some(id) = o.node {
                            bb.end(id);
                        }
                    }
                }
                ns.end(lname);
                tok.allow_cdata = ns.foreign();
            }
            Token::Start { name, self_closing } => {
                let mut buf = [0u8; 32];
                let lname = &*lower_name(name, &mut buf);
                let (foreign, mode) = ns.start(lname, self_closing, tok.attrs());
                tok.allow_cdata = ns.foreign();
                let can_have_content = if foreign { !self_closing } else { !is_void(lname) };
                let node = start(&mut bb, lname, tok.attrs(), can_have_content);
                if can_have_content {
                    let h = name_hash(lname);
                    *counts.entry(h).or_insert(0) += 1;
                    open.push(Open { name: h, node });
                }
                if mode != TextMode::Data {
                    tok.set_mode(mode, name);
                }
            }
        }
    }
    if bb.overflow {
        bb.dom.warnings.push(format!("html has more than {MAX_NODES} nodes; the rest was dropped"));
    }
    bb.dom.link_children();
    bb.dom
}

/// A start tag: head data, or a node on the builder's stack. Returns the node when its end
/// tag is to close it.
fn start(bb: &mut Builder, lname: &[u8], attrs: &[(&str, &str)], can_have_content: bool) -> Option<u32> {
    let tag = if lname.len() <= 10 { Tag::from_name(lname) } else { Tag::Other };
    match tag {
        Tag::Meta => {
            let key = attr(attrs, "property")
                .or_else(|| attr(attrs, "name"))
                .or_else(|| attr(attrs, "itemprop"))
                .or_else(|| attr(attrs, "http-equiv"));
            if let (Some(k), Some(c)) = (key, attr(attrs, "content"))
                && bb.dom.metas.len() < 500
            {
                bb.dom.metas.push((k.to_ascii_lowercase(), c));
            }
            return None;
        }
        Tag::Link => {
            if attr(attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                bb.dom.canonical = attr(attrs, "href");
            }
            return None;
        }
        Tag::Html => {
            if bb.dom.lang.is_none() {
                bb.dom.lang = attr(attrs, "lang");
            }
            return None;
        }
        Tag::Head | Tag::Body => return None,
        _ => {}
    }
    // Nothing inside these is ever extracted: no nodes for SVG paths or option lists.
    if bb.overflow || matches!(bb.top_tag(), Tag::Svg | Tag::Select | Tag::Noscript | Tag::Template) {
        return None;
    }
    bb.start(tag);
    // One pass over the attributes.
    let mut a = Attrs::default();
    let mut script_type = None;
    for &(name, value) in attrs {
        let mut buf = [0u8; 8];
        let Some(name) = lower(name.as_bytes(), &mut buf) else { continue };
        match name {
            b"class" | b"id" => {
                if !a.class_id.is_empty() {
                    a.class_id.push(' ');
                }
                push_lowercase(&mut a.class_id, value);
            }
            b"itemprop" => a.rare_mut().itemprop = Some(lowercase(value)),
            b"role" => a.rare_mut().role = Some(lowercase(value)),
            b"datetime" => a.rare_mut().datetime = Some(value.to_string()),
            b"content" if a.datetime().is_none() => a.rare_mut().datetime = Some(value.to_string()),
            b"rel" => a.rare_mut().rel = Some(lowercase(value)),
            b"hidden" => a.hidden = true,
            b"href" if tag == Tag::A => a.href = site_hash(value),
            b"style" => a.hidden |= style_hides(value),
            b"type" if tag == Tag::Script => script_type = Some(lowercase(value)),
            _ => {}
        }
    }
    if tag == Tag::Script {
        bb.in_jsonld = script_type.is_some_and(|t| t.contains("ld+json"));
    }
    // Plain formatting elements (<b>, <em>, a bare <span>) carry nothing extraction uses:
    // their text joins the parent's, saving a node each.
    let plain = a.class_id.is_empty() && a.itemprop().is_none() && a.role().is_none() && !a.hidden;
    if plain && matches!(tag, Tag::Inline | Tag::Span | Tag::Font) {
        return None;
    }
    let void = !can_have_content;
    if (void && !matches!(tag, Tag::Br | Tag::Hr | Tag::Img)) || (!void && bb.stack.len() >= MAX_DEPTH) {
        return None;
    }
    let id = bb.add(tag, a)?;
    if void {
        return None;
    }
    bb.stack.push((id, tag));
    Some(id)
}

#[path = "dom_attrs.rs"]
mod attrs;

#[path = "dom_measure.rs"]
mod measure;

#[cfg(test)]
#[path = "dom_tests.rs"]
mod tests;
