//! CPU cost of varied searches over a store's index, at several count budgets: the words of
//! `bench/load/varied.lua`, alone and in pairs, each query run once, one thread.
//!
//! ```text
//! cargo run --release -p newsloom-search --example search_cost -- STORE_DIR [BUDGET ...]
//! ```

use std::time::Instant;

use newsloom_search::{SearchIndex, SearchQuery};

const WORDS: &[&str] = &[
    "energy",
    "trade",
    "security",
    "border",
    "elections",
    "climate",
    "sanctions",
    "migration",
    "defence",
    "health",
    "technology",
    "finance",
    "agriculture",
    "transport",
    "Russia",
    "NATO",
    "Ukraine",
    "China",
    "Germany",
    "France",
    "Turkey",
    "Iran",
    "Japan",
    "India",
    "Brazil",
    "Poland",
    "Britain",
    "accused",
    "warned",
    "talks",
    "agreement",
    "proposal",
    "aid",
    "ministry",
    "statement",
    "officials",
    "government",
    "meeting",
    "week",
    "praised",
    "threatened",
    "criticised",
    "hosted",
    "pipeline",
    "tariffs",
    "summit",
    "troops",
    "vaccine",
    "refugees",
    "drought",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: search_cost STORE_DIR [BUDGET ...]");
    let budgets: Vec<u64> = args.map(|b| b.parse().expect("a budget is a number")).collect();
    let budgets = if budgets.is_empty() { vec![10_000] } else { budgets };
    let mut index = SearchIndex::open(std::path::Path::new(&dir)).expect("open the index");
    // Single words, then every 7th pair: about 400 distinct queries.
    let mut queries: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    for (i, a) in WORDS.iter().enumerate() {
        for b in WORDS.iter().skip(i + 1).step_by(7) {
            queries.push(format!("{a} {b}"));
        }
    }
    // One pass to bring the index into the OS cache, so the passes compare CPU, not disk.
    for q in &queries {
        index.search(&SearchQuery { limit: 20, ..SearchQuery::text(q) }).expect("search");
    }
    for budget in budgets {
        index.set_count_budget(budget);
        let (t, mut estimated) = (Instant::now(), 0);
        let mut each: Vec<(f64, &str)> = Vec::with_capacity(queries.len());
        for q in &queries {
            let one = Instant::now();
            let r = index.search(&SearchQuery { limit: 20, ..SearchQuery::text(q) }).expect("search");
            each.push((one.elapsed().as_secs_f64() * 1e3, q));
            estimated += usize::from(r.total_estimated);
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / queries.len() as f64;
        each.sort_by(|a, b| a.0.total_cmp(&b.0));
        let at = |p: f64| each[((each.len() - 1) as f64 * p) as usize].0;
        println!(
            "budget {budget}: {} queries, {ms:.2} ms each (p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}), {estimated} totals estimated",
            queries.len(),
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        );
        let slowest: Vec<String> =
            each.iter().rev().take(8).map(|(ms, q)| format!("{q:?} {ms:.1}")).collect();
        println!("  slowest: {}", slowest.join(", "));
    }
}
