//! The part of the HTML5 tokenizer the DOM builder reads, over a `&str` in one pass.
//!
//! Not a full tokenizer: it emits start tags (name, raw attribute names and values, the
//! self-closing flag), end tags, text runs and a marker for comments, doctypes and bogus
//! comments (they end a text node), and leaves character references to the builder. It follows
//! the HTML5 states that decide where those tokens begin and end: a tag opens only at `<` plus
//! an ASCII letter, quoted attribute values may hold `>`, comments end at `-->` or `--!>`,
//! `<!`/`<?`/`</` plus a non-letter start bogus comments, a tag cut off by the end of input is
//! dropped, and the builder switches it into RCDATA, RAWTEXT, script data (with its escaped
//! and double-escaped states) or PLAINTEXT after the elements that call for them. The
//! scans are `memchr` searches for the next `<`, quote or `>`, so most of the page's bytes are
//! never looked at one by one.

use memchr::{memchr, memchr2, memmem};

/// How the text after a start tag is tokenized (set by the builder, which knows the namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    Data,
    /// `<title>`, `<textarea>`: ends at the matching end tag; entities are decoded.
    RcData,
    /// `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<noscript>`.
    RawText,
    Script,
    PlainText,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// A start tag; its attributes are in [`Tokenizer::attrs`] until the next token.
    Start {
        name: &'a [u8],
        self_closing: bool,
    },
    End {
        name: &'a [u8],
    },
    /// A run of text and whether its character references are to be decoded (data and RCDATA).
    Text {
        text: &'a str,
        decode: bool,
    },
    /// A comment, doctype, processing instruction or bogus comment.
    Other,
}

pub struct Tokenizer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    mode: TextMode,
    /// The element whose end tag ends RCDATA, RAWTEXT or script data.
    raw_end: &'a [u8],
    /// `(name, value)` slices of the last start tag's attributes, names not lowercased.
    attrs: Vec<(&'a str, &'a str)>,
    /// `<![CDATA[` opens a CDATA section (in SVG and MathML) instead of a bogus comment.
    pub allow_cdata: bool,
}

/// Byte classes for the scans inside a tag (one table load per byte instead of five compares).
const WS: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = WS;
    t[b'\n' as usize] = WS;
    t[0x0C] = WS;
    t[b'\r' as usize] = WS;
    t[b' ' as usize] = WS;
    t[b'/' as usize] = SLASH;
    t[b'>' as usize] = GT;
    t[b'=' as usize] = EQ;
    t
};

fn is_ws(c: u8) -> bool {
    CLASS[c as usize] & WS != 0
}

/// The first position from `j` whose byte is in one of `classes` (or the end).
fn skip_until(b: &[u8], mut j: usize, classes: u8) -> usize {
    while let Some(&c) = b.get(j) {
        if CLASS[c as usize] & classes != 0 {
            break;
        }
        j += 1;
    }
    j
}

/// The first position from `j` that is not whitespace (or the end).
fn skip_ws(b: &[u8], mut j: usize) -> usize {
    while let Some(&c) = b.get(j) {
        if CLASS[c as usize] & WS == 0 {
            break;
        }
        j += 1;
    }
    j
}

