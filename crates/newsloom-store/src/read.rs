//! Reading: articles, stories, facts and aggregates.

use std::collections::HashMap;

use crate::actors::actor_range;
use newsloom_model::Analysis;
use newsloom_model::{Article, Entity, Event, Quote};
use rusqlite::{OptionalExtension, Row, ToSql, params, params_from_iter};
use serde::Serialize;

use crate::packed::Packed;
use crate::{Result, SqliteStore};

/// One line of an article listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleRow {
    pub seq: i64,
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub story: Option<String>,
    /// Set when this article is a near-copy (reprint) of another.
    pub copy_of: Option<String>,
    pub url: Option<String>,
}

/// A `stories` table row before its aggregates are added: id, title, size, first and last seen.
type StoryBase = (String, String, i64, Option<String>, Option<String>);

/// Above this many mentions an entity's articles are found by walking the newest articles
/// (see `articles`): it is then in at least ~2 % of a million-article store, so 50 turn up
/// within a few thousand; below it, listing its mentions reads at most this many index rows.
const COMMON_ENTITY_MENTIONS: i64 = 20_000;

/// The event list groups the newest this many matching event reports (by the order they were
/// stored): grouping all of them read every report of an actor, hundreds of thousands for a
/// country on a million articles (20-30 s cold), for a page that shows the latest 50.
pub const EVENT_WINDOW: usize = 5_000;

const ARTICLE_ROW_COLS: &str = "seq, id, title, source, published, language, story, copy_of, url";

fn article_row(r: &Row) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        title: r.get(2)?,
        source: r.get(3)?,
        published: r.get(4)?,
        language: r.get(5)?,
        story: r.get(6)?,
        copy_of: r.get(7)?,
        url: r.get(8)?,
    })
}

/// Filters for article listings. Dates are `YYYY-MM-DD`, inclusive.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub source: Option<String>,
    pub language: Option<String>,
    pub story: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Cursor: only articles stored after this sequence number (oldest first).
    pub after_seq: Option<i64>,
    /// Cursor: only articles stored before this sequence number (newest first).
    pub before_seq: Option<i64>,
    /// Only articles that mention this entity id.
    pub entity: Option<String>,
    /// Only articles labelled with this theme: its code (`PROTEST`, `medtop:16000000`) or its
    /// label, case-insensitive.
    pub theme: Option<String>,
    /// Only articles whose tone (GDELT AvgTone scale) is at least this.
    pub tone_min: Option<f64>,
    /// Only articles whose tone is at most this.
    pub tone_max: Option<f64>,
    /// Only articles naming a place in this country (ISO 3166-1 alpha-2, any case).
    pub country: Option<String>,
    /// Only articles naming this GeoNames place.
    pub geonameid: Option<i64>,
    pub limit: usize,
}

/// One story with its aggregates.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryRow {
    pub id: String,
    pub title: String,
    pub size: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// Articles that are near-copies of another in the story.
    pub reprints: i64,
    /// Outlets by number of articles, most first (`(unknown)` for articles without one).
    pub outlets: Vec<OutletCount>,
}

/// An outlet and how many articles it has in a story.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletCount {
    pub name: String,
    pub articles: i64,
}

/// How to order a story list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StoryOrder {
    /// Most recently active first.
    #[default]
    Newest,
    /// Most articles first.
    Biggest,
    /// Most distinct outlets first.
    Outlets,
}

