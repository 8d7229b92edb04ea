//! Reading: the same queries as the SQLite store (newsloom-store's read.rs), in PostgreSQL's
//! dialect. Where SQLite and PostgreSQL differ by default, the SQL says so: NULLs sort last in
//! descending orders (`NULLS LAST`, SQLite's order), `LIKE` is case-insensitive for ASCII in
//! SQLite (`ILIKE` here), sums of counts are cast back to `bigint`.

use newsloom_store::actors::{actor_range, actor_root};
use std::collections::HashSet;

use postgres::Row;
use postgres::types::ToSql;

use newsloom_model::{Analysis, Article, Entity, Event, Mention, Quote};
use newsloom_store::{
    ArticleFilter, ArticleRow, DyadPoint, EventFilter, OutletCount, QuoteFilter, Reject, Result, Stats,
    StoryOrder, StoryQuery, StoryRow,
};

use crate::PgStore;

pub(crate) const ARTICLE_ROW_COLS: &str = "seq, id, title, source, published, language, story, copy_of, url";

pub(crate) fn article_row(r: &Row) -> ArticleRow {
    ArticleRow {
        seq: r.get(0),
        id: r.get(1),
        title: r.get(2),
        source: r.get(3),
        published: r.get(4),
        language: r.get(5),
        story: r.get(6),
        copy_of: r.get(7),
        url: r.get(8),
    }
}

/// SQL with numbered parameters added as they are needed.
#[derive(Default)]
pub(crate) struct Sql {
    pub(crate) text: String,
    args: Vec<Box<dyn ToSql + Sync>>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Self { text: text.to_string(), args: vec![] }
    }

    /// Adds a parameter and returns its placeholder (`$n`).
    pub(crate) fn arg(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.args.push(Box::new(v));
        format!("${}", self.args.len())
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub(crate) fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.args.iter().map(|b| b.as_ref()).collect()
    }
}

/// Distinct events (one per story, actors, code and day) of a dyad, per period and quad class;
/// a period longer than a day adds its days up, as the embedded store's `dyad_days` does.
/// `$3` is the period length.
fn dyad_sql(actors: &str) -> String {
    format!(
        "WITH ev AS (
           SELECT substr(date, 1, 10) AS day, MIN(quad) AS quad, AVG(goldstein) AS goldstein,
                  COUNT(*) AS reports FROM events
           WHERE date IS NOT NULL AND ({actors})
           GROUP BY COALESCE(story, article), source_actor, target_actor, cameo, substr(date, 1, 10))
         SELECT substr(day, 1, $3) AS period, quad, COUNT(*), SUM(reports)::bigint, AVG(goldstein) FROM ev
         WHERE length(day) >= $3 GROUP BY period, quad ORDER BY period, quad"
    )
}

fn like_prefix(s: &str) -> String {
    format!("{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

fn parse_docs<T: serde::de::DeserializeOwned>(rows: Vec<Row>) -> Result<Vec<T>> {
    rows.iter().map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?)).collect()
}

/// An article from its `doc`, `body`, `raw` and `story` columns.
fn article_from(doc: &str, body: String, raw: String, story: Option<String>) -> Result<Article> {
    let mut a: Article = serde_json::from_str(doc)?;
    a.body = body;
    a.raw = raw;
    a.story = story;
    Ok(a)
}

impl PgStore {
    pub fn article(&self, id: &str) -> Result<Option<Article>> {
        let row =
            self.conn().query_opt("SELECT doc, body, raw, story FROM articles WHERE id = $1", &[&id])?;
        row.map(|r| article_from(r.get(0), r.get(1), r.get(2), r.get(3))).transpose()
    }

    pub fn scan_articles(&self, after_seq: i64, limit: usize, with_raw: bool) -> Result<Vec<(i64, Article)>> {
        let sql = format!(
            "SELECT seq, doc, body, {}, story FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
            if with_raw { "raw" } else { "''::text" }
        );
        let rows = self.conn().query(&sql, &[&after_seq, &(limit as i64)])?;
        rows.iter().map(|r| Ok((r.get(0), article_from(r.get(1), r.get(2), r.get(3), r.get(4))?))).collect()
    }

    pub fn article_brief(&self, id: &str) -> Result<Option<ArticleRow>> {
        let sql = format!("SELECT {ARTICLE_ROW_COLS} FROM articles WHERE id = $1");
        Ok(self.conn().query_opt(&sql, &[&id])?.as_ref().map(article_row))
    }

    pub fn article_body(&self, id: &str) -> Result<Option<String>> {
        Ok(self.conn().query_opt("SELECT body FROM articles WHERE id = $1", &[&id])?.map(|r| r.get(0)))
    }

