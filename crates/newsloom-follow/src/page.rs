//! A fetched page to a raw record: charset decoding (the header, the page's own `<meta>`, or
//! a guess when both are missing or wrong) and the feed's hints as metadata.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use newsloom_ingest::ItemError;
use newsloom_model::{InputFormat, RawRecord, content_id};
use serde_json::{Map, Value};
use url::Url;

use crate::feed::FeedItem;

/// Meta keys for the feed's title and date: hints the extractor uses only where the page itself
/// gives none (see [`crate::hints::FeedHintExtractor`]).
pub const META_FEED_TITLE: &str = "feed_title";
pub const META_FEED_DATE: &str = "feed_date";

/// What the source config says about its articles.
#[derive(Debug, Clone, Default)]
pub struct SourceHints {
    /// The followed URL (kept in meta `feed`).
    pub feed: String,
    pub name: Option<String>,
    pub lang: Option<String>,
}

/// Decodes page bytes to text. Valid UTF-8 is taken as UTF-8 whatever the page declares (a
/// page in a legacy charset is almost never valid UTF-8, while "charset=iso-8859-1" on UTF-8
/// pages is a common server default); otherwise the declared charset (header, then `<meta>`),
/// else windows-1252. Returns the text and a note when the declaration was missing or wrong.
pub fn decode_page(bytes: &[u8], header_charset: Option<&str>) -> (String, Option<String>) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), None);
    }
    let label = |l: &str| Encoding::for_label(l.trim().trim_matches(['"', '\'']).as_bytes());
    let declared = header_charset.and_then(label).or_else(|| meta_charset(bytes).and_then(|l| label(&l)));
    if let Ok(text) = std::str::from_utf8(bytes) {
        let note = match declared {
            Some(enc) if enc != UTF_8 && !bytes.is_ascii() => {
                Some(format!("page declared {} but is valid UTF-8; read as UTF-8", enc.name()))
            }
            _ => None,
        };
        return (text.to_string(), note);
    }
    match declared.filter(|e| *e != UTF_8) {
        Some(enc) => (enc.decode_without_bom_handling(bytes).0.into_owned(), None),
        None => {
            let note = match declared {
                Some(_) => "page declared UTF-8 but is not; read as windows-1252",
                None => "page declared no charset and is not UTF-8; read as windows-1252",
            };
            (WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), Some(note.to_string()))
        }
    }
}

/// The charset a page declares in its first 2 KB: `<meta charset=…>` or the http-equiv form.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Some(value).filter(|v| !v.is_empty())
}

/// A raw record for a fetched page. Its id is the content hash of the page bytes, so the same
/// page fetched twice (after a crash, say) is stored once.
pub fn page_record(
    item: &FeedItem,
    hints: &SourceHints,
    final_url: &Url,
    body: &[u8],
    charset: Option<&str>,
) -> Result<RawRecord, ItemError> {
    let origin = final_url.to_string();
    if body.trim_ascii().is_empty() {
        return Err(ItemError::new(origin, "empty", "the page is empty"));
    }
    let utf16 = matches!(Encoding::for_bom(body), Some((e, _)) if e != UTF_8);
    if !utf16 && let Err(reason) = newsloom_ingest::decode_text(body) {
        return Err(ItemError::new(origin, "binary file", reason));
    }
    let (text, note) = decode_page(body, charset);
    let mut meta = base_meta(item, hints);
    meta.insert("url".into(), Value::String(item.url.as_ref().unwrap_or(final_url).to_string()));
    if item.url.as_ref() != Some(final_url) {
        meta.insert("fetched_url".into(), Value::String(final_url.to_string()));
    }
    Ok(RawRecord {
        id: content_id(body),
        origin,
        format: if looks_html(&text) { InputFormat::Html } else { InputFormat::Text },
        content: text.replace('\0', ""),
        meta,
        warnings: note.into_iter().collect(),
    })
}

