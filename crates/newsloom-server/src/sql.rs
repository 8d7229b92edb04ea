//! Queries the store API does not offer (story paging and sort by outlets, brief article
//! lookups), over a read-only connection.

use std::collections::HashMap;

use newsloom_model::Span;
use rusqlite::{Connection, OptionalExtension, params};

use crate::api::types::{ArticleRef, OutletCount, Sentence, StorySummary};

/// How to order the story list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StorySort {
    /// Most recently active first.
    Newest,
    /// Most articles first.
    Biggest,
    /// Most distinct outlets first.
    Outlets,
}

/// A `stories` row: id, title, size, first and last seen.
type StoryBase = (String, String, i64, Option<String>, Option<String>);

/// Which stories a list shows: those active within `from..=to` (days, inclusive), in `sort`
/// order, `offset` rows skipped (ties broken by id, so pages are stable).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoryListQuery {
    pub sort: StorySort,
    pub from: Option<String>,
    pub to: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// A page of stories. Every order has its index (see the store's schema).
pub fn stories(conn: &Connection, q: &StoryListQuery) -> rusqlite::Result<Vec<StorySummary>> {
    let order = match q.sort {
        StorySort::Newest => "last_seen DESC, size DESC, id",
        StorySort::Biggest => "size DESC, last_seen DESC, id",
        StorySort::Outlets => "outlets DESC, size DESC, last_seen DESC, id",
    };
    // A story is in the range when it was seen in it: it ends after `from` and starts before `to`.
    let sql = format!(
        "SELECT id, title, size, first_seen, last_seen FROM stories
         WHERE (?3 IS NULL OR last_seen >= ?3) AND (?4 IS NULL OR first_seen <= ?4)
         ORDER BY {order} LIMIT ?1 OFFSET ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let base: Vec<StoryBase> = stmt
        .query_map(params![q.limit as i64, q.offset as i64, q.from, q.to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    base.into_iter()
        .map(|(id, title, size, first_seen, last_seen)| {
            let (outlets, reprints) = story_outlets(conn, &id)?;
            Ok(StorySummary { id, title, size, first_seen, last_seen, reprints, outlets })
        })
        .collect()
}

/// A story's outlets with their article counts, and its number of reprints.
pub fn story_outlets(conn: &Connection, story: &str) -> rusqlite::Result<(Vec<OutletCount>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(source, '(unknown)'), COUNT(*), SUM(copy_of IS NOT NULL) FROM articles
         WHERE story = ? GROUP BY 1 ORDER BY 2 DESC, 1",
    )?;
    let mut reprints = 0;
    let outlets = stmt
        .query_map([story], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?
        .map(|row| {
            row.map(|(name, articles, copies)| {
                reprints += copies;
                OutletCount { name, articles }
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok((outlets, reprints))
}

/// One entity's stored JSON and its number of mentions.
pub fn entity(conn: &Connection, id: &str) -> rusqlite::Result<Option<(String, i64)>> {
    conn.query_row(
        "SELECT doc, (SELECT COUNT(*) FROM mentions WHERE entity = ?1) FROM entities WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Title, outlet, date and story of an article (no body).
pub fn article_ref(conn: &Connection, id: &str) -> rusqlite::Result<Option<ArticleRef>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, source, published, story FROM articles WHERE id = ?")?;
    stmt.query_row([id], |r| {
        Ok(ArticleRef {
            id: r.get(0)?,
            title: r.get(1)?,
            source: r.get(2)?,
            published: r.get(3)?,
            story: r.get(4)?,
        })
    })
    .optional()
}

/// Article lookups shared across the items of one response.
#[derive(Default)]
pub struct ArticleCache {
    refs: HashMap<String, Option<ArticleRef>>,
    bodies: HashMap<String, Option<String>>,
}

impl ArticleCache {
    pub fn article_ref(&mut self, conn: &Connection, id: &str) -> rusqlite::Result<Option<ArticleRef>> {
        if let Some(r) = self.refs.get(id) {
            return Ok(r.clone());
        }
        let r = article_ref(conn, id)?;
        self.refs.insert(id.to_string(), r.clone());
        Ok(r)
    }

    /// The sentence of the article's body around `span`.
    pub fn sentence(&mut self, conn: &Connection, span: &Span) -> rusqlite::Result<Option<Sentence>> {
        if !self.bodies.contains_key(&span.article) {
            let mut stmt =
                conn.prepare_cached("SELECT json_extract(doc, '$.body') FROM articles WHERE id = ?")?;
            let body: Option<String> = stmt.query_row([&span.article], |r| r.get(0)).optional()?.flatten();
            self.bodies.insert(span.article.clone(), body);
        }
        Ok(self.bodies[&span.article].as_deref().and_then(|b| sentence_around(b, span.start, span.end)))
    }
}

/// The sentence holding chars `start..end` of `body` (bounded to ~400 chars each side), with
/// the range's position inside it.
pub fn sentence_around(body: &str, start: usize, end: usize) -> Option<Sentence> {
    let chars: Vec<char> = body.chars().collect();
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
        let s = sentence_around(body, start, start + 4).unwrap();
        assert_eq!(s.text, "Russia warned NATO today.");
        assert_eq!(s.text.chars().skip(s.start).take(s.end - s.start).collect::<String>(), "NATO");
        assert!(sentence_around(body, 5, 500).is_none());
        assert!(sentence_around(body, 5, 2).is_none());
    }
}
