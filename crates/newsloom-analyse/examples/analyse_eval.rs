//! `newsloom eval ner|quotes|events` without the CLI crate:
//!
//! ```text
//! cargo run --release -p newsloom-analyse --example analyse_eval -- ner ../shared/data/ner/conll2003-dev.jsonl
//! cargo run --release -p newsloom-analyse --example analyse_eval -- events ../shared/data/events/petrarch-gsr-dev.jsonl
//! cargo run --release -p newsloom-analyse --example analyse_eval -- events ../shared/data/events/petrarch-gsr-dev.jsonl 5
//! ```
//! A third argument K scores K folds by group (as `newsloom eval TASK --folds K`).
use std::path::Path;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(task), Some(gold)) = (args.first(), args.get(1)) else {
        return Err("usage: eval ner|quotes|events GOLD.jsonl".into());
    };
    if let Some(k) = args.get(2) {
        let k: usize = k.parse().map_err(|_| format!("folds: {k}"))?;
        let hooks = newsloom_analyse::folds::fold_task(task).ok_or(format!("no folds for {task}"))?;
        let dir = std::env::temp_dir().join(format!("analyse_eval_folds_{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let r = newsloom_model::folds::run(hooks.as_ref(), Path::new(gold), None, k, &dir, &mut |_, _| {});
        let _ = std::fs::remove_dir_all(&dir);
        println!("{}", r?.human);
        return Ok(());
    }
    let r = newsloom_analyse::eval::run(task, Path::new(gold))?;
    println!("{}", r.human);
    println!("{}", serde_json::to_string(&r.metrics).map_err(|e| e.to_string())?);
    Ok(())
}
