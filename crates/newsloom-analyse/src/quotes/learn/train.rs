//! Training the attribution scorer on PolNeAR-style gold (`polnear-train.jsonl`), and
//! cross-validation by publisher folds.

use super::super::QuoteExtractor;
use super::super::eval::{QuoteMetrics, evaluate};
use super::super::find::find_hits;
use super::super::gold::{GoldArticle, read_gold};
use super::super::text::{CharMap, Doc};
use super::QuoteModel;
use super::candidates::{Origin, candidates, variants};
use super::features::{Input, features};
use super::perceptron::Trainer;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Training settings. The defaults are what ships; they were chosen by publisher-grouped
/// cross-validation on the training file, not on dev.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub epochs: usize,
    /// A word joins the learnt cue vocabulary when it opens a gold cue at least this often…
    pub min_cue_count: usize,
    /// …and in at least this share of its occurrences outside quotations.
    pub min_cue_share: f32,
    /// Averaged weights smaller than this are dropped from the model.
    pub prune: f32,
    /// Keep a learnt-cue candidate when its best score is above this.
    pub threshold: f32,
    /// Also choose among alternative content boundaries for the rules' indirect hits (off:
    /// it lost F1 on dev and in cross-validation).
    pub boundaries: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            min_cue_count: 4,
            min_cue_share: 0.2,
            prune: 0.01,
            threshold: 0.0,
            boundaries: false,
        }
    }
}

/// Gold contents of an article as char ranges, one list per attribution.
fn gold_contents(rec: &GoldArticle) -> Vec<Vec<(usize, usize)>> {
    rec.attributions.iter().map(|a| a.content.spans.clone()).filter(|s| !s.is_empty()).collect()
}

/// The best overlap share (shared chars over the longer side) with any gold content.
fn best_overlap(pred: &[(usize, usize)], golds: &[Vec<(usize, usize)>]) -> f32 {
    let len = |v: &[(usize, usize)]| v.iter().map(|&(a, b)| b.saturating_sub(a)).sum::<usize>();
    golds
        .iter()
        .map(|g| {
            let shared: usize = pred
                .iter()
                .flat_map(|&(a, b)| g.iter().map(move |&(c, e)| b.min(e).saturating_sub(a.max(c))))
                .sum();
            shared as f32 / len(pred).max(len(g)).max(1) as f32
        })
        .fold(0.0, f32::max)
}

/// Words that open gold cues often and in a good share of their uses.
fn cue_vocab(records: &[GoldArticle], cfg: &TrainConfig) -> HashSet<String> {
    let mut cue_n: HashMap<String, usize> = HashMap::new();
    let mut all_n: HashMap<String, usize> = HashMap::new();
    for rec in records {
        let d = Doc::new(&rec.text);
        let cm = CharMap::new(&rec.text);
        let starts: HashSet<usize> =
            rec.attributions.iter().filter_map(|a| a.cue.as_ref()?.spans.first().map(|s| s.0)).collect();
        for (i, t) in d.toks.iter().enumerate() {
            if !t.word || d.in_quote[i].is_some() {
                continue;
            }
            let w = d.tok(i).to_lowercase();
            if starts.contains(&cm.char(t.s)) {
                *cue_n.entry(w.clone()).or_default() += 1;
            }
            *all_n.entry(w).or_default() += 1;
        }
    }
    cue_n
        .into_iter()
        .filter(|(w, n)| {
            *n >= cfg.min_cue_count
                && *n as f32 >= cfg.min_cue_share * all_n.get(w).copied().unwrap_or(1) as f32
                && w.chars().all(char::is_alphabetic)
        })
        .map(|(w, _)| w)
        .collect()
}

/// One candidate: its variants' features, and the variant to choose (the one sharing most
/// with a gold content, when that is at least half) or none.
struct Choice {
    options: Vec<Vec<u32>>,
    gold: Option<usize>,
    /// Learnt-cue candidates may be dropped; the rules' hits stay and only their boundaries
    /// are chosen.
    droppable: bool,
}

