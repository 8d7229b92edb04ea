//! One JSONL line to one raw record.

use newsloom_model::{InputFormat, RawRecord, content_id};
use serde_json::{Map, Value};

use crate::ItemError;

/// Field names accepted for the article content, in order of preference. HTML wins over text
/// because the extractor gets more structure from it.
const HTML_FIELDS: &[&str] = &["html", "raw_html", "content_html"];
const TEXT_FIELDS: &[&str] = &["text", "body", "content", "maintext"];
/// Aliases folded onto the canonical metadata names the extractor reads.
const ALIASES: &[(&str, &str)] = &[
    ("language", "lang"),
    ("published", "date"),
    ("date_publish", "date"),
    ("headline", "title"),
    ("outlet", "source"),
    ("domain", "source"),
];

/// Parses one JSONL line (`origin` is `file:line`) into a raw record. All fields other than
/// the content are kept in `meta`, unknown ones included.
pub fn parse_jsonl_line(line: &[u8], origin: &str) -> Result<RawRecord, ItemError> {
    let value: Value = serde_json::from_slice(line)
        .map_err(|e| ItemError::new(origin, "malformed JSON", format!("malformed JSON: {e}")))?;
    let Value::Object(mut meta) = value else {
        return Err(ItemError::new(origin, "malformed JSON", "expected a JSON object per line"));
    };
    let take = |meta: &mut Map<String, Value>, names: &[&str]| {
        names.iter().find_map(|n| match meta.remove(*n) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
            Some(other) => {
                meta.insert(n.to_string(), other);
                None
            }
            None => None,
        })
    };
    let (format, content) = if let Some(html) = take(&mut meta, HTML_FIELDS) {
        (InputFormat::Html, html)
    } else if let Some(text) = take(&mut meta, TEXT_FIELDS) {
        (InputFormat::Text, text)
    } else {
        return Err(ItemError::new(origin, "no content", "no non-empty text or html field"));
    };
    for (alias, name) in ALIASES {
        if !meta.contains_key(*name)
            && let Some(v) = meta.remove(*alias)
        {
            meta.insert(name.to_string(), v);
        }
    }
    let content = content.replace('\0', "");
    Ok(RawRecord {
        id: content_id(line),
        origin: origin.to_string(),
        format,
        content,
        meta,
        warnings: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_fields_and_prefers_html() {
        let line = br#"{"url":"https://x/a","html":"<p>Hi</p>","text":"Hi","language":"en","tags":["a"]}"#;
        let r = parse_jsonl_line(line, "f:1").unwrap();
        assert_eq!(r.format, InputFormat::Html);
        assert_eq!(r.content, "<p>Hi</p>");
        assert_eq!(r.meta_str("lang"), Some("en"));
        assert_eq!(r.meta["tags"], serde_json::json!(["a"]));
        assert_eq!(r.meta_str("text"), Some("Hi"), "the unused text field is kept");
    }

    #[test]
    fn reports_why_a_line_is_bad() {
        let e = parse_jsonl_line(b"{\"title\": ", "f:3").unwrap_err();
        assert_eq!((e.origin.as_str(), e.kind), ("f:3", "malformed JSON"));
        assert_eq!(parse_jsonl_line(b"[1,2]", "f:4").unwrap_err().kind, "malformed JSON");
        assert_eq!(parse_jsonl_line(br#"{"title":"x","text":"  "}"#, "f:5").unwrap_err().kind, "no content");
    }
}
