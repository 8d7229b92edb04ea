//! `newsloom follow` as a user runs it: the real binary against a loopback news site, killed
//! with SIGKILL halfway and restarted; and `newsloom sources` on the state it left.

#[path = "../../newsloom-follow/tests/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Page, TestSite, article_html, rss};
use newsloom_store::{FollowItemState, SqliteStore};

const ITEMS: usize = 24;

fn newsloom(db: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsloom"));
    cmd.arg("--db").arg(db);
    cmd
}

#[test]
fn sigkill_midway_then_restart_ingests_every_item_exactly_once() {
    let site = TestSite::start();
    let mut expected_ids = HashSet::new();
    let mut items = Vec::new();
    for n in 0..ITEMS {
        let html = article_html(n, &format!("killword{n}"));
        expected_ids.insert(newsloom_model::content_id(html.as_bytes()));
        let path = format!("/a/{n}");
        // Slow pages, so the kill lands while batches are in flight.
        site.set(&path, Page { delay: Duration::from_millis(100), ..Page::ok("text/html", html) });
        items.push((Some(format!("g{n}")), path, format!("Item {n}")));
    }
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &items)).with_etag("\"v1\""));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("feeds.txt");
    std::fs::write(&sources, format!("# the test site\n{}\n", site.url("/rss"))).unwrap();
    let db = dir.path().join("db");
    let follow = |db: &std::path::Path| {
        let mut cmd = newsloom(db);
        cmd.args(["follow", "--once", "--batch-size", "4", "--host-delay", "0"]).arg(&sources);
        cmd
    };

    let mut child = follow(&db).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let page_requests = || site.all_requests().iter().filter(|r| r.path.starts_with("/a/")).count();
    let started = Instant::now();
    while page_requests() < ITEMS / 2 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let after_kill = SqliteStore::open(&db).unwrap().stats().unwrap().articles as usize;
    assert!(page_requests() >= ITEMS / 2, "follow fetched nothing within two minutes");
    assert!(after_kill < ITEMS, "follow finished before it could be killed; the test proves nothing");
    let fetched_before_restart = page_requests();

    let out = follow(&db).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["poll_errors"], 0, "{summary}");

    let store = SqliteStore::open(&db).unwrap();
    let ids: HashSet<String> = store
        .articles(&newsloom_store::ArticleFilter { limit: 1000, ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(store.stats().unwrap().articles as usize, ITEMS, "every item stored once");
    assert_eq!(ids, expected_ids);
    let recorded = store.follow_items(&site.url("/rss"), 1000).unwrap();
    assert_eq!(recorded.len(), ITEMS);
    assert!(recorded.iter().all(|i| i.state == FollowItemState::Stored));
    // Only what was in flight at the kill is fetched twice: at most one batch of pages.
    let refetched = page_requests() - ITEMS;
    assert!(refetched <= 4, "{refetched} pages fetched twice");
    assert!(fetched_before_restart + (ITEMS - after_kill) >= ITEMS);

    // A third run finds the feed unchanged (304) and stores nothing.
    let out = follow(&db).arg("--json").output().unwrap();
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (summary["not_modified"].as_u64(), summary["stored"].as_u64()),
        (Some(1), Some(0)),
        "{summary}"
    );

    // `newsloom sources` lists the source with its counts.
    let out = newsloom(&db).args(["sources", "--json"]).output().unwrap();
    assert!(out.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let source = &listed["sources"][0];
    assert_eq!(source["url"], site.url("/rss"));
    assert_eq!(source["items"].as_u64(), Some(ITEMS as u64));
    assert_eq!(source["kind"], "rss");
    assert!(source["next_poll"].as_i64().is_some());
    let out = newsloom(&db).arg("sources").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&site.url("/rss")));
}

#[test]
fn a_bad_sources_file_is_a_usage_error_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("feeds.txt");
    std::fs::write(&sources, "http://ok.test/rss\nftp://nope.test/feed\n").unwrap();
    let out = newsloom(&dir.path().join("db")).arg("follow").arg(&sources).arg("--once").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("ftp"), "{err}");
}

