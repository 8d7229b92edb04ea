//! Article lookups shared across the items of one response (the article and sentence each
//! quote or event came from).

use std::collections::HashMap;

use newsloom_model::{Span, sentence_around};
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
    /// Bodies, read once per article and response.
    bodies: HashMap<String, Option<String>>,
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
            self.bodies.insert(span.article.clone(), body);
        }
        Ok(self.bodies[&span.article]
            .as_deref()
            .and_then(|b| sentence_around(b, span.start, span.end))
            .map(Sentence::from))
    }
}
