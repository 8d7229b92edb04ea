//! `cargo run --release -p newsloom-extract --example extract_eval -- <ground-truth.jsonl> [--json] [--save-predictions FILE]`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(gold) = args.first() else {
        eprintln!("usage: eval <ground-truth.jsonl> [--json] [--save-predictions FILE]");
        std::process::exit(2);
    };
    let preds = args.iter().position(|a| a == "--save-predictions").and_then(|i| args.get(i + 1));
    match newsloom_extract::eval::run_with(std::path::Path::new(gold), preds.map(std::path::Path::new)) {
        Ok(r) => {
            print!("{}", r.human);
            if args.iter().any(|a| a == "--json") {
                println!("{}", serde_json::to_string(&r).unwrap_or_default());
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
