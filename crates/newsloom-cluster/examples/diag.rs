//! Error analysis of a streaming run: why articles miss their gold story.
//! `cargo run --release -p newsloom-cluster --example diag -- GOLD.jsonl [KIND|miss]`
//! prints counts per outcome; with a second argument, also examples of the outcomes whose
//! name starts with KIND (or articles whose open story was not retrieved, for `miss`).
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use newsloom_cluster::story::FEATURE_NAMES;
use newsloom_cluster::{ClusterConfig, OnlineClusterer, Target};

fn main() {
    let path = PathBuf::from(std::env::args().nth(1).expect("usage: diag GOLD.jsonl"));
    let items = newsloom_cluster::eval::read_gold(&path).expect("read");
    let cfg = ClusterConfig::default();
    let mut c = OnlineClusterer::with_config(cfg.clone());
    let mut labels_of: HashMap<String, HashSet<String>> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut title_of: HashMap<String, String> = HashMap::new();
    let show = std::env::args().nth(2).unwrap_or_default();
    let mut missed_feats: Vec<[f32; newsloom_cluster::story::NF]> = Vec::new();
    let mut ok_feats: Vec<[f32; newsloom_cluster::story::NF]> = Vec::new();
    for it in &items {
        let prep = c.prepare(&it.article, &[]);
        let first = seen.insert(it.cluster.clone());
        let right: Vec<_> = prep
            .candidates
            .iter()
            .filter(|k| {
                c.resolve(&k.story).and_then(|s| labels_of.get(s)).is_some_and(|l| l.contains(&it.cluster))
            })
            .cloned()
            .collect();
        let (target, merge) = c.decide(&prep);
        let kind = match (&target, first) {
            (Target::New, true) => "new ok",
            (Target::Story(_), true) => "joined but first",
            (Target::Story(s), false) if right.iter().any(|k| &k.story == s) => {
                ok_feats.push(right[0].features);
                "joined ok"
            }
            (Target::Story(_), false) if !right.is_empty() => "joined wrong (right retrieved)",
            (Target::Story(_), false) => "joined wrong (right not retrieved)",
            (Target::New, false) if !right.is_empty() => {
                missed_feats.push(right[0].features);
                "new, right retrieved below threshold"
            }
            (Target::New, false) => {
                let open_story = labels_of
                    .iter()
                    .filter(|(_, l)| l.contains(&it.cluster))
                    .find_map(|(s, _)| c.resolve(s).map(str::to_string));
                if let Some(s) = open_story.filter(|_| show == "miss") {
                    println!(
                        "MISS {} | {}\n   S: {}",
                        it.article.published.as_ref().map_or("", |p| &p.iso),
                        it.article.title,
                        title_of.get(&s).cloned().unwrap_or_default()
                    );
                    "new, right open but not retrieved"
                } else {
                    "new, right not open"
                }
            }
        };
        *counts.entry(kind).or_default() += 1;
        if kind.starts_with(show.as_str()) && !show.is_empty() {
            let k = if kind.starts_with("new") { right.first() } else { prep.candidates.first() };
            if let Some(k) = k {
                let f: Vec<String> = k.features.iter().map(|x| format!("{x:.2}")).collect();
                println!(
                    "{} p={:.2} [{}]\n   A: {} | {}\n   S: {}",
                    kind,
                    k.p,
                    f.join(" "),
                    it.article.published.as_ref().map_or("", |p| &p.iso),
                    it.article.title,
                    title_of.get(c.resolve(&k.story).unwrap_or("")).cloned().unwrap_or_default()
                );
            }
        }
        let a = c.commit(&it.article, prep, target, &merge);
        title_of.entry(a.story.clone()).or_insert_with(|| {
            format!("{} | {}", it.article.published.as_ref().map_or("", |p| &p.iso), it.article.title)
        });
        labels_of.entry(a.story).or_default().insert(it.cluster.clone());
    }
    let mut cs: Vec<_> = counts.into_iter().collect();
    cs.sort();
    for (k, v) in cs {
        println!("{v:>6}  {k}");
    }
    let mean = |v: &[[f32; newsloom_cluster::story::NF]], i: usize| {
        v.iter().map(|x| x[i]).sum::<f32>() / v.len().max(1) as f32
    };
    println!("{:<16} {:>8} {:>8}", "feature", "missed", "joined");
    for (i, n) in FEATURE_NAMES.iter().enumerate() {
        println!("{n:<16} {:>8.3} {:>8.3}", mean(&missed_feats, i), mean(&ok_feats, i));
    }
}
