//! WARC archives (ISO 28500; WARC/1.0 and 1.1): each HTML page captured in a `response` (or
//! `resource`) record becomes one raw record, with its target URI as the article URL, the
//! URI's host as the outlet when the page names none, and the capture date as a date hint.
//!
//! Plain `.warc`, per-record gzip (each record its own gzip member, as Common Crawl's CC-NEWS
//! ships it) and whole-file gzip are told apart by the gzip magic bytes, not the name.
//!
//! Why not the `warc` crate (0.4): it decodes gzip with one multi-member decoder, so a single
//! corrupt member ends the whole file, and it has no resynchronisation after a damaged record;
//! it would also pull in nom, chrono, libflate and uuid 0.8. The format is small, so this is a
//! streaming reader of its own over flate2 (per-member decoding, [`gzip_members`]), httparse
//! for the HTTP head, brotli-decompressor and encoding_rs for the body.
//!
//! Reading runs on its own thread and hands records over through a bounded channel, so
//! decompression and HTTP decoding overlap with extraction in the pipeline while memory stays
//! bounded (a few records in the channel, one block of at most the per-item cap being read).

mod gzip_members;
mod http;
mod record;

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};

use newsloom_model::{InputFormat, RawRecord, content_id};
use serde_json::{Map, Value};

use self::gzip_members::GzMembers;
use self::record::{MemberSource, Plain, RecordPos, Want, WarcEvent, WarcHeaders, WarcRecords};
use crate::{IngestItem, ItemError, Limits, SkipCounts};

/// Records waiting between the reading thread and the pipeline. Small: the pipeline batches
/// items itself, this only lets reading run ahead while a batch is taken.
const CHANNEL_RECORDS: usize = 64;

/// Reasons a record is skipped (counted, not an error).
pub mod skip {
    pub const WARCINFO: &str = "warcinfo record";
    pub const REQUEST: &str = "request record";
    pub const METADATA: &str = "metadata record";
    pub const REVISIT: &str = "revisit record";
    pub const CONVERSION: &str = "conversion record";
    pub const CONTINUATION: &str = "continuation record";
    pub const OTHER_TYPE: &str = "record of unknown type";
    pub const NOT_HTML: &str = "non-HTML response";
    pub const NOT_OK: &str = "non-200 response";
}

/// The records of one WARC file, read on a thread of their own.
pub struct WarcStream {
    rx: Receiver<IngestItem>,
}

impl WarcStream {
    /// Opens `path` and starts reading it. Fails (as an item error) only when the file cannot
    /// be opened; everything after that is reported record by record.
    pub fn open(path: &Path, limits: Limits, skips: SkipCounts) -> Result<Self, ItemError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| open_error(&name, e))?;
        Self::from_input(Box::new(file), name, limits, skips)
    }

    /// Starts reading an already opened archive (a file, or bytes in memory); `name` names it
    /// in item origins.
    pub(crate) fn from_input(
        mut input: Box<dyn Input>,
        name: String,
        limits: Limits,
        skips: SkipCounts,
    ) -> Result<Self, ItemError> {
        let gzip = is_gzip(&mut input).map_err(|e| open_error(&name, e))?;
        let (tx, rx) = sync_channel(CHANNEL_RECORDS);
        let thread_name = name.clone();
        let spawned = std::thread::Builder::new().name("warc-reader".into()).spawn(move || {
            read_input(input, gzip, &name, limits, &skips, &mut |item| tx.send(item).is_ok());
        });
        spawned.map_err(|e| ItemError::new(thread_name, "unreadable", e.to_string()))?;
        Ok(Self { rx })
    }
}

/// A seekable byte source an archive is read from.
pub(crate) trait Input: Read + Seek + Send {}

impl<T: Read + Seek + Send> Input for T {}

pub(crate) fn open_error(name: &str, e: io::Error) -> ItemError {
    ItemError::new(name, "unreadable", format!("cannot read: {e}"))
}

/// Whether `input` starts with the gzip magic bytes (told from the content, not the name);
/// leaves it at its start.
fn is_gzip(input: &mut dyn Input) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let mut got = 0;
    while got < 2 {
        match input.read(&mut magic[got..])? {
            0 => break,
            n => got += n,
        }
    }
    input.rewind()?;
    Ok(got == 2 && magic == [0x1f, 0x8b])
}

fn read_input(
    input: Box<dyn Input>,
    gzip: bool,
    name: &str,
    limits: Limits,
    skips: &SkipCounts,
    emit: &mut dyn FnMut(IngestItem) -> bool,
) {
    if gzip {
        read_all(GzMembers::new(input), name, limits, skips, emit);
    } else {
        read_all(Plain(input), name, limits, skips, emit);
    }
}

/// Reads a whole archive held in memory, on the calling thread, exactly as [`WarcStream`]
/// reads a file: for fuzzing and tests, which must not touch the disk.
#[doc(hidden)]
pub fn read_bytes(bytes: &[u8], name: &str, limits: Limits, skips: &SkipCounts) -> Vec<IngestItem> {
    let mut input: Box<dyn Input> = Box::new(io::Cursor::new(bytes.to_vec()));
    let mut items = Vec::new();
    match is_gzip(&mut input) {
        Ok(gzip) => read_input(input, gzip, name, limits, skips, &mut |item| {
            items.push(item);
            true
        }),
        Err(e) => items.push(IngestItem::Rejected(open_error(name, e))),
    }
    items
}

