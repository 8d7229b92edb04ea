//! WARC records (ISO 28500, WARC/1.0 and 1.1) from a stream of decoded bytes, one at a time.
//!
//! Only the records a caller wants are held in memory (their block up to a size cap); the others
//! are read past. Damage is local: a record whose header is malformed, whose block ends early,
//! or whose `Content-Length` runs into the next record is reported, and reading resumes at the
//! next `WARC/1.` line (found inside the damaged block when the length overshot).

use std::io::{self, BufRead, BufReader, Read};

use super::gzip_members::MemberPos;

/// A header line longer than this is not a WARC header.
const MAX_LINE: usize = 64 << 10;
/// More header lines than this is not a WARC header either.
const MAX_HEADER_LINES: usize = 512;

/// A WARC record's named fields, in file order (names compared without case).
#[derive(Debug, Clone, Default)]
pub struct WarcHeaders(pub Vec<(String, String)>);

impl WarcHeaders {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower-cased.
    pub fn record_type(&self) -> String {
        self.get("WARC-Type").unwrap_or("").trim().to_ascii_lowercase()
    }
}

/// Where a record starts: its offset in the decoded stream and, for gzip files, its member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordPos {
    pub decoded: u64,
    pub member: Option<MemberPos>,
}

impl std::fmt::Display for RecordPos {
    /// `1234` for a plain file; for gzip the member's compressed offset (what CDX indexes
    /// give), plus the offset inside the member when the record does not start it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.member {
            None => write!(f, "{}", self.decoded),
            Some(m) if m.decoded == self.decoded => write!(f, "{}", m.compressed),
            Some(m) => write!(f, "{}+{}", m.compressed, self.decoded.saturating_sub(m.decoded)),
        }
    }
}

/// What the caller does with a record, decided from its header.
pub enum Want {
    /// Keep the block (up to the cap).
    Block,
    /// Read past it, counting it under this reason.
    Skip(&'static str),
}

/// One step of reading.
pub enum WarcEvent {
    Record {
        pos: RecordPos,
        headers: WarcHeaders,
        block: Vec<u8>,
    },
    Skipped {
        reason: &'static str,
    },
    /// A damaged record or region; reading goes on after it.
    Error {
        pos: RecordPos,
        kind: &'static str,
        message: String,
    },
}

/// A decoded byte source that can say which gzip member its bytes come from.
pub trait MemberSource: Read {
    fn member(&self) -> Option<MemberPos>;
}

impl<R: Read + io::Seek> MemberSource for super::gzip_members::GzMembers<R> {
    fn member(&self) -> Option<MemberPos> {
        Some(super::gzip_members::GzMembers::member(self))
    }
}

/// An uncompressed file.
pub struct Plain<R>(pub R);

impl<R: Read> Read for Plain<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: Read> MemberSource for Plain<R> {
    fn member(&self) -> Option<MemberPos> {
        None
    }
}

/// Streams WARC records out of a [`MemberSource`].
pub struct WarcRecords<S: MemberSource> {
    input: BufReader<S>,
    /// Bytes given back after a `Content-Length` overshot into the next record; read first.
    pushback: Vec<u8>,
    pushback_at: usize,
    /// Offset in the decoded stream of the next byte to read.
    pos: u64,
    max_block: usize,
    /// Decides from a record's header whether its block is wanted.
    want: fn(&WarcHeaders) -> Want,
    /// The record being read, to name it when the source fails inside it.
    record_start: Option<RecordPos>,
    /// After an error: skip to the next record without reporting the bytes skipped again.
    resyncing: bool,
    /// An error met just after a complete record, reported as the next event.
    deferred_error: Option<io::Error>,
    /// Where the last I/O error happened; a second one there means the source is stuck.
    last_error_at: Option<u64>,
    done: bool,
}

impl<S: MemberSource> WarcRecords<S> {
    pub fn new(source: S, max_block: usize, want: fn(&WarcHeaders) -> Want) -> Self {
        Self {
            input: BufReader::with_capacity(1 << 16, source),
            pushback: Vec::new(),
            pushback_at: 0,
            pos: 0,
            max_block,
            want,
            record_start: None,
            resyncing: false,
            last_error_at: None,
            deferred_error: None,
            done: false,
        }
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.pushback_at < self.pushback.len() {
            return Ok(&self.pushback[self.pushback_at..]);
        }
        self.input.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.pos += n as u64;
        if self.pushback_at < self.pushback.len() {
            self.pushback_at += n;
            if self.pushback_at == self.pushback.len() {
                self.pushback.clear();
                self.pushback_at = 0;
            }
        } else {
            self.input.consume(n);
        }
    }

    fn unread(&mut self, bytes: &[u8]) {
        let mut v = bytes.to_vec();
        v.extend_from_slice(&self.pushback[self.pushback_at..]);
        self.pos -= bytes.len() as u64;
        self.pushback = v;
        self.pushback_at = 0;
    }

    fn record_pos(&self, decoded: u64) -> RecordPos {
        RecordPos { decoded, member: self.input.get_ref().member() }
    }

