//! Ways in for the fuzz targets (`fuzz/` at the repository root): the parsing of untrusted
//! request input exactly as the handlers run it, without a store, a socket or a runtime.
//! Not an API: nothing outside the fuzz targets and tests should call these.

use std::fmt::Debug;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Request, Uri};
use newsloom_ingest::IngestItem;
use serde::de::DeserializeOwned;

use crate::api::{articles, cluster, facts, places, search, stories, tone};
use crate::error::{ApiError, Q, check_date_prefix, check_day, page_limit};

/// The endpoints taking query parameters, as [`parse_query`] names them (the path after `/api/`).
pub const QUERY_ENDPOINTS: [&str; 11] = [
    "articles",
    "search",
    "stories",
    "entities",
    "quotes",
    "events",
    "dyad",
    "places",
    "places/events",
    "tone",
    "cluster-status",
];

/// Parses the query string of a request to `/api/{endpoint}` into that endpoint's parameters
/// with the handlers' own extractor ([`Q`]): the parameters (`Debug`-printed) or the 400
/// message. `Err` too when the bytes are no valid request target (the HTTP server refuses
/// those before any handler runs).
pub fn parse_query(endpoint: &str, query: &[u8]) -> Result<String, String> {
    let mut target = format!("/api/{endpoint}?").into_bytes();
    target.extend_from_slice(query);
    let uri = Uri::try_from(target).map_err(|e| format!("invalid request target: {e}"))?;
    let (mut parts, ()) = Request::get(uri).body(()).map_err(|e| e.to_string())?.into_parts();
    let parts = &mut parts;
    match endpoint {
        "articles" => extract::<articles::ArticleParams>(parts),
        "search" => extract::<search::SearchParams>(parts),
        "stories" => extract::<stories::StoryParams>(parts),
        "entities" => extract::<facts::EntityParams>(parts),
        "quotes" => extract::<facts::QuoteParams>(parts),
        "events" => extract::<facts::EventParams>(parts),
        "dyad" => extract::<facts::DyadParams>(parts),
        "places" => extract::<places::PlaceParams>(parts),
        "places/events" => extract::<places::PlaceEventParams>(parts),
        "tone" => extract::<tone::ToneParams>(parts),
        "cluster-status" => extract::<cluster::StatusParams>(parts),
        other => Err(format!("no endpoint {other:?}")),
    }
}

fn extract<T: DeserializeOwned + Debug>(parts: &mut Parts) -> Result<String, String> {
    let extracting = pin!(Q::<T>::from_request_parts(parts, &()));
    match extracting.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(Ok(Q(params))) => Ok(format!("{params:?}")),
        Poll::Ready(Err(e)) => Err(e.message),
        Poll::Pending => unreachable!("extracting query parameters never waits"),
    }
}

/// Runs the handlers' value checks (days, date prefixes, page sizes, cursors, countries,
/// actor codes, bounding boxes) on every value of an urlencoded query string; `Err` when it does not decode.
pub fn check_query_values(query: &str) -> Result<Vec<Result<(), String>>, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for (name, value) in pairs {
        let v = Some(value);
        let number = v.as_deref().and_then(|s| s.parse::<usize>().ok());
        for result in [
            check_day(&v, &name),
            check_date_prefix(&v, &name),
            page_limit(number, 50, 500).map(drop),
            stories::parse_offset(v.as_deref()).map(drop),
            places::check_country(&v),
            facts::check_code(&v, &name),
            v.as_deref().map(places::parse_bbox).transpose().map(drop).map_err(ApiError::bad_request),
        ] {
            results.push(result.map_err(|e| e.message));
        }
    }
    Ok(results)
}

/// Splits a `POST /api/articles` body into items as the handler does: the records and
/// rejections it holds, or the 400 message for the whole body.
pub fn parse_body(body: &[u8]) -> Result<Vec<IngestItem>, String> {
    crate::api::ingest::parse_body(body).map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_parse_as_the_handlers_parse_them() {
        let p = parse_query("articles", b"source=BBC&limit=5&order=oldest").unwrap();
        assert!(p.contains("BBC") && p.contains("Oldest"), "{p}");
        let e = parse_query("articles", b"limit=lots").unwrap_err();
        assert!(e.starts_with("bad query parameters"), "{e}");
        assert!(parse_query("stories", b"sort=nonsense").is_err());
        assert!(parse_query("search", b"q=a b").is_err(), "a space is no valid request target");
        for endpoint in QUERY_ENDPOINTS {
            let query: &[u8] = if endpoint == "dyad" { b"a=RUS&b=UKR" } else { b"" };
            parse_query(endpoint, query).unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        }
        let checks = check_query_values("from=2021-03-04&country=RU").unwrap();
        assert!(checks.iter().any(Result::is_ok) && checks.iter().any(Result::is_err));
    }

    #[test]
    fn bodies_split_as_the_handler_splits_them() {
        assert_eq!(parse_body(br#"[{"text":"a"},{"text":"b"}]"#).unwrap().len(), 2);
        assert!(parse_body(b"  ").is_err());
    }
}
