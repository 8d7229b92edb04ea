//! `newsloom serve`: the HTTP API and web UI over the embedded store.
//!
//! The API is under `/api` (its OpenAPI spec at `/api/openapi.json` is generated from the
//! handlers); the UI is a few static files embedded in the binary, served from `/`.

mod admission;
mod api;
mod cache;
mod connections;
mod error;
mod follow;
#[doc(hidden)]
pub mod fuzz_entry;
mod metrics;
mod pool;
mod sql;
mod tiles;
mod ui;
mod warm;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use newsloom_pipeline::Pipeline;
use newsloom_search::{SearchIndex, Searcher};
use newsloom_store::{Location, SqliteStore, StoreBackend};
use tower_http::set_header::SetResponseHeaderLayer;

pub use admission::AdmissionLimits;
pub use api::ApiDoc;
pub use follow::{Following, serve_following, serve_following_on, serve_following_watching};
pub use tiles::{tile_origin, with_tiles};

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The store's data directory.
    pub db: PathBuf,
    pub addr: SocketAddr,
    /// When set, `POST /api/articles` is enabled and requires `Authorization: Bearer <token>`.
    pub write_token: Option<String>,
    /// Map tile URL template for the UI (`--tiles`); none: offline country outlines only.
    pub tiles: Option<String>,
    /// The scale-out pipeline's NATS server, for `/api/cluster-status` and the status page.
    pub nats: Option<String>,
}

/// Largest request body accepted (`POST /api/articles`); larger ones get 413.
pub const MAX_BODY_BYTES: usize = 16 << 20;
/// A request taking longer than this is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Dyad series by (actor a, actor b, period length).
type DyadCache = cache::Cache<(String, String, usize), Arc<Vec<newsloom_store::DyadPoint>>>;
/// Search results by query, at an index version.
type SearchCache = cache::Cache<newsloom_search::SearchQuery, Arc<newsloom_search::SearchResults>>;
/// Story list pages.
type StoryPageCache = cache::Cache<newsloom_store::StoryQuery, Arc<Vec<newsloom_store::StoryRow>>>;

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    db: Arc<pool::Db>,
    index: Arc<dyn Searcher>,
    /// Opened at the first ingest request: it holds the search index's writer lock.
    pipeline: Arc<Mutex<Option<Pipeline>>>,
    /// Where the store is (where an ingest request opens the pipeline).
    location: Option<Location>,
    write_token: Option<Arc<str>>,
    /// Searches are CPU-bound: running more at once than there are cores only adds tail
    /// latency, so they queue here (fairly) instead.
    search_permits: Arc<tokio::sync::Semaphore>,
    searches: Arc<SearchCache>,
    dyads: Arc<DyadCache>,
    /// Store-wide counts take a second on 100,000 articles: computed once per store version.
    stats: Arc<cache::Cache<(), newsloom_store::Stats>>,
    story_pages: Arc<StoryPageCache>,
    version: Arc<cache::Version>,
    /// The search index's commit stamp, as [`cache::Version`] keeps it.
    index_version: Arc<cache::Version>,
    /// The stage workers' queue, when the server watches a scale-out pipeline.
    cluster: Option<Arc<api::cluster::ClusterProbe>>,
}

impl AppState {
    /// A cached value computed at the current store version, or `compute` run on a database
    /// handle (and cached).
    async fn cached<K, V>(
        &self,
        cache: &Arc<cache::Cache<K, V>>,
        key: K,
        compute: impl FnOnce(&dyn newsloom_store::StoreBackend) -> error::ApiResult<V> + Send + 'static,
    ) -> error::ApiResult<V>
    where
        K: Eq + std::hash::Hash + Clone,
        V: Clone + Send + 'static,
    {
        let version = self.version.current(|| self.db.run(|h| Ok(h.max_seq()?))).await?;
        cache.get_or_compute(key, version, || self.db.run(compute)).await
    }
}

/// The whole application (API, UI, limits and security headers) over the store in `db`.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// // An empty store is created; ingest over HTTP stays off without a token.
/// let app = newsloom_server::router(dir.path(), None).unwrap();
/// # drop(app);
/// ```
pub fn router(db: &Path, write_token: Option<String>) -> Result<Router, String> {
    Ok(app(app_state(db, write_token)?))
}

