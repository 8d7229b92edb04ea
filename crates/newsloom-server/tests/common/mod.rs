//! A small store built through the real pipeline from fixture articles written for these tests.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use newsloom_ingest::{IngestItem, parse_jsonl_line};
use newsloom_pipeline::{Pipeline, Quiet};
use newsloom_postgres::testing::{TempPostgres, require, unique_db_name};
use newsloom_store::Location;
use serde_json::{Value, json};

/// The store engines the API tests run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An empty store of one engine, removed when dropped (a PostgreSQL one lives in its own
/// database on a throwaway server).
pub struct TestStore {
    pub location: Location,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<Arc<TempPostgres>>,
}

impl TestStore {
    /// An empty store; `None` (after printing `skipped: …`) for PostgreSQL when it is not
    /// installed and `NEWSLOOM_REQUIRE_PG` is not 1.
    pub fn new(backend: Backend) -> Option<TestStore> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                Some(TestStore {
                    location: Location::Dir(dir.path().to_path_buf()),
                    _dir: Some(dir),
                    _pg: None,
                })
            }
            Backend::Postgres => {
                let pg = require()?;
                let url = pg.create_database(&unique_db_name("api")).unwrap();
                Some(TestStore { location: Location::Postgres(url), _dir: None, _pg: Some(pg) })
            }
        }
    }

    /// A store filled with `values` through the pipeline.
    pub fn built(backend: Backend, values: &[Value]) -> Option<TestStore> {
        let store = TestStore::new(backend)?;
        build_at(&store.location, values);
        Some(store)
    }

    /// The application over this store. Built on a thread of its own: opening a PostgreSQL
    /// store blocks, which tokio forbids on the async test's thread.
    pub fn router(&self, write_token: Option<&str>) -> Router {
        let token = write_token.map(str::to_string);
        std::thread::scope(|s| s.spawn(|| newsloom_server::router_for(&self.location, token).unwrap()).join())
            .unwrap()
    }
}

/// The application over one shared read-only fixture store per engine (built once per test
/// binary); `None` when that engine is unavailable (PostgreSQL not installed).
pub fn shared(backend: Backend) -> Option<Router> {
    static SQLITE: std::sync::OnceLock<Option<TestStore>> = std::sync::OnceLock::new();
    static POSTGRES: std::sync::OnceLock<Option<TestStore>> = std::sync::OnceLock::new();
    let slot = match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    let store = slot.get_or_init(|| TestStore::built(backend, &fixture_articles())).as_ref()?;
    Some(store.router(None))
}

/// Two outlets reporting one story, and an unrelated article from a third.
pub fn fixture_articles() -> Vec<Value> {
    vec![
        json!({
            "title": "Russia urges reset with NATO as ministers meet in Brussels",
            "source": "Harbor Gazette",
            "url": "https://gazette.example/russia-nato-reset",
            "date": "2017-01-04T12:24:00+03:00",
            "language": "en",
            "text": "MOSCOW — Russia on Wednesday urged a reset of relations with NATO, the Russian Foreign Ministry said.\n\n\
                \"We need to build normal relations with the alliance,\" Andrei Kelin told Interfax on Wednesday. \
                Russia criticized NATO for moving troops closer to its borders. \
                NATO defense ministers met in Brussels to discuss the request from Moscow.\n\n\
                Sergei Lavrov said Russia was ready to talk to NATO."
        }),
        json!({
            "title": "Moscow calls for new start in NATO ties",
            "source": "Northern Ledger",
            "url": "https://ledger.example/moscow-nato",
            "date": "2017-01-05T09:00:00Z",
            "language": "en",
            "text": "Russia has called for a reset of relations with NATO, the Russian Foreign Ministry said on Wednesday.\n\n\
                \"We need to build normal relations with the alliance,\" Andrei Kelin told Interfax. \
                Russia accused NATO of provoking tension along its borders. \
                NATO said it would consider the Russian request at a meeting in Brussels."
        }),
        json!({
            "title": "City council approves new harbour budget",
            "source": "Coastal Times",
            "date": "2017-02-10",
            "language": "en",
            "text": "The city council on Friday approved a new budget for the harbour, after a long debate.\n\n\
                \"This budget keeps the port open for business,\" mayor Anna Berg said after the vote. \
                The harbour authority will hire forty new workers this spring."
        }),
    ]
}

pub fn items(values: &[Value]) -> Vec<IngestItem> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            match parse_jsonl_line(&serde_json::to_vec(v).unwrap(), &format!("fixture:{}", i + 1)) {
                Ok(r) => IngestItem::Record(r),
                Err(e) => IngestItem::Rejected(e),
            }
        })
        .collect()
}

/// Fills the store in `dir` with `values` through the pipeline.
pub fn build_store(dir: &Path, values: &[Value]) {
    build_at(&Location::Dir(dir.to_path_buf()), values)
}

/// Fills the store at `location` with `values` through the pipeline (on a thread of its own,
/// so it may be called from async tests whatever the engine).
pub fn build_at(location: &Location, values: &[Value]) {
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut p = Pipeline::open_location(location).expect("open pipeline");
            let summary = p.ingest(items(values).into_iter(), &Quiet).expect("ingest");
            assert_eq!(summary.stored as usize, values.len(), "fixtures should all be stored: {summary:?}");
        })
        .join()
        .unwrap()
    })
}

/// Defines each named `async fn(Backend)` test once per store engine: `sqlite::…` and
/// `postgres::…` (the PostgreSQL ones skip themselves without PostgreSQL).
#[allow(unused_macros)]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Backend::Postgres).await
            })*
        }
    };
}
