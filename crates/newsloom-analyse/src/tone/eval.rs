//! `newsloom eval tone --gold FILE [--folds K] [--out FILE]`, with the metrics of
//! `shared/eval/tone_score.py`: macro F1 over the three classes (F1m), accuracy, F1 over
//! positive and negative (F1pn), mean recall and Pearson r of the score against gold polarity,
//! per `set` and over all rows.
//!
//! * NewsMTSC (one sentence a line with `targets`): the target model. With `--folds K`, each
//!   row is predicted by a model trained on the other folds, folds grouped by `article` (an
//!   article never straddles two folds); without it, by the shipped model (use that only on
//!   rows it was not trained on, e.g. the held-back test half). `NEWSLOOM_TONE_SEED=N` sets the
//!   CV models' shuffling seed (default 7).
//! * PerSenT (one article a line with `target`): document level. The person's sentiment is the
//!   mean of the target model's scores over the sentences naming them (full name or surname);
//!   also reported: the untargeted article tone (V2Tone) as the score, and per paragraph.

use super::train::{SentenceRow, examples, read_sentences, sentence_features};
use super::{Lexicon, ToneAnalyser, ToneModel, TrainConfig, argmax, train_from_examples};
use crate::ner::{sentences, tokenize};
use newsloom_model::EvalReport;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

/// Runs the evaluation; the corpus is recognised from the first line.
pub fn eval(gold: &Path, folds: Option<usize>, out: Option<&Path>) -> Result<EvalReport, String> {
    let text = std::fs::read_to_string(gold).map_err(|e| format!("{}: {e}", gold.display()))?;
    let first: Value = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("{}:1: {e}", gold.display())))
        .transpose()?
        .ok_or_else(|| format!("{}: empty gold file", gold.display()))?;
    if first.get("targets").is_some() {
        eval_sentences(gold, folds, out)
    } else if first.get("target").is_some() {
        eval_documents(gold, out)
    } else {
        Err(format!("{}: neither NewsMTSC rows (`targets`) nor PerSenT rows (`target`)", gold.display()))
    }
}

/// Classification metrics over (gold, predicted, score) triples, as tone_score.py counts them.
fn metrics(items: &[(i8, i8, f32)]) -> Map<String, Value> {
    let n = items.len();
    let mut f1 = [0.0f64; 3];
    let mut rec = [0.0f64; 3];
    for (c, cls) in (-1i8..=1).enumerate() {
        let tp = items.iter().filter(|(g, p, _)| *g == cls && *p == cls).count() as f64;
        let fp = items.iter().filter(|(g, p, _)| *g != cls && *p == cls).count() as f64;
        let fn_ = items.iter().filter(|(g, p, _)| *g == cls && *p != cls).count() as f64;
        let pr = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let rc = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        f1[c] = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
        rec[c] = rc;
    }
    let correct = items.iter().filter(|(g, p, _)| g == p).count();
    let r2 = |x: f64| (x * 10000.0).round() / 100.0;
    let mut m = Map::new();
    m.insert("n".into(), n.into());
    m.insert("F1m".into(), r2(f1.iter().sum::<f64>() / 3.0).into());
    m.insert("acc".into(), r2(if n > 0 { correct as f64 / n as f64 } else { 0.0 }).into());
    m.insert("F1pn".into(), r2((f1[0] + f1[2]) / 2.0).into());
    m.insert("rec_avg".into(), r2(rec.iter().sum::<f64>() / 3.0).into());
    m.insert("F1_per_class".into(), json!({"neg": r2(f1[0]), "neu": r2(f1[1]), "pos": r2(f1[2])}));
    m.insert(
        "pearson".into(),
        pearson(items).map_or(Value::Null, |r| ((r * 10000.0).round() / 10000.0).into()),
    );
    m
}

