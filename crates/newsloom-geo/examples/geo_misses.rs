//! `cargo run --release -p newsloom-geo --example geo_misses -- GOLD.jsonl [--examples N]`:
//! the gold toponyms detection misses (and the spans it adds that are not gold), grouped by
//! cause, with counts and a few examples of each. For measuring where detection recall goes;
//! prints nothing of the gold text beyond the toponyms themselves.

use std::collections::BTreeMap;

use newsloom_analyse::ner::EntityRecognizer;
use newsloom_geo::detect;
use newsloom_geo::gazetteer::{Gazetteer, Level, NameKind, normalise};
use newsloom_model::EntityKind;
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(gold) = args.first() else {
        eprintln!("usage: geo_misses GOLD.jsonl [--examples N]");
        std::process::exit(2);
    };
    let n_examples: usize = args
        .iter()
        .position(|a| a == "--examples")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let gaz = Gazetteer::shared();
    let ner = EntityRecognizer::new();
    let params = newsloom_geo::DetectParams::default();
    let text = std::fs::read_to_string(gold).expect("gold file");
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut fps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut hits: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut n_gold, mut n_tp) = (0usize, 0usize);
    let dump = std::env::var_os("GEO_DUMP").is_some();
    let mut key = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let doc: Value = serde_json::from_str(line).expect("json");
        let body = doc["text"].as_str().unwrap_or("");
        let chars: Vec<char> = body.chars().collect();
        let sub =
            |s: usize, e: usize| chars[s.min(chars.len())..e.min(chars.len())].iter().collect::<String>();
        let (_, mentions) = ner.recognise("x", body);
        let tops = detect::detect(gaz, body, &mentions, &params);
        let gold: Vec<(usize, usize, String)> = doc["toponyms"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|t| {
                        (
                            t["start"].as_u64().unwrap_or(0) as usize,
                            t["end"].as_u64().unwrap_or(0) as usize,
                            t["type"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (gs, ge, gtype) in &gold {
            n_gold += 1;
            let gtext = sub(*gs, *ge);
            if tops.iter().any(|t| t.start == *gs && t.end == *ge) {
                n_tp += 1;
                continue;
            }
            normalise(&gtext, &mut key);
            let cands = gaz.lookup_key(&key);
            let gaz_kind = if cands.is_empty() {
                "not-in-gaz".to_string()
            } else {
                let best = cands
                    .iter()
                    .map(|c| (gaz.entry(c.entry).level, c.kind))
                    .min()
                    .map(|(l, k)| format!("{l:?}/{k:?}"))
                    .unwrap_or_default();
                format!("gaz:{best}")
            };
            let first = gtext.chars().next().unwrap_or(' ');
            let exact = mentions.iter().find(|m| m.span.start == *gs && m.span.end == *ge);
            let overlap = mentions.iter().find(|m| m.span.start < *ge && *gs < m.span.end);
            let pred_overlap = tops.iter().find(|t| t.start < *ge && *gs < t.end);
            let cause = if let Some(t) = pred_overlap {
                let how = if t.start <= *gs && t.end >= *ge { "pred-longer" } else { "pred-shorter/shifted" };
                format!("partial span ({how}, {:?})", t.found)
            } else if let Some(m) = exact {
                format!("NER {:?} exact, dropped [{gaz_kind}]", m.kind)
            } else if let Some(m) = overlap {
                let how = if m.span.start <= *gs && m.span.end >= *ge { "inside" } else { "crossing" };
                format!(
                    "NER {:?} {how}, no toponym [{}]",
                    m.kind,
                    if cands.is_empty() { "not-in-gaz" } else { "in-gaz" }
                )
            } else if !first.is_uppercase() {
                format!("untagged lowercase [{}]", if cands.is_empty() { "not-in-gaz" } else { "in-gaz" })
            } else if cands.is_empty() {
                "untagged, not in gazetteer".to_string()
            } else {
                let adj = cands.iter().all(|c| c.kind == NameKind::Adjective);
                let lvl = cands.iter().map(|c| gaz.entry(c.entry).level).min().unwrap_or(Level::City);
                let pop = cands.iter().map(|c| gaz.entry(c.entry).population).max().unwrap_or(0);
                let words = gtext.split_whitespace().count();
                let size = if lvl == Level::City {
                    if pop >= 20_000 { "city>=20k" } else { "city<20k" }
                } else {
                    "region"
                };
                format!(
                    "untagged, in gazetteer ({}{:?} {size}, {} word{})",
                    if adj { "adjective " } else { "" },
                    lvl,
                    words,
                    if words > 1 { "s" } else { "" }
                )
            };
            let ex = if gtype.is_empty() { gtext.clone() } else { format!("{gtext} <{gtype}>") };
            misses.entry(cause).or_default().push(ex);
        }
        // `GEO_DUMP=1`: one JSON line per predicted toponym (for analysis), nothing else.
        if dump {
            for t in &tops {
                let tp = gold.iter().any(|(s, e, _)| t.start == *s && t.end == *e);
                let over = gold.iter().any(|(s, e, _)| t.start < *e && *s < t.end);
                let ner = mentions
                    .iter()
                    .find(|m| m.span.start <= t.start && m.span.end >= t.end)
                    .map(|m| (format!("{:?}", m.kind), sub(m.span.start, m.span.end)));
                let best = gaz
                    .candidates(&t.key)
                    .map(|c| (gaz.entry(c.entry), c.kind))
                    .min_by_key(|(e, k)| (e.level, std::cmp::Reverse(e.population), *k));
                let person_exact = mentions
                    .iter()
                    .filter(|m| m.kind == EntityKind::Person && sub(m.span.start, m.span.end) == t.text)
                    .count();
                let person_part = mentions
                    .iter()
                    .filter(|m| {
                        m.kind == EntityKind::Person
                            && sub(m.span.start, m.span.end).split_whitespace().any(|w| w == t.text)
                    })
                    .count();
                let ctx_before = sub(t.start.saturating_sub(40), t.start);
                let ctx_after = sub(t.end, t.end + 40);
                println!(
                    "{}",
                    serde_json::json!({"id": doc["id"], "group": doc["group"], "text": t.text, "found": format!("{:?}", t.found),
                        "ner": ner.as_ref().map(|n| n.0.clone()), "ner_text": ner.map(|n| n.1), "tp": tp, "overlap": over,
                        "level": best.map(|(e, _)| format!("{:?}", e.level)), "kind": best.map(|(_, k)| format!("{k:?}")),
                        "pop": best.map(|(e, _)| e.population), "before": ctx_before, "person_exact": person_exact, "person_part": person_part, "after": ctx_after, "actor": t.as_actor})
                );
            }
            continue;
        }
        for t in &tops {
            if gold.iter().any(|(s, e, _)| t.start == *s && t.end == *e) {
                let kind = mentions
                    .iter()
                    .find(|m| m.span.start <= t.start && m.span.end >= t.end)
                    .map(|m| format!("{:?}", m.kind))
                    .unwrap_or_else(|| "-".into());
                hits.entry(format!("{:?} (NER {kind})", t.found)).or_default().push(t.text.clone());
                continue;
            }
            let over = gold.iter().any(|(s, e, _)| t.start < *e && *s < t.end);
            let kind = mentions
                .iter()
                .find(|m| m.span.start <= t.start && m.span.end >= t.end)
                .map(|m| format!("{:?}", m.kind))
                .unwrap_or_else(|| "-".into());
            let cause = format!("{:?} (NER {kind}){}", t.found, if over { ", overlaps gold" } else { "" });
            fps.entry(cause).or_default().push(t.text.clone());
        }
    }
    let print = |title: &str, m: &BTreeMap<String, Vec<String>>| {
        let total: usize = m.values().map(Vec::len).sum();
        println!("== {title}: {total}");
        let mut v: Vec<(&String, &Vec<String>)> = m.iter().collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.1.len()));
        for (cause, ex) in v {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for e in ex {
                *counts.entry(e.as_str()).or_default() += 1;
            }
            let mut top: Vec<(&str, usize)> = counts.into_iter().collect();
            top.sort_by_key(|x| std::cmp::Reverse(x.1));
            let shown: Vec<String> = top
                .iter()
                .take(n_examples)
                .map(|(e, n)| if *n > 1 { format!("{e}×{n}") } else { e.to_string() })
                .collect();
            println!("{:5}  {cause}: {}", ex.len(), shown.join(" | "));
        }
    };
    println!("gold {n_gold}, detected exactly {n_tp} ({:.1} %)", 100.0 * n_tp as f64 / n_gold.max(1) as f64);
    print("missed gold toponyms by cause", &misses);
    print("predicted spans not in gold by cause", &fps);
    print("gold toponyms detected exactly, by source", &hits);
}
