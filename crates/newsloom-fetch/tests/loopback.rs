//! The fetcher against misbehaving servers, each one a loopback axum server in this process.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use async_compression::Level;
use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use newsloom_fetch::{FetchConfig, FetchError, FetchRequest, Fetcher, TimeoutPhase};
use support::{quick_config, serve};
use tokio::io::AsyncReadExt;
use url::Url;

fn request(base: &Url, path: &str) -> FetchRequest {
    FetchRequest::new(base.join(path).unwrap())
}

fn fetcher(cfg: FetchConfig) -> Fetcher {
    Fetcher::new(cfg).unwrap()
}

const ETAG: &str = "\"v1\"";
const LAST_MODIFIED: &str = "Wed, 21 Oct 2015 07:28:00 GMT";

async fn feed(headers: HeaderMap) -> Response {
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == ETAG) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, ETAG)]).into_response();
    }
    (
        [
            (header::ETAG, ETAG),
            (header::LAST_MODIFIED, LAST_MODIFIED),
            (header::CONTENT_TYPE, "application/rss+xml; charset=UTF-8"),
        ],
        "<rss><channel><title>t</title></channel></rss>",
    )
        .into_response()
}

#[tokio::test]
async fn conditional_get_returns_not_modified() {
    let (base, log) = serve(Router::new().route("/feed", get(feed))).await;
    let fetcher = fetcher(quick_config());
    let first = fetcher.fetch(&request(&base, "/feed")).await.unwrap();
    assert_eq!((first.status, first.not_modified), (200, false));
    assert!(first.body.starts_with(b"<rss>"));
    assert_eq!(first.charset.as_deref(), Some("utf-8"));
    assert_eq!((first.etag.as_deref(), first.last_modified.as_deref()), (Some(ETAG), Some(LAST_MODIFIED)));
    assert!(first.date.is_some(), "axum sends a Date header");

    let again = FetchRequest {
        etag: first.etag.clone(),
        last_modified: first.last_modified.clone(),
        ..request(&base, "/feed")
    };
    let second = fetcher.fetch(&again).await.unwrap();
    assert_eq!((second.status, second.not_modified, second.body.len()), (304, true, 0));
    let seen = log.of("/feed");
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].if_none_match, None);
    assert_eq!(seen[1].if_none_match.as_deref(), Some(ETAG));
    assert_eq!(seen[1].if_modified_since.as_deref(), Some(LAST_MODIFIED));
}

#[tokio::test]
async fn user_agent_names_newsloom_and_encodings_are_offered() {
    let (base, log) = serve(Router::new().route("/", get(|| async { "ok" }))).await;
    fetcher(quick_config()).fetch(&request(&base, "/")).await.unwrap();
    let seen = &log.of("/")[0];
    assert!(
        seen.user_agent.contains(&format!("newsloom/{}", env!("CARGO_PKG_VERSION"))),
        "{}",
        seen.user_agent
    );
    assert_eq!(seen.accept_encoding.as_deref(), Some("gzip, br, deflate"));
    assert_eq!(log.of("/robots.txt").len(), 1, "robots.txt is asked for first");
}

#[tokio::test]
async fn too_many_requests_is_retried_after_its_retry_after() {
    let calls = Arc::new(AtomicUsize::new(0));
    let handler = move || {
        let calls = calls.clone();
        async move {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")], "slow down").into_response()
            } else {
                "fresh".into_response()
            }
        }
    };
    let (base, log) = serve(Router::new().route("/limited", get(handler))).await;
    let response = fetcher(quick_config()).fetch(&request(&base, "/limited")).await.unwrap();
    assert_eq!((&response.body[..], response.attempts), (&b"fresh"[..], 2));
    let seen = log.of("/limited");
    // The server's clock: the retry came no sooner than Retry-After allowed (small slack for
    // where each side reads its clock).
    let gap = seen[1].at - seen[0].at;
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_max_backoff_ends_the_retries_and_is_reported() {
    let handler =
        || async { (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "3600")]).into_response() };
    let (base, log) = serve(Router::new().route("/down", get(handler))).await;
    let err = fetcher(quick_config()).fetch(&request(&base, "/down")).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Status { status: 503, retry_after: Some(d) } if d == Duration::from_secs(3600)),
        "{err:?}"
    );
    assert_eq!(log.of("/down").len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let (base, log) =
        serve(Router::new().route("/broken", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))).await;
    let err = fetcher(quick_config()).fetch(&request(&base, "/broken")).await.unwrap_err();
    assert!(matches!(err, FetchError::Status { status: 500, retry_after: None }), "{err:?}");
    assert_eq!(err.kind(), "http_status");
    assert_eq!(log.of("/broken").len(), 3, "one attempt and max_retries = 2 retries");
}

