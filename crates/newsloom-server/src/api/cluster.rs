//! `GET /api/cluster-status`: the scale-out pipeline's state (as `newsloom cluster-status`),
//! for a server started with `--nats URL`.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, ApiResult, Q};

/// Where the stage workers' queue is; connected at the first request, then kept.
pub struct ClusterProbe {
    url: String,
    queue: tokio::sync::OnceCell<newsloom_queue::Queue>,
}

impl ClusterProbe {
    pub fn new(url: &str) -> Arc<Self> {
        Arc::new(Self { url: url.to_string(), queue: tokio::sync::OnceCell::new() })
    }

    async fn queue(&self) -> Result<&newsloom_queue::Queue, String> {
        self.queue
            .get_or_try_init(|| async {
                let config = newsloom_queue::QueueConfig::new(&self.url);
                newsloom_queue::Queue::connect(config).await.map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| format!("cannot reach NATS at {}: {e}", self.url))
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusParams {
    /// Throughput sampling interval in ms, 0..=5000 (default 500).
    interval_ms: Option<u64>,
}

/// Per stage: lag, messages in hand, redeliveries, acked, throughput, dead letters and the
/// workers alive; the decisions logged by the cluster writer and the latest dead-letter
/// reasons. 404 when the server was started without `--nats`.
#[utoipa::path(get, path = "/api/cluster-status", params(StatusParams), tag = "cluster",
    responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    Q(p): Q<StatusParams>,
) -> ApiResult<Json<newsloom_queue::status::ClusterStatus>> {
    let interval = p.interval_ms.unwrap_or(500);
    if interval > 5000 {
        return Err(ApiError::bad_request("`interval_ms` must be at most 5000"));
    }
    let Some(probe) = &state.cluster else {
        return Err(ApiError::not_found(
            "this server does not watch a scale-out pipeline; start it with `--nats nats://HOST:PORT`",
        ));
    };
    let queue = probe.queue().await.map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, e))?;
    let status = newsloom_queue::status::status(queue, Duration::from_millis(interval))
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, format!("reading the queue's state: {e}")))?;
    Ok(Json(status))
}
