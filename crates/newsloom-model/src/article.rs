use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::PublishedDate;

/// An article as extracted from one raw record and stored.
///
/// `id` is the id of the raw record it came from; `body_hash` is the content id of the clean
/// body, which is what near-duplicate detection and "same text from two pages" checks key on.
/// Offsets in facts about this article are char offsets into `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Article {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Outlet name (`The Moscow Times`, `TASS`), or the host of the URL when no name is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bylines: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<Dateline>,
    /// ISO 639-1 code (`en`), when identified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The clean article body: paragraphs separated by a blank line.
    pub body: String,
    /// Content id of `body`.
    pub body_hash: String,
    /// The raw input (text or HTML) the article was extracted from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// Where the raw input came from (`path`, `path:line`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// How sure the extractor is that `body` is the article and only the article (0..1).
    #[serde(default)]
    pub confidence: f32,
    /// The story the article belongs to, once clustered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Other metadata kept from the input (unknown JSONL fields, values' provenance).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
    /// Lossy handling applied on the way in (invalid UTF-8, truncation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A wire-style dateline: `MOSCOW, December 27. /TASS/.`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dateline {
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// A story: articles from one or more outlets about one real-world happening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Story {
    pub id: String,
    pub title: String,
    pub size: usize,
    pub outlets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
}

/// An article's place in a story, as decided by the cluster stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRef {
    pub story: String,
    /// Set when the article is a near-duplicate (reprint) of an earlier article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}
