//! A small store built through the real pipeline from fixture articles written for these tests.

#![allow(dead_code)]

use std::path::Path;

use newsloom_ingest::{IngestItem, parse_jsonl_line};
use newsloom_pipeline::{Pipeline, Quiet};
use serde_json::{Value, json};

/// Two outlets reporting one story, and an unrelated article from a third.
pub fn fixture_articles() -> Vec<Value> {
    vec![
        json!({
            "title": "Russia urges reset with NATO as ministers meet in Brussels",
            "source": "Harbor Gazette",
            "url": "https://gazette.example/russia-nato-reset",
            "date": "2017-01-04T12:24:00+03:00",
            "language": "en",
            "text": "MOSCOW — Russia on Wednesday urged a reset of relations with NATO, the Russian Foreign Ministry said.\n\n\
                \"We need to build normal relations with the alliance,\" Andrei Kelin told Interfax on Wednesday. \
                Russia criticized NATO for moving troops closer to its borders. \
                NATO defense ministers met in Brussels to discuss the request from Moscow.\n\n\
                Sergei Lavrov said Russia was ready to talk to NATO."
        }),
        json!({
            "title": "Moscow calls for new start in NATO ties",
            "source": "Northern Ledger",
            "url": "https://ledger.example/moscow-nato",
            "date": "2017-01-05T09:00:00Z",
            "language": "en",
            "text": "Russia has called for a reset of relations with NATO, the Russian Foreign Ministry said on Wednesday.\n\n\
                \"We need to build normal relations with the alliance,\" Andrei Kelin told Interfax. \
                Russia accused NATO of provoking tension along its borders. \
                NATO said it would consider the Russian request at a meeting in Brussels."
        }),
        json!({
            "title": "City council approves new harbour budget",
            "source": "Coastal Times",
            "date": "2017-02-10",
            "language": "en",
            "text": "The city council on Friday approved a new budget for the harbour, after a long debate.\n\n\
                \"This budget keeps the port open for business,\" mayor Anna Berg said after the vote. \
                The harbour authority will hire forty new workers this spring."
        }),
    ]
}

pub fn items(values: &[Value]) -> Vec<IngestItem> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            match parse_jsonl_line(&serde_json::to_vec(v).unwrap(), &format!("fixture:{}", i + 1)) {
                Ok(r) => IngestItem::Record(r),
                Err(e) => IngestItem::Rejected(e),
            }
        })
        .collect()
}

/// Fills the store in `dir` with `values` through the pipeline.
pub fn build_store(dir: &Path, values: &[Value]) {
    let mut p = Pipeline::open(dir).expect("open pipeline");
    let summary = p.ingest(items(values).into_iter(), &Quiet).expect("ingest");
    assert_eq!(summary.stored as usize, values.len(), "fixtures should all be stored: {summary:?}");
}
