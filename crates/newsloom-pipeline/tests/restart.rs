//! A run stopped between batches and resumed must place every article in the same story as
//! one uninterrupted run: story decisions depend on the clusterer's state, which a restart
//! rebuilds from the store.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use newsloom_ingest::Reader;
use newsloom_pipeline::{Pipeline, Quiet, synth};
use newsloom_store::SqliteStore;

const BATCH: usize = 25;

fn corpus(dir: &Path, n: u64, seed: u64) -> PathBuf {
    let path = dir.join("corpus.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..n {
        writeln!(f, "{}", synth::article_jsonl(i, seed)).unwrap();
    }
    path
}

/// Ingests the first `take` items of the corpus (all with `None`) in one pipeline.
fn ingest(db: &Path, corpus: &Path, take: Option<usize>) {
    let mut p = Pipeline::open(db).unwrap();
    p.batch_size = BATCH;
    let items = Reader::new(vec![corpus.to_path_buf()]);
    match take {
        Some(n) => p.ingest(items.take(n), &Quiet).unwrap(),
        None => p.ingest(items, &Quiet).unwrap(),
    };
}

/// Article id → story id (resolved through merges), over the whole store.
fn stories(db: &Path) -> BTreeMap<String, String> {
    let store = SqliteStore::open(db).unwrap();
    let mut out = BTreeMap::new();
    let mut seq = 0;
    loop {
        let rows = store.scan_articles(seq, 1000, false).unwrap();
        let Some(last) = rows.last().map(|r| r.0) else { break };
        for (_, a) in rows {
            let story = store.resolve_story(a.story.as_deref().unwrap()).unwrap();
            assert!(out.insert(a.id, story).is_none(), "an article stored twice");
        }
        seq = last;
    }
    out
}

/// Compares a run stopped after each of `stops` items (whole batches, as a crash leaves the
/// store) with an uninterrupted one.
fn check(n: u64, seed: u64, stops: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), n, seed);
    let whole = dir.path().join("whole");
    ingest(&whole, &corpus, None);
    let resumed = dir.path().join("resumed");
    for &stop in stops {
        ingest(&resumed, &corpus, Some(stop));
    }
    ingest(&resumed, &corpus, None);
    let (a, b) = (stories(&whole), stories(&resumed));
    assert_eq!(a.len(), n as usize);
    let differ: Vec<_> = a.iter().filter(|(id, s)| b.get(*id) != Some(s)).take(5).collect();
    assert!(differ.is_empty(), "{} articles in other stories after a restart, e.g. {differ:?}", {
        a.iter().filter(|(id, s)| b.get(*id) != Some(s)).count()
    });
    assert_eq!(a, b);
}

#[test]
fn restarts_past_background_threshold_keep_stories() {
    // Past 500 stored articles a start used to skip the background warm-up the uninterrupted
    // run had, and replayed only a recent window: 220 of 1,200 articles changed story.
    check(700, 5, &[510, 610]);
}