#[tokio::test]
async fn not_found_and_gone_are_not_retried() {
    let router = Router::new().route("/removed", get(|| async { StatusCode::GONE }));
    let (base, log) = serve(router).await;
    let fetcher = fetcher(quick_config());
    let missing = fetcher.fetch(&request(&base, "/missing")).await.unwrap_err();
    assert!(matches!(missing, FetchError::Gone { status: 404 }), "{missing:?}");
    let removed = fetcher.fetch(&request(&base, "/removed")).await.unwrap_err();
    assert!(matches!(removed, FetchError::Gone { status: 410 }), "{removed:?}");
    assert_eq!((log.of("/missing").len(), log.of("/removed").len()), (1, 1));
}

#[tokio::test]
async fn a_hanging_server_times_out_at_the_first_byte() {
    let hang = || async {
        tokio::time::sleep(Duration::from_secs(30)).await;
        "too late"
    };
    let (base, log) = serve(Router::new().route("/hang", get(hang))).await;
    let cfg =
        FetchConfig { first_byte_timeout: Duration::from_millis(300), max_retries: 1, ..quick_config() };
    let err = fetcher(cfg).fetch(&request(&base, "/hang")).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { phase: TimeoutPhase::FirstByte }), "{err:?}");
    assert_eq!(log.of("/hang").len(), 2, "timeouts are retried");
}

#[tokio::test]
async fn a_dripping_body_is_cut_by_the_total_timeout() {
    let drip = || async {
        let bytes = futures_util::stream::unfold(0u32, |n| async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            (n < 600).then(|| (Ok::<_, std::io::Error>(Bytes::from_static(b"x")), n + 1))
        });
        Body::from_stream(bytes)
    };
    let (base, _log) = serve(Router::new().route("/drip", get(drip))).await;
    let cfg = FetchConfig { total_timeout: Duration::from_millis(1500), max_retries: 0, ..quick_config() };
    let err = fetcher(cfg).fetch(&request(&base, "/drip")).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { phase: TimeoutPhase::Body }), "{err:?}");
}

/// 50 MB produced lazily in 64 KiB chunks, counting what the server actually produced.
fn fifty_megabytes(produced: Arc<AtomicU64>) -> Body {
    let chunk = Bytes::from(vec![b'a'; 64 << 10]);
    let chunks = futures_util::stream::iter((0..800).map(move |_| {
        produced.fetch_add(chunk.len() as u64, Ordering::SeqCst);
        Ok::<_, std::io::Error>(chunk.clone())
    }));
    Body::from_stream(chunks)
}

#[tokio::test]
async fn a_fifty_megabyte_page_is_cut_at_the_cap_without_being_read_whole() {
    let streamed = Arc::new(AtomicU64::new(0));
    let declared = Arc::new(AtomicU64::new(0));
    let (s, d) = (streamed.clone(), declared.clone());
    let router =
        Router::new().route("/streamed", get(move || async move { fifty_megabytes(s) })).route(
            "/declared",
            get(move || async move {
                ([(header::CONTENT_LENGTH, (50u64 << 20).to_string())], fifty_megabytes(d))
            }),
        );
    let (base, _log) = serve(router).await;
    let fetcher = fetcher(quick_config());
    for path in ["/streamed", "/declared"] {
        let err = fetcher.fetch(&request(&base, path)).await.unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { limit } if limit == 1 << 20), "{path}: {err:?}");
    }
    // The client stopped reading at the 1 MiB cap; what the server produced beyond it is only
    // what the socket buffers took before the connection was dropped.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let streamed = streamed.load(Ordering::SeqCst);
    assert!(streamed < 20 << 20, "server produced {streamed} bytes");
    let declared = declared.load(Ordering::SeqCst);
    assert!(declared < 20 << 20, "server produced {declared} bytes for a declared 50 MB body");
}

