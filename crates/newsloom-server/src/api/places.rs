//! Places (toponyms resolved to GeoNames) and events located by place or bounding box.

use axum::Json;
use axum::extract::State;
use newsloom_model::Event;
use newsloom_store::{GeoEventFilter, PlaceCount, PlaceFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiResult, Q, page_limit};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceParams {
    /// Only places named in this story's articles.
    story: Option<String>,
    /// Only this article's places.
    article: Option<String>,
    /// ISO 3166-1 alpha-2 country code (`RU`).
    country: Option<String>,
    /// 1..=500, default 100.
    limit: Option<usize>,
}

/// Places named in stored articles, by number of mentions, with coordinates.
#[utoipa::path(get, path = "/api/places", params(PlaceParams), tag = "places",
    responses((status = 200, body = Vec<PlaceCount>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn places(State(state): State<AppState>, Q(p): Q<PlaceParams>) -> ApiResult<Json<Vec<PlaceCount>>> {
    let limit = page_limit(p.limit, 100, 500)?;
    check_country(&p.country)?;
    let f = PlaceFilter { story: p.story, article: p.article, country: p.country, limit };
    Ok(Json(state.db.run(move |h| Ok(h.places(&f)?)).await?))
}

/// Refuses a `country` that is not an ISO 3166-1 alpha-2 code.
pub fn check_country(country: &Option<String>) -> ApiResult<()> {
    match country {
        Some(c) if c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()) => {
            Err(ApiError::bad_request(format!("`country` must be an ISO 3166-1 alpha-2 code, not {c:?}")))
        }
        _ => Ok(()),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceEventParams {
    /// `min_lon,min_lat,max_lon,max_lat` (degrees; min_lon > max_lon crosses the antimeridian).
    bbox: Option<String>,
    /// GeoNames id of the place.
    geonameid: Option<i64>,
    /// Only this story's events.
    story: Option<String>,
    /// Which location: `action` (where it happened, default), `source` or `target` (the actors').
    role: Option<String>,
    /// 1..=500, default 100.
    limit: Option<usize>,
}

/// An event with the location it was found by.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceEvent {
    #[schema(value_type = Object)]
    pub event: Event,
}

/// Parses `min_lon,min_lat,max_lon,max_lat`.
pub fn parse_bbox(s: &str) -> Result<(f64, f64, f64, f64), String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`bbox` must be four numbers min_lon,min_lat,max_lon,max_lat, not {s:?}"))?;
    let [a, b, c, d] = v[..] else {
        return Err(format!("`bbox` must be four numbers min_lon,min_lat,max_lon,max_lat, not {s:?}"));
    };
    let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
    let lat_ok = |x: f64| (-90.0..=90.0).contains(&x);
    if !(lon_ok(a) && lon_ok(c) && lat_ok(b) && lat_ok(d)) || b > d {
        return Err(format!("`bbox` {s:?} is outside -180..180 / -90..90 or has min_lat > max_lat"));
    }
    Ok((a, b, c, d))
}

/// Events located in a bounding box and/or at a place, newest first.
#[utoipa::path(get, path = "/api/places/events", params(PlaceEventParams), tag = "places",
    responses((status = 200, body = Vec<PlaceEvent>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    Q(p): Q<PlaceEventParams>,
) -> ApiResult<Json<Vec<PlaceEvent>>> {
    let limit = page_limit(p.limit, 100, 500)?;
    let bbox = p.bbox.as_deref().map(parse_bbox).transpose().map_err(ApiError::bad_request)?;
    if bbox.is_none() && p.geonameid.is_none() {
        return Err(ApiError::bad_request("give `bbox` or `geonameid`"));
    }
    if let Some(r) = &p.role
        && !matches!(r.as_str(), "action" | "source" | "target")
    {
        return Err(ApiError::bad_request(format!("`role` must be action, source or target, not {r:?}")));
    }
    let f = GeoEventFilter { bbox, geonameid: p.geonameid, story: p.story, role: p.role, limit };
    let events = state.db.run(move |h| Ok(h.events_by_place(&f)?)).await?;
    Ok(Json(events.into_iter().map(|event| PlaceEvent { event }).collect()))
}