    /// One line (with its `\n`), cut at [`MAX_LINE`] bytes; `None` at the end.
    fn read_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok((!line.is_empty()).then_some(line));
            }
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_LINE.saturating_sub(line.len());
            line.extend_from_slice(&buf[..take.min(room)]);
            self.consume(take);
            if done {
                return Ok(Some(line));
            }
        }
    }

    /// Reads `len` bytes, keeping the first `keep` of them. Returns how many were there.
    fn read_block(&mut self, len: u64, keep: usize, out: &mut Vec<u8>) -> io::Result<u64> {
        let mut left = len;
        while left > 0 {
            let buf = self.fill()?;
            if buf.is_empty() {
                break;
            }
            let n = buf.len().min(left.min(usize::MAX as u64) as usize);
            let room = keep.saturating_sub(out.len()).min(n);
            out.extend_from_slice(&buf[..room]);
            self.consume(n);
            left -= n as u64;
        }
        Ok(len - left)
    }

    /// The next event, or `None` at the end of the stream.
    fn step(&mut self) -> io::Result<Option<WarcEvent>> {
        loop {
            if let Some(event) = self.attempt()? {
                return Ok(event);
            }
        }
    }

    /// One record or event; `None` when a version line found while resynchronising proved
    /// false (garbage that happens to contain `WARC/1.0`): the search goes on quietly.
    fn attempt(&mut self) -> io::Result<Option<Option<WarcEvent>>> {
        // The version line, after blank lines; anything else is damage to skip.
        let mut skipped = 0u64;
        let mut skipped_from = None;
        let (start, version_line) = loop {
            let at = self.pos;
            let Some(line) = self.read_line()? else {
                if skipped > 0 && !self.resyncing {
                    let pos = skipped_from.unwrap_or(self.record_pos(at));
                    let message = format!("{skipped} bytes of non-WARC data at the end of the file");
                    return Ok(Some(Some(WarcEvent::Error { pos, kind: "corrupt WARC", message })));
                }
                return Ok(Some(None));
            };
            if is_version_line(&line) {
                break (at, line);
            }
            if line.trim_ascii().is_empty() && skipped == 0 {
                continue;
            }
            if let Some(i) = find_version_line(&line) {
                // A record cut right at its start runs into the next one's version line.
                skipped_from.get_or_insert(self.record_pos(at));
                skipped += i as u64;
                self.unread(&line[i..]);
                continue;
            }
            skipped_from.get_or_insert(self.record_pos(at));
            skipped += line.len() as u64;
        };
        let pos = self.record_pos(start);
        if skipped > 0 && !self.resyncing {
            // Report the damage now; the record found after it is read whole next time.
            self.unread(&version_line);
            let message = format!("{skipped} bytes of non-WARC data before the record at {pos}");
            let pos = skipped_from.unwrap_or(pos);
            return Ok(Some(Some(WarcEvent::Error { pos, kind: "corrupt WARC", message })));
        }
        self.record_start = Some(pos);
        let was_resyncing = std::mem::replace(&mut self.resyncing, false);
        let headers = self.read_headers();
        let len = headers.as_ref().ok().and_then(|h| h.get("Content-Length")?.trim().parse::<u64>().ok());
        let (headers, len) = match (headers, len) {
            (Ok(h), Some(len)) => (h, len),
            (result, _) => {
                self.resyncing = true;
                if was_resyncing {
                    self.record_start = None;
                    return Ok(None);
                }
                let message =
                    result.err().unwrap_or_else(|| "WARC record without a valid Content-Length".into());
                return Ok(Some(Some(WarcEvent::Error { pos, kind: "corrupt WARC", message })));
            }
        };
        Ok(Some(Some(self.finish_record(pos, headers, len)?)))
    }

    fn read_headers(&mut self) -> Result<WarcHeaders, String> {
        let mut headers: Vec<(String, String)> = Vec::new();
        for _ in 0..MAX_HEADER_LINES {
            let line = match self.read_line() {
                Ok(Some(l)) => l,
                Ok(None) => return Err("truncated WARC record: the file ends inside its header".into()),
                Err(e) => return Err(format!("truncated WARC record: {e}")),
            };
            if let Some(i) = find_version_line(&line) {
                // The next record begins inside this one's header: this one was cut short.
                self.unread(&line[i..]);
                return Err("truncated WARC record: the next record starts inside its header".into());
            }
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                return Ok(WarcHeaders(headers));
            }
            if line.starts_with([' ', '\t']) {
                // A continuation of the previous field's value.
                match headers.last_mut() {
                    Some((_, v)) => {
                        v.push(' ');
                        v.push_str(line.trim());
                        continue;
                    }
                    None => return Err(format!("malformed WARC header line {line:?}")),
                }
            }
            match line.split_once(':') {
                Some((name, value)) if !name.trim().is_empty() && !name.contains(' ') => {
                    headers.push((name.trim().to_string(), value.trim().to_string()));
                }
                _ => return Err(format!("malformed WARC header line {:?}", crate::warc::clip(line, 80))),
            }
        }
        Err(format!("WARC header longer than {MAX_HEADER_LINES} lines"))
    }

    fn finish_record(&mut self, pos: RecordPos, headers: WarcHeaders, len: u64) -> io::Result<WarcEvent> {
        let want = (self.want)(&headers);
        let keep = match want {
            Want::Block if len <= self.max_block as u64 => len as usize,
            // Too large to keep: read past it, but keep enough to find a record it ran into.
            _ => 0,
        };
        let mut block = Vec::with_capacity(keep);
        let got = self.read_block(len, keep, &mut block)?;
        if got < len {
            self.resyncing = true;
            let message =
                format!("truncated WARC record: the file ends {} bytes into a {len}-byte block", got);
            return Ok(WarcEvent::Error { pos, kind: "truncated WARC record", message });
        }
        if !self.at_record_end()? {
            // The declared length ran past this record. If the next record starts inside the
            // block, read again from there.
            self.resyncing = true;
            if let Some(i) = find_record_start(&block) {
                let rest = block.split_off(i);
                self.unread(&rest);
            }
            let message = format!(
                "truncated WARC record: its {len}-byte block does not end where the next record starts"
            );
            return Ok(WarcEvent::Error { pos, kind: "truncated WARC record", message });
        }
        Ok(match want {
            Want::Skip(reason) => WarcEvent::Skipped { reason },
            Want::Block if keep == 0 && len > 0 => WarcEvent::Error {
                pos,
                kind: "too large",
                message: format!(
                    "too large: {:.1} MB record block, over the {} MB per-article limit",
                    len as f64 / 1e6,
                    self.max_block >> 20
                ),
            },
            Want::Block => WarcEvent::Record { pos, headers, block },
        })
    }

    /// After a block: the `\r\n\r\n` that ends a record; failing that (writers that use bare
    /// `\n`s), line ends followed by the end of the stream or the next `WARC/1.` line.
    fn at_record_end(&mut self) -> io::Result<bool> {
        // Line ends read here; given back when they turn out not to end the record.
        let mut seen = Vec::new();
        let ended = loop {
            let buf = match self.fill() {
                Ok(buf) => buf,
                Err(e) => {
                    // The record is whole; the damage after it is reported on its own next.
                    self.deferred_error = Some(e);
                    return Ok(true);
                }
            };
            match buf.first().copied() {
                None => break true,
                Some(b @ (b'\r' | b'\n')) => {
                    seen.push(b);
                    self.consume(1);
                    if seen == b"\r\n\r\n" {
                        break true;
                    }
                }
                // Too little buffered to tell: the version line check does it.
                Some(b'W') if buf.len() < 7 => break true,
                Some(b'W') => break buf.starts_with(b"WARC/1."),
                Some(_) => break false,
            }
        };
        if !ended {
            self.unread(&seen);
        }
        Ok(ended)
    }
}

