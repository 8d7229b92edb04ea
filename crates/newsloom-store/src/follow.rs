//! The state of `newsloom follow`: followed sources (validators, schedule, error counts) and
//! the items seen in them.
//!
//! An item is recorded as `stored` only after the batch holding its article was committed, so
//! a crash between the two re-fetches at most that batch, and the content-id of the page makes
//! storing it again a no-op.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::{Result, SqliteStore, now_secs};

/// One followed feed or sitemap (or a sitemap listed in a followed sitemap index).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowSource {
    pub url: String,
    /// The sitemap index this sitemap was listed in; `None` for the sources a user follows.
    pub parent: Option<String>,
    /// Outlet name given in the sources file.
    pub name: Option<String>,
    /// `rss`, `atom`, `json`, `sitemap` or `sitemap-index`, once polled.
    pub kind: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Unix seconds of the last poll.
    pub last_poll: Option<i64>,
    /// Unix seconds of the next poll.
    pub next_poll: Option<i64>,
    pub polls: i64,
    /// Articles stored from this source.
    pub items: i64,
    /// Failed polls in total, and in a row up to now (drives the back-off).
    pub errors: i64,
    pub consecutive_errors: i64,
    /// Items whose page could not be fetched or yielded no article.
    pub item_errors: i64,
    pub last_error: Option<String>,
    /// The source answered 404 or 410: polled rarely, with an exponential back-off.
    pub gone: bool,
}

/// What became of one item of a followed source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FollowItemState {
    /// Its article is in the store (or was already: same content).
    Stored,
    /// Its page was fetched but held no article (recorded with the rejection).
    Rejected,
    /// Its page could not be fetched yet; retried on later polls.
    Failed,
    /// Failed too many times; not tried again.
    GivenUp,
}

impl FollowItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stored => "stored",
            Self::Rejected => "rejected",
            Self::Failed => "failed",
            Self::GivenUp => "given-up",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "stored" => Self::Stored,
            "rejected" => Self::Rejected,
            "given-up" => Self::GivenUp,
            _ => Self::Failed,
        }
    }
}

/// One item of a followed source and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowItem {
    pub source: String,
    /// The item's guid/id, else its URL.
    pub key: String,
    pub url: String,
    /// The stored article's id.
    pub article: Option<String>,
    pub state: FollowItemState,
    /// Page fetches tried so far.
    pub attempts: i64,
    pub last_error: Option<String>,
}

const SOURCE_COLUMNS: &str = "url, parent, name, kind, etag, last_modified, last_poll, next_poll, polls, items, \
     errors, consecutive_errors, item_errors, last_error, gone";

fn source_row(r: &rusqlite::Row) -> rusqlite::Result<FollowSource> {
    Ok(FollowSource {
        url: r.get(0)?,
        parent: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        etag: r.get(4)?,
        last_modified: r.get(5)?,
        last_poll: r.get(6)?,
        next_poll: r.get(7)?,
        polls: r.get(8)?,
        items: r.get(9)?,
        errors: r.get(10)?,
        consecutive_errors: r.get(11)?,
        item_errors: r.get(12)?,
        last_error: r.get(13)?,
        gone: r.get::<_, i64>(14)? != 0,
    })
}

