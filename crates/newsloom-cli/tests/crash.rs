//! Kill -9 in the middle of an ingest, restart it, and check every item is stored exactly once
//! and the search index caught up.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsloom_pipeline::synth;
use newsloom_store::SqliteStore;

const ITEMS: u64 = 3000;

fn newsloom(db: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsloom"));
    cmd.arg("--db").arg(db);
    cmd
}

#[test]
fn sigkill_midway_then_rerun_stores_each_item_once() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let mut f = std::fs::File::create(&corpus).unwrap();
    for i in 0..ITEMS {
        writeln!(f, "{}", synth::article_jsonl(i, 7)).unwrap();
    }
    drop(f);
    let db = dir.path().join("db");

    let mut child = newsloom(&db)
        .args(["ingest", "--batch-size", "25"])
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill without warning.
    let started = Instant::now();
    let stored_before_kill = loop {
        std::thread::sleep(Duration::from_millis(20));
        let n = SqliteStore::open(&db).ok().and_then(|s| s.stats().ok()).map(|s| s.articles).unwrap_or(0);
        if n >= 200 || started.elapsed() > Duration::from_secs(120) {
            break n;
        }
    };
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let after_kill = SqliteStore::open(&db).unwrap().stats().unwrap().articles;
    assert!(stored_before_kill >= 200, "ingest stored nothing within two minutes");
    assert!(
        after_kill < ITEMS as i64,
        "the ingest finished before it could be killed; the test proves nothing"
    );
    assert!(after_kill >= stored_before_kill, "committed articles were lost");

    let out = newsloom(&db).args(["ingest", "--json"]).arg(&corpus).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["stored"].as_i64().unwrap() + summary["duplicates"].as_i64().unwrap(), ITEMS as i64);
    assert_eq!(summary["duplicates"].as_i64().unwrap(), after_kill);

    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().articles, ITEMS as i64);
    let index = newsloom_search::SearchIndex::open(&db).unwrap();
    assert_eq!(index.num_docs(), ITEMS);
    assert_eq!(index.indexed_seq().unwrap(), store.max_seq().unwrap());
}
