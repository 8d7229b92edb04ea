//! A run stopped between batches and resumed must place every article in the same story as
//! one uninterrupted run: story decisions depend on the clusterer's state, which a restart
//! rebuilds from the store.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use newsloom_ingest::Reader;
use newsloom_pipeline::{ClusterRestore, Pipeline, Quiet, synth};
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

/// Ingests the first `take` items of the corpus (all with `None`) in one pipeline, saving the
/// clusterer's state every `save_every` stored articles; returns how the open restored it.
fn ingest_saving(db: &Path, corpus: &Path, take: Option<usize>, save_every: u64) -> ClusterRestore {
    let mut p = Pipeline::open(db).unwrap();
    p.batch_size = BATCH;
    p.save_state_every = save_every;
    let restore = p.cluster_restore();
    let items = Reader::new(vec![corpus.to_path_buf()]);
    match take {
        Some(n) => p.ingest(items.take(n), &Quiet).unwrap(),
        None => p.ingest(items, &Quiet).unwrap(),
    };
    restore
}

fn ingest(db: &Path, corpus: &Path, take: Option<usize>) {
    // Never saved: every open replays the whole store.
    ingest_saving(db, corpus, take, u64::MAX);
}

/// Article id → story id (resolved through merges), over the whole store.
fn stories(db: &Path) -> BTreeMap<String, String> {
    stored(db).into_iter().map(|(id, (story, _))| (id, story)).collect()
}

/// Article id → (story id resolved through merges, body), over the whole store.
fn stored(db: &Path) -> BTreeMap<String, (String, String)> {
    let store = SqliteStore::open(db).unwrap();
    let mut out = BTreeMap::new();
    let mut seq = 0;
    loop {
        let rows = store.scan_articles(seq, 1000, false).unwrap();
        let Some(last) = rows.last().map(|r| r.0) else { break };
        for (_, a) in rows {
            let story = store.resolve_story(a.story.as_deref().unwrap()).unwrap();
            assert!(out.insert(a.id, (story, a.body)).is_none(), "an article stored twice");
        }
        seq = last;
    }
    out
}

/// Compares a run stopped after each of `stops` items (whole batches, as a crash leaves the
/// store) with an uninterrupted one.
fn check(n: u64, seed: u64, stops: &[usize]) {
    check_saving(n, seed, stops, u64::MAX);
}

/// [`check`], with the clusterer's state saved every `save_every` stored articles; returns
/// how each reopening restored it.
fn check_saving(n: u64, seed: u64, stops: &[usize], save_every: u64) -> Vec<ClusterRestore> {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), n, seed);
    check_corpus(dir.path(), &corpus, n, stops, save_every)
}

fn check_corpus(dir: &Path, corpus: &Path, n: u64, stops: &[usize], save_every: u64) -> Vec<ClusterRestore> {
    let whole = dir.join("whole");
    ingest(&whole, corpus, None);
    let resumed = dir.join("resumed");
    let mut restores = vec![];
    for &stop in stops {
        restores.push(ingest_saving(&resumed, corpus, Some(stop), save_every));
    }
    restores.push(ingest_saving(&resumed, corpus, None, save_every));
    let (a, b) = (stories(&whole), stories(&resumed));
    assert_eq!(a.len(), n as usize);
    let differ: Vec<_> = a.iter().filter(|(id, s)| b.get(*id) != Some(s)).take(5).collect();
    assert!(differ.is_empty(), "{} articles in other stories after a restart, e.g. {differ:?}", {
        a.iter().filter(|(id, s)| b.get(*id) != Some(s)).count()
    });
    assert_eq!(a, b);
    // Bodies too: what extraction learnt from the source's earlier pages (its templates)
    // carries over a restart.
    let (a, b) = (stored(&whole), stored(&resumed));
    let differ = a.iter().filter(|(id, x)| b.get(*id) != Some(x)).count();
    assert_eq!(differ, 0, "{differ} articles stored with another body or story after a restart");
    restores
}

