//! Shared by the crash and fault tests: a deterministic corpus, the binary, and the views of a
//! store they compare.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use newsloom_pipeline::synth;
use newsloom_store::SqliteStore;

/// `newsloom --db <db>`.
pub fn newsloom(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsloom"));
    cmd.arg("--db").arg(db);
    cmd
}

/// Writes `n` synthetic articles (about 8 per story) to `path`: every tenth is a reprint of
/// the one three before it under another outlet, so near-duplicate state is exercised too.
pub fn write_corpus(path: &Path, n: u64, seed: u64) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let line = if i % 10 == 9 {
            let mut v: serde_json::Value = serde_json::from_str(&synth::article_jsonl(i - 3, seed)).unwrap();
            v["url"] = format!("https://reprints.example/{i}").into();
            v["source"] = "Reprint Wire".into();
            let text = format!("{} (Reprinted.)", v["text"].as_str().unwrap());
            v["text"] = text.into();
            v.to_string()
        } else {
            synth::article_jsonl(i, seed)
        };
        writeln!(f, "{line}").unwrap();
    }
    f.flush().unwrap();
}

/// Every stored article, in store order: `(seq, id, story as stored)`.
pub fn articles(store: &SqliteStore) -> Vec<(i64, String, String)> {
    let mut out = Vec::new();
    let mut seq = 0;
    loop {
        let rows = store.scan_articles(seq, 2000, false).unwrap();
        let Some(last) = rows.last().map(|r| r.0) else { break };
        out.extend(rows.into_iter().map(|(s, a)| (s, a.id, a.story.unwrap_or_default())));
        seq = last;
    }
    out
}

/// Article id → its story now (through merge redirects). Panics on an id stored twice.
pub fn story_map(store: &SqliteStore) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (_, id, story) in articles(store) {
        let now = store.resolve_story(&story).unwrap();
        assert!(out.insert(id.clone(), now).is_none(), "article {id} stored twice");
    }
    out
}

/// Story id → size, from the stories table (the per-story counts a reader sees).
pub fn story_sizes(store: &SqliteStore) -> BTreeMap<String, i64> {
    let q = newsloom_store::StoryQuery { limit: 10_000_000, ..Default::default() };
    store.stories(&q).unwrap().into_iter().map(|s| (s.id, s.size)).collect()
}

/// The search index holds exactly the articles up to the seq it says it has indexed; with
/// `level`, that is every stored article.
pub fn check_index(db: &Path, level: bool) {
    let store = SqliteStore::open(db).unwrap();
    let index = newsloom_search::SearchIndex::open(db).unwrap();
    let indexed = index.indexed_seq().unwrap();
    let upto = articles(&store).iter().filter(|a| a.0 <= indexed).count() as u64;
    assert_eq!(index.num_docs(), upto, "index documents against stored articles up to seq {indexed}");
    if level {
        assert_eq!(indexed, store.max_seq().unwrap(), "the index lags the store");
    }
}
