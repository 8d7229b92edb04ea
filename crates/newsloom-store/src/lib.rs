//! The embedded store: SQLite (bundled) in WAL mode, the source of truth for everything
//! newsloom knows. The search index is derived from it and can always be rebuilt.
//!
//! Durability: each batch is written in one transaction, so a crash (even `kill -9`) leaves
//! either the whole batch or none of it; `synchronous=NORMAL` in WAL mode keeps every committed
//! transaction across a process crash.
//!
//! ```
//! use newsloom_store::Store;
//! let dir = tempfile::tempdir().unwrap();
//! let store = Store::open(dir.path()).unwrap();
//! assert_eq!(store.stats().unwrap().articles, 0);
//! ```

mod export;
mod follow;
mod geo;
mod lock;
mod read;
mod schema;
mod tone;
mod watched;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use export::{ArticleExport, EventExport, EventGroup, EventReport, MentionExport, StoryExport};
pub use follow::{FollowItem, FollowItemState, FollowSource};
pub use geo::{GeoEventFilter, PlaceCount, PlaceFilter};
pub use lock::WriterLock;
pub use read::{
    ArticleFilter, ArticleRow, DyadPoint, EventFilter, OutletCount, QuoteFilter, Stats, StoryOrder,
    StoryQuery, StoryRow,
};
pub use tone::{TonePoint, ToneSubject};
pub use watched::WatchedFile;
pub use write::{BatchOutcome, NewArticle, Reject};

/// A store error, with what was being done when it happened.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(format!("database error: {e}"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError(format!("stored JSON is invalid: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The newsloom database in one directory: `newsloom.db` (SQLite) beside the search index.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create the data directory {}: {e}", dir.display())))?;
        let path = dir.join("newsloom.db");
        let conn = Connection::open(&path)
            .map_err(|e| StoreError(format!("cannot open the database {}: {e}", path.display())))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Concurrent readers (the server) and one writer: wait rather than fail on a lock.
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut store = Self { conn, dir: dir.to_path_buf() };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// The directory holding the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The schema version this store is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Seconds since the Unix epoch, for `ingested_at` columns.
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
