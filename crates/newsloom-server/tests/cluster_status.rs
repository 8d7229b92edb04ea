//! `GET /api/cluster-status`: 404 with a hint on a server that watches no pipeline; on one
//! started with a NATS server, the stages' lag and workers as JetStream reports them.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use newsloom_store::Location;
use serde_json::Value;
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let resp = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn without_nats_the_status_is_404_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let app = newsloom_server::router(dir.path(), None).unwrap();
    let (status, body) = get(&app, "/api/cluster-status").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("--nats"), "{body}");
    let (_, config) = get(&app, "/api/config").await;
    assert_eq!(config["cluster_status"], false, "{config}");
}

#[test]
fn with_nats_the_status_shows_each_stage_and_its_lag() {
    let Some(nats) = newsloom_queue::testing::TempNats::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let app = newsloom_server::router_watching(&Location::Dir(dir.path().to_path_buf()), None, &nats.url())
        .unwrap();
    rt.block_on(async {
        let (_, config) = get(&app, "/api/config").await;
        assert_eq!(config["cluster_status"], true, "{config}");
        let (status, body) = get(&app, "/api/cluster-status?interval_ms=5001").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

        let (status, body) = get(&app, "/api/cluster-status?interval_ms=0").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let stages: Vec<&str> =
            body["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
        assert_eq!(stages, ["extract", "analyse", "cluster", "store"]);
        assert_eq!(body["stages"][0]["pending"], 0);

        // Two raw items and no workers: the extract stage lags by two.
        let queue =
            newsloom_queue::Queue::connect(newsloom_queue::QueueConfig::new(&nats.url())).await.unwrap();
        let items = (0..2).map(|i| {
            let content = format!("Headline {i}\n\nSome body text for item {i}.");
            newsloom_ingest::IngestItem::Record(newsloom_model::RawRecord {
                id: newsloom_model::content_id(content.as_bytes()),
                origin: format!("item-{i}"),
                format: newsloom_model::InputFormat::Text,
                content,
                meta: Default::default(),
                warnings: vec![],
            })
        });
        newsloom_queue::publish::publish_items(&queue, items).await.unwrap();
        let (status, body) = get(&app, "/api/cluster-status?interval_ms=0").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["stages"][0]["pending"], 2, "{body}");
        assert_eq!(body["stages"][0]["workers"].as_array().unwrap().len(), 0);
    });
}
