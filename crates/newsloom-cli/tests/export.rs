//! `newsloom export --format parquet|gdelt` end to end: --json output, usage errors, and the
//! `--every` feed stopped by SIGTERM.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BODY: &str = "The city council voted on Thursday to approve the new tram line after a long debate. \
    Supporters said the line would cut traffic in the centre, while opponents warned about the cost. \
    Russia criticised NATO on Friday, and the mayor said construction could begin next spring.";

fn newsloom(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn store_with_articles(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("in.jsonl");
    let lines: Vec<String> = (0..3)
        .map(|i| {
            serde_json::json!({"title": format!("Tram line {i}"), "text": format!("{BODY} Item {i}."),
                "url": format!("https://example.org/{i}"), "source": "Example", "date": "2026-12-01"})
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let db = dir.join("db");
    json(&newsloom(&db, &["ingest", input.to_str().unwrap(), "--json"]));
    db
}

#[test]
fn parquet_and_gdelt_exports_report_what_they_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_articles(dir.path());
    let stats = json(&newsloom(&db, &["stats", "--json"]));
    let out = dir.path().join("pq");
    let manifest =
        json(&newsloom(&db, &["export", "--format", "parquet", "--out", out.to_str().unwrap(), "--json"]));
    assert_eq!(manifest["tables"]["articles"]["rows"], stats["articles"]);
    assert_eq!(manifest["tables"]["events"]["rows"], stats["events"]);
    assert!(manifest["rows_per_s"].as_f64().unwrap() > 0.0);
    for table in ["articles", "stories", "mentions", "quotes", "events"] {
        assert!(out.join(format!("{table}.parquet")).is_file(), "{table}");
    }
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(on_disk["tables"], manifest["tables"]);

    let since = json(&newsloom(
        &db,
        &["export", "--format", "parquet", "--out", out.to_str().unwrap(), "--since", "2999-01-01", "--json"],
    ));
    assert_eq!(since["tables"]["articles"]["rows"], 0);

    let gdelt = dir.path().join("gdelt");
    let files =
        json(&newsloom(&db, &["export", "--format", "gdelt", "--out", gdelt.to_str().unwrap(), "--json"]));
    let events = std::fs::read_to_string(gdelt.join(files["events"]["file"].as_str().unwrap())).unwrap();
    assert_eq!(events.lines().count() as u64, files["events"]["rows"].as_u64().unwrap());
    assert!(events.lines().all(|l| l.split('\t').count() == 61));

    // Usage errors exit with 2.
    let no_out = newsloom(&db, &["export", "--format", "parquet"]);
    assert_eq!(no_out.status.code(), Some(2), "{}", String::from_utf8_lossy(&no_out.stderr));
    let every_jsonl = newsloom(&db, &["export", "--every", "1s"]);
    assert_eq!(every_jsonl.status.code(), Some(2));
    let bad_since =
        newsloom(&db, &["export", "--format", "parquet", "--out", out.to_str().unwrap(), "--since", "soon"]);
    assert_eq!(bad_since.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_since.stderr).contains("--since"));
}

#[cfg(unix)]
#[test]
fn the_gdelt_feed_runs_until_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_articles(dir.path());
    let feed = dir.path().join("feed");
    let child = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "gdelt", "--every", "1h", "--json", "--out"])
        .arg(&feed)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first update is written at once; wait for its list (generously: CI is loaded).
    let started = Instant::now();
    while !feed.join("lastupdate.txt").exists() {
        assert!(started.elapsed() < Duration::from_secs(120), "no update written");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    let summary = json(&out);
    assert_eq!(summary["updates"], 1);
    assert_eq!(summary["failed"], 0);
    let mark: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(feed.join("newsloom-gdelt-mark.json")).unwrap())
            .unwrap();
    assert_eq!(mark["seq"], 3);
    assert_eq!(std::fs::read_to_string(feed.join("lastupdate.txt")).unwrap().lines().count(), 2);
}