#[test]
fn restarts_past_background_threshold_keep_stories() {
    // Past 500 stored articles a start used to skip the background warm-up the uninterrupted
    // run had, and replayed only a recent window: 220 of 1,200 articles changed story.
    check(700, 5, &[510, 610]);
}

#[test]
fn restarts_resume_from_the_saved_clusterer_state() {
    // Saves every 100 stored articles (and at the end of a run that stored 100 since): each
    // reopening resumes from the last state saved and replays only the articles after it. (Stops at whole
    // batches of the uninterrupted run: a batch is clustered in publication order, so other
    // batch boundaries may place an article differently whatever the restart does.)
    let stops = [150, 325, 600];
    let restores = check_saving(700, 7, &stops, 100);
    assert_eq!(restores[0], ClusterRestore { seconds: restores[0].seconds, ..Default::default() });
    for (r, stop) in restores[1..].iter().zip(stops) {
        assert!(r.resumed_at.is_some() && r.replayed < 100, "reopened after {stop}: {r:?}");
    }
}

#[test]
fn a_saved_state_of_another_store_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_a = corpus(dir.path(), 150, 1);
    let a = dir.path().join("a");
    ingest_saving(&a, &corpus_a, None, 50);
    let b = dir.path().join("b");
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    let corpus_b = corpus(&dir.path().join("other"), 120, 2);
    ingest_saving(&b, &corpus_b, None, u64::MAX);
    std::fs::copy(a.join("cluster-state.bin"), b.join("cluster-state.bin")).unwrap();
    let restore = Pipeline::open(&b).unwrap().cluster_restore();
    assert_eq!((restore.resumed_at, restore.replayed), (None, 120));
}

/// Copies of an item one, two and three batches apart: the first copy is still being
/// processed (not stored) when each later one is read, at every pipeline depth.
#[test]
fn copies_in_batches_still_in_flight_are_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let lines: Vec<String> = (0..12).map(|i| synth::article_jsonl(i, 7)).collect();
    // Batches of 2: item 0 comes again in batches 1, 2 and 3; item 3 in batch 2.
    for i in [0, 1, 2, 0, 4, 0, 3, 3, 0, 5] {
        writeln!(f, "{}", lines[i]).unwrap();
    }
    drop(f);
    let db = dir.path().join("db");
    let mut p = Pipeline::open(&db).unwrap();
    p.batch_size = 2;
    let summary = p.ingest(Reader::new(vec![path]), &Quiet).unwrap();
    assert_eq!((summary.read, summary.stored, summary.duplicates), (10, 6, 4));
    assert_eq!(stories(&db).len(), 6);
}

/// Every page of an outlet carries the same sentence, which extraction learns as the outlet's
/// template and drops from its later pages. A run resumed from a saved state (one saved after
/// every batch, so none is replayed) drops it from the same pages as an uninterrupted run,
/// and a second uninterrupted run learns in the same order as the first, whatever the threads'
/// timing.
#[test]
fn restarts_keep_what_extraction_learnt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    const NOTE: &str = "Readers can reach the newsroom of this paper at any hour of the day.";
    for i in 0..300 {
        let mut item: serde_json::Value = serde_json::from_str(&synth::article_jsonl(i, 11)).unwrap();
        let (lead, rest) = item["text"].as_str().unwrap().split_once("\n\n").unwrap();
        let text = format!("{lead}\n\n{NOTE}\n\n{rest}");
        item["text"] = text.into();
        writeln!(f, "{item}").unwrap();
    }
    drop(f);
    check_corpus(dir.path(), &path, 300, &[100, 200], BATCH as u64);
    let bodies = stored(&dir.path().join("whole"));
    let with_note = bodies.values().filter(|(_, body)| body.contains(NOTE)).count();
    // Each outlet's first pages keep it; once learnt, the rest drop it.
    assert!(with_note > 0 && with_note < 100, "{with_note} of 300 bodies keep the template sentence");
    let again = dir.path().join("again");
    ingest(&again, &path, None);
    assert_eq!(stored(&again), bodies);
}
