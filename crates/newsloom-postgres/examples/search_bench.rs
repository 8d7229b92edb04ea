//! Search latency on PostgreSQL full-text search: starts a throwaway server, loads synthetic
//! articles, runs varied queries and prints one JSON line with load rate and latencies.
//!
//! ```text
//! cargo run --release -p newsloom-postgres --example search_bench -- --articles 100000 --queries 1000
//! ```
//!
//! `--url postgres://…` uses an existing database instead of a throwaway server, and loads the
//! articles only if it holds none yet (so a second run measures the same corpus at once).
//!
//! The text is synthetic (a Zipf-distributed vocabulary of made-up words, so term frequencies
//! look like language: a few very common words, a long tail of rare ones); queries mix common
//! and rare words, two-word conjunctions, phrases taken from stored articles, filters on
//! source, language and days, and deeper pages.

use std::time::Instant;

use newsloom_model::{Article, PublishedDate};
use newsloom_postgres::testing::TempPostgres;
use newsloom_postgres::{PgSearch, PgStore};
use newsloom_search::{SearchQuery, Searcher};
use newsloom_store::NewArticle;

const VOCABULARY: usize = 30_000;
const SOURCES: usize = 40;
const LANGUAGES: [&str; 4] = ["en", "es", "it", "nl"];

/// SplitMix64: deterministic, so every run measures the same corpus and queries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A word rank, roughly Zipf-distributed (log-uniform).
    fn zipf(&mut self, n: usize) -> usize {
        ((n as f64).powf(self.unit()) as usize).saturating_sub(1).min(n - 1)
    }
}

fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ren", "sa", "tor", "vel", "an", "dri", "es", "po", "lu", "gar", "ni", "ost", "be",
        "cha", "fen", "ix", "mor", "ta", "ul", "zen", "qua",
    ];
    let mut words = std::collections::HashSet::new();
    while words.len() < VOCABULARY {
        let n = 2 + rng.below(3);
        let w: String = (0..n).map(|_| SYLLABLES[rng.below(SYLLABLES.len())]).collect();
        words.insert(w);
    }
    let mut words: Vec<String> = words.into_iter().collect();
    words.sort();
    // Shuffle so frequency rank does not follow alphabetical order.
    for i in (1..words.len()).rev() {
        let j = rng.below(i + 1);
        words.swap(i, j);
    }
    words
}

fn text(rng: &mut Rng, vocab: &[String], words: usize) -> String {
    let mut s = String::with_capacity(words * 8);
    for i in 0..words {
        if i > 0 {
            s.push_str(if i % 17 == 0 { ". " } else { " " });
        }
        s.push_str(&vocab[rng.zipf(vocab.len())]);
    }
    s
}

fn day(i: usize) -> String {
    format!("2024-{:02}-{:02}", 1 + i % 12, 1 + (i / 12) % 28)
}

fn article(rng: &mut Rng, vocab: &[String], i: usize) -> NewArticle {
    let title_len = 6 + rng.below(6);
    let body_len = 100 + rng.below(200);
    let article = Article {
        id: format!("bench{i:07}"),
        title: text(rng, vocab, title_len),
        body: text(rng, vocab, body_len),
        body_hash: format!("h{i}"),
        origin: "bench".into(),
        source: Some(format!("outlet{}", rng.below(SOURCES))),
        language: Some(LANGUAGES[rng.below(LANGUAGES.len())].into()),
        story: Some(format!("s{}", i / 5)),
        published: PublishedDate::parse_iso(&day(i), "bench"),
        ..Default::default()
    };
    NewArticle { article, ..Default::default() }
}

