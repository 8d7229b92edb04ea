//! Bounded work per server, over real TCP: with one request allowed in flight and none
//! waiting, a request held open (a body that has not arrived yet) makes the next one get 503
//! with `Retry-After`; once it is gone, requests are served again.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use newsloom_server::AdmissionLimits;

const TOKEN: &str = "admission-token";

fn start(limits: AdmissionLimits) -> SocketAddr {
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    common::build_store(dir.path(), &common::fixture_articles());
    let app = newsloom_server::router_with_limits(dir.path(), Some(TOKEN.into()), limits).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    addr
}

/// One GET; the whole response as text.
fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// GETs `path` until the status line starts with `status` (within 20 s).
fn until_status(addr: SocketAddr, path: &str, status: &str) -> String {
    let start = Instant::now();
    loop {
        let resp = get(addr, path);
        if resp.starts_with(&format!("HTTP/1.1 {status}")) {
            return resp;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "never got {status}; last answer:\n{resp}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn overload_answers_503_with_retry_after_then_recovers() {
    let limits = AdmissionLimits { max_in_flight: 1, max_waiting: 0, ..Default::default() };
    let addr = start(limits);
    assert!(get(addr, "/api/stats").starts_with("HTTP/1.1 200"));

    // An ingest whose body is still on its way holds the only turn.
    let mut slow = TcpStream::connect(addr).unwrap();
    write!(
        slow,
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{{\"title\": \"Half"
    )
    .unwrap();
    let shed = until_status(addr, "/api/stats", "503");
    let lower = shed.to_ascii_lowercase();
    assert!(lower.contains("\r\nretry-after: 1\r\n"), "{shed}");
    assert!(shed.contains("\"status\":503") && shed.contains("overloaded"), "{shed}");
    // Metrics stay readable under overload, and count the refusals.
    let metrics = get(addr, "/metrics");
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    assert!(metrics.contains("newsloom_http_shed_total"), "{metrics}");

    // The client gives up: its turn is released and the server answers again.
    drop(slow);
    until_status(addr, "/api/stats", "200");
}
