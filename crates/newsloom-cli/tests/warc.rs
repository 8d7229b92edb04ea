//! `newsloom ingest` on a generated WARC archive (per-record and whole-file gzip): exactly the
//! good HTML pages become articles, each with its URL, its outlet (the page's own name, else
//! the host) and its publication day; skipped records and rejects are in the `--json` summary.

#[path = "../../newsloom-ingest/tests/support/warc_fixture.rs"]
mod warc_fixture;

use std::path::Path;
use std::process::{Command, Output};

use warc_fixture::{Packing, build};

fn newsloom(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check(packing: Packing, name: &str) {
    let fixture = build(packing);
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join(name);
    std::fs::write(&archive, &fixture.bytes).unwrap();
    let db = dir.path().join("db");

    let summary = json(&newsloom(&db, &["ingest", "--json", archive.to_str().unwrap()]));
    assert_eq!(summary["stored"], fixture.good.len(), "{summary:#}");
    assert_eq!(summary["rejected"], fixture.rejected.len(), "{summary:#}");
    for (reason, n) in &fixture.skipped {
        assert_eq!(summary["skipped"][reason], *n, "{reason}: {summary:#}");
    }
    assert_eq!(summary["rejected_by_reason"]["bad HTTP headers"], 1, "{summary:#}");

    let rows = json(&newsloom(&db, &["articles", "--json", "--limit", "100"]));
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), fixture.good.len());
    for page in &fixture.good {
        let row = rows
            .iter()
            .find(|r| r["url"] == page.url)
            .unwrap_or_else(|| panic!("{} missing: {rows:#?}", page.url));
        assert_eq!(row["title"], page.title, "{}", page.url);
        assert_eq!(row["source"], page.source, "{}", page.url);
        let published = row["published"].as_str().unwrap_or_default();
        assert!(published.starts_with(page.day), "{}: published {published:?}, want {}", page.url, page.day);
        let shown = json(&newsloom(&db, &["show", row["id"].as_str().unwrap(), "--json"]));
        let body = shown.to_string();
        assert!(body.contains(page.sentence), "{}: body lacks {:?}", page.url, page.sentence);
    }

    // Ingesting the archive again stores nothing new.
    let again = json(&newsloom(&db, &["ingest", "--json", archive.to_str().unwrap()]));
    assert_eq!(
        (again["stored"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(fixture.good.len() as u64))
    );
}

#[test]
fn per_record_gzip_archive_ingests_exactly_the_good_pages() {
    check(Packing::PerRecord, "CC-NEWS-20261202081500-00001.warc.gz");
}

#[test]
fn whole_file_gzip_archive_ingests_exactly_the_good_pages() {
    check(Packing::WholeFile, "crawl.warc.gz");
}
