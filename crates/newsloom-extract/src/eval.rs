//! `newsloom eval extract`: runs the extract stage over a gold file and scores it with the
//! metrics of `shared/data/extraction/README.md` (the same arithmetic as
//! `shared/eval/extraction_peer.py`):
//!
//! * body shingle P/R/F1: `\w+` tokens, 4-gram shingle multisets, per-page tp/fp/fn
//!   normalised to sum to 1, precision and recall macro-averaged, F1 of the averages;
//! * snippet P/R/F1/accuracy: whitespace-normalised substring test of `with` and `without`
//!   snippets, summed over pages;
//! * title / author / date exact match (NFKC, whitespace-normalised, case-folded; authors as
//!   sets; dates as `YYYY-MM-DD`);
//! * docs/s on one core with pages decoded in memory, extractor call only, after one warm-up
//!   call; peak RSS of the process (which includes the pages held in memory).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use newsloom_model::{Article, EvalReport, InputFormat, RawRecord};
use regex::Regex;
use serde_json::{Map, Value, json};
use unicode_normalization::UnicodeNormalization;

use crate::{Extractor, NewsExtractor};

static TOKEN_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").unwrap());

/// Runs the evaluation (see the module docs).
pub fn run(gold: &Path) -> Result<EvalReport, String> {
    run_with(gold, None)
}

