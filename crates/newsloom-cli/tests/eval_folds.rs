//! `newsloom eval <task> --folds K` end to end on small fixtures written here.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn newsloom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).args(args).output().unwrap()
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A news page whose article has two paragraphs (one a list item) and a related-links box.
fn page(site: &str, n: usize) -> (String, Value) {
    let lead = format!(
        "Officials in {site} town {n} opened the new river bridge on Monday after two years of work."
    );
    let item = format!("Traffic on the old crossing number {n} is expected to fall by half within a month.");
    let chrome = format!("More stories from {site} you might like today");
    let html = format!(
        "<html><head><title>Bridge {n} opens</title></head><body><nav><a href='/'>Home</a></nav>\
         <article><h1>Bridge {n} opens</h1><p>{lead} The mayor thanked the workers and the residents for their \
         patience during the long closure of the main road, and promised more repairs.</p>\
         <ul><li>{item}</li></ul><p>Engineers said the structure was built to last a century and would be \
         inspected every year by the regional authority.</p></article>\
         <aside><h3>Related</h3><ul><li><a href='/x'>{chrome}</a></li></ul></aside></body></html>"
    );
    let gold = json!({"id": format!("{site}-{n}"), "url": format!("https://www.{site}/news/{n}.html"),
        "html_file": format!("html/{site}-{n}.html"), "with": [lead, item], "without": [chrome],
        "title": format!("Bridge {n} opens")});
    (html, gold)
}

fn extract_fixture(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("html")).unwrap();
    let mut lines = String::new();
    for site in ["alpha.example", "beta.example", "gamma.example"] {
        for n in 0..2 {
            let (html, gold) = page(site, n);
            std::fs::write(dir.join(gold["html_file"].as_str().unwrap()), html).unwrap();
            lines.push_str(&format!("{gold}\n"));
        }
    }
    let gold = dir.join("ground-truth.jsonl");
    std::fs::write(&gold, lines).unwrap();
    gold
}

#[test]
fn extract_folds_keep_sites_whole_and_report_mean_and_spread() {
    let dir = tempfile::tempdir().unwrap();
    let gold = extract_fixture(dir.path());
    let g = gold.to_str().unwrap();
    let v = json_of(&newsloom(&["--json", "eval", "extract", "--gold", g, "--folds", "3"]));
    assert_eq!(v["task"], "extract");
    assert_eq!(v["groups"], 3);
    let folds = v["per_fold"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    for f in folds {
        // Two pages of one site per fold: a site is never split.
        assert_eq!((f["test_records"].as_u64(), f["test_groups"].as_u64()), (Some(2), Some(1)));
        assert_eq!(f["metrics"]["docs"], 2);
    }
    let recall: Vec<f64> = folds.iter().map(|f| f["metrics"]["snippet_recall"].as_f64().unwrap()).collect();
    let agg = &v["aggregate"]["snippet_recall"];
    let mean = recall.iter().sum::<f64>() / 3.0;
    assert!((agg["mean"].as_f64().unwrap() - mean).abs() < 1e-3, "{agg} vs {recall:?}");
    let min = recall.iter().copied().fold(f64::INFINITY, f64::min);
    assert!((agg["min"].as_f64().unwrap() - min).abs() < 1e-3);
    assert!(agg["std"].as_f64().unwrap() >= 0.0);
    // Rules: a tune part (folds 1..) and a check part (fold 0).
    assert_eq!(v["check"]["metrics"], folds[0]["metrics"]);
    assert_eq!(v["tune"]["metrics"]["docs"], 4);

    let human = newsloom(&["eval", "extract", "--gold", g, "--folds", "3"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(human.status.success());
    assert!(text.contains("3 folds grouped by site") && text.contains("snippet_recall"), "{text}");
}

#[test]
fn folds_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let gold = extract_fixture(dir.path());
    let g = gold.to_str().unwrap();
    let out = newsloom(&["eval", "extract", "--gold", g, "--folds", "4"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 groups"));
    let out = newsloom(&["eval", "ner", "--gold", g, "--folds", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--train"));
    assert_eq!(newsloom(&["eval", "extract", "--gold", g, "--folds", "two"]).status.code(), Some(2));
}

/// A CoNLL-style document: "<Name> met officials of <Org> in <City> ." per line.
fn ner_doc(id: &str, names: &[(&str, &str, &str)]) -> Value {
    let mut text = String::new();
    let mut ents = Vec::new();
    for (per, org, loc) in names {
        for (word, kind, tail) in
            [(*per, "PER", " met officials of "), (*org, "ORG", " in "), (*loc, "LOC", " .\n")]
        {
            let start = text.chars().count();
            text.push_str(word);
            ents.push(
                json!({"start": start, "end": start + word.chars().count(), "type": kind, "text": word}),
            );
            text.push_str(tail);
        }
    }
    json!({"id": id, "text": text, "entities": ents})
}

#[test]
fn ner_folds_train_on_the_other_folds() {
    let dir = tempfile::tempdir().unwrap();
    let people = [
        ("Anna Berg", "Nordbank", "Oslo"),
        ("Piet Vos", "Rijkswater", "Utrecht"),
        ("Lena Roth", "Stahlwerk", "Essen"),
    ];
    let write = |name: &str, prefix: &str, n: usize| {
        let lines: String =
            (0..n).map(|i| format!("{}\n", ner_doc(&format!("{prefix}-{i}"), &people))).collect();
        let p = dir.path().join(name);
        std::fs::write(&p, lines).unwrap();
        p
    };
    let dev = write("toy-dev.jsonl", "dev", 4);
    let _train = write("toy-train.jsonl", "train", 6);
    // The training file is found next to the gold file by its name.
    let v = json_of(&newsloom(&["--json", "eval", "ner", "--gold", dev.to_str().unwrap(), "--folds", "2"]));
    assert_eq!(v["mode"], "trained per fold");
    let folds = v["per_fold"].as_array().unwrap();
    assert_eq!(folds.len(), 2);
    for f in folds {
        assert!(f["train_records"].as_u64().unwrap() > 0);
        assert!(f["metrics"]["f1"].is_number());
    }
    assert_eq!(folds.iter().map(|f| f["test_records"].as_u64().unwrap()).sum::<u64>(), 4);
    assert!(v["aggregate"]["f1_4class"]["mean"].is_number());
    assert!(v.get("tune").is_none());
}