impl Iterator for WarcStream {
    type Item = IngestItem;

    fn next(&mut self) -> Option<IngestItem> {
        // The sender is dropped when the file is done.
        self.rx.recv().ok()
    }
}

/// Which records are worth their block, from the WARC header alone.
fn wanted(headers: &WarcHeaders) -> Want {
    match headers.record_type().as_str() {
        "response" => match headers.get("WARC-Identified-Payload-Type") {
            // Common Crawl names the payload's type: no need to decode what is not HTML.
            Some(t) if !t.trim().is_empty() && !http::is_html_type(t) => Want::Skip(skip::NOT_HTML),
            _ => Want::Block,
        },
        "resource" if headers.get("Content-Type").is_some_and(http::is_html_type) => Want::Block,
        "resource" => Want::Skip(skip::NOT_HTML),
        "warcinfo" => Want::Skip(skip::WARCINFO),
        "request" => Want::Skip(skip::REQUEST),
        "metadata" => Want::Skip(skip::METADATA),
        "revisit" => Want::Skip(skip::REVISIT),
        "conversion" => Want::Skip(skip::CONVERSION),
        "continuation" => Want::Skip(skip::CONTINUATION),
        _ => Want::Skip(skip::OTHER_TYPE),
    }
}

fn read_all<S: MemberSource>(
    source: S,
    name: &str,
    limits: Limits,
    skips: &SkipCounts,
    emit: &mut dyn FnMut(IngestItem) -> bool,
) {
    let mut any = false;
    for event in WarcRecords::new(source, limits.max_item_bytes, wanted) {
        any = true;
        let item = match event {
            WarcEvent::Skipped { reason } => {
                skips.add(reason);
                continue;
            }
            WarcEvent::Error { pos, kind, message } => {
                IngestItem::Rejected(ItemError::new(format!("{name}@{pos}"), kind, message))
            }
            WarcEvent::Record { pos, headers, block } => match to_item(name, pos, &headers, block, limits) {
                Ok(item) => item,
                Err(reason) => {
                    skips.add(reason);
                    continue;
                }
            },
        };
        if !emit(item) {
            return; // the reader was dropped: stop reading
        }
    }
    if !any {
        emit(IngestItem::Rejected(ItemError::new(name, "empty", "empty WARC file")));
    }
}

/// One wanted record to an item: `Err(reason)` when it is skipped after all (not HTML, not 200).
fn to_item(
    name: &str,
    pos: RecordPos,
    headers: &WarcHeaders,
    block: Vec<u8>,
    limits: Limits,
) -> Result<IngestItem, &'static str> {
    let origin = format!("{name}@{pos}");
    let reject = |kind, message: String| Ok(IngestItem::Rejected(ItemError::new(&origin, kind, message)));
    let mut meta = Map::new();
    let mut warnings = Vec::new();
    let (body, content_type) = if headers.record_type() == "resource" {
        (block, headers.get("Content-Type").map(str::to_string))
    } else {
        let head = match http::parse_head(&block) {
            Ok(head) => head,
            Err(e) => return reject("bad HTTP headers", e),
        };
        if head.status != 200 {
            return Err(skip::NOT_OK);
        }
        let content_type = head.get("Content-Type").map(str::to_string);
        if content_type.as_deref().is_some_and(|t| !http::is_html_type(t)) {
            return Err(skip::NOT_HTML);
        }
        let mut body = block[head.body_start..].to_vec();
        drop(block);
        if head.get("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
            body = match http::dechunk(&body) {
                Ok(b) => b,
                Err(e) => return reject("corrupt HTTP body", e),
            };
        }
        let coding = head.get("Content-Encoding");
        body = match http::decode_content(coding, body, limits.max_item_bytes) {
            Ok(b) => b,
            Err(http::DecodeError::TooLarge) => {
                let msg = format!("too large: the page decodes to over {} MB", limits.max_item_bytes >> 20);
                return reject("too large", msg);
            }
            Err(http::DecodeError::Corrupt(e)) => {
                let msg = format!("corrupt {} body: {e}", coding.unwrap_or("HTTP"));
                return reject("corrupt HTTP body", msg);
            }
        };
        if let Some(date) = head.get("Date").and_then(http_date_iso) {
            meta.insert("http_date".into(), Value::String(date));
        }
        (body, content_type)
    };
    if content_type.is_none() && !http::looks_like_html(&body) {
        return Err(skip::NOT_HTML);
    }
    if body.trim_ascii().is_empty() {
        return reject("empty", "the page body is empty".into());
    }
    let (content, warning) = http::decode_charset(content_type.as_deref(), &body);
    warnings.extend(warning);
    if let Some(t) = headers.get("WARC-Truncated") {
        warnings.push(format!("the crawler truncated this page (WARC-Truncated: {t})"));
    }
    if let Some(url) =
        headers.get("WARC-Target-URI").map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
    {
        if let Some(host) = url_host(url) {
            meta.insert("url_host".into(), Value::String(host));
        }
        meta.insert("url".into(), Value::String(url.to_string()));
    }
    // The capture time: a hint for dates the page gives without a year, never the
    // publication date itself.
    let crawled = headers
        .get("WARC-Date")
        .map(str::to_string)
        .or_else(|| meta.get("http_date")?.as_str().map(String::from));
    if let Some(date) = crawled {
        meta.insert("crawled".into(), Value::String(date));
    }
    if let Some(id) = headers.get("WARC-Record-ID") {
        meta.insert("warc_record_id".into(), Value::String(id.trim_matches(['<', '>']).to_string()));
    }
    Ok(IngestItem::Record(RawRecord {
        id: content_id(&body),
        origin,
        format: InputFormat::Html,
        content,
        meta,
        warnings,
    }))
}