/// Like [`run`], also writing one `{"id", "body", "title", "author", "date"}` line per page to
/// `predictions` (the format `extraction_peer.py --predictions` scores, for cross-checking).
pub fn run_with(gold: &Path, predictions: Option<&Path>) -> Result<EvalReport, String> {
    let text = std::fs::read_to_string(gold).map_err(|e| format!("{}: {e}", gold.display()))?;
    let base = gold.parent().unwrap_or(Path::new("."));
    let mut recs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", gold.display(), n + 1))?;
        recs.push(v);
    }
    if recs.is_empty() {
        return Err(format!("{}: no gold records", gold.display()));
    }
    let mut raws = Vec::with_capacity(recs.len());
    for r in &recs {
        let file = r["html_file"].as_str().ok_or("gold record without html_file")?;
        let bytes = read_page(&base.join(file))?;
        let (content, warning) = decode_html_bytes(&bytes);
        let mut meta = Map::new();
        if let Some(u) = r.get("url").and_then(Value::as_str) {
            meta.insert("url".into(), Value::String(u.to_string()));
        }
        raws.push(RawRecord {
            id: r["id"].as_str().map(str::to_string).unwrap_or_else(|| r["id"].to_string()),
            origin: file.to_string(),
            format: InputFormat::Html,
            content,
            meta,
            warnings: warning.into_iter().collect(),
        });
    }

    let extractor = NewsExtractor::new();
    let _ = extractor.extract(&raws[0]); // warm-up, untimed, on a throwaway extractor
    let extractor = NewsExtractor::new();
    let mut outputs: Vec<Option<Article>> = Vec::with_capacity(raws.len());
    let mut secs = 0.0;
    let mut errors = 0;
    let cpu0 = thread_cpu_secs();
    for raw in &raws {
        let t = Instant::now();
        let out = extractor.extract(raw);
        secs += t.elapsed().as_secs_f64();
        errors += usize::from(out.is_err());
        outputs.push(out.ok());
    }
    let cpu = thread_cpu_secs().zip(cpu0).map(|(b, a)| b - a);

    if let Some(p) = predictions {
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?);
        for (raw, a) in raws.iter().zip(&outputs) {
            let line = json!({"id": raw.id, "body": a.as_ref().map(|a| a.body.as_str()).unwrap_or(""),
                "title": a.as_ref().map(|a| a.title.as_str()), "author": a.as_ref().map(|a| a.bylines.clone()),
                "date": a.as_ref().and_then(|a| a.published.as_ref()).map(|d| d.iso.clone())});
            writeln!(f, "{line}").map_err(|e| e.to_string())?;
        }
    }

    let mut metrics = Map::new();
    let mut human = String::new();
    let name =
        gold.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    human.push_str(&format!("extract eval: {} ({} pages)\n", name, recs.len()));
    let body_of = |a: &Option<Article>| a.as_ref().map(|a| a.body.clone()).unwrap_or_default();

    let mut triples = Vec::new();
    let mut exact = 0usize;
    for (r, a) in recs.iter().zip(&outputs) {
        if let Some(g) = r.get("body").and_then(Value::as_str) {
            let pred = body_of(a);
            triples.push(body_counts(g, &pred, 4));
            exact += usize::from(tokens(g) == tokens(&pred));
        }
    }
    if !triples.is_empty() {
        let (p, r, f1) = body_scores(&triples);
        put(&mut metrics, "body_precision", p);
        put(&mut metrics, "body_recall", r);
        put(&mut metrics, "body_f1", f1);
        put(&mut metrics, "body_exact", exact as f64 / triples.len() as f64);
        human.push_str(&format!(
            "  body (shingle) n={}: P={p:.3} R={r:.3} F1={f1:.3} exact={:.3}\n",
            triples.len(),
            exact as f64 / triples.len() as f64
        ));
    }

    let (mut tp, mut fp, mut fneg, mut tn, mut snip_n) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for (r, a) in recs.iter().zip(&outputs) {
        let (Some(with), Some(without)) =
            (r.get("with").and_then(Value::as_array), r.get("without").and_then(Value::as_array))
        else {
            continue;
        };
        snip_n += 1;
        let out = norm_ws(&body_of(a));
        let hit = |s: &Value| !out.is_empty() && s.as_str().is_some_and(|s| out.contains(&norm_ws(s)));
        let hw = with.iter().filter(|s| hit(s)).count();
        let hwo = without.iter().filter(|s| hit(s)).count();
        tp += hw;
        fp += hwo;
        fneg += with.len() - hw;
        tn += without.len() - hwo;
    }
    if snip_n > 0 {
        let p = if tp + fp > 0 { tp as f64 / (tp + fp) as f64 } else { 0.0 };
        let r = if tp + fneg > 0 { tp as f64 / (tp + fneg) as f64 } else { 0.0 };
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        let acc = (tp + tn) as f64 / (tp + fp + fneg + tn).max(1) as f64;
        put(&mut metrics, "snippet_precision", p);
        put(&mut metrics, "snippet_recall", r);
        put(&mut metrics, "snippet_f1", f1);
        put(&mut metrics, "snippet_accuracy", acc);
        human.push_str(&format!("  snippets n={snip_n}: P={p:.3} R={r:.3} F1={f1:.3} acc={acc:.3}\n"));
    }
    if let Some(f1) = metrics.get("body_f1").or(metrics.get("snippet_f1")).cloned() {
        let key = if metrics.contains_key("body_f1") { "body" } else { "snippet" };
        for m in ["precision", "recall"] {
            let v = metrics[&format!("{key}_{m}")].clone();
            metrics.insert(m.into(), v);
        }
        metrics.insert("f1".into(), f1);
    }

    for field in ["title", "author", "date"] {
        let mut n = 0;
        let mut hits = 0;
        for (r, a) in recs.iter().zip(&outputs) {
            let Some(g) = r.get(field).filter(|g| g.as_str().is_some_and(|s| !s.is_empty()) || g.is_array())
            else {
                continue;
            };
            n += 1;
            hits += usize::from(meta_match(field, g, a.as_ref()));
        }
        if n > 0 {
            put(&mut metrics, &format!("{field}_exact"), hits as f64 / n as f64);
            metrics.insert(format!("{field}_n"), json!(n));
            human.push_str(&format!("  {field}: exact={:.3} (n={n})\n", hits as f64 / n as f64));
        }
    }
    let dps = if secs > 0.0 { raws.len() as f64 / secs } else { 0.0 };
    let rss = peak_rss_mb();
    put(&mut metrics, "docs_per_s", dps);
    // CPU time of the extracting thread: the same work, unaffected by other processes
    // competing for the core (wall-clock docs/s is what the peer reports).
    let cpu_dps = cpu.filter(|&c| c > 0.0).map(|c| raws.len() as f64 / c);
    if let Some(c) = cpu_dps {
        put(&mut metrics, "docs_per_cpu_s", c);
    }
    put(&mut metrics, "mean_ms", 1000.0 * secs / raws.len() as f64);
    metrics.insert("docs".into(), json!(raws.len()));
    metrics.insert("errors".into(), json!(errors));
    if let Some(rss) = rss {
        put(&mut metrics, "peak_rss_mb", rss);
    }
    human.push_str(&format!(
        "  time: {secs:.2} s extract, {dps:.1} docs/s wall ({} docs per CPU-second), one core, pages in memory, {errors} errors, peak RSS {}\n",
        cpu_dps.map_or("n/a".into(), |c| format!("{c:.0}")),
        rss.map_or("n/a".into(), |r| format!("{r:.0} MB"))
    ));
    Ok(EvalReport { task: "extract".into(), metrics, human })
}