impl SqliteStore {
    /// The stored state of one source, if it was ever polled.
    pub fn follow_source(&self, url: &str) -> Result<Option<FollowSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM follow_sources WHERE url = ?");
        Ok(self.conn.query_row(&sql, [url], source_row).optional()?)
    }

    /// Every source followed so far (top-level ones first, then the sitemaps they list).
    pub fn follow_sources(&self) -> Result<Vec<FollowSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM follow_sources ORDER BY parent IS NOT NULL, url");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], source_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Writes the state of a source (inserting it the first time). The counters `items` and
    /// `item_errors` are written only on insert: after that [`SqliteStore::add_follow_counts`] keeps
    /// them, in the transaction that records the items.
    pub fn save_follow_source(&self, s: &FollowSource) -> Result<()> {
        let sql = format!(
            "INSERT INTO follow_sources ({SOURCE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
             ON CONFLICT(url) DO UPDATE SET parent = excluded.parent, name = excluded.name,
               kind = excluded.kind, etag = excluded.etag, last_modified = excluded.last_modified,
               last_poll = excluded.last_poll, next_poll = excluded.next_poll, polls = excluded.polls,
               errors = excluded.errors, consecutive_errors = excluded.consecutive_errors,
               last_error = excluded.last_error, gone = excluded.gone"
        );
        self.conn.prepare_cached(&sql)?.execute(params![
            s.url,
            s.parent,
            s.name,
            s.kind,
            s.etag,
            s.last_modified,
            s.last_poll,
            s.next_poll,
            s.polls,
            s.items,
            s.errors,
            s.consecutive_errors,
            s.item_errors,
            s.last_error,
            s.gone as i64
        ])?;
        Ok(())
    }

    /// The recorded state and attempts of those of `keys` seen before in `source`.
    pub fn follow_item_states(
        &self,
        source: &str,
        keys: &[&str],
    ) -> Result<HashMap<String, (FollowItemState, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT state, attempts FROM follow_items WHERE source = ? AND key = ?")?;
        let mut found = HashMap::new();
        for key in keys {
            let row = stmt
                .query_row(params![source, key], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .optional()?;
            if let Some((state, attempts)) = row {
                found.insert(key.to_string(), (FollowItemState::parse(&state), attempts));
            }
        }
        Ok(found)
    }

    /// Items of `source` whose page failed and that are still to be retried.
    pub fn follow_items_to_retry(&self, source: &str, limit: usize) -> Result<Vec<FollowItem>> {
        self.follow_items_where("source = ?1 AND state = 'failed'", source, limit)
    }

    /// Every recorded item of `source` (for reports and tests).
    pub fn follow_items(&self, source: &str, limit: usize) -> Result<Vec<FollowItem>> {
        self.follow_items_where("source = ?1", source, limit)
    }

    fn follow_items_where(&self, filter: &str, source: &str, limit: usize) -> Result<Vec<FollowItem>> {
        let sql = format!(
            "SELECT source, key, url, article, state, attempts, last_error FROM follow_items WHERE {filter}
             ORDER BY updated, key LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![source, limit as i64], |r| {
                Ok(FollowItem {
                    source: r.get(0)?,
                    key: r.get(1)?,
                    url: r.get(2)?,
                    article: r.get(3)?,
                    state: FollowItemState::parse(&r.get::<_, String>(4)?),
                    attempts: r.get(5)?,
                    last_error: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records what became of items, and adds the stored ones and the failed fetches to their
    /// source's counters, in one transaction. Call it only after the batch holding their
    /// articles was stored.
    pub fn record_follow_items(&self, items: &[FollowItem]) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        {
            let mut counts: HashMap<&str, (i64, i64)> = HashMap::new();
            for i in items {
                let c = counts.entry(i.source.as_str()).or_default();
                match i.state {
                    FollowItemState::Stored => c.0 += 1,
                    FollowItemState::Failed | FollowItemState::GivenUp => c.1 += 1,
                    FollowItemState::Rejected => {}
                }
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO follow_sources (url, items, item_errors) VALUES (?1, ?2, ?3)
                 ON CONFLICT(url) DO UPDATE SET items = items + ?2, item_errors = item_errors + ?3",
            )?;
            for (source, (stored, failed)) in counts {
                stmt.execute(params![source, stored, failed])?;
            }
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO follow_items (source, key, url, article, state, attempts, last_error, updated)
                 VALUES (?,?,?,?,?,?,?,?)",
            )?;
            let now = now_secs();
            for i in items {
                stmt.execute(params![
                    i.source,
                    i.key,
                    i.url,
                    i.article,
                    i.state.as_str(),
                    i.attempts,
                    i.last_error,
                    now
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Caps the database at `pages` pages, so writes past it fail as on a full disk (for
    /// testing what following does when the disk fills up).
    pub fn limit_size_in_pages(&self, pages: u64) -> Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages as i64)?;
        Ok(())
    }

    /// The database's current size in pages.
    pub fn size_in_pages(&self) -> Result<u64> {
        Ok(self.conn.pragma_query_value(None, "page_count", |r| r.get::<_, i64>(0))? as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_items_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        let mut s =
            FollowSource { url: "http://a/feed".into(), name: Some("A".into()), ..Default::default() };
        store.save_follow_source(&s).unwrap();
        s.errors = 2;
        s.gone = true;
        s.etag = Some("\"v1\"".into());
        store.save_follow_source(&s).unwrap();
        assert_eq!(store.follow_source("http://a/feed").unwrap(), Some(s.clone()));
        assert_eq!(store.follow_sources().unwrap(), vec![s.clone()]);

        let item = |key: &str, state, attempts| FollowItem {
            source: "http://a/feed".into(),
            key: key.into(),
            url: format!("http://a/{key}"),
            article: None,
            state,
            attempts,
            last_error: None,
        };
        store
            .record_follow_items(&[
                item("1", FollowItemState::Stored, 1),
                item("2", FollowItemState::Failed, 1),
            ])
            .unwrap();
        let states = store.follow_item_states("http://a/feed", &["1", "2", "3"]).unwrap();
        assert_eq!(states.len(), 2);
        assert_eq!(states["2"], (FollowItemState::Failed, 1));
        let retry = store.follow_items_to_retry("http://a/feed", 10).unwrap();
        assert_eq!(retry.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["2"]);
        store.record_follow_items(&[item("2", FollowItemState::GivenUp, 3)]).unwrap();
        assert!(store.follow_items_to_retry("http://a/feed", 10).unwrap().is_empty());
        assert_eq!(store.follow_items("http://a/feed", 10).unwrap().len(), 2);
        // The counters follow the recorded items, and saving the source keeps them.
        store.save_follow_source(&FollowSource { items: 99, ..s.clone() }).unwrap();
        let counted = store.follow_source("http://a/feed").unwrap().unwrap();
        assert_eq!((counted.items, counted.item_errors), (1, 2));
    }
}
