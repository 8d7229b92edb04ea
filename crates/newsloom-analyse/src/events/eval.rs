//! `newsloom eval events GOLD.jsonl`: codes each gold sentence and compares the sets of
//! (source, target, code) triples, micro-averaged (see `shared/data/events/README.md`).
//!
//! A gold file whose name contains `unittest` is coded with the PETRARCH2 validation
//! dictionaries read from `petrarch2-validate-dictionaries/` beside it; otherwise the shipped
//! Phoenix dictionaries are used. Negated cooperation is scored as the matching rejection
//! (the PETRARCH convention); other negated events are not scored.

use super::{EventCoder, dates, tables};
use newsloom_model::EvalReport;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::time::Instant;

pub(crate) type Triple = (String, String, String);

fn prf(tp: usize, np: usize, ng: usize) -> (f64, f64, f64) {
    let p = if np > 0 { tp as f64 / np as f64 } else { 0.0 };
    let r = if ng > 0 { tp as f64 / ng as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (p, r, f)
}

/// Size of the multiset intersection of `a` and `b` under a key.
fn overlap<K: PartialEq>(a: &[Triple], b: &[Triple], key: impl Fn(&Triple) -> K) -> usize {
    let mut used = vec![false; b.len()];
    let mut n = 0;
    for x in a {
        let kx = key(x);
        if let Some(j) = (0..b.len()).find(|&j| !used[j] && key(&b[j]) == kx) {
            used[j] = true;
            n += 1;
        }
    }
    n
}

/// Where the triples of one sentence went wrong, per component.
///
/// Exact matches are taken out first (as a multiset). Of the rest, a gold event and a
/// predicted event that differ in exactly one component are paired, in this order: only the
/// source differs (`wrong_actor`), only the target (`wrong_target`), only the code
/// (`wrong_code`). Gold events left over are `missed`, predicted ones `spurious`. So
/// false negatives = wrong_actor + wrong_target + wrong_code + missed, and false positives =
/// wrong_actor + wrong_target + wrong_code + spurious.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Errors {
    pub wrong_actor: usize,
    pub wrong_target: usize,
    pub wrong_code: usize,
    pub missed: usize,
    pub spurious: usize,
}