fn put(m: &mut Map<String, Value>, k: &str, v: f64) {
    m.insert(k.into(), json!((v * 10000.0).round() / 10000.0));
}

/// A page's bytes, gunzipped when its name ends in `.gz`.
pub fn read_page(path: &Path) -> Result<Vec<u8>, String> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Decodes page bytes: UTF-8; UTF-8 with a few bad bytes (replaced); else the first
/// non-UTF-8 charset the page declares (archived pages declare the archive's UTF-8 first);
/// else windows-1252. Returns a warning when the bytes were not clean UTF-8.
pub fn decode_html_bytes(bytes: &[u8]) -> (String, Option<String>) {
    let Err(e) = std::str::from_utf8(bytes) else {
        return (String::from_utf8_lossy(bytes).into_owned(), None);
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]).to_lowercase();
    let labels: Vec<&'static encoding_rs::Encoding> = head
        .match_indices("charset=")
        .filter_map(|(i, _)| {
            let label: String = head[i + 8..]
                .trim_start_matches(['"', '\''])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_.:".contains(*c))
                .collect();
            encoding_rs::Encoding::for_label(label.as_bytes())
        })
        .collect();
    let declared = labels.iter().copied().find(|e| *e != encoding_rs::UTF_8);
    let lossy = String::from_utf8_lossy(bytes);
    let bad = lossy.matches('\u{FFFD}').count();
    let few_bad = bad <= 3 || bad * 1000 < bytes.len();
    if few_bad && (declared.is_none() || labels.contains(&encoding_rs::UTF_8)) {
        let text = lossy.into_owned();
        return (
            text,
            Some(format!("invalid UTF-8 ({bad} sequences from byte {}) replaced", e.valid_up_to())),
        );
    }
    let enc = declared.unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _, _) = enc.decode(bytes);
    (text.into_owned(), Some(format!("not UTF-8; decoded as {}", enc.name())))
}

fn tokens(s: &str) -> Vec<&str> {
    TOKEN_RE.find_iter(s).map(|m| m.as_str()).collect()
}

fn shingles(s: &str, n: usize) -> HashMap<Vec<&str>, usize> {
    let t = tokens(s);
    let mut out = HashMap::new();
    if t.is_empty() {
        return out;
    }
    if t.len() < n {
        out.insert(t, 1);
        return out;
    }
    for w in t.windows(n) {
        *out.entry(w.to_vec()).or_default() += 1;
    }
    out
}

fn body_counts(gold: &str, pred: &str, n: usize) -> (f64, f64, f64) {
    let (g, p) = (shingles(gold, n), shingles(pred, n));
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for (k, &a) in &g {
        let b = p.get(k).copied().unwrap_or(0);
        tp += a.min(b);
        fneg += a.saturating_sub(b);
    }
    for (k, &b) in &p {
        let a = g.get(k).copied().unwrap_or(0);
        fp += b.saturating_sub(a);
    }
    let s = (tp + fp + fneg) as f64;
    if s == 0.0 { (0.0, 0.0, 0.0) } else { (tp as f64 / s, fp as f64 / s, fneg as f64 / s) }
}

