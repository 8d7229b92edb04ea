//! What a story page gathers of its articles: their mentions, quotes and events (one
//! `article_facts` document per article), and the entities they name.

use std::collections::{BTreeMap, HashMap};

use newsloom_model::{Analysis, Entity, Event, EventKey, Mention, Quote, SpanSentence, quote_key};
use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::packed::Packed;
use crate::{ArticleRow, ArticlesFacts, Result, SqliteStore};

impl SqliteStore {
    /// An article's entities, mentions, quotes and events: what a story page gathers.
    pub fn story_facts(&self, article: &str) -> Result<Analysis> {
        self.by_seq(article, |seq| self.story_facts_at(seq))
    }

    /// [`Self::story_facts`] of the article stored at `seq`.
    pub(crate) fn story_facts_at(&self, seq: i64) -> Result<Analysis> {
        Ok(self.facts_row_at(seq, false)?.0)
    }

    /// [`Self::story_facts_at`] and, with `page`, the row's article page document
    /// ([`crate::page_facts`]; `None` for rows written before it existed).
    pub(crate) fn facts_row_at(&self, seq: i64, page: bool) -> Result<(Analysis, Option<String>)> {
        let sql = if page { FACT_PAGE_ROW_SQL } else { FACT_ROW_SQL };
        let row: Option<(Packed, Option<Packed>, Option<Packed>)> = self
            .conn
            .prepare_cached(sql)?
            .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, if page { r.get(2)? } else { None })))
            .optional()?;
        let (facts, page) = match row {
            Some((Packed(doc), mentions, page)) => {
                (analysis_of_row(&doc, mentions.as_ref().map(|m| m.0.as_str()))?, page.map(|p| p.0))
            }
            // Stored before `article_facts` existed: the fact tables.
            None => (self.facts_from_tables_at(seq)?, None),
        };
        let entities = self.entities_by_id(facts.mentions.iter().map(|m| m.entity.as_str()))?;
        Ok((Analysis { entities, ..facts }, page))
    }

    /// [`Self::story_facts`] of several articles: their documents in one statement, and the
    /// entities in one more for all of them (a story's articles mostly name the same ones, so
    /// each is read and parsed once, not once per article).
    pub fn facts_of_articles(&self, articles: &[&str]) -> Result<ArticlesFacts> {
        let rows =
            self.facts_rows(FACTS_ROWS_SQL, articles, |r| Ok((r.get(1)?, r.get::<_, Option<Packed>>(2)?)))?;
        let mut out = Vec::with_capacity(articles.len());
        for article in articles {
            let facts = match rows.get(*article) {
                Some((Packed(doc), mentions)) => {
                    analysis_of_row(doc, mentions.as_ref().map(|m| m.0.as_str()))?
                }
                // Stored before `article_facts` existed: the fact tables.
                // Its entities are read below with the others: its mentions name them.
                None => Analysis { entities: vec![], ..self.facts_from_tables(article)? },
            };
            out.push(facts);
        }
        let ids = out.iter().flat_map(|f| f.mentions.iter().map(|m| m.entity.as_str()));
        Ok(ArticlesFacts { entities: self.entities_by_id(ids)?, articles: out })
    }

    /// [`Self::facts_of_articles`] as the stored JSON documents, without the entities: for a
    /// reader that passes facts on rather than building them (see
    /// [`StoreBackend::facts_json_of_articles`](crate::StoreBackend::facts_json_of_articles)).
    pub fn facts_json_of_articles(&self, articles: &[&str]) -> Result<Vec<String>> {
        let docs = self.facts_rows(FACTS_DOCS_SQL, articles, |r| r.get::<_, Packed>(1))?;
        articles
            .iter()
            .map(|article| match docs.get(*article) {
                Some(Packed(doc)) => Ok(doc.clone()),
                None => facts_doc_json(&self.facts_from_tables(article)?),
            })
            .collect()
    }

    /// [`Self::facts_json_of_articles`] by the rows' seqs (see
    /// [`StoreBackend::facts_json_of_rows`](crate::StoreBackend::facts_json_of_rows)).
    pub fn facts_json_of_rows(&self, articles: &[&ArticleRow]) -> Result<Vec<String>> {
        let seqs: Vec<i64> = articles.iter().map(|a| a.seq).collect();
        let mut stmt = self.conn.prepare_cached(FACTS_DOCS_BY_SEQ_SQL)?;
        let docs: HashMap<i64, Packed> = stmt
            .query_map([serde_json::to_string(&seqs)?], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        articles
            .iter()
            .map(|a| match docs.get(&a.seq) {
                Some(Packed(doc)) => Ok(doc.clone()),
                None => facts_doc_json(&self.facts_from_tables_at(a.seq)?),
            })
            .collect()
    }

    /// The entities with these ids that the store knows, in id order.
    pub fn entities_by_ids(&self, ids: &[&str]) -> Result<Vec<Entity>> {
        self.entities_by_id(ids.iter().copied())
    }

    /// The `article_facts` rows of these articles as `value` reads them, by article id:
    /// `sql` selects the article id first (articles stored before that table existed have no
    /// row).
    fn facts_rows<T>(
        &self,
        sql: &str,
        articles: &[&str],
        value: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<HashMap<String, T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([serde_json::to_string(articles)?], |r| Ok((r.get(0)?, value(r)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entities with these ids (repeats allowed) as the store knows them, by id.
    fn entities_by_id<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Result<Vec<Entity>> {
        let mut ids: Vec<&str> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc FROM entities WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        )?;
        let docs = stmt
            .query_map([serde_json::to_string(&ids)?], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        parse_docs(docs)
    }

    /// [`Self::story_facts`] for articles stored before `article_facts` existed (public for
    /// the `story_page_cost` example, which compares the two).
    #[doc(hidden)]
    pub fn facts_from_tables(&self, article: &str) -> Result<Analysis> {
        // The seq once, for the four reads (an unknown id has no facts).
        self.by_seq(article, |seq| self.facts_from_tables_at(seq))
    }

    /// [`Self::facts_from_tables`] of the article stored at `seq`.
    pub(crate) fn facts_from_tables_at(&self, seq: i64) -> Result<Analysis> {
        let docs = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([seq], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let mentions: Vec<Mention> =
            parse_docs(docs("SELECT doc FROM mentions WHERE article_seq = ? ORDER BY start")?)?;
        let quotes: Vec<Quote> =
            parse_docs(docs("SELECT doc FROM quotes WHERE article_seq = ? ORDER BY start")?)?;
        let events: Vec<Event> =
            parse_docs(docs("SELECT doc FROM events WHERE article_seq = ? ORDER BY start")?)?;
        let entities: Vec<Entity> = parse_docs(docs(
            "SELECT e.doc FROM entities e WHERE e.id IN (SELECT entity FROM mentions WHERE article_seq = ?)
             ORDER BY e.id",
        )?)?;
        Ok(Analysis { entities, mentions, quotes, events, ..Default::default() })
    }
}

/// The mentions, quotes and events of an `article_facts` row (its document and its mentions
/// column; documents written before the mentions had their column hold them).
fn analysis_of_row(doc: &str, mentions: Option<&str>) -> Result<Analysis> {
    let f: FactsDoc = serde_json::from_str(doc)?;
    Ok(Analysis {
        mentions: match mentions {
            Some(m) => serde_json::from_str(m)?,
            None => f.mentions,
        },
        quotes: f.quotes,
        events: f.events,
        ..Default::default()
    })
}

/// One article's `article_facts` row, by its seq.
pub(crate) const FACT_ROW_SQL: &str = "SELECT doc, mentions FROM article_facts WHERE seq = ?";

/// [`FACT_ROW_SQL`] with the article page's document.
pub(crate) const FACT_PAGE_ROW_SQL: &str = "SELECT doc, mentions, page FROM article_facts WHERE seq = ?";

/// The `article_facts` documents of these seqs (a JSON array), looked up by rowid.
pub(crate) const FACTS_DOCS_BY_SEQ_SQL: &str =
    "SELECT seq, doc FROM article_facts WHERE seq IN (SELECT value FROM json_each(?))";

/// The facts documents of articles, by a JSON array of their ids.
pub(crate) const FACTS_DOCS_SQL: &str =
    "SELECT a.id, f.doc FROM articles a JOIN article_facts f ON f.seq = a.seq
     WHERE a.id IN (SELECT value FROM json_each(?))";

/// An article's facts as the `article_facts` row keeps them, mentions apart (see
/// [`FactsDocRef`]).
pub(crate) const FACTS_ROWS_SQL: &str =
    "SELECT a.id, f.doc, f.mentions FROM articles a JOIN article_facts f ON f.seq = a.seq
     WHERE a.id IN (SELECT value FROM json_each(?))";

/// An article's facts document as a reader of the whole analysis takes it.
#[derive(serde::Deserialize)]
struct FactsDoc {
    /// Only in documents written before the mentions had their own column.
    #[serde(default)]
    mentions: Vec<Mention>,
    quotes: Vec<Quote>,
    events: Vec<Event>,
}

/// An article's facts as a story page reads them, the `article_facts` document: per entity how
/// often the article names it, the quotes and events as stored, and per quote and event what
/// the page groups them by (computed here once, not by every page that parses them again).
/// Documents written before schema step 16 have `mentions` in place of `entities`
/// and no keys; a reader falls back for them.
#[derive(Serialize)]
pub(crate) struct FactsDocRef<'a> {
    /// Entity ids with their mention counts, by id.
    pub entities: Vec<(&'a str, usize)>,
    pub quotes: Vec<&'a Quote>,
    /// Per quote, [`newsloom_model::quote_key`].
    pub quote_keys: Vec<String>,
    pub events: Vec<&'a Event>,
    /// Per event, its [`EventKey`].
    pub event_keys: Vec<EventKey<'a>>,
    /// The sentence of each event, in the order of `events`; empty when the body was not at
    /// hand (documents made from the fact tables).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub event_sentences: Vec<Option<SpanSentence>>,
}

impl<'a> FactsDocRef<'a> {
    /// The document of these facts (quotes and events in the order given).
    pub(crate) fn new(
        mentions: impl IntoIterator<Item = &'a Mention>,
        quotes: Vec<&'a Quote>,
        events: Vec<&'a Event>,
        event_sentences: Vec<Option<SpanSentence>>,
    ) -> Self {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in mentions {
            *counts.entry(&m.entity).or_default() += 1;
        }
        Self {
            entities: counts.into_iter().collect(),
            quote_keys: quotes.iter().map(|q| quote_key(q.speaker.as_deref(), &q.text)).collect(),
            event_keys: events.iter().map(|e| EventKey::from(*e)).collect(),
            quotes,
            events,
            event_sentences,
        }
    }
}

/// An article's facts as the JSON document `article_facts` keeps (see [`FactsDocRef`]).
pub(crate) fn facts_doc_json(a: &Analysis) -> Result<String> {
    let doc = FactsDocRef::new(&a.mentions, a.quotes.iter().collect(), a.events.iter().collect(), vec![]);
    Ok(serde_json::to_string(&doc)?)
}

pub(crate) fn parse_docs<T: serde::de::DeserializeOwned>(docs: Vec<String>) -> Result<Vec<T>> {
    docs.iter().map(|d| serde_json::from_str(d).map_err(Into::into)).collect()
}