/// Which stories a list shows: those seen within `from..=to` (days, inclusive), in `order`,
/// `offset` rows skipped (ties broken by id, so pages are stable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct StoryQuery {
    pub order: StoryOrder,
    pub from: Option<String>,
    pub to: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// Store-wide counts.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    pub articles: i64,
    pub stories: i64,
    pub sources: i64,
    pub entities: i64,
    pub mentions: i64,
    pub quotes: i64,
    pub events: i64,
    pub rejects: i64,
    pub languages: Vec<(String, i64)>,
    pub top_sources: Vec<(String, i64)>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub schema_version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Matches the speaker's name (case-insensitive substring) or its entity id.
    pub speaker: Option<String>,
    /// Only quotes whose speaker is this entity (an index lookup: a name substring is a scan
    /// of every quote, seconds on a million articles).
    pub speaker_entity: Option<String>,
    pub article: Option<String>,
    pub limit: usize,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Actor codes match by prefix: `RUS` matches `RUSGOV`; `NATO`, `EU`, `UN` name their codes.
    pub actor: Option<String>,
    pub target: Option<String>,
    /// CAMEO code prefix (`03`, `112`).
    pub code: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
}

/// A story's articles in date order (`ARTICLE_ROW_COLS`, spelled out to be a constant).
const STORY_ARTICLES_SQL: &str = "SELECT seq, id, title, source, published, language, story, copy_of, url
     FROM articles WHERE story = ? ORDER BY COALESCE(published, ''), seq";

/// A story's outlets with their article and reprint counts.
const STORY_OUTLETS_SQL: &str =
    "SELECT COALESCE(source, '(unknown)'), COUNT(*), SUM(copy_of IS NOT NULL) FROM articles
     WHERE story = ? GROUP BY 1 ORDER BY 2 DESC, 1";

