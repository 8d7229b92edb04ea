//! `cargo run --release -p newsloom-geo --example geo_eval -- GOLD.jsonl [--folds K] [--out FILE]
//! [--gold-spans] [--literal-only] [--json]`: the same as `newsloom eval geo`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(gold) = args.first() else {
        eprintln!("usage: eval GOLD.jsonl [--folds K] [--out FILE] [--gold-spans] [--literal-only] [--json]");
        std::process::exit(2);
    };
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    let folds = value("--folds").and_then(|k| k.parse().ok()).unwrap_or(1);
    let out = value("--out").map(std::path::PathBuf::from);
    let has = |flag: &str| args.iter().any(|a| a == flag);
    let mut geo = newsloom_geo::Geoparser::new();
    // GEO_SET="qualifier=10,near=3": weights to try (tuning runs).
    for kv in std::env::var("GEO_SET").unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').expect("GEO_SET takes name=value pairs");
        if k == "scan_min_population" {
            geo.detect.scan_min_population = v.parse().expect("a number");
        } else if k == "streets" {
            geo.detect.streets = v != "0";
        } else if k == "place_context" {
            geo.detect.place_context = v != "0";
        } else {
            geo.resolve.set(k, v.parse().expect("a number")).expect("a known weight");
        }
    }
    match newsloom_geo::eval::run(
        &geo,
        std::path::Path::new(gold),
        out.as_deref(),
        folds,
        has("--gold-spans"),
        has("--literal-only"),
    ) {
        Ok(r) if has("--json") => println!("{}", serde_json::Value::Object(r.metrics)),
        Ok(r) => print!("{}", r.human),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
