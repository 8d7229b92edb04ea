//! Fits the embedding stage stacked on the lexical scorer and prints `EMB_WEIGHTS`.
//!
//! `cargo run --release -p newsloom-cluster --features embed --example train_embed --
//!  --embed-model DIR GOLD.jsonl...` (e.g. gva-dev.jsonl meantime-dev.jsonl). Set
//! `NEWSLOOM_EMBED_CACHE=DIR` to keep the (slow) embeddings between runs.
//!
//! Teacher-forced (article, candidate) pairs of every file, with embeddings, the lexical
//! weights frozen; then each file is streamed with the lexical scorer alone and with the
//! fitted stage, and both scores are printed.
use std::path::PathBuf;

use newsloom_cluster::embedding::embed_articles;
use newsloom_cluster::eval::{read_gold, score, stream_with};
use newsloom_cluster::scorer::EMB_FEATURE_NAMES;
use newsloom_cluster::{ClusterConfig, train};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut model, mut files, mut l2) = (None, Vec::new(), 1.0);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--embed-model" => {
                model = args.get(i + 1).map(PathBuf::from);
                i += 1;
            }
            "--l2" => {
                l2 = args[i + 1].parse().expect("l2");
                i += 1;
            }
            a => files.push(PathBuf::from(a)),
        }
        i += 1;
    }
    let model = model.expect("--embed-model DIR");
    let cfg = ClusterConfig::default();
    let mut data = Vec::new();
    let mut examples = Vec::new();
    for f in &files {
        let items = read_gold(f).expect("read gold");
        let t0 = std::time::Instant::now();
        let embs =
            embed_articles(&model, &items.iter().map(|i| &i.article).collect::<Vec<_>>()).expect("embed");
        eprintln!("{}: {} embeddings in {:.1} s", f.display(), embs.len(), t0.elapsed().as_secs_f64());
        let run = train::teacher_examples_with(&items, &cfg, Some(&embs));
        eprintln!("  {} pairs, gold retrieved {}/{}", run.examples.len(), run.gold_retrieved, run.gold_open);
        examples.extend(run.examples);
        data.push((f, items, embs));
    }
    // 2-fold cross-validation by gold story (parity of the label's hash), every file split
    // alike: fit the stage on one half of each file's stories, score the other half.
    let fold = |c: &str| usize::from(newsloom_model::content_id(c.as_bytes()).as_bytes()[0] % 2);
    for f in 0..2 {
        let mut ex = Vec::new();
        let mut tests = Vec::new();
        for (path, items, embs) in &data {
            let pick = |keep: bool| {
                let (it, em): (Vec<_>, Vec<_>) = items
                    .iter()
                    .zip(embs.iter())
                    .filter(|(i, _)| (fold(&i.cluster) == f) == keep)
                    .map(|(i, e)| (i.clone(), e.clone()))
                    .unzip();
                (it, em)
            };
            let (tr_items, tr_embs) = pick(true);
            ex.extend(train::teacher_examples_with(&tr_items, &cfg, Some(&tr_embs)).examples);
            tests.push((path, pick(false)));
        }
        let w = train::fit_emb_weights(&ex, &cfg.weights, l2);
        let with = ClusterConfig { emb_weights: w, ..cfg.clone() };
        for (path, (items, embs)) in &tests {
            let gold: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
            let lex = score(&gold, &stream_with(items, &cfg, None).labels);
            let emb = score(&gold, &stream_with(items, &with, Some(embs)).labels);
            println!(
                "fold {f} held-out {} ({} art): B3 F1 {:.4} -> {:.4} | pair F1 {:.4} -> {:.4}",
                path.display(),
                items.len(),
                lex.b3_f1,
                emb.b3_f1,
                lex.pair_f1,
                emb.pair_f1
            );
        }
    }
    let w = train::fit_emb_weights(&examples, &cfg.weights, l2);
    for (n, v) in EMB_FEATURE_NAMES.iter().zip(w) {
        println!("  {n:<16} {v:>9.4}");
    }
    let with = ClusterConfig { emb_weights: w, ..cfg.clone() };
    for (f, items, embs) in &data {
        let gold: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
        for (name, c, e) in [("lexical", &cfg, None), ("embed", &with, Some(embs.as_slice()))] {
            let s = score(&gold, &stream_with(items, c, e).labels);
            println!(
                "{} {name:<8} B3 P {:.4} R {:.4} F1 {:.4} | pair P {:.4} R {:.4} F1 {:.4} | stories {}",
                f.display(),
                s.b3_p,
                s.b3_r,
                s.b3_f1,
                s.pair_p,
                s.pair_r,
                s.pair_f1,
                s.pred_clusters
            );
        }
    }
    let list: Vec<String> = w.iter().map(|v| format!("{v:.4}")).collect();
    println!("pub const EMB_WEIGHTS: [f32; EMB_NF] = [{}];", list.join(", "));
}
