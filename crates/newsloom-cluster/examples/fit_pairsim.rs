//! Fits the graded pair score of `newsloom_cluster::pairsim` on a SemEval-style pair file and
//! prints the constant to paste as `pairsim::SHIPPED`:
//! `cargo run --release -p newsloom-cluster --example fit_pairsim -- semeval22-hfl-dev.jsonl`
fn main() {
    let path = std::env::args().nth(1).expect("usage: fit_pairsim PAIRS.jsonl");
    let m = newsloom_cluster::crosslingual::fit_pair_model(std::path::Path::new(&path)).expect("fit");
    let w: Vec<String> = m.w.iter().map(|v| format!("{v:.6}")).collect();
    println!(
        "pub const SHIPPED: Model = Model {{\n    bias: {:.6},\n    w: [{}],\n    lo: {:.1},\n    hi: {:.1},\n}};",
        m.bias,
        w.join(", "),
        m.lo,
        m.hi
    );
}