/// The host of an http(s) URL, lower-cased and without `www.`: the outlet's name of last resort.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// An HTTP `Date` as ISO 8601 UTC.
fn http_date_iso(value: &str) -> Option<String> {
    let t = httpdate::parse_http_date(value.trim()).ok()?;
    let t = time::OffsetDateTime::from(t);
    t.format(&time::format_description::well_known::Rfc3339).ok()
}

/// `s` cut to `max` chars, for quoting bad input in messages.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn record(uri: &str, body: &str) -> Vec<u8> {
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
        .into_bytes()
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// Wherever a record of a plain file is cut, the damage is one error and the next record
    /// is read.
    #[test]
    fn a_plain_record_cut_anywhere_is_one_error() {
        let (first, middle, last) = (
            record("http://a/1", "<html>one</html>"),
            record("http://a/2", "<html>two</html>"),
            record("http://a/3", "<html>three</html>"),
        );
        for cut in 1..middle.len() - 4 {
            let mut file = first.clone();
            file.extend(&middle[..cut]);
            file.extend(&last);
            let events: Vec<_> = WarcRecords::new(Plain(Cursor::new(file)), 1 << 20, wanted).collect();
            let uris: Vec<_> = events
                .iter()
                .filter_map(|e| match e {
                    WarcEvent::Record { headers, .. } => headers.get("WARC-Target-URI").map(str::to_string),
                    _ => None,
                })
                .collect();
            let errors = events.iter().filter(|e| matches!(e, WarcEvent::Error { .. })).count();
            assert_eq!(
                uris,
                ["http://a/1", "http://a/3"],
                "cut at {cut}: {:?}",
                String::from_utf8_lossy(&middle[..cut])
            );
            assert_eq!(errors, 1, "cut at {cut}");
        }
    }

    /// Wherever a gzip member is cut, the damage is one error and the records around it are read.
    #[test]
    fn a_member_cut_anywhere_is_one_error() {
        let page = |n: usize| {
            format!("<html><p>page {n} {}</p></html>", "lorem ipsum dolor sit amet ".repeat(40 + n))
        };
        let (first, middle, last) = (
            gz(&record("http://a/1", &page(1))),
            gz(&record("http://a/2", &page(2))),
            gz(&record("http://a/3", &page(3))),
        );
        for cut in (1..middle.len()).step_by(1) {
            let mut file = first.clone();
            file.extend(&middle[..cut]);
            file.extend(&last);
            let events: Vec<_> =
                WarcRecords::new(GzMembers::new(Cursor::new(file)), 1 << 20, wanted).collect();
            let uris: Vec<_> = events
                .iter()
                .filter_map(|e| match e {
                    WarcEvent::Record { headers, block, .. } => {
                        assert!(block.ends_with(b"</html>"), "cut at {cut}: a record came out incomplete");
                        headers.get("WARC-Target-URI").map(str::to_string)
                    }
                    _ => None,
                })
                .collect();
            let errors: Vec<_> = events
                .iter()
                .filter_map(|e| match e {
                    WarcEvent::Error { pos, kind, message } => Some(format!("{pos} {kind}: {message}")),
                    _ => None,
                })
                .collect();
            // The cut record comes out only when all of it decoded before the cut (e.g. only
            // the checksum was lost); its neighbours always do.
            let whole = ["http://a/1", "http://a/2", "http://a/3"];
            assert!(uris == whole || uris == [whole[0], whole[2]], "cut at {cut}: {uris:?} {errors:?}");
            assert_eq!(errors.len(), 1, "cut at {cut}: {errors:?}");
            // The damaged member's offset is named (as the record's place, or in the message).
            assert!(errors[0].contains(&format!("{}", first.len())), "cut at {cut}: {errors:?}");
        }
    }

    #[test]
    fn hosts_and_dates() {
        assert_eq!(url_host("https://www.Example.com:443/a?b").as_deref(), Some("example.com"));
        assert_eq!(url_host("http://user@news.site.org/x").as_deref(), Some("news.site.org"));
        assert_eq!(url_host("urn:x"), None);
        assert_eq!(http_date_iso("Sun, 06 Nov 1994 08:49:37 GMT").as_deref(), Some("1994-11-06T08:49:37Z"));
    }
}
