//! The HTTP response inside a WARC `response` record: status and headers (httparse), then the
//! body with its transfer coding and content coding undone (chunked; gzip, deflate, br, each
//! cut at a size cap so a compression bomb costs no more than the cap) and its charset decoded
//! to UTF-8 (encoding_rs; see [`decode_charset`]).

use std::io::Read;

use encoding_rs::Encoding;

/// A parsed HTTP response head and where its body starts in the block.
#[derive(Debug)]
pub struct HttpHead {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body_start: usize,
}

impl HttpHead {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Parses the status line and headers at the start of `block`.
pub fn parse_head(block: &[u8]) -> Result<HttpHead, String> {
    let mut capacity = 64;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; capacity];
        let mut response = httparse::Response::new(&mut headers);
        // Real servers send odd headers; be as lenient as httparse allows.
        let mut config = httparse::ParserConfig::default();
        config
            .allow_spaces_after_header_name_in_responses(true)
            .allow_obsolete_multiline_headers_in_responses(true)
            .allow_multiple_spaces_in_response_status_delimiters(true)
            .ignore_invalid_headers_in_responses(true);
        return match config.parse_response(&mut response, block) {
            Ok(httparse::Status::Complete(body_start)) => Ok(HttpHead {
                status: response.code.unwrap_or(0),
                headers: response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).trim().to_string()))
                    .collect(),
                body_start,
            }),
            Ok(httparse::Status::Partial) => Err("HTTP headers end before their blank line".into()),
            Err(httparse::Error::TooManyHeaders) if capacity < 1024 => {
                capacity *= 4;
                continue;
            }
            Err(e) => Err(format!("garbage HTTP headers ({e})")),
        };
    }
}

/// Undoes `Transfer-Encoding: chunked`. Crawlers sometimes store the body de-chunked but keep
/// the header, so a body that does not start with a chunk size is returned as it is.
pub fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        match httparse::parse_chunk_size(rest) {
            Ok(httparse::Status::Complete((used, 0))) => {
                let _ = used;
                return Ok(out);
            }
            Ok(httparse::Status::Complete((used, size))) => {
                let data = &rest[used..];
                let size = size as usize;
                if data.len() < size {
                    // The last chunk is cut short: keep what there is.
                    out.extend_from_slice(data);
                    return Ok(out);
                }
                out.extend_from_slice(&data[..size]);
                rest = data[size..].strip_prefix(b"\r\n").unwrap_or(&data[size..]);
            }
            Ok(httparse::Status::Partial) => return Ok(out),
            Err(_) if out.is_empty() => return Ok(body.to_vec()),
            Err(_) => return Err("malformed chunked transfer encoding".into()),
        }
    }
}

/// Why a body could not be decoded.
pub enum DecodeError {
    TooLarge,
    Corrupt(String),
}

/// Undoes the `Content-Encoding` (gzip, deflate, br, identity), reading at most `cap` bytes
/// of output.
pub fn decode_content(coding: Option<&str>, body: Vec<u8>, cap: usize) -> Result<Vec<u8>, DecodeError> {
    let coding = coding.unwrap_or("").trim().to_ascii_lowercase();
    let read_capped = |mut r: Box<dyn Read + '_>| -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        (&mut r)
            .take(cap as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| DecodeError::Corrupt(e.to_string()))?;
        if out.len() > cap { Err(DecodeError::TooLarge) } else { Ok(out) }
    };
    match coding.as_str() {
        "" | "identity" | "none" => {
            if body.len() > cap {
                Err(DecodeError::TooLarge)
            } else {
                Ok(body)
            }
        }
        "gzip" | "x-gzip" => read_capped(Box::new(flate2::read::MultiGzDecoder::new(&body[..]))),
        // `deflate` is meant to be zlib-wrapped, but some servers send a raw deflate stream.
        "deflate" => read_capped(Box::new(flate2::read::ZlibDecoder::new(&body[..])))
            .or_else(|_| read_capped(Box::new(flate2::read::DeflateDecoder::new(&body[..])))),
        "br" => read_capped(Box::new(brotli_decompressor::Decompressor::new(&body[..], 8192))),
        other => Err(DecodeError::Corrupt(format!("unsupported Content-Encoding {other:?}"))),
    }
}