impl SqliteStore {
    /// The full article, raw input and story included.
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let row = self
            .conn
            .query_row("SELECT doc, raw, story FROM articles WHERE id = ?", [id], |r| {
                Ok((r.get::<_, Packed>(0)?.0, r.get::<_, Packed>(1)?.0, r.get::<_, Option<String>>(2)?))
            })
            .optional()?;
        row.map(|(doc, raw, story)| {
            let mut a: Article = serde_json::from_str(&doc)?;
            a.raw = raw;
            a.story = story;
            Ok(a)
        })
        .transpose()
    }

    /// Articles stored after `after_seq`, in storage order, `limit` at a time; for reindexing,
    /// exporting and rebuilding the clusterer. Without raw input unless asked.
    pub fn scan_articles(&self, after_seq: i64, limit: usize, with_raw: bool) -> Result<Vec<(i64, Article)>> {
        let sql = format!(
            "SELECT seq, doc, story, {} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
            if with_raw { "raw" } else { "''" }
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![after_seq, limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Packed>(1)?.0,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Packed>(3)?.0,
            ))
        })?;
        rows.map(|row| {
            let (seq, doc, story, raw) = row?;
            let mut a: Article = serde_json::from_str(&doc)?;
            a.story = story;
            a.raw = raw;
            Ok((seq, a))
        })
        .collect()
    }

    /// An article's listing fields, without its body.
    pub fn article_brief(&self, id: &str) -> Result<Option<ArticleRow>> {
        let sql = format!("SELECT {ARTICLE_ROW_COLS} FROM articles WHERE id = ?");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id], article_row).optional()?)
    }

    /// One entity and its number of mentions.
    pub fn entity(&self, id: &str) -> Result<Option<(Entity, i64)>> {
        let row = self
            .conn
            .prepare_cached("SELECT doc, mentions FROM entities WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .optional()?;
        row.map(|(doc, n)| Ok((serde_json::from_str(&doc)?, n))).transpose()
    }

    /// The most recent rejected input items, newest first.
    pub fn rejects(&self, limit: usize) -> Result<Vec<crate::Reject>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT origin, kind, message FROM rejects ORDER BY rowid DESC LIMIT ?")?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(crate::Reject { origin: r.get(0)?, kind: r.get(1)?, message: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The article an article is a near-copy of, if any.
    pub fn copy_of(&self, id: &str) -> Result<Option<String>> {
        let row = self
            .conn
            .query_row("SELECT copy_of FROM articles WHERE id = ?", [id], |r| r.get(0))
            .optional()?;
        Ok(row.flatten())
    }

    /// The highest sequence number stored (0 when empty).
    pub fn max_seq(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| r.get(0))?)
    }

    /// Which of `ids` are already stored.
    pub fn existing_ids(&self, ids: &[&str]) -> Result<std::collections::HashSet<String>> {
        let mut found = std::collections::HashSet::new();
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM articles WHERE id = ?")?;
        for id in ids {
            if stmt.exists([id])? {
                found.insert(id.to_string());
            }
        }
        Ok(found)
    }

    /// Article listing, newest stored first (or oldest first when paging with `after_seq`).
    ///
    /// ```
    /// use newsloom_store::{ArticleFilter, SqliteStore};
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = SqliteStore::open(dir.path()).unwrap();
    /// let page = ArticleFilter { before_seq: Some(100), limit: 20, ..Default::default() };
    /// assert!(store.articles(&page).unwrap().is_empty());
    /// ```
    pub fn articles(&self, f: &ArticleFilter) -> Result<Vec<ArticleRow>> {
        self.articles_walking_above(f, COMMON_ENTITY_MENTIONS)
    }

    /// [`articles`](Self::articles), walking the newest articles for an entity with more than
    /// `common` mentions.
    fn articles_walking_above(&self, f: &ArticleFilter, common: i64) -> Result<Vec<ArticleRow>> {
        let mut sql = format!("SELECT {ARTICLE_ROW_COLS} FROM articles WHERE 1=1");
        let mut args: Vec<&dyn ToSql> = vec![];
        for (col, op, val) in [
            ("source", "=", &f.source),
            ("language", "=", &f.language),
            ("story", "=", &f.story),
            ("day", ">=", &f.from),
            ("day", "<=", &f.to),
        ] {
            if let Some(v) = val {
                sql.push_str(&format!(" AND {col} {op} ?"));
                args.push(v);
            }
        }
        if let Some(entity) = &f.entity {
            // An entity named in a large share of the store (a country: a third of a million
            // articles) is found soonest by walking the newest articles and looking each one's
            // mentions up; a rare one by listing its mentions. The listing of a common one and
            // the walk for a rare one each read hundreds of thousands of rows (seconds, cold).
            if self.entity_mentions(entity)? > common {
                sql.push_str(
                    " AND EXISTS (SELECT 1 FROM mentions m WHERE m.article_seq = articles.seq AND m.entity = ?)",
                );
            } else {
                sql.push_str(" AND seq IN (SELECT article_seq FROM mentions WHERE entity = ?)");
            }
            args.push(entity);
        }
        let country = f.country.as_ref().map(|c| c.to_ascii_uppercase());
        if let Some(theme) = &f.theme {
            sql.push_str(
                " AND seq IN (SELECT article_seq FROM article_themes WHERE code = ? OR lower(label) = lower(?))",
            );
            args.extend([theme as &dyn ToSql, theme]);
        }
        for (cond, given, val) in [
            ("article_tone WHERE tone >= ?", f.tone_min.is_some(), &f.tone_min as &dyn ToSql),
            ("article_tone WHERE tone <= ?", f.tone_max.is_some(), &f.tone_max),
            ("places WHERE country = ?", country.is_some(), &country),
            ("places WHERE geonameid = ?", f.geonameid.is_some(), &f.geonameid),
        ] {
            if given {
                sql.push_str(&format!(" AND seq IN (SELECT article_seq FROM {cond})"));
                args.push(val);
            }
        }
        if let Some(before) = &f.before_seq {
            sql.push_str(" AND seq < ?");
            args.push(before);
        }
        if let Some(after) = &f.after_seq {
            sql.push_str(" AND seq > ? ORDER BY seq");
            args.push(after);
        } else {
            sql.push_str(" ORDER BY seq DESC");
        }
        sql.push_str(&format!(" LIMIT {}", f.limit.max(1)));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), article_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Resolves a story id through merge redirects to the story that holds its articles now.
    pub fn resolve_story(&self, id: &str) -> Result<String> {
        let mut id = id.to_string();
        // Redirect chains are flattened on merge, but stay safe against cycles anyway.
        for _ in 0..16 {
            match self
                .conn
                .query_row("SELECT into_id FROM story_redirects WHERE absorbed = ?", [&id], |r| r.get(0))
                .optional()?
            {
                Some(next) => id = next,
                None => break,
            }
        }
        Ok(id)
    }

    /// A page of stories. Every order has its index (see the schema), so a page costs the
    /// same at any depth of a large store.
    pub fn stories(&self, q: &StoryQuery) -> Result<Vec<StoryRow>> {
        // Several statements: one snapshot, so a batch committed meanwhile is seen whole.
        self.snapshot(|s| s.stories_at_once(q))
    }

    fn stories_at_once(&self, q: &StoryQuery) -> Result<Vec<StoryRow>> {
        let order = match q.order {
            StoryOrder::Newest => "last_seen DESC, size DESC, id",
            StoryOrder::Biggest => "size DESC, last_seen DESC, id",
            StoryOrder::Outlets => "outlets DESC, size DESC, last_seen DESC, id",
        };
        // In the range when seen in it: it ends after `from` and starts before `to`.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, title, size, first_seen, last_seen FROM stories
             WHERE (?3 IS NULL OR last_seen >= ?3) AND (?4 IS NULL OR first_seen <= ?4)
             ORDER BY {order} LIMIT ?1 OFFSET ?2"
        ))?;
        let rows: Vec<StoryBase> = stmt
            .query_map(params![q.limit.max(1) as i64, q.offset as i64, q.from, q.to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, title, size, first, last)| self.story_row(id, title, size, first, last))
            .collect()
    }

    fn story_row(
        &self,
        id: String,
        title: String,
        size: i64,
        first_seen: Option<String>,
        last_seen: Option<String>,
    ) -> Result<StoryRow> {
        let mut stmt = self.conn.prepare_cached(STORY_OUTLETS_SQL)?;
        let mut reprints = 0;
        let outlets = stmt
            .query_map([&id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?
            .map(|row| {
                row.map(|(name, articles, copies)| {
                    reprints += copies;
                    OutletCount { name, articles }
                })
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(StoryRow { id, title, size, first_seen, last_seen, reprints, outlets })
    }

    /// One story (through redirects) with its articles in time order.
    pub fn story(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>> {
        // Several statements: one snapshot, so a batch committed meanwhile is seen whole.
        self.snapshot(|s| s.story_at_once(id))
    }

    fn story_at_once(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>> {
        let id = self.resolve_story(id)?;
        let row = self
            .conn
            .query_row(
                "SELECT id, title, size, first_seen, last_seen FROM stories WHERE id = ?",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((id, title, size, first, last)) = row else { return Ok(None) };
        let story = self.story_row(id, title, size, first, last)?;
        let mut stmt = self.conn.prepare_cached(STORY_ARTICLES_SQL)?;
        let articles = stmt.query_map([&story.id], article_row)?.collect::<rusqlite::Result<_>>()?;
        Ok(Some((story, articles)))
    }

    /// Everything the analyse stage stored for one article.
    pub fn analysis(&self, article: &str) -> Result<Analysis> {
        // Several statements: one snapshot, so a batch committed meanwhile is seen whole.
        self.snapshot(|s| s.by_seq(article, |seq| s.analysis_at(seq, article)))
    }

    /// [`Self::analysis`] of `article`, stored at `seq`.
    fn analysis_at(&self, seq: i64, article: &str) -> Result<Analysis> {
        let (mut analysis, page) = self.facts_row_at(seq, true)?;
        match page {
            Some(doc) => crate::page_facts::fill_from_page_facts(&doc, article, &mut analysis)?,
            // Written before the facts row kept them: their tables.
            None => self.fill_page_facts_from_tables(seq, article, &mut analysis)?,
        }
        Ok(analysis)
    }

    /// Places, tone, mention tones and themes of the article at `seq` from their own tables.
    pub(crate) fn fill_page_facts_from_tables(
        &self,
        seq: i64,
        article: &str,
        an: &mut Analysis,
    ) -> Result<()> {
        an.places = self.article_places_at(seq)?;
        crate::tone::fill_analysis(self, seq, article, an)
    }

    /// An article as its page shows it (see [`StoreBackend::article_page`]): one snapshot, and
    /// the article's seq looked up once for the row and each of its fact tables.
    pub fn article_page(&self, id: &str) -> Result<Option<crate::ArticlePage>> {
        self.snapshot(|s| {
            let row = s
                .conn
                .prepare_cached("SELECT seq, doc, story, copy_of FROM articles WHERE id = ?")?
                .query_row([id], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Packed>(1)?.0, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((seq, doc, story, copy_of)) = row else { return Ok(None) };
            let mut article: Article = serde_json::from_str(&doc)?;
            article.story = story;
            Ok(Some(crate::ArticlePage { article, copy_of, analysis: s.analysis_at(seq, id)? }))
        })
    }

    /// The seq of the article with this id, if it is stored.
    pub(crate) fn seq_of(&self, id: &str) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached("SELECT seq FROM articles WHERE id = ?")?;
        Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
    }

    /// `read` at the seq of the article `id`; for an id not stored, `T`'s default (nothing).
    pub(crate) fn by_seq<T: Default>(&self, id: &str, read: impl FnOnce(i64) -> Result<T>) -> Result<T> {
        match self.seq_of(id)? {
            Some(seq) => read(seq),
            None => Ok(T::default()),
        }
    }

    /// Canonical entity ids mentioned in an article (for rebuilding clusterer state).
    pub fn article_entities(&self, article: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT DISTINCT entity FROM mentions WHERE article_seq = (SELECT seq FROM articles WHERE id = ?)")?;
        let rows = stmt.query_map([article], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many mentions the store holds of an entity (kept at ingest), 0 if unknown.
    fn entity_mentions(&self, entity: &str) -> Result<i64> {
        let mut stmt = self.conn.prepare_cached("SELECT mentions FROM entities WHERE id = ?")?;
        Ok(stmt.query_row([entity], |r| r.get(0)).optional()?.unwrap_or(0))
    }

    /// Store-wide counts.
    pub fn stats(&self) -> Result<Stats> {
        // Several statements: one snapshot, so a batch committed meanwhile is seen whole.
        self.snapshot(|s| s.stats_at_once())
    }

    fn stats_at_once(&self) -> Result<Stats> {
        // The counts triggers keep (schema step 12): a few rows, not a count over millions.
        let mut counts: HashMap<String, i64> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached("SELECT name, n FROM store_counts WHERE n > 0")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (name, n) = row?;
                counts.insert(name, n);
            }
        }
        let count = |name: &str| counts.get(name).copied().unwrap_or(0);
        // Most first, then by name, as `ORDER BY 2 DESC, 1` did.
        let top = |prefix: &str, extra: Option<&str>| {
            let mut v: Vec<(String, i64)> = counts
                .iter()
                .filter_map(|(k, n)| match k.strip_prefix(prefix) {
                    Some(value) => Some((value.to_string(), *n)),
                    None => (Some(k.as_str()) == extra).then(|| ("?".to_string(), *n)),
                })
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let (first_day, last_day) =
            self.conn
                .query_row("SELECT MIN(day), MAX(day) FROM articles", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut top_sources = top("source:", Some("nosource"));
        let sources = counts.keys().filter(|k| k.starts_with("source:")).count() as i64;
        top_sources.truncate(10);
        Ok(Stats {
            articles: count("articles"),
            stories: count("stories"),
            sources,
            entities: self.conn.query_row("SELECT COUNT(*) FROM entities", [], |r| r.get(0))?,
            mentions: count("mentions"),
            quotes: count("quotes"),
            events: count("events"),
            rejects: count("rejects"),
            languages: top("language:", None),
            top_sources,
            first_day,
            last_day,
            schema_version: self.schema_version()?,
        })
    }

    /// Entities by number of mentions, optionally those whose name contains `query`.
    pub fn entities(&self, query: Option<&str>, offset: usize, limit: usize) -> Result<Vec<(Entity, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc, mentions FROM entities
             WHERE ?1 IS NULL OR name LIKE '%' || ?1 || '%' OR id = ?1
             ORDER BY mentions DESC, id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![query, limit as i64, offset as i64], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?))
        })?;
        rows.map(|row| {
            let (doc, n) = row?;
            Ok((serde_json::from_str(&doc)?, n))
        })
        .collect()
    }

    /// Quotes, newest stored first.
    pub fn quotes(&self, f: &QuoteFilter) -> Result<Vec<Quote>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc FROM quotes WHERE (?1 IS NULL OR speaker LIKE '%' || ?1 || '%' OR speaker_entity = ?1)
             AND (?2 IS NULL OR article = ?2) AND (?4 IS NULL OR speaker_entity = ?4) ORDER BY rowid DESC LIMIT ?3",
        )?;
        let rows = stmt
            .query_map(params![f.speaker, f.article, f.limit.max(1) as i64, f.speaker_entity], |r| {
                r.get::<_, String>(0)
            })?;
        rows.map(|d| Ok(serde_json::from_str(&d?)?)).collect()
    }

    /// Events, one per (story, actor, target, code) with the number of reports behind it: the
    /// same event told by several articles of a story counts once.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<(Event, i64)>> {
        self.events_in_window(f, EVENT_WINDOW)
    }

    /// Whether the reports with a code in `lo..hi` are better read through the code index
    /// than by walking the newest reports until `window` of them match. The index reads all
    /// of them (a share `d` of the store's `n` reports) and sorts them; the walk reads about
    /// `window / d` reports. `d` is estimated from the newest reports.
    fn code_is_rare(&self, lo: &str, hi: &str, window: usize) -> Result<bool> {
        const SAMPLE: i64 = 20_000;
        let (matched, sampled): (i64, i64) = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(+cameo >= ?1 AND +cameo < ?2), 0), COUNT(*)
             FROM (SELECT cameo FROM events ORDER BY rowid DESC LIMIT ?3)",
            )?
            .query_row(params![lo, hi, SAMPLE], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let n: i64 = self
            .conn
            .prepare_cached("SELECT n FROM store_counts WHERE name = 'events'")?
            .query_row([], |r| r.get(0))
            .optional()?
            .unwrap_or(sampled);
        let d = matched as f64 / sampled.max(1) as f64;
        Ok(d * d * (n as f64) < window as f64)
    }

    /// [`events`](Self::events) over the newest `window` matching reports.
    fn events_in_window(&self, f: &EventFilter, window: usize) -> Result<Vec<(Event, i64)>> {
        let (actor, target) = (f.actor.as_deref().map(actor_range), f.target.as_deref().map(actor_range));
        let code = f.code.as_deref().map(|c| (c.to_string(), format!("{c}{}", char::MAX)));
        // Only the filters given go into the SQL, so the actor ranges can use the index. The
        // code range uses its own index (schema step 15) only without them (an actor's reports
        // are fewer than a code root's), and only for a code too rare to fill the window soon.
        let by_code_index = match &code {
            Some((lo, hi)) if actor.is_none() && target.is_none() => self.code_is_rare(lo, hi, window)?,
            _ => false,
        };
        let code_col = if by_code_index { "cameo" } else { "+cameo" };
        let mut sql = String::from("SELECT rowid AS r, * FROM events WHERE 1=1");
        let mut args: Vec<&dyn ToSql> = vec![];
        for (col, range) in [("source_actor", &actor), ("target_actor", &target), (code_col, &code)] {
            if let Some((lo, hi)) = range {
                sql.push_str(&format!(" AND {col} >= ? AND {col} < ?"));
                args.extend([lo as &dyn ToSql, hi]);
            }
        }
        for (cond, val) in [("date >= ?", &f.from), ("date <= ? || '~'", &f.to)] {
            if let Some(v) = val {
                sql.push_str(&format!(" AND {cond}"));
                args.push(v);
            }
        }
        // The window is taken before grouping, so a group's count is of the reports within it.
        let sql = format!(
            "SELECT MIN(doc), COUNT(*) FROM ({sql} ORDER BY rowid DESC LIMIT {window})
             GROUP BY COALESCE(story, article), source_actor, target_actor, cameo
             ORDER BY MIN(date) DESC, MIN(r) LIMIT {}",
            f.limit.max(1)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        rows.map(|row| {
            let (doc, n) = row?;
            Ok((serde_json::from_str(&doc)?, n))
        })
        .collect()
    }
}

/// One period of a dyad time series.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DyadPoint {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub period: String,
    /// Distinct events per quad class: verbal coop, material coop, verbal conflict, material conflict.
    pub quad_counts: [i64; 4],
    pub events: i64,
    pub reports: i64,
    pub mean_goldstein: f64,
    #[serde(skip)]
    pub(crate) goldstein_sum: f64,
}

