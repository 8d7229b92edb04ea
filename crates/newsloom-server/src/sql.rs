//! Queries the store API does not offer (brief article lookups, entity mention counts), over a
//! read-only connection.

use std::collections::HashMap;

use newsloom_model::Span;
use rusqlite::{Connection, OptionalExtension};

use crate::api::types::{ArticleRef, Sentence};

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