fn pearson(items: &[(i8, i8, f32)]) -> Option<f64> {
    let n = items.len() as f64;
    if n < 2.0 {
        return None;
    }
    let mx = items.iter().map(|x| x.0 as f64).sum::<f64>() / n;
    let my = items.iter().map(|x| x.2 as f64).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(g, _, s) in items {
        let (dx, dy) = (g as f64 - mx, s as f64 - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Rows grouped into per-set metric rows plus "all", with a human table.
fn report_rows(
    task: &str,
    per_item: &[(String, (i8, i8, f32))],
    metrics_out: &mut Map<String, Value>,
) -> String {
    let mut sets: Vec<&str> = per_item.iter().map(|(s, _)| s.as_str()).collect();
    sets.sort_unstable();
    sets.dedup();
    sets.push("all");
    let mut human = format!(
        "{task}\n{:<12} {:>6} {:>7} {:>7} {:>7} {:>8}\n",
        "set", "n", "F1m", "acc", "F1pn", "pearson"
    );
    let mut rows = Map::new();
    for set in sets {
        let items: Vec<(i8, i8, f32)> =
            per_item.iter().filter(|(s, _)| set == "all" || s == set).map(|(_, x)| *x).collect();
        let m = metrics(&items);
        let _ = writeln!(
            human,
            "{:<12} {:>6} {:>7} {:>7} {:>7} {:>8}",
            set,
            items.len(),
            m["F1m"],
            m["acc"],
            m["F1pn"],
            m["pearson"]
        );
        rows.insert(set.to_string(), Value::Object(m));
    }
    metrics_out.insert("rows".into(), Value::Object(rows));
    human
}

fn eval_sentences(gold: &Path, folds: Option<usize>, out: Option<&Path>) -> Result<EvalReport, String> {
    let rows = read_sentences(gold)?;
    let lex = Lexicon::shared();
    // One model per fold (or the shipped one), then every row predicted by its model.
    let k = folds.unwrap_or(0);
    if k == 1 {
        return Err("--folds must be at least 2".into());
    }
    // Grouped by article (the shared fold scheme): an article's sentences share one fold.
    let fold_of =
        newsloom_model::folds::assign(&rows.iter().map(|r| r.article.clone()).collect::<Vec<_>>(), k);
    let mut models: Vec<ToneModel> = Vec::new();
    let t_train = Instant::now();
    for f in 0..k {
        let ex = examples(lex, rows.iter().zip(&fold_of).filter(|(_, g)| **g != f).map(|(r, _)| r));
        models.push(train_from_examples(&ex, cv_config()));
    }
    let train_secs = t_train.elapsed().as_secs_f64();
    let shipped = ToneAnalyser::shared();
    if let (0, Some(e)) = (k, shipped.model_error()) {
        return Err(e.to_string());
    }
    let t0 = Instant::now();
    let mut per_item = Vec::new();
    let mut per_fold: Vec<Vec<(i8, i8, f32)>> = vec![Vec::new(); k];
    let mut preds = Vec::with_capacity(rows.len());
    for (row, &fold) in rows.iter().zip(&fold_of) {
        let probs: Vec<[f32; 3]> = if k == 0 {
            predict_shipped(shipped, row)
        } else {
            let model = &models[fold];
            sentence_features(lex, row).iter().map(|(f, _)| model.probabilities(f)).collect()
        };
        let mut targets = Vec::new();
        for (t, p) in row.targets.iter().zip(probs) {
            let pred = argmax(p) as i8 - 1;
            let score = p[2] - p[0];
            per_item.push((row.set.clone(), (t.polarity, pred, score)));
            if k > 0 {
                per_fold[fold].push((t.polarity, pred, score));
            }
            targets.push(json!({"id": t.id, "polarity": pred, "score": score}));
        }
        preds.push(json!({"id": row.id, "targets": targets}));
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let mut m = Map::new();
    m.insert("corpus".into(), "newsmtsc".into());
    m.insert("model".into(), if k == 0 { "shipped".into() } else { format!("{k}-fold by article").into() });
    let mut human = report_rows(
        &format!(
            "tone (NewsMTSC, {})",
            if k == 0 { "shipped model".into() } else { format!("{k}-fold CV grouped by article") }
        ),
        &per_item,
        &mut m,
    );
    if k > 0 {
        // The spread over folds: each fold's F1m on its own held-out articles.
        let f1s: Vec<f64> =
            per_fold.iter().map(|items| metrics(items)["F1m"].as_f64().unwrap_or(0.0)).collect();
        let mean = f1s.iter().sum::<f64>() / k as f64;
        let sd = (f1s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k as f64 - 1.0)).sqrt();
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        m.insert("fold_F1m".into(), json!(f1s));
        m.insert("fold_F1m_mean".into(), r2(mean).into());
        m.insert("fold_F1m_sd".into(), r2(sd).into());
        let _ = writeln!(
            human,
            "per-fold F1m: {} (mean {mean:.2} ± {sd:.2} sd)",
            f1s.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>().join(" ")
        );
    }
    let sps = rows.len() as f64 / secs;
    m.insert("sentences".into(), rows.len().into());
    m.insert("sentences_per_s".into(), (sps.round()).into());
    m.insert("train_seconds".into(), ((train_secs * 10.0).round() / 10.0).into());
    let _ = writeln!(
        human,
        "{} sentences in {:.2} s: {:.0} sentences/s (one thread, features + model)",
        rows.len(),
        secs,
        sps
    );
    write_preds(out, &preds)?;
    Ok(EvalReport { task: "tone".into(), metrics: m, human })
}

/// The training settings of the CV models: the defaults, with the shuffling seed from
/// `NEWSLOOM_TONE_SEED` when set (to report the spread over seeds).
fn cv_config() -> TrainConfig {
    let d = TrainConfig::default();
    let seed = std::env::var("NEWSLOOM_TONE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(d.seed);
    TrainConfig { seed, ..d }
}

fn predict_shipped(tone: &ToneAnalyser, row: &SentenceRow) -> Vec<[f32; 3]> {
    row.targets
        .iter()
        .map(|t| tone.target_in_sentence(&row.text, t.start, t.end).unwrap_or([0.0, 1.0, 0.0]))
        .collect()
}

fn write_preds(out: Option<&Path>, preds: &[Value]) -> Result<(), String> {
    let Some(path) = out else { return Ok(()) };
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    for p in preds {
        writeln!(w, "{p}").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct DocumentRow {
    id: String,
    #[serde(default)]
    set: String,
    target: String,
    text: String,
    polarity: i8,
    #[serde(default)]
    paragraphs: Option<Vec<ParagraphRow>>,
}

#[derive(Deserialize)]
struct ParagraphRow {
    start: usize,
    end: usize,
    polarity: i8,
}

/// Decision threshold on the mean target score for a document's person: the class prior of
/// news people leans neutral-to-positive, so a mean score inside ±THRESHOLD is neutral.
const DOC_THRESHOLD: f32 = 0.1;

fn classify(score: f32) -> i8 {
    if score > DOC_THRESHOLD {
        1
    } else if score < -DOC_THRESHOLD {
        -1
    } else {
        0
    }
}

fn eval_documents(gold: &Path, out: Option<&Path>) -> Result<EvalReport, String> {
    let text = std::fs::read_to_string(gold).map_err(|e| format!("{}: {e}", gold.display()))?;
    let docs: Vec<DocumentRow> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", gold.display(), n + 1)))
        .collect::<Result<_, _>>()?;
    let tone = ToneAnalyser::shared();
    if let Some(e) = tone.model_error() {
        return Err(e.to_string());
    }
    let t0 = Instant::now();
    let (mut targeted, mut untargeted, mut paragraphs) = (Vec::new(), Vec::new(), Vec::new());
    let mut preds = Vec::with_capacity(docs.len());
    for d in &docs {
        let names = target_names(&d.target);
        let tokens = tokenize(&d.text);
        let sents = sentences(&d.text, &tokens);
        // (char start of sentence, target score) for every sentence naming the person.
        let mut scored: Vec<(usize, f32)> = Vec::new();
        for &(a, b) in &sents {
            let toks = &tokens[a..b];
            let s = tone.prepare(&d.text, toks);
            let Some(t) = find_name(&s.words, &names) else { continue };
            if let Some(p) = tone.target_probabilities(&s, t.0, t.1) {
                scored.push((toks[0].char_start, p[2] - p[0]));
            }
        }
        let mean =
            |xs: &[f32]| if xs.is_empty() { None } else { Some(xs.iter().sum::<f32>() / xs.len() as f32) };
        let all: Vec<f32> = scored.iter().map(|x| x.1).collect();
        let article = tone.article_tone(&d.text);
        // Without a sentence naming the person, fall back to the article's tone (per 10 points).
        let score = mean(&all).unwrap_or(article.tone / 10.0);
        let pred = classify(score);
        targeted.push((d.set.clone(), (d.polarity, pred, score)));
        untargeted.push((d.set.clone(), (d.polarity, classify(article.tone / 10.0), article.tone)));
        let mut para_preds = Vec::new();
        if let Some(ps) = &d.paragraphs {
            for p in ps {
                let inside: Vec<f32> =
                    scored.iter().filter(|x| x.0 >= p.start && x.0 < p.end).map(|x| x.1).collect();
                let s = mean(&inside).unwrap_or(score);
                let pp = classify(s);
                paragraphs.push(("paragraphs".to_string(), (p.polarity, pp, s)));
                para_preds.push(pp);
            }
        }
        preds.push(json!({"id": d.id, "polarity": pred, "score": score, "paragraphs": para_preds}));
    }
    let secs = t0.elapsed().as_secs_f64().max(1e-9);
    let mut m = Map::new();
    m.insert("corpus".into(), "persent".into());
    let mut human = report_rows(
        "tone (PerSenT, document: target model over sentences naming the person)",
        &targeted,
        &mut m,
    );
    let mut um = Map::new();
    human += &report_rows("untargeted article tone (V2Tone), for comparison", &untargeted, &mut um);
    m.insert("untargeted_rows".into(), um.remove("rows").unwrap_or_default());
    let mut pm = Map::new();
    human += &report_rows("paragraphs", &paragraphs, &mut pm);
    m.insert("paragraph_rows".into(), pm.remove("rows").unwrap_or_default());
    let aps = docs.len() as f64 / secs;
    m.insert("articles".into(), docs.len().into());
    m.insert("articles_per_s".into(), aps.round().into());
    let _ = writeln!(human, "{} articles in {:.2} s: {:.0} articles/s (one thread)", docs.len(), secs, aps);
    write_preds(out, &preds)?;
    Ok(EvalReport { task: "tone".into(), metrics: m, human })
}

/// The word sequences that name a person: the full name and, for multi-word names, the surname.
fn target_names(target: &str) -> Vec<Vec<String>> {
    let full: Vec<String> = tokenize(target).iter().map(|t| t.text(target).to_lowercase()).collect();
    let mut out = vec![full.clone()];
    if full.len() > 1 {
        out.push(vec![full[full.len() - 1].clone()]);
    }
    out
}

/// The first word range of a sentence that matches one of `names`.
fn find_name(words: &[std::borrow::Cow<'_, str>], names: &[Vec<String>]) -> Option<(usize, usize)> {
    for name in names {
        if name.is_empty() || name.len() > words.len() {
            continue;
        }
        for i in 0..=words.len() - name.len() {
            if name.iter().zip(&words[i..]).all(|(a, b)| a == b.as_ref()) {
                return Some((i, i + name.len()));
            }
        }
    }
    None
}
