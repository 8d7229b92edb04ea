//! Full-text search and store statistics.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use newsloom_search::{Hit, SearchQuery};
use newsloom_store::Stats;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiResult, Q, check_day, page_limit};

const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query (words are ANDed; `"a phrase"`, `title:word` work).
    q: Option<String>,
    source: Option<String>,
    language: Option<String>,
    story: Option<String>,
    /// First day (YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    to: Option<String>,
    /// 1..=100, default 20.
    limit: Option<usize>,
    cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub total: usize,
    /// `total` is an estimate (PostgreSQL full-text search counts at most a window of matches).
    pub total_estimated: bool,
    pub hits: Vec<Hit>,
    /// Matching articles per value, for `source`, `language` and `story`.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
    pub next_cursor: Option<String>,
}

/// Full-text search over titles and bodies, with snippets and facets.
#[utoipa::path(get, path = "/api/search", params(SearchParams), tag = "search",
    responses((status = 200, body = SearchPage), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(State(state): State<AppState>, Q(p): Q<SearchParams>) -> ApiResult<Json<SearchPage>> {
    let text = p.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("`q` is required: what to search for"));
    }
    if text.len() > 1000 {
        return Err(ApiError::bad_request("`q` is longer than 1000 bytes"));
    }
    check_day(&p.from, "from")?;
    check_day(&p.to, "to")?;
    let limit = page_limit(p.limit, 20, 100)?;
    let offset = match p.cursor.as_deref() {
        None | Some("") => 0,
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_OFFSET)
            .ok_or_else(|| ApiError::bad_request(format!("invalid cursor {c:?}")))?,
    };
    let query = SearchQuery {
        text,
        source: p.source,
        language: p.language,
        story: p.story,
        from: p.from,
        to: p.to,
        limit,
        offset,
    };
    // The index's commit stamp, not the store's: results change only when the index does.
    let version = state
        .index_version
        .current(|| async {
            let index = state.index.clone();
            let v = tokio::task::spawn_blocking(move || index.version())
                .await
                .map_err(|e| ApiError::internal(format!("search task failed: {e}")))??;
            Ok::<_, ApiError>(v as i64)
        })
        .await?;
    // A cached answer does not queue for a permit behind searches being computed.
    let found = state
        .searches
        .get_or_compute(query.clone(), version, || async {
            let _permit = state.search_permits.acquire().await.map_err(ApiError::internal)?;
            let index = state.index.clone();
            let found = tokio::task::spawn_blocking(move || index.search(&query))
                .await
                .map_err(|e| ApiError::internal(format!("search task failed: {e}")))??;
            Ok::<_, ApiError>(Arc::new(found))
        })
        .await?;
    let found = Arc::unwrap_or_clone(found);
    let next_cursor = (offset + found.hits.len() < found.total).then(|| (offset + limit).to_string());
    Ok(Json(SearchPage {
        total: found.total,
        total_estimated: found.total_estimated,
        hits: found.hits,
        facets: found.facets,
        next_cursor,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatsBody {
    #[serde(flatten)]
    pub stats: Stats,
    /// Whether `POST /api/articles` is enabled (a write token is configured).
    pub ingest_enabled: bool,
}

/// Store-wide counts.
#[utoipa::path(get, path = "/api/stats", tag = "search", responses((status = 200, body = StatsBody)))]
pub async fn stats(State(state): State<AppState>) -> ApiResult<Json<StatsBody>> {
    let s = state.cached(&state.stats, (), |h| Ok(h.stats()?)).await?;
    Ok(Json(StatsBody { stats: s, ingest_enabled: state.write_token.is_some() }))
}
