//! `GET /metrics` in Prometheus text format: request counts and latency per endpoint, cache
//! lookups, and the ingest counters the pipeline keeps (stored, duplicates, rejects by reason).
//!
//! Everything goes through the `metrics` facade, so the pipeline records without knowing about
//! HTTP; the recorder is installed once per process, when the first router is built.

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: fine below 100 ms, where the service aims to answer.
const LATENCY_BUCKETS: &[f64] =
    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process's recorder. When another recorder was installed first (an embedding program's),
/// this one still renders what is recorded through it, which is nothing: `/metrics` stays up.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), LATENCY_BUCKETS)
            .expect("static, non-empty bucket list");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    // Installed as the router is built, so requests before the first scrape are counted.
    handle();
    Router::new().route("/metrics", get(render))
}

async fn render() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle().render()).into_response()
}

/// Counts each request and times it, labelled by its route pattern (`/api/stories/{id}`), not
/// the raw path, so ids and queries cannot blow up the number of series.
pub async fn record(req: Request, next: Next) -> Response {
    let endpoint = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("endpoint", endpoint), ("method", method)];
    metrics::histogram!("newsloom_http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    let labels = [labels[0].clone(), labels[1].clone(), ("status", status)];
    metrics::counter!("newsloom_http_requests_total", &labels).increment(1);
    response
}
