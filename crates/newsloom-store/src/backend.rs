//! The store interface: every read and write the pipeline, CLI and server need, so none of
//! them sees SQL and a second engine (PostgreSQL, in `newsloom-postgres`) slots in beside the
//! embedded SQLite store.
//!
//! The trait is object safe and synchronous: callers hold a `Box<dyn StoreBackend>`, and async
//! code (the server) runs it on blocking threads, as it already did with SQLite.
//!
//! Every backend must pass the shared conformance suite in [`crate::conformance`].

use std::collections::HashSet;

use newsloom_model::{
    Analysis, Article, ArticleTone, Entity, Event, MentionTone, PlaceMention, Quote, ThemeLabel,
};

use crate::{
    ArticleFilter, ArticleRow, BatchOutcome, DyadPoint, EventFilter, GeoEventFilter, NewArticle, PlaceCount,
    PlaceFilter, QuoteFilter, Reject, Result, Stats, StoryQuery, StoryRow, TonePoint, ToneSubject,
};

/// One stored article's listing fields, looked up by id (no body).
pub type ArticleBrief = ArticleRow;

/// The facts of several articles, as [`StoreBackend::facts_of_articles`] reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticlesFacts {
    /// Per article, in the order asked: mentions, quotes and events (`entities` left empty).
    pub articles: Vec<Analysis>,
    /// Every entity those articles mention, once each, by id.
    pub entities: Vec<Entity>,
}

/// One article as [`StoreBackend::article_page`] reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticlePage {
    /// Without its raw input (`raw` empty).
    pub article: Article,
    /// The article this one is a near-copy (reprint) of, if any.
    pub copy_of: Option<String>,
    pub analysis: Analysis,
}

/// A store engine: the source of truth for articles, stories and facts.
///
/// Writes are whole batches, idempotent by article id: writing the same batch twice stores it
/// once and counts the second copy as duplicates. Reads never see part of a batch.
pub trait StoreBackend: Send {
    /// `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;
    /// Where the store lives, for messages (a directory, or a URL without its password).
    fn location(&self) -> String;
    /// The schema version this store is at.
    fn schema_version(&self) -> Result<i64>;
    /// The embedded store behind this backend, for what only it keeps (follow and watch
    /// state, file exports).
    fn as_sqlite(&self) -> Option<&crate::SqliteStore> {
        None
    }

