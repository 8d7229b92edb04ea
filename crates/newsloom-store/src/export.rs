//! Streaming reads for exports: each table row by row through a callback, so an export of a
//! large store never holds a table in memory. Every reader takes `after_seq`: only articles
//! stored after that sequence number (and their facts) are visited; 0 means everything.
//!
//! A row whose stored JSON does not parse reaches the callback as `Err`, so the exporter can
//! count and report it and go on; database errors end the scan.

use newsloom_model::{Article, Event, Mention, Quote};
use rusqlite::{Row, params};

use crate::{Result, SqliteStore, StoreError};

/// An article as exported: the stored document plus the columns kept beside it.
#[derive(Debug, Clone)]
pub struct ArticleExport {
    pub seq: i64,
    /// The full article (story set, raw input left out).
    pub article: Article,
    pub copy_of: Option<String>,
    /// Seconds since the Unix epoch when the article was stored.
    pub ingested_at: i64,
}

/// A `stories` row.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryExport {
    pub id: String,
    pub title: String,
    pub size: i64,
    pub outlets: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Sequence number of the last article that changed the story.
    pub updated_seq: i64,
}

/// An entity mention joined with its entity.
#[derive(Debug, Clone)]
pub struct MentionExport {
    pub mention: Mention,
    pub entity_name: Option<String>,
    pub entity_kind: Option<String>,
    pub entity_code: Option<String>,
}

/// An event with the story its article belongs to now (after merges).
#[derive(Debug, Clone)]
pub struct EventExport {
    pub event: Event,
    pub story: Option<String>,
}

/// One event as `newsloom events` counts it (per story, actors and CAMEO code), with the
/// reports behind it. The first report is the one from the earliest stored article.
#[derive(Debug, Clone)]
pub struct EventGroup {
    /// The story, or the article for events of articles without one.
    pub key: String,
    pub source_actor: String,
    pub target_actor: Option<String>,
    pub cameo: String,
    /// The first report's event (its date, span, confidence, Goldstein score).
    pub first: Event,
    pub first_seq: i64,
    pub first_url: Option<String>,
    pub first_ingested_at: i64,
    /// The first article's publication day (`YYYY-MM-DD`), when known.
    pub first_day: Option<String>,
    /// Event rows (one per report; an article can report an event twice).
    pub reports: i64,
    /// Distinct outlets; each article without a known outlet counts as one of its own.
    pub sources: i64,
    pub articles: i64,
}

/// One report of an event: an event row with its article and the event's group.
#[derive(Debug, Clone)]
pub struct EventReport {
    pub key: String,
    pub source_actor: String,
    pub target_actor: Option<String>,
    pub cameo: String,
    pub event: Event,
    pub article_seq: i64,
    pub article_source: Option<String>,
    pub article_url: Option<String>,
    pub article_ingested_at: i64,
    /// When the event's first report was stored (GDELT's EventTimeDate).
    pub group_first_ingested_at: i64,
}

/// Only articles stored after `after_seq`, or everything when it is 0 or less.
fn article_filter(after_seq: i64, column: &str) -> String {
    if after_seq > 0 { format!(" WHERE {column} > ?1") } else { " WHERE ?1 IS NOT NULL".to_string() }
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, doc: &str) -> Result<T> {
    serde_json::from_str(doc).map_err(|e| StoreError(format!("{what}: stored JSON is invalid: {e}")))
}

impl SqliteStore {
    /// The first sequence number stored at or after `unix_secs` (minus one, as an `after_seq`);
    /// the highest stored sequence when nothing is that new.
    pub fn seq_before_time(&self, unix_secs: i64) -> Result<i64> {
        let first: Option<i64> = self.conn.query_row(
            "SELECT MIN(seq) FROM articles WHERE ingested_at >= ?",
            [unix_secs],
            |r| r.get(0),
        )?;
        match first {
            Some(seq) => Ok(seq - 1),
            None => self.max_seq(),
        }
    }

