//! The streaming reader over paths.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use newsloom_model::{InputFormat, RawRecord, content_id};

use crate::warc::{Input, WarcStream, open_error};
use crate::{IngestItem, ItemError, Limits, SkipCounts, decode_text, parse_jsonl_line, parse_seed_header};

/// What a file holds, judged from its name (a `.gz` suffix is looked through).
#[derive(Debug, Clone, Copy, PartialEq)]
enum FileKind {
    Jsonl,
    Html,
    /// A WARC archive (plain or gzip; see [`crate::warc`]).
    Warc,
    /// Text or HTML, decided from the content.
    Sniff,
}

fn file_kind(path: &Path) -> (FileKind, bool) {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let (name, gz) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let kind = match ext {
        "jsonl" | "ndjson" | "json" => FileKind::Jsonl,
        "html" | "htm" | "xhtml" | "shtml" => FileKind::Html,
        "warc" => FileKind::Warc,
        _ => FileKind::Sniff,
    };
    (kind, gz)
}

/// A JSONL stream being read line by line.
struct LineStream {
    reader: Box<dyn BufRead>,
    name: String,
    line: usize,
}

/// Streams [`IngestItem`]s from a list of paths (`-` is stdin), in order; directories are walked
/// recursively in name order, skipping hidden entries.
pub struct Reader {
    pending: VecDeque<PathBuf>,
    walk: Option<Box<dyn Iterator<Item = walkdir::Result<walkdir::DirEntry>>>>,
    lines: Option<LineStream>,
    /// The WARC archive being read, record by record.
    warc: Option<WarcStream>,
    limits: Limits,
    skips: SkipCounts,
    /// Set by [`Reader::from_memory`]: the content of the one "file", read instead of the disk.
    memory: Option<Arc<[u8]>>,
}

