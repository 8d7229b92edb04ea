//! Runs [`newsloom_cluster::eval::run_crosslingual`] on a MEANTIME or SemEval-2022 file.
//!
//! `cargo run --release -p newsloom-cluster --features embed --example crosslingual -- GOLD.jsonl
//!  [--embed-model DIR] [--json]` (without `--embed-model`, `NEWSLOOM_EMBED_MODEL` is used if set).
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut gold, mut model, mut json) = (None, None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--embed-model" => {
                model = args.get(i + 1).map(PathBuf::from);
                i += 1;
            }
            "--json" => json = true,
            a => gold = Some(PathBuf::from(a)),
        }
        i += 1;
    }
    let Some(gold) = gold else {
        eprintln!("usage: crosslingual GOLD.jsonl [--embed-model DIR] [--json]");
        std::process::exit(2);
    };
    match newsloom_cluster::eval::run_crosslingual(&gold, model.as_deref()) {
        Ok(r) if json => println!("{}", serde_json::Value::Object(r.metrics)),
        Ok(r) => print!("{}", r.human),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