async fn compress_gzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzipEncoder::with_quality(data, Level::Fastest).read_to_end(&mut out).await.unwrap();
    out
}

async fn compress_brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    BrotliEncoder::with_quality(data, Level::Fastest).read_to_end(&mut out).await.unwrap();
    out
}

fn encoded(encoding: &'static str, body: Vec<u8>) -> Response {
    ([(header::CONTENT_ENCODING, encoding), (header::CONTENT_TYPE, "text/html")], body).into_response()
}

#[tokio::test]
async fn compressed_pages_are_decoded_and_bombs_are_cut_at_the_cap() {
    let page = b"<html><body>news</body></html>".repeat(50);
    let zeros = vec![0u8; 8 << 20];
    let (page_gz, page_br) = (compress_gzip(&page).await, compress_brotli(&page).await);
    let (bomb_gz, bomb_br) = (compress_gzip(&zeros).await, compress_brotli(&zeros).await);
    assert!(bomb_gz.len() < 100 << 10 && bomb_br.len() < 100 << 10, "the bombs are small on the wire");
    let router = Router::new()
        .route("/page.gz", get(move || async move { encoded("gzip", page_gz) }))
        .route("/page.br", get(move || async move { encoded("br", page_br) }))
        .route("/bomb.gz", get(move || async move { encoded("gzip", bomb_gz) }))
        .route("/bomb.br", get(move || async move { encoded("br", bomb_br) }))
        .route("/odd", get(|| async { encoded("compress", b"?".to_vec()) }));
    let (base, _log) = serve(router).await;
    let fetcher = fetcher(quick_config());
    for path in ["/page.gz", "/page.br"] {
        let response = fetcher.fetch(&request(&base, path)).await.unwrap();
        assert_eq!(&response.body[..], &page[..], "{path}");
    }
    for path in ["/bomb.gz", "/bomb.br"] {
        let err = fetcher.fetch(&request(&base, path)).await.unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { limit } if limit == 1 << 20), "{path}: {err:?}");
    }
    let err = fetcher.fetch(&request(&base, "/odd")).await.unwrap_err();
    assert_eq!(err.kind(), "decode", "{err}");
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

#[tokio::test]
async fn redirects_are_followed_limited_and_only_to_http() {
    let router = Router::new()
        .route("/moved", get(|| async { redirect("news/story") }))
        .route("/news/story", get(|| async { "story" }))
        .route("/loop-a", get(|| async { redirect("/loop-b") }))
        .route("/loop-b", get(|| async { redirect("/loop-a#again") }))
        .route("/hop/{n}", get(|| async { redirect("next") }))
        .route("/hop/next", get(|| async { redirect("/hop/next2") }))
        .route("/hop/next2", get(|| async { redirect("/hop/next3") }))
        .route("/hop/next3", get(|| async { redirect("/hop/next4") }))
        .route("/evil", get(|| async { redirect("file:///etc/passwd") }));
    let (base, log) = serve(router).await;
    let fetcher = fetcher(FetchConfig { max_redirects: 3, ..quick_config() });

    let response = fetcher.fetch(&request(&base, "/moved")).await.unwrap();
    assert_eq!(
        (response.final_url.path(), &response.body[..], response.redirects),
        ("/news/story", &b"story"[..], 1)
    );

    let err = fetcher.fetch(&request(&base, "/loop-a")).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::TooManyRedirects { looped_at: Some(u), .. } if u.path() == "/loop-a"),
        "{err:?}"
    );

    let err = fetcher.fetch(&request(&base, "/hop/1")).await.unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects { limit: 3, looped_at: None }), "{err:?}");
    assert_eq!(log.of("/hop/next3").len(), 1, "three hops followed, the fourth refused");
    assert!(log.of("/hop/next4").is_empty());

    let err = fetcher.fetch(&request(&base, "/evil")).await.unwrap_err();
    assert!(matches!(&err, FetchError::BadRedirect { to, .. } if to == "file:///etc/passwd"), "{err:?}");

    let err = fetcher.fetch(&FetchRequest::new(Url::parse("file:///etc/passwd").unwrap())).await.unwrap_err();
    assert_eq!(err.kind(), "invalid_url");
}

