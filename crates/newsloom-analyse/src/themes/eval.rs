//! `newsloom eval themes --gold FILE [--folds K] [--out FILE]` and `newsloom train themes`, on
//! BBC-style JSONL (`{"id", "group"?, "text", "iptc": {"code"}}` per article), with the metrics of
//! `shared/eval/themes_score.py`: accuracy and macro-F1 over the gold subjects, and `hit_any`
//! (the gold subject among all labels).
//!
//! With `--folds K`, each article is labelled by a model learnt on the other folds, folds
//! grouped by `group` (duplicates stay together); without it, by the shipped model.

use super::{ThemeClassifier, TopicModel};
use newsloom_model::EvalReport;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

#[derive(Deserialize)]
struct Iptc {
    code: String,
}

#[derive(Deserialize)]
struct ArticleRow {
    id: String,
    #[serde(default)]
    group: String,
    text: String,
    iptc: Iptc,
}

fn read(path: &Path) -> Result<Vec<ArticleRow>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}

/// Learns the topic model from all of `data` and writes it (reproduces
/// `models/themes-lr.bin.gz` from BBC dev).
pub fn train(data: &Path, out: &Path) -> Result<String, String> {
    let rows = read(data)?;
    if rows.is_empty() {
        return Err(format!("{}: no articles", data.display()));
    }
    let model = TopicModel::fit(rows.iter().map(|r| (r.text.as_str(), r.iptc.code.as_str())));
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(format!(
        "trained on {} articles, {} classes: {} bytes -> {}",
        rows.len(),
        model.classes.len(),
        bytes.len(),
        out.display()
    ))
}

pub fn eval(gold: &Path, folds: Option<usize>, out: Option<&Path>) -> Result<EvalReport, String> {
    let rows = read(gold)?;
    let k = folds.unwrap_or(0);
    if k == 1 {
        return Err("--folds must be at least 2".into());
    }
    // Grouped folds shared by every stage: a group is wholly in one fold.
    let fold_of = newsloom_model::folds::assign(&rows.iter().map(|r| r.group.clone()).collect::<Vec<_>>(), k);
    let classifiers: Vec<ThemeClassifier> = (0..k)
        .map(|f| {
            let train = rows.iter().zip(&fold_of).filter(|(_, g)| **g != f).map(|(r, _)| r);
            ThemeClassifier::with_model(Ok(TopicModel::fit(
                train.map(|r| (r.text.as_str(), r.iptc.code.as_str())),
            )))
        })
        .collect();
    let shipped = ThemeClassifier::shared();
    if let (0, Some(e)) = (k, shipped.model_error()) {
        return Err(e.to_string());
    }
    let t0 = Instant::now();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut hit_any = 0usize;
    let mut preds = Vec::new();
    for (r, &fold) in rows.iter().zip(&fold_of) {
        let c = if k == 0 { shipped } else { &classifiers[fold] };
        let labels = c.classify(&r.text);
        let main = labels.first().map(|l| l.code.clone()).unwrap_or_default();
        let iptc: Vec<&str> = labels.iter().filter(|l| l.kind == "iptc").map(|l| l.code.as_str()).collect();
        hit_any += iptc.contains(&r.iptc.code.as_str()) as usize;
        preds.push(json!({"id": r.id, "label": main, "labels": iptc, "themes": labels}));
        pairs.push((r.iptc.code.clone(), main));
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let n = rows.len().max(1) as f64;
    let acc = pairs.iter().filter(|(g, p)| g == p).count() as f64 / n;
    let mut classes: Vec<&str> = pairs.iter().map(|(g, _)| g.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut per_class = Map::new();
    let mut f1_sum = 0.0;
    for c in &classes {
        let tp = pairs.iter().filter(|(g, p)| g == c && p == c).count() as f64;
        let fp = pairs.iter().filter(|(g, p)| g != c && p == c).count() as f64;
        let fn_ = pairs.iter().filter(|(g, p)| g == c && p != c).count() as f64;
        let pr = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let rc = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let f1 = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
        f1_sum += f1;
        per_class.insert(c.to_string(), json!({"P": r2(pr), "R": r2(rc), "F1": r2(f1)}));
    }
    let macro_f1 = f1_sum / classes.len().max(1) as f64;
    let aps = rows.len() as f64 / secs;
    let mode =
        if k == 0 { "shipped model".to_string() } else { format!("{k}-fold CV grouped by duplicate group") };
    let mut m = Map::new();
    m.insert("n".into(), rows.len().into());
    m.insert("model".into(), mode.clone().into());
    m.insert("accuracy".into(), r2(acc).into());
    m.insert("macro_f1".into(), r2(macro_f1).into());
    m.insert("hit_any".into(), r2(hit_any as f64 / n).into());
    m.insert("per_class".into(), Value::Object(per_class));
    m.insert("articles_per_s".into(), aps.round().into());
    let mut human = format!("themes (IPTC top level, {mode})\n");
    let _ = writeln!(
        human,
        "articles {}  accuracy {:.2}  macro-F1 {:.2}  hit_any {:.2}",
        rows.len(),
        100.0 * acc,
        100.0 * macro_f1,
        100.0 * hit_any as f64 / n
    );
    let _ = writeln!(human, "{:.0} articles/s (one thread, classify only)", aps);
    if let Some(path) = out {
        let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut w = std::io::BufWriter::new(f);
        for p in &preds {
            writeln!(w, "{p}").map_err(|e| format!("{}: {e}", path.display()))?;
        }
        w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(EvalReport { task: "themes".into(), metrics: m, human })
}

fn r2(x: f64) -> f64 {
    (x * 10000.0).round() / 100.0
}
