//! The API in-process (tower `oneshot`) over a store built through the pipeline.

#[macro_use]
mod common;

use common::{Backend, TestStore, shared};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "s3cret-token";

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value, headers)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, v)
}

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["status"], expected.as_u16(), "body: {body}");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "body: {body}");
}

async fn story_of_reset(app: &Router) -> String {
    let (_, page) = get(app, "/api/articles?source=Harbor%20Gazette").await;
    page["items"][0]["story"].as_str().expect("clustered").to_string()
}

async fn articles_list_filters_and_pages_with_a_stable_cursor(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (s, page) = get(&app, "/api/articles").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    assert!(page["next_cursor"].is_null());

    // Newest first, one at a time: the cursor walks all three without repeats.
    let mut seen = vec![];
    let mut uri = "/api/articles?limit=1".to_string();
    loop {
        let (s, page) = get(&app, &uri).await;
        assert_eq!(s, StatusCode::OK);
        seen.push(page["items"][0]["seq"].as_i64().unwrap());
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/articles?limit=1&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "{seen:?}");
    let (_, page) = get(&app, "/api/articles?order=oldest&limit=2").await;
    let cursor = page["next_cursor"].as_str().unwrap().to_string();
    let (_, rest) = get(&app, &format!("/api/articles?order=oldest&limit=2&cursor={cursor}")).await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["items"][0]["seq"].as_i64().unwrap() > page["items"][1]["seq"].as_i64().unwrap());

    let (_, page) = get(&app, "/api/articles?source=Northern%20Ledger").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["title"], "Moscow calls for new start in NATO ties");
    let (_, page) = get(&app, "/api/articles?from=2017-02-01&to=2017-12-31").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["source"], "Coastal Times");
    let (_, page) = get(&app, "/api/articles?language=fr").await;
    assert!(page["items"].as_array().unwrap().is_empty());
    let story = story_of_reset(&app).await;
    let (_, page) = get(&app, &format!("/api/articles?story={story}")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "both reset articles share a story");
}

async fn bad_parameters_are_400_with_a_clear_message(b: Backend) {
    let Some(app) = shared(b) else { return };
    for uri in [
        "/api/articles?from=2017-13-01",
        "/api/articles?from=yesterday",
        "/api/articles?limit=0",
        "/api/articles?limit=100000",
        "/api/articles?limit=ten",
        "/api/articles?cursor=abc",
        "/api/articles?order=sideways",
        "/api/stories?sort=random",
        "/api/stories?cursor=-1",
        "/api/stories?from=2017-1-1",
        "/api/stories?to=today",
        "/api/search",
        "/api/search?q=nato&from=2017",
        "/api/events?actor=R%25S",
        "/api/events?from=01-2017",
        "/api/events?limit=200&cursor=4900",
        "/api/dyad?a=RUS",
        "/api/dyad?a=RUS&b=NATO&period=week",
        "/api/quotes?limit=-3",
    ] {
        let (s, body) = get(&app, uri).await;
        assert_error(s, &body, StatusCode::BAD_REQUEST);
    }
    let (_, body) = get(&app, "/api/articles?from=yesterday").await;
    assert!(body["error"].as_str().unwrap().contains("YYYY-MM-DD"), "{body}");
}

async fn unknown_ids_and_paths_are_404(b: Backend) {
    let Some(app) = shared(b) else { return };
    for uri in
        ["/api/articles/nope", "/api/stories/nope", "/api/entities/nope", "/api/nothing-here", "/nowhere"]
    {
        let (s, body) = get(&app, uri).await;
        assert_error(s, &body, StatusCode::NOT_FOUND);
    }
}

async fn wrong_methods_are_405_in_the_error_shape(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (s, body, _) = send(&app, Request::delete("/api/stories").body(Body::empty()).unwrap()).await;
    assert_error(s, &body, StatusCode::METHOD_NOT_ALLOWED);
}

