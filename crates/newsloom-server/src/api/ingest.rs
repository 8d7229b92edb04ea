//! `POST /api/articles`: ingest over HTTP, behind a bearer token.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use newsloom_ingest::{IngestItem, ItemError, parse_jsonl_line};
use newsloom_pipeline::{IngestSummary, Pipeline, Quiet};
use serde::Serialize;
use serde_json::Value;
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// Rejects requests without the configured bearer token, before the body is read.
pub async fn require_token(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(expected) = state.write_token.as_deref() else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest over HTTP is disabled: start the server with --write-token to enable it",
        )
        .into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match given {
        None => {
            let mut resp =
                ApiError::new(StatusCode::UNAUTHORIZED, "missing `Authorization: Bearer <token>` header")
                    .into_response();
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
            resp
        }
        Some(token) if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) => next.run(req).await,
        Some(_) => ApiError::new(StatusCode::FORBIDDEN, "the bearer token is not valid").into_response(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IngestResponse {
    /// What the run did: read, stored, duplicates, rejected (with reasons).
    #[schema(value_type = Object)]
    pub summary: IngestSummary,
    /// Ids of the items parsed from the body (stored or duplicates), in order.
    pub ids: Vec<String>,
}

/// Splits a body into items: one JSON object, a JSON array of objects, or NDJSON.
pub(crate) fn parse_body(body: &[u8]) -> ApiResult<Vec<IngestItem>> {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Err(ApiError::bad_request("empty body: send a JSON object, an array of them, or NDJSON"));
    }
    let one = |value: &Value, origin: String| -> IngestItem {
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        match parse_jsonl_line(&bytes, &origin) {
            Ok(r) => IngestItem::Record(r),
            Err(e) => IngestItem::Rejected(e),
        }
    };
    if trimmed.starts_with(b"[") {
        let values: Vec<Value> = serde_json::from_slice(trimmed)
            .map_err(|e| ApiError::bad_request(format!("the body is not a valid JSON array: {e}")))?;
        return Ok(values.iter().enumerate().map(|(i, v)| one(v, format!("api:{}", i + 1))).collect());
    }
    match serde_json::from_slice::<Value>(trimmed) {
        Ok(v @ Value::Object(_)) => Ok(vec![one(&v, "api:1".into())]),
        Ok(_) => Err(ApiError::bad_request("expected a JSON object, an array of objects, or NDJSON")),
        // More than one value: NDJSON, one object per line; bad lines become rejections.
        Err(_) => Ok(trimmed
            .split(|b| *b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.trim_ascii().is_empty())
            .map(|(i, line)| match parse_jsonl_line(line.trim_ascii(), &format!("api:{}", i + 1)) {
                Ok(r) => IngestItem::Record(r),
                Err(e) => IngestItem::Rejected(e),
            })
            .collect()),
    }
}

/// Ingest articles: a JSON object (`text` or `html`, plus `title`, `url`, `source`, `date`, ...),
/// a JSON array of them, or NDJSON. Requires `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/api/articles", tag = "articles",
    request_body(content = Object, description = "One object, an array, or NDJSON lines",
        content_type = "application/json"),
    security(("bearer" = [])),
    responses((status = 200, body = IngestResponse), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody)))]
pub async fn ingest(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<IngestResponse>)> {
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let items = parse_body(&body)?;
    let ids: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            IngestItem::Record(r) => Some(r.id.clone()),
            IngestItem::Rejected(_) => None,
        })
        .collect();
    if ids.is_empty()
        && let Some(IngestItem::Rejected(e)) = items.first()
    {
        return Err(ApiError::bad_request(format!("no article in the body: {}", describe(e))));
    }
    let pipeline = state.pipeline.clone();
    let location = state.location.clone();
    let summary = tokio::task::spawn_blocking(move || -> ApiResult<IngestSummary> {
        let mut guard =
            pipeline.lock().map_err(|_| ApiError::internal("the ingest pipeline failed earlier"))?;
        if guard.is_none() {
            let Some(location) = location else {
                return Err(ApiError::internal("this server has no pipeline to ingest with"));
            };
            *guard = Some(Pipeline::open_location(&location).map_err(pipeline_error)?);
        }
        let p = guard.as_mut().expect("opened above");
        p.ingest(items.into_iter(), &Quiet).map_err(pipeline_error)
    })
    .await
    .map_err(|e| ApiError::internal(format!("ingest task failed: {e}")))??;
    state.version.invalidate();
    state.index_version.invalidate();
    let status = if summary.stored > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(IngestResponse { summary, ids })))
}

fn describe(e: &ItemError) -> String {
    e.to_string()
}

fn pipeline_error(e: newsloom_pipeline::PipelineError) -> ApiError {
    if e.0.contains("locked") {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.0)
    } else {
        ApiError::internal(e)
    }
}
