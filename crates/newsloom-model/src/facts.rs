use serde::{Deserialize, Serialize};

/// Provenance: where in which article a fact was found.
///
/// `start`/`end` are char (Unicode scalar) offsets into the article's stored clean body, so a
/// UI in any language can highlight them without re-tokenising.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(article: impl Into<String>, start: usize, end: usize) -> Self {
        Self { article: article.into(), start, end }
    }

    /// The text this span covers in `body`, or `None` if it does not fit.
    pub fn slice<'a>(&self, body: &'a str) -> Option<&'a str> {
        if self.start > self.end {
            return None;
        }
        let mut indices = body.char_indices().map(|(i, _)| i).chain(std::iter::once(body.len()));
        let start = indices.nth(self.start)?;
        let end = if self.end == self.start { start } else { indices.nth(self.end - self.start - 1)? };
        body.get(start..end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
    Misc,
}

/// A canonical entity: all its aliases resolve to this one id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    /// CAMEO-style actor code when known (`RUS`, `RUSGOV`, `NATO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// One mention of an entity in an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub entity: String,
    pub text: String,
    pub kind: EntityKind,
    pub span: Span,
    pub confidence: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Partial,
    Indirect,
}

/// Something someone said, with who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub kind: QuoteKind,
    pub span: Span,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// Canonical entity id of the speaker, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_entity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cue: Option<String>,
    /// The medium, for "told Interfax".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    pub confidence: f32,
}

/// CAMEO quad classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuadClass {
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

/// An actor–action–target event coded in CAMEO and PLOVER.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub source_actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_actor: Option<String>,
    pub cameo: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    pub goldstein: f32,
    pub quad_class: QuadClass,
    /// The event's own date when the text states one, else the article's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default)]
    pub negated: bool,
    pub span: Span,
    pub confidence: f32,
    /// Where the event happened (GDELT's ActionGeo), with the text naming the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_geo: Option<crate::GeoRef>,
    /// Where the source actor is from or based (GDELT's Actor1Geo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_geo: Option<crate::GeoRef>,
    /// Where the target actor is from or based (GDELT's Actor2Geo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_geo: Option<crate::GeoRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_slices_by_chars_not_bytes() {
        let body = "«Мы» said “Kelin” now";
        let span = Span::new("a", 11, 16);
        assert_eq!(span.slice(body), Some("Kelin"));
        assert_eq!(Span::new("a", 0, 4).slice(body), Some("«Мы»"));
        assert_eq!(Span::new("a", 3, 3).slice(body), Some(""));
        assert_eq!(Span::new("a", 0, 100).slice(body), None);
        assert_eq!(Span::new("a", 5, 2).slice(body), None);
        let n = body.chars().count();
        assert_eq!(Span::new("a", n - 3, n).slice(body), Some("now"));
    }

    #[test]
    fn facts_round_trip_as_json() {
        let q = Quote {
            text: "We need to build normal relations".into(),
            kind: QuoteKind::Direct,
            span: Span::new("a", 1, 2),
            speaker: Some("Andrei Kelin".into()),
            speaker_entity: None,
            speaker_span: None,
            cue: Some("told".into()),
            medium: Some("Interfax".into()),
            confidence: 0.9,
        };
        let json = serde_json::to_string(&q).unwrap();
        assert!(json.contains("\"kind\":\"direct\""));
        assert_eq!(serde_json::from_str::<Quote>(&json).unwrap(), q);
    }
}
