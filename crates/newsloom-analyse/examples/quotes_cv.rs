//! Cross-validation of the learnt quote scorer by publisher folds of the training file, and
//! its score on a dev file after training on the whole training file, each against the rules
//! alone:
//!
//! ```text
//! cargo run --release -p newsloom-analyse --example quotes_cv -- \
//!     ../shared/data/quotes/polnear-train.jsonl --folds 5 --dev ../shared/data/quotes/polnear-dev.jsonl
//! ```
//! `--diag-fold F` trains without publisher fold F and prints the diagnostics of the model on it (cue precision and recall, content matches chosen and possible, the gold cues the first pass never reads, how often a speaker candidate and the chosen speaker cover a gold source; `QDIAG=1` prints the wrong contents, `QDIAG_SPEAKER=1` the sources no candidate covers). `--orders N` averages N perceptrons trained in different orders; `--seed N` varies the training order (0 = the shipped model's); `--stack false` leaves out the second-pass cue tagger; `--ends false` the end scorer; `--epochs N`, `--threshold X` override the shipped settings (not for `--out`, which trains the shipped model); `--pred FILE` writes the dev predictions in the team scorer's format.
use newsloom_analyse::quotes::{
    QuoteExtractor, QuoteMetrics, evaluate, gold::read_gold, learn, write_predictions,
};
use std::path::Path;
use std::sync::Arc;

const ROWS: &[&str] = &["all", "direct", "mixed", "indirect", "direct+mixed"];

