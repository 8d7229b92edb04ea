//! Response shapes, with OpenAPI schemas. Model types from other crates appear as objects.

use newsloom_model::{Entity, Event, Quote};
use newsloom_store::ArticleRow;
use serde::Serialize;
use utoipa::ToSchema;

/// One line of an article listing.
pub type ArticleItem = ArticleRow;

/// A page of results; pass `next_cursor` as `cursor` for the next page (absent on the last).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The article an event, quote or mention came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub story: Option<String>,
}

/// A story with its size, outlets and first and last days.
pub type StorySummary = newsloom_store::StoryRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityCount {
    #[schema(value_type = Object)]
    pub entity: Entity,
    pub mentions: i64,
}

/// A quote with the article it is in.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteItem {
    #[schema(value_type = Object)]
    pub quote: Quote,
    pub article: Option<ArticleRef>,
}

/// An event (one per story, actors and code) with its reports and the sentence behind it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventItem {
    #[schema(value_type = Object)]
    pub event: Event,
    /// Articles of the story that report this event.
    pub reports: i64,
    pub article: Option<ArticleRef>,
    /// The sentence of the article holding the event's span.
    pub sentence: Option<Sentence>,
}

/// A sentence with the char range (within it) of the span it was taken for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sentence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl From<newsloom_model::SpanSentence> for Sentence {
    fn from(s: newsloom_model::SpanSentence) -> Self {
        Sentence { text: s.text, start: s.start, end: s.end }
    }
}
