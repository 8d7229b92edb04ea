//! Throughput of the fetcher against a loopback server in this process: gzip'd pages fetched
//! with N requests in flight to one host (no politeness delay), and how fast and in how much
//! memory a gzip bomb is cut at the cap. Prints one JSON document.
//!
//!     cargo run --release -p newsloom-fetch --example loopback_bench -- [PAGES] [IN_FLIGHT]

use std::time::{Duration, Instant};

use async_compression::tokio::bufread::GzipEncoder;
use axum::Router;
use axum::http::header;
use axum::routing::get;
use futures_util::StreamExt;
use newsloom_fetch::{FetchConfig, FetchRequest, Fetcher};
use tokio::io::AsyncReadExt;
use url::Url;

async fn gzip(data: impl tokio::io::AsyncBufRead + Unpin) -> Vec<u8> {
    let mut out = Vec::new();
    GzipEncoder::new(data).read_to_end(&mut out).await.unwrap();
    out
}

/// Peak resident memory of this process (VmHWM), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let pages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let in_flight: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);

    // A 70 KB article-like page, and 1 GiB of zeros gzipped (about 1 MB on the wire).
    let page: Vec<u8> =
        (0..2000).flat_map(|i| format!("<p>Paragraph {i} of the story.</p>\n").into_bytes()).collect();
    let page_gz = gzip(&page[..]).await;
    // Streamed into the encoder, so the bomb's decoded size is never in this process's memory.
    let bomb_gz = gzip(tokio::io::BufReader::new(tokio::io::repeat(0).take(1 << 30))).await;
    let (page_len, bomb_wire) = (page.len(), bomb_gz.len());
    let gz = |body: Vec<u8>| move || async move { ([(header::CONTENT_ENCODING, "gzip")], body) };
    let app = Router::new()
        .route("/robots.txt", get(|| async { "User-agent: *\nAllow: /\n" }))
        .route("/page", get(gz(page_gz)))
        .route("/bomb", get(gz(bomb_gz)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let fetcher = Fetcher::new(FetchConfig {
        per_host_delay: Duration::ZERO,
        per_host_concurrency: in_flight,
        use_env_proxy: false,
        ..FetchConfig::default()
    })
    .unwrap();
    let rss_before = peak_rss_mib();
    let started = Instant::now();
    let page_url = base.join("page").unwrap();
    let decoded: usize = futures_util::stream::iter(0..pages)
        .map(|_| {
            let (fetcher, url) = (fetcher.clone(), page_url.clone());
            async move { fetcher.fetch(&FetchRequest::new(url)).await.expect("page fetch").body.len() }
        })
        .buffer_unordered(in_flight)
        .fold(0, |sum, n| async move { sum + n })
        .await;
    let pages_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let bomb = fetcher.fetch(&FetchRequest::new(base.join("bomb").unwrap())).await;
    let bomb_secs = started.elapsed().as_secs_f64();
    let report = serde_json::json!({
        "pages": pages,
        "in_flight": in_flight,
        "page_bytes": page_len,
        "pages_per_s": (pages as f64 / pages_secs).round(),
        "decoded_mb_per_s": ((decoded as f64 / 1e6) / pages_secs * 10.0).round() / 10.0,
        "bomb_wire_bytes": bomb_wire,
        "bomb_decoded_bytes": 1u64 << 30,
        "bomb_cap_bytes": fetcher.config().max_body_bytes,
        "bomb_result": bomb.err().map(|e| e.kind()),
        "bomb_cut_ms": (bomb_secs * 1000.0).round(),
        "peak_rss_mib_before_fetching": rss_before,
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
