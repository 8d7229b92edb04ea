//! Grouped K-fold evaluation, shared by every `newsloom eval <task> --folds K`.
//!
//! A gold file's records are grouped (by site, outlet, publisher, story… — each stage says
//! which, see [`FoldTask::groups`]) and whole groups go to folds, so one source never sits in
//! two folds and a fold's score is a score on sources the rest never saw. Assignment is
//! deterministic: groups are taken largest first, ties broken by the BLAKE3 hash of the group
//! key, and each goes to the least-filled fold (among equally filled folds, the one the hash
//! points at first). That keeps folds balanced in records even with a few big groups, and the
//! same key always lands in the same fold for the same file.
//!
//! Stages that learn ([`FoldTask::learns`]) are trained per fold on the training records of the
//! other K-1 folds (a separate training file split by the same group → fold map, or else the
//! gold file's other folds) and scored on the held-out fold. Rule-only stages are scored per
//! fold as they are (the spread shows site variance), plus a fixed "tune" / "check" split by
//! group: fold 0 is the check part, the rest the tune part, so rule changes can be made while
//! looking at "tune" only and then judged on "check".

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::EvalReport;

/// One stage's hooks for the grouped fold run.
pub trait FoldTask {
    /// The task name (`extract`, `ner`, …).
    fn name(&self) -> &str;
    /// What the groups are, for the report (e.g. `site (URL host)`).
    fn group_by(&self) -> &str;
    /// The group key of every record, in order (a whole-file view, so a stage can join
    /// records that share an article into one group).
    fn groups(&self, records: &[Value]) -> Vec<String>;
    /// Adjusts a record before it is written to a fold file in another directory (e.g. makes
    /// a path relative to the gold file absolute).
    fn prepare(&self, _record: &mut Value, _gold_dir: &Path) {}
    /// Makes what the stage reads next to its gold file available in the fold directory.
    fn setup(&self, _gold: &Path, _fold_dir: &Path) -> Result<(), String> {
        Ok(())
    }
    /// Whether the stage is trained per fold (then `eval` gets a training file).
    fn learns(&self) -> bool {
        false
    }
    /// Scores the stage on `test`; learning stages first train on `train`.
    fn eval(&self, test: &Path, train: Option<&Path>) -> Result<EvalReport, String>;
}

/// Mean and spread of one metric over folds (`std` is the sample standard deviation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub std: f64,
    pub min: f64,
    pub max: f64,
}