/// Queries at once: eight per core by default (`NEWSLOOM_DB_CONCURRENCY`). A warm store is
/// CPU-bound and loses nothing by it; one larger than memory waits on the disk, and on a million
/// articles after a cold start 16 at once served 24 % more story pages than 4.
fn db_concurrency() -> usize {
    per_core_or_env("NEWSLOOM_DB_CONCURRENCY", 8)
}

/// Uncached searches at once: two per core by default (`NEWSLOOM_SEARCH_CONCURRENCY`). A
/// search also waits on the index's pages; with one per core the CPU idled meanwhile. Varied
/// searches on a million articles, 200 connections, two runs each: one per core 1,860 / 1,937
/// requests/s (p99 169 / 165 ms), two 2,508 / 2,441 (146 / 135 ms), four 2,733 / 2,655 (135 /
/// 152 ms, longer max), sixteen per core 1,070 / 1,371 (588 / 564 ms: they crowd each other out).
fn search_concurrency() -> usize {
    per_core_or_env("NEWSLOOM_SEARCH_CONCURRENCY", 2)
}

/// `var` when set to 1..=256, else `per_core` times the cores (2 cores when unknown).
fn per_core_or_env(var: &str, per_core: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| (1..=256).contains(n))
        .unwrap_or_else(|| per_core * std::thread::available_parallelism().map_or(2, |n| n.get()))
}

/// Page cache of all pooled SQLite readers together, in MB (each allocates as pages are used).
const READERS_CACHE_MB: u32 = 256;

/// The state every handler shares, over the store in `db`.
pub(crate) fn app_state(db: &Path, write_token: Option<String>) -> Result<AppState, String> {
    let concurrency = db_concurrency();
    // The readers' page caches share one budget, so more readers do not mean more memory.
    let cache_mb = (READERS_CACHE_MB / concurrency as u32).max(8);
    let dir = db.to_path_buf();
    let open: pool::Opener = Arc::new(move || {
        let store = SqliteStore::open(&dir)?;
        // A reader answers many requests: pages it revisits (index roots and inner pages,
        // hot facts) stay in its own cache instead of being copied in from the OS each time.
        store.set_cache_mb(cache_mb)?;
        Ok(Box::new(store) as Box<dyn StoreBackend>)
    });
    let index = SearchIndex::open_for_queries(db)
        .map_err(|e| format!("cannot open the search index in {}: {e}", db.display()))?;
    app_state_with(open, Arc::new(index), Some(Location::Dir(db.to_path_buf())), write_token)
}

/// The whole application over the store at `location`: the embedded store in a directory
/// (as [`router`]), or a PostgreSQL database, searched with its own full-text search.
pub fn router_for(location: &Location, write_token: Option<String>) -> Result<Router, String> {
    Ok(app(app_state_for(location, write_token)?))
}

/// The state every handler shares, over the store at `location`.
pub(crate) fn app_state_for(location: &Location, write_token: Option<String>) -> Result<AppState, String> {
    let url = match location {
        Location::Dir(dir) => return app_state(dir, write_token),
        Location::Postgres(url) => url.clone(),
    };
    // Opened once here so a bad URL or an old schema fails at start-up, not at the first request.
    newsloom_postgres::PgStore::open(&url).map_err(|e| e.to_string())?;
    let search = newsloom_postgres::PgSearch::open(&url).map_err(|e| e.to_string())?;
    let open_url = url.clone();
    let open: pool::Opener =
        Arc::new(move || Ok(Box::new(newsloom_postgres::PgStore::open(&open_url)?) as Box<dyn StoreBackend>));
    app_state_with(open, Arc::new(search), Some(location.clone()), write_token)
}

/// The state over any store: `open` opens one more store handle, `searcher` answers searches,
/// `location` is where an ingest request opens its pipeline (none: ingest is unavailable).
pub(crate) fn app_state_with(
    open: pool::Opener,
    searcher: Arc<dyn Searcher>,
    location: Option<Location>,
    write_token: Option<String>,
) -> Result<AppState, String> {
    let state = AppState {
        db: pool::Db::open(open, db_concurrency())?,
        index: searcher,
        pipeline: Arc::new(Mutex::new(None)),
        location,
        write_token: write_token.filter(|t| !t.is_empty()).map(Arc::from),
        search_permits: Arc::new(tokio::sync::Semaphore::new(search_concurrency())),
        searches: Arc::new(cache::Cache::new(2048).named("search")),
        dyads: Arc::new(cache::Cache::new(4096).named("dyad")),
        stats: Arc::new(cache::Cache::new(1).named("stats")),
        story_pages: Arc::new(cache::Cache::new(4096).named("story_pages")),
        version: Arc::new(cache::Version::default()),
        index_version: Arc::new(cache::Version::default()),
        cluster: None,
    };
    Ok(state)
}

