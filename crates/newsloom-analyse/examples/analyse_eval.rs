//! `newsloom eval ner|quotes|events` without the CLI crate:
//!
//! ```text
//! cargo run --release -p newsloom-analyse --example analyse_eval -- ner ../shared/data/ner/conll2003-dev.jsonl
//! cargo run --release -p newsloom-analyse --example analyse_eval -- events ../shared/data/events/petrarch-gsr-dev.jsonl
//! ```
use std::path::Path;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(task), Some(gold)) = (args.first(), args.get(1)) else {
        return Err("usage: eval ner|quotes|events GOLD.jsonl".into());
    };
    let r = newsloom_analyse::eval::run(task, Path::new(gold))?;
    println!("{}", r.human);
    println!("{}", serde_json::to_string(&r.metrics).map_err(|e| e.to_string())?);
    Ok(())
}
