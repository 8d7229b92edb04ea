//! The newsloom data model: what flows between the stages and what the store keeps.
//!
//! Every fact extracted from an article (an entity mention, a quote, an event) carries a
//! [`Span`]: the article it came from and char offsets into that article's stored clean body,
//! so any claim can be traced back to the sentence that supports it.
//!
//! ```
//! use newsloom_model::{Span, content_id};
//! let body = "Kelin said NATO matters.";
//! let span = Span::new("a1", 0, 5);
//! assert_eq!(span.slice(body), Some("Kelin"));
//! assert_eq!(content_id(b"x"), content_id(b"x"));
//! ```

mod analysis;
mod article;
pub mod calendar;
mod date;
mod facts;
pub mod folds;
mod place;
pub mod process;
mod raw;
mod sentence;
mod story_keys;
mod tone;

pub use analysis::Analysis;
pub use article::{Article, Dateline, Story, StoryRef};
pub use date::{DatePrecision, PublishedDate};
pub use facts::{Entity, EntityKind, Event, Mention, QuadClass, Quote, QuoteKind, Span};
pub use place::{GeoPlace, GeoRef, PlaceMention};
pub use raw::{InputFormat, RawRecord};
pub use sentence::{SpanSentence, sentence_around};
pub use story_keys::{EventKey, quote_key};
pub use tone::{ArticleTone, MentionTone, ThemeLabel};

/// A stable identifier derived from content: the first 16 hex digits of its BLAKE3 hash.
///
/// Ingesting the same bytes twice yields the same id, which is what makes ingest idempotent.
pub fn content_id(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..16].to_string()
}

/// The result of an `eval` run: flat metrics for `--json` and a human-readable table.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EvalReport {
    pub task: String,
    pub metrics: serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    pub human: String,
}

/// How many times each entity is mentioned, by entity id in order: the per-article increments
/// of the stores' entity mention counts.
///
/// ```
/// use newsloom_model::{EntityKind, Mention, Span, mention_counts};
/// let m = |e: &str| Mention {
///     entity: e.into(),
///     text: e.into(),
///     kind: EntityKind::Organisation,
///     span: Span { article: "a".into(), start: 0, end: 3 },
///     confidence: 1.0,
/// };
/// assert_eq!(mention_counts(&[m("RUS"), m("NATO"), m("RUS")]), vec![("NATO", 1), ("RUS", 2)]);
/// ```
pub fn mention_counts(mentions: &[Mention]) -> Vec<(&str, i64)> {
    let mut counts = std::collections::BTreeMap::<&str, i64>::new();
    for m in mentions {
        *counts.entry(m.entity.as_str()).or_default() += 1;
    }
    counts.into_iter().collect()
}
