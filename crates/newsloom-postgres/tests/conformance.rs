//! The shared store conformance suite on PostgreSQL: one fresh database per check.

use newsloom_postgres::PgStore;
use newsloom_postgres::testing::{require, unique_db_name};
use newsloom_store::{StoreBackend, conformance};

#[test]
fn postgres_passes_the_store_conformance_suite() {
    let Some(pg) = require() else { return };
    conformance::run_all(&mut |name| {
        let url = pg.create_database(&unique_db_name(name)).unwrap();
        Box::new(PgStore::open(&url).unwrap()) as Box<dyn StoreBackend>
    });
}

#[test]
fn concurrent_first_opens_migrate_once() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("migrate")).unwrap();
    let versions: Vec<i64> = std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..4).map(|_| s.spawn(|| PgStore::open(&url).unwrap().schema_version().unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(versions.iter().all(|&v| v == versions[0] && v >= 2), "{versions:?}");
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows: i64 = client.query_one("SELECT COUNT(*) FROM schema_version", &[]).unwrap().get(0);
    assert_eq!(rows, versions[0], "each migration recorded once");
}