fn queries(
    rng: &mut Rng,
    vocab: &[String],
    sample_bodies: &[String],
    n: usize,
) -> Vec<(String, SearchQuery)> {
    (0..n)
        .map(|i| {
            let word = |rng: &mut Rng| vocab[rng.zipf(vocab.len())].clone();
            let mut q = SearchQuery { limit: 10, ..Default::default() };
            let kind = match i % 6 {
                0 => {
                    q.text = word(rng);
                    "word"
                }
                1 => {
                    q.text = format!("{} {}", word(rng), word(rng));
                    "two words"
                }
                2 => {
                    let body = &sample_bodies[rng.below(sample_bodies.len())];
                    let words: Vec<&str> = body.split_whitespace().collect();
                    let at = rng.below(words.len().saturating_sub(3).max(1));
                    let phrase = words[at..(at + 2).min(words.len())].join(" ").replace('.', "");
                    q.text = format!("\"{phrase}\"");
                    "phrase"
                }
                3 => {
                    q.text = word(rng);
                    q.source = Some(format!("outlet{}", rng.below(SOURCES)));
                    q.language = Some(LANGUAGES[rng.below(LANGUAGES.len())].into());
                    "word + source + language"
                }
                4 => {
                    q.text = word(rng);
                    let from = rng.below(300);
                    q.from = Some(day(from));
                    q.to = Some(day(from + 30));
                    "word + days"
                }
                _ => {
                    q.text = word(rng);
                    q.offset = 10 * (1 + rng.below(5));
                    "word, deeper page"
                }
            };
            (kind.to_string(), q)
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut articles = 100_000usize;
    let mut n_queries = 1_000usize;
    let mut given_url = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let number = value.as_deref().and_then(|v| v.parse().ok());
        match (a.as_str(), number, value) {
            ("--articles", Some(v), _) => articles = v,
            ("--queries", Some(v), _) => n_queries = v,
            ("--url", _, Some(url)) => given_url = Some(url),
            _ => {
                eprintln!("usage: search_bench [--articles N] [--queries N] [--url postgres://…]");
                std::process::exit(2);
            }
        }
    }
    let (_pg, url) = match given_url {
        Some(url) => (None, url),
        None => {
            let pg = TempPostgres::start().unwrap_or_else(|e| {
                eprintln!("cannot start PostgreSQL: {e}");
                std::process::exit(1)
            });
            let url = pg.create_database("bench").unwrap();
            (Some(pg), url)
        }
    };
    let mut store = PgStore::open(&url).unwrap();
    let mut rng = Rng(42);
    let vocab = vocabulary(&mut rng);
    let loaded = store.stats().unwrap().articles > 0;

    let started = Instant::now();
    let mut sample_bodies = vec![];
    for chunk in (0..articles).collect::<Vec<_>>().chunks(1000) {
        let batch: Vec<NewArticle> = chunk.iter().map(|&i| article(&mut rng, &vocab, i)).collect();
        if sample_bodies.len() < 200 {
            sample_bodies.extend(batch.iter().take(5).map(|a| a.article.body.clone()));
        }
        // The same generator either way, so the queries are the same on a loaded database.
        if !loaded {
            store.insert_batch(&batch, &[]).unwrap();
        }
    }
    let load_s = started.elapsed().as_secs_f64();
    // Fresh planner statistics, as autovacuum would gather them on a live database.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute("VACUUM ANALYZE articles").unwrap();
    drop(client);

    let search = PgSearch::open(&url).unwrap();
    let qs = queries(&mut rng, &vocab, &sample_bodies, n_queries);
    // One untimed pass over a few queries warms the caches and prepared plans.
    for (_, q) in qs.iter().take(20) {
        search.search(q).unwrap();
    }
    let mut times = Vec::with_capacity(qs.len());
    let mut per_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut hits_total = 0usize;
    for (kind, q) in &qs {
        let t = Instant::now();
        let r = search.search(q).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        hits_total += r.total;
        times.push(ms);
        per_kind.entry(kind.clone()).or_default().push(ms);
    }
    times.sort_by(f64::total_cmp);
    let kinds: serde_json::Map<String, serde_json::Value> = per_kind
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by(f64::total_cmp);
            (k, serde_json::json!({ "queries": v.len(), "p50_ms": percentile(&v, 0.5), "p99_ms": percentile(&v, 0.99) }))
        })
        .collect();
    let report = serde_json::json!({
        "engine": "postgres",
        "articles": articles,
        "load_s": load_s,
        "load_articles_per_s": articles as f64 / load_s,
        "queries": times.len(),
        "mean_matches": hits_total as f64 / times.len() as f64,
        "p50_ms": percentile(&times, 0.5),
        "p99_ms": percentile(&times, 0.99),
        "max_ms": times.last().copied().unwrap_or(0.0),
        "by_kind": kinds,
    });
    println!("{report}");
}
