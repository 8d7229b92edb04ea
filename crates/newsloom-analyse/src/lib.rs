//! The analyse stage: entities, quotes with speakers, and coded political events, each with
//! its provenance span into the article body.

use newsloom_model::{
    Article, ArticleTone, Entity, Event, Mention, MentionTone, PlaceMention, Quote, ThemeLabel,
};
use serde::{Deserialize, Serialize};

pub mod eval;
pub mod events;
pub mod folds;
pub mod ner;
pub mod quotes;
pub mod themes;
pub mod tone;

/// Everything the analyse stage found in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    /// Toponyms resolved to GeoNames (filled by the geo stage, `newsloom-geo`).
    #[serde(default)]
    pub places: Vec<PlaceMention>,
    /// GDELT-style V2Tone of the article (absent in analyses stored before tone existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<ArticleTone>,
    /// Sentiment towards each entity mention, in its sentence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mention_tones: Vec<MentionTone>,
    /// IPTC subjects and GDELT-like themes, main subject first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<ThemeLabel>,
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
        // Tagged once: the tone stage reuses the tokens and sentences.
        let tagged = self.entities.tagger().tag(&article.body);
        let (entities, mentions) = self.entities.link(&article.id, &article.body, &tagged, day);
        let quotes = self.quotes.extract(&article.id, &article.body, Some(&mentions));
        let events = self.events.code_with_entities(&article.id, &article.body, day, &mentions, &entities);
        let (tone, mention_tones) = tone::ToneAnalyser::shared().analyse_tokens(
            &article.id,
            &article.body,
            &tagged.tokens,
            &tagged.sentences,
            &mentions,
        );
        let themes = themes::ThemeClassifier::shared().classify_article(&article.title, &article.body);
        Analysis {
            entities,
            mentions,
            quotes,
            events,
            tone: Some(tone),
            mention_tones,
            themes,
            ..Analysis::default()
        }
    }
}
