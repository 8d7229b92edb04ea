//! Bad input: deep nesting, huge pages, NUL bytes, no text, wrong charsets, malformed markup.
//! Every case must finish quickly with an article or a clear error, never a panic.

use std::time::{Duration, Instant};

use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{Article, InputFormat, RawRecord};

fn raw(format: InputFormat, content: String) -> RawRecord {
    RawRecord {
        id: "t".into(),
        origin: "test".into(),
        format,
        content,
        meta: Default::default(),
        warnings: vec![],
    }
}

/// A guard against hangs and quadratic blow-ups (which would take hours on these inputs), not a
/// speed target: generous, so that a loaded machine cannot fail it. Speed is measured by the
/// benchmarks.
const HANG_GUARD: Duration = Duration::from_secs(120);

fn run(format: InputFormat, content: String) -> (Result<Article, String>, Duration) {
    let t = Instant::now();
    let out = NewsExtractor::new().extract(&raw(format, content)).map_err(|e| e.0);
    (out, t.elapsed())
}

const PARA: &str =
    "<p>The council met on Monday and agreed, after a long debate, to rebuild the old bridge.</p>";

#[test]
fn hundred_thousand_levels_of_nesting() {
    let html = format!("{}{PARA}{PARA}{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let (out, took) = run(InputFormat::Html, html);
    assert!(took < HANG_GUARD, "took {took:?}");
    assert!(out.unwrap().body.contains("rebuild the old bridge"));
}

#[test]
fn fragments_and_deep_inline_nesting() {
    let a = run(InputFormat::Html, PARA.repeat(2)).0.unwrap();
    assert!(a.body.contains("old bridge"), "a bare fragment has a body");
    let html = format!("{}{PARA}{PARA}{}", "<span>".repeat(20_000), "</span>".repeat(20_000));
    assert!(run(InputFormat::Html, html).0.unwrap().body.contains("old bridge"));
}

#[test]
fn fifty_megabyte_page_is_cut_with_a_warning() {
    let mut html = String::from("<html><body><article>");
    html.push_str(&PARA.repeat(5));
    html.push_str("</article><div>");
    while html.len() < 50 << 20 {
        html.push_str("<!-- filler filler filler filler filler filler filler filler filler -->");
    }
    let (out, took) = run(InputFormat::Html, html);
    assert!(took < HANG_GUARD, "took {took:?}");
    let a = out.unwrap();
    assert!(a.body.contains("old bridge"));
    assert!(a.warnings.iter().any(|w| w.contains("truncated")), "{:?}", a.warnings);
}

#[test]
fn nul_bytes_are_dropped() {
    let html = format!("<html><body>{}</body></html>", PARA.replace("council", "coun\0cil").repeat(3));
    let a = run(InputFormat::Html, html).0.unwrap();
    assert!(!a.body.contains('\0') && a.body.contains("council"));
    let text = (1..4).fold(String::from("Title of the piece here\n"), |s, i| {
        s + &format!("Body line {i} has a NUL\0 byte in it, as scraped text sometimes does.\n")
    });
    let a = run(InputFormat::Text, text).0.unwrap();
    assert!(!a.body.contains('\0'));
}

#[test]
fn pages_without_text_give_a_reason() {
    let err =
        run(InputFormat::Html, "<html><body><img src=a.png><script>var x=1;</script></body></html>".into())
            .0
            .unwrap_err();
    assert!(err.contains("no article text"), "{err}");
    let err = run(InputFormat::Html, String::new()).0.unwrap_err();
    assert!(err.contains("empty"), "{err}");
    let err = run(InputFormat::Text, "   \n\n  ".into()).0.unwrap_err();
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn malformed_markup_does_not_panic() {
    for html in [
        "<div><p>unclosed <b>bold <table><td>cell</div></p></b></td></tr>",
        "</p></div></body></html><p>",
        "<<<>>><p <p <p>>>",
        "<svg><p>in svg</svg><math><mi>x</math><template><p>t</p></template>",
        "<a href='x'><div><a><p>nested links</a></div></a>",
        "<script>never closed",
        "<title>only a title",
        "&amp;&#0;&#x110000;&bogus;&#99999999999;",
    ] {
        let _ = run(InputFormat::Html, html.to_string());
    }
}

#[test]
fn wrong_or_missing_charset_still_decodes() {
    use newsloom_extract::eval::decode_html_bytes;
    // Declared UTF-8 with one stray Latin-1 byte: UTF-8, the byte replaced, with a warning.
    let (s, w) = decode_html_bytes(
        "<meta charset=utf-8><p>Mäscot caf\u{e9}"
            .as_bytes()
            .iter()
            .copied()
            .chain(*b"\xe9</p>")
            .collect::<Vec<u8>>()
            .as_slice(),
    );
    assert!(s.contains("Mäscot") && w.is_some());
    // Declared UTF-8 (an archive wrapper) then GB2312, and GB2312 bytes: the real charset wins.
    let mut page = b"<meta charset=utf-8><meta charset=gb2312><p>".to_vec();
    page.extend(std::iter::repeat_n(&[0xbbu8, 0xb0, 0xbe, 0xe7][..], 10).flatten());
    let (s, _) = decode_html_bytes(&page);
    assert!(s.contains("话剧"), "{s}");
    // An unknown label is ignored; Latin-1 text falls back to windows-1252.
    let latin = b"<meta charset=klingon><p>na\xefve \xc4rger \xe9t\xe9 \xfcber</p>";
    let (s, _) = decode_html_bytes(latin);
    assert!(s.contains("naïve") && s.contains("Ärger"), "{s}");
}

#[test]
fn one_enormous_text_line() {
    let line = "word ".repeat(2_000_000);
    let (out, took) = run(InputFormat::Text, format!("A Title For The Text\n{line}."));
    assert!(took < HANG_GUARD, "took {took:?}");
    assert!(out.is_ok());
}

#[test]
fn hundred_thousand_levels_of_tables_lists_and_formatting() {
    // Tables, lists and unclosed formatting elements take other tree-building paths than divs;
    // one page mixes them, 100,000 levels in all.
    let open = "<table><tr><td><ul><li><b>".repeat(20_000);
    let html = format!("{open}{PARA}{PARA}{}", "</b></li></ul></td></tr></table>".repeat(20_000));
    let (out, took) = run(InputFormat::Html, html);
    assert!(took < HANG_GUARD, "took {took:?}");
    assert!(out.unwrap().body.contains("old bridge"));
}

#[test]
fn node_count_is_capped_on_a_flood_of_elements() {
    use newsloom_extract::html::dom;
    let html = format!("<body>{PARA}{}</body>", "<p>x</p>".repeat(200_000));
    let t = Instant::now();
    let d = dom::parse(&html);
    assert!(d.nodes.len() <= dom::MAX_NODES + 1, "{}", d.nodes.len());
    assert!(t.elapsed() < HANG_GUARD);
}

#[test]
fn fifty_megabyte_text_is_extracted_in_bounded_time() {
    let mut text = String::from("A Title For The Piece\n");
    let mut i = 0;
    while text.len() < 50 << 20 {
        i += 1;
        text.push_str(&format!(
            "The council met on Monday, day {i}, and agreed after a debate to rebuild it.\n"
        ));
    }
    let (out, took) = run(InputFormat::Text, text);
    assert!(took < HANG_GUARD, "took {took:?}");
    let a = out.unwrap();
    assert!(a.body.len() <= newsloom_extract::MAX_TEXT_BYTES, "{}", a.body.len());
    assert!(a.warnings.iter().any(|w| w.contains("truncated")), "{:?}", a.warnings);
}

#[test]
fn declared_charset_that_lies_and_nul_only_pages() {
    use newsloom_extract::eval::decode_html_bytes;
    // Declares Latin-1 but is valid UTF-8: the bytes win, no mojibake.
    let (s, _) = decode_html_bytes("<meta charset=iso-8859-1><p>Grüße aus Köln</p>".as_bytes());
    assert!(s.contains("Grüße aus Köln"), "{s}");
    // Only NUL bytes, in both formats: a clear error, no panic.
    let err = run(InputFormat::Html, "\0".repeat(10_000)).0.unwrap_err();
    assert!(!err.is_empty());
    let err = run(InputFormat::Text, "\0\n".repeat(10_000)).0.unwrap_err();
    assert!(!err.is_empty());
}

#[test]
fn fifty_thousand_repeated_boxes_stay_linear() {
    // Every box matches the best one's structure, so all become content roots.
    let boxes =
        "<div class=\"post\"><div class=\"body\"><p>The council met on Monday and agreed, after a long \
                 debate, to rebuild the old bridge over the river.</p></div></div>"
            .repeat(50_000);
    let html = format!("<html><body><main><div class=\"thread\">{boxes}</div></main></body></html>");
    let (out, took) = run(InputFormat::Html, html);
    assert!(took < HANG_GUARD, "took {took:?}");
    assert!(out.unwrap().body.contains("old bridge"));
}
