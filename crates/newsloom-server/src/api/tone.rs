//! Tone over time (per story, outlet, entity or actor pair) and the UI's map configuration.

use axum::extract::State;
use axum::{Extension, Json};
use newsloom_store::{TonePoint, ToneSubject};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::facts::Period;
use crate::error::{ApiError, ApiResult, Q};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ToneParams {
    /// Story id: the mean tone of its articles.
    story: Option<String>,
    /// Outlet name, exact.
    outlet: Option<String>,
    /// Entity id: the mean tone of its mentions (-1..1).
    entity: Option<String>,
    /// First actor of a pair (code prefix, `RUS`, `NATO`); with `b`: the articles reporting an
    /// event between them, either way.
    a: Option<String>,
    /// Second actor of the pair.
    b: Option<String>,
    /// `day`, `month` (default) or `year`.
    period: Option<Period>,
}

/// A tone series.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToneSeries {
    /// `story`, `outlet`, `entity` or `dyad`.
    pub subject: String,
    /// The story id (after merges), outlet, entity id, or `A–B`.
    pub key: String,
    pub period: String,
    pub points: Vec<TonePoint>,
}

/// Tone over time of one subject: give exactly one of `story`, `outlet`, `entity` or `a`+`b`.
#[utoipa::path(get, path = "/api/tone", params(ToneParams), tag = "facts",
    responses((status = 200, body = ToneSeries), (status = 400, body = crate::error::ErrorBody)))]
pub async fn tone(State(state): State<AppState>, Q(p): Q<ToneParams>) -> ApiResult<Json<ToneSeries>> {
    let (len, period) = p.period.unwrap_or_default().len_and_name();
    let given = [&p.story, &p.outlet, &p.entity, &p.a].iter().filter(|v| v.is_some()).count();
    if given != 1 || p.a.is_some() != p.b.is_some() {
        return Err(ApiError::bad_request("give exactly one of `story`, `outlet`, `entity` or `a` with `b`"));
    }
    for (v, name) in [(&p.a, "a"), (&p.b, "b")] {
        crate::api::facts::check_code(v, name)?;
    }
    let series = state
        .db
        .run(move |h| {
            let (subject, key, s) = match (p.story, p.outlet, p.entity, p.a, p.b) {
                (Some(s), ..) => {
                    // An id absorbed in a merge still finds its story.
                    let s = h.resolve_story(&s)?;
                    ("story", s.clone(), ToneSubject::Story(s))
                }
                (_, Some(o), ..) => ("outlet", o.clone(), ToneSubject::Outlet(o)),
                (_, _, Some(e), ..) => ("entity", e.clone(), ToneSubject::Entity(e)),
                (_, _, _, Some(a), Some(b)) => ("dyad", format!("{a}–{b}"), ToneSubject::Dyad(a, b)),
                _ => unreachable!("checked above"),
            };
            let points = h.tone_series(&s, len)?;
            Ok(ToneSeries { subject: subject.into(), key, period: period.into(), points })
        })
        .await?;
    Ok(Json(series))
}

/// What the UI needs to know about how the server is set up.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct UiConfig {
    /// The map tile URL template (`https://tile.openstreetmap.org/{z}/{x}/{y}.png`) given with
    /// `newsloom serve --tiles`; without it the map shows the offline country outlines only.
    pub tiles: Option<String>,
    /// Whether `/api/cluster-status` reports a scale-out pipeline (`newsloom serve --nats`).
    pub cluster_status: bool,
}

/// The UI's configuration.
#[utoipa::path(get, path = "/api/config", tag = "ui", responses((status = 200, body = UiConfig)))]
pub async fn config(State(state): State<AppState>, config: Option<Extension<UiConfig>>) -> Json<UiConfig> {
    let mut config = config.map(|Extension(c)| c).unwrap_or_default();
    config.cluster_status = state.cluster.is_some();
    Json(config)
}
