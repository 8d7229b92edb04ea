//! How long from a new item appearing in a feed to its article being searchable through the
//! API, with `serve --follow` (the same function the CLI runs) against a loopback news site.
//!
//!     cargo run --release -p newsloom-server --example follow_latency -- [ITEMS] [POLL_MS] [HOST_DELAY_MS]
//!
//! For each item: add it to the feed, then ask `GET /api/search?q=<its unique word>` every
//! 5 ms until it is found. Prints, per item and as median / max: the time from the poll that
//! saw the item (the feed request answered with it) to the first search that finds it, and
//! from the item's appearance (which adds the wait for the next poll).

#[path = "../../newsloom-follow/tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{Page, TestSite, article_html, rss};
use newsloom_fetch::{FetchConfig, Fetcher};
use newsloom_follow::{FollowOptions, SourceSpec};

fn search_total(addr: std::net::SocketAddr, word: &str) -> u64 {
    let Ok(mut conn) = std::net::TcpStream::connect(addr) else { return 0 };
    let req = format!("GET /api/search?q={word} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if conn.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut resp = String::new();
    let _ = conn.read_to_string(&mut resp);
    let body = resp.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v["total"].as_u64()).unwrap_or(0)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let median = if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 };
    (median, *v.last().unwrap_or(&0.0))
}

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let items = args.first().copied().unwrap_or(12) as usize;
    let poll = Duration::from_millis(args.get(1).copied().unwrap_or(1000));
    let host_delay = Duration::from_millis(args.get(2).copied().unwrap_or(0));

    let site = TestSite::start();
    let dir = tempfile::tempdir().unwrap();
    let mut feed: Vec<(Option<String>, String, String)> = Vec::new();
    site.set("/rss", Page::ok("application/rss+xml", rss(&site, &feed)).with_etag("\"0\""));

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let db = dir.path().to_path_buf();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let fetcher = Fetcher::new(FetchConfig { per_host_delay: host_delay, ..Default::default() }).unwrap();
    let spec = SourceSpec { url: url::Url::parse(&site.url("/rss")).unwrap(), name: None, lang: None, poll };
    let following = newsloom_server::Following {
        fetcher,
        specs: vec![spec],
        opts: FollowOptions { poll: Some(poll.max(Duration::from_secs(1))), ..Default::default() },
    };
    let server = std::thread::spawn(move || {
        newsloom_server::serve_following_on(listener, &db, None, following, async {
            let _ = stop_rx.await;
        })
    });
    // Let the first (empty) poll and the pipeline's start-up pass.
    while site.requests("/rss").is_empty() {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));

    let (mut from_poll, mut from_appearance) = (Vec::new(), Vec::new());
    println!("item  from-poll-ms  from-appearance-ms");
    for n in 0..items {
        let word = format!("latencyword{n}q");
        let path = format!("/news/{n}");
        site.set(&path, Page::ok("text/html", article_html(n, &word)));
        feed.push((Some(format!("lat-{n}")), path, format!("Item {n}")));
        let appeared = Instant::now();
        site.set(
            "/rss",
            Page::ok("application/rss+xml", rss(&site, &feed)).with_etag(&format!("\"{}\"", n + 1)),
        );
        let found = loop {
            if search_total(addr, &word) > 0 {
                break Instant::now();
            }
            if appeared.elapsed() > Duration::from_secs(120) {
                panic!("item {n} not searchable after 120 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let polled = site
            .requests("/rss")
            .iter()
            .map(|r| r.at)
            .find(|at| *at >= appeared)
            .expect("the poll that saw the item");
        let (p, a) = (millis(found - polled), millis(found - appeared));
        println!("{n:>4}  {p:>12.1}  {a:>18.1}");
        from_poll.push(p);
        from_appearance.push(a);
    }
    let _ = stop_tx.send(());
    let _ = server.join();
    let (pm, px) = stats(from_poll);
    let (am, ax) = stats(from_appearance);
    println!(
        "items {items}, poll every {} ms, host delay {} ms: from the poll: median {pm:.0} ms, max {px:.0} ms; \
         from appearance: median {am:.0} ms, max {ax:.0} ms",
        poll.as_millis(),
        host_delay.as_millis()
    );
}