async fn one_article_has_its_body_metadata_and_analysis(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (_, page) = get(&app, "/api/articles?source=Harbor%20Gazette").await;
    let id = page["items"][0]["id"].as_str().unwrap();
    let (s, d) = get(&app, &format!("/api/articles/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["article"]["id"], id);
    assert_eq!(d["article"]["source"], "Harbor Gazette");
    assert!(d["article"]["body"].as_str().unwrap().contains("normal relations"));
    assert!(d["article"].get("raw").is_none(), "raw input is not served");
    let analysis = &d["analysis"];
    for key in ["entities", "mentions", "quotes", "events"] {
        assert!(analysis[key].is_array(), "{key} missing: {analysis}");
    }
    // Spans are char offsets into the body: each quote's span covers its text.
    let body: Vec<char> = d["article"]["body"].as_str().unwrap().chars().collect();
    for q in analysis["quotes"].as_array().unwrap() {
        let (start, end) =
            (q["span"]["start"].as_u64().unwrap() as usize, q["span"]["end"].as_u64().unwrap() as usize);
        assert!(end <= body.len() && start < end, "{q}");
    }
}

async fn stories_list_sorts_and_story_page_compares_outlets(b: Backend) {
    let Some(app) = shared(b) else { return };
    for sort in ["newest", "biggest", "outlets"] {
        let (s, page) = get(&app, &format!("/api/stories?sort={sort}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(page["items"].as_array().unwrap().len(), 2, "{sort}: {page}");
    }
    let (_, page) = get(&app, "/api/stories?sort=biggest&limit=1").await;
    let top = &page["items"][0];
    assert_eq!(top["size"], 2);
    let outlets: Vec<&str> =
        top["outlets"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(outlets, ["Harbor Gazette", "Northern Ledger"]);
    assert_eq!(page["next_cursor"], "1");
    let (_, rest) = get(&app, "/api/stories?sort=biggest&limit=1&cursor=1").await;
    assert_eq!(rest["items"][0]["size"], 1);
    assert!(rest["next_cursor"].is_null());

    // A range of days keeps the stories seen within it (the two-article one spans Jan 4–5).
    for (range, sizes) in [
        ("from=2017-02-01", vec![1]),
        ("to=2017-01-04", vec![2]),
        ("from=2017-01-05&to=2017-01-05", vec![2]),
        ("from=2017-01-01&to=2017-12-31", vec![2, 1]),
        ("from=2018-01-01", vec![]),
    ] {
        let (s, page) = get(&app, &format!("/api/stories?sort=biggest&{range}")).await;
        assert_eq!(s, StatusCode::OK);
        let got: Vec<i64> =
            page["items"].as_array().unwrap().iter().map(|s| s["size"].as_i64().unwrap()).collect();
        assert_eq!(got, sizes, "{range}");
    }

    let id = top["id"].as_str().unwrap();
    let (s, d) = get(&app, &format!("/api/stories/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["story"]["id"], id);
    let arts = d["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 2);
    assert!(arts[0]["published"].as_str() <= arts[1]["published"].as_str(), "time order");
    assert_eq!(d["comparison"]["outlets"].as_array().unwrap().len(), 2);
    // Every compared fact names only outlets of the story.
    for row in d["comparison"]["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .chain(d["comparison"]["events"].as_array().unwrap())
    {
        for o in row["outlets"].as_array().unwrap() {
            assert!(outlets.contains(&o.as_str().unwrap()), "{row}");
        }
    }
    assert!(d["entities"].is_array());
    // Quotes and events name their article by id, one of the story's; a compared quote names
    // the page's first quote with its key.
    let ids: Vec<&str> = arts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    let quotes = d["quotes"].as_array().unwrap();
    assert!(!quotes.is_empty(), "the Reset story has quotes");
    for q in quotes {
        assert!(ids.contains(&q["span"]["article"].as_str().unwrap()), "{q}");
        assert!(q.get("article").is_none(), "no article copy per quote: {q}");
    }
    let events = d["events"].as_array().unwrap();
    assert!(!events.is_empty(), "the Reset story has events");
    for e in events {
        let article = e["event"]["span"]["article"].as_str().unwrap();
        assert!(ids.contains(&article), "{e}");
        // Its sentence holds the event's span where it says (stored at ingest by the embedded
        // store, cut from the body by PostgreSQL's).
        let (_, a) = get(&app, &format!("/api/articles/{article}")).await;
        let body: Vec<char> = a["article"]["body"].as_str().unwrap().chars().collect();
        let chars = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap() as usize;
        let said: String =
            body[chars(&e["event"]["span"], "start")..chars(&e["event"]["span"], "end")].iter().collect();
        let s = &e["sentence"];
        let text: Vec<char> = s["text"].as_str().unwrap().chars().collect();
        assert_eq!(text[chars(s, "start")..chars(s, "end")].iter().collect::<String>(), said, "{e}");
    }
    let compared = d["comparison"]["quotes"].as_array().unwrap();
    assert!(!compared.is_empty());
    for row in compared {
        let q = &quotes[row["quote"].as_u64().unwrap() as usize];
        let outlet_of = |id: &str| arts.iter().find(|a| a["id"] == id).unwrap()["source"].clone();
        assert!(
            row["outlets"].as_array().unwrap().contains(&outlet_of(q["span"]["article"].as_str().unwrap())),
            "{row} {q}"
        );
    }
}

async fn search_has_snippets_facets_and_pages(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (s, r) = get(&app, "/api/search?q=NATO").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["total"], 2);
    let hit = &r["hits"][0];
    assert!(hit["snippet"].as_str().unwrap().to_lowercase().contains("nato"), "{hit}");
    assert!(!hit["highlights"].as_array().unwrap().is_empty());
    let sources: Vec<&str> =
        r["facets"]["source"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    assert!(sources.contains(&"Harbor Gazette") && sources.contains(&"Northern Ledger"), "{sources:?}");
    let (_, r) = get(&app, "/api/search?q=NATO&limit=1").await;
    assert_eq!(r["hits"].as_array().unwrap().len(), 1);
    let (_, r2) =
        get(&app, &format!("/api/search?q=NATO&limit=1&cursor={}", r["next_cursor"].as_str().unwrap())).await;
    assert_ne!(r["hits"][0]["id"], r2["hits"][0]["id"]);
    assert!(r2["next_cursor"].is_null());
    let (_, r) = get(&app, "/api/search?q=NATO&source=Northern%20Ledger").await;
    assert_eq!(r["total"], 1);
    let (_, r) = get(&app, "/api/search?q=harbour%20budget").await;
    assert_eq!(r["hits"][0]["source"], "Coastal Times");
}

async fn entities_quotes_events_and_dyads(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (s, stats) = get(&app, "/api/stats").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(stats["articles"], 3);
    assert_eq!(stats["ingest_enabled"], false);

    let (s, ents) = get(&app, "/api/entities").await;
    assert_eq!(s, StatusCode::OK);
    let items = ents["items"].as_array().unwrap();
    assert_eq!(items.len() as i64, stats["entities"].as_i64().unwrap().min(50));
    // The fixtures name people and organisations, so the analyser finds entities.
    assert!(!items.is_empty(), "{ents}");
    {
        let first = &items[0];
        let id = first["entity"]["id"].as_str().unwrap();
        let (s, e) = get(&app, &format!("/api/entities/{}", urlencode(id))).await;
        assert_eq!(s, StatusCode::OK, "{e}");
        assert_eq!(e["entity"]["id"], id);
        assert!(e["mentions"].as_i64().unwrap() >= 1);
        assert!(!e["articles"].as_array().unwrap().is_empty());
    }

    let (s, quotes) = get(&app, "/api/quotes").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(quotes["items"].as_array().unwrap().len() as i64, stats["quotes"].as_i64().unwrap());
    for q in quotes["items"].as_array().unwrap() {
        assert!(q["article"]["title"].is_string(), "{q}");
    }
    let (_, by_speaker) = get(&app, "/api/quotes?speaker=nobody-says-this").await;
    assert!(by_speaker["items"].as_array().unwrap().is_empty());

    let (s, events) = get(&app, "/api/events").await;
    assert_eq!(s, StatusCode::OK);
    for e in events["items"].as_array().unwrap() {
        assert!(e["reports"].as_i64().unwrap() >= 1);
        let sentence = &e["sentence"];
        assert!(sentence["text"].is_string(), "{e}");
    }
    let (s, _) = get(&app, "/api/events?actor=RUS&target=NATO&both=true&code=1&from=2017&to=2017-12").await;
    assert_eq!(s, StatusCode::OK);

    // The dyad of the first coded event's actors has points, and each links to its events.
    let first =
        &events["items"].as_array().expect("events").first().expect("the fixtures hold events")["event"];
    let (a, b) = (first["source_actor"].as_str().unwrap(), first["target_actor"].as_str().unwrap());
    let (s, dyad) = get(&app, &format!("/api/dyad?a={a}&b={b}&period=day")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(dyad["period"], "day");
    let points = dyad["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{dyad}");
    for p in points {
        let counts: i64 = p["quad_counts"].as_array().unwrap().iter().map(|n| n.as_i64().unwrap()).sum();
        assert_eq!(counts, p["events"].as_i64().unwrap());
        let (s, evs) = get(&app, p["events_url"].as_str().unwrap()).await;
        assert_eq!(s, StatusCode::OK);
        let listed = evs["items"].as_array().unwrap();
        assert_eq!(listed.len() as i64, p["events"].as_i64().unwrap(), "{p} {evs}");
        for e in listed {
            assert!(e["event"]["date"].as_str().unwrap().starts_with(p["period"].as_str().unwrap()));
        }
    }
    // Same series with the actors swapped: the dyad is undirected.
    let (_, swapped) = get(&app, &format!("/api/dyad?a={b}&b={a}&period=day")).await;
    let summary = |v: &Value| -> Vec<(Value, Value)> {
        v["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["period"].clone(), p["quad_counts"].clone()))
            .collect()
    };
    assert_eq!(summary(&swapped), summary(&dyad));
    let (_, month) = get(&app, &format!("/api/dyad?a={a}&b={b}&period=month")).await;
    assert!(month["points"][0]["period"].as_str().unwrap().len() == 7);
    let (_, none) = get(&app, &format!("/api/dyad?a={a}&b={b}&from=2030-01-01")).await;
    assert!(none["points"].as_array().unwrap().is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn openapi_spec_and_security_headers(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (s, spec, headers) = send(&app, Request::get("/api/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    for path in [
        "/api/articles",
        "/api/articles/{id}",
        "/api/search",
        "/api/stories/{id}",
        "/api/dyad",
        "/api/events",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing from the spec");
    }
    assert!(spec["paths"]["/api/articles"]["post"].is_object());
    // Every schema the spec refers to is defined in it.
    let text = spec.to_string();
    let schemas = &spec["components"]["schemas"];
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(schemas[name].is_object(), "the spec refers to schema {name}, which it does not define");
    }
    assert!(schemas["DyadSeriesPoint"].to_string().contains("events_url"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let (s, _, headers) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let resp = app.clone().oneshot(Request::get("/ui/app.js").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
    let (s, _) = get(&app, "/ui/../Cargo.toml").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

fn post(body: impl Into<Body>, token: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/api/articles").header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(body.into()).unwrap()
}

async fn ingest_is_disabled_without_a_token(b: Backend) {
    let Some(app) = shared(b) else { return };
    let body = serde_json::to_vec(&common::fixture_articles()[0]).unwrap();
    let (s, v, _) = send(&app, post(body, Some(TOKEN))).await;
    assert_error(s, &v, StatusCode::FORBIDDEN);
    assert!(v["error"].as_str().unwrap().contains("disabled"));
}

async fn ingest_requires_the_token_and_accepts_object_array_and_ndjson(b: Backend) {
    let Some(store) = TestStore::new(b) else { return };
    let app = store.router(Some(TOKEN));
    let fixtures = common::fixture_articles();
    let one = serde_json::to_vec(&fixtures[0]).unwrap();

    let (s, v, headers) = send(&app, post(one.clone(), None)).await;
    assert_error(s, &v, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    let (s, v, _) = send(&app, post(one.clone(), Some("wrong"))).await;
    assert_error(s, &v, StatusCode::FORBIDDEN);
    let (s, v, _) = send(&app, post(one.clone(), Some(&format!("{TOKEN}x")))).await;
    assert_error(s, &v, StatusCode::FORBIDDEN);

    // Searched before the ingest: the cached answer must not outlive the index it came from.
    let (_, r) = get(&app, "/api/search?q=harbour").await;
    assert_eq!(r["total"], 0);

    // One object.
    let (s, v, _) = send(&app, post(one.clone(), Some(TOKEN))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["summary"]["stored"], 1);
    let id = v["ids"][0].as_str().unwrap().to_string();
    let (s, a) = get(&app, &format!("/api/articles/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["article"]["source"], "Harbor Gazette");
    // The same again is a duplicate, not an error.
    let (s, v, _) = send(&app, post(one, Some(TOKEN))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["summary"]["duplicates"], 1);

    // An array, and NDJSON with one bad line.
    let (s, v, _) = send(&app, post(serde_json::to_vec(&json!([fixtures[1]])).unwrap(), Some(TOKEN))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["summary"]["stored"], 1);
    let ndjson = format!("{}\n{{not json\n", serde_json::to_string(&fixtures[2]).unwrap());
    let (s, v, _) = send(&app, post(ndjson, Some(TOKEN))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["summary"]["stored"], 1);
    assert_eq!(v["summary"]["rejected"], 1);
    let (_, stats) = get(&app, "/api/stats").await;
    assert_eq!(stats["articles"], 3);
    assert_eq!(stats["ingest_enabled"], true);
    // Ingested articles are searchable at once.
    let (_, r) = get(&app, "/api/search?q=harbour").await;
    assert_eq!(r["total"], 1);

    for bad in ["", "[1, 2", "42", "{\"title\": \"no text\"}"] {
        let (s, v, _) = send(&app, post(bad.to_string(), Some(TOKEN))).await;
        assert_error(s, &v, StatusCode::BAD_REQUEST);
    }
}

async fn oversize_bodies_are_413(b: Backend) {
    let Some(store) = TestStore::new(b) else { return };
    let app = store.router(Some(TOKEN));
    let big = vec![b' '; newsloom_server::MAX_BODY_BYTES + 1];
    let (s, v, _) = send(&app, post(big, Some(TOKEN))).await;
    assert_error(s, &v, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn places_and_events_by_place(b: Backend) {
    let Some(app) = shared(b) else { return };
    let (status, places) = get(&app, "/api/places").await;
    assert_eq!(status, StatusCode::OK, "{places}");
    let list = places.as_array().unwrap();
    let moscow = list.iter().find(|p| p["geonameid"] == 524_901).expect("Moscow is named");
    assert_eq!((moscow["country"].as_str(), moscow["admin1"].as_str()), (Some("RU"), Some("RU.48")));
    let (_, ru) = get(&app, "/api/places?country=RU").await;
    assert!(ru.as_array().unwrap().iter().all(|p| p["country"] == "RU"));
    // The whole world holds every located event, each inside the box; an empty patch of
    // ocean holds none.
    let (status, all) = get(&app, "/api/places/events?bbox=-180,-90,180,90").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    for item in all.as_array().unwrap() {
        assert!(item["event"]["action_geo"]["place"]["lat"].is_number(), "{item}");
    }
    let (_, none) = get(&app, "/api/places/events?bbox=-30,-40,-29,-39").await;
    assert_eq!(none, json!([]));
    for bad in [
        "/api/places/events",
        "/api/places/events?bbox=1,2,3",
        "/api/places/events?bbox=0,10,1,5",
        "/api/places/events?geonameid=1&role=nowhere",
        "/api/places?country=Russia",
    ] {
        let (status, body) = get(&app, bad).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
}

/// A story page reads the facts documents of stores written by older versions (mentions in
/// the document, no keys; and before that no event sentences) to the same page.
#[tokio::test]
async fn story_pages_of_older_facts_documents_are_the_same() {
    let store = TestStore::built(Backend::Sqlite, &common::fixture_articles()).unwrap();
    let newsloom_store::Location::Dir(dir) = &store.location else { unreachable!() };
    let app = store.router(None);
    let id = story_of_reset(&app).await;
    let (_, now) = get(&app, &format!("/api/stories/{id}")).await;
    assert!(!now["events"].as_array().unwrap().is_empty() && !now["entities"].as_array().unwrap().is_empty());

    let reader = newsloom_store::SqliteStore::open(dir).unwrap();
    let db = rusqlite::Connection::open(dir.join("newsloom.db")).unwrap();
    let rows: Vec<(i64, String)> = db
        .prepare("SELECT a.seq, a.id FROM articles a JOIN article_facts f ON f.seq = a.seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(rows.len() >= 2);
    for keep_sentences in [true, false] {
        for (seq, article) in &rows {
            let doc: Value =
                serde_json::from_str(&reader.facts_json_of_articles(&[article.as_str()]).unwrap()[0])
                    .unwrap();
            let mut mentions = reader.story_facts(article).unwrap().mentions;
            mentions.sort_by_key(|m| m.span.start);
            let mut old = json!({"mentions": mentions, "quotes": doc["quotes"], "events": doc["events"]});
            if keep_sentences {
                old["event_sentences"] = doc["event_sentences"].clone();
            }
            db.execute(
                "UPDATE article_facts SET doc = ?2, mentions = NULL WHERE seq = ?1",
                rusqlite::params![seq, old.to_string()],
            )
            .unwrap();
        }
        let (s, before) = get(&store.router(None), &format!("/api/stories/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(before, now, "event sentences stored: {keep_sentences}");
    }
}

on_every_backend!(
    articles_list_filters_and_pages_with_a_stable_cursor,
    bad_parameters_are_400_with_a_clear_message,
    unknown_ids_and_paths_are_404,
    wrong_methods_are_405_in_the_error_shape,
    one_article_has_its_body_metadata_and_analysis,
    stories_list_sorts_and_story_page_compares_outlets,
    search_has_snippets_facets_and_pages,
    entities_quotes_events_and_dyads,
    openapi_spec_and_security_headers,
    ingest_is_disabled_without_a_token,
    ingest_requires_the_token_and_accepts_object_array_and_ndjson,
    oversize_bodies_are_413,
    places_and_events_by_place
);