fn line(name: &str, m: &QuoteMetrics) -> String {
    let mut s = format!("{name:<8}");
    for r in ROWS {
        s += &format!(" {r} F1 {:.2}", 100.0 * m.f1(r));
    }
    s + &format!(
        " | speaker acc {:.2} | {:.0} µs/doc",
        100.0 * m.speaker_acc("all"),
        1e6 * m.secs / m.docs.max(1) as f64
    )
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len().max(1) as f64;
    let mean = xs.iter().sum::<f64>() / n;
    (mean, (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt())
}

/// Sets `slot` from the value after `name` on the command line, when given.
fn set<T: std::str::FromStr>(args: &[String], name: &str, slot: &mut T) -> Result<(), String>
where
    T::Err: std::fmt::Display,
{
    if let Some(v) = args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)) {
        *slot = v.parse().map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let train_path = args.first().ok_or("usage: quotes_cv TRAIN.jsonl [--folds K] [--dev DEV.jsonl]")?;
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let mut folds: usize = 5;
    set(&args, "--folds", &mut folds)?;
    let mut cfg = learn::TrainConfig::default();
    set(&args, "--epochs", &mut cfg.epochs)?;
    set(&args, "--span-epochs", &mut cfg.span_epochs)?;
    set(&args, "--threshold", &mut cfg.threshold)?;
    set(&args, "--span-slack", &mut cfg.span_slack)?;
    set(&args, "--min-count", &mut cfg.min_count)?;
    set(&args, "--floor", &mut cfg.floor)?;
    set(&args, "--block", &mut cfg.block)?;
    set(&args, "--prune", &mut cfg.prune)?;
    set(&args, "--stop-share", &mut cfg.stop_share)?;
    set(&args, "--stop-count", &mut cfg.stop_count)?;
    set(&args, "--cue-bits", &mut cfg.cue_bits)?;
    set(&args, "--span-bits", &mut cfg.span_bits)?;
    set(&args, "--speaker-bits", &mut cfg.speaker_bits)?;
    set(&args, "--orders", &mut cfg.orders)?;
    set(&args, "--seed", &mut cfg.seed)?;
    set(&args, "--stack", &mut cfg.stack)?;
    set(&args, "--ends", &mut cfg.ends)?;
    set(&args, "--cue-min", &mut cfg.cue_min)?;
    set(&args, "--jackknife", &mut cfg.jackknife)?;
    if let Some(out) = opt("--out") {
        // What `newsloom train quotes --data TRAIN --out FILE` does.
        println!("{}", learn::train_file(Path::new(train_path), Path::new(out))?);
    }
    let train = read_gold(Path::new(train_path))?;
    println!("settings: {cfg:?}");
    if let Some(f) = opt("--diag-fold") {
        // One publisher fold held out, for looking at the learnt parts on unseen publishers.
        let f: usize = f.parse().map_err(|e| format!("--diag-fold: {e}"))?;
        let fold = learn::publisher_folds(&train, folds.max(2));
        let (test, rest): (Vec<_>, Vec<_>) = train.iter().cloned().zip(&fold).partition(|(_, g)| **g == f);
        let rest: Vec<_> = rest.into_iter().map(|x| x.0).collect();
        let test: Vec<_> = test.into_iter().map(|x| x.0).collect();
        let model = Arc::new(learn::train(&rest, &cfg));
        println!(
            "fold {f}: {}",
            line("learnt", &evaluate(&QuoteExtractor::with_model(model.clone()), &test))
        );
        println!("{}", learn::diagnose(&model, &test));
        return Ok(());
    }
    if folds > 1 {
        let res = learn::cross_validate(&train, &cfg, folds);
        for (i, (rules, learnt)) in res.iter().enumerate() {
            println!("fold {} ({} docs)", i + 1, rules.docs);
            println!("  {}", line("rules", rules));
            println!("  {}", line("learnt", learnt));
        }
        for r in ROWS.iter().map(|r| (*r, false)).chain([("all", true)]) {
            let pick = |m: &QuoteMetrics| if r.1 { m.speaker_acc(r.0) } else { m.f1(r.0) };
            let (rm, rs) = mean_sd(&res.iter().map(|x| 100.0 * pick(&x.0)).collect::<Vec<_>>());
            let (lm, ls) = mean_sd(&res.iter().map(|x| 100.0 * pick(&x.1)).collect::<Vec<_>>());
            let what = if r.1 { "speaker acc" } else { "F1" };
            println!(
                "{folds}-fold {:<13} {what:<11} rules {rm:.2} ± {rs:.2}   learnt {lm:.2} ± {ls:.2}",
                r.0
            );
        }
    }
    if let Some(dev) = opt("--dev") {
        let dev = read_gold(Path::new(dev))?;
        let model = Arc::new(learn::train(&train, &cfg));
        let ex = QuoteExtractor::with_model(model.clone());
        println!("dev ({} docs, trained on all {} training docs)", dev.len(), train.len());
        println!("  {}", line("rules", &evaluate(&QuoteExtractor::rules_only(), &dev)));
        println!("  {}", line("learnt", &evaluate(&ex, &dev)));
        if args.iter().any(|a| a == "--diag") {
            println!("{}", learn::diagnose(&model, &dev));
        }
        if args.iter().any(|a| a == "--diag-train") {
            println!("on train: {}", learn::diagnose(&model, &train));
        }
        if let Some(k) = opt("--dev-folds") {
            // As `newsloom eval quotes --folds K` groups the dev file (by publisher).
            let k: usize = k.parse().map_err(|e| format!("--dev-folds: {e}"))?;
            let keys: Vec<String> = dev.iter().map(|r| r.publisher.clone()).collect();
            let fold = newsloom_model::folds::assign(&keys, k);
            let res: Vec<QuoteMetrics> = (0..k)
                .map(|f| {
                    let part: Vec<_> =
                        dev.iter().zip(&fold).filter(|(_, g)| **g == f).map(|(r, _)| r.clone()).collect();
                    evaluate(&ex, &part)
                })
                .collect();
            for (name, pick) in [
                ("all F1", &(|m: &QuoteMetrics| m.f1("all")) as &dyn Fn(&QuoteMetrics) -> f64),
                ("direct F1", &|m: &QuoteMetrics| m.f1("direct")),
                ("mixed F1", &|m: &QuoteMetrics| m.f1("mixed")),
                ("indirect F1", &|m: &QuoteMetrics| m.f1("indirect")),
                ("speaker acc", &|m: &QuoteMetrics| m.speaker_acc("all")),
            ] {
                let xs: Vec<f64> = res.iter().map(|m| 100.0 * pick(m)).collect();
                let (m, s) = mean_sd(&xs);
                let per: Vec<String> = xs.iter().map(|x| format!("{x:.2}")).collect();
                println!("dev {k}-fold {name:<12} {m:.2} ± {s:.2}  [{}]", per.join(" "));
            }
        }
        if let Some(p) = opt("--pred") {
            write_predictions(&ex, &dev, Path::new(p))?;
        }
    }
    Ok(())
}
