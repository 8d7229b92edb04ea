//! A fetched body as text for a `RawRecord`: decoded with the charset the server declared when
//! the bytes are not UTF-8, and otherwise by newsloom-ingest's decoder (binary detection, BOM,
//! lossy UTF-8 with a warning), so fetched pages and files on disk are decoded alike.

use crate::client::FetchResponse;

impl FetchResponse {
    /// The body as UTF-8 text plus a warning when bytes had to be replaced, or `Err(reason)` for
    /// content that is not text (the same rule as `newsloom ingest`).
    ///
    /// A declared non-UTF-8 charset (`Content-Type: text/html; charset=iso-8859-1`) is used only
    /// when the body is not valid UTF-8: servers often declare Latin-1 by default for pages that
    /// are really UTF-8, while Latin-1 text that happens to be valid UTF-8 is vanishingly rare.
    pub fn text(&self) -> Result<(String, Option<String>), String> {
        let declared =
            self.charset.as_deref().and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
        let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) else {
            return newsloom_ingest::decode_text(&self.body);
        };
        if std::str::from_utf8(&self.body).is_ok() {
            return newsloom_ingest::decode_text(&self.body);
        }
        // UTF-16 is full of NULs by nature; everything else is checked for binary content first.
        if encoding != encoding_rs::UTF_16LE && encoding != encoding_rs::UTF_16BE {
            newsloom_ingest::decode_text(&self.body)?;
        }
        let (text, used, had_errors) = encoding.decode(&self.body);
        let warning = had_errors.then(|| format!("malformed {} sequences replaced with U+FFFD", used.name()));
        Ok((text.replace('\0', ""), warning))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use url::Url;

    fn response(charset: Option<&str>, body: &'static [u8]) -> FetchResponse {
        FetchResponse {
            final_url: Url::parse("http://example.com/").unwrap(),
            status: 200,
            not_modified: false,
            body: Bytes::from_static(body),
            content_type: None,
            charset: charset.map(str::to_string),
            etag: None,
            last_modified: None,
            date: None,
            attempts: 1,
            redirects: 0,
        }
    }

    #[test]
    fn declared_charsets_are_used_when_the_bytes_are_not_utf8() {
        let (text, warning) = response(Some("iso-8859-1"), b"caf\xe9 na\xefve").text().unwrap();
        assert_eq!((text.as_str(), warning), ("café naïve", None));
        let (text, _) = response(Some("windows-1251"), b"\xcc\xee\xf1\xea\xe2\xe0").text().unwrap();
        assert_eq!(text, "Москва");
        // Declared Latin-1, really UTF-8: the bytes win.
        let (text, warning) = response(Some("iso-8859-1"), "café".as_bytes()).text().unwrap();
        assert_eq!((text.as_str(), warning), ("café", None));
    }

    #[test]
    fn undeclared_or_unknown_charsets_use_the_ingest_decoder() {
        let (text, warning) = response(None, b"caf\xe9").text().unwrap();
        assert_eq!(text, "caf\u{FFFD}");
        assert!(warning.unwrap().contains("invalid UTF-8"));
        let (text, _) = response(Some("no-such-charset"), b"plain").text().unwrap();
        assert_eq!(text, "plain");
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0";
        assert!(response(Some("iso-8859-1"), png).text().unwrap_err().contains("binary"));
    }
}