/// Every candidate of every article, with its variants.
fn examples(records: &[GoldArticle], vocab: &HashSet<String>, boundaries: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    let mut feats = Vec::with_capacity(32);
    for rec in records {
        let d = Doc::new(&rec.text);
        if d.sents.is_empty() {
            continue;
        }
        let cm = CharMap::new(&rec.text);
        let golds = gold_contents(rec);
        for c in candidates(&d, find_hits(&d), vocab) {
            let mut ch = Choice { options: Vec::new(), gold: None, droppable: c.origin == Origin::Learnt };
            for (v, content) in variants(&d, &c, boundaries) {
                let chars: Vec<(usize, usize)> =
                    content.iter().map(|&(a, b)| (cm.char(d.toks[a].s), cm.char(d.toks[b - 1].e))).collect();
                features(&d, &Input::of(&d, &c, v, &content), &mut feats);
                // The first variant that matches (the rules' own content when it does): any
                // match counts, so a better overlap is no reason to move a boundary.
                if ch.gold.is_none() && best_overlap(&chars, &golds) >= 0.5 {
                    ch.gold = Some(ch.options.len());
                }
                ch.options.push(feats.clone());
            }
            out.push(ch);
        }
    }
    out
}

/// Trains a model on `records`. Deterministic: the same records and settings give the same
/// weights.
pub fn train(records: &[GoldArticle], cfg: &TrainConfig) -> QuoteModel {
    let vocab = cue_vocab(records, cfg);
    let ex = examples(records, &vocab, cfg.boundaries);
    let mut t = Trainer::default();
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..cfg.epochs {
        // Fisher–Yates with a fixed-seed xorshift: reproducible shuffles.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let c = &ex[i];
            if c.droppable || c.gold.is_some() {
                t.learn_choice(&c.options, c.gold, c.droppable);
            }
        }
    }
    QuoteModel { weights: t.averaged(cfg.prune), vocab, threshold: cfg.threshold, boundaries: cfg.boundaries }
}

/// `newsloom train quotes`: trains on a gold file, writes the gzip'd model, returns a summary.
pub fn train_file(data: &Path, out: &Path) -> Result<String, String> {
    let t0 = std::time::Instant::now();
    let records = read_gold(data)?;
    if records.is_empty() {
        return Err(format!("{}: no articles", data.display()));
    }
    let cfg = TrainConfig::default();
    let model = train(&records, &cfg);
    let gz = model.to_gz()?;
    std::fs::write(out, &gz).map_err(|e| format!("{}: {e}", out.display()))?;
    let n_attr: usize = records.iter().map(|r| r.attributions.len()).sum();
    Ok(format!(
        "trained the quote scorer on {} articles ({} attributions) in {:.1}s: {} weights, {} learnt cue words; wrote {} ({} KB)",
        records.len(),
        n_attr,
        t0.elapsed().as_secs_f64(),
        model.len(),
        model.vocab.len(),
        out.display(),
        gz.len().div_ceil(1024)
    ))
}

/// Folds grouped by publisher (never splitting one): publishers in name order, dealt round
/// robin. Returns each record's fold.
pub fn publisher_folds(records: &[GoldArticle], k: usize) -> Vec<usize> {
    let pubs: BTreeMap<&str, usize> = {
        let mut names: Vec<&str> = records.iter().map(|r| r.publisher.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names.into_iter().enumerate().map(|(i, p)| (p, i % k.max(1))).collect()
    };
    records.iter().map(|r| pubs[r.publisher.as_str()]).collect()
}

/// K-fold cross-validation by publisher: for each fold, (rules alone, learnt) metrics on the
/// fold after training on the others.
pub fn cross_validate(
    records: &[GoldArticle],
    cfg: &TrainConfig,
    k: usize,
) -> Vec<(QuoteMetrics, QuoteMetrics)> {
    let folds = publisher_folds(records, k);
    (0..k)
        .map(|f| {
            let (test, train_set): (Vec<_>, Vec<_>) = records.iter().zip(&folds).partition(|&(_, &g)| g == f);
            let train_set: Vec<GoldArticle> = train_set.into_iter().map(|(r, _)| r.clone()).collect();
            let test: Vec<GoldArticle> = test.into_iter().map(|(r, _)| r.clone()).collect();
            let model = train(&train_set, cfg);
            let rules = evaluate(&QuoteExtractor::rules_only(), &test);
            let learnt = evaluate(&QuoteExtractor::with_model(Arc::new(model)), &test);
            (rules, learnt)
        })
        .collect()
}
