//! `serve --follow`: the follow loop inside the server; a new feed item becomes searchable
//! through the API while it serves, and stopping it stops both cleanly.

#[path = "../../newsloom-follow/tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{Page, TestSite, article_html, rss};
use newsloom_fetch::{FetchConfig, Fetcher};
use newsloom_follow::{FollowOptions, SourceSpec};

fn get(addr: std::net::SocketAddr, path: &str) -> serde_json::Value {
    let Ok(mut conn) = std::net::TcpStream::connect(addr) else { return serde_json::Value::Null };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if conn.write_all(req.as_bytes()).is_err() {
        return serde_json::Value::Null;
    }
    let mut resp = String::new();
    let _ = conn.read_to_string(&mut resp);
    let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// Asks until `done` holds (a guard against hanging, not a timing assertion).
fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(120), "{what}: not within two minutes");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn new_feed_items_become_searchable_while_serving() {
    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    site.set("/a/0", Page::ok("text/html", article_html(0, "servedwordzero")));
    let mut items = vec![(Some("g0".to_string()), "/a/0".to_string(), "Zero".to_string())];
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &items)).with_etag("\"1\""));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let fetcher = Fetcher::new(FetchConfig { per_host_delay: Duration::ZERO, ..Default::default() }).unwrap();
    let spec = SourceSpec {
        url: url::Url::parse(&site.url("/rss")).unwrap(),
        name: Some("Served News".into()),
        lang: None,
        poll: Duration::from_secs(1),
    };
    let following = newsloom_server::Following { fetcher, specs: vec![spec], opts: FollowOptions::default() };
    let db = dir.path().to_path_buf();
    let server = std::thread::spawn(move || {
        // A NATS address nothing listens on: the status route is there and says it cannot reach it.
        newsloom_server::serve_following_watching(
            listener,
            &db,
            None,
            Some("nats://127.0.0.1:9"),
            following,
            async {
                let _ = stop_rx.await;
            },
        )
    });

    wait_for("the first item searchable", || get(addr, "/api/search?q=servedwordzero")["total"] == 1);
    // A new item appears in the feed: the next poll picks it up and the API finds it.
    site.set("/a/1", Page::ok("text/html", article_html(1, "servedwordone")));
    items.push((Some("g1".to_string()), "/a/1".to_string(), "One".to_string()));
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &items)).with_etag("\"2\""));
    wait_for("the new item searchable", || get(addr, "/api/search?q=servedwordone")["total"] == 1);
    let hit = &get(addr, "/api/search?q=servedwordone")["hits"][0];
    assert_eq!(hit["source"], "Served News", "{hit}");
    assert!(get(addr, "/api/stats")["articles"].as_i64() >= Some(2));
    // Unchanged feed between the items: conditional polls.
    assert!(site.requests("/rss").iter().any(|r| r.if_none_match.is_some()));
    assert_eq!(site.requests("/a/0").len(), 1, "a seen item is not fetched again");
    // `serve --follow --nats` watches the pipeline too (it used to ignore --nats).
    let status = get(addr, "/api/cluster-status?interval_ms=0");
    let message = status.to_string();
    assert!(!message.contains("does not watch") && message.contains("error"), "{status}");

    stop_tx.send(()).unwrap();
    server.join().unwrap().unwrap();
    let store = newsloom_store::SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.follow_source(&site.url("/rss")).unwrap().unwrap().items, 2);
}
