//! The ingest stage: turns paths (files, directories, `.gz`, JSONL, WARC, stdin) into a stream of
//! [`RawRecord`]s, one per article, with per-item errors instead of failed runs.
//!
//! Reading is streamed: [`Reader`] is an iterator that holds at most one open file and one
//! item in memory, so a corpus of any size is read in bounded memory.
//!
//! ```
//! use newsloom_ingest::{Reader, IngestItem};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "Title\n\nBody text.").unwrap();
//! let items: Vec<_> = Reader::new(vec![dir.path().into()]).collect();
//! assert!(matches!(&items[0], IngestItem::Record(r) if r.content.contains("Body")));
//! ```

mod decode;
mod jsonl;
mod reader;
mod skips;
pub mod warc;
pub mod watch;

pub use decode::{decode_text, parse_seed_header};
pub use jsonl::parse_jsonl_line;
pub use reader::Reader;
pub use skips::SkipCounts;

use newsloom_model::RawRecord;

/// One item of the input stream: an article to process, or the reason an item was skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum IngestItem {
    Record(RawRecord),
    Rejected(ItemError),
}

/// Why one input item (a file, a JSONL line) was rejected. `origin` names the file and, for
/// JSONL, the line: `dump.jsonl:17`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemError {
    pub origin: String,
    /// A short category for summaries (`binary file`, `malformed JSON`, `too large`, ...).
    pub kind: &'static str,
    /// The full sentence for the user.
    pub message: String,
}

impl ItemError {
    pub fn new(origin: impl Into<String>, kind: &'static str, message: impl Into<String>) -> Self {
        Self { origin: origin.into(), kind, message: message.into() }
    }
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// Bounds on what one item may cost.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest single article (file or JSONL line) in bytes; larger ones are rejected.
    pub max_item_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Real article pages are well under 2 MB; 16 MB leaves room for inline-asset-heavy pages
        // while keeping one item's memory small.
        Self { max_item_bytes: 16 << 20 }
    }
}