#[test]
fn sigterm_stops_a_running_follow_cleanly_with_a_summary() {
    let site = TestSite::start();
    let mut items = Vec::new();
    for n in 0..3 {
        site.set(&format!("/t/{n}"), Page::ok("text/html", article_html(n, &format!("termword{n}"))));
        items.push((Some(format!("t{n}")), format!("/t/{n}"), format!("Item {n}")));
    }
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &items)).with_etag("\"t\""));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("feeds.toml");
    let config = format!(
        "[defaults]\npoll = \"1s\"\n\n[[source]]\nurl = \"{}\"\nname = \"Term Times\"\n",
        site.url("/rss")
    );
    std::fs::write(&sources, config).unwrap();
    let db = dir.path().join("db");
    let child = newsloom(&db)
        .args(["--json", "follow", "--host-delay", "0"])
        .arg(&sources)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Running: it polls again (conditionally) after the items are in.
    let started = Instant::now();
    while site.requests("/rss").len() < 2 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(site.requests("/rss").len() >= 2, "follow did not poll twice within two minutes");
    // SAFETY: sending a signal to our own child process by its id.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit status {:?}", out.status);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["interrupted"], true, "{summary}");
    assert_eq!(summary["stored"], 3, "{summary}");
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.stats().unwrap().articles, 3);
    let rows = store.articles(&newsloom_store::ArticleFilter { limit: 10, ..Default::default() }).unwrap();
    assert!(rows.iter().all(|r| r.source.as_deref() == Some("Term Times")));
}

/// `follow --to nats://`: followed items go to JetStream, and stage workers (here one per
/// stage, on an embedded store of their own) store every one of them; the follower's local
/// store keeps only what it has seen, so a second run publishes nothing again.
#[test]
fn follow_to_nats_hands_items_to_the_workers() {
    let Some(nats) = newsloom_queue::testing::TempNats::start() else { return };
    let site = TestSite::start();
    let mut expected_ids = HashSet::new();
    let mut items = Vec::new();
    for n in 0..6 {
        let html = article_html(n, &format!("queueword{n}"));
        expected_ids.insert(newsloom_model::content_id(html.as_bytes()));
        site.set(&format!("/q/{n}"), Page::ok("text/html", html));
        items.push((Some(format!("q{n}")), format!("/q/{n}"), format!("Queued {n}")));
    }
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &items)));
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("feeds.txt");
    std::fs::write(&sources, format!("{}\n", site.url("/rss"))).unwrap();
    let (follower_db, worker_db) = (dir.path().join("follow-state"), dir.path().join("store"));
    let follow = || {
        let out = newsloom(&follower_db)
            .args(["follow", "--once", "--host-delay", "0", "--json", "--to", &nats.url()])
            .arg(&sources)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let summary = follow();
    assert_eq!((summary["published"].as_u64(), summary["stored"].as_u64()), (Some(6), Some(0)), "{summary}");
    // Nothing was stored locally: the workers do that.
    assert_eq!(SqliteStore::open(&follower_db).unwrap().stats().unwrap().articles, 0);

    drop(SqliteStore::open(&worker_db).unwrap());
    let mut workers: Vec<std::process::Child> = ["extract", "analyse", "cluster", "store"]
        .iter()
        .map(|stage| {
            newsloom(&worker_db)
                .env("RUST_LOG", "warn")
                .args(["worker", stage, "--nats", &nats.url()])
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap()
        })
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let queue =
        rt.block_on(newsloom_queue::Queue::connect(newsloom_queue::QueueConfig::new(&nats.url()))).unwrap();
    let drained = rt.block_on(newsloom_queue::status::wait_drained(&queue, 6, Duration::from_secs(120)));
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }
    drained.unwrap();
    let store = SqliteStore::open(&worker_db).unwrap();
    let ids: HashSet<String> = store
        .articles(&newsloom_store::ArticleFilter { limit: 100, ..Default::default() })
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, expected_ids);

    // Seen items are not published twice.
    let again = follow();
    assert_eq!(again["published"].as_u64(), Some(0), "{again}");
}
