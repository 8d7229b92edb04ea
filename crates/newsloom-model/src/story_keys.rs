//! What a story page groups an article's quotes and events by, across outlets. Computed once
//! when an article's facts are stored, so that a page does not parse every quote and event of
//! every article again to find it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{Event, QuadClass};

/// Two outlets carry the same quote when its speaker and its first eight words match, case
/// and punctuation aside: `"speaker|first eight words"`, lower-cased.
///
/// ```
/// use newsloom_model::quote_key;
/// assert_eq!(quote_key(Some("Peskov"), "We will respond, firmly."), "peskov|we will respond firmly");
/// assert_eq!(quote_key(None, "a b c d e f g h i j"), "|a b c d e f g h");
/// ```
pub fn quote_key(speaker: Option<&str>, text: &str) -> String {
    let mut key = speaker.unwrap_or("").to_lowercase();
    key.push('|');
    let words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8);
    for (i, word) in words.enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&word.to_lowercase());
    }
    key
}

/// What a story page groups an event by (actors and code, with its quad class) and orders it
/// by (date, then place in its article).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventKey<'a> {
    #[serde(borrow)]
    pub source: Cow<'a, str>,
    #[serde(borrow, default)]
    pub target: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub cameo: Cow<'a, str>,
    pub quad_class: QuadClass,
    #[serde(borrow, default)]
    pub date: Option<Cow<'a, str>>,
    /// The event's span in its article (chars).
    pub start: usize,
    pub end: usize,
}

impl<'a> From<&'a Event> for EventKey<'a> {
    fn from(e: &'a Event) -> Self {
        Self {
            source: Cow::Borrowed(&e.source_actor),
            target: e.target_actor.as_deref().map(Cow::Borrowed),
            cameo: Cow::Borrowed(&e.cameo),
            quad_class: e.quad_class,
            date: e.date.as_deref().map(Cow::Borrowed),
            start: e.span.start,
            end: e.span.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_key_reads_back_borrowed_from_its_json() {
        let e = Event {
            source_actor: "RUS".into(),
            target_actor: Some("NATO".into()),
            cameo: "111".into(),
            quad_class: QuadClass::VerbalConflict,
            date: Some("2024-03-01".into()),
            span: crate::Span { article: "a".into(), start: 4, end: 40 },
            plover: None,
            plover_mode: None,
            goldstein: -4.0,
            negated: false,
            confidence: 0.9,
            action_geo: None,
            source_geo: None,
            target_geo: None,
        };
        let json = serde_json::to_string(&EventKey::from(&e)).unwrap();
        let back: EventKey = serde_json::from_str(&json).unwrap();
        assert_eq!(back, EventKey::from(&e));
        assert!(matches!(back.source, Cow::Borrowed("RUS")), "no copy when nothing is escaped");
        let untargeted = Event { target_actor: None, date: None, ..e };
        let json = serde_json::to_string(&EventKey::from(&untargeted)).unwrap();
        let back: EventKey = serde_json::from_str(&json).unwrap();
        assert_eq!((back.target, back.date), (None, None));
    }
}
