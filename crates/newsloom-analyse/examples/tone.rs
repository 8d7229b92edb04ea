//! Tone model without the CLI (same functions as `newsloom train tone` / `newsloom eval tone`):
//!
//! ```text
//! cargo run --release -p newsloom-analyse --example tone -- train ../shared/data/tone/newsmtsc-dev.jsonl crates/newsloom-analyse/models/tone-target.bin.gz
//! cargo run --release -p newsloom-analyse --example tone -- eval ../shared/data/tone/newsmtsc-dev.jsonl [--folds 5] [--out PRED.jsonl]
//! cargo run --release -p newsloom-analyse --example tone -- train-themes ../shared/data/themes/bbc-dev.jsonl crates/newsloom-analyse/models/themes-lr.bin.gz
//! cargo run --release -p newsloom-analyse --example tone -- eval-themes ../shared/data/themes/bbc-dev.jsonl [--folds 5]
//! ```
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let result = match (args.first().map(String::as_str), args.get(1)) {
        (Some("train"), Some(data)) => {
            let out = args.get(2).map_or("tone-target.bin.gz", String::as_str);
            newsloom_analyse::tone::train(Path::new(data), Path::new(out))
        }
        (Some("eval"), Some(gold)) => {
            let folds = flag("--folds").and_then(|f| f.parse().ok());
            let out = flag("--out");
            newsloom_analyse::tone::eval(Path::new(gold), folds, out.as_deref().map(Path::new))
                .map(|r| r.human)
        }
        (Some("train-themes"), Some(data)) => {
            let out = args.get(2).map_or("themes-lr.bin.gz", String::as_str);
            newsloom_analyse::themes::train(Path::new(data), Path::new(out))
        }
        (Some("eval-themes"), Some(gold)) => {
            let folds = flag("--folds").and_then(|f| f.parse().ok());
            let out = flag("--out");
            newsloom_analyse::themes::eval(Path::new(gold), folds, out.as_deref().map(Path::new))
                .map(|r| r.human)
        }
        _ => Err("usage: tone train DATA [OUT] | tone eval GOLD [--folds K] [--out FILE]".into()),
    };
    match result {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
