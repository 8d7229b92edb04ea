//! `newsloom eval cluster`: stream a gold file through the real clusterer and score it.

use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use newsloom_model::{Article, EvalReport, PublishedDate, content_id};
use serde_json::{Map, Value, json};

use crate::doc::Analysed;
use crate::{ClusterConfig, OnlineClusterer, StoryClusterer};

/// One article of a gold file with its gold story.
#[derive(Debug, Clone)]
pub struct GoldArticle {
    pub article: Article,
    pub cluster: String,
}

/// Reads JSONL with `id`, `title`, `text`, `date`, `source`, `lang` and the gold label in
/// `cluster` (or `story`), sorted stably by date (stream order).
pub fn read_gold(path: &Path) -> Result<Vec<GoldArticle>, String> {
    let mut out = Vec::new();
    for (n, v) in jsonl_records(path)? {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let id = s("id").ok_or_else(|| format!("{}:{n}: no id", path.display()))?;
        let cluster =
            s("cluster").or_else(|| s("story")).ok_or_else(|| format!("{}:{n}: no label", path.display()))?;
        let body = s("text").or_else(|| s("body")).unwrap_or_default();
        let article = Article {
            body_hash: content_id(body.as_bytes()),
            id,
            title: s("title").unwrap_or_default(),
            body,
            published: s("date").and_then(|d| PublishedDate::parse_iso(&d, "input")),
            source: s("source"),
            language: s("lang"),
            ..Default::default()
        };
        out.push(GoldArticle { article, cluster });
    }
    out.sort_by(|a, b| day_of(&a.article).cmp(day_of(&b.article)));
    Ok(out)
}

/// The JSON values of a JSONL file with their 1-based line numbers; blank lines are skipped.
pub(crate) fn jsonl_records(path: &Path) -> Result<Vec<(usize, Value)>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if !line.trim().is_empty() {
            let v = serde_json::from_str(&line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
            out.push((n + 1, v));
        }
    }
    Ok(out)
}

fn day_of(a: &Article) -> &str {
    a.published.as_ref().map_or("", |p| p.iso.as_str())
}

/// What a streaming run produced.
#[derive(Debug, Clone, Default)]
pub struct StreamRun {
    /// Final story per article (merges applied), in stream order.
    pub labels: Vec<String>,
    /// The original each article copies, if it is a near-duplicate.
    pub copy_of: Vec<Option<String>>,
    pub copies: usize,
    pub merges: usize,
    pub seconds: f64,
    /// CPU time of the clustering thread, when the platform reports it.
    pub cpu_seconds: Option<f64>,
    /// CPU time of the whole process (both threads).
    pub process_cpu_seconds: Option<f64>,
}

/// Streams the articles through a fresh clusterer and resolves merge redirects at the end.
pub fn stream(items: &[GoldArticle], cfg: &ClusterConfig) -> StreamRun {
    stream_with(items, cfg, None)
}

/// [`stream`] with a sentence embedding per article (parallel to `items`).
pub fn stream_with(items: &[GoldArticle], cfg: &ClusterConfig, embs: Option<&[Vec<f32>]>) -> StreamRun {
    let mut c = OnlineClusterer::with_config(cfg.clone());
    let mut redirect: HashMap<String, String> = HashMap::new();
    let mut run = StreamRun::default();
    let t0 = Instant::now();
    let cpu0 = thread_cpu_seconds();
    let pcpu0 = process_cpu_seconds();
    let mut raw = Vec::with_capacity(items.len());
    // Two cores: one thread tokenises and signs the next articles while this one clusters.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Analysed>(64);
        scope.spawn(move || {
            for (i, it) in items.iter().enumerate() {
                let mut a = Analysed::new(&it.article);
                if let Some(v) = embs.and_then(|e| e.get(i)) {
                    a = a.with_embedding(v.clone());
                }
                if tx.send(a).is_err() {
                    break;
                }
            }
        });
        for (it, an) in items.iter().zip(rx) {
            let a = c.assign_analysed(&it.article, &[], an);
            run.copies += usize::from(a.copy_of.is_some());
            run.copy_of.push(a.copy_of);
            run.merges += a.merges.len();
            for m in a.merges {
                redirect.insert(m.absorbed, m.into);
            }
            raw.push(a.story);
        }
    });
    run.seconds = t0.elapsed().as_secs_f64();
    run.cpu_seconds = thread_cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    run.process_cpu_seconds = process_cpu_seconds().zip(pcpu0).map(|(b, a)| b - a);
    run.labels = raw
        .into_iter()
        .map(|mut s| {
            // Redirect chains are short and acyclic (the survivor is always the older story).
            for _ in 0..64 {
                match redirect.get(&s) {
                    Some(n) => s = n.clone(),
                    None => break,
                }
            }
            s
        })
        .collect();
    run
}

