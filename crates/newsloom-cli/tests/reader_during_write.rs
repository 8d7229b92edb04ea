//! A reader (what the server does per request) while `newsloom ingest` commits batches of a
//! fixed size: every answer must come from whole batches. The article count is a multiple of
//! the batch size, per-language counts add up to it, and a story's size equals the articles
//! listed with it.

mod support;

use std::collections::BTreeSet;
use std::process::Stdio;

use newsloom_store::{SqliteStore, StoryOrder, StoryQuery};
use support::{newsloom, write_corpus};

const ARTICLES: u64 = 300;
const BATCH: i64 = 20;

#[test]
fn reads_during_an_ingest_see_whole_batches_only() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus, ARTICLES, 33);
    let db = dir.path().join("db");
    // Created before the writer starts, so the reader never races the schema's creation.
    let store = SqliteStore::open(&db).unwrap();

    let mut child = newsloom(&db)
        .args(["ingest", "--batch-size", &BATCH.to_string()])
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (mut reads, mut seen) = (0u64, BTreeSet::new());
    let newest = StoryQuery { order: StoryOrder::Newest, limit: 5, ..Default::default() };
    loop {
        let done = child.try_wait().unwrap().is_some();
        let stats = store.stats().unwrap();
        assert_eq!(stats.articles % BATCH, 0, "{} articles: a partial batch is visible", stats.articles);
        let by_language: i64 = stats.languages.iter().map(|l| l.1).sum();
        assert_eq!(by_language, stats.articles, "counts from two states in one answer");
        seen.insert(stats.articles);
        // The newest stories are the ones the writer is adding to.
        for row in store.stories(&newest).unwrap() {
            let (story, articles) = store.story(&row.id).unwrap().expect("a listed story exists");
            assert_eq!(story.size as usize, articles.len(), "story {} size against its articles", story.id);
        }
        reads += 1;
        if done {
            break;
        }
    }
    let status = child.wait_with_output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    assert_eq!(store.stats().unwrap().articles, ARTICLES as i64);
    // Reads must have interleaved with the writes, or the test proved nothing.
    assert!(seen.len() >= 5, "only {} distinct states seen in {reads} reads", seen.len());
    println!("{reads} reads over {} states of the store", seen.len());
}