impl Reader {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        Self::with_limits(paths, Limits::default())
    }

    pub fn with_limits(paths: Vec<PathBuf>, limits: Limits) -> Self {
        Self {
            pending: paths.into(),
            walk: None,
            lines: None,
            warc: None,
            limits,
            skips: SkipCounts::default(),
            memory: None,
        }
    }

    /// Reads `bytes` exactly as the file `name` would be read (its kind told from the name,
    /// `.gz` looked through, WARC and JSONL sniffed), without touching the disk: for fuzzing.
    #[doc(hidden)]
    pub fn from_memory(name: &str, bytes: Vec<u8>, limits: Limits) -> Self {
        Self { memory: Some(bytes.into()), ..Self::with_limits(vec![PathBuf::from(name)], limits) }
    }

    /// Opens one input file (or the bytes standing for it) with its length.
    fn open_input(&self, path: &Path) -> io::Result<(Box<dyn Input>, u64)> {
        if let Some(bytes) = &self.memory {
            return Ok((Box::new(Cursor::new(bytes.clone())), bytes.len() as u64));
        }
        let file = File::open(path)?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok((Box::new(file), len))
    }

    /// A handle on the counts of items skipped on purpose (WARC records that are not HTML
    /// pages, revisits, ...), which keeps counting while the reader is consumed.
    pub fn skip_counts(&self) -> SkipCounts {
        self.skips.clone()
    }

    /// Counts skipped items into `skips` (shared with other readers of the same run).
    pub fn with_skip_counts(mut self, skips: SkipCounts) -> Self {
        self.skips = skips;
        self
    }

    /// Starts reading a WARC archive; its records come out of `next`.
    fn open_warc(&mut self, path: &Path) -> Option<IngestItem> {
        let name = path.display().to_string();
        let (limits, skips) = (self.limits, self.skips.clone());
        let opened = self.open_input(path).map_err(|e| open_error(&name, e));
        match opened.and_then(|(input, _)| WarcStream::from_input(input, name, limits, skips)) {
            Ok(stream) => {
                self.warc = Some(stream);
                None
            }
            Err(e) => Some(IngestItem::Rejected(e)),
        }
    }

    fn next_line(&mut self) -> Option<IngestItem> {
        let stream = self.lines.as_mut()?;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            stream.line += 1;
            let origin = format!("{}:{}", stream.name, stream.line);
            match read_line_capped(&mut stream.reader, &mut buf, self.limits.max_item_bytes) {
                Ok(LineRead::Eof) => {
                    self.lines = None;
                    return None;
                }
                Ok(LineRead::TooLong) => {
                    let msg = format!("line longer than the {} byte limit", self.limits.max_item_bytes);
                    return Some(IngestItem::Rejected(ItemError::new(origin, "too large", msg)));
                }
                Ok(LineRead::Line) => {
                    let line = buf.trim_ascii();
                    if line.is_empty() {
                        continue;
                    }
                    return Some(match parse_jsonl_line(line, &origin) {
                        Ok(record) => IngestItem::Record(record),
                        Err(e) => IngestItem::Rejected(e),
                    });
                }
                Err(e) => {
                    self.lines = None;
                    return Some(IngestItem::Rejected(io_error(&origin, &e)));
                }
            }
        }
    }

    /// The next file to open, or an unreadable directory entry to report.
    fn next_path(&mut self) -> Option<Result<PathBuf, ItemError>> {
        loop {
            if let Some(walk) = self.walk.as_mut() {
                match walk.next() {
                    Some(Ok(entry)) if entry.file_type().is_file() && !is_documentation(&entry) => {
                        return Some(Ok(entry.into_path()));
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => {
                        let path = e.path().map(|p| p.display().to_string()).unwrap_or_default();
                        return Some(Err(ItemError::new(path, "unreadable", format!("cannot read: {e}"))));
                    }
                    None => self.walk = None,
                }
            }
            let path = self.pending.pop_front()?;
            if self.memory.is_none() && path.is_dir() {
                let walk = walkdir::WalkDir::new(&path).sort_by_file_name().into_iter();
                self.walk = Some(Box::new(walk.filter_entry(|e| e.depth() == 0 || !is_hidden(e))));
                continue;
            }
            return Some(Ok(path));
        }
    }

    /// Opens one file: JSONL starts a line stream, anything else is one document.
    fn open(&mut self, path: &Path) -> Option<IngestItem> {
        let name = path.display().to_string();
        let is_stdin = name == "-";
        let (kind, gz) = if is_stdin { (FileKind::Sniff, false) } else { file_kind(path) };
        if kind == FileKind::Warc {
            return self.open_warc(path);
        }
        let source: Box<dyn Read> = if is_stdin {
            Box::new(io::stdin().lock())
        } else {
            match self.open_input(path) {
                Ok((mut input, len)) => {
                    if kind != FileKind::Jsonl && !gz && len > self.limits.max_item_bytes as u64 {
                        // Too big for one page, but an archive of pages may be that big.
                        if kind == FileKind::Sniff && starts_with_warc(&mut input) {
                            return self.open_warc(path);
                        }
                        return Some(reject_too_large(&name, len, self.limits));
                    }
                    input
                }
                Err(e) => return Some(IngestItem::Rejected(io_error(&name, &e))),
            }
        };
        let mut reader: Box<dyn BufRead> = if gz {
            Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(source))))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, source))
        };
        let jsonl = match kind {
            FileKind::Jsonl => true,
            FileKind::Html => false,
            // stdin and unknown names: JSONL when the first non-blank byte opens an object.
            FileKind::Sniff => match reader.fill_buf() {
                // A WARC archive under another name (e.g. CC-NEWS's `.warc.gz` renamed).
                Ok(head) if !is_stdin && head.starts_with(b"WARC/1.") => {
                    drop(reader);
                    return self.open_warc(path);
                }
                Ok(head) => head.trim_ascii_start().first() == Some(&b'{') && is_stdin,
                Err(e) => return Some(IngestItem::Rejected(io_error(&name, &e))),
            },
            FileKind::Warc => unreachable!("WARC files are opened above"),
        };
        if jsonl {
            let name = if is_stdin { "-".to_string() } else { name };
            self.lines = Some(LineStream { reader, name, line: 0 });
            return self.next_line();
        }
        Some(read_document(reader, &name, kind, self.limits))
    }
}