impl<'a> Tokenizer<'a> {
    pub fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            b: src.as_bytes(),
            pos: 0,
            mode: TextMode::Data,
            raw_end: b"",
            attrs: Vec::new(),
            allow_cdata: false,
        }
    }

    pub fn attrs(&self) -> &[(&'a str, &'a str)] {
        &self.attrs
    }

    /// Tokenizes what follows the start tag just returned, named `name`, in `mode`.
    pub fn set_mode(&mut self, mode: TextMode, name: &'a [u8]) {
        self.mode = mode;
        self.raw_end = name;
    }

    /// The text from `self.pos` to `end` as a token, or `None` when it is empty.
    fn text(&mut self, end: usize, decode: bool) -> Option<Token<'a>> {
        let start = self.pos;
        self.pos = end;
        // Every cut is at an ASCII byte ('<') or the end, so it is a char boundary.
        (end > start).then(|| Token::Text { text: &self.src[start..end], decode })
    }

    /// Whether an end tag for `raw_end` starts at `i` (`</name` then whitespace, `/` or `>`).
    fn end_tag_at(&self, i: usize) -> bool {
        let n = self.raw_end;
        let b = self.b;
        b.get(i + 1) == Some(&b'/')
            && b.get(i + 2..i + 2 + n.len()).is_some_and(|s| s.eq_ignore_ascii_case(n))
            && b.get(i + 2 + n.len()).is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
    }

    /// Where the raw text that starts at `self.pos` ends: the `<` of the closing end tag, or
    /// the end of input.
    fn raw_text_end(&self) -> usize {
        let b = self.b;
        let mut i = self.pos;
        while let Some(off) = memchr(b'<', &b[i..]) {
            let at = i + off;
            if self.end_tag_at(at) {
                return at;
            }
            i = at + 1;
        }
        b.len()
    }

    /// Script data: as raw text, except that inside `<!--` … `-->` a `<script` starts a nested
    /// ("double-escaped") part in which `</script>` does not end the element.
    fn script_end(&self) -> usize {
        let b = self.b;
        let (mut i, mut escaped, mut double) = (self.pos, false, false);
        loop {
            let Some(off) = (if escaped { memchr2(b'<', b'-', &b[i..]) } else { memchr(b'<', &b[i..]) })
            else {
                return b.len();
            };
            let at = i + off;
            i = at + 1;
            if b[at] == b'-' {
                if b[at..].starts_with(b"-->") {
                    (escaped, double) = (false, false);
                    i = at + 3;
                }
                continue;
            }
            if !escaped {
                if self.end_tag_at(at) {
                    return at;
                }
                if b[at..].starts_with(b"<!--") {
                    escaped = true;
                    // "<!-->" and "<!--->" close at once: let the "-->" scan see those dashes.
                    i = at + 2;
                }
            } else if double {
                if self.end_tag_at(at) {
                    double = false;
                    i = at + 2 + self.raw_end.len();
                }
            } else if self.end_tag_at(at) {
                return at;
            } else if b.get(at + 1..at + 7).is_some_and(|s| s.eq_ignore_ascii_case(b"script"))
                && b.get(at + 7).is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
            {
                double = true;
                i = at + 7;
            }
        }
    }

    /// Skips to just past the next `>` from `i` (or to the end) and returns [`Token::Other`].
    fn bogus_comment(&mut self, i: usize) -> Option<Token<'a>> {
        self.pos = memchr(b'>', &self.b[i..]).map_or(self.b.len(), |o| i + o + 1);
        Some(Token::Other)
    }

    /// A `<!` construct at `self.pos`.
    fn markup_declaration(&mut self) -> Option<Token<'a>> {
        let b = self.b;
        let i = self.pos + 2;
        if b[i..].starts_with(b"--") {
            // "<!-->" and "<!--->" are empty comments.
            let body = i + 2;
            if b[body..].starts_with(b">") {
                self.pos = body + 1;
            } else if b[body..].starts_with(b"->") {
                self.pos = body + 2;
            } else {
                let mut j = body;
                self.pos = loop {
                    let Some(off) = memmem::find(&b[j..], b"--") else { break b.len() };
                    let d = j + off;
                    if b[d + 2..].starts_with(b">") {
                        break d + 3;
                    }
                    if b[d + 2..].starts_with(b"!>") {
                        break d + 4;
                    }
                    j = d + 1;
                };
            }
            return Some(Token::Other);
        }
        if self.allow_cdata && b[i..].starts_with(b"[CDATA[") {
            let body = i + 7;
            self.pos = memmem::find(&b[body..], b"]]>").map_or(b.len(), |o| body + o + 3);
            return Some(Token::Other);
        }
        // DOCTYPE (no quoted part of it may hold a '>') and bogus comments alike end at '>'.
        self.bogus_comment(i)
    }

    /// Reads a tag whose name starts at `i`; `None` (and the rest of the input consumed) when
    /// the input ends inside it.
    fn tag(&mut self, i: usize, end: bool) -> Option<Token<'a>> {
        let b = self.b;
        let mut j = skip_until(b, i, WS | SLASH | GT);
        let name = &b[i..j];
        self.attrs.clear();
        let mut self_closing = false;
        loop {
            // Before an attribute name.
            j = skip_ws(b, j);
            let Some(&c) = b.get(j) else { break };
            if c == b'>' {
                self.pos = j + 1;
                return Some(if end { Token::End { name } } else { Token::Start { name, self_closing } });
            }
            if c == b'/' {
                j += 1;
                self_closing = b.get(j) == Some(&b'>');
                continue;
            }
            self_closing = false;
            // The name: a leading '=' belongs to it.
            let ns = j;
            j = skip_until(b, j + 1, WS | SLASH | GT | EQ);
            let name_end = j;
            j = skip_ws(b, j);
            let mut value = (j, j);
            if b.get(j) == Some(&b'=') {
                j = skip_ws(b, j + 1);
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let vs = j + 1;
                        let Some(off) = memchr(q, &b[vs..]) else { break };
                        value = (vs, vs + off);
                        j = vs + off + 1;
                    }
                    Some(b'>') | None => {}
                    Some(_) => {
                        let vs = j;
                        j = skip_until(b, j, WS | GT);
                        value = (vs, j);
                    }
                }
            }
            if !end {
                // Cuts are at ASCII bytes, so both slices are on char boundaries.
                self.attrs.push((&self.src[ns..name_end], &self.src[value.0..value.1]));
            }
        }
        // End of input inside the tag: the tag is dropped.
        self.pos = b.len();
        None
    }

    pub fn next_token(&mut self) -> Option<Token<'a>> {
        let b = self.b;
        while self.pos < b.len() {
            match self.mode {
                TextMode::Data => {}
                TextMode::PlainText => return self.text(b.len(), false),
                mode => {
                    self.mode = TextMode::Data;
                    let end = if mode == TextMode::Script { self.script_end() } else { self.raw_text_end() };
                    if let Some(t) = self.text(end, mode == TextMode::RcData) {
                        return Some(t);
                    }
                    continue;
                }
            }
            let start = self.pos;
            let mut i = start;
            // The next '<' that opens markup; any other '<' is text.
            let at = loop {
                let Some(off) = memchr(b'<', &b[i..]) else { break b.len() };
                let at = i + off;
                match b.get(at + 1) {
                    Some(c) if c.is_ascii_alphabetic() || matches!(c, b'!' | b'?') => break at,
                    Some(b'/') if b.get(at + 2).is_some() => break at,
                    _ => i = at + 1,
                }
            };
            if at > start {
                return self.text(at, true);
            }
            self.pos = at;
            let c = b[at + 1];
            let t = match c {
                b'!' => self.markup_declaration(),
                b'?' => self.bogus_comment(at + 1),
                b'/' => match b[at + 2] {
                    c if c.is_ascii_alphabetic() => self.tag(at + 2, true),
                    // "</>" is dropped without a token.
                    b'>' => {
                        self.pos = at + 3;
                        continue;
                    }
                    _ => self.bogus_comment(at + 2),
                },
                _ => self.tag(at + 1, false),
            };
            if t.is_some() {
                return t;
            }
        }
        None
    }
}

