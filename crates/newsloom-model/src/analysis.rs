//! What the analyse stage found in one article: the unit the store writes and reads back.

use serde::{Deserialize, Serialize};

use crate::{ArticleTone, Entity, Event, Mention, MentionTone, PlaceMention, Quote, ThemeLabel};

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
