//! PostgreSQL as a second store engine beside the embedded SQLite store, for several writers
//! and servers sharing one database.
//!
//! [`PgStore`] implements [`StoreBackend`] with the same answers as `SqliteStore` (both pass
//! `newsloom_store::conformance`); [`PgSearch`] answers searches with PostgreSQL's full-text
//! search instead of a tantivy index; [`testing`] starts throwaway servers for tests and
//! benchmarks.
//!
//! Concurrency: any number of processes may read and write one database. Each batch is one
//! transaction that first takes a transaction-level advisory lock ([`write::WRITER_LOCK`]), so
//! batches from different writers apply one after the other: story aggregates and merges never
//! lose an update, and article sequence numbers become visible in order (a follower reading
//! `seq > last` never skips a row committed late). Readers take no lock and see whole batches.
//!
//! Connections are plain TCP (no TLS): use it on a trusted network or through a local socket.

mod facts;
mod lease;
mod read;
mod schema;
mod search;
pub mod testing;
mod write;

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};

use newsloom_store::{
    ArticleBrief, ArticleFilter, ArticleRow, BatchOutcome, DyadPoint, EventFilter, GeoEventFilter,
    NewArticle, PlaceCount, PlaceFilter, QuoteFilter, Reject, Result, Stats, StoreBackend, StoreError,
    StoryQuery, StoryRow, TonePoint, ToneSubject,
};

pub use lease::{LeaseTerm, PgLease};
pub use search::{MATCH_WINDOW, PgSearch};
pub use write::WRITER_LOCK;

/// A database error as a store error.
pub(crate) fn pg(e: postgres::Error) -> StoreError {
    // The server's message (with its detail) is in the source; Display alone says "db error".
    match e.as_db_error() {
        Some(db) => StoreError(format!(
            "database error: {}{}",
            db.message(),
            db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
        )),
        None => StoreError(format!("database error: {e}")),
    }
}

/// A parameter list for queries.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// One connection and its prepared statements (each is prepared once per connection).
pub(crate) struct Conn {
    pub(crate) client: Client,
    pub(crate) stmts: HashMap<String, Statement>,
}

impl Conn {
    pub(crate) fn stmt(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(pg)?;
        self.stmts.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    pub(crate) fn query(&mut self, sql: &str, params: &Params) -> Result<Vec<Row>> {
        let s = self.stmt(sql)?;
        self.client.query(&s, params).map_err(pg)
    }

    pub(crate) fn query_opt(&mut self, sql: &str, params: &Params) -> Result<Option<Row>> {
        let s = self.stmt(sql)?;
        self.client.query_opt(&s, params).map_err(pg)
    }

    pub(crate) fn query_one(&mut self, sql: &str, params: &Params) -> Result<Row> {
        let s = self.stmt(sql)?;
        self.client.query_one(&s, params).map_err(pg)
    }
}

/// The store in a PostgreSQL database.
pub struct PgStore {
    /// `None` only while dropping (see [`drop_off_runtime`]).
    conn: RefCell<Option<Conn>>,
    url: String,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        drop_off_runtime(self.conn.get_mut().take());
    }
}

/// Drops a connection where that is allowed. The sync client closes its connection by
/// blocking on its own runtime, which tokio forbids on a thread that runs async tasks (the
/// server drops its store handles there at shutdown, and tests build routers in async test
/// functions): under a tokio runtime the drop moves to a short-lived thread of its own.
pub(crate) fn drop_off_runtime<T: Send + 'static>(value: T) {
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::spawn(move || drop(value));
    } else {
        drop(value);
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/db`) and brings the schema up to
    /// date.
    pub fn open(url: &str) -> Result<Self> {
        let mut client = connect(url)?;
        schema::migrate(&mut client)?;
        Ok(Self { conn: RefCell::new(Some(Conn { client, stmts: HashMap::new() })), url: url.to_string() })
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64> {
        schema::version(&mut self.conn().client)
    }

    pub(crate) fn conn(&self) -> std::cell::RefMut<'_, Conn> {
        std::cell::RefMut::map(self.conn.borrow_mut(), |c| c.as_mut().expect("open until dropped"))
    }
}

impl StoreBackend for PgStore {
    fn engine(&self) -> &'static str {
        "postgres"
    }

    fn location(&self) -> String {
        newsloom_store::mask_password(&self.url)
    }

    fn schema_version(&self) -> Result<i64> {
        PgStore::schema_version(self)
    }

    fn insert_batch(&mut self, batch: &[NewArticle], rejects: &[Reject]) -> Result<BatchOutcome> {
        PgStore::insert_batch(self, batch, rejects)
    }

    newsloom_store::forward_to_inherent! { PgStore:
        fn existing_ids(ids: &[&str]) -> Result<std::collections::HashSet<String>>;
        fn max_seq() -> Result<i64>;
        fn article(id: &str) -> Result<Option<newsloom_model::Article>>;
        fn article_brief(id: &str) -> Result<Option<ArticleBrief>>;
        fn article_body(id: &str) -> Result<Option<String>>;
        fn scan_articles(after_seq: i64, limit: usize, with_raw: bool) -> Result<Vec<(i64, newsloom_model::Article)>>;
        fn copy_of(id: &str) -> Result<Option<String>>;
        fn articles(f: &ArticleFilter) -> Result<Vec<ArticleRow>>;
        fn resolve_story(id: &str) -> Result<String>;
        fn stories(q: &StoryQuery) -> Result<Vec<StoryRow>>;
        fn story(id: &str) -> Result<Option<(StoryRow, Vec<ArticleRow>)>>;
        fn analysis(article: &str) -> Result<newsloom_model::Analysis>;
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

/// Connects, with the password masked in errors.
pub(crate) fn connect(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|e| {
        StoreError(format!("cannot connect to PostgreSQL at {}: {e}", newsloom_store::mask_password(url)))
    })
}

/// Seconds since the Unix epoch, for `ingested_at` and `at` columns.
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