/// Whether `line` is a record's first line: `WARC/1.0` or `WARC/1.1` and its line end.
fn is_version_line(line: &[u8]) -> bool {
    matches!(line.trim_ascii_end(), b"WARC/1.0" | b"WARC/1.1") && line.ends_with(b"\n")
}

/// Where a version line starts inside `line` (a record cut short runs into the next one's).
fn find_version_line(line: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(line, b"WARC/1.").find(|&i| is_version_line(&line[i..]))
}

/// Where a record starts inside `block` (which a cut-short record ran into): a version line,
/// at a line start or right after the cut.
fn find_record_start(block: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(block, b"WARC/1.")
        .find(|&i| {
            let line_end = memchr::memchr(b'\n', &block[i..]).map_or(block.len(), |j| i + j + 1);
            is_version_line(&block[i..line_end])
        })
        .or_else(|| {
            // The block may end part-way into the version line.
            const LINES: [&[u8]; 4] = [b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/1.0\n", b"WARC/1.1\n"];
            (block.len().saturating_sub(LINES[0].len())..block.len())
                .find(|&i| LINES.iter().any(|line| line.starts_with(&block[i..])))
        })
}

impl<S: MemberSource> Iterator for WarcRecords<S> {
    type Item = WarcEvent;

    fn next(&mut self) -> Option<WarcEvent> {
        loop {
            if self.done {
                return None;
            }
            let was_resyncing = self.resyncing;
            let result = match self.deferred_error.take() {
                Some(e) => Err(e),
                None => self.step(),
            };
            let record_start = self.record_start.take();
            match result {
                Ok(event) => {
                    self.done = event.is_none();
                    return event;
                }
                Err(e) => {
                    if self.last_error_at == Some(self.pos) {
                        // The source fails again without moving: give up on this file.
                        self.done = true;
                    }
                    self.last_error_at = Some(self.pos);
                    self.pushback.clear();
                    self.pushback_at = 0;
                    self.resyncing = true;
                    if was_resyncing && record_start.is_none() {
                        // Damage already reported (a bad gzip member can show first as a
                        // record that does not end, then as a failed checksum): once is enough.
                        continue;
                    }
                    let pos = record_start.unwrap_or_else(|| self.record_pos(self.pos));
                    let kind =
                        if e.kind() == io::ErrorKind::InvalidData { "corrupt gzip" } else { "unreadable" };
                    return Some(WarcEvent::Error { pos, kind, message: e.to_string() });
                }
            }
        }
    }
}
