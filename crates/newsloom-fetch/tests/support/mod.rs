//! A loopback HTTP server for the fetcher's tests: axum on 127.0.0.1:0, recording every request
//! it sees (path, time, headers) so tests can check what the fetcher sent and when.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use newsloom_fetch::FetchConfig;
use url::Url;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub at: Instant,
    pub user_agent: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub accept_encoding: Option<String>,
}

#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    /// The requests for `path`, in arrival order.
    pub fn of(&self, path: &str) -> Vec<Seen> {
        self.0.lock().unwrap().iter().filter(|s| s.path == path).cloned().collect()
    }
}

fn seen(request: &Request) -> Seen {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    Seen {
        path: request.uri().path().to_string(),
        at: Instant::now(),
        user_agent: header("user-agent").unwrap_or_default(),
        if_none_match: header("if-none-match"),
        if_modified_since: header("if-modified-since"),
        accept_encoding: header("accept-encoding"),
    }
}

async fn record(State(log): State<Log>, request: Request, next: Next) -> Response {
    let seen = seen(&request);
    log.0.lock().unwrap().push(seen);
    next.run(request).await
}

/// Serves `router` on a fresh loopback port; returns its base URL and the request log.
pub async fn serve(router: Router) -> (Url, Log) {
    let log = Log::default();
    let app = router.layer(middleware::from_fn_with_state(log.clone(), record));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (Url::parse(&format!("http://{addr}/")).unwrap(), log)
}

/// Limits small enough for fast tests; no politeness delay unless a test sets one.
pub fn quick_config() -> FetchConfig {
    FetchConfig {
        connect_timeout: Duration::from_secs(2),
        first_byte_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        max_body_bytes: 1 << 20,
        per_host_delay: Duration::ZERO,
        per_host_concurrency: 4,
        max_retries: 2,
        backoff_base: Duration::from_millis(10),
        max_backoff: Duration::from_secs(2),
        // The loopback server is reached directly even where a proxy is configured.
        use_env_proxy: false,
        ..FetchConfig::default()
    }
}
