//! Trains the join scorer on a labelled stream and prints the constants for `scorer.rs`.
//!
//! `cargo run --release -p newsloom-cluster --example train -- gva-dev.jsonl [--window DAYS] [--l2 X] [--dagger]`
//!
//! 1. 2-fold cross-validation by event (fold = parity of the first hex digit of the BLAKE3 id
//!    of the gold label): fit on one fold's stream, pick the join threshold on the same fold
//!    by B³ F1, score the other fold's stream.
//! 2. Fit on the whole file and pick the threshold there: these are the shipped constants.
use std::path::PathBuf;

use newsloom_cluster::eval::{GoldArticle, read_gold};
use newsloom_cluster::story::{FEATURE_NAMES, NF};
use newsloom_cluster::{ClusterConfig, train};

fn fold(it: &GoldArticle) -> usize {
    let h = newsloom_model::content_id(it.cluster.as_bytes());
    usize::from(u8::from_str_radix(&h[..1], 16).unwrap_or(0) % 2)
}

/// Teacher-forced fit, then optionally one DAgger step: add the examples the fitted scorer's
/// own stories produce (with its threshold picked on the same items) and refit.
fn fit(items: &[GoldArticle], cfg: &ClusterConfig, l2: f64, dagger: bool) -> (train::TeacherRun, [f32; NF]) {
    let mut run = train::teacher_examples(items, cfg);
    let mut w = train::fit_weights(&run, l2);
    if dagger {
        let c = ClusterConfig { weights: w, ..cfg.clone() };
        let (t, _) = train::pick_threshold(items, &c);
        let more = train::policy_examples(items, &ClusterConfig { join_threshold: t, ..c });
        run.examples.extend(more.examples);
        w = train::fit_weights(&run, l2);
    }
    (run, w)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cfg = ClusterConfig::default();
    let mut path = None;
    let mut l2 = 1.0;
    let mut dagger = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--window" => {
                cfg.window_days = args[i + 1].parse().expect("days");
                i += 1;
            }
            "--dagger" => dagger = true,
            "--l2" => {
                l2 = args[i + 1].parse().expect("l2");
                i += 1;
            }
            a => path = Some(PathBuf::from(a)),
        }
        i += 1;
    }
    let items = read_gold(&path.expect("usage: train GOLD.jsonl")).expect("read gold");
    let mut cv = Vec::new();
    for f in 0..2 {
        let tr: Vec<GoldArticle> = items.iter().filter(|x| fold(x) == f).cloned().collect();
        let te: Vec<GoldArticle> = items.iter().filter(|x| fold(x) != f).cloned().collect();
        let (run, w) = fit(&tr, &cfg, l2, dagger);
        let c = ClusterConfig { weights: w, ..cfg.clone() };
        let (t, s_tr) = train::pick_threshold(&tr, &c);
        let s = train::evaluate(&te, &ClusterConfig { join_threshold: t, ..c });
        println!(
            "fold {f}: train {} art ({} pairs, gold retrieved {}/{}), threshold {t:.3} (train B3 {:.4}) \
             -> test {} art: B3 P {:.4} R {:.4} F1 {:.4} | pair P {:.4} R {:.4} F1 {:.4} | stories {}",
            tr.len(),
            run.examples.len(),
            run.gold_retrieved,
            run.gold_open,
            s_tr.b3_f1,
            te.len(),
            s.b3_p,
            s.b3_r,
            s.b3_f1,
            s.pair_p,
            s.pair_r,
            s.pair_f1,
            s.pred_clusters
        );
        cv.push(s);
    }
    println!(
        "CV mean: B3 F1 {:.4}  pair F1 {:.4}",
        cv.iter().map(|s| s.b3_f1).sum::<f64>() / 2.0,
        cv.iter().map(|s| s.pair_f1).sum::<f64>() / 2.0
    );
    let (run, w) = fit(&items, &cfg, l2, dagger);
    let c = ClusterConfig { weights: w, ..cfg.clone() };
    let (t, s) = train::pick_threshold(&items, &c);
    println!(
        "all: {} pairs ({} positive), gold retrieved {}/{}; threshold {t:.3}: B3 F1 {:.4} pair F1 {:.4} stories {}",
        run.examples.len(),
        run.examples.iter().filter(|e| e.label).count(),
        run.gold_retrieved,
        run.gold_open,
        s.b3_f1,
        s.pair_f1,
        s.pred_clusters
    );
    for (n, v) in FEATURE_NAMES.iter().zip(w) {
        println!("  {n:<16} {v:>9.4}");
    }
    let list: Vec<String> = w.iter().map(|v| format!("{v:.4}")).collect();
    println!("pub const WEIGHTS: [f32; NF] = [{}];", list.join(", "));
    println!("pub const JOIN_THRESHOLD: f32 = {t:.3};");
}
