//! The store: the source of truth for everything newsloom knows, behind one interface
//! ([`StoreBackend`]). The embedded default is SQLite (bundled) in WAL mode ([`SqliteStore`]);
//! PostgreSQL lives in `newsloom-postgres`. The search index is derived from the store and can
//! always be rebuilt.
//!
//! Durability: each batch is written in one transaction, so a crash (even `kill -9`) leaves
//! either the whole batch or none of it; `synchronous=NORMAL` in WAL mode keeps every committed
//! transaction across a process crash.
//!
//! ```
//! use newsloom_store::SqliteStore;
//! let dir = tempfile::tempdir().unwrap();
//! let store = SqliteStore::open(dir.path()).unwrap();
//! assert_eq!(store.stats().unwrap().articles, 0);
//! // The same through the interface every backend implements:
//! let backend: Box<dyn newsloom_store::StoreBackend> = Box::new(store);
//! assert_eq!(backend.max_seq().unwrap(), 0);
//! ```

pub mod actors;
mod backend;
mod checkpoint;
pub mod conformance;
mod dyads;
mod export;
mod facts;
mod follow;
mod geo;
mod lock;
mod packed;
mod page_facts;
mod read;
mod recode;
mod schema;
mod seq_keys;
mod snapshot;
mod tone;
mod warm;
mod watched;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use backend::{ArticleBrief, ArticlePage, ArticlesFacts, Location, StoreBackend, mask_password};
pub use checkpoint::SYNC_EVERY as CHECKPOINT_SYNC_EVERY;
pub use export::{ArticleExport, EventExport, EventGroup, EventReport, MentionExport, StoryExport};
pub use follow::{FollowItem, FollowItemState, FollowSource};
pub use geo::{GeoEventFilter, PlaceCount, PlaceFilter};
pub use lock::WriterLock;
pub use read::{
    ArticleFilter, ArticleRow, DyadPoint, EventFilter, OutletCount, QuoteFilter, Stats, StoryOrder,
    StoryQuery, StoryRow,
};
pub use recode::RecodeStats;
pub use tone::{TonePoint, ToneSubject};
pub use warm::WarmedIndex;
pub use watched::WatchedFile;
pub use write::{BatchOutcome, Encoded, NewArticle, Reject};

/// A store error, with what was being done when it happened.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// The start of every out-of-space error, so callers can tell it from others.
pub const NO_SPACE: &str = "no space left on device";

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        // SQLite reports a full disk (ENOSPC) as SQLITE_FULL.
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            return StoreError(format!("{NO_SPACE} ({e})"));
        }
        StoreError(format!("database error: {e}"))
    }
}