pub use crate::crosslingual::run_crosslingual;

/// B-cubed and pairwise scores of `pred` against `gold` (parallel label lists).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub b3_p: f64,
    pub b3_r: f64,
    pub b3_f1: f64,
    pub pair_p: f64,
    pub pair_r: f64,
    pub pair_f1: f64,
    pub pred_clusters: usize,
    pub gold_clusters: usize,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
}

/// Same definitions as `shared/eval/cluster_score.py`.
pub fn score<G: AsRef<str>, P: AsRef<str>>(gold: &[G], pred: &[P]) -> Scores {
    let n = gold.len().min(pred.len());
    if n == 0 {
        return Scores::default();
    }
    let mut gsize: HashMap<&str, u64> = HashMap::new();
    let mut psize: HashMap<&str, u64> = HashMap::new();
    let mut cell: HashMap<(&str, &str), u64> = HashMap::new();
    for i in 0..n {
        *gsize.entry(gold[i].as_ref()).or_default() += 1;
        *psize.entry(pred[i].as_ref()).or_default() += 1;
        *cell.entry((pred[i].as_ref(), gold[i].as_ref())).or_default() += 1;
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for i in 0..n {
        let c = cell[&(pred[i].as_ref(), gold[i].as_ref())] as f64;
        bp += c / psize[pred[i].as_ref()] as f64;
        br += c / gsize[gold[i].as_ref()] as f64;
    }
    let (bp, br) = (bp / n as f64, br / n as f64);
    let c2 = |k: u64| (k * k.saturating_sub(1) / 2) as f64;
    let tp: f64 = cell.values().map(|&k| c2(k)).sum();
    let pp: f64 = psize.values().map(|&k| c2(k)).sum();
    let gp: f64 = gsize.values().map(|&k| c2(k)).sum();
    let pair_p = if pp > 0.0 { tp / pp } else { 0.0 };
    let pair_r = if gp > 0.0 { tp / gp } else { 0.0 };
    Scores {
        b3_p: bp,
        b3_r: br,
        b3_f1: f1(bp, br),
        pair_p,
        pair_r,
        pair_f1: f1(pair_p, pair_r),
        pred_clusters: psize.len(),
        gold_clusters: gsize.len(),
    }
}

/// Peak resident memory of this process in MB (`VmHWM`), if the platform reports it.
pub fn peak_rss_mb() -> Option<f64> {
    proc_status_kb("VmHWM:").map(|kb| kb / 1024.0)
}

/// Current resident memory in MB (`VmRSS`).
pub fn rss_mb() -> Option<f64> {
    proc_status_kb("VmRSS:").map(|kb| kb / 1024.0)
}

/// CPU time consumed by the calling thread (Linux `/proc/thread-self/schedstat`), so that a
/// throughput figure is not skewed by other processes competing for the cores.
pub fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

/// CPU time (user + system) of the whole process, from `/proc/self/stat` (clock ticks,
/// assumed 100 per second as on all common Linux builds).
pub fn process_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

use newsloom_model::process::status_kb as proc_status_kb;

fn r4(x: f64) -> Value {
    json!((x * 10_000.0).round() / 10_000.0)
}

/// `out`: where to write `{"id","story"}` assignments as JSONL.
pub fn run(gold: &Path, out: Option<&Path>) -> Result<EvalReport, String> {
    run_with(gold, out, &ClusterConfig::default())
}

/// [`run`] with sentence embeddings from the model in `embed_model` (else from
/// `NEWSLOOM_EMBED_MODEL`; without either it is [`run`]). Needs the `embed` feature. The
/// embeddings are computed before the clock starts: the articles/s are the clusterer's.
pub fn run_embed(gold: &Path, out: Option<&Path>, embed_model: Option<&Path>) -> Result<EvalReport, String> {
    let Some(model) = crate::embedding::model_dir(embed_model) else {
        return run(gold, out);
    };
    let items = read_gold(gold)?;
    let arts: Vec<&Article> = items.iter().map(|i| &i.article).collect();
    let embs = crate::embedding::embed_articles(&model, &arts)?;
    report(gold, out, &ClusterConfig::default(), &items, Some(&embs))
}

/// [`run`] with a non-default configuration.
pub fn run_with(gold: &Path, out: Option<&Path>, cfg: &ClusterConfig) -> Result<EvalReport, String> {
    let items = read_gold(gold)?;
    report(gold, out, cfg, &items, None)
}

fn report(
    gold: &Path,
    out: Option<&Path>,
    cfg: &ClusterConfig,
    items: &[GoldArticle],
    embs: Option<&[Vec<f32>]>,
) -> Result<EvalReport, String> {
    let run = stream_with(items, cfg, embs);
    let gold_labels: Vec<&str> = items.iter().map(|i| i.cluster.as_str()).collect();
    let s = score(&gold_labels, &run.labels);
    if let Some(out) = out {
        let f = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
        let mut w = BufWriter::new(f);
        for ((it, story), copy) in items.iter().zip(&run.labels).zip(&run.copy_of) {
            let line = match copy {
                Some(c) => json!({"id": it.article.id, "story": story, "copy_of": c}),
                None => json!({"id": it.article.id, "story": story}),
            };
            writeln!(w, "{line}").map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    let per_s = items.len() as f64 / run.seconds.max(1e-9);
    let rss = peak_rss_mb().unwrap_or(0.0);
    let mut m = Map::new();
    m.insert("articles".into(), json!(items.len()));
    // The primary metric (B-cubed) also under the plain keys every eval task reports.
    m.insert("precision".into(), r4(s.b3_p));
    m.insert("recall".into(), r4(s.b3_r));
    m.insert("f1".into(), r4(s.b3_f1));
    m.insert("b3_p".into(), r4(s.b3_p));
    m.insert("b3_r".into(), r4(s.b3_r));
    m.insert("b3_f1".into(), r4(s.b3_f1));
    m.insert("pair_p".into(), r4(s.pair_p));
    m.insert("pair_r".into(), r4(s.pair_r));
    m.insert("pair_f1".into(), r4(s.pair_f1));
    m.insert("stories".into(), json!(s.pred_clusters));
    m.insert("gold_stories".into(), json!(s.gold_clusters));
    m.insert("copies".into(), json!(run.copies));
    m.insert("merges".into(), json!(run.merges));
    m.insert("docs_per_s".into(), json!(per_s.round()));
    let per_cpu_s = run.cpu_seconds.map(|c| items.len() as f64 / c.max(1e-9));
    if let Some(r) = per_cpu_s {
        m.insert("docs_per_cpu_s_clustering_thread".into(), json!(r.round()));
    }
    let per_pcpu_s = run.process_cpu_seconds.map(|c| items.len() as f64 / c.max(1e-2));
    if let Some(r) = per_pcpu_s {
        m.insert("docs_per_cpu_s_total".into(), json!(r.round()));
    }
    m.insert("peak_rss_mb".into(), json!((rss * 10.0).round() / 10.0));
    m.insert("embeddings".into(), json!(embs.is_some()));
    let human = format!(
        "cluster eval on {} ({} articles, {} gold stories{})\n\
         {:<10} {:>8} {:>8} {:>8}\n\
         {:<10} {:>8.4} {:>8.4} {:>8.4}\n\
         {:<10} {:>8.4} {:>8.4} {:>8.4}\n\
         stories {}  copies {}  merges {}  peak RSS {:.1} MB\n\
         articles/s {:.0} wall (2 threads), {:.0} per CPU-second of the clustering thread, \
         {:.0} per CPU-second in total\n",
        gold.display(),
        items.len(),
        s.gold_clusters,
        if embs.is_some() { ", with embeddings" } else { "" },
        "",
        "P",
        "R",
        "F1",
        "B-cubed",
        s.b3_p,
        s.b3_r,
        s.b3_f1,
        "pairwise",
        s.pair_p,
        s.pair_r,
        s.pair_f1,
        s.pred_clusters,
        run.copies,
        run.merges,
        rss,
        per_s,
        per_cpu_s.unwrap_or(f64::NAN),
        per_pcpu_s.unwrap_or(f64::NAN),
    );
    Ok(EvalReport { task: "cluster".into(), metrics: m, human })
}

/// Memory-flatness check: streams the file `passes` times through one clusterer, each pass
/// shifted `shift_years` later (ids suffixed), and reports resident memory after each pass.
pub fn replay(gold: &Path, passes: usize, shift_years: i32) -> Result<EvalReport, String> {
    let items = read_gold(gold)?;
    let mut c = OnlineClusterer::new();
    let mut m = Map::new();
    let mut human = format!(
        "replay of {} ({} articles) × {passes}\npass  RSS MB  open stories  dup index  art/CPU-s\n",
        gold.display(),
        items.len()
    );
    let t0 = Instant::now();
    let mut shifted = Article::default();
    for pass in 0..passes {
        let cpu0 = thread_cpu_seconds();
        for it in &items {
            shifted.clone_from(&it.article);
            shifted.id = format!("{}#{pass}", it.article.id);
            // Tag every body line with the pass so that replayed lines are new text to the
            // furniture detector, as a longer real stream's would be.
            if pass > 0 {
                shifted.body =
                    it.article.body.lines().map(|l| format!("{l} zq{pass}")).collect::<Vec<_>>().join("\n");
            }
            if let Some(p) = &mut shifted.published
                && let Ok(y) = p.iso[..4].parse::<i32>()
            {
                p.iso = format!("{:04}{}", y + shift_years * pass as i32, &p.iso[4..]);
            }
            c.assign(&shifted, &[]);
        }
        let rss = rss_mb().unwrap_or(0.0);
        let rate =
            thread_cpu_seconds().zip(cpu0).map_or(f64::NAN, |(b, a)| items.len() as f64 / (b - a).max(1e-9));
        m.insert(format!("rss_mb_pass{}", pass + 1), json!((rss * 10.0).round() / 10.0));
        human.push_str(&format!(
            "{:>4}  {:>6.1}  {:>12}  {:>9}  {:>10.0}\n",
            pass + 1,
            rss,
            c.open_stories(),
            c.indexed_articles(),
            rate
        ));
    }
    let per_s = (items.len() * passes) as f64 / t0.elapsed().as_secs_f64().max(1e-9);
    m.insert("docs_per_s".into(), json!(per_s.round()));
    m.insert("peak_rss_mb".into(), json!((peak_rss_mb().unwrap_or(0.0) * 10.0).round() / 10.0));
    human.push_str(&format!("articles/s {per_s:.0}\n"));
    Ok(EvalReport { task: "cluster-replay".into(), metrics: m, human })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_the_definitions() {
        let gold = ["a", "a", "b", "b"];
        let s = score(&gold, &["x", "x", "y", "z"]);
        assert!((s.b3_p - 1.0).abs() < 1e-9);
        assert!((s.b3_r - 0.75).abs() < 1e-9);
        assert!((s.pair_p - 1.0).abs() < 1e-9 && (s.pair_r - 0.5).abs() < 1e-9);
        let s = score(&gold, &["x"; 4]);
        assert!((s.b3_p - 0.5).abs() < 1e-9 && (s.b3_r - 1.0).abs() < 1e-9);
        assert!((s.pair_p - 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(s.pred_clusters, 1);
    }
}
