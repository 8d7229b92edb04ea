//! Times queries against an existing index: `cargo run --release -p newsloom-search --example
//! query -- <index dir> <repeats> <query>...`. Prints the mean latency of each query.

use std::time::Instant;

use newsloom_search::{SearchIndex, SearchQuery};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: query <index dir> <repeats> <query>...");
        std::process::exit(2);
    }
    let index = SearchIndex::open(std::path::Path::new(&args[0])).expect("open index");
    let repeats: usize = args[1].parse().expect("repeats");
    for text in &args[2..] {
        let q = SearchQuery { text: text.clone(), limit: 20, ..Default::default() };
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..repeats {
            total = index.search(&q).expect("search").total;
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0 / repeats as f64;
        println!("{text:?}: {total} hits, {ms:.2} ms per query");
    }
}