const ROBOTS: &str = "User-agent: *\nDisallow: /\n\nUser-agent: newsloom\nDisallow: /private\n";

#[tokio::test]
async fn robots_txt_is_obeyed_on_every_hop_and_fetched_once() {
    let router = Router::new()
        .route("/robots.txt", get(|| async { ROBOTS }))
        .route("/public", get(|| async { "public" }))
        .route("/private/page", get(|| async { "secret" }))
        .route("/sneaky", get(|| async { redirect("/private/page") }));
    let (base, log) = serve(router).await;
    let fetcher = fetcher(quick_config());
    assert_eq!(&fetcher.fetch(&request(&base, "/public")).await.unwrap().body[..], b"public");
    for path in ["/private/page", "/sneaky"] {
        let err = fetcher.fetch(&request(&base, path)).await.unwrap_err();
        assert!(
            matches!(&err, FetchError::DisallowedByRobots { url } if url.path() == "/private/page"),
            "{err:?}"
        );
    }
    assert!(log.of("/private/page").is_empty(), "a disallowed page is never requested");
    assert_eq!(log.of("/robots.txt").len(), 1, "robots.txt is cached per site");

    // Without obey_robots the same page is fetched.
    let rude = Fetcher::new(FetchConfig { obey_robots: false, ..quick_config() }).unwrap();
    assert_eq!(&rude.fetch(&request(&base, "/private/page")).await.unwrap().body[..], b"secret");
}

#[tokio::test]
async fn an_unreachable_robots_txt_disallows_the_site_for_now() {
    let router = Router::new()
        .route("/robots.txt", get(|| async { StatusCode::INTERNAL_SERVER_ERROR }))
        .route("/page", get(|| async { "page" }));
    let (base, log) = serve(router).await;
    let err = fetcher(quick_config()).fetch(&request(&base, "/page")).await.unwrap_err();
    assert_eq!(err.kind(), "robots_unreachable", "{err}");
    assert!(err.is_transient());
    assert!(log.of("/page").is_empty());
}

#[tokio::test]
async fn per_host_concurrency_and_delay_are_shared_by_clones() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (i, m) = (in_flight.clone(), most.clone());
    let slow = move || {
        let (in_flight, most) = (i.clone(), m.clone());
        async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
            "done"
        }
    };
    let (base, log) = serve(Router::new().route("/slow", get(slow))).await;
    let cfg =
        FetchConfig { per_host_concurrency: 1, per_host_delay: Duration::from_millis(300), ..quick_config() };
    let fetcher = fetcher(cfg);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (fetcher, req) = (fetcher.clone(), request(&base, "/slow"));
            tokio::spawn(async move { fetcher.fetch(&req).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 1, "never two requests in flight to one host");
    let starts: Vec<_> = log.of("/slow").iter().map(|s| s.at).collect();
    assert_eq!(starts.len(), 4);
    for pair in starts.windows(2) {
        // Lower bound only: the configured 300 ms less slack for when the server's clock is read
        // (a new connection or a busy CI box delays one request more than the next).
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(200), "requests started {gap:?} apart");
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let cfg = FetchConfig { obey_robots: false, ..quick_config() };
    let url = Url::parse(&format!("http://{addr}/")).unwrap();
    let err = fetcher(cfg).fetch(&FetchRequest::new(url)).await.unwrap_err();
    assert_eq!(err.kind(), "connect", "{err}");
}

