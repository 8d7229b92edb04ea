//! Warming a cold store: after a restart (or a dropped OS cache) every index page a request
//! touches is a random disk read, and a store of a million articles answers its first seconds
//! of requests slowly. Reading the indexes that requests walk most, each from end to end,
//! costs sequential reads instead and leaves their pages in the OS cache.

use std::time::Instant;

use crate::{Result, SqliteStore};

/// The indexes a server's requests walk, hottest first, each with a query that reads the
/// whole index and nothing else (every column it names is in the index).
const HOT_INDEXES: &[(&str, &str)] = &[
    ("stories_newest", "SELECT count(last_seen) FROM stories INDEXED BY stories_newest"),
    ("stories_biggest", "SELECT count(size) FROM stories INDEXED BY stories_biggest"),
    ("stories_outlets", "SELECT count(outlets) FROM stories INDEXED BY stories_outlets"),
    ("entities_by_mentions", "SELECT count(mentions) FROM entities INDEXED BY entities_by_mentions"),
    (
        "articles_story_cover",
        "SELECT count(url) + count(copy_of) FROM articles INDEXED BY articles_story_cover",
    ),
    ("article ids", "SELECT count(id) FROM articles INDEXED BY sqlite_autoindex_articles_1"),
    ("story ids", "SELECT count(id) FROM stories INDEXED BY sqlite_autoindex_stories_1"),
    ("dyad_days", "SELECT count(events) FROM dyad_days"),
    ("events_dyad_cover", "SELECT count(cameo) FROM events INDEXED BY events_dyad_cover"),
    ("events_article_seq", "SELECT count(article_seq) FROM events INDEXED BY events_article_seq"),
    ("quotes_article_seq", "SELECT count(article_seq) FROM quotes INDEXED BY quotes_article_seq"),
    ("mentions_article_seq", "SELECT count(article_seq) FROM mentions INDEXED BY mentions_article_seq"),
];

/// One index read by [`SqliteStore::warm_indexes`].
#[derive(Debug, Clone, PartialEq)]
pub struct WarmedIndex {
    pub index: &'static str,
    pub entries: i64,
    pub ms: f64,
}

impl SqliteStore {
    /// Reads the hot indexes end to end, hottest first; `keep_going` is asked before each, so
    /// a server shutting down stops early. An index that cannot be read is skipped (an old
    /// schema, say): warming is an optimisation, never a failure.
    pub fn warm_indexes(&self, mut keep_going: impl FnMut() -> bool) -> Result<Vec<WarmedIndex>> {
        let mut done = vec![];
        for (index, sql) in HOT_INDEXES {
            if !keep_going() {
                break;
            }
            let t = Instant::now();
            if let Ok(entries) = self.conn.query_row(sql, [], |r| r.get::<_, i64>(0)) {
                done.push(WarmedIndex { index, entries, ms: t.elapsed().as_secs_f64() * 1e3 });
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hot_index_exists_and_is_read_from_the_index_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        for (index, sql) in HOT_INDEXES {
            // INDEXED BY fails to prepare when the index is missing, so a renamed index
            // shows up here rather than as a silently cold server.
            let plan = store.query_plan(sql).unwrap_or_else(|e| panic!("{index}: {e}"));
            // (`dyad_days` is a table without rowid: its primary key is the table.)
            let index_only = |s: &String| s.contains("COVERING INDEX") || s == "SCAN dyad_days";
            assert!(plan.iter().any(index_only), "{index}: {plan:?}");
        }
        let warmed = store.warm_indexes(|| true).unwrap();
        assert_eq!(warmed.len(), HOT_INDEXES.len());
        assert!(warmed.iter().all(|w| w.entries == 0));
        assert!(store.warm_indexes(|| false).unwrap().is_empty());
    }
}
