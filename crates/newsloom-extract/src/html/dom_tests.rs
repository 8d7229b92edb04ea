//! Tests of [`super`] (the DOM builder), kept apart to keep `dom.rs` short.
use super::*;

fn texts(dom: &Dom) -> Vec<(Tag, String)> {
    (0..dom.nodes.len())
        .filter(|&i| dom.nodes[i].tag == Tag::Text)
        .map(|i| (dom.nodes[dom.nodes[i].parent as usize].tag, dom.text(i).to_string()))
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
    // Labels as `rsplit('.')` gives them, empty ones skipped.
    let fnv = |host: &str| {
        let mut h = FNV_OFFSET;
        for label in host.as_bytes().rsplit(|&b| b == b'.').filter(|l| !l.is_empty()).take(2) {
            for &b in label.iter().chain(b".") {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
            }
        }
        h.max(2)
    };
    for host in ["", ".", "..", "a", "a.", ".a", "a..b", "x.y.z.", "X.Y..Z", "news.Example.co.uk", "..com.."]
    {
        assert_eq!(site_hash(&format!("https://{host}/p")), fnv(host), "{host:?}");
    }
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
fn tags_and_attributes_are_read_from_the_page_bytes_in_any_case() {
    let dom = parse(
        "<DIV CLASS=\"Main  Body\" Id=X&amp;1 hidden data-very-long-name=\"x\"><P ItemProp='articleBody' \
         STYLE='Display: None'>t</P><A HREF=\"https://www.Example.com/a\" Rel=Author>l</A>\
         <Blockquotes class=q>b</Blockquotes><script TYPE=\"Application/LD+JSON\">{}</script>\
         <span>plain</span><TIME datetime=\"2020-01-02\">d</TIME><p>a,b\u{ad}c，d &lt;e&gt;",
    );
    let by = |t: Tag| dom.nodes.iter().find(|n| n.tag == t).map(|n| &n.attrs).unwrap();
    let div = by(Tag::Div);
    assert_eq!(div.class_id, "main  body x&amp;1");
    assert!(div.hidden);
    let p = by(Tag::P);
    assert_eq!(p.itemprop(), Some("articlebody"));
    assert!(p.hidden);
    let a = by(Tag::A);
    assert_eq!((a.href, a.rel()), (site_hash("https://example.com"), Some("author")));
    assert_eq!(by(Tag::Other).class_id, "q");
    assert_eq!(by(Tag::Time).datetime(), Some("2020-01-02"));
    assert_eq!(dom.jsonld, vec!["{}".to_string()]);
    // A bare <span> gets no node; the last paragraph is decoded and measured.
    assert!(dom.nodes.iter().all(|n| n.tag != Tag::Span));
    let last = (0..dom.nodes.len()).rfind(|&i| dom.nodes[i].tag == Tag::Text).unwrap();
    assert_eq!(dom.text(last), "a,bc，d <e>");
    assert_eq!((dom.nodes[last].len, dom.nodes[last].commas), (11, 2));
}

#[test]
fn merged_text_is_measured_as_a_whole() {
    for (a, b) in [("one ", "two"), ("one", " two"), ("one", "two"), ("", "x y"), ("a,", "，b ")] {
        let (l1, c1) = measure(a);
        let (l2, c2) = measure_after(b, a.as_bytes().last().is_none_or(u8::is_ascii_whitespace));
        assert_eq!((l1 + l2, c1 + c2), measure(&format!("{a}{b}")), "{a:?} + {b:?}");
    }
    let dom = parse("<p>one <b>two</b>, three</p>");
    let t = (0..dom.nodes.len()).find(|&i| dom.nodes[i].tag == Tag::Text).unwrap();
    let n = &dom.nodes[t];
    assert_eq!((dom.text(t), n.len, n.commas), ("one two, three", measure("one two, three").0, 1));
}

#[test]
fn deep_nesting_is_capped() {
    let html = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
    let dom = parse(&html);
    assert!(dom.nodes.len() <= MAX_DEPTH + 2);
    assert_eq!(texts(&dom).last().map(|t| t.1.as_str()), Some("deep text"));
}

#[test]
fn raw_text_and_foreign_content_follow_html5() {
    // Tags inside script strings, styles and comments are not elements; `</script` ends a
    // script in any case; a <title> inside SVG is HTML again, so its <script> is raw text.
    let dom = parse(
        "<script>document.write('<p>no</p>'); if (a<b) {}</SCRIPT ><style>p>a{}</style><!-- <p>no</p> -->\
         <svg><title>icon<script>x = '</title><p>';</script></title><path d='M0'/></svg><p>yes &amp; <b>bold</b></p>\
         <textarea><p>typed</p></textarea>",
    );
    assert_eq!(
        texts(&dom),
        vec![(Tag::P, "yes & bold".to_string()), (Tag::Textarea, "<p>typed</p>".to_string())]
    );
}

#[test]
fn stray_end_tags_cost_no_scan_of_open_elements() {
    // 100,000 unclosed inline elements, then 100,000 end tags of an element that is not open:
    // quadratic if each end tag searched the open elements.
    let html = "<b>".repeat(100_000) + "text" + &"</i>".repeat(100_000) + "<p>after";
    let start = std::time::Instant::now();
    let dom = parse(&html);
    assert_eq!(texts(&dom).last().map(|t| t.1.as_str()), Some("after"));
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn end_tags_close_implicitly_open_children() {
    // </div> closes the unclosed <p> inside it: the next <p> is the <div>'s sibling.
    let dom = parse("<div class=a><p>one</div><p>two</p>");
    let div = dom.nodes.iter().position(|n| n.tag == Tag::Div).unwrap();
    let ps: Vec<_> = dom.nodes.iter().filter(|n| n.tag == Tag::P).map(|n| n.parent as usize).collect();
    assert_eq!(ps, vec![div, 0]);
}

#[test]
fn measuring_eight_bytes_at_a_time_counts_as_byte_by_byte() {
    // Every split point and start state over texts mixing ASCII words, all control bytes
    // (\x0B is no whitespace here), commas and multibyte chars (CJK and Arabic commas).
    let mut texts: Vec<String> = vec![
        "a, b,c  d\te\nf\x0Cg\rh\x0Bi".into(),
        "  lead  and trail   ".into(),
        "中文，逗号、和 ، عربي, mixed  text with    gaps".into(),
    ];
    texts.push((0u8..0x80).map(char::from).collect());
    texts.push(texts.concat());
    for t in &texts {
        for start in 0..t.len() {
            if !t.is_char_boundary(start) {
                continue;
            }
            for in_ws in [false, true] {
                let s = &t[start..];
                let (mut len, mut commas, mut ws) = (0, 0, in_ws);
                for i in 0..s.len() {
                    measure_byte(s.as_bytes(), i, &mut ws, &mut len, &mut commas);
                }
                assert_eq!(measure_after(s, in_ws), (len, commas), "{s:?} {in_ws}");
            }
        }
    }
}

#[test]
fn inline_styles_hide_as_when_lowercased_without_spaces() {
    let reference = |s: &str| {
        let v = s.to_lowercase().replace(' ', "");
        v.contains("display:none") || v.contains("visibility:hidden")
    };
    let long = format!("{}display: none", "color:red;".repeat(60));
    for s in [
        "display:none",
        "DISPLAY : NONE",
        "Visibility: Hidden;x",
        "display:\tnone",
        "display:nonE",
        "displ ay:none",
        "visibility:visible",
        "dİsplay:none",
        "\u{212A}display:none",
        "",
        long.as_str(),
    ] {
        assert_eq!(style_hides(s), reference(s), "{s:?}");
    }
}

#[test]
fn format_chars_are_found_by_their_bytes() {
    // Every char alone, between ASCII and after a multi-byte char: the byte scan agrees with a
    // test per char.
    let invisible =
        |c: char| matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}');
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        for s in [c.to_string(), format!("ab{c}d"), format!("é{c}\u{2019}")] {
            assert_eq!(has_format_char(s.as_bytes()), s.contains(invisible), "{s:?}");
            let decodes = s.contains(['&', '\0']) || s.contains(invisible);
            assert_eq!(needs_decode(&s), decodes, "{s:?}");
        }
    }
    assert_eq!(decode("a\u{ad}b&amp;\u{feff}c\0"), "ab&c");
    assert_eq!(decode("plain é"), "plain é");
}
