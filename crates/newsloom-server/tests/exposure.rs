//! The map, tone and filter endpoints (`/api/tone`, `/api/config`, `/api/articles` filters by
//! theme, tone and place) over the fixture store, on every store engine.

#[macro_use]
mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Backend, shared};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn get_with_headers(app: &Router, uri: &str) -> (StatusCode, Value, axum::http::HeaderMap) {
    let resp = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null), headers)
}

async fn get(app: &Router, uri: &str) -> Value {
    let (status, body, _) = get_with_headers(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    body
}

async fn bad(app: &Router, uri: &str) {
    let (status, body, _) = get_with_headers(app, uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
}

/// Every article's id with its analysis, as the API gives it.
async fn analysed(app: &Router) -> Vec<(String, Value)> {
    let page = get(app, "/api/articles").await;
    let mut out = vec![];
    for item in page["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap().to_string();
        let detail = get(app, &format!("/api/articles/{id}")).await;
        out.push((id, detail["analysis"].clone()));
    }
    out
}

fn ids(page: &Value) -> Vec<String> {
    let mut v: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
    v.sort();
    v
}

async fn articles_filter_by_theme_tone_and_place(b: Backend) {
    let Some(app) = shared(b) else { return };
    let all = analysed(&app).await;
    // What each filter should find, from the articles' own analyses.
    let expect = |keep: &dyn Fn(&Value) -> bool| {
        let mut v: Vec<String> = all.iter().filter(|(_, an)| keep(an)).map(|(id, _)| id.clone()).collect();
        v.sort();
        v
    };
    let tone = |an: &Value| an["tone"]["tone"].as_f64();
    let tones: Vec<f64> = all.iter().filter_map(|(_, an)| tone(an)).collect();
    assert_eq!(tones.len(), 3, "every fixture article is scored");
    let mid = (tones.iter().cloned().fold(f64::MAX, f64::min)
        + tones.iter().cloned().fold(f64::MIN, f64::max))
        / 2.0;
    let below = expect(&|an| tone(an).is_some_and(|t| t <= mid));
    assert!(!below.is_empty() && below.len() < 3, "the midpoint splits the articles: {tones:?}");
    assert_eq!(ids(&get(&app, &format!("/api/articles?tone_max={mid}")).await), below);
    assert_eq!(
        ids(&get(&app, &format!("/api/articles?tone_min={mid}")).await),
        expect(&|an| tone(an).is_some_and(|t| t >= mid))
    );

    let in_russia =
        expect(&|an| an["places"].as_array().unwrap().iter().any(|p| p["place"]["country"] == "RU"));
    assert!(!in_russia.is_empty(), "the fixtures name Moscow");
    assert_eq!(ids(&get(&app, "/api/articles?country=ru").await), in_russia);
    let at_moscow =
        expect(&|an| an["places"].as_array().unwrap().iter().any(|p| p["place"]["geonameid"] == 524_901));
    assert_eq!(ids(&get(&app, "/api/articles?geonameid=524901").await), at_moscow);
    assert!(ids(&get(&app, "/api/articles?geonameid=1").await).is_empty());

    let (_, first) =
        all.iter().find(|(_, an)| !an["themes"].as_array().unwrap().is_empty()).expect("a themed article");
    let code = first["themes"][0]["code"].as_str().unwrap().to_string();
    let themed = expect(&|an| an["themes"].as_array().unwrap().iter().any(|t| t["code"] == code.as_str()));
    let q = serde_urlencoded::to_string([("theme", &code)]).unwrap();
    assert_eq!(ids(&get(&app, &format!("/api/articles?{q}")).await), themed);
    assert!(ids(&get(&app, "/api/articles?theme=NO_SUCH_THEME").await).is_empty());

    for uri in ["/api/articles?country=Russia", "/api/articles?tone_min=low", "/api/articles?geonameid=x"] {
        bad(&app, uri).await;
    }
}

async fn tone_series_per_story_outlet_and_dyad(b: Backend) {
    let Some(app) = shared(b) else { return };
    let page = get(&app, "/api/articles?source=Harbor%20Gazette").await;
    let story = page["items"][0]["story"].as_str().unwrap().to_string();
    let series = get(&app, &format!("/api/tone?story={story}&period=day")).await;
    assert_eq!((series["subject"].as_str(), series["period"].as_str()), (Some("story"), Some("day")));
    let points = series["points"].as_array().unwrap();
    let counted: u64 = points.iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, 2, "both reports of the NATO story are dated and scored: {series}");
    assert!(points.iter().all(|p| p["period"].as_str().unwrap().len() == 10 && p["mean_tone"].is_number()));

    let outlet = get(&app, "/api/tone?outlet=Coastal%20Times&period=year").await;
    assert_eq!(outlet["points"][0]["period"], "2017");
    assert_eq!(outlet["points"][0]["count"], 1);

    // The NATO story's articles report Russia–NATO events; the harbour story none.
    let dyad = get(&app, "/api/tone?a=RUS&b=NATO&period=month").await;
    assert_eq!(dyad["subject"], "dyad");
    let n: u64 = dyad["points"].as_array().unwrap().iter().map(|p| p["count"].as_u64().unwrap()).sum();
    assert!((1..=2).contains(&n), "{dyad}");
    assert_eq!(get(&app, "/api/tone?a=RUS&b=USA").await["points"].as_array().unwrap().len(), 0);

    for uri in [
        "/api/tone",
        "/api/tone?story=x&outlet=y",
        "/api/tone?a=RUS",
        "/api/tone?a=R%20S&b=NATO",
        "/api/tone?story=x&period=week",
    ] {
        bad(&app, uri).await;
    }
}

async fn config_tells_the_tiles_and_the_policy_allows_only_them(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (_, config, headers) = get_with_headers(&app, "/api/config").await;
    assert!(config["tiles"].is_null(), "{config}");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
    assert!(csp.contains("img-src 'self' data:;"), "no tile host without --tiles: {csp}");

    let osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    let tiled = newsloom_server::with_tiles(app, Some(osm)).unwrap();
    let (_, config, headers) = get_with_headers(&tiled, "/api/config").await;
    assert_eq!(config["tiles"], osm);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("img-src 'self' data: https://tile.openstreetmap.org;"), "{csp}");
    assert!(csp.contains("script-src 'self';") && csp.contains("connect-src 'self';"), "{csp}");
    let (_, _, headers) = get_with_headers(&tiled, "/").await;
    assert_eq!(headers.get_all(header::CONTENT_SECURITY_POLICY).iter().count(), 1);
    assert!(
        newsloom_server::with_tiles(Router::new(), Some("https://x.org;script-src */{z}/{x}/{y}")).is_err()
    );
}

async fn ui_ships_leaflet_and_the_offline_base_map(b: Backend) {
    let Some(app) = shared(b) else { return };
    for (path, needle) in [
        ("/ui/leaflet.js", "Leaflet 1.9.4"),
        ("/ui/leaflet.css", ".leaflet-container"),
        ("/ui/topojson-client.min.js", "topojson"),
        ("/ui/countries-110m.json", "\"countries\""),
        ("/ui/map.js", "circleMarker"),
        ("/ui/tone.js", "createElementNS"),
    ] {
        let resp = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&bytes).contains(needle), "{path} lacks {needle}");
    }
    let resp = app
        .clone()
        .oneshot(Request::get("/ui/images/layers.png").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "image/png");
}

on_every_backend!(
    articles_filter_by_theme_tone_and_place,
    tone_series_per_story_outlet_and_dyad,
    config_tells_the_tiles_and_the_policy_allows_only_them,
    ui_ships_leaflet_and_the_offline_base_map,
);