/// The namespace part of HTML5 tree construction, as lol_html simulates it (the builder used
/// lol_html before this tokenizer, and its trees are kept): `<svg>` and `<math>` enter foreign
/// content, where `/>` closes an element and no element's text is raw; HTML integration points
/// (`<title>`, `<desc>`, `<foreignObject>` in SVG, `<mi>` … in MathML) and the HTML elements
/// that break out of foreign content leave it.
pub struct Namespaces(Vec<Ns>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    Math,
}

fn breaks_out(lname: &[u8]) -> bool {
    matches!(
        lname,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strong"
            | b"strike"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
    )
}

fn svg_html_point(lname: &[u8]) -> bool {
    matches!(lname, b"desc" | b"title" | b"foreignobject")
}

fn math_text_point(lname: &[u8]) -> bool {
    matches!(lname, b"mi" | b"mo" | b"mn" | b"ms" | b"mtext")
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces(vec![Ns::Html])
    }
}

impl Namespaces {
    pub fn foreign(&self) -> bool {
        self.0.last().is_some_and(|&n| n != Ns::Html)
    }

    fn leave(&mut self) {
        if self.0.len() > 1 {
            self.0.pop();
        }
    }

    /// A start tag (name lowercased): returns whether the element is in foreign content and
    /// how the text after it is tokenized.
    pub fn start(&mut self, lname: &[u8], self_closing: bool, attrs: &[(&str, &str)]) -> (bool, TextMode) {
        let cur = *self.0.last().unwrap_or(&Ns::Html);
        let has = |names: &[&str]| attrs.iter().any(|(n, _)| names.iter().any(|m| n.eq_ignore_ascii_case(m)));
        match lname {
            b"svg" => self.0.push(Ns::Svg),
            b"math" => self.0.push(Ns::Math),
            _ if cur == Ns::Html => {
                let mode = match lname {
                    b"textarea" | b"title" => TextMode::RcData,
                    b"plaintext" => TextMode::PlainText,
                    b"script" => TextMode::Script,
                    b"style" | b"iframe" | b"xmp" | b"noembed" | b"noframes" | b"noscript" => {
                        TextMode::RawText
                    }
                    _ => TextMode::Data,
                };
                return (false, mode);
            }
            _ if breaks_out(lname) => self.leave(),
            // A self-closing integration point opens nothing.
            _ if ((cur == Ns::Svg && svg_html_point(lname))
                || (cur == Ns::Math && math_text_point(lname)))
                && !self_closing =>
            {
                self.0.push(Ns::Html)
            }
            b"font" if has(&["color", "size", "face"]) => self.leave(),
            b"annotation-xml"
                if cur == Ns::Math
                    && !self_closing
                    && attrs.iter().any(|(n, v)| {
                        n.eq_ignore_ascii_case("encoding")
                            && (v.eq_ignore_ascii_case("text/html")
                                || v.eq_ignore_ascii_case("application/xhtml+xml"))
                    }) =>
            {
                self.0.push(Ns::Html)
            }
            _ => {}
        }
        (self.foreign(), TextMode::Data)
    }

