//! Articles: listing with filters and cursor, one article with its analysis.

use axum::Json;
use axum::extract::{Path, State};
use newsloom_store::ArticleFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::types::{ArticleItem, Page};
use crate::error::{ApiError, ApiResult, Q, check_day, page_limit};

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Most recently stored first.
    #[default]
    Newest,
    /// Storage order.
    Oldest,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleParams {
    /// Outlet name, exact.
    source: Option<String>,
    /// ISO 639-1 code.
    language: Option<String>,
    /// Story id.
    story: Option<String>,
    /// First day (YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    to: Option<String>,
    /// Theme code (`PROTEST`, `medtop:16000000`) or label.
    theme: Option<String>,
    /// Lowest article tone (GDELT AvgTone scale, about -10..10), inclusive.
    tone_min: Option<f64>,
    /// Highest article tone, inclusive.
    tone_max: Option<f64>,
    /// Only articles naming a place in this country (ISO 3166-1 alpha-2, `RU`).
    country: Option<String>,
    /// Only articles naming this GeoNames place.
    geonameid: Option<i64>,
    order: Option<Order>,
    /// 1..=500, default 50.
    limit: Option<usize>,
    /// `next_cursor` from the previous page.
    cursor: Option<String>,
}

/// List articles, filtered, newest first (or oldest first), with a stable cursor.
#[utoipa::path(get, path = "/api/articles", params(ArticleParams), tag = "articles",
    responses((status = 200, body = Page<ArticleItem>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Q(p): Q<ArticleParams>,
) -> ApiResult<Json<Page<ArticleItem>>> {
    check_day(&p.from, "from")?;
    check_day(&p.to, "to")?;
    let limit = page_limit(p.limit, 50, 500)?;
    let cursor = match p.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => {
            Some(c.parse::<i64>().map_err(|_| ApiError::bad_request(format!("invalid cursor {c:?}")))?)
        }
    };
    let order = p.order.unwrap_or_default();
    crate::api::places::check_country(&p.country)?;
    for (v, name) in [(p.tone_min, "tone_min"), (p.tone_max, "tone_max")] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(ApiError::bad_request(format!("`{name}` must be a finite number")));
        }
    }
    let filter = ArticleFilter {
        theme: p.theme.filter(|t| !t.is_empty()),
        tone_min: p.tone_min,
        tone_max: p.tone_max,
        country: p.country,
        geonameid: p.geonameid,
        source: p.source,
        language: p.language,
        story: p.story,
        from: p.from,
        to: p.to,
        limit: limit + 1,
        ..ArticleFilter::default()
    };
    let mut rows = state
        .db
        .run(move |h| {
            // A story id absorbed in a merge still finds its articles.
            let filter = match &filter.story {
                Some(s) => ArticleFilter { story: Some(h.resolve_story(s)?), ..filter },
                None => filter,
            };
            Ok(match (order, cursor) {
                (Order::Newest, None) => h.articles(&filter)?,
                (Order::Newest, Some(before)) => {
                    h.articles(&ArticleFilter { before_seq: Some(before), ..filter })?
                }
                (Order::Oldest, after) => {
                    h.articles(&ArticleFilter { after_seq: Some(after.unwrap_or(0)), ..filter })?
                }
            })
        })
        .await?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    Ok(Json(Page { items: rows, next_cursor }))
}

/// One article with its clean body, metadata and analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleDetail {
    /// The article as stored (without the raw input). Offsets in `analysis` are char offsets
    /// into `article.body`.
    #[schema(value_type = Object)]
    pub article: newsloom_model::Article,
    pub copy_of: Option<String>,
    /// Entities, mentions, quotes and events with their spans.
    #[schema(value_type = Object)]
    pub analysis: newsloom_analyse::Analysis,
}

/// Get one article.
#[utoipa::path(get, path = "/api/articles/{id}", params(("id" = String, Path)), tag = "articles",
    responses((status = 200, body = ArticleDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<ArticleDetail>> {
    let detail = state
        .db
        .run(move |h| {
            let Some(page) = h.article_page(&id)? else {
                return Err(ApiError::not_found(format!("no article with id {id:?}")));
            };
            Ok(ArticleDetail { article: page.article, copy_of: page.copy_of, analysis: page.analysis })
        })
        .await?;
    Ok(Json(detail))
}
