//! One error shape for every API failure: `{"error": "...", "status": N}`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub status: u16,
}

/// An API error: a status code and a message meant for the client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: self.message, status: self.status.as_u16() };
        (self.status, Json(body)).into_response()
    }
}

impl From<newsloom_store::StoreError> for ApiError {
    fn from(e: newsloom_store::StoreError) -> Self {
        Self::internal(e)
    }
}

impl From<newsloom_search::SearchError> for ApiError {
    fn from(e: newsloom_search::SearchError) -> Self {
        Self::internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Query` whose rejection (an unknown value, a non-number) is a 400 in the error shape.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Q(v)),
            Err(e) => Err(query_error(e)),
        }
    }
}

fn query_error(e: QueryRejection) -> ApiError {
    ApiError::bad_request(format!("bad query parameters: {}", e.body_text()))
}

/// Checks an optional `YYYY-MM-DD` day parameter.
pub fn check_day(value: &Option<String>, name: &str) -> ApiResult<()> {
    if let Some(d) = value
        && newsloom_model::PublishedDate::parse_iso(d, "query")
            .is_none_or(|p| p.day().is_none() || d.len() != 10)
    {
        return Err(ApiError::bad_request(format!("`{name}` must be a day as YYYY-MM-DD, not {d:?}")));
    }
    Ok(())
}

/// Checks an optional date prefix parameter: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn check_date_prefix(value: &Option<String>, name: &str) -> ApiResult<()> {
    if let Some(d) = value
        && (!matches!(d.len(), 4 | 7 | 10) || newsloom_model::PublishedDate::parse_iso(d, "query").is_none())
    {
        return Err(ApiError::bad_request(format!(
            "`{name}` must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {d:?}"
        )));
    }
    Ok(())
}

/// Checks a page size: 1..=max, defaulting to `default`.
pub fn page_limit(limit: Option<usize>, default: usize, max: usize) -> ApiResult<usize> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(format!("`limit` must be between 1 and {max}, not {n}"))),
    }
}
