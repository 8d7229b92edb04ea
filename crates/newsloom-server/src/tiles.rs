//! Map tiles a user configures (`newsloom serve --tiles URL_TEMPLATE`): told to the UI through
//! `/api/config`, and allowed as images by the Content-Security-Policy (only then: by default
//! the map draws the country outlines shipped with the UI and loads nothing from elsewhere).

use axum::http::{HeaderValue, header};
use axum::{Extension, Router};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::tone::UiConfig;

/// The origin (`https://tile.example.org`) tiles are loaded from, checked to be a plain
/// http(s) URL template with `{z}`, `{x}` and `{y}`. A `{s}` subdomain placeholder becomes a
/// wildcard (`https://*.tile.example.org`).
pub fn tile_origin(template: &str) -> Result<String, String> {
    let bad = |why: &str| format!("--tiles {template:?}: {why}");
    let (scheme, rest) =
        template.split_once("://").ok_or_else(|| bad("must start with https:// or http://"))?;
    if scheme != "https" && scheme != "http" {
        return Err(bad("must start with https:// or http://"));
    }
    for part in ["{z}", "{x}", "{y}"] {
        if !template.contains(part) {
            return Err(bad("must hold {z}, {x} and {y}"));
        }
    }
    let host = &rest[..rest.find('/').ok_or_else(|| bad("needs a path after the host"))?];
    let host = host.replace("{s}", "*");
    // The host goes into a header: nothing but a host name, port and the wildcard.
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*');
    if host.is_empty() || !host.chars().all(ok) || host[1..].contains('*') && !host.starts_with("*.") {
        return Err(bad("the host must be a plain host name (with an optional {s}. subdomain)"));
    }
    if template.chars().any(|c| c.is_whitespace() || c == '"' || c == '\'' || c == ';') {
        return Err(bad("must not hold spaces, quotes or `;`"));
    }
    Ok(format!("{scheme}://{host}"))
}

/// The policy with `origin` allowed for images.
pub fn csp_with_images_from(origin: &str) -> String {
    crate::CSP.replacen("img-src 'self' data:", &format!("img-src 'self' data: {origin}"), 1)
}

/// The application with tiles from `template` (if any) configured.
pub fn with_tiles(app: Router, template: Option<&str>) -> Result<Router, String> {
    let Some(template) = template else { return Ok(app) };
    let csp = csp_with_images_from(&tile_origin(template)?);
    let csp = HeaderValue::from_str(&csp).map_err(|e| format!("--tiles: {e}"))?;
    Ok(app
        .layer(Extension(UiConfig { tiles: Some(template.to_string()), ..Default::default() }))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_templates_give_their_origin_or_are_refused() {
        let osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
        assert_eq!(tile_origin(osm).unwrap(), "https://tile.openstreetmap.org");
        assert_eq!(tile_origin("https://{s}.tiles.example/{z}/{x}/{y}").unwrap(), "https://*.tiles.example");
        assert_eq!(tile_origin("http://localhost:8081/t/{z}/{x}/{y}.png").unwrap(), "http://localhost:8081");
        for bad in [
            "ftp://x.org/{z}/{x}/{y}",
            "https://x.org/{z}/{x}.png",
            "https://x.org;script-src *;/{z}/{x}/{y}",
            "https://x.org {z}/{x}/{y}",
            "https://a*b.org/{z}/{x}/{y}",
            "tile.openstreetmap.org/{z}/{x}/{y}.png",
        ] {
            assert!(tile_origin(bad).is_err(), "{bad}");
        }
        let csp = csp_with_images_from("https://tile.openstreetmap.org");
        assert!(csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"), "{csp}");
        assert!(csp.contains("script-src 'self';"));
    }
}