fn body_scores(t: &[(f64, f64, f64)]) -> (f64, f64, f64) {
    let prec = |&(tp, fp, fneg): &(f64, f64, f64)| {
        if fp == 0.0 && fneg == 0.0 {
            1.0
        } else if tp + fp > 0.0 {
            tp / (tp + fp)
        } else {
            0.0
        }
    };
    let rec = |&(tp, fp, fneg): &(f64, f64, f64)| {
        if fp == 0.0 && fneg == 0.0 {
            1.0
        } else if tp + fneg > 0.0 {
            tp / (tp + fneg)
        } else {
            0.0
        }
    };
    let ps: Vec<f64> = t.iter().filter(|x| x.0 + x.1 > 0.0).map(prec).collect();
    let rs: Vec<f64> = t.iter().filter(|x| x.0 + x.2 > 0.0).map(rec).collect();
    let mean = |v: &[f64]| if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 };
    let (p, r) = (mean(&ps), mean(&rs));
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn norm_meta(s: &str) -> String {
    norm_ws(&s.nfkc().collect::<String>()).to_lowercase()
}

fn meta_match(field: &str, gold: &Value, a: Option<&Article>) -> bool {
    let Some(a) = a else { return false };
    match field {
        "date" => {
            let g = gold.as_str().unwrap_or("");
            let p = a.published.as_ref().map(|d| d.iso.as_str()).unwrap_or("");
            p.get(..10).unwrap_or(p) == g.get(..10).unwrap_or(g)
        }
        "author" => {
            let set = |names: Vec<String>| {
                let mut v: Vec<String> =
                    names.iter().map(|n| norm_meta(n)).filter(|n| !n.is_empty()).collect();
                v.sort();
                v.dedup();
                v
            };
            let g = match gold {
                Value::Array(a) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
                v => v.as_str().unwrap_or("").split(';').map(str::to_string).collect(),
            };
            set(g) == set(a.bylines.clone())
        }
        _ => norm_meta(gold.as_str().unwrap_or("")) == norm_meta(&a.title),
    }
}

/// CPU seconds consumed by the calling thread (Linux `CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu_secs() -> Option<f64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
}

pub use newsloom_model::process::peak_rss_mb;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric_matches_the_benchmark_arithmetic() {
        let (tp, fp, fneg) = body_counts("a b c d e", "a b c d x", 4);
        // gold shingles {abcd, bcde}, pred {abcd, bcdx}: tp 1, fp 1, fn 1.
        assert!(
            (tp - 1.0 / 3.0).abs() < 1e-9 && (fp - 1.0 / 3.0).abs() < 1e-9 && (fneg - 1.0 / 3.0).abs() < 1e-9
        );
        let (p, r, f1) = body_scores(&[body_counts("x y", "x y", 4), (0.5, 0.5, 0.0)]);
        assert!((p - 0.75).abs() < 1e-9 && (r - 1.0).abs() < 1e-9 && (f1 - 2.0 * 0.75 / 1.75).abs() < 1e-9);
    }

    #[test]
    fn decodes_declared_charsets() {
        let (s, w) = decode_html_bytes(b"<meta charset=\"iso-8859-1\">caf\xe9 na\xefve \xfcber \xe0 la");
        assert!(s.ends_with("café naïve über à la") && w.is_some());
        let (s, w) = decode_html_bytes("plain ü".as_bytes());
        assert_eq!((s.as_str(), w), ("plain ü", None));
    }

    #[test]
    fn metadata_matching_rules() {
        let a = Article {
            title: "Ｔitle  Here".into(),
            bylines: vec!["B".into(), "a".into()],
            ..Article::default()
        };
        assert!(meta_match("title", &json!("title here"), Some(&a)));
        assert!(meta_match("author", &json!("A; b"), Some(&a)));
        assert!(!meta_match("date", &json!("2020-01-01"), Some(&a)));
    }
}
