//! Article lookups shared across the items of one response (the article and sentence each
//! quote or event came from).

use std::collections::HashMap;

use newsloom_model::Span;
use newsloom_store::{ArticleRow, StoreBackend, StoreError};

use crate::api::types::{ArticleRef, Sentence};

/// Title, outlet, date and story of an article (no body).
pub fn article_ref(store: &dyn StoreBackend, id: &str) -> Result<Option<ArticleRef>, StoreError> {
    Ok(store.article_brief(id)?.as_ref().map(ref_of))
}

/// The reference fields of an article's listing row.
fn ref_of(b: &ArticleRow) -> ArticleRef {
    ArticleRef {
        id: b.id.clone(),
        title: b.title.clone(),
        source: b.source.clone(),
        published: b.published.clone(),
        story: b.story.clone(),
    }
}

/// Article lookups shared across the items of one response.
#[derive(Default)]
pub struct ArticleCache {
    refs: HashMap<String, Option<ArticleRef>>,
    /// Bodies as chars (spans count chars), decoded once per article and response.
    bodies: HashMap<String, Option<Vec<char>>>,
}

impl ArticleCache {
    pub fn article_ref(
        &mut self,
        store: &dyn StoreBackend,
        id: &str,
    ) -> Result<Option<ArticleRef>, StoreError> {
        if let Some(r) = self.refs.get(id) {
            return Ok(r.clone());
        }
        let r = article_ref(store, id)?;
        self.refs.insert(id.to_string(), r.clone());
        Ok(r)
    }

    /// The sentence of the article's body around `span`.
    pub fn sentence(
        &mut self,
        store: &dyn StoreBackend,
        span: &Span,
    ) -> Result<Option<Sentence>, StoreError> {
        if !self.bodies.contains_key(&span.article) {
            let body = store.article_body(&span.article)?;
            self.bodies.insert(span.article.clone(), body.map(|b| b.chars().collect()));
        }
        Ok(self.bodies[&span.article].as_deref().and_then(|b| sentence_in(b, span.start, span.end)))
    }
}

/// The sentence holding chars `start..end` of a body, given as its chars (bounded to ~400 chars each side), with
/// the range's position inside it.
fn sentence_in(chars: &[char], start: usize, end: usize) -> Option<Sentence> {
    if start > end || end > chars.len() {
        return None;
    }
    const REACH: usize = 400;
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let mut s = start;
    while s > 0 && start - s < REACH && !(is_end(chars[s - 1]) && (s == start || chars[s].is_whitespace())) {
        s -= 1;
    }
    let mut e = end;
    while e < chars.len() && e - end < REACH && !(e > start && is_end(chars[e - 1])) {
        e += 1;
    }
    let raw: String = chars[s..e].iter().collect();
    let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
    let text: String = raw.trim().to_string();
    let rel_start = (start - s).saturating_sub(lead).min(text.chars().count());
    let rel_end = (end - s).saturating_sub(lead).min(text.chars().count());
    Some(Sentence { text, start: rel_start, end: rel_end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sentence_around_a_span() {
        let body = "First one. Russia warned NATO today. Last «one».";
        let start = body.find("NATO").unwrap();
        let sentence_around = |body: &str, s, e| sentence_in(&body.chars().collect::<Vec<char>>(), s, e);
        let s = sentence_around(body, start, start + 4).unwrap();
        assert_eq!(s.text, "Russia warned NATO today.");
        assert_eq!(s.text.chars().skip(s.start).take(s.end - s.start).collect::<String>(), "NATO");
        assert!(sentence_around(body, 5, 500).is_none());
        assert!(sentence_around(body, 5, 2).is_none());
    }
}
