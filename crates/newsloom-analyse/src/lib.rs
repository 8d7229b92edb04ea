//! The analyse stage: entities, quotes with speakers, and coded political events, each with
//! its provenance span into the article body.

use newsloom_model::{Article, Entity, Event, Mention, Quote};
use serde::{Deserialize, Serialize};

pub mod eval;
pub mod events;
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

/// The default analyser. (Finds nothing until issue 7 lands.)
#[derive(Debug, Default)]
pub struct NewsAnalyser;

impl NewsAnalyser {
    pub fn new() -> Self {
        Self
    }
}

impl Analyser for NewsAnalyser {
    fn analyse(&self, _article: &Article) -> Analysis {
        Analysis::default()
    }
}