/// A raw record from the feed's own content, for an item whose page could not be fetched.
pub fn feed_content_record(item: &FeedItem, hints: &SourceHints, page_error: &str) -> Option<RawRecord> {
    let content = item.content.as_deref().filter(|c| c.trim().len() >= 80)?;
    let url = item.url.as_ref().map(Url::to_string).unwrap_or_else(|| item.key.clone());
    let mut meta = base_meta(item, hints);
    meta.insert("url".into(), Value::String(url.clone()));
    meta.insert("content_from".into(), Value::String("feed".into()));
    meta.insert("page_error".into(), Value::String(page_error.to_string()));
    Some(RawRecord {
        id: content_id(format!("feed\n{url}\n{content}").as_bytes()),
        origin: format!("{url} (feed content)"),
        format: if looks_html(content) { InputFormat::Html } else { InputFormat::Text },
        content: content.replace('\0', ""),
        meta,
        warnings: vec![format!("the page could not be fetched ({page_error}); the feed's content is used")],
    })
}

fn base_meta(item: &FeedItem, hints: &SourceHints) -> Map<String, Value> {
    let mut meta = Map::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
            meta.insert(k.to_string(), Value::String(v.to_string()));
        }
    };
    put("feed", Some(&hints.feed));
    put("source", hints.name.as_deref().or(item.publication.as_deref()));
    put("lang", hints.lang.as_deref().or(item.lang.as_deref()));
    put(META_FEED_TITLE, item.title.as_deref());
    put(META_FEED_DATE, item.date.as_deref());
    meta
}

fn looks_html(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_from_header_meta_or_guess() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_page(latin1, None).0.contains("café"));
        assert!(decode_page(latin1, Some("ISO-8859-1")).0.contains("café"));
        // The header says UTF-8, the bytes are Latin-1.
        let (text, note) = decode_page(b"<p>na\xefve caf\xe9</p>", Some("utf-8"));
        assert!(text.contains("naïve café"), "{text}");
        assert!(note.unwrap().contains("declared UTF-8"));
        // No declaration at all.
        let (text, note) = decode_page(b"<p>caf\xe9</p>", None);
        assert!(text.contains("café") && note.unwrap().contains("no charset"));
        // UTF-8 served as Latin-1.
        let (text, note) = decode_page("<p>café</p>".as_bytes(), Some("iso-8859-1"));
        assert!(text.contains("café") && note.is_some());
        let (text, note) = decode_page(b"\xEF\xBB\xBF<p>ok</p>", Some("iso-8859-1"));
        assert_eq!((text.as_str(), note), ("<p>ok</p>", None));
        let koi8 = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
        assert!(decode_page(koi8, None).0.contains("Привет"));
    }

    #[test]
    fn records_carry_hints_and_refuse_binary() {
        let item = FeedItem {
            key: "g1".into(),
            url: Some(Url::parse("http://n.test/a").unwrap()),
            title: Some("Feed title".into()),
            publication: Some("Sitemap Times".into()),
            ..Default::default()
        };
        let hints = SourceHints { feed: "http://n.test/rss".into(), name: None, lang: Some("en".into()) };
        let fin = Url::parse("http://n.test/a?r=1").unwrap();
        let r = page_record(&item, &hints, &fin, b"<html><p>Text</p></html>", None).unwrap();
        assert_eq!(r.format, InputFormat::Html);
        assert_eq!(r.meta_str("source"), Some("Sitemap Times"));
        assert_eq!(r.meta_str("url"), Some("http://n.test/a"));
        assert_eq!(r.meta_str("fetched_url"), Some("http://n.test/a?r=1"));
        assert_eq!(r.meta_str(META_FEED_TITLE), Some("Feed title"));
        assert!(r.meta_str("title").is_none(), "the feed title is a hint, not a given title");
        assert_eq!(r.id, content_id(b"<html><p>Text</p></html>"));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
        assert_eq!(page_record(&item, &hints, &fin, png, None).unwrap_err().kind, "binary file");
        assert_eq!(page_record(&item, &hints, &fin, b"  \n", None).unwrap_err().kind, "empty");
        assert!(feed_content_record(&item, &hints, "gone").is_none(), "no content in the feed");
    }
}