#[tokio::test]
async fn a_per_request_limit_overrides_the_configured_cap() {
    let (base, _log) =
        serve(Router::new().route("/sitemap.xml", get(|| async { vec![b'x'; 2 << 20] }))).await;
    let fetcher = fetcher(quick_config());
    let err = fetcher.fetch(&request(&base, "/sitemap.xml")).await.unwrap_err();
    assert_eq!(err.kind(), "too_large");
    let response = fetcher.fetch_with_limit(&request(&base, "/sitemap.xml"), 4 << 20).await.unwrap();
    assert_eq!(response.body.len(), 2 << 20);
}

/// A raw TCP server that answers every connection with `reply` and closes it.
async fn raw_server(reply: &'static [u8]) -> (Url, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt;
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(reply).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (Url::parse(&format!("http://{addr}/page")).unwrap(), connections)
}

#[tokio::test]
async fn a_body_cut_short_is_a_body_error_after_retries() {
    let (url, connections) =
        raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a little").await;
    let cfg = FetchConfig { obey_robots: false, ..quick_config() };
    let err = fetcher(cfg).fetch(&FetchRequest::new(url)).await.unwrap_err();
    assert_eq!(err.kind(), "body", "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 3, "retried like any broken connection");
}

#[tokio::test]
async fn garbage_instead_of_http_is_an_error_not_a_crash() {
    let (url, _) = raw_server(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n").await;
    let cfg = FetchConfig { obey_robots: false, max_retries: 0, ..quick_config() };
    let err = fetcher(cfg).fetch(&FetchRequest::new(url)).await.unwrap_err();
    assert_eq!(err.kind(), "connect", "{err}");
}

#[tokio::test]
async fn https_to_a_plain_http_server_fails_the_tls_handshake_cleanly() {
    let (base, _log) = serve(Router::new().route("/", get(|| async { "plain" }))).await;
    let mut url = base.clone();
    url.set_scheme("https").unwrap();
    let cfg = FetchConfig { obey_robots: false, max_retries: 0, ..quick_config() };
    let err = fetcher(cfg).fetch(&FetchRequest::new(url)).await.unwrap_err();
    assert_eq!(err.kind(), "connect", "{err}");
}

#[tokio::test]
async fn a_listener_that_never_accepts_times_out_at_connect() {
    // A listen backlog of 1 that nobody accepts from: once it is full, the kernel drops new
    // SYNs, so the next connection attempt hangs like an unreachable host.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        match tokio::time::timeout(Duration::from_secs(1), tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    let cfg = FetchConfig {
        obey_robots: false,
        max_retries: 0,
        connect_timeout: Duration::from_millis(300),
        ..quick_config()
    };
    let err = fetcher(cfg)
        .fetch(&FetchRequest::new(Url::parse(&format!("http://{addr}/")).unwrap()))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout { phase: TimeoutPhase::Connect }), "{err:?}");
    drop(listener);
}

#[tokio::test]
async fn robots_txt_redirects_are_followed_and_a_looping_one_allows_all() {
    let moved = Router::new()
        .route("/robots.txt", get(|| async { redirect("/site/robots.txt") }))
        .route("/site/robots.txt", get(|| async { "User-agent: newsloom\nDisallow: /drafts\n" }))
        .route("/drafts/1", get(|| async { "draft" }));
    let (base, _log) = serve(moved).await;
    let err = fetcher(quick_config()).fetch(&request(&base, "/drafts/1")).await.unwrap_err();
    assert_eq!(err.kind(), "robots_disallowed", "{err}");

    let looping = Router::new()
        .route("/robots.txt", get(|| async { redirect("/robots.txt") }))
        .route("/page", get(|| async { "page" }));
    let (base, _log) = serve(looping).await;
    let response = fetcher(quick_config()).fetch(&request(&base, "/page")).await.unwrap();
    assert_eq!(&response.body[..], b"page");
}
