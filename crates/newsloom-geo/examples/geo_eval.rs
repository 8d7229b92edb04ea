//! `eval geo` without the CLI: `cargo run --release -p newsloom-geo --example geo_eval -- GOLD.jsonl
//! [--folds N] [--out PRED.jsonl] [--gold-spans] [--literal-only] [--set weight=value]` prints the same report as `newsloom eval geo
//! --gold GOLD.jsonl` (raw text, whole file, and folds by site with `--folds`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let gold = args.first().expect("usage: geo_eval GOLD.jsonl [--folds N] [--out PRED.jsonl]");
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let folds = opt("--folds").and_then(|v| v.parse().ok()).unwrap_or(0);
    let out = opt("--out").map(std::path::Path::new);
    let gold_spans = args.iter().any(|a| a == "--gold-spans");
    let literal_only = args.iter().any(|a| a == "--literal-only");
    let mut geo = newsloom_geo::Geoparser::new();
    // `--set weight=value` (repeatable): resolution weights for tuning runs.
    for (i, a) in args.iter().enumerate() {
        if a == "--set"
            && let Some((k, v)) = args.get(i + 1).and_then(|kv| kv.split_once('='))
        {
            let v: f64 = v.parse().expect("--set weight=number");
            geo.resolve.set(k, v).expect("known weight");
        }
    }
    match newsloom_geo::eval::run(&geo, std::path::Path::new(gold), out, folds, gold_spans, literal_only) {
        Ok(report) => print!("{}", report.human),
        Err(e) => {
            eprintln!("geo_eval: {e}");
            std::process::exit(1);
        }
    }
}