/// Whether a `Content-Type` names an HTML page.
pub fn is_html_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media == "text/html" || media == "application/xhtml+xml"
}

/// Whether a body with no `Content-Type` looks like HTML.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).trim_ascii_start();
    let lower = head.to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") || lower.starts_with(b"<head")
}

/// The body as UTF-8. Bytes that are valid UTF-8 are taken as UTF-8 whatever is declared
/// (servers and pages often claim latin-1 for UTF-8 text, while text in a legacy charset is
/// almost never valid UTF-8); otherwise the charset the response declares, else a BOM, else
/// the page's own `<meta charset>`, else windows-1252 (the web's default).
/// Returns the text and a warning when bytes had to be replaced.
pub fn decode_charset(content_type: Option<&str>, body: &[u8]) -> (String, Option<String>) {
    let declared = content_type.and_then(charset_param).and_then(|l| Encoding::for_label(l.as_bytes()));
    // A UTF-16 BOM is not valid UTF-8, so it still decides below.
    let utf8 = std::str::from_utf8(body).is_ok().then_some(encoding_rs::UTF_8);
    let encoding = utf8
        .or(declared)
        .or_else(|| Encoding::for_bom(body).map(|(e, _)| e))
        .or_else(|| meta_charset(body))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, used, had_errors) = encoding.decode(body);
    let warning = had_errors.then(|| format!("invalid {} bytes replaced with U+FFFD", used.name()));
    (text.replace('\0', ""), warning)
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// A `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in the first 1024 bytes
/// (where HTML requires it to be).
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let tag_start = from + i;
        let tag_end = head[tag_start..].find('>').map_or(head.len(), |j| tag_start + j);
        let tag = &head[tag_start..tag_end];
        if let Some(j) = tag.find("charset=") {
            let value = tag[j + 8..].trim_start_matches(['"', '\'', ' ']);
            let label: String =
                value.chars().take_while(|c| c.is_ascii_alphanumeric() || "-_:.".contains(*c)).collect();
            if let Some(e) = Encoding::for_label(label.as_bytes()) {
                // A page that says UTF-16 in ASCII is not UTF-16 (HTML's rule).
                return Some(if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    e
                });
            }
        }
        from = tag_end;
    }
    None
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn head_status_and_headers() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nX: y\r\n\r\n<p>body";
        let head = parse_head(block).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.get("content-type"), Some("text/html; charset=ISO-8859-1"));
        assert_eq!(&block[head.body_start..], b"<p>body");
        assert!(parse_head(b"\x00\x01garbage\r\n\r\n").unwrap_err().contains("garbage"));
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").unwrap(), b"hello world");
        assert_eq!(dechunk(b"<html>already plain").unwrap(), b"<html>already plain");
    }

    #[test]
    fn content_codings_are_undone_within_the_cap() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&vec![b'a'; 10_000]).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(decode_content(Some("gzip"), gz.clone(), 20_000).ok().unwrap().len(), 10_000);
        assert!(matches!(decode_content(Some("gzip"), gz, 1000), Err(DecodeError::TooLarge)));
        let mut br = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
        br.write_all(b"<p>brotli</p>").unwrap();
        let br = br.into_inner();
        assert_eq!(decode_content(Some("br"), br, 100).ok().unwrap(), b"<p>brotli</p>");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"zlib").unwrap();
        assert_eq!(decode_content(Some("deflate"), z.finish().unwrap(), 100).ok().unwrap(), b"zlib");
        assert!(matches!(
            decode_content(Some("gzip"), b"not gzip".to_vec(), 100),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn charsets_from_header_meta_bom_or_guess() {
        let (t, w) = decode_charset(Some("text/html; charset=windows-1251"), b"\xcf\xf0\xe8\xe2\xe5\xf2");
        assert_eq!((t.as_str(), w), ("Привет", None));
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_charset(Some("text/html"), page).0.contains("café"));
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">\xcf";
        assert!(decode_charset(None, equiv).0.ends_with('П'));
        assert_eq!(decode_charset(None, b"caf\xe9").0, "café");
        assert_eq!(decode_charset(None, "ünïcode".as_bytes()).0, "ünïcode");
        // Declared latin-1, but the bytes are UTF-8: no mojibake.
        assert_eq!(decode_charset(Some("text/html; charset=iso-8859-1"), "Grüße".as_bytes()).0, "Grüße");
    }
}