    /// Articles stored after `after_seq`, in storage order.
    pub fn for_each_article_export<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<ArticleExport>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, id, doc, story, copy_of, ingested_at FROM articles WHERE seq > ? ORDER BY seq",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([after_seq]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let (seq, id, doc): (i64, String, String) = (
                r.get(0).map_err(StoreError::from)?,
                r.get(1).map_err(StoreError::from)?,
                r.get::<_, crate::packed::Packed>(2).map_err(StoreError::from)?.0,
            );
            let row = parse::<Article>(&format!("article {id}"), &doc).and_then(|mut article| {
                article.story = r.get(3)?;
                Ok(ArticleExport { seq, article, copy_of: r.get(4)?, ingested_at: r.get(5)? })
            });
            f(row)?;
        }
        Ok(())
    }

    /// Stories changed by an article stored after `after_seq` (all stories when 0).
    pub fn for_each_story_export<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<StoryExport>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, title, size, outlets, first_seen, last_seen, updated_seq FROM stories
                 WHERE updated_seq > ? ORDER BY updated_seq, id",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([after_seq]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let story = (|| -> rusqlite::Result<StoryExport> {
                Ok(StoryExport {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    size: r.get(2)?,
                    outlets: r.get(3)?,
                    first_seen: r.get(4)?,
                    last_seen: r.get(5)?,
                    updated_seq: r.get(6)?,
                })
            })();
            f(story.map_err(StoreError::from))?;
        }
        Ok(())
    }

    /// Entity mentions (with their entity) of articles stored after `after_seq`.
    pub fn for_each_mention_export<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<MentionExport>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let sql = format!(
            "SELECT m.doc, e.name, e.kind, e.code FROM mentions m LEFT JOIN entities e ON e.id = m.entity
             {} ORDER BY m.rowid",
            article_filter(after_seq, "m.article_seq")
        );
        self.scan_docs(
            &sql,
            after_seq,
            "mention",
            |r, doc| {
                let mention: Mention = parse("mention", doc)?;
                Ok(MentionExport {
                    mention,
                    entity_name: r.get(1)?,
                    entity_kind: r.get(2)?,
                    entity_code: r.get(3)?,
                })
            },
            &mut f,
        )
    }

    /// Quotes of articles stored after `after_seq`.
    pub fn for_each_quote_export<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<Quote>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let sql =
            format!("SELECT doc FROM quotes{} ORDER BY rowid", article_filter(after_seq, "article_seq"));
        self.scan_docs(&sql, after_seq, "quote", |_, doc| parse("quote", doc), &mut f)
    }

    /// Events (one row per report) of articles stored after `after_seq`.
    pub fn for_each_event_export<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<EventExport>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let sql = format!(
            "SELECT doc, story FROM events{} ORDER BY rowid",
            article_filter(after_seq, "article_seq")
        );
        self.scan_docs(
            &sql,
            after_seq,
            "event",
            |r, doc| Ok(EventExport { event: parse("event", doc)?, story: r.get(1)? }),
            &mut f,
        )
    }

    /// Runs `sql` (first column a JSON document, `?1` = after_seq) and hands each row, built by
    /// `build`, to `f`.
    fn scan_docs<T, E: From<StoreError>>(
        &self,
        sql: &str,
        after_seq: i64,
        what: &str,
        build: impl Fn(&Row, &str) -> Result<T>,
        f: &mut impl FnMut(Result<T>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self.conn.prepare(sql).map_err(StoreError::from)?;
        let mut rows = stmt.query(params![after_seq]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let doc: String = r.get(0).map_err(StoreError::from)?;
            f(build(r, &doc).map_err(|e| StoreError(format!("{what}: {}", e.0))))?;
        }
        Ok(())
    }

    /// Events grouped as `newsloom events` groups them, those whose first report comes from an
    /// article stored after `after_seq`, in the order they were first seen.
    pub fn for_each_event_group<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<EventGroup>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        // SQLite takes the bare columns of a MIN() aggregate from the row holding the minimum,
        // so `doc`, `url`... are the first report's.
        let mut stmt = self
            .conn
            .prepare(
                "SELECT COALESCE(e.story, e.article) AS k, e.source_actor, e.target_actor, e.cameo,
                        MIN(a.seq), e.doc, a.url, a.ingested_at, a.day,
                        COUNT(*), COUNT(DISTINCT COALESCE(a.source, 'article:' || a.id)), COUNT(DISTINCT a.id)
                 FROM events e JOIN articles a ON a.seq = e.article_seq
                 GROUP BY k, e.source_actor, e.target_actor, e.cameo
                 HAVING MIN(a.seq) > ?
                 ORDER BY MIN(a.seq), k, e.source_actor, e.target_actor, e.cameo",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([after_seq]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let doc: String = r.get(5).map_err(StoreError::from)?;
            let group = parse::<Event>("event", &doc).and_then(|first| {
                Ok(EventGroup {
                    key: r.get(0)?,
                    source_actor: r.get(1)?,
                    target_actor: r.get(2)?,
                    cameo: r.get(3)?,
                    first_seq: r.get(4)?,
                    first,
                    first_url: r.get(6)?,
                    first_ingested_at: r.get(7)?,
                    first_day: r.get(8)?,
                    reports: r.get(9)?,
                    sources: r.get(10)?,
                    articles: r.get(11)?,
                })
            });
            f(group)?;
        }
        Ok(())
    }

    /// Every report (event row) from articles stored after `after_seq`, in storage order, with
    /// when its event was first reported (over the whole store, not only the new rows).
    pub fn for_each_event_report<E: From<StoreError>>(
        &self,
        after_seq: i64,
        mut f: impl FnMut(Result<EventReport>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT * FROM (
                   SELECT COALESCE(e.story, e.article) AS k, e.source_actor, e.target_actor, e.cameo, e.doc,
                          a.seq, a.source, a.url, a.ingested_at,
                          MIN(a.ingested_at) OVER (PARTITION BY COALESCE(e.story, e.article), e.source_actor,
                                                   e.target_actor, e.cameo) AS first_at,
                          e.rowid AS rid
                   FROM events e JOIN articles a ON a.seq = e.article_seq)
                 WHERE seq > ? ORDER BY seq, rid",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([after_seq]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let doc: String = r.get(4).map_err(StoreError::from)?;
            let report = parse::<Event>("event", &doc).and_then(|event| {
                Ok(EventReport {
                    key: r.get(0)?,
                    source_actor: r.get(1)?,
                    target_actor: r.get(2)?,
                    cameo: r.get(3)?,
                    event,
                    article_seq: r.get(5)?,
                    article_source: r.get(6)?,
                    article_url: r.get(7)?,
                    article_ingested_at: r.get(8)?,
                    group_first_ingested_at: r.get(9)?,
                })
            });
            f(report)?;
        }
        Ok(())
    }

    /// The clean body of an article (from its stored document), if stored.
    pub fn article_body(&self, id: &str) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT doc FROM articles WHERE id = ?")?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => {
                let doc = r.get::<_, crate::packed::Packed>(0)?.0;
                // The body alone: the rest of the document is skipped, not built (a story page
                // reads a body per event it quotes a sentence of).
                #[derive(serde::Deserialize)]
                struct BodyOnly {
                    body: String,
                }
                Ok(Some(parse::<BodyOnly>(&format!("article {id}"), &doc)?.body))
            }
            None => Ok(None),
        }
    }

    /// `(start, actor code)` of every mention in an article whose entity has an actor code.
    pub fn coded_mentions(&self, article: &str) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.start, e.code FROM mentions m JOIN entities e ON e.id = m.entity
             WHERE m.article_seq = (SELECT seq FROM articles WHERE id = ?) AND e.code IS NOT NULL ORDER BY m.start",
        )?;
        let rows = stmt.query_map([article], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl SqliteStore {
    /// Runs `f` inside one read transaction: every query in it sees the same snapshot of the
    /// store (WAL), even while another process keeps writing. Exports use it so their counts,
    /// files and high-water mark agree.
    pub fn read_snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Self) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.conn.execute_batch("BEGIN DEFERRED").map_err(StoreError::from)?;
        let out = f(self);
        // Only reads happened: ending the transaction either way loses nothing.
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        match (out, end) {
            (Ok(v), Ok(())) => Ok(v),
            (Ok(_), Err(e)) => Err(StoreError::from(e).into()),
            (Err(e), _) => Err(e),
        }
    }
}