impl Errors {
    pub const NAMES: [&'static str; 5] = ["wrong_actor", "wrong_target", "wrong_code", "missed", "spurious"];

    pub fn counts(&self) -> [usize; 5] {
        [self.wrong_actor, self.wrong_target, self.wrong_code, self.missed, self.spurious]
    }

    fn add(&mut self, o: &Errors) {
        self.wrong_actor += o.wrong_actor;
        self.wrong_target += o.wrong_target;
        self.wrong_code += o.wrong_code;
        self.missed += o.missed;
        self.spurious += o.spurious;
    }

    /// Classifies the errors of one sentence's predicted triples `pred` against `gold`.
    pub fn classify(pred: &[Triple], gold: &[Triple]) -> Errors {
        let mut gu = vec![false; gold.len()];
        let mut pu = vec![false; pred.len()];
        for (i, p) in pred.iter().enumerate() {
            if let Some(j) = (0..gold.len()).find(|&j| !gu[j] && gold[j] == *p) {
                gu[j] = true;
                pu[i] = true;
            }
        }
        let mut e = Errors::default();
        // Component k (0 source, 1 target, 2 code) alone differs.
        let only = |p: &Triple, g: &Triple, k: usize| {
            let same = [p.0 == g.0, p.1 == g.1, p.2 == g.2];
            !same[k] && (0..3).all(|m| m == k || same[m])
        };
        for k in 0..3 {
            for j in 0..gold.len() {
                if gu[j] {
                    continue;
                }
                if let Some(i) = (0..pred.len()).find(|&i| !pu[i] && only(&pred[i], &gold[j], k)) {
                    gu[j] = true;
                    pu[i] = true;
                    match k {
                        0 => e.wrong_actor += 1,
                        1 => e.wrong_target += 1,
                        _ => e.wrong_code += 1,
                    }
                }
            }
        }
        e.missed = gu.iter().filter(|u| !**u).count();
        e.spurious = pu.iter().filter(|u| !**u).count();
        e
    }
}

fn negated_code(code: &str) -> Option<String> {
    match code.get(..2)? {
        "03" | "05" | "06" | "07" => Some("121".into()),
        "01" | "02" | "04" | "08" | "09" => Some("120".into()),
        _ => None,
    }
}

fn coder_for(gold: &Path) -> Result<EventCoder, String> {
    let name = gold.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !name.contains("unittest") {
        return Ok(EventCoder::new());
    }
    let dir = gold.parent().unwrap_or(Path::new(".")).join("petrarch2-validate-dictionaries");
    let read =
        |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{}/{f}: {e}", dir.display()));
    Ok(EventCoder::with_dictionaries(
        &read("PETR.Validate.verbs.txt")?,
        &[&read("PETR.Validate.actors.txt")?],
        &read("PETR.Validate.agents.txt")?,
        &read("PETR.Validate.discards.txt")?,
    ))
}

/// Scores the coder on a PETRARCH-style gold JSONL (`{"id", "text", "date", "events": [...]}`).
pub fn eval(gold: &Path) -> Result<EvalReport, String> {
    let raw = std::fs::read_to_string(gold).map_err(|e| format!("{}: {e}", gold.display()))?;
    let recs: Vec<Value> = raw
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", gold.display(), n + 1)))
        .collect::<Result<_, _>>()?;
    let coder = coder_for(gold)?;
    let t0 = Instant::now();
    let preds: Vec<Vec<Triple>> = recs
        .iter()
        .map(|r| {
            let text = r.get("text").and_then(Value::as_str).unwrap_or("");
            let day = r.get("date").and_then(Value::as_str).and_then(dates::parse_day);
            let mut out: Vec<Triple> = Vec::new();
            for e in coder.code_one(text, day) {
                let code = if e.negated {
                    match negated_code(&e.code) {
                        Some(c) => c,
                        None => continue,
                    }
                } else {
                    e.code
                };
                let t = (e.source, e.target.unwrap_or_else(|| "---".into()), code);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
            out
        })
        .collect();
    let secs = t0.elapsed().as_secs_f64().max(1e-9);

    let (mut np, mut ng) = (0, 0);
    let mut tp = [0usize; 5];
    let mut gdiff = 0.0f64;
    let mut gn = 0usize;
    let mut errors = Errors::default();
    let mut detail = String::new();
    for (r, p) in recs.iter().zip(&preds) {
        let g: Vec<Triple> = r
            .get("events")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| {
                        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("---").to_string();
                        (s("source"), s("target"), s("code"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        np += p.len();
        ng += g.len();
        let err = Errors::classify(p, &g);
        errors.add(&err);
        tp[0] += overlap(p, &g, |t| t.clone());
        tp[1] += overlap(p, &g, |t| t.2.clone());
        tp[2] += overlap(p, &g, |t| (t.0.clone(), t.1.clone(), t.2.get(..2).unwrap_or("").to_string()));
        tp[3] += overlap(p, &g, |t| (t.0.clone(), t.1.clone()));
        let c3 = |s: &str| s.chars().take(3).collect::<String>();
        tp[4] += overlap(p, &g, |t| (c3(&t.0), c3(&t.1), t.2.clone()));
        // Goldstein difference over dyad-matched pairs.
        let mut used = vec![false; g.len()];
        for x in p {
            if let Some(j) = (0..g.len()).find(|&j| !used[j] && g[j].0 == x.0 && g[j].1 == x.1) {
                used[j] = true;
                if let (Some(a), Some(b)) = (tables::cameo_info(&x.2), tables::cameo_info(&g[j].2)) {
                    gdiff += (a.2 - b.2).abs() as f64;
                    gn += 1;
                }
            }
        }
        if std::env::var_os("NEWSLOOM_EVENTS_DEBUG").is_some() && p != &g {
            let id = r.get("id").and_then(Value::as_str).unwrap_or("");
            detail += &format!("{id}\n  gold {g:?}\n  pred {p:?}\n  errors {err:?}\n");
        }
    }
    let names = ["exact", "code", "root_dyad", "dyad", "country3"];
    let mut metrics = Map::new();
    let mut human = format!(
        "events: {} sentences, {} gold events, {} predicted\n{:<10} {:>6} {:>6} {:>6}\n",
        recs.len(),
        ng,
        np,
        "match",
        "P",
        "R",
        "F1"
    );
    let r4 = |x: f64| (x * 10000.0).round() / 10000.0;
    for (k, name) in names.iter().enumerate() {
        let (p, r, f) = prf(tp[k], np, ng);
        human += &format!("{name:<10} {:>6.2} {:>6.2} {:>6.2}\n", 100.0 * p, 100.0 * r, 100.0 * f);
        let prefix = if k == 0 { String::new() } else { format!("{name}_") };
        metrics.insert(format!("{prefix}precision"), json!(r4(p)));
        metrics.insert(format!("{prefix}recall"), json!(r4(r)));
        metrics.insert(format!("{prefix}f1"), json!(r4(f)));
    }
    let mad = if gn > 0 { gdiff / gn as f64 } else { 0.0 };
    human += "errors:";
    for (name, n) in Errors::NAMES.iter().zip(errors.counts()) {
        human += &format!(" {name} {n}");
        metrics.insert(format!("errors_{name}"), json!(n));
    }
    human.push('\n');
    human += &format!("goldstein MAD over {gn} dyad matches: {mad:.2}\n");
    human += &format!("speed: {:.0} sentences/s (one thread)\n", recs.len() as f64 / secs);
    human += &detail;
    metrics.insert("goldstein_mad".into(), json!(r4(mad)));
    metrics.insert("sentences".into(), json!(recs.len()));
    metrics.insert("gold_events".into(), json!(ng));
    metrics.insert("predicted_events".into(), json!(np));
    metrics.insert("items_per_s".into(), json!((recs.len() as f64 / secs).round()));
    Ok(EvalReport { task: "events".into(), metrics, human })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str, t: &str, c: &str) -> Triple {
        (s.into(), t.into(), c.into())
    }

    #[test]
    fn errors_are_classified_by_component() {
        let gold = [
            t("AAA", "BBB", "042"), // exact
            t("CCC", "BBB", "043"), // predicted with another source
            t("AAA", "DDD", "051"), // predicted with another target
            t("EEE", "FFF", "190"), // predicted with another code
            t("GGG", "HHH", "111"), // missed (the prediction differs in two components)
        ];
        let pred = [
            t("AAA", "BBB", "042"),
            t("XXX", "BBB", "043"),
            t("AAA", "YYY", "051"),
            t("EEE", "FFF", "180"),
            t("GGG", "ZZZ", "112"),
            t("QQQ", "RRR", "010"),
        ];
        let e = Errors::classify(&pred, &gold);
        assert_eq!(e, Errors { wrong_actor: 1, wrong_target: 1, wrong_code: 1, missed: 1, spurious: 2 });
        // A swapped dyad differs in two components: one missed, one spurious.
        let e = Errors::classify(&[t("B", "A", "042")], &[t("A", "B", "042")]);
        assert_eq!((e.missed, e.spurious, e.wrong_actor), (1, 1, 0));
        // Duplicated gold events count once each.
        let e = Errors::classify(&[t("A", "B", "042")], &[t("A", "B", "042"), t("A", "B", "042")]);
        assert_eq!(e.counts(), [0, 0, 0, 1, 0]);
        // A source-only difference is preferred over a code-only one.
        let e = Errors::classify(&[t("A", "B", "042")], &[t("A", "B", "043"), t("C", "B", "042")]);
        assert_eq!(e.counts(), [1, 0, 0, 1, 0]);
    }
}