impl Iterator for Reader {
    type Item = IngestItem;

    fn next(&mut self) -> Option<IngestItem> {
        loop {
            if let Some(warc) = self.warc.as_mut() {
                match warc.next() {
                    Some(item) => return Some(item),
                    None => self.warc = None,
                }
            }
            if self.lines.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            match self.next_path()? {
                Ok(path) => {
                    if let Some(item) = self.open(&path) {
                        return Some(item);
                    }
                }
                Err(e) => return Some(IngestItem::Rejected(e)),
            }
        }
    }
}

/// Whether `input` begins like a WARC archive.
fn starts_with_warc(input: &mut dyn Input) -> bool {
    let mut head = [0u8; 7];
    let found = input.read_exact(&mut head).is_ok() && &head == b"WARC/1.";
    found && input.rewind().is_ok()
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.file_name().to_str().is_some_and(|n| n.starts_with('.'))
}

/// A corpus directory's own README, license or attribution file, which is not news. Skipped
/// only when met inside a directory: named on the command line, it is read like any file.
fn is_documentation(entry: &walkdir::DirEntry) -> bool {
    const NAMES: [&str; 6] = ["readme", "license", "licence", "copying", "notice", "attribution"];
    let Some(name) = entry.file_name().to_str() else { return false };
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    NAMES.contains(&stem.as_str())
}

/// Reads a whole (bounded) document and turns it into one record.
fn read_document(reader: Box<dyn BufRead>, name: &str, kind: FileKind, limits: Limits) -> IngestItem {
    let mut bytes = Vec::new();
    let cap = limits.max_item_bytes as u64 + 1;
    if let Err(e) = reader.take(cap).read_to_end(&mut bytes) {
        return IngestItem::Rejected(io_error(name, &e));
    }
    if bytes.len() as u64 == cap {
        return reject_too_large(name, cap, limits);
    }
    if bytes.trim_ascii().is_empty() {
        return IngestItem::Rejected(ItemError::new(name, "empty", "empty file"));
    }
    let (text, warning) = match decode_text(&bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return IngestItem::Rejected(ItemError::new(name, "binary file", reason)),
    };
    let looks_html = {
        let head = text.trim_start();
        let head = &head[..head.len().min(1024)].to_ascii_lowercase();
        head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with('<')
    };
    let format = if kind == FileKind::Html || looks_html { InputFormat::Html } else { InputFormat::Text };
    let (content, meta) = match format {
        InputFormat::Text => {
            let (rest, meta) = parse_seed_header(&text);
            (rest.to_string(), meta)
        }
        InputFormat::Html => (text, Default::default()),
    };
    IngestItem::Record(RawRecord {
        id: content_id(&bytes),
        origin: name.to_string(),
        format,
        content,
        meta,
        warnings: warning.into_iter().collect(),
    })
}

fn reject_too_large(name: &str, len: u64, limits: Limits) -> IngestItem {
    let msg = format!(
        "too large: {:.1} MB, over the {} MB per-article limit",
        len as f64 / 1e6,
        limits.max_item_bytes >> 20
    );
    IngestItem::Rejected(ItemError::new(name, "too large", msg))
}

fn io_error(origin: &str, e: &io::Error) -> ItemError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            ItemError::new(origin, "corrupt gzip", format!("truncated or corrupt compressed data: {e}"))
        }
        io::ErrorKind::NotFound => ItemError::new(origin, "unreadable", "no such file or directory"),
        _ => ItemError::new(origin, "unreadable", format!("cannot read: {e}")),
    }
}

enum LineRead {
    Line,
    TooLong,
    Eof,
}

/// Reads one `\n`-terminated line into `buf`, never holding more than `max` bytes of it; an
/// over-long line is consumed to its end and reported.
fn read_line_capped(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > max + 1 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        reader.consume(take);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => LineRead::Eof,
        (true, true) => LineRead::TooLong,
        (true, false) => LineRead::Line,
    })
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}
