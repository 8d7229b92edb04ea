//! Admission control: a bounded amount of work per server.
//!
//! At most `max_in_flight` requests run at once and at most `max_waiting` more wait for a
//! turn, each for at most `max_wait`. A request beyond that is answered at once with 503 and
//! `Retry-After`, so an overloaded server sheds load it can say no to cheaply, instead of
//! growing a queue (memory, and latency for everyone) without bound.
//!
//! `/metrics` is not counted: an operator must be able to watch an overloaded server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The limits of [`Admission`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmissionLimits {
    /// Requests handled at once.
    pub max_in_flight: usize,
    /// Requests waiting for a turn; beyond this they are refused.
    pub max_waiting: usize,
    /// Longest wait for a turn before a waiting request is refused.
    pub max_wait: Duration,
    /// The `Retry-After` of a refusal, in seconds.
    pub retry_after_s: u64,
}

impl Default for AdmissionLimits {
    /// 16 requests per core run at once; 1,024 more wait. The waiting queue is first come, first
    /// served, for every endpoint: with 512 running at once, cheap requests (cache hits) kept
    /// overtaking expensive ones (searches nobody asked before), which then waited longest.
    /// Measured on a 2-core box over a million articles, varied searches at 200 connections:
    /// p99 194 ms with 512 at once, 87 ms with 32 (story pages unchanged, 78 / 77 ms).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            max_in_flight: (16 * cores).max(16),
            max_waiting: 1024,
            max_wait: Duration::from_secs(5),
            retry_after_s: 1,
        }
    }
}

impl AdmissionLimits {
    /// The defaults, with `NEWSLOOM_MAX_IN_FLIGHT` and `NEWSLOOM_MAX_WAITING` where set (an
    /// unparsable value keeps the default: the server should start regardless).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<usize>().ok());
        let d = Self::default();
        Self {
            max_in_flight: var("NEWSLOOM_MAX_IN_FLIGHT").unwrap_or(d.max_in_flight).max(1),
            max_waiting: var("NEWSLOOM_MAX_WAITING").unwrap_or(d.max_waiting),
            ..d
        }
    }
}

/// The shared counters behind the middleware.
#[derive(Debug)]
pub struct Admission {
    limits: AdmissionLimits,
    running: Semaphore,
    waiting: AtomicUsize,
}

impl Admission {
    pub fn new(limits: AdmissionLimits) -> Arc<Self> {
        Arc::new(Self {
            running: Semaphore::new(limits.max_in_flight.max(1)),
            waiting: AtomicUsize::new(0),
            limits,
        })
    }

    fn refuse(&self, why: &str) -> Response {
        metrics::counter!("newsloom_http_shed_total", "reason" => why.to_string()).increment(1);
        let message = format!("the server is overloaded ({why}); retry in {} s", self.limits.retry_after_s);
        let mut resp = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message).into_response();
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(self.limits.retry_after_s));
        resp
    }
}

/// A claimed waiting place, given back when dropped.
struct WaitingPlace<'a>(&'a AtomicUsize);