impl StoreError {
    /// Whether the disk (or the store's quota) is full.
    pub fn is_out_of_space(&self) -> bool {
        self.0.starts_with(NO_SPACE)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError(format!("stored JSON is invalid: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Implements read-only [`StoreBackend`] methods by calling the inherent method of the same
/// name on `$store`, so a backend keeps its inherent API (usable without the trait in scope)
/// and the trait adds no second copy of any query. Used inside an `impl StoreBackend for …`.
#[macro_export]
macro_rules! forward_to_inherent {
    ($store:ty: $(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $name(&self, $($arg: $ty),*) -> $ret {
            <$store>::$name(self, $($arg),*)
        })*
    };
}

/// Prepared statements kept per connection (see [`SqliteStore::open`]).
const STATEMENT_CACHE: usize = 256;

/// The embedded store in one directory: `newsloom.db` (SQLite) beside the search index.
pub struct SqliteStore {
    conn: Connection,
    dir: PathBuf,
    /// Set for the ingest writer (see [`SqliteStore::checkpoint_in_background`]); dropped after
    /// `conn`, so its connection, the last to close, leaves the log checkpointed.
    checkpoints: Option<checkpoint::BackgroundCheckpoints>,
}

impl SqliteStore {
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
        // Plans that do not change with bound values. Otherwise SQLite marks a statement whose
        // plan could depend on a parameter, and clearing its bindings (which rusqlite does each
        // time a cached statement goes back to the cache) expires it: every such query was
        // parsed and planned again at each use, 11 % of a story page's store reads.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // The store has about 60 distinct cached statements, and the writer up to 8 more per
        // table it inserts several rows of a time into (`write::insert_rows`); rusqlite keeps
        // 16 by default, so a server answering mixed requests would evict and prepare them in
        // turn.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        let mut store = Self { conn, dir: dir.to_path_buf(), checkpoints: None };
        schema::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Gives this connection a page cache of `mb` megabytes (SQLite's default is 2 MB). The
    /// writer of a large store re-reads the upper levels of every index it inserts into; with
    /// them cached, a batch costs no page reads from the OS. Allocated as pages are used.
    pub fn set_cache_mb(&self, mb: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -(i64::from(mb) * 1024))?;
        Ok(())
    }

    /// Sets this connection up as the ingest writer. Every statement that fires a trigger or
    /// may fail half-way (nearly every insert here) keeps the pages it changes in a statement
    /// journal, for its own rollback; past 64 KB SQLite spills that journal to a temporary
    /// file, and then every page an insert touched was written there with a `pwrite` for the
    /// rest of the batch (18 % of the writer thread's time). Held in memory it costs a copy of
    /// the few pages one statement touches. Crash safety is the WAL's, unchanged: a statement
    /// journal only undoes a failed statement of a live transaction. The writer's own sorts
    /// and temporary tables are in memory too; they are small (a story's merge recount).
    pub fn set_writer_journals_in_memory(&self) -> Result<()> {
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    /// Sets this connection up as the ingest writer whose write-ahead log another thread
    /// checkpoints after each batch (see `checkpoint.rs`: on a large store the checkpoint was a
    /// sixth of the writer thread's CPU time, and its `fsync` most of its waits). This
    /// connection no longer checkpoints by itself.
    pub fn checkpoint_in_background(&mut self) -> Result<()> {
        if self.checkpoints.is_none() {
            self.checkpoints = Some(checkpoint::BackgroundCheckpoints::start(&self.dir.join("newsloom.db"))?);
            self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        Ok(())
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

impl StoreBackend for SqliteStore {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.dir.display().to_string()
    }

    fn as_sqlite(&self) -> Option<&SqliteStore> {
        Some(self)
    }

    fn insert_batch(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome> {
        SqliteStore::insert_batch(self, batch, rejects)
    }

    fn backfill_derived(&mut self, progress: &mut dyn FnMut(u64)) -> Result<u64> {
        self.backfill_facts(progress)
    }

    forward_to_inherent! { SqliteStore:
        fn schema_version() -> Result<i64>;
        fn existing_ids(ids: &[&str]) -> Result<std::collections::HashSet<String>>;
        fn max_seq() -> Result<i64>;
        fn article(id: &str) -> Result<Option<newsloom_model::Article>>;
        fn article_page(id: &str) -> Result<Option<ArticlePage>>;
        fn article_brief(id: &str) -> Result<Option<ArticleBrief>>;
        fn article_body(id: &str) -> Result<Option<String>>;
        fn scan_articles(after_seq: i64, limit: usize, with_raw: bool) -> Result<Vec<(i64, newsloom_model::Article)>>;
        fn copy_of(id: &str) -> Result<Option<String>>;
        fn articles(f: &ArticleFilter) -> Result<Vec<ArticleRow>>;
        fn resolve_story(id: &str) -> Result<String>;
        fn stories(q: &StoryQuery) -> Result<Vec<StoryRow>>;
        fn story(id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>>;
        fn analysis(article: &str) -> Result<newsloom_model::Analysis>;
        fn story_facts(article: &str) -> Result<newsloom_model::Analysis>;
        fn facts_of_articles(articles: &[&str]) -> Result<ArticlesFacts>;
        fn facts_json_of_articles(articles: &[&str]) -> Result<Vec<String>>;
        fn facts_json_of_rows(articles: &[&ArticleRow]) -> Result<Vec<String>>;
        fn entities_by_ids(ids: &[&str]) -> Result<Vec<newsloom_model::Entity>>;
        fn article_entities(article: &str) -> Result<Vec<String>>;
        fn stats() -> Result<Stats>;
        fn entities(query: Option<&str>, offset: usize, limit: usize) -> Result<Vec<(newsloom_model::Entity, i64)>>;
        fn entity(id: &str) -> Result<Option<(newsloom_model::Entity, i64)>>;
        fn quotes(f: &QuoteFilter) -> Result<Vec<newsloom_model::Quote>>;
        fn events(f: &EventFilter) -> Result<Vec<(newsloom_model::Event, i64)>>;
        fn dyad(a: &str, b: &str, period_len: usize) -> Result<Vec<DyadPoint>>;
        fn places(f: &PlaceFilter) -> Result<Vec<PlaceCount>>;
        fn article_places(article: &str) -> Result<Vec<newsloom_model::PlaceMention>>;
        fn events_by_place(f: &GeoEventFilter) -> Result<Vec<newsloom_model::Event>>;
        fn article_tone(article: &str) -> Result<Option<newsloom_model::ArticleTone>>;
        fn article_themes(article: &str) -> Result<Vec<newsloom_model::ThemeLabel>>;
        fn mention_tones(article: &str) -> Result<Vec<newsloom_model::MentionTone>>;
        fn articles_with_theme(code: &str, min_confidence: f32, limit: usize) -> Result<Vec<String>>;
        fn articles_in_tone_range(min: f32, max: f32, limit: usize) -> Result<Vec<String>>;
        fn tone_series(subject: &ToneSubject, period_len: usize) -> Result<Vec<TonePoint>>;
        fn rejects(limit: usize) -> Result<Vec<Reject>>;
    }
}

/// Seconds since the Unix epoch, for `ingested_at` columns.
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
