//! Bytes to text: binary detection, lossy UTF-8 with a recorded warning, seed headers.

use serde_json::{Map, Value};

/// Decodes an item's bytes as UTF-8 text.
///
/// Returns `Err(reason)` for content that is not text (NUL-heavy binary data), and otherwise the
/// text plus a warning when invalid UTF-8 had to be replaced.
pub fn decode_text(bytes: &[u8]) -> Result<(String, Option<String>), String> {
    let head = &bytes[..bytes.len().min(8192)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    // A stray NUL occurs in scraped text; many of them mean an image, archive or executable.
    if nuls > 8 || (nuls > 0 && nuls * 100 > head.len()) {
        return Err(format!("binary content ({nuls} NUL bytes in the first {} bytes)", head.len()));
    }
    // A UTF-8 BOM is an encoding marker, not text.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.replace('\0', ""), None)),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).replace('\0', "");
            Ok((text, Some(format!("invalid UTF-8 from byte {} replaced with U+FFFD", e.valid_up_to()))))
        }
    }
}

/// Strips the optional first line of a scraped-text file, ` date YYYY-MM-DD Section`, and
/// returns the metadata it carried (`date`, `section`).
pub fn parse_seed_header(text: &str) -> (&str, Map<String, Value>) {
    let mut meta = Map::new();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Some(spec) = first.trim().strip_prefix("date ") else {
        return (text, meta);
    };
    let mut parts = spec.trim().splitn(2, char::is_whitespace);
    let date = parts.next().unwrap_or("");
    if newsloom_model::PublishedDate::parse_iso(date, "input").is_none() {
        return (text, meta);
    }
    meta.insert("date".into(), Value::String(date.to_string()));
    if let Some(section) = parts.next().map(str::trim).filter(|s| !s.is_empty()) {
        meta.insert("section".into(), Value::String(section.to_string()));
    }
    (rest, meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_is_rejected_and_invalid_utf8_is_recorded() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
        assert!(decode_text(png).unwrap_err().contains("binary"));
        let (text, warning) = decode_text(b"caf\xe9 au lait").unwrap();
        assert_eq!(text, "caf\u{FFFD} au lait");
        assert!(warning.unwrap().contains("byte 3"));
        let (text, warning) = decode_text("\u{feff}plain".as_bytes()).unwrap();
        assert_eq!((text.as_str(), warning), ("plain", None));
    }

    #[test]
    fn seed_header_becomes_metadata() {
        let (rest, meta) = parse_seed_header(" date 2017-01-04 Russia\nTitle\nBody");
        assert_eq!(rest, "Title\nBody");
        assert_eq!(meta["date"], "2017-01-04");
        assert_eq!(meta["section"], "Russia");
        let (rest, meta) = parse_seed_header("date night in Paris\nBody");
        assert_eq!(rest, "date night in Paris\nBody");
        assert!(meta.is_empty());
    }
}
