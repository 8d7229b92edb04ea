//! Streams a gold file through the clusterer and prints the scores.
//!
//! `cargo run --release -p newsloom-cluster --example cluster_eval -- GOLD.jsonl [--out OUT.jsonl]
//!  [--json] [--window DAYS] [--threshold P] [--merge P] [--candidates N] [--replay N]
//!  [--embed-model DIR (needs --features embed)]`
use std::path::PathBuf;

use newsloom_cluster::ClusterConfig;
use newsloom_cluster::eval;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut gold = None;
    let mut out = None;
    let mut json = false;
    let mut replay = 0usize;
    let mut embed = None;
    let mut cfg = ClusterConfig::default();
    let mut i = 0;
    while i < args.len() {
        let val = || args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--out" => {
                out = Some(PathBuf::from(val()));
                i += 1;
            }
            "--json" => json = true,
            "--window" => {
                cfg.window_days = val().parse().expect("days");
                i += 1;
            }
            "--threshold" => {
                cfg.join_threshold = val().parse().expect("p");
                i += 1;
            }
            "--merge" => {
                cfg.merge_threshold = val().parse().expect("p");
                i += 1;
            }
            "--dup" => {
                cfg.dup_threshold = val().parse().expect("j");
                i += 1;
            }
            "--embed-model" => {
                embed = Some(PathBuf::from(val()));
                i += 1;
            }
            "--min-ratio" => {
                cfg.min_retrieval_ratio = val().parse().expect("r");
                i += 1;
            }
            "--candidates" => {
                cfg.max_candidates = val().parse().expect("n");
                i += 1;
            }
            "--replay" => {
                replay = val().parse().expect("n");
                i += 1;
            }
            a => gold = Some(PathBuf::from(a)),
        }
        i += 1;
    }
    let gold = gold.expect("usage: eval GOLD.jsonl [--out OUT] [--json] [--replay N]");
    let report = if replay > 0 {
        eval::replay(&gold, replay, 5)
    } else if embed.is_some() {
        eval::run_embed(&gold, out.as_deref(), embed.as_deref())
    } else {
        eval::run_with(&gold, out.as_deref(), &cfg)
    };
    match report {
        Ok(r) if json => println!("{}", serde_json::Value::Object(r.metrics)),
        Ok(r) => print!("{}", r.human),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
