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
