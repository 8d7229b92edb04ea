//! `newsloom eval cluster|crosslingual --folds K` (see [`newsloom_model::folds`]).
//!
//! * Cluster learns (the join scorer's weights and threshold, as `examples/train.rs` fits
//!   them): each fold's scorer is fitted on the other folds' stream — teacher-forced examples,
//!   logistic fit, threshold picked by B³ F1 on those folds — and scored on the held-out
//!   fold's stream. The group is the gold story, not the outlet: a story split across folds
//!   could not be clustered, and GVA's outlets (764) chain nearly every story together.
//!   The fit is lexical; `--embed-model` is not used here.
//! * Crosslingual: MEANTIME (no fitted parameters) is scored per fold as it is, grouped by
//!   story (its four language versions stay together). SemEval pairs are grouped by the
//!   connected articles of their `pair_id`s (`<article>_<article>`), so no article is in two
//!   folds, and the graded pair score ([`crate::pairsim`]) is refitted on the other folds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use newsloom_model::EvalReport;
use newsloom_model::folds::FoldTask;
use serde_json::Value;

use crate::eval::read_gold;
use crate::{ClusterConfig, train};

/// L2 penalty of the scorer fit (`examples/train.rs`'s default).
const L2: f64 = 1.0;

/// The story-clustering eval, fitted per fold.
pub struct ClusterFolds;

fn story_of(r: &Value) -> String {
    let s = |k: &str| r.get(k).and_then(Value::as_str);
    s("cluster").or_else(|| s("story")).unwrap_or("").to_string()
}

impl FoldTask for ClusterFolds {
    fn name(&self) -> &str {
        "cluster"
    }
    fn group_by(&self) -> &str {
        "gold story"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(story_of).collect()
    }
    fn learns(&self) -> bool {
        true
    }
    fn eval(&self, test: &Path, train_file: Option<&Path>) -> Result<EvalReport, String> {
        let train_file = train_file.ok_or("eval cluster --folds: no training part")?;
        let items = read_gold(train_file)?;
        let cfg = ClusterConfig::default();
        let run = train::teacher_examples(&items, &cfg);
        let weights = train::fit_weights(&run, L2);
        let fitted = ClusterConfig { weights, ..cfg };
        let (join_threshold, _) = train::pick_threshold(&items, &fitted);
        let mut rep = crate::eval::run_with(test, None, &ClusterConfig { join_threshold, ..fitted })?;
        rep.metrics.insert("fitted_join_threshold".into(), Value::from(f64::from(join_threshold)));
        Ok(rep)
    }
}

/// The cross-lingual eval, scored per fold.
pub struct CrosslingualFolds {
    pub embed_model: Option<PathBuf>,
}

/// Finds the representative of `x` (path halving).
fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// One group per set of pairs linked by a shared article id.
pub fn pair_groups(pair_ids: &[&str]) -> Vec<String> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let ends: Vec<(usize, usize)> = pair_ids
        .iter()
        .map(|p| {
            let (a, b) = p.split_once('_').unwrap_or((p, p));
            let mut id = |s| {
                let n = index.len();
                *index.entry(s).or_insert(n)
            };
            (id(a), id(b))
        })
        .collect();
    let mut parent: Vec<usize> = (0..index.len()).collect();
    for &(a, b) in &ends {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    // Name a group by its smallest pair id so the key does not depend on record order.
    let roots: Vec<usize> = ends.iter().map(|&(a, _)| find(&mut parent, a)).collect();
    let mut name: HashMap<usize, &str> = HashMap::new();
    for (r, p) in roots.iter().zip(pair_ids) {
        let e = name.entry(*r).or_insert(p);
        if *p < *e {
            *e = p;
        }
    }
    roots.iter().map(|r| format!("pairs:{}", name[r])).collect()
}

impl FoldTask for CrosslingualFolds {
    fn name(&self) -> &str {
        "crosslingual"
    }
    fn group_by(&self) -> &str {
        "story (MEANTIME) / linked articles (SemEval pairs)"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        if records.first().is_some_and(|r| r.get("pair_id").is_some()) {
            let ids: Vec<&str> =
                records.iter().map(|r| r.get("pair_id").and_then(Value::as_str).unwrap_or("")).collect();
            pair_groups(&ids)
        } else {
            records.iter().map(story_of).collect()
        }
    }
    fn learns(&self) -> bool {
        true
    }
    fn eval(&self, test: &Path, train: Option<&Path>) -> Result<EvalReport, String> {
        crate::crosslingual::run_crosslingual_trained(test, self.embed_model.as_deref(), train)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_sharing_an_article_share_a_group() {
        let g = pair_groups(&["1_2", "3_4", "2_5", "6_6", "5_7"]);
        assert_eq!(g[0], g[2]);
        assert_eq!(g[0], g[4]);
        assert_ne!(g[0], g[1]);
        assert_ne!(g[1], g[3]);
        assert_eq!(g[0], "pairs:1_2");
        // Order does not change the names.
        let r = pair_groups(&["5_7", "2_5", "6_6", "3_4", "1_2"]);
        assert_eq!(r[0], "pairs:1_2");
    }
}
