//! The analyse stage: entities, quotes with speakers, and coded political events, each with
//! its provenance span into the article body.

use newsloom_model::{Article, Entity, Event, Mention, Quote};
use serde::{Deserialize, Serialize};

pub mod eval;
pub mod events;
pub mod folds;
pub mod ner;
pub mod quotes;

/// Everything the analyse stage found in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
}

/// Analyses one article. Stateless per article so it can run on every core.
pub trait Analyser: Send + Sync {
    fn analyse(&self, article: &Article) -> Analysis;
}

/// The default analyser: entities and their mentions ([`ner::EntityRecognizer`]), quotes with
/// their speakers resolved to those entities ([`quotes::QuoteExtractor`]) and coded political
/// events ([`events::EventCoder`], dated against the article's publication day).
#[derive(Debug, Default)]
pub struct NewsAnalyser {
    entities: ner::EntityRecognizer,
    quotes: quotes::QuoteExtractor,
    events: events::EventCoder,
}

impl NewsAnalyser {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Analyser for NewsAnalyser {
    fn analyse(&self, article: &Article) -> Analysis {
        let day = article.published.as_ref().and_then(|p| p.day());
        let (entities, mentions) = self.entities.recognise_article(article);
        let quotes = self.quotes.extract(&article.id, &article.body, Some(&mentions));
        let events = self.events.code_with_entities(&article.id, &article.body, day, &mentions, &entities);
        Analysis { entities, mentions, quotes, events }
    }
}
