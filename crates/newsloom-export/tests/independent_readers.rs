//! The exports read by independent readers: pyarrow for Parquet, pandas for the GDELT TSV
//! (tests/readers.py). Skipped when python3 with pyarrow and pandas is missing, unless
//! NEWSLOOM_REQUIRE_PY=1 (which .ci/run sets).

mod common;

use std::process::Command;

use newsloom_export::gdelt::columns::{EVENT_COLUMNS, MENTION_COLUMNS};
use newsloom_export::gdelt::geo::NoGeo;
use newsloom_export::parquet::{ParquetOptions, export};

fn python_with_readers() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import pyarrow, pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let required = std::env::var("NEWSLOOM_REQUIRE_PY").is_ok_and(|v| v == "1");
        assert!(!required, "NEWSLOOM_REQUIRE_PY=1 but python3 with pyarrow and pandas is missing");
        eprintln!("skipped: python3 with pyarrow and pandas is not installed (pip install pyarrow pandas)");
    }
    ok
}

#[test]
fn pyarrow_and_pandas_read_the_exports_as_the_store_counts_them() {
    if !python_with_readers() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = common::fixture(&dir.path().join("db"));
    let parquet_dir = dir.path().join("parquet");
    let progress = |_: &str, _: u64| {};
    export(&store, &parquet_dir, &ParquetOptions { since: None, progress: &progress, rows_per_group: None })
        .unwrap();
    let gdelt_dir = dir.path().join("gdelt");
    let files = newsloom_export::gdelt::export(&store, &gdelt_dir, None, 1_796_293_800, &NoGeo).unwrap();
    let stats = store.stats().unwrap();
    let events = store.events(&newsloom_store::EventFilter { limit: 1000, ..Default::default() }).unwrap();

    let expected = serde_json::json!({
        "parquet_dir": parquet_dir,
        "parquet_rows": {
            "articles": stats.articles, "stories": stats.stories, "mentions": stats.mentions,
            "quotes": stats.quotes, "events": stats.events,
        },
        "parquet_types": {
            "articles": {
                "seq": "int64", "published_day": "date32[day]", "published_at": "timestamp[ms, tz=UTC]",
                "ingested_at": "timestamp[ms, tz=UTC]", "bylines": "list<item: string>", "confidence": "float",
            },
            "stories": { "size": "int64", "first_seen": "date32[day]" },
            "mentions": { "start": "int64", "end": "int64", "confidence": "float" },
            "quotes": { "speaker_start": "int64" },
            "events": { "quad_class": "int8", "goldstein": "float", "day": "date32[day]", "negated": "bool" },
        },
        "article_ids": ["a", "b", "c"],
        "event_columns": EVENT_COLUMNS.as_slice(),
        "mention_columns": MENTION_COLUMNS.as_slice(),
        "events_file": files.events_path(&gdelt_dir),
        "mentions_file": files.mentions_path(&gdelt_dir),
        // `newsloom events` counts one event per story: the Events file must too.
        "events_rows": events.len(),
        "mentions_rows": stats.events,
    });
    let expected_path = dir.path().join("expected.json");
    std::fs::write(&expected_path, expected.to_string()).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers.py");
    let out = Command::new("python3").arg(script).arg(&expected_path).output().unwrap();
    assert!(
        out.status.success(),
        "readers.py failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&out.stdout).trim());
}
