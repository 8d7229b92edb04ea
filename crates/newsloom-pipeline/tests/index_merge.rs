//! An ingest that grows the search index by a quarter or more merges it into one segment (every
//! search pays per segment); a small one leaves the merging to tantivy's policy.

use std::io::Write;

use newsloom_ingest::Reader;
use newsloom_pipeline::{Pipeline, Quiet, synth};
use newsloom_search::SearchQuery;

#[test]
fn large_ingests_leave_one_segment_small_ones_do_not_rewrite_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&corpus).unwrap());
    for i in 0..100 {
        writeln!(f, "{}", synth::article_jsonl(i, 7)).unwrap();
    }
    drop(f);
    let db = dir.path().join("db");
    let run = |skip: usize, take: usize| {
        let mut p = Pipeline::open(&db).unwrap();
        p.batch_size = 10;
        let items = Reader::new(vec![corpus.clone()]).skip(skip).take(take);
        let summary = p.ingest(items, &Quiet).unwrap();
        assert_eq!(summary.stored, take as u64);
        let index = p.index().unwrap();
        (index.num_segments().unwrap(), index.num_docs())
    };
    assert_eq!(run(0, 60), (1, 60), "the first run added everything: merged");
    let (segments, docs) = run(60, 10);
    assert_eq!(docs, 70);
    assert!(segments >= 2, "10 added to 60: not merged, {segments} segments");
    assert_eq!(run(70, 30), (1, 100), "30 added to 70: merged");
    let p = Pipeline::open(&db).unwrap();
    let first = synth::article_jsonl(0, 7);
    let title: serde_json::Value = serde_json::from_str(&first).unwrap();
    let word = title["title"].as_str().unwrap().split_whitespace().last().unwrap().to_string();
    assert!(p.index().unwrap().search(&SearchQuery::text(&word)).unwrap().total >= 1);
}
