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
    ("status.js", "text/javascript; charset=utf-8", include_bytes!("../ui/status.js")),
    ("icon.svg", "image/svg+xml", include_bytes!("../ui/icon.svg")),
    ("style.css", "text/css; charset=utf-8", include_bytes!("../ui/style.css")),
    ("chart.umd.min.js", "text/javascript; charset=utf-8", include_bytes!("../ui/vendor/chart.umd.min.js")),
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

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(index)).route("/ui/{name}", get(asset))
}
