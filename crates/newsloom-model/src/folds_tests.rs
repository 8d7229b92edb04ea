use super::*;

fn keys(spec: &[(&str, usize)]) -> Vec<String> {
    spec.iter().flat_map(|(g, n)| std::iter::repeat_n(g.to_string(), *n)).collect()
}

#[test]
fn a_group_is_never_split_and_every_fold_gets_records() {
    let ks: Vec<String> = (0..300).map(|i| format!("site{}.example", i % 37)).collect();
    let folds = assign(&ks, 5);
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for (g, f) in ks.iter().zip(&folds) {
        assert_eq!(*fold_of.entry(g).or_insert(*f), *f, "group {g} split across folds");
        assert!(*f < 5);
    }
    for f in 0..5 {
        assert!(folds.contains(&f), "fold {f} empty");
    }
}

#[test]
fn assignment_is_deterministic_and_independent_of_record_order() {
    let ks = keys(&[("a.com", 3), ("b.org", 1), ("c.net", 7), ("d.de", 2), ("e.es", 2), ("f.fr", 5)]);
    let once = assign(&ks, 3);
    assert_eq!(once, assign(&ks, 3));
    let mut rev = ks.clone();
    rev.reverse();
    let mut back = assign(&rev, 3);
    back.reverse();
    assert_eq!(once, back);
}

#[test]
fn folds_are_balanced_within_the_largest_group() {
    // 120 groups of sizes 1..=6: records per fold differ by at most the largest group.
    let spec: Vec<(String, usize)> = (0..120).map(|i| (format!("g{i}"), 1 + (i * 7) % 6)).collect();
    let ks: Vec<String> = spec.iter().flat_map(|(g, n)| std::iter::repeat_n(g.clone(), *n)).collect();
    let folds = assign(&ks, 5);
    let mut load = [0usize; 5];
    folds.iter().for_each(|&f| load[f] += 1);
    let (lo, hi) = (load.iter().min().unwrap(), load.iter().max().unwrap());
    assert!(hi - lo <= 6, "unbalanced folds {load:?}");
    // One dominant group fills a fold alone; the rest share the others.
    let ks = keys(&[
        ("big", 50),
        ("s1", 5),
        ("s2", 5),
        ("s3", 5),
        ("s4", 5),
        ("s5", 5),
        ("s6", 5),
        ("s7", 5),
        ("s8", 5),
    ]);
    let folds = assign(&ks, 5);
    let big = folds[0];
    assert!(ks.iter().zip(&folds).all(|(g, &f)| (g == "big") == (f == big)));
}

#[test]
fn spread_is_mean_sample_std_min_max() {
    let s = spread(&[0.8, 0.9, 1.0]).unwrap();
    assert!((s.mean - 0.9).abs() < 1e-12);
    assert!((s.std - 0.1).abs() < 1e-12, "{}", s.std);
    assert_eq!((s.min, s.max), (0.8, 1.0));
    assert_eq!(spread(&[0.5]).unwrap(), Spread { mean: 0.5, std: 0.0, min: 0.5, max: 0.5 });
    assert!(spread(&[]).is_none());
}

#[test]
fn aggregate_flattens_nested_metrics_and_skips_partial_ones() {
    let a = json!({"f1": 0.5, "snippets": {"recall": 0.25}, "name": "x", "only_here": 1.0});
    let b = json!({"f1": 0.7, "snippets": {"recall": 0.75}, "name": "y"});
    let folds: Vec<_> = [a, b].iter().map(|v| numeric_metrics(v.as_object().unwrap())).collect();
    let agg = aggregate(&folds);
    assert_eq!(agg.keys().collect::<Vec<_>>(), ["f1", "snippets.recall"]);
    assert!((agg["f1"].mean - 0.6).abs() < 1e-12);
    assert!((agg["snippets.recall"].std - 0.5f64.sqrt() * 0.5).abs() < 1e-12);
    assert_eq!((agg["f1"].min, agg["f1"].max), (0.5, 0.7));
}