/// Mean, sample standard deviation (0 for one value), min and max; `None` for no values.
pub fn spread(xs: &[f64]) -> Option<Spread> {
    if xs.is_empty() {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 { xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Spread { mean, std: var.sqrt(), min, max })
}

/// Numeric metrics of a report, nested objects flattened to `outer.inner` keys.
pub fn numeric_metrics(m: &Map<String, Value>) -> BTreeMap<String, f64> {
    fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, f64>) {
        match v {
            Value::Number(n) => {
                if let Some(x) = n.as_f64() {
                    out.insert(prefix.to_string(), x);
                }
            }
            Value::Object(o) => {
                for (k, v) in o {
                    let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&key, v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (k, v) in m {
        walk(k, v, &mut out);
    }
    out
}

/// Per-metric spread over the folds, for every metric that is numeric in all of them.
pub fn aggregate(folds: &[BTreeMap<String, f64>]) -> BTreeMap<String, Spread> {
    let Some(first) = folds.first() else { return BTreeMap::new() };
    first
        .keys()
        .filter_map(|k| {
            let xs: Vec<f64> = folds.iter().filter_map(|f| f.get(k).copied()).collect();
            if xs.len() == folds.len() { spread(&xs).map(|s| (k.clone(), s)) } else { None }
        })
        .collect()
}

fn key_hash(key: &str) -> u64 {
    let h = blake3::hash(key.as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// The fold (0..k) of each distinct group key, given how many records each has.
pub fn assign_groups(sizes: &HashMap<String, usize>, k: usize) -> HashMap<String, usize> {
    let k = k.max(1);
    let mut groups: Vec<(&String, usize, u64)> = sizes.iter().map(|(g, &n)| (g, n, key_hash(g))).collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(b.0)));
    let mut load = vec![0usize; k];
    let mut out = HashMap::with_capacity(groups.len());
    for (g, n, h) in groups {
        let start = (h % k as u64) as usize;
        let fold = (0..k).map(|j| (start + j) % k).min_by_key(|&f| load[f]).expect("k >= 1");
        load[fold] += n;
        out.insert(g.clone(), fold);
    }
    out
}

/// The fold of each record, from its group key.
pub fn assign(keys: &[String], k: usize) -> Vec<usize> {
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for g in keys {
        *sizes.entry(g.clone()).or_default() += 1;
    }
    let fold_of = assign_groups(&sizes, k);
    keys.iter().map(|g| fold_of[g]).collect()
}

/// Reads a JSONL file (blank lines skipped).
pub fn read_jsonl(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}

fn write_jsonl<'a>(path: &Path, records: impl Iterator<Item = &'a Value>) -> Result<(), String> {
    let mut s = String::new();
    for r in records {
        s.push_str(&r.to_string());
        s.push('\n');
    }
    std::fs::write(path, s).map_err(|e| format!("{}: {e}", path.display()))
}

/// What is known about a fold before it runs.
#[derive(Debug, Clone)]
pub struct FoldSplit {
    pub fold: usize,
    pub test: PathBuf,
    pub train: Option<PathBuf>,
    pub test_records: usize,
    pub test_groups: usize,
    pub train_records: usize,
}

/// The fold files of one run (written into `dir`) and the tune file for rule stages.
#[derive(Debug, Clone)]
pub struct Splits {
    pub folds: Vec<FoldSplit>,
    pub groups: usize,
    pub records: usize,
    /// Gold records outside fold 0 (the "tune" part); rule stages only.
    pub tune: Option<PathBuf>,
}

/// Splits `gold` (and `train`, when given) into `k` grouped folds under `dir`.
pub fn write_splits(
    task: &dyn FoldTask,
    gold: &Path,
    train: Option<&Path>,
    k: usize,
    dir: &Path,
) -> Result<Splits, String> {
    if k < 2 {
        return Err(format!("--folds needs at least 2 folds, got {k}"));
    }
    let gold_dir = gold.parent().unwrap_or(Path::new("."));
    let mut recs = read_jsonl(gold)?;
    if recs.is_empty() {
        return Err(format!("{}: no gold records", gold.display()));
    }
    let keys = task.groups(&recs);
    let mut train_recs = match train {
        Some(p) => read_jsonl(p)?,
        None => Vec::new(),
    };
    let train_keys = task.groups(&train_recs);
    let mut sizes: HashMap<String, usize> = HashMap::new();
    for g in &keys {
        *sizes.entry(g.clone()).or_default() += 1;
    }
    let groups = sizes.len();
    if groups < k {
        return Err(format!(
            "{}: {groups} groups ({}) cannot fill {k} folds",
            gold.display(),
            task.group_by()
        ));
    }
    // Training records share the gold's group -> fold map, so a source held out for testing is
    // held out of training too; groups only in the training file are assigned alongside.
    for g in &train_keys {
        sizes.entry(g.clone()).or_insert(0);
    }
    let mut train_sizes: HashMap<String, usize> = HashMap::new();
    for g in &train_keys {
        *train_sizes.entry(g.clone()).or_default() += 1;
    }
    let fold_of = assign_groups(
        &sizes.iter().map(|(g, &n)| (g.clone(), n + train_sizes.get(g).copied().unwrap_or(0))).collect(),
        k,
    );
    for r in recs.iter_mut().chain(train_recs.iter_mut()) {
        task.prepare(r, gold_dir);
    }
    task.setup(gold, dir)?;
    // Fold files keep the gold file's name in theirs: some stages choose their setup by it.
    let stem = gold.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let gold_fold: Vec<usize> = keys.iter().map(|g| fold_of[g]).collect();
    let train_fold: Vec<usize> = train_keys.iter().map(|g| fold_of[g]).collect();
    let mut folds = Vec::with_capacity(k);
    for f in 0..k {
        let test = dir.join(format!("{stem}.fold{f}.test.jsonl"));
        let in_fold = || recs.iter().zip(&gold_fold).filter(move |&(_, &x)| x == f).map(|(r, _)| r);
        write_jsonl(&test, in_fold())?;
        let test_records = in_fold().count();
        let test_groups = keys
            .iter()
            .zip(&gold_fold)
            .filter(|&(_, &x)| x == f)
            .map(|(g, _)| g)
            .collect::<std::collections::HashSet<_>>()
            .len();
        let (train_path, train_records) = if !task.learns() {
            (None, 0)
        } else {
            let p = dir.join(format!("{stem}.fold{f}.train.jsonl"));
            let n = if train.is_some() {
                let out = train_recs.iter().zip(&train_fold).filter(|&(_, &x)| x != f).map(|(r, _)| r);
                write_jsonl(&p, out.clone())?;
                out.count()
            } else {
                let out = recs.iter().zip(&gold_fold).filter(|&(_, &x)| x != f).map(|(r, _)| r);
                write_jsonl(&p, out.clone())?;
                out.count()
            };
            (Some(p), n)
        };
        folds.push(FoldSplit { fold: f, test, train: train_path, test_records, test_groups, train_records });
    }
    let tune = if task.learns() {
        None
    } else {
        let p = dir.join(format!("{stem}.tune.jsonl"));
        write_jsonl(&p, recs.iter().zip(&gold_fold).filter(|&(_, &x)| x != 0).map(|(r, _)| r))?;
        Some(p)
    };
    Ok(Splits { folds, groups, records: recs.len(), tune })
}

fn r4(x: f64) -> Value {
    Value::from((x * 10000.0).round() / 10000.0)
}

/// Runs the grouped K-fold evaluation of `task` on `gold` (fold files go to `dir`);
/// `progress` is called before each fold with `(fold, k)`.
pub fn run(
    task: &dyn FoldTask,
    gold: &Path,
    train: Option<&Path>,
    k: usize,
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<EvalReport, String> {
    let splits = write_splits(task, gold, train, k, dir)?;
    let mut per_fold = Vec::with_capacity(k);
    let mut numeric = Vec::with_capacity(k);
    for s in &splits.folds {
        progress(s.fold, k);
        let rep = task.eval(&s.test, s.train.as_deref()).map_err(|e| format!("fold {}: {e}", s.fold))?;
        numeric.push(numeric_metrics(&rep.metrics));
        per_fold.push(rep);
    }
    let (tune, check) = match &splits.tune {
        Some(p) => {
            progress(k, k);
            let t = task.eval(p, None).map_err(|e| format!("tune part: {e}"))?;
            (Some(t.metrics), Some(per_fold[0].metrics.clone()))
        }
        None => (None, None),
    };
    let agg = aggregate(&numeric);

    let mut m = Map::new();
    m.insert("task".into(), task.name().into());
    m.insert("folds".into(), k.into());
    m.insert("group_by".into(), task.group_by().into());
    m.insert(
        "mode".into(),
        if task.learns() { "trained per fold" } else { "rules (same system per fold)" }.into(),
    );
    m.insert("records".into(), splits.records.into());
    m.insert("groups".into(), splits.groups.into());
    let folds_json: Vec<Value> = splits
        .folds
        .iter()
        .zip(&per_fold)
        .map(|(s, r)| {
            let mut f = json!({"fold": s.fold, "test_records": s.test_records, "test_groups": s.test_groups, "metrics": r.metrics});
            if s.train.is_some() {
                f["train_records"] = s.train_records.into();
            }
            f
        })
        .collect();
    m.insert("per_fold".into(), folds_json.into());
    let agg_json: Map<String, Value> = agg
        .iter()
        .map(|(k, s)| {
            (k.clone(), json!({"mean": r4(s.mean), "std": r4(s.std), "min": r4(s.min), "max": r4(s.max)}))
        })
        .collect();
    m.insert("aggregate".into(), agg_json.into());
    if let (Some(t), Some(c)) = (&tune, &check) {
        m.insert("tune".into(), json!({"folds": (1..k).collect::<Vec<_>>(), "metrics": t}));
        m.insert("check".into(), json!({"folds": [0], "metrics": c}));
    }

    let mut h = String::new();
    let _ = writeln!(
        h,
        "{} on {}: {k} folds grouped by {} ({} records, {} groups), {}",
        task.name(),
        gold.display(),
        task.group_by(),
        splits.records,
        splits.groups,
        if task.learns() { "trained on the other folds" } else { "rules, scored per fold" }
    );
    let sizes: Vec<String> =
        splits.folds.iter().map(|s| format!("{}/{}", s.test_records, s.test_groups)).collect();
    let _ = writeln!(h, "fold sizes (records/groups): {}", sizes.join(" "));
    let (tn, cn) = (tune.as_ref().map(numeric_metrics), check.as_ref().map(numeric_metrics));
    let _ = write!(h, "{:<28} {:>8} {:>8} {:>8} {:>8}", "metric", "mean", "std", "min", "max");
    for f in 0..k {
        let _ = write!(h, " {:>8}", format!("fold{f}"));
    }
    if tn.is_some() {
        let _ = write!(h, " {:>8} {:>8}", "tune", "check");
    }
    h.push('\n');
    for (name, s) in &agg {
        let _ = write!(h, "{name:<28} {:>8.4} {:>8.4} {:>8.4} {:>8.4}", s.mean, s.std, s.min, s.max);
        for f in &numeric {
            let _ = write!(h, " {:>8.4}", f[name]);
        }
        if let (Some(t), Some(c)) = (&tn, &cn) {
            let cell = |m: &BTreeMap<String, f64>| m.get(name).map_or("-".to_string(), |x| format!("{x:.4}"));
            let _ = write!(h, " {:>8} {:>8}", cell(t), cell(c));
        }
        h.push('\n');
    }
    Ok(EvalReport { task: task.name().into(), metrics: m, human: h })
}

/// The host of a URL without `www.` (and for web.archive.org copies, the archived page's
/// host), lower-cased; `None` when `s` is not an http(s) URL.
pub fn url_site(s: &str) -> Option<String> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..host_end].rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("").to_lowercase();
    if host == "web.archive.org"
        && let Some(inner) = rest.find("/http").and_then(|i| url_site(&rest[i + 1..]))
    {
        return Some(inner);
    }
    if host.is_empty() {
        return None;
    }
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

#[cfg(test)]
#[path = "folds_tests.rs"]
mod tests;
