//! Developer entry points for the NER tagger:
//!
//! ```text
//! cargo run --release -p newsloom-analyse --example ner -- gazetteer ../shared/data/events/phoenix-dictionaries
//! cargo run --release -p newsloom-analyse --example ner -- clusters [--out FILE] TEXT.jsonl...
//! cargo run --release -p newsloom-analyse --example ner -- places crates/newsloom-geo/data/gazetteer.tsv.gz
//! cargo run --release -p newsloom-analyse --example ner -- train ../shared/data/ner/conll2003-train.jsonl
//! cargo run --release -p newsloom-analyse --example ner -- eval ../shared/data/ner/conll2003-dev.jsonl
//! cargo run --release -p newsloom-analyse --example ner -- predict GOLD.jsonl PRED.jsonl
//! cargo run --release -p newsloom-analyse --example ner -- show FILE.txt
//! ```
use newsloom_analyse::ner;
use std::io::Write;
use std::path::{Path, PathBuf};

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

/// Writes `text` gzipped (best compression) to `out`; returns the compressed size.
fn write_gz(out: &Path, text: &str) -> Result<usize, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    let gz = enc.finish().map_err(|e| e.to_string())?;
    std::fs::write(out, &gz).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(gz.len())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(PathBuf::from).ok_or_else(|| "missing argument".to_string());
    match args.first().map(String::as_str) {
        Some("gazetteer") => {
            let text = ner::gazetteer::build_from_phoenix(&arg(1)?)?;
            let out = models_dir().join("gazetteer.tsv.gz");
            write_gz(&out, &text)?;
            println!("wrote {} ({} lines)", out.display(), text.lines().count());
        }
        Some("clusters") => {
            // Word clusters from unlabelled text (see models/README.md for the shipped inputs).
            let (out, files) = match args.get(1).map(String::as_str) {
                Some("--out") => (arg(2)?, &args[3..]),
                _ => (models_dir().join("ner-clusters.tsv.gz"), &args[1..]),
            };
            let paths: Vec<&Path> = files.iter().map(Path::new).collect();
            let (tsv, summary) = ner::clusters::build(&paths)?;
            let size = write_gz(&out, &tsv)?;
            println!("{summary}\nwrote {} ({} KB)", out.display(), size / 1024);
        }
        Some("names") => {
            // DIR: the `names` folder of PyPI `names` 0.3.0 (US Census 1990 lists).
            let text = ner::names::build(&arg(1)?, 0.001)?;
            let out = models_dir().join("person-names.tsv.gz");
            write_gz(&out, &text)?;
            println!("wrote {} ({} names)", out.display(), text.lines().count());
        }
        Some("places") => {
            // places GEO.tsv.gz [OUT]: newsloom-geo's compiled GeoNames gazetteer.
            let text = ner::places::build(&arg(1)?)?;
            let out =
                args.get(2).map(PathBuf::from).unwrap_or_else(|| models_dir().join("ner-places.tsv.gz"));
            let size = write_gz(&out, &text)?;
            println!("wrote {} ({} names, {} KB)", out.display(), text.lines().count(), size / 1024);
        }
        Some("train") => {
            let out =
                args.get(2).map(PathBuf::from).unwrap_or_else(|| models_dir().join("ner-weights.bin.gz"));
            println!("{}", ner::train(&arg(1)?, &out)?);
        }
        Some("folds") => {
            // folds GOLD TRAIN [K]: what `newsloom eval ner --folds K --json` prints, without the CLI.
            let k = args.get(3).and_then(|e| e.parse().ok()).unwrap_or(5);
            let dir = std::env::temp_dir().join(format!("ner-folds-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let task = newsloom_analyse::folds::fold_task("ner").ok_or("no ner folds")?;
            let r =
                newsloom_model::folds::run(task.as_ref(), &arg(1)?, Some(&arg(2)?), k, &dir, &mut |_, _| {});
            let _ = std::fs::remove_dir_all(&dir);
            println!("{}", serde_json::to_string_pretty(&r?.metrics).map_err(|e| e.to_string())?);
        }
        Some("train-eval") => {
            let epochs = args.get(3).and_then(|e| e.parse().ok()).unwrap_or(12);
            println!(
                "{}",
                ner::train_eval(&arg(1)?, &arg(2)?, Path::new("/tmp/ner-weights.bin.gz"), epochs)?
            );
        }
        Some("eval") => {
            let r = ner::eval(&arg(1)?)?;
            println!("{}", r.human);
            println!("{}", serde_json::to_string(&r.metrics).map_err(|e| e.to_string())?);
        }
        Some("predict") => ner::predict_jsonl(&arg(1)?, &arg(2)?)?,
        Some("bench") => {
            // Tags (and with `link`, links) every text of a JSONL file 10 times: time it with `time`.
            let text = std::fs::read_to_string(arg(1)?).map_err(|e| e.to_string())?;
            let docs: Vec<String> = text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
                .collect();
            let rec = ner::EntityRecognizer::new();
            let link = args.get(2).is_some_and(|a| a == "link");
            let t0 = std::time::Instant::now();
            let mut n = 0;
            for _ in 0..10 {
                for d in &docs {
                    n += if link { rec.recognise("d", d).1.len() } else { rec.tagger().tag(d).spans.len() };
                }
            }
            let chars: usize = docs.iter().map(|d| d.chars().count()).sum::<usize>() * 10;
            let s = t0.elapsed().as_secs_f64();
            println!(
                "{n} mentions, {:.0} docs/s, {:.0} chars/s (wall)",
                docs.len() as f64 * 10.0 / s,
                chars as f64 / s
            );
        }
        Some("tokdiff") => {
            // Where the raw-text tokenizer disagrees with pre-tokenised (CoNLL) text.
            let text = std::fs::read_to_string(arg(1)?).map_err(|e| e.to_string())?;
            let mut diffs = std::collections::BTreeMap::<String, usize>::new();
            for l in text.lines() {
                let v: serde_json::Value = serde_json::from_str(l).map_err(|e| e.to_string())?;
                let t = v["text"].as_str().unwrap_or("");
                let a: std::collections::HashSet<_> =
                    ner::tokenize(t).iter().map(|x| (x.start, x.end)).collect();
                for w in ner::tokenize_whitespace(t) {
                    if !a.contains(&(w.start, w.end)) {
                        *diffs.entry(w.text(t).to_string()).or_default() += 1;
                    }
                }
            }
            let mut v: Vec<_> = diffs.into_iter().collect();
            v.sort_by_key(|x| std::cmp::Reverse(x.1));
            println!("{v:?}");
        }
        Some("tag") => {
            let text = std::fs::read_to_string(arg(1)?).map_err(|e| e.to_string())?;
            let t = ner::NerTagger::shared().tag(&text);
            let toks: Vec<&str> = t.tokens.iter().map(|x| x.text(&text)).collect();
            println!("{toks:?}");
            for s in &t.spans {
                println!("{} {:?} {:.2}", s.label.as_str(), &text[s.start..s.end], s.confidence);
            }
        }
        Some("show") => {
            let text = std::fs::read_to_string(arg(1)?).map_err(|e| e.to_string())?;
            let (ents, mentions) = ner::EntityRecognizer::new().recognise("doc", &text);
            for e in &ents {
                println!("{}", serde_json::to_string(e).map_err(|e| e.to_string())?);
            }
            for m in &mentions {
                println!("  {:?} {:?} -> {} ({:.2})", m.text, m.kind, m.entity, m.confidence);
            }
        }
        _ => {
            return Err(
                "usage: ner gazetteer DIR | clusters [--out FILE] TEXT.jsonl... | names DIR | places GEO.tsv.gz [OUT] | train DATA [OUT] | eval GOLD | predict GOLD OUT | show FILE"
                    .into(),
            );
        }
    }
    Ok(())
}
