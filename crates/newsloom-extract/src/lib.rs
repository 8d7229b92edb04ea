//! The extract stage: raw text or HTML in, a clean [`Article`] out.

use newsloom_model::{Article, RawRecord};

pub mod eval;

/// Why a raw record could not be turned into an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExtractError {}

/// Turns one raw record into an article. Implementations may learn from what they have seen
/// (per-source templates), hence `&self` with interior state and `Send + Sync` for rayon.
pub trait Extractor: Send + Sync {
    fn extract(&self, raw: &RawRecord) -> Result<Article, ExtractError>;
}

/// The default extractor. (Placeholder until issue 5 lands: first non-empty line is the
/// title, the rest is the body.)
#[derive(Debug, Default)]
pub struct NewsExtractor;

impl NewsExtractor {
    pub fn new() -> Self {
        Self
    }
}

impl Extractor for NewsExtractor {
    fn extract(&self, raw: &RawRecord) -> Result<Article, ExtractError> {
        let mut lines = raw.content.lines().map(str::trim).filter(|l| !l.is_empty());
        let title = raw
            .meta_str("title")
            .map(str::to_string)
            .or_else(|| lines.next().map(str::to_string))
            .ok_or_else(|| ExtractError("no text in the item".into()))?;
        let body = lines.collect::<Vec<_>>().join("\n\n");
        if body.is_empty() {
            return Err(ExtractError("no article body found".into()));
        }
        Ok(Article {
            id: raw.id.clone(),
            url: raw.meta_str("url").map(str::to_string),
            source: raw.meta_str("source").map(str::to_string),
            title,
            body_hash: newsloom_model::content_id(body.as_bytes()),
            body,
            raw: raw.content.clone(),
            origin: raw.origin.clone(),
            confidence: 0.5,
            meta: raw.meta.clone(),
            warnings: raw.warnings.clone(),
            ..Article::default()
        })
    }
}