    pub fn entity(&self, id: &str) -> Result<Option<(Entity, i64)>> {
        let row = self.conn().query_opt("SELECT doc, mentions FROM entities WHERE id = $1", &[&id])?;
        row.map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, r.get(1)))).transpose()
    }

    pub fn rejects(&self, limit: usize) -> Result<Vec<Reject>> {
        let rows = self.conn().query(
            "SELECT origin, kind, message FROM rejects ORDER BY id DESC LIMIT $1",
            &[&(limit as i64)],
        )?;
        Ok(rows.iter().map(|r| Reject { origin: r.get(0), kind: r.get(1), message: r.get(2) }).collect())
    }

    pub fn copy_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_opt("SELECT copy_of FROM articles WHERE id = $1", &[&id])?
            .and_then(|r| r.get(0)))
    }

    pub fn max_seq(&self) -> Result<i64> {
        Ok(self.conn().query_one("SELECT COALESCE(MAX(seq), 0)::bigint FROM articles", &[])?.get(0))
    }

    pub fn existing_ids(&self, ids: &[&str]) -> Result<HashSet<String>> {
        let rows = self.conn().query("SELECT id FROM articles WHERE id = ANY($1)", &[&ids])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub fn articles(&self, f: &ArticleFilter) -> Result<Vec<ArticleRow>> {
        let mut sql = Sql::new(&format!("SELECT {ARTICLE_ROW_COLS} FROM articles WHERE TRUE"));
        for (col, op, val) in [
            ("source", "=", &f.source),
            ("language", "=", &f.language),
            ("story", "=", &f.story),
            ("day", ">=", &f.from),
            ("day", "<=", &f.to),
        ] {
            if let Some(v) = val {
                let p = sql.arg(v.clone());
                sql.push(&format!(" AND {col} {op} {p}"));
            }
        }
        if let Some(entity) = &f.entity {
            let p = sql.arg(entity.clone());
            sql.push(&format!(" AND id IN (SELECT article FROM mentions WHERE entity = {p})"));
        }
        if let Some(theme) = &f.theme {
            let p = sql.arg(theme.clone());
            sql.push(&format!(
                " AND id IN (SELECT article FROM article_themes WHERE code = {p} OR lower(label) = lower({p}))"
            ));
        }
        for (cond, val) in [("tone >= ", f.tone_min), ("tone <= ", f.tone_max)] {
            if let Some(v) = val {
                let p = sql.arg(v);
                sql.push(&format!(" AND id IN (SELECT article FROM article_tone WHERE {cond}{p})"));
            }
        }
        if let Some(country) = &f.country {
            let p = sql.arg(country.to_ascii_uppercase());
            sql.push(&format!(" AND id IN (SELECT article FROM places WHERE country = {p})"));
        }
        if let Some(id) = f.geonameid {
            let p = sql.arg(id);
            sql.push(&format!(" AND id IN (SELECT article FROM places WHERE geonameid = {p})"));
        }
        if let Some(before) = f.before_seq {
            let p = sql.arg(before);
            sql.push(&format!(" AND seq < {p}"));
        }
        if let Some(after) = f.after_seq {
            let p = sql.arg(after);
            sql.push(&format!(" AND seq > {p} ORDER BY seq"));
        } else {
            sql.push(" ORDER BY seq DESC");
        }
        sql.push(&format!(" LIMIT {}", f.limit.max(1)));
        Ok(self.conn().query(&sql.text, &sql.params())?.iter().map(article_row).collect())
    }

    pub fn resolve_story(&self, id: &str) -> Result<String> {
        let mut id = id.to_string();
        // Redirect chains are flattened on merge, but stay safe against cycles anyway.
        for _ in 0..16 {
            match self.conn().query_opt("SELECT into_id FROM story_redirects WHERE absorbed = $1", &[&id])? {
                Some(r) => id = r.get(0),
                None => break,
            }
        }
        Ok(id)
    }

    pub fn stories(&self, q: &StoryQuery) -> Result<Vec<StoryRow>> {
        let order = match q.order {
            StoryOrder::Newest => "last_seen DESC NULLS LAST, size DESC, id",
            StoryOrder::Biggest => "size DESC, last_seen DESC NULLS LAST, id",
            StoryOrder::Outlets => "outlets DESC, size DESC, last_seen DESC NULLS LAST, id",
        };
        // In the range when seen in it: it ends after `from` and starts before `to`.
        let sql = format!(
            "SELECT id, title, size, first_seen, last_seen FROM stories
             WHERE ($3::text IS NULL OR last_seen >= $3::text) AND ($4::text IS NULL OR first_seen <= $4::text)
             ORDER BY {order} LIMIT $1 OFFSET $2"
        );
        let rows =
            self.conn().query(&sql, &[&(q.limit.max(1) as i64), &(q.offset as i64), &q.from, &q.to])?;
        rows.iter().map(|r| self.story_row(r)).collect()
    }

    /// A story's row (id, title, size, first and last seen) with its outlets and reprints.
    fn story_row(&self, r: &Row) -> Result<StoryRow> {
        let id: String = r.get(0);
        let rows = self.conn().query(
            "SELECT COALESCE(source, '(unknown)'), COUNT(*), COUNT(copy_of) FROM articles
             WHERE story = $1 GROUP BY 1 ORDER BY 2 DESC, 1",
            &[&id],
        )?;
        let reprints = rows.iter().map(|r| r.get::<_, i64>(2)).sum();
        let outlets = rows.iter().map(|r| OutletCount { name: r.get(0), articles: r.get(1) }).collect();
        Ok(StoryRow {
            id,
            title: r.get(1),
            size: r.get(2),
            first_seen: r.get(3),
            last_seen: r.get(4),
            reprints,
            outlets,
        })
    }

    pub fn story(&self, id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>> {
        let id = self.resolve_story(id)?;
        let row = self
            .conn()
            .query_opt("SELECT id, title, size, first_seen, last_seen FROM stories WHERE id = $1", &[&id])?;
        let Some(row) = row else { return Ok(None) };
        let story = self.story_row(&row)?;
        let sql = format!(
            "SELECT {ARTICLE_ROW_COLS} FROM articles WHERE story = $1 ORDER BY COALESCE(published, ''), seq"
        );
        let articles = self.conn().query(&sql, &[&story.id])?.iter().map(article_row).collect();
        Ok(Some((story, articles)))
    }

    pub fn analysis(&self, article: &str) -> Result<Analysis> {
        let docs = |sql: &str| self.conn().query(sql, &[&article]);
        let mentions: Vec<Mention> =
            parse_docs(docs("SELECT doc FROM mentions WHERE article = $1 ORDER BY span_start, id")?)?;
        let quotes: Vec<Quote> =
            parse_docs(docs("SELECT doc FROM quotes WHERE article = $1 ORDER BY span_start, id")?)?;
        let events: Vec<Event> =
            parse_docs(docs("SELECT doc FROM events WHERE article = $1 ORDER BY span_start, id")?)?;
        let entities: Vec<Entity> = parse_docs(docs(
            "SELECT e.doc FROM entities e WHERE e.id IN (SELECT entity FROM mentions WHERE article = $1) ORDER BY e.id",
        )?)?;
        let places = self.article_places(article)?;
        Ok(Analysis {
            entities,
            mentions,
            quotes,
            events,
            places,
            tone: self.article_tone(article)?,
            mention_tones: self.mention_tones(article)?,
            themes: self.article_themes(article)?,
        })
    }

    pub fn article_entities(&self, article: &str) -> Result<Vec<String>> {
        let rows =
            self.conn().query("SELECT DISTINCT entity FROM mentions WHERE article = $1", &[&article])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn().query_one(sql, &[])?.get(0)) };
        let pairs = |sql: &str| -> Result<Vec<(String, i64)>> {
            Ok(self.conn().query(sql, &[])?.iter().map(|r| (r.get(0), r.get(1))).collect())
        };
        let days = self.conn().query_one("SELECT MIN(day), MAX(day) FROM articles", &[])?;
        Ok(Stats {
            articles: count("SELECT COUNT(*) FROM articles")?,
            stories: count("SELECT COUNT(*) FROM stories")?,
            sources: count("SELECT COUNT(DISTINCT source) FROM articles")?,
            entities: count("SELECT COUNT(*) FROM entities")?,
            mentions: count("SELECT COUNT(*) FROM mentions")?,
            quotes: count("SELECT COUNT(*) FROM quotes")?,
            events: count("SELECT COUNT(*) FROM events")?,
            rejects: count("SELECT COUNT(*) FROM rejects")?,
            languages: pairs(
                "SELECT COALESCE(language, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            top_sources: pairs(
                "SELECT COALESCE(source, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
            )?,
            first_day: days.get(0),
            last_day: days.get(1),
            schema_version: self.schema_version()?,
        })
    }

    pub fn entities(&self, query: Option<&str>, offset: usize, limit: usize) -> Result<Vec<(Entity, i64)>> {
        let rows = self.conn().query(
            "SELECT doc, mentions FROM entities
             WHERE $1::text IS NULL OR name ILIKE '%' || $1::text || '%' OR id = $1::text
             ORDER BY mentions DESC, id LIMIT $2 OFFSET $3",
            &[&query, &(limit as i64), &(offset as i64)],
        )?;
        rows.iter().map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, r.get(1)))).collect()
    }

    pub fn quotes(&self, f: &QuoteFilter) -> Result<Vec<Quote>> {
        let rows = self.conn().query(
            "SELECT doc FROM quotes
             WHERE ($1::text IS NULL OR speaker ILIKE '%' || $1::text || '%' OR speaker_entity = $1::text)
             AND ($2::text IS NULL OR article = $2::text) AND ($4::text IS NULL OR speaker_entity = $4::text)
             ORDER BY id DESC LIMIT $3",
            &[&f.speaker, &f.article, &(f.limit.max(1) as i64), &f.speaker_entity],
        )?;
        parse_docs(rows)
    }

    pub fn events(&self, f: &EventFilter) -> Result<Vec<(Event, i64)>> {
        let mut sql = Sql::new("SELECT MIN(doc), COUNT(*) FROM events WHERE TRUE");
        for (col, actor) in [("source_actor", &f.actor), ("target_actor", &f.target)] {
            if let Some(actor) = actor {
                let (lo, hi) = actor_range(actor);
                let (lo, hi) = (sql.arg(lo), sql.arg(hi));
                sql.push(&format!(" AND {col} >= {lo} AND {col} < {hi}"));
            }
        }
        if let Some(code) = &f.code {
            let p = sql.arg(like_prefix(code));
            sql.push(&format!(" AND cameo LIKE {p} ESCAPE '\\'"));
        }
        if let Some(from) = &f.from {
            let p = sql.arg(from.clone());
            sql.push(&format!(" AND date >= {p}"));
        }
        if let Some(to) = &f.to {
            let p = sql.arg(format!("{to}~"));
            sql.push(&format!(" AND date <= {p}"));
        }
        sql.push(&format!(
            " GROUP BY COALESCE(story, article), source_actor, target_actor, cameo
              ORDER BY MIN(date) DESC NULLS LAST, MIN(id) LIMIT {}",
            f.limit.max(1)
        ));
        let rows = self.conn().query(&sql.text, &sql.params())?;
        rows.iter().map(|r| Ok((serde_json::from_str(r.get::<_, &str>(0))?, r.get(1)))).collect()
    }

    pub fn dyad(&self, a: &str, b: &str, period_len: usize) -> Result<Vec<DyadPoint>> {
        let ((a_lo, a_hi), (b_lo, b_hi)) = (actor_range(a), actor_range(b));
        let period_len = period_len.min(i32::MAX as usize) as i32;
        let rows = match (actor_root(&a_lo), actor_root(&b_lo)) {
            // Both roots known: an equality seek on `events_dyad_root` for each direction.
            (Some(a_root), Some(b_root)) => self.conn().query(
                &dyad_sql(
                    "(substr(source_actor, 1, 3) = $6 AND substr(target_actor, 1, 3) = $7 AND
                      source_actor >= $1 AND source_actor < $2 AND target_actor >= $4 AND target_actor < $5) OR
                     (substr(source_actor, 1, 3) = $7 AND substr(target_actor, 1, 3) = $6 AND
                      source_actor >= $4 AND source_actor < $5 AND target_actor >= $1 AND target_actor < $2)",
                ),
                &[&a_lo, &a_hi, &period_len, &b_lo, &b_hi, &a_root, &b_root],
            )?,
            _ => self.conn().query(
                &dyad_sql(
                    "(source_actor >= $1 AND source_actor < $2 AND target_actor >= $4 AND target_actor < $5) OR
                     (source_actor >= $4 AND source_actor < $5 AND target_actor >= $1 AND target_actor < $2)",
                ),
                &[&a_lo, &a_hi, &period_len, &b_lo, &b_hi],
            )?,
        };
        let mut points: Vec<DyadPoint> = vec![];
        for r in &rows {
            let (period, quad, events, reports, mean): (String, i64, i64, i64, f64) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            if points.last().is_none_or(|p| p.period != period) {
                // (`DyadPoint` has a private field: start from the default and set the period.)
                let mut point = DyadPoint::default();
                point.period = period;
                points.push(point);
            }
            let p = points.last_mut().expect("pushed above");
            p.add(quad, events, reports, mean * events as f64);
        }
        for p in &mut points {
            p.finish();
        }
        Ok(points)
    }
}