/// The whole application over the store in `db`, with the given admission limits (tests use
/// tiny ones; [`router`] takes them from the environment, see [`AdmissionLimits::from_env`]).
pub fn router_with_limits(
    db: &Path,
    write_token: Option<String>,
    limits: AdmissionLimits,
) -> Result<Router, String> {
    Ok(app_with(app_state(db, write_token)?, limits))
}

/// The router over a state.
pub(crate) fn app(state: AppState) -> Router {
    app_with(state, AdmissionLimits::from_env())
}

fn app_with(state: AppState, limits: AdmissionLimits) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    api::router(state.clone())
        .merge(ui::router())
        .merge(metrics::router())
        .fallback(|| async { error::ApiError::not_found("not found") })
        .method_not_allowed_fallback(|| async {
            error::ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this path")
        })
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(timeout))
        // Outside the timeout (a wait for a turn is bounded on its own), inside the metrics
        // (a refusal is counted like any answer).
        .layer(axum::middleware::from_fn_with_state(admission::Admission::new(limits), admission::admit))
        .layer(axum::middleware::from_fn(metrics::record))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
}

/// Answers 408 in the error shape when a request takes longer than [`REQUEST_TIMEOUT`].
async fn timeout(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    // A declared length over the limit is refused before reading a byte of the body (else the
    // handler reads up to the limit, or a slow sender holds the request until the timeout).
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        let message = format!("the request body is over the limit of {MAX_BODY_BYTES} bytes");
        return error::ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message).into_response();
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            error::ApiError::new(StatusCode::REQUEST_TIMEOUT, "the request took too long").into_response()
        }
    }
}

/// Serves until the process is stopped (Ctrl-C stops it gracefully).
pub fn serve(config: ServerConfig) -> Result<(), String> {
    let listener = std::net::TcpListener::bind(config.addr)
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let location = Location::parse(&config.db.to_string_lossy());
    eprintln!("newsloom: serving {} on http://{}", location.display(), config.addr);
    if config.write_token.is_some() {
        eprintln!("newsloom: POST /api/articles is enabled (bearer token required)");
    }
    let app = match &config.nats {
        Some(url) => {
            eprintln!("newsloom: reporting the scale-out pipeline at {url} (/api/cluster-status)");
            router_watching(&location, config.write_token, url)?
        }
        None => router_for(&location, config.write_token)?,
    };
    let _warming = match &location {
        Location::Dir(dir) => Some(warm::spawn(dir.clone())),
        Location::Postgres(_) => None,
    };
    serve_app(listener, tiles::with_tiles(app, config.tiles.as_deref())?)
}

/// As [`router_for`], also reporting the stage workers on the NATS server at `nats`
/// (`/api/cluster-status` and the UI's status page).
pub fn router_watching(
    location: &Location,
    write_token: Option<String>,
    nats: &str,
) -> Result<Router, String> {
    let mut state = app_state_for(location, write_token)?;
    state.cluster = Some(api::cluster::ClusterProbe::new(nats));
    Ok(app(state))
}

/// Serves on an already bound listener (tests bind port 0 and read the port first).
pub fn serve_on(
    listener: std::net::TcpListener,
    db: &Path,
    write_token: Option<String>,
) -> Result<(), String> {
    serve_location(listener, &Location::Dir(db.to_path_buf()), write_token)
}

/// Serves the store at `location` on an already bound listener.
pub fn serve_location(
    listener: std::net::TcpListener,
    location: &Location,
    write_token: Option<String>,
) -> Result<(), String> {
    serve_app(listener, router_for(location, write_token)?)
}

/// Runs `app` on `listener` until Ctrl-C.
fn serve_app(listener: std::net::TcpListener, app: Router) -> Result<(), String> {
    run_on(listener, |listener| async move {
        connections::serve(listener, app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })
}

/// Starts the async runtime and runs `serve` with `listener` made async.
pub(crate) fn run_on<F: Future<Output = Result<(), String>>>(
    listener: std::net::TcpListener,
    serve: impl FnOnce(tokio::net::TcpListener) -> F,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
        serve(listener).await
    })
}
