//! Full-text search with PostgreSQL's own text search, for a [`Searcher`] that needs no
//! index beside the database: several servers can answer from one database.
//!
//! Same semantics as the tantivy index (newsloom-search): every word must match (websearch
//! syntax: `"a phrase"`, `-word`, `or`), title matches weigh more than body matches (weights A
//! and B of the `search` column: 1.0 against 0.4 in `ts_rank_cd`), exact filters on source,
//! language and story, inclusive `from`/`to` days, a body snippet with highlight byte ranges,
//! and the 20 most frequent values of the `source`, `language` and `story` facets.
//!
//! Bounded work per query: testing a document against a query means reading its tsvector
//! (about 15 µs each), so a word found in every article cost 1.5 s per pass at 100,000
//! articles, and the old query made three passes (rank, count, facets). Now every pass looks
//! at the [`MATCH_WINDOW`] newest matches at most (walking the primary key backwards, or the
//! GIN index for rarer words, as the planner finds cheaper): hits are the best-ranked of
//! those (news search favours recent articles anyway), facets count them, and when more match,
//! `total` is the planner's estimate and says so (`total_estimated`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use postgres::Client;

use newsloom_search::{Hit, SearchError, SearchQuery, SearchResults, Searcher};

use crate::read::Sql;

/// The most matches one query ranks, counts and facets (deeper pages widen it).
pub const MATCH_WINDOW: usize = 2000;
/// Values reported per facet (as the tantivy index does).
const FACET_VALUES: i64 = 20;
/// Idle connections kept for the next searches.
const MAX_IDLE: usize = 8;
/// Marks around highlighted words in `ts_headline`'s output, removed from the snippet and
/// turned into byte ranges. Control characters never occur in extracted article text.
const START: char = '\u{2}';
const STOP: char = '\u{3}';
/// Snippet length when the body has no match (a title-only match), in characters.
const PLAIN_SNIPPET: usize = 200;

/// Searches the articles of a PostgreSQL store.
pub struct PgSearch {
    url: String,
    idle: Mutex<Vec<Client>>,
}

impl Drop for PgSearch {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()));
        crate::drop_off_runtime(idle);
    }
}

fn err(e: postgres::Error) -> SearchError {
    SearchError(format!("search failed: {}", crate::pg(e).0))
}

impl PgSearch {
    /// Connects to the store at `url`, bringing its schema up to date (the search column and
    /// its index are part of it).
    pub fn open(url: &str) -> Result<Self, SearchError> {
        let mut client = crate::connect(url).map_err(|e| SearchError(e.0))?;
        crate::schema::migrate(&mut client).map_err(|e| SearchError(e.0))?;
        Ok(Self { url: url.to_string(), idle: Mutex::new(vec![client]) })
    }

    /// Runs `f` on an idle connection (or a new one), and keeps the connection for later
    /// unless it broke.
    fn with_client<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut client = match idle {
            Some(c) if !c.is_closed() => c,
            _ => crate::connect(&self.url).map_err(|e| SearchError(e.0))?,
        };
        let out = f(&mut client);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if !client.is_closed() && idle.len() < MAX_IDLE {
            idle.push(client);
        } else {
            drop(idle);
            crate::drop_off_runtime(client);
        }
        out
    }
}

/// The matching articles' `WHERE` clause; `$1` is the query text.
fn matching(q: &SearchQuery) -> Sql {
    let mut sql = Sql::default();
    let text = sql.arg(q.text.clone());
    sql.push(&format!("a.search @@ websearch_to_tsquery('simple', {text})"));
    for (col, op, val) in [
        ("a.source", "=", &q.source),
        ("a.language", "=", &q.language),
        ("a.story", "=", &q.story),
        ("a.day", ">=", &q.from),
        ("a.day", "<=", &q.to),
    ] {
        if let Some(v) = val {
            let p = sql.arg(v.clone());
            sql.push(&format!(" AND {col} {op} {p}"));
        }
    }
    sql
}

/// The planner's estimate of the matching rows (from the column statistics ANALYZE keeps for
/// the tsvector's most common words): exact counting would read every match.
fn estimate(client: &mut Client, filter: &Sql) -> Result<usize, SearchError> {
    let sql = format!("EXPLAIN SELECT 1 FROM articles a WHERE {}", filter.text);
    let lines = client.query(&sql, &filter.params()).map_err(err)?;
    Ok(lines.first().and_then(|r| plan_rows(r.get(0))).unwrap_or(0))
}

