//! The JSON API under `/api`.

pub mod articles;
pub mod cluster;
pub mod facts;
pub mod ingest;
pub mod places;
pub mod search;
pub mod stories;
pub mod tone;
pub mod types;

use axum::Json;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::AppState;
use crate::error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(title = "newsloom", description = "News intelligence over the embedded store: articles, \
        stories, entities, quotes, events and dyads. Errors are `{\"error\": \"...\", \"status\": N}`. \
        Lists page with `cursor`: pass the previous page's `next_cursor`."),
    paths(articles::list, articles::get, ingest::ingest, search::search, search::stats, stories::list,
        stories::get, facts::entities, facts::entity, facts::quotes, facts::events, facts::dyad, places::places, places::events,
        tone::tone, tone::config, cluster::status),
    // Enums used only as query parameters are referenced by name: register them.
    components(schemas(articles::Order, newsloom_store::StoryOrder, facts::Period)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such API endpoint; see /api/openapi.json")
}

pub fn router(state: AppState) -> Router<AppState> {
    let post = axum::routing::post(ingest::ingest)
        .route_layer(axum::middleware::from_fn_with_state(state, ingest::require_token));
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(search::stats))
        .route("/api/search", get(search::search))
        .route("/api/articles", get(articles::list).merge(post))
        .route("/api/articles/{id}", get(articles::get))
        .route("/api/stories", get(stories::list))
        .route("/api/stories/{id}", get(stories::get))
        .route("/api/entities", get(facts::entities))
        .route("/api/entities/{id}", get(facts::entity))
        .route("/api/quotes", get(facts::quotes))
        .route("/api/events", get(facts::events))
        .route("/api/dyad", get(facts::dyad))
        .route("/api/places", get(places::places))
        .route("/api/places/events", get(places::events))
        .route("/api/tone", get(tone::tone))
        .route("/api/config", get(tone::config))
        .route("/api/cluster-status", get(cluster::status))
        .route("/api/{*rest}", axum::routing::any(not_found))
}
