//! A full disk in the middle of an ingest: the store directory is a small tmpfs. The ingest
//! stops with a clear error naming the place, the store keeps every batch committed before
//! and stays readable, and once the tmpfs is enlarged the same command completes the run with
//! every article exactly once.
//!
//! Needs root (to mount); without it the test prints `skipped: …` and passes, unless
//! `NEWSLOOM_REQUIRE_TMPFS=1`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use newsloom_store::SqliteStore;
use support::{check_index, newsloom, story_map, write_corpus};

const ARTICLES: u64 = 400;
const BATCH: usize = 20;
/// Room for the empty store and a few batches (two, as measured), far from all 400 articles.
const SMALL: &str = "size=2048k";
const LARGE: &str = "size=256m";

/// Unmounts (lazily, so a test failure with files open still cleans up) when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn mount(dir: &Path, opts: &str) -> Result<(), String> {
    let out = Command::new("mount").args(["-t", "tmpfs", "-o", opts, "tmpfs"]).arg(dir).output();
    match out {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn full_disk_fails_clearly_keeps_the_store_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir(&db).unwrap();
    if let Err(e) = mount(&db, SMALL) {
        assert!(std::env::var("NEWSLOOM_REQUIRE_TMPFS").as_deref() != Ok("1"), "cannot mount a tmpfs: {e}");
        println!("skipped: cannot mount a tmpfs as the store directory ({e})");
        return;
    }
    let _mounted = Mounted(db.clone());
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, ARTICLES, 21);

    let out =
        newsloom(&db).args(["ingest", "--batch-size", &BATCH.to_string()]).arg(&corpus).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("no space left on device"), "stderr: {err}");
    assert!(err.contains(&db.display().to_string()), "the error should name the store: {err}");
    assert!(!err.contains("panicked at"), "a thread panicked: {err}");

    // Intact and readable on the full disk: whole batches, each article once, a consistent index.
    let store = SqliteStore::open(&db).unwrap();
    let committed = story_map(&store).len();
    assert!(committed > 0 && (committed as u64) < ARTICLES, "{committed} articles stored: resize {SMALL}");
    assert_eq!(committed % BATCH, 0, "a partial batch is visible");
    println!("{committed} articles stored when the disk filled; {}", err.trim());
    check_index(&db, false);
    let stats = newsloom(&db).args(["stats", "--json"]).output().unwrap();
    assert!(stats.status.success(), "{}", String::from_utf8_lossy(&stats.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["articles"], committed);
    drop(store);

    // Space returns: the same command resumes and completes.
    let remount = Command::new("mount").args(["-o", &format!("remount,{LARGE}")]).arg(&db).status().unwrap();
    assert!(remount.success());
    let out = newsloom(&db)
        .args(["ingest", "--json", "--batch-size", &BATCH.to_string()])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["duplicates"], committed);
    assert_eq!(summary["stored"].as_u64().unwrap() + committed as u64, ARTICLES);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(story_map(&store).len() as u64, ARTICLES);
    check_index(&db, true);
}