    /// An end tag (name lowercased).
    pub fn end(&mut self, lname: &[u8]) {
        let n = self.0.len();
        let cur = self.0[n - 1];
        let leave = if cur == Ns::Html {
            n >= 2 && {
                let prev = self.0[n - 2];
                (prev == Ns::Math && (math_text_point(lname) || lname == b"annotation-xml"))
                    || (prev == Ns::Svg && svg_html_point(lname))
            }
        } else {
            (cur == Ns::Svg && lname == b"svg")
                || (cur == Ns::Math && lname == b"math")
                || matches!(lname, b"p" | b"br")
        };
        if leave {
            self.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(html: &str, raw: &[(&[u8], TextMode)]) -> Vec<String> {
        let mut t = Tokenizer::new(html);
        let mut out = Vec::new();
        while let Some(tok) = t.next_token() {
            out.push(match tok {
                Token::Start { name, self_closing } => {
                    if let Some(&(n, m)) = raw.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                        t.set_mode(m, n);
                    }
                    let attrs: Vec<String> = t.attrs().iter().map(|(n, v)| format!("{n}={v}")).collect();
                    format!(
                        "<{}{}{}>",
                        String::from_utf8_lossy(name),
                        if self_closing { "/" } else { "" },
                        attrs.join(",")
                    )
                }
                Token::End { name } => format!("</{}>", String::from_utf8_lossy(name)),
                Token::Text { text, decode } => format!("{}{text}", if decode { "" } else { "raw:" }),
                Token::Other => "#".into(),
            });
        }
        out
    }

    #[test]
    fn tags_text_and_comments() {
        assert_eq!(
            all(
                "a < b <3 <P Class='x>y' id=z data-a = \"1\" hidden/>t<!-- c -- d --><br/ ><?x>u</ p></>v",
                &[]
            ),
            vec!["a < b <3 ", "<P/Class=x>y,id=z,data-a=1,hidden=>", "t", "#", "<br>", "#", "u", "#", "v"]
        );
        assert_eq!(
            all("<!doctype html><!---->a<!-->b<!--->c<!--x--!>d<![CDATA[e]]>", &[]),
            vec!["#", "#", "a", "#", "b", "#", "c", "#", "d", "#"]
        );
        // Cut-off tags and comments: no panic, no tag.
        for cut in ["<div class=\"a", "<div", "</di", "<!--x", "<", "</", "a<b c='", "<a =x>"] {
            let _ = all(cut, &[]);
        }
        assert_eq!(all("<a =x>", &[]), vec!["<a=x=>"]);
    }

    #[test]
    fn raw_text_ends_at_its_own_end_tag_only() {
        let modes: &[(&[u8], TextMode)] =
            &[(b"script", TextMode::Script), (b"style", TextMode::RawText), (b"title", TextMode::RcData)];
        assert_eq!(
            all(
                "<script>if (a<b) x='</p><p>'</scriptx></SCRIPT >t<style>p>a{}</style><title>&amp;<b></title>",
                modes
            ),
            vec![
                "<script>",
                "raw:if (a<b) x='</p><p>'</scriptx>",
                "</SCRIPT>",
                "t",
                "<style>",
                "raw:p>a{}",
                "</style>",
                "<title>",
                "&amp;<b>",
                "</title>"
            ]
        );
        // Escaped and double-escaped script data.
        assert_eq!(
            all("<script><!--<script>x</script>y--></script>z<script><!-- a </script>b", modes),
            vec![
                "<script>",
                "raw:<!--<script>x</script>y-->",
                "</script>",
                "z",
                "<script>",
                "raw:<!-- a ",
                "</script>",
                "b"
            ]
        );
        assert_eq!(all("<script><!-->x</script>", modes), vec!["<script>", "raw:<!-->x", "</script>"]);
        assert_eq!(all("<script>never closed <p>", modes), vec!["<script>", "raw:never closed <p>"]);
    }
}
