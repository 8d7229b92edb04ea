//! Training the join scorer from a labelled stream (used by `examples/train.rs`).

use std::collections::HashMap;

use crate::doc::Analysed;
use crate::eval::{GoldArticle, Scores, score, stream};
use crate::scorer;
use crate::story::NF;
use crate::{ClusterConfig, OnlineClusterer, Target};

/// One (article, candidate story) pair.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub features: [f32; NF],
    /// `(cosine of embeddings, cross-language)` when both sides had embeddings.
    pub emb: Option<(f32, bool)>,
    /// The candidate is the article's gold story.
    pub label: bool,
}

/// Pair examples and how often retrieval found the gold story.
#[derive(Debug, Clone, Default)]
pub struct TeacherRun {
    pub examples: Vec<Example>,
    /// Articles whose gold story was open when they arrived.
    pub gold_open: usize,
    /// ... and was among the retrieved candidates.
    pub gold_retrieved: usize,
}

/// Streams `items` with gold stories (teacher forcing: each article is placed in its gold
/// story if that story is open, else opens it) and records the features of every candidate
/// the real retrieval returns. Copies are skipped: they bypass the scorer at run time too.
pub fn teacher_examples(items: &[GoldArticle], cfg: &ClusterConfig) -> TeacherRun {
    teacher_examples_with(items, cfg, None)
}

/// [`teacher_examples`] with a sentence embedding per article (parallel to `items`).
pub fn teacher_examples_with(
    items: &[GoldArticle],
    cfg: &ClusterConfig,
    embs: Option<&[Vec<f32>]>,
) -> TeacherRun {
    let mut c = OnlineClusterer::with_config(cfg.clone());
    let mut story_of: HashMap<&str, String> = HashMap::new();
    let mut run = TeacherRun::default();
    for (i, it) in items.iter().enumerate() {
        let mut an = Analysed::new(&it.article);
        if let Some(v) = embs.and_then(|e| e.get(i)) {
            an = an.with_embedding(v.clone());
        }
        let prep = c.prepare_analysed(&it.article, &[], an);
        let open = story_of.get(it.cluster.as_str()).and_then(|s| c.resolve(s)).map(str::to_string);
        let is_copy = prep.copy.as_ref().is_some_and(|(_, s)| c.resolve(s).is_some());
        if !is_copy {
            if let Some(gold) = &open {
                run.gold_open += 1;
                run.gold_retrieved += usize::from(prep.candidates.iter().any(|k| &k.story == gold));
            }
            for k in &prep.candidates {
                run.examples.push(Example {
                    features: k.features,
                    emb: k.emb,
                    label: Some(&k.story) == open.as_ref(),
                });
            }
        }
        let target = open.map_or(Target::New, Target::Story);
        let a = c.commit(&it.article, prep, target, &[]);
        story_of.insert(it.cluster.as_str(), a.story);
    }
    run
}

/// Fits the scorer's weights on teacher-forced examples.
pub fn fit_weights(run: &TeacherRun, l2: f64) -> [f32; NF] {
    let xs: Vec<[f32; NF]> = run.examples.iter().map(|e| e.features).collect();
    let ys: Vec<bool> = run.examples.iter().map(|e| e.label).collect();
    scorer::fit(&xs, &ys, l2, 50)
}

/// Fits the embedding stage (see [`scorer::EMB_WEIGHTS`]) on the examples that carry
/// embeddings, the lexical weights `w` frozen.
pub fn fit_emb_weights(examples: &[Example], w: &[f32; NF], l2: f64) -> [f32; scorer::EMB_NF] {
    let (xs, ys): (Vec<_>, Vec<_>) = examples
        .iter()
        .filter_map(|e| {
            let (cos, cross) = e.emb?;
            Some((scorer::emb_features(scorer::logit(w, &e.features), cos, cross), e.label))
        })
        .unzip();
    scorer::fit(&xs, &ys, l2, 50)
}

/// Real streaming clustering of `items` scored against their gold stories.
pub fn evaluate(items: &[GoldArticle], cfg: &ClusterConfig) -> Scores {
    let run = stream(items, cfg);
    let gold: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
    score(&gold, &run.labels)
}

/// Picks the join threshold with the best B³ F1 on `items` from a fixed grid.
pub fn pick_threshold(items: &[GoldArticle], cfg: &ClusterConfig) -> (f32, Scores) {
    let mut best: Option<(f32, Scores)> = None;
    for i in 0..=28 {
        let t = 0.1 + 0.025 * i as f32;
        let c = ClusterConfig { join_threshold: t, ..cfg.clone() };
        let s = evaluate(items, &c);
        if best.is_none_or(|(_, b)| s.b3_f1 > b.b3_f1) {
            best = Some((t, s));
        }
    }
    best.expect("non-empty grid")
}

/// Pair examples from the clusterer's own decisions (one DAgger step): stories are as the
/// current weights build them, so the scorer also learns from impure, fragmented stories.
/// A candidate is positive when most of its articles share the article's gold story.
pub fn policy_examples(items: &[GoldArticle], cfg: &ClusterConfig) -> TeacherRun {
    let mut c = OnlineClusterer::with_config(cfg.clone());
    let mut golds: HashMap<String, HashMap<&str, u32>> = HashMap::new();
    let mut run = TeacherRun::default();
    for it in items {
        let prep = c.prepare(&it.article, &[]);
        let is_copy = prep.copy.as_ref().is_some_and(|(_, s)| c.resolve(s).is_some());
        if !is_copy {
            for k in &prep.candidates {
                let label = golds.get(&k.story).is_some_and(|g| {
                    let total: u32 = g.values().sum();
                    g.get(it.cluster.as_str()).is_some_and(|&n| 2 * n > total)
                });
                run.examples.push(Example { features: k.features, emb: k.emb, label });
            }
        }
        let (target, merge) = c.decide(&prep);
        let a = c.commit(&it.article, prep, target, &merge);
        for m in &a.merges {
            if let Some(g) = golds.remove(&m.absorbed) {
                let into = golds.entry(m.into.clone()).or_default();
                for (k, v) in g {
                    *into.entry(k).or_default() += v;
                }
            }
        }
        *golds.entry(a.story).or_default().entry(it.cluster.as_str()).or_default() += 1;
    }
    run
}
