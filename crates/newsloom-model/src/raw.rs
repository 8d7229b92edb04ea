use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How the content of a raw record is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Plain text, possibly with page chrome scraped along with the article.
    Text,
    /// An HTML page.
    Html,
}

/// One input item as read by ingest, before extraction.
///
/// `id` is the content hash of the item (see [`crate::content_id`]), so the same page or line
/// ingested twice maps to one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRecord {
    pub id: String,
    /// Where it came from: `path`, `path:line` for JSONL, or `-:line` for stdin.
    pub origin: String,
    pub format: InputFormat,
    /// The text or HTML of the item (decoded to UTF-8).
    pub content: String,
    /// Metadata given alongside the content (JSONL fields, a seed's ` date` line), by name.
    /// Unknown JSONL fields are kept here too.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
    /// Notes about lossy handling (invalid UTF-8 replaced, truncated), kept with the article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl RawRecord {
    /// A string metadata field, if present and non-empty.
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
    }
}
