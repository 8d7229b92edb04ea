//! The web UI in a real browser: builds a store from the seeds, the repo's samples and an
//! article titled with a script tag, serves it on a loopback port and runs
//! `tests/browser/ui.mjs` (Playwright driving Debian's Chromium).
//!
//! Needs `/usr/bin/chromium` and `npm ci` in `tests/browser`; without them the test prints
//! why it is skipped, unless `NEWSLOOM_REQUIRE_BROWSER=1`, which makes it fail instead.
//!
//! It runs twice: over the embedded store, and over PostgreSQL (skipped without PostgreSQL
//! unless `NEWSLOOM_REQUIRE_PG=1`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use newsloom_ingest::{IngestItem, Reader, parse_jsonl_line};
use newsloom_pipeline::{Pipeline, Quiet};
use newsloom_postgres::testing::{require, unique_db_name};
use newsloom_store::Location;

fn skip(why: &str) {
    if std::env::var("NEWSLOOM_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("browser test required (NEWSLOOM_REQUIRE_BROWSER=1) but {why}");
    }
    eprintln!("skipped: {why}");
}

#[test]
fn ui_in_chromium() {
    let (dir, empty) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ui_over(Location::Dir(dir.path().to_path_buf()), Location::Dir(empty.path().to_path_buf()));
}

#[test]
fn ui_in_chromium_over_postgres() {
    if browser_missing() {
        return;
    }
    let Some(pg) = require() else { return };
    let full = pg.create_database(&unique_db_name("ui")).unwrap();
    let empty = pg.create_database(&unique_db_name("ui_empty")).unwrap();
    ui_over(Location::Postgres(full), Location::Postgres(empty));
}

/// Whether something the browser test needs is missing (after saying so).
fn browser_missing() -> bool {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    let why = if !chromium.exists() {
        format!("{} is missing (apt-get install chromium)", chromium.display())
    } else if !manifest.join("tests/browser/node_modules/playwright-core").exists() {
        "playwright-core is not installed (run `npm ci` in tests/browser)".to_string()
    } else if Command::new("node").arg("--version").output().is_err() {
        "node is not installed".to_string()
    } else if !manifest.join("../../../shared/seeds").is_dir() {
        "the seeds are missing".to_string()
    } else {
        return false;
    };
    skip(&why);
    true
}

/// Builds the store at `location`, serves it and an empty store at `empty`, and runs the
/// browser checks against both.
fn ui_over(location: Location, empty: Location) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests/browser");
    let seeds = manifest.join("../../../shared/seeds");
    let samples = manifest.join("../../samples");
    let chromium = PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if !chromium.exists() {
        return skip(&format!("{} is missing (apt-get install chromium)", chromium.display()));
    }
    if !browser_dir.join("node_modules/playwright-core").exists() {
        return skip(&format!(
            "playwright-core is not installed (run `npm ci` in {})",
            browser_dir.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return skip("node is not installed");
    }
    if !seeds.is_dir() {
        return skip(&format!("the seeds are missing ({})", seeds.display()));
    }

    let shots_dir = match location {
        Location::Dir(_) => "browser-screenshots",
        Location::Postgres(_) => "browser-screenshots-postgres",
    };
    let mut pipeline = Pipeline::open_location(&location).unwrap();
    let evil = serde_json::json!({
        "title": "<script>alert(1)</script>",
        "source": "Injection Weekly",
        "date": "2024-06-01",
        "text": "An article whose title is a script tag. <img src=x onerror=alert(2)> It must be shown as text \
                 and never run, wherever the title appears in the interface."
    });
    let evil = parse_jsonl_line(&serde_json::to_vec(&evil).unwrap(), "test:1").unwrap();
    // The Moscow Times page names no outlet in its text: give it as `newsloom ingest --source` would.
    let moscow_times = Reader::new(vec![seeds.join("000_68d2beda7c2c8ce2.txt")]).map(|item| match item {
        IngestItem::Record(mut raw) => {
            raw.meta.insert("source".into(), "The Moscow Times".into());
            IngestItem::Record(raw)
        }
        other => other,
    });
    let items = moscow_times
        .chain(Reader::new(vec![seeds.join("003_5c09ee7d739e82a2.txt"), samples]))
        .chain([IngestItem::Record(evil)]);
    let summary = pipeline.ingest(items, &Quiet).unwrap();
    eprintln!("store: {} stored, {} rejected", summary.stored, summary.rejected);
    drop(pipeline);

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || newsloom_server::serve_location(listener, &location, None));
    let empty_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let empty_base = format!("http://{}", empty_listener.local_addr().unwrap());
    std::thread::spawn(move || newsloom_server::serve_location(empty_listener, &empty, None));

    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| manifest.join("../../target"));
    let shots = target.join(shots_dir);
    let mut child = Command::new("node")
        .arg("ui.mjs")
        .arg(&base)
        .arg(&shots)
        .arg(&empty_base)
        .current_dir(&browser_dir)
        .env("CHROMIUM", &chromium)
        .spawn()
        .expect("run node");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("the browser test did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!("screenshots in {}", shots.display());
    assert!(status.success(), "browser checks failed (see the output above)");
}