/// The row estimate of a plan's top line: `Seq Scan on articles a  (cost=… rows=N width=…)`.
fn plan_rows(line: &str) -> Option<usize> {
    let at = line.find(" rows=")? + " rows=".len();
    line[at..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Removes the highlight marks from `ts_headline`'s output: the plain snippet and the byte
/// ranges of the marked words in it.
pub(crate) fn strip_marks(marked: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(marked.len());
    let mut ranges = vec![];
    let mut open = None;
    for c in marked.chars() {
        match c {
            START => open = Some(text.len()),
            STOP => {
                if let Some(start) = open.take()
                    && start < text.len()
                {
                    ranges.push((start, text.len()));
                }
            }
            c => text.push(c),
        }
    }
    (text, ranges)
}

impl Searcher for PgSearch {
    fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let filter = matching(q);
        let limit = q.limit.clamp(1, 1000);
        let window = MATCH_WINDOW.max(q.offset + limit);
        // The window: the newest matches, by sequence number.
        let window_sql = format!(
            "SELECT a.seq, a.source, a.language, a.story FROM articles a WHERE {}
             ORDER BY a.seq DESC LIMIT {window}",
            filter.text
        );
        // The top hits of the window first, and their snippets only then: ts_headline
        // re-parses the body, so it runs on the page of hits, not on every match.
        let hits_sql = format!(
            "WITH w AS MATERIALIZED ({window_sql})
             SELECT t.id, t.title, t.score, t.day, t.published, t.source, t.story,
               ts_headline('simple', t.body, websearch_to_tsquery('simple', $1),
                 'StartSel=\u{2}, StopSel=\u{3}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"'),
               t.body
             FROM (SELECT a.id, a.title, a.day, a.published, a.source, a.story, a.body, a.seq,
                     ts_rank_cd(a.search, websearch_to_tsquery('simple', $1), 1) AS score
                   FROM articles a JOIN w ON w.seq = a.seq
                   ORDER BY score DESC, a.seq DESC LIMIT {limit} OFFSET {}) t
             ORDER BY t.score DESC, t.seq DESC",
            q.offset
        );
        // The window's size and facets in one pass over it.
        let facets_sql = format!(
            "WITH m AS MATERIALIZED ({window_sql}),
             f AS (SELECT 'source' AS facet, source AS value, COUNT(*) AS n FROM m WHERE source IS NOT NULL GROUP BY source
                   UNION ALL SELECT 'language', language, COUNT(*) FROM m WHERE language IS NOT NULL GROUP BY language
                   UNION ALL SELECT 'story', story, COUNT(*) FROM m WHERE story IS NOT NULL GROUP BY story)
             SELECT facet, value, n FROM (
               SELECT f.*, row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) AS rank FROM f) r
             WHERE rank <= {FACET_VALUES}
             UNION ALL SELECT 'total', NULL, COUNT(*) FROM m"
        );
        self.with_client(|client| {
            let params = filter.params();
            let mut total = 0;
            let mut facets: BTreeMap<String, Vec<(String, u64)>> =
                ["source", "language", "story"].iter().map(|f| (f.to_string(), vec![])).collect();
            for r in client.query(&facets_sql, &params).map_err(err)? {
                let (facet, value, n): (&str, Option<String>, i64) = (r.get(0), r.get(1), r.get(2));
                match (facet, value) {
                    ("total", _) => total = n as usize,
                    (facet, Some(value)) => {
                        facets.entry(facet.to_string()).or_default().push((value, n as u64))
                    }
                    _ => {}
                }
            }
            // The window numbers rows but does not order the output.
            for values in facets.values_mut() {
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            }
            // A full window: more may match than were looked at.
            let total_estimated = total >= window;
            if total_estimated {
                total = total.max(estimate(client, &filter)?);
            }
            let hits = client
                .query(&hits_sql, &params)
                .map_err(err)?
                .iter()
                .map(|r| {
                    let (snippet, highlights) = strip_marks(r.get(7));
                    let (snippet, highlights) = if highlights.is_empty() {
                        (r.get::<_, &str>(8).chars().take(PLAIN_SNIPPET).collect(), highlights)
                    } else {
                        (snippet, highlights)
                    };
                    Hit {
                        id: r.get(0),
                        title: r.get(1),
                        score: r.get(2),
                        day: r.get(3),
                        published: r.get(4),
                        source: r.get(5),
                        story: r.get(6),
                        snippet,
                        highlights,
                    }
                })
                .collect();
            Ok(SearchResults { total, total_estimated, hits, facets })
        })
    }

    /// The highest stored sequence number: every batch that stores an article raises it, so
    /// cached results stay valid until it changes.
    fn version(&self) -> Result<u64, SearchError> {
        self.with_client(|client| {
            let seq: i64 = client
                .query_one("SELECT COALESCE(MAX(seq), 0)::bigint FROM articles", &[])
                .map_err(err)?
                .get(0);
            Ok(seq as u64)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_rows_are_read_from_the_top_line() {
        let line = "Seq Scan on articles a  (cost=0.00..22155.00 rows=99812 width=4)";
        assert_eq!(plan_rows(line), Some(99812));
        assert_eq!(plan_rows("Result  (cost=0.00..0.01 width=4)"), None);
    }

    #[test]
    fn marks_become_byte_ranges() {
        let (text, ranges) = strip_marks("Naïve \u{2}NATO\u{3} talks in \u{2}Kyiv\u{3}.");
        assert_eq!(text, "Naïve NATO talks in Kyiv.");
        assert_eq!(ranges.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>(), ["NATO", "Kyiv"]);
    }
}
