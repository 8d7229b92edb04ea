//! `eval geo` without the CLI: `cargo run --release -p newsloom-geo --example geo_eval -- GOLD.jsonl`
//! prints the same report as `newsloom eval geo --gold GOLD.jsonl` (raw text, whole file).

fn main() {
    let gold = std::env::args().nth(1).expect("usage: geo_eval GOLD.jsonl");
    let geo = newsloom_geo::Geoparser::new();
    match newsloom_geo::eval::run(&geo, std::path::Path::new(&gold), None, 0, false, false) {
        Ok(report) => print!("{}", report.human),
        Err(e) => {
            eprintln!("geo_eval: {e}");
            std::process::exit(1);
        }
    }
}
