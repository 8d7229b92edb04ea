//! The ledger of files `newsloom watch` has ingested: path, size, mtime and content hash.
//!
//! Size and mtime let an unchanged file be passed over without reading it; the hash decides
//! when they changed (a file rewritten with the same content, or the same content under a
//! new name, is not ingested again).

use rusqlite::{OptionalExtension, params};

use crate::{Result, SqliteStore, now_secs};

/// One ingested file as the ledger knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchedFile {
    pub path: String,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Content hash (hex).
    pub hash: String,
}

impl SqliteStore {
    /// The ledger's entry for `path`, if the file was ingested before.
    pub fn watched_file(&self, path: &str) -> Result<Option<WatchedFile>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, size, mtime_ns, hash FROM watched_files WHERE path = ?1")?;
        Ok(stmt
            .query_row([path], |r| {
                Ok(WatchedFile {
                    path: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                    mtime_ns: r.get(2)?,
                    hash: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// Whether a file with this content hash was ingested before, under any name.
    pub fn watched_hash_known(&self, hash: &str) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM watched_files WHERE hash = ?1 LIMIT 1")?;
        Ok(stmt.exists([hash])?)
    }

    /// Records that `file` was ingested (replacing what was known about its path).
    pub fn record_watched_file(&self, file: &WatchedFile) -> Result<()> {
        self.conn.execute(
            "INSERT INTO watched_files (path, size, mtime_ns, hash, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(path) DO UPDATE SET size = ?2, mtime_ns = ?3, hash = ?4, ingested_at = ?5",
            params![file.path, file.size as i64, file.mtime_ns, file.hash, now_secs()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_round_trip_and_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        assert_eq!(store.watched_file("/in/a.html").unwrap(), None);
        let a = WatchedFile { path: "/in/a.html".into(), size: 10, mtime_ns: 5, hash: "h1".into() };
        store.record_watched_file(&a).unwrap();
        assert_eq!(store.watched_file("/in/a.html").unwrap(), Some(a.clone()));
        assert!(store.watched_hash_known("h1").unwrap());
        let rewritten = WatchedFile { size: 12, mtime_ns: 9, hash: "h2".into(), ..a };
        store.record_watched_file(&rewritten).unwrap();
        assert_eq!(store.watched_file("/in/a.html").unwrap(), Some(rewritten));
        assert!(!store.watched_hash_known("h1").unwrap());
        // Reopening keeps the ledger.
        drop(store);
        assert!(SqliteStore::open(dir.path()).unwrap().watched_hash_known("h2").unwrap());
    }
}
