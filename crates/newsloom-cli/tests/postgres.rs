//! The binary with `--db postgres://…`: ingest, queries and search go to PostgreSQL; commands
//! that need the embedded store stop with exit 1. Skipped without PostgreSQL unless
//! `NEWSLOOM_REQUIRE_PG=1`.

use std::path::Path;
use std::process::{Command, Output};

use newsloom_postgres::testing::{require, unique_db_name};

fn newsloom(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ingest_query_and_search_on_postgres() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("cli")).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/own");
    let samples = samples.to_str().unwrap();

    let summary = json(&newsloom(&url, &["ingest", samples, "--json"]));
    let stored = summary["stored"].as_u64().unwrap();
    assert!(stored > 0, "{summary}");
    // Idempotent by article id: the same files again are all duplicates.
    let again = json(&newsloom(&url, &["ingest", samples, "--json"]));
    assert_eq!((again["stored"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(stored)));

    let stats = json(&newsloom(&url, &["stats", "--json"]));
    assert_eq!(stats["articles"].as_u64(), Some(stored), "{stats}");
    let word = "the";
    let found = json(&newsloom(&url, &["search", word, "--json"]));
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    assert!(json(&newsloom(&url, &["stories", "--json"])).as_array().is_some_and(|s| !s.is_empty()));

    for embedded_only in [vec!["export", "--format", "jsonl"], vec!["sources"], vec!["reindex"]] {
        let out = newsloom(&url, &embedded_only);
        assert_eq!(out.status.code(), Some(1), "{embedded_only:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("needs the embedded store"));
    }
}