impl DyadPoint {
    /// Adds `events` distinct events of quad class `quad` (1–4, with `reports` reports and
    /// Goldstein scores summing to `goldstein_sum`) to this period; [`DyadPoint::finish`] then
    /// takes the mean.
    pub fn add(&mut self, quad: i64, events: i64, reports: i64, goldstein_sum: f64) {
        if let Some(slot) = self.quad_counts.get_mut((quad - 1).clamp(0, 3) as usize) {
            *slot += events;
        }
        self.events += events;
        self.reports += reports;
        self.goldstein_sum += goldstein_sum;
    }

    /// Sets the mean Goldstein score from what was added.
    pub fn finish(&mut self) {
        self.mean_goldstein = if self.events > 0 { self.goldstein_sum / self.events as f64 } else { 0.0 };
    }
}

#[cfg(test)]
impl SqliteStore {
    /// The plan SQLite picks for `sql`, one step per item (for tests that pin index use).
    pub(crate) fn query_plan(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // Values do not change the plan; only the parameter count must match.
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let steps = stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))?;
        Ok(steps.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FACTS_DOCS_SQL;
    use newsloom_model::Mention;

    fn plan(store: &SqliteStore, sql: &str) -> String {
        store.query_plan(sql).unwrap().join("\n")
    }

    /// On a cold store of millions of events every table row read is a random disk read: the
    /// story list's outlet counts must come from one index alone.
    #[test]
    fn story_outlets_are_read_from_a_covering_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let plan = plan(&store, STORY_OUTLETS_SQL);
        assert!(plan.contains("COVERING INDEX articles_story_cover"), "{plan}");
    }

    /// A story's article list, likewise: its articles' rows are scattered over the table.
    #[test]
    fn story_article_lists_are_read_from_a_covering_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        assert!(STORY_ARTICLES_SQL.starts_with(&format!("SELECT {ARTICLE_ROW_COLS}\n")));
        let plan = plan(&store, STORY_ARTICLES_SQL);
        assert!(plan.contains("COVERING INDEX articles_story_cover (story=?)"), "{plan}");
    }

    /// The one-row facts document gives a story page exactly what the fact tables give: the
    /// same order (by start, ties as inserted) and the entities as first stored.
    #[test]
    fn facts_document_reads_as_the_fact_tables_do() {
        use crate::NewArticle;
        use newsloom_model::{EntityKind, QuoteKind, Span};
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let entity = |id: &str, name: &str| Entity {
            id: id.into(),
            name: name.into(),
            kind: EntityKind::Place,
            code: None,
            role: None,
            country: None,
        };
        let mention = |article: &str, entity: &str, start| Mention {
            entity: entity.into(),
            text: entity.into(),
            kind: EntityKind::Place,
            span: Span::new(article, start, start + 3),
            confidence: 0.5,
        };
        let quote = |article: &str, text: &str, start| Quote {
            text: text.into(),
            kind: QuoteKind::Direct,
            span: Span::new(article, start, start + 5),
            speaker: None,
            speaker_entity: None,
            speaker_span: None,
            cue: None,
            medium: None,
            confidence: 0.5,
        };
        let item = |id: &str, name_of_b: &str| NewArticle {
            article: Article {
                id: id.into(),
                title: "t".into(),
                body_hash: id.into(),
                origin: "o".into(),
                story: Some("s".into()),
                ..Default::default()
            },
            analysis: Analysis {
                entities: vec![entity("b", name_of_b), entity("a", "A")],
                // Out of order, with a tie at 9 that must keep its insertion order.
                mentions: vec![mention(id, "b", 20), mention(id, "a", 9), mention(id, "b", 9)],
                quotes: vec![quote(id, "later", 30), quote(id, "first", 2)],
                ..Default::default()
            },
            ..Default::default()
        };
        store.insert_batch(&[item("x", "B first"), item("y", "B renamed")], &[]).unwrap();
        for id in ["x", "y"] {
            let from_doc = store.story_facts(id).unwrap();
            assert_eq!(from_doc, store.facts_from_tables(id).unwrap());
            assert_eq!(
                from_doc.mentions.iter().map(|m| (m.span.start, &*m.entity)).collect::<Vec<_>>(),
                [(9, "a"), (9, "b"), (20, "b")]
            );
            assert_eq!(from_doc.entities[1].name, "B first");
            assert_eq!(from_doc.quotes[0].text, "first");
        }
        // A store written before the facts document still reads its articles' facts.
        let before = store.story_facts("y").unwrap();
        store.conn.execute("DELETE FROM article_facts", []).unwrap();
        assert_eq!(store.story_facts("y").unwrap(), before);
        // And gets its documents back from a backfill (two facts rows, then their two article
        // page documents), which then has nothing left to do.
        assert_eq!(store.backfill_facts(&mut |_| {}).unwrap(), 4);
        let rows: i64 = store.conn.query_row("SELECT COUNT(*) FROM article_facts", [], |r| r.get(0)).unwrap();
        assert_eq!((rows, store.backfill_facts(&mut |_| {}).unwrap()), (2, 0));
        assert_eq!(store.story_facts("y").unwrap(), before);
    }

    /// A cached statement is used again as prepared: SQLite does not re-prepare it each time
    /// rusqlite clears its bindings (the store's connections run with a stable query plan).
    #[test]
    fn cached_statements_are_not_prepared_again_at_each_use() {
        use crate::NewArticle;
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let item = |id: &str| NewArticle {
            article: Article { id: id.into(), title: "t".into(), body_hash: id.into(), ..Default::default() },
            ..Default::default()
        };
        store.insert_batch(&[item("x"), item("y")], &[]).unwrap();
        for _ in 0..5 {
            for id in ["x", "y", "z"] {
                store.story_facts(id).unwrap();
                store.facts_of_articles(&[id]).unwrap();
                store.facts_json_of_articles(&[id]).unwrap();
            }
            let rows: Vec<ArticleRow> =
                ["x", "y"].iter().filter_map(|id| store.article_brief(id).unwrap()).collect();
            assert_eq!(store.facts_json_of_rows(&rows.iter().collect::<Vec<_>>()).unwrap().len(), 2);
        }
        for sql in [
            FACTS_DOCS_SQL,
            crate::facts::FACTS_DOCS_BY_SEQ_SQL,
            crate::facts::FACTS_ROWS_SQL,
            crate::facts::FACT_ROW_SQL,
        ] {
            let stmt = store.conn.prepare_cached(sql).unwrap();
            assert!(stmt.get_status(rusqlite::StatementStatus::VmStep) > 0, "{sql}");
            assert_eq!(stmt.get_status(rusqlite::StatementStatus::RePrepare), 0, "{sql}");
        }
    }
}

#[cfg(test)]
#[path = "read_bounds_tests.rs"]
mod bounds_tests;
