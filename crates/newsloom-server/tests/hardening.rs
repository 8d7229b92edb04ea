//! The server against hostile or careless clients, over real TCP: slow headers (slowloris),
//! oversized headers and bodies, path traversal on the UI's asset route; and `/metrics`.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One server per test binary on a loopback port, over a small store.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
        common::build_store(dir.path(), &common::fixture_articles());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let path = dir.path().to_path_buf();
        std::thread::spawn(move || {
            newsloom_server::serve_on(listener, &path, Some("hardening-token".into()))
        });
        addr
    })
}

/// Sends `request` and reads until the server closes or answers one response head.
fn exchange(request: &[u8]) -> String {
    let mut s = TcpStream::connect(server()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(path: &str) -> String {
    exchange(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
}

#[test]
fn a_client_dripping_its_headers_is_disconnected() {
    let mut s = TcpStream::connect(server()).unwrap();
    s.write_all(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n").unwrap();
    let start = Instant::now();
    // One header line a second, never the blank line that ends them.
    let closed = loop {
        std::thread::sleep(Duration::from_secs(1));
        if s.write_all(b"X-Drip: 1\r\n").is_err() {
            break true;
        }
        s.set_read_timeout(Some(Duration::from_millis(10))).unwrap();
        let mut buf = [0u8; 512];
        if s.read(&mut buf).is_ok() {
            // Either an answer (408) or the end of the stream: the server gave up on the client.
            break true;
        }
        if start.elapsed() > Duration::from_secs(40) {
            break false;
        }
    };
    assert!(closed, "a slowloris client kept its connection for {:?}", start.elapsed());
    // The server is still there for everyone else.
    assert!(get("/api/stats").starts_with("HTTP/1.1 200"));
}

#[test]
fn oversized_headers_are_refused() {
    let big = "a".repeat(200 << 10);
    let answer = exchange(format!("GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n").as_bytes());
    assert!(
        !answer.starts_with("HTTP/1.1 200"),
        "a 200 KB header was accepted: {}",
        &answer[..answer.len().min(80)]
    );
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "answer: {}",
        &answer[..answer.len().min(80)]
    );
}

#[test]
fn an_oversized_body_is_413_without_being_read_whole() {
    let len = newsloom_server::MAX_BODY_BYTES + 1;
    let head = format!(
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer hardening-token\r\n\
         Content-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
    // Only the head and a little of the body: a server that tried to read it all would wait.
    let answer = exchange(&[head.as_bytes(), b"{\"text\": \""].concat());
    assert!(answer.starts_with("HTTP/1.1 413"), "answer: {}", &answer[..answer.len().min(200)]);
}

#[test]
fn asset_paths_cannot_leave_the_embedded_files() {
    for path in [
        "/ui/../../Cargo.toml",
        "/ui/..%2f..%2fCargo.toml",
        "/ui/%2e%2e/%2e%2e/etc/passwd",
        "/ui/....//....//etc/passwd",
        "/ui/..\\..\\Cargo.toml",
        "/ui/%252e%252e%252fCargo.toml",
        "/../../../../etc/passwd",
    ] {
        let answer = get(path);
        assert!(answer.starts_with("HTTP/1.1 404") || answer.starts_with("HTTP/1.1 400"), "{path}: {answer}");
        assert!(!answer.contains("root:") && !answer.contains("[workspace]"), "{path} leaked a file");
    }
    assert!(get("/ui/app.js").starts_with("HTTP/1.1 200"));
}

#[test]
fn metrics_count_requests_per_route_pattern_with_latency_and_cache_lookups() {
    assert!(get("/api/stats").starts_with("HTTP/1.1 200"));
    assert!(get("/api/stats").starts_with("HTTP/1.1 200"));
    assert!(get("/api/articles/no-such-id").starts_with("HTTP/1.1 404"));
    let answer = get("/metrics");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("text/plain; version=0.0.4"));
    let count = |needle: &str| {
        answer
            .lines()
            .find(|l| l.starts_with("newsloom_http_requests_total") && l.contains(needle))
            .and_then(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
    };
    let stats = count("endpoint=\"/api/stats\"").expect("stats requests counted");
    assert!(stats >= 2.0, "{answer}");
    // Labelled by the route pattern, not the raw id.
    assert!(answer.contains("endpoint=\"/api/articles/{id}\""), "{answer}");
    assert!(!answer.contains("no-such-id"));
    assert!(answer.contains("newsloom_http_request_duration_seconds_bucket{endpoint=\"/api/stats\""));
    assert!(answer.contains("newsloom_cache_lookups_total{cache=\"stats\",result=\"hit\"}"), "{answer}");
}