#[test]
fn url_site_takes_the_host_without_www_and_unwraps_archive_copies() {
    assert_eq!(url_site("https://www.NYTimes.com/2019/x.html").as_deref(), Some("nytimes.com"));
    assert_eq!(url_site("http://blog.example.de:8080/?p=1").as_deref(), Some("blog.example.de"));
    assert_eq!(
        url_site("https://web.archive.org/web/2019/https://www.zeit.de/a").as_deref(),
        Some("zeit.de")
    );
    assert_eq!(url_site("hard::dw.com.colonial.html"), None);
}

/// A stand-in stage: "accuracy" is the share of records whose `ok` is true; it learns nothing
/// but can claim to, to check what the training files hold.
struct Toy {
    learns: bool,
}

impl FoldTask for Toy {
    fn name(&self) -> &str {
        "toy"
    }
    fn group_by(&self) -> &str {
        "site"
    }
    fn groups(&self, records: &[Value]) -> Vec<String> {
        records.iter().map(|r| r["site"].as_str().unwrap_or("").to_string()).collect()
    }
    fn learns(&self) -> bool {
        self.learns
    }
    fn eval(&self, test: &Path, train: Option<&Path>) -> Result<EvalReport, String> {
        let recs = read_jsonl(test)?;
        if self.learns {
            // Nothing held out may be trained on.
            let tr = read_jsonl(train.ok_or("no training file")?)?;
            let held: std::collections::HashSet<_> = self.groups(&recs).into_iter().collect();
            assert!(self.groups(&tr).iter().all(|g| !held.contains(g)));
        }
        let ok = recs.iter().filter(|r| r["ok"] == true).count() as f64 / recs.len() as f64;
        let mut m = Map::new();
        m.insert("accuracy".into(), ok.into());
        Ok(EvalReport { task: "toy".into(), metrics: m, human: String::new() })
    }
}

fn fixture(dir: &Path) -> PathBuf {
    let mut s = String::new();
    for i in 0..40 {
        s.push_str(&json!({"id": i, "site": format!("s{}", i % 8), "ok": i % 8 < 4}).to_string());
        s.push('\n');
    }
    let p = dir.join("gold.jsonl");
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn rule_run_scores_each_fold_and_a_tune_check_split() {
    let dir = tempfile::tempdir().unwrap();
    let gold = fixture(dir.path());
    let mut seen = Vec::new();
    let rep = run(&Toy { learns: false }, &gold, None, 4, dir.path(), &mut |f, _| seen.push(f)).unwrap();
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    let m = &rep.metrics;
    assert_eq!(m["groups"], 8);
    let folds = m["per_fold"].as_array().unwrap();
    assert_eq!(folds.len(), 4);
    assert_eq!(folds.iter().map(|f| f["test_records"].as_u64().unwrap()).sum::<u64>(), 40);
    // Sites s0..s3 are all ok and s4..s7 all wrong, so each fold's accuracy is its share of
    // good sites and the mean is over those per-fold values.
    let accs: Vec<f64> = folds.iter().map(|f| f["metrics"]["accuracy"].as_f64().unwrap()).collect();
    let s = spread(&accs).unwrap();
    assert_eq!(m["aggregate"]["accuracy"]["mean"], r4(s.mean));
    assert_eq!(m["aggregate"]["accuracy"]["max"], r4(s.max));
    assert_eq!(m["check"]["metrics"], folds[0]["metrics"]);
    assert!(m["tune"]["metrics"]["accuracy"].is_number());
}

#[test]
fn learning_run_trains_without_the_held_out_groups() {
    let dir = tempfile::tempdir().unwrap();
    let gold = fixture(dir.path());
    let rep = run(&Toy { learns: true }, &gold, None, 4, dir.path(), &mut |_, _| {}).unwrap();
    let folds = rep.metrics["per_fold"].as_array().unwrap();
    for f in folds {
        assert_eq!(f["train_records"].as_u64().unwrap() + f["test_records"].as_u64().unwrap(), 40);
    }
    assert!(rep.metrics.get("tune").is_none());
}

#[test]
fn too_few_groups_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let gold = fixture(dir.path());
    let err = run(&Toy { learns: false }, &gold, None, 9, dir.path(), &mut |_, _| {}).unwrap_err();
    assert!(err.contains("8 groups"), "{err}");
    assert!(run(&Toy { learns: false }, &gold, None, 1, dir.path(), &mut |_, _| {}).is_err());
}
