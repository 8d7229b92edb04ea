//! The web UI: static files embedded at build time, so the binary is self-contained.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// (name, content type, bytes)
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../ui/app.js")),
    ("dom.js", "text/javascript; charset=utf-8", include_bytes!("../ui/dom.js")),
    ("pages.js", "text/javascript; charset=utf-8", include_bytes!("../ui/pages.js")),
    ("article.js", "text/javascript; charset=utf-8", include_bytes!("../ui/article.js")),
    ("dyad.js", "text/javascript; charset=utf-8", include_bytes!("../ui/dyad.js")),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../ui/map.js")),
    ("tone.js", "text/javascript; charset=utf-8", include_bytes!("../ui/tone.js")),
    ("articles.js", "text/javascript; charset=utf-8", include_bytes!("../ui/articles.js")),
    ("status.js", "text/javascript; charset=utf-8", include_bytes!("../ui/status.js")),
    ("icon.svg", "image/svg+xml", include_bytes!("../ui/icon.svg")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../ui/style.css")),
    ("chart.umd.min.js", "text/javascript; charset=utf-8", include_bytes!("../ui/vendor/chart.umd.min.js")),
    // Leaflet 1.9.4 and the offline base map (Natural Earth 1:110m countries as TopoJSON, from
    // world-atlas 2.0.2, drawn with topojson-client 3.1.0); licenses beside them in ui/vendor.
    ("leaflet.js", "text/javascript; charset=utf-8", include_bytes!("../ui/vendor/leaflet/leaflet.js")),
    ("leaflet.css", "text/css; charset=utf-8", include_bytes!("../ui/vendor/leaflet/leaflet.css")),
    (
        "topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../ui/vendor/topojson/topojson-client.min.js"),
    ),
    ("countries-110m.json", "application/json", include_bytes!("../ui/vendor/topojson/countries-110m.json")),
];

/// Leaflet's images, where its stylesheet (`/ui/leaflet.css`) refers to them.
const IMAGES: &[(&str, &[u8])] = &[
    ("layers.png", include_bytes!("../ui/vendor/leaflet/images/layers.png")),
    ("layers-2x.png", include_bytes!("../ui/vendor/leaflet/images/layers-2x.png")),
    ("marker-icon.png", include_bytes!("../ui/vendor/leaflet/images/marker-icon.png")),
    ("marker-icon-2x.png", include_bytes!("../ui/vendor/leaflet/images/marker-icon-2x.png")),
    ("marker-shadow.png", include_bytes!("../ui/vendor/leaflet/images/marker-shadow.png")),
];

const INDEX: &str = include_str!("../ui/index.html");

async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], INDEX)
        .into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, bytes)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "no-cache")], *bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn image(Path(name): Path<String>) -> Response {
    match IMAGES.iter().find(|(n, _)| *n == name) {
        Some((_, bytes)) => {
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-cache")], *bytes)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/ui/{name}", get(asset))
        .route("/ui/images/{name}", get(image))
}