    // -- writing
    /// Stores a batch atomically; articles already present (same id) are skipped and counted.
    fn insert_batch(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome>;
    /// Which of `ids` are already stored.
    fn existing_ids(&self, ids: &[&str]) -> Result<HashSet<String>>;
    /// Writes the derived per-article data that articles stored by an older version lack (the
    /// embedded store's facts documents), in batches, calling `progress` with the running
    /// count; returns how many articles it completed. Engines that derive nothing return 0.
    fn backfill_derived(&mut self, _progress: &mut dyn FnMut(u64)) -> Result<u64> {
        Ok(0)
    }
    /// The highest article sequence number stored (0 when empty): the high-water mark that
    /// indexes, exports and caches follow.
    fn max_seq(&self) -> Result<i64>;

    // -- articles
    /// The full article, raw input and story included.
    fn article(&self, id: &str) -> Result<Option<Article>>;
    /// An article's listing fields (title, outlet, date, story), without its body.
    fn article_brief(&self, id: &str) -> Result<Option<ArticleBrief>>;
    /// An article's clean body.
    fn article_body(&self, id: &str) -> Result<Option<String>>;
    /// An article as its page shows it: without its raw input, with the article it is a
    /// near-copy of and everything the analyse stage stored for it.
    fn article_page(&self, id: &str) -> Result<Option<ArticlePage>> {
        let Some(mut article) = self.article(id)? else { return Ok(None) };
        article.raw = String::new();
        Ok(Some(ArticlePage { copy_of: self.copy_of(id)?, analysis: self.analysis(id)?, article }))
    }
    /// Articles stored after `after_seq`, in storage order, `limit` at a time.
    fn scan_articles(&self, after_seq: i64, limit: usize, with_raw: bool) -> Result<Vec<(i64, Article)>>;
    /// The article an article is a near-copy of, if any.
    fn copy_of(&self, id: &str) -> Result<Option<String>>;
    /// Article listing, newest stored first (oldest first when paging with `after_seq`).
    fn articles(&self, f: &ArticleFilter) -> Result<Vec<ArticleRow>>;

    // -- stories
    /// The story an id now belongs to, following merges (the id itself if it was never merged).
    fn resolve_story(&self, id: &str) -> Result<String>;
    fn stories(&self, q: &StoryQuery) -> Result<Vec<StoryRow>>;
    /// A story and its articles.
    fn story(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>>;

    // -- facts
    /// Everything the analyse stage stored for one article.
    fn analysis(&self, article: &str) -> Result<Analysis>;
    /// The part of [`analysis`](Self::analysis) a story page gathers from each of its
    /// articles: entities, mentions, quotes and events, without places, tone or themes.
    fn story_facts(&self, article: &str) -> Result<Analysis> {
        self.analysis(article)
    }
    /// [`story_facts`](Self::story_facts) of several articles at once (a story page's), with
    /// the entities they mention gathered once for all of them.
    fn facts_of_articles(&self, articles: &[&str]) -> Result<ArticlesFacts> {
        let mut entities = std::collections::BTreeMap::new();
        let mut facts = Vec::with_capacity(articles.len());
        for article in articles {
            let mut f = self.story_facts(article)?;
            for e in f.entities.drain(..) {
                entities.entry(e.id.clone()).or_insert(e);
            }
            facts.push(f);
        }
        Ok(ArticlesFacts { articles: facts, entities: entities.into_values().collect() })
    }
    /// [`facts_of_articles`](Self::facts_of_articles) as JSON, without the entities, for a
    /// reader that passes facts on rather than building them (a story page: parsing and
    /// writing again each quote and event was a fifth of its CPU). Per article, in the order
    /// asked, `{"mentions":[…],"quotes":[…],"events":[…]}` as serialising the model types
    /// writes it; a fact stored by an older version lacks the fields added since.
    fn facts_json_of_articles(&self, articles: &[&str]) -> Result<Vec<String>> {
        let facts = self.facts_of_articles(articles)?;
        facts.articles.iter().map(crate::facts::facts_doc_json).collect()
    }
    /// [`facts_json_of_articles`](Self::facts_json_of_articles) of articles as
    /// [`story`](Self::story) lists them: an engine that keys facts by the rows' `seq` reads
    /// them without looking each id up again (on a cold store, a third of a story page's reads).
    fn facts_json_of_rows(&self, articles: &[&ArticleRow]) -> Result<Vec<String>> {
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        self.facts_json_of_articles(&ids)
    }
    /// The entities with these ids that the store knows, in id order.
    fn entities_by_ids(&self, ids: &[&str]) -> Result<Vec<Entity>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some((e, _)) = self.entity(id)? {
                out.push(e);
            }
        }
        Ok(out)
    }
    /// The entity ids an article mentions.
    fn article_entities(&self, article: &str) -> Result<Vec<String>>;
    fn stats(&self) -> Result<Stats>;
    /// Entities by number of mentions, optionally matching a name substring or id; `limit`
    /// of them after skipping `offset` (the skipped ones are never read in full).
    fn entities(&self, query: Option<&str>, offset: usize, limit: usize) -> Result<Vec<(Entity, i64)>>;
    /// One entity and its number of mentions.
    fn entity(&self, id: &str) -> Result<Option<(Entity, i64)>>;
    fn quotes(&self, f: &QuoteFilter) -> Result<Vec<Quote>>;
    /// Events with their row ids.
    fn events(&self, f: &EventFilter) -> Result<Vec<(Event, i64)>>;
    /// Distinct events of an actor pair per period (`period_len` chars of the date) and quad
    /// class. An event is distinct per story, actors, code and day; a longer period adds its
    /// days up.
    fn dyad(&self, a: &str, b: &str, period_len: usize) -> Result<Vec<DyadPoint>>;

    // -- places
    fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>>;
    fn article_places(&self, article: &str) -> Result<Vec<PlaceMention>>;
    fn events_by_place(&self, f: &GeoEventFilter) -> Result<Vec<Event>>;

    // -- tone and themes
    fn article_tone(&self, article: &str) -> Result<Option<ArticleTone>>;
    fn article_themes(&self, article: &str) -> Result<Vec<ThemeLabel>>;
    fn mention_tones(&self, article: &str) -> Result<Vec<MentionTone>>;
    fn articles_with_theme(&self, code: &str, min_confidence: f32, limit: usize) -> Result<Vec<String>>;
    fn articles_in_tone_range(&self, min: f32, max: f32, limit: usize) -> Result<Vec<String>>;
    fn tone_series(&self, subject: &ToneSubject, period_len: usize) -> Result<Vec<TonePoint>>;

    // -- rejects
    /// The most recent rejected input items, newest first.
    fn rejects(&self, limit: usize) -> Result<Vec<Reject>>;
}

/// Where a store lives, parsed from `--db` / `NEWSLOOM_DB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A directory holding the embedded SQLite store and its search index.
    Dir(std::path::PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl Location {
    /// ```
    /// use newsloom_store::Location;
    /// assert_eq!(Location::parse("data"), Location::Dir("data".into()));
    /// assert!(matches!(Location::parse("postgres://u@localhost/db"), Location::Postgres(_)));
    /// ```
    pub fn parse(s: &str) -> Self {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::Dir(s.into())
        }
    }

    /// For messages: the directory, or the URL with any password masked.
    pub fn display(&self) -> String {
        match self {
            Location::Dir(d) => d.display().to_string(),
            Location::Postgres(url) => mask_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[scheme_end..];
    // The user info can only be in the authority, before the path or query.
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let Some(at) = authority.rfind('@') else { return url.to_string() };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..scheme_end], &rest[..colon], &rest[at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_in_locations() {
        assert_eq!(mask_password("postgres://u:pw@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_password("postgres://h/db?x=a:b@c"), "postgres://h/db?x=a:b@c");
        assert_eq!(Location::parse("postgresql://h/db").display(), "postgresql://h/db");
    }
}
