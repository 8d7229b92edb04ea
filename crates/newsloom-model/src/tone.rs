use serde::{Deserialize, Serialize};

use crate::Span;

/// GDELT-style V2Tone of one article, from the shipped sentiment lexicon (see `newsloom-analyse`
/// `tone`). Percentages are of `word_count`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct ArticleTone {
    /// `positive - negative`: GDELT's AvgTone scale (typically -10..+10).
    pub tone: f32,
    /// Percentage of words that carry positive sentiment (after negation).
    pub positive: f32,
    /// Percentage of words that carry negative sentiment (after negation).
    pub negative: f32,
    /// `positive + negative`: how emotionally charged the text is, whatever the direction.
    pub polarity: f32,
    /// Percentage of words that are first-person pronouns (GDELT's self/group reference density).
    #[serde(default)]
    pub self_group_density: f32,
    pub word_count: u32,
}

/// The sentiment a sentence expresses towards one mentioned entity (target-dependent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionTone {
    /// Canonical entity id of the mention.
    pub entity: String,
    pub span: Span,
    /// -1 negative, 0 neutral, 1 positive.
    pub polarity: i8,
    /// P(positive) - P(negative), in -1..1.
    pub score: f32,
    /// Probability of the predicted class.
    pub confidence: f32,
}

/// One theme label of an article: an IPTC Media Topic (top level) or a GDELT-like theme keyword.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeLabel {
    /// `medtop:04000000` for IPTC topics; an upper-case GDELT-like name (`ELECTION`) for themes.
    pub code: String,
    /// IPTC's English label, or the theme's description.
    pub label: String,
    /// `iptc` or `theme`.
    pub kind: String,
    /// 0..1.
    pub confidence: f32,
}
