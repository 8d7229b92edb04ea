//! Training the join scorer from a labelled stream (used by `examples/train.rs`).

use std::collections::HashMap;

use crate::eval::{GoldArticle, Scores, score, stream};
use crate::scorer;
use crate::story::NF;
use crate::{ClusterConfig, OnlineClusterer, Target};

/// One (article, candidate story) pair.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub features: [f32; NF],
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
    let mut c = OnlineClusterer::with_config(cfg.clone());
    let mut story_of: HashMap<&str, String> = HashMap::new();
    let mut run = TeacherRun::default();
    for it in items {
        let prep = c.prepare(&it.article, &[]);
        let open = story_of.get(it.cluster.as_str()).and_then(|s| c.resolve(s)).map(str::to_string);
        let is_copy = prep.copy.as_ref().is_some_and(|(_, s)| c.resolve(s).is_some());
        if !is_copy {
            if let Some(gold) = &open {
                run.gold_open += 1;
                run.gold_retrieved += usize::from(prep.candidates.iter().any(|k| &k.story == gold));
            }
            for k in &prep.candidates {
                run.examples.push(Example { features: k.features, label: Some(&k.story) == open.as_ref() });
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

/// Real streaming clustering of `items` scored against their gold stories.
pub fn evaluate(items: &[GoldArticle], cfg: &ClusterConfig) -> Scores {
    let run = stream(items, cfg);
    let gold: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
    score(&gold, &run.labels)
}

/// Picks the join threshold with the best B³ F1 on `items` from a fixed grid.
pub fn pick_threshold(items: &[GoldArticle], cfg: &ClusterConfig) -> (f32, Scores) {
    let mut best: Option<(f32, Scores)> = None;
    for i in 0..=16 {
        let t = 0.1 + 0.05 * i as f32;
        let c = ClusterConfig { join_threshold: t, ..cfg.clone() };
        let s = evaluate(items, &c);
        if best.is_none_or(|(_, b)| s.b3_f1 > b.b3_f1) {
            best = Some((t, s));
        }
    }
    best.expect("non-empty grid")
}