impl Drop for WaitingPlace<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The middleware: runs the request when admitted, refuses it with 503 otherwise.
pub async fn admit(State(adm): State<Arc<Admission>>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/metrics" {
        return next.run(req).await;
    }
    let permit = match adm.running.try_acquire() {
        Ok(p) => p,
        Err(_) => {
            // Claim a waiting place, or refuse when all are taken.
            let claimed = adm
                .waiting
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |w| {
                    (w < adm.limits.max_waiting).then_some(w + 1)
                })
                .is_ok();
            if !claimed {
                return adm.refuse("too many requests waiting");
            }
            // Released on drop: a client that hangs up while waiting cancels this future, and
            // its place must not stay counted (leaked places once refused every request).
            let place = WaitingPlace(&adm.waiting);
            let waited = tokio::time::timeout(adm.limits.max_wait, adm.running.acquire()).await;
            drop(place);
            match waited {
                Ok(Ok(p)) => p,
                _ => return adm.refuse("waited too long for a turn"),
            }
        }
    };
    let resp = next.run(req).await;
    drop(permit);
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    /// A router whose `/hold` waits until `gate` is opened, behind admission.
    fn held(limits: AdmissionLimits, gate: Arc<tokio::sync::Notify>) -> (Router, Arc<Admission>) {
        let adm = Admission::new(limits);
        let app = Router::new()
            .route(
                "/hold",
                get(move || {
                    let gate = gate.clone();
                    async move {
                        gate.notified().await;
                        "done"
                    }
                }),
            )
            .route("/quick", get(|| async { "ok" }))
            .route("/metrics", get(|| async { "metrics" }))
            .layer(axum::middleware::from_fn_with_state(adm.clone(), admit));
        (app, adm)
    }

    async fn call(app: &Router, path: &str) -> Response {
        app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap()
    }

    fn spawn_call(app: &Router, path: &'static str) -> tokio::task::JoinHandle<Response> {
        let app = app.clone();
        tokio::spawn(async move { call(&app, path).await })
    }

    /// Lets spawned requests run until `running` hold a turn and `waiting` wait for one.
    async fn settle(adm: &Admission, running: usize, waiting: usize) {
        for _ in 0..10_000 {
            let busy = adm.limits.max_in_flight - adm.running.available_permits();
            if busy == running && adm.waiting.load(Ordering::Acquire) == waiting {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("requests never reached {running} running and {waiting} waiting");
    }

    #[tokio::test]
    async fn full_server_queues_then_sheds_with_retry_after() {
        let gate = Arc::new(tokio::sync::Notify::new());
        let limits = AdmissionLimits { max_in_flight: 1, max_waiting: 1, ..Default::default() };
        let (app, adm) = held(limits, gate.clone());
        // One request runs (held at the gate), one waits: the server is full.
        let running = spawn_call(&app, "/hold");
        settle(&adm, 1, 0).await;
        let waiting = spawn_call(&app, "/quick");
        settle(&adm, 1, 1).await;
        // The next is refused at once, whatever it asks for, in the API's error shape.
        let refused = call(&app, "/quick").await;
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers()[header::RETRY_AFTER], "1");
        let body = axum::body::to_bytes(refused.into_body(), 1 << 16).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["status"], 503);
        assert!(body["error"].as_str().unwrap().contains("overloaded"), "{body}");
        assert!(!waiting.is_finished(), "the waiting request ran while the server was full");
        gate.notify_one();
        assert_eq!(running.await.unwrap().status(), StatusCode::OK);
        assert_eq!(waiting.await.unwrap().status(), StatusCode::OK);
        // Load gone: admitted again, and nothing is left counted.
        assert_eq!(call(&app, "/quick").await.status(), StatusCode::OK);
        settle(&adm, 0, 0).await;
    }

    #[tokio::test]
    async fn a_wait_is_bounded_in_time() {
        let gate = Arc::new(tokio::sync::Notify::new());
        let limits = AdmissionLimits {
            max_in_flight: 1,
            max_waiting: 8,
            max_wait: Duration::from_millis(100),
            retry_after_s: 3,
        };
        let (app, adm) = held(limits, gate.clone());
        let running = spawn_call(&app, "/hold");
        settle(&adm, 1, 0).await;
        let r = call(&app, "/quick").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
        settle(&adm, 1, 0).await;
        gate.notify_one();
        assert_eq!(running.await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_client_that_hangs_up_while_waiting_gives_its_place_back() {
        let gate = Arc::new(tokio::sync::Notify::new());
        let limits = AdmissionLimits { max_in_flight: 1, max_waiting: 2, ..Default::default() };
        let (app, adm) = held(limits, gate.clone());
        let running = spawn_call(&app, "/hold");
        settle(&adm, 1, 0).await;
        // Two clients wait, then hang up (the server drops their requests' futures).
        let (a, b) = (spawn_call(&app, "/quick"), spawn_call(&app, "/quick"));
        settle(&adm, 1, 2).await;
        a.abort();
        b.abort();
        settle(&adm, 1, 0).await;
        // Their places are free again: two new requests may wait instead of being refused.
        let (c, d) = (spawn_call(&app, "/quick"), spawn_call(&app, "/quick"));
        settle(&adm, 1, 2).await;
        gate.notify_one();
        assert_eq!(running.await.unwrap().status(), StatusCode::OK);
        assert_eq!(c.await.unwrap().status(), StatusCode::OK);
        assert_eq!(d.await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn metrics_path_is_never_refused() {
        let gate = Arc::new(tokio::sync::Notify::new());
        let limits = AdmissionLimits { max_in_flight: 1, max_waiting: 0, ..Default::default() };
        let (app, adm) = held(limits, gate.clone());
        let running = spawn_call(&app, "/hold");
        settle(&adm, 1, 0).await;
        assert_eq!(call(&app, "/quick").await.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(call(&app, "/metrics").await.status(), StatusCode::OK);
        gate.notify_one();
        running.await.unwrap();
    }
}
