//! Where a story page's store time goes, per story: the story row and its article list, each
//! article's facts (as `story_facts` reads them, and from the fact tables as stores written
//! before `article_facts` read them), all of them at once as the story page reads them, and each
//! article's body (for event sentences).
//!
//! `cargo run --release -p newsloom-store --example story_page_cost -- STORE_DIR STORY_IDS [N]`
//! (STORY_IDS: one story id per line; the first N, default 500, are read, at most 60 articles
//! each as the story page does). Run it twice: the first pass mostly measures the OS cache.

use std::time::{Duration, Instant};

use newsloom_store::SqliteStore;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(ids)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: story_page_cost STORE_DIR STORY_IDS [N]");
        std::process::exit(2);
    };
    let store = SqliteStore::open(std::path::Path::new(dir)).expect("open store");
    let ids = std::fs::read_to_string(ids).expect("read story ids");
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(500);
    let labels = ["story", "story_facts", "facts from tables", "article_body", "facts_of_articles"];
    let mut spent = [Duration::ZERO; 5];
    let (mut stories, mut articles) = (0, 0);
    let mut timed = |i: usize, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        spent[i] += t.elapsed();
    };
    for id in ids.lines().take(n) {
        let mut found = None;
        timed(0, &mut || found = store.story(id).expect("story"));
        let Some((_, rows)) = found else { continue };
        stories += 1;
        let ids: Vec<&str> = rows.iter().take(60).map(|a| a.id.as_str()).collect();
        timed(4, &mut || drop(std::hint::black_box(store.facts_of_articles(&ids).expect("facts"))));
        for a in rows.iter().take(60) {
            articles += 1;
            timed(1, &mut || drop(std::hint::black_box(store.story_facts(&a.id).expect("facts"))));
            timed(2, &mut || drop(std::hint::black_box(store.facts_from_tables(&a.id).expect("facts"))));
            timed(3, &mut || drop(std::hint::black_box(store.article_body(&a.id).expect("body"))));
        }
    }
    println!("{stories} stories, {articles} articles; µs per story:");
    for (label, d) in labels.iter().zip(spent) {
        println!("  {label:<18} {:>8.0}", d.as_secs_f64() * 1e6 / stories.max(1) as f64);
    }
}
