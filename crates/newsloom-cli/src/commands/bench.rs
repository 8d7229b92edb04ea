//! `newsloom bench ingest`: throughput and memory of ingest + store + index on a generated
//! news stream, by decile, so a slowdown or a memory climb as the store grows shows.

use std::cell::RefCell;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use newsloom_ingest::Reader;
use newsloom_pipeline::synth::{self, Mix, MixKind};
use newsloom_pipeline::{IngestSummary, Pipeline, Progress};
use serde::Serialize;

use crate::args::BenchCommand;
use crate::commands::ingest::Bar;
use crate::output;

/// One point per batch: items read, seconds since the start, resident MB, process CPU seconds.
#[derive(Clone, Copy)]
struct Sample {
    read: u64,
    at_s: f64,
    rss_mb: f64,
    rss_anon_mb: f64,
    cpu_s: f64,
}

/// Records a [`Sample`] after each batch, and logs each decile as it completes (a long run
/// that is stopped early still leaves its figures on stderr).
struct Trace {
    bar: Bar,
    started: Instant,
    articles: u64,
    samples: RefCell<Vec<Sample>>,
}

impl Progress for Trace {
    fn batch_done(&self, s: &IngestSummary) {
        self.bar.batch_done(s);
        let sample = Sample {
            read: s.read,
            at_s: self.started.elapsed().as_secs_f64(),
            rss_mb: current_rss_mb().unwrap_or(0.0),
            rss_anon_mb: newsloom_model::process::rss_anon_mb().unwrap_or(0.0),
            cpu_s: process_cpu_s().unwrap_or(0.0),
        };
        let mut samples = self.samples.borrow_mut();
        let decile = |read: u64| read * 10 / self.articles.max(1);
        // Logged when a decile is complete (not after the first batch, which ends none).
        if samples.last().map_or(0, |p| decile(p.read)) < decile(s.read) {
            self.bar.log(&format!(
                "decile {}: {} items in {:.0}s, RSS {:.0} MB (anonymous {:.0} MB), CPU {:.0}s, stored {}",
                decile(s.read),
                s.read,
                sample.at_s,
                sample.rss_mb,
                sample.rss_anon_mb,
                sample.cpu_s,
                s.stored
            ));
        }
        samples.push(sample);
    }
}

/// One tenth of the run.
#[derive(Serialize)]
struct Decile {
    decile: usize,
    /// Items read by the end of this decile.
    items: u64,
    articles_per_s: f64,
    /// Process CPU milliseconds per item in this decile (all threads).
    cpu_ms_per_item: f64,
    /// Resident memory at the decile's end: all of it, and the anonymous part (without the
    /// search index's memory-mapped files, which merges read whole and the kernel reclaims).
    rss_mb: f64,
    rss_anon_mb: f64,
}

use newsloom_model::process::rss_mb as current_rss_mb;

/// User + system CPU seconds of this process, all threads (`/proc/self/stat`, in clock ticks
/// of 1/100 s on Linux).
fn process_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Writes the stream to `path`; returns how many items of each kind it holds.
fn write_corpus(
    path: &Path,
    items: std::ops::Range<u64>,
    mix: &str,
    real: &[PathBuf],
) -> anyhow::Result<[u64; 3]> {
    let mut texts = synth::shipped_real_texts();
    for file in real {
        let jsonl = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        texts.extend(synth::real_texts_from_jsonl(&jsonl));
    }
    let mut stream = Mix::new(texts, 42);
    if mix == "generated" {
        (stream.real_pct, stream.dup_pct) = (0, 0);
    }
    let mut counts = [0u64; 3];
    // Gzipped, as dumps usually are: a million articles take 0.6 GB of scratch space, not 2.4.
    let file = std::fs::File::create(path)?;
    let mut w = BufWriter::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
    for i in items {
        let (line, kind) = stream.item(i);
        counts[kind as usize] += 1;
        writeln!(w, "{line}")?;
    }
    w.into_inner().map_err(|e| e.into_error())?.finish()?;
    Ok(counts)
}

fn deciles(samples: &[Sample], articles: u64, cpu_at_start: f64) -> Vec<Decile> {
    let mut out = Vec::new();
    let mut prev = Sample { read: 0, at_s: 0.0, rss_mb: 0.0, rss_anon_mb: 0.0, cpu_s: cpu_at_start };
    for d in 1..=10 {
        let goal = articles * d as u64 / 10;
        let Some(&s) = samples.iter().find(|s| s.read >= goal) else { break };
        let items = (s.read - prev.read) as f64;
        if items > 0.0 {
            out.push(Decile {
                decile: d,
                items: s.read,
                articles_per_s: items / (s.at_s - prev.at_s).max(1e-9),
                cpu_ms_per_item: 1000.0 * (s.cpu_s - prev.cpu_s) / items,
                rss_mb: s.rss_mb,
                rss_anon_mb: s.rss_anon_mb,
            });
            prev = s;
        }
    }
    out
}

pub fn bench(what: BenchCommand, json: bool) -> anyhow::Result<()> {
    let (articles, batch_size, keep, mix, real, first) = match what {
        BenchCommand::Ingest { articles, batch_size, keep, mix, real, first } => {
            (articles, batch_size, keep, mix, real, first)
        }
        BenchCommand::Warc { mb, batch_size } => return super::bench_warc::bench_warc(mb, batch_size, json),
        BenchCommand::Queue { articles, workers, hops } => {
            return super::worker::bench_queue(articles, &workers, hops, json);
        }
    };
    let tmp = tempfile::tempdir()?;
    let corpus = tmp.path().join("corpus.jsonl.gz");
    let kinds = write_corpus(&corpus, first..first + articles, &mix, &real)?;
    let corpus_mb = std::fs::metadata(&corpus)?.len() as f64 / 1e6;
    let db = keep.unwrap_or_else(|| tmp.path().join("db"));
    let opened = Instant::now();
    let mut pipeline = Pipeline::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let open_s = opened.elapsed().as_secs_f64();
    pipeline.batch_size = batch_size.max(1);
    let trace = Trace { bar: Bar::new(), started: Instant::now(), articles, samples: RefCell::new(vec![]) };
    let cpu_before = process_cpu_s().unwrap_or(0.0);
    let summary = pipeline.ingest(Reader::new(vec![corpus.clone()]), &trace)?;
    let cpu_s = process_cpu_s().unwrap_or(0.0) - cpu_before;
    trace.bar.finish();
    drop(pipeline);
    std::fs::remove_file(&corpus).ok();
    let samples = trace.samples.into_inner();
    let deciles = deciles(&samples, articles, cpu_before);
    // Sampled at batch ends (every second or so): anonymous memory moves slowly, unlike the
    // mapped index files a merge reads.
    let peak_anon = samples.iter().map(|s| s.rss_anon_mb).fold(0.0, f64::max);
    let store_bytes = dir_bytes(&db);
    let bytes_per_article = store_bytes as f64 / summary.stored.max(1) as f64;
    let peak = output::peak_rss_mb().unwrap_or(0.0);
    let (first, last) = (deciles.first().map(|d| d.articles_per_s), deciles.last().map(|d| d.articles_per_s));
    let last_vs_first = match (first, last) {
        (Some(f), Some(l)) if f > 0.0 => l / f,
        _ => 0.0,
    };
    if json {
        return output::json(&serde_json::json!({
            "articles": articles,
            "mix": mix,
            "generated": kinds[MixKind::Generated as usize],
            "real_replayed": kinds[MixKind::Real as usize],
            "near_duplicates_generated": kinds[MixKind::NearDuplicate as usize],
            "corpus_mb": corpus_mb,
            "stored": summary.stored,
            "duplicates": summary.duplicates,
            "reprints": summary.reprints,
            "rejected": summary.rejected,
            "open_s": open_s,
            "elapsed_s": summary.elapsed_s,
            "articles_per_s": summary.articles_per_s,
            "docs_per_s": summary.articles_per_s,
            "cpu_ms_per_article": 1000.0 * cpu_s / summary.stored.max(1) as f64,
            "mb_per_s": corpus_mb / summary.elapsed_s.max(1e-9),
            "peak_rss_mb": peak,
            "peak_rss_anon_mb": peak_anon,
            "deciles": deciles,
            "last_vs_first_decile_rate": last_vs_first,
            "store_bytes": store_bytes,
            "store_bytes_per_article": bytes_per_article,
            "threads": rayon_threads(),
            "stage_s": summary.stage_s,
        }));
    }
    println!(
        "ingested {} articles ({} generated, {} real replays, {} near-duplicates; {corpus_mb:.0} MB gzipped JSONL) \
         in {:.2}s: {:.0} articles/s, {:.2} ms CPU per article, on {} threads",
        summary.stored,
        kinds[0],
        kinds[1],
        kinds[2],
        summary.elapsed_s,
        summary.articles_per_s,
        1000.0 * cpu_s / summary.stored.max(1) as f64,
        rayon_threads()
    );
    println!("{} stored as reprints of an earlier article; store opened in {open_s:.2}s", summary.reprints);
    println!("decile   items   articles/s   CPU ms/item   RSS MB   anonymous MB");
    for d in &deciles {
        println!(
            "{:>6} {:>7} {:>12.0} {:>13.2} {:>8.0} {:>14.0}",
            d.decile, d.items, d.articles_per_s, d.cpu_ms_per_item, d.rss_mb, d.rss_anon_mb
        );
    }
    println!(
        "last decile's rate / first's: {last_vs_first:.2}; peak RSS {peak:.0} MB (anonymous, at batch ends: \
         {peak_anon:.0} MB)"
    );
    println!(
        "store on disk: {:.1} MB, {:.0} bytes per article (SQLite + search index)",
        store_bytes as f64 / 1e6,
        bytes_per_article
    );
    let t = &summary.stage_s;
    println!(
        "wall time by step: read {:.2}s, extract+analyse {:.2}s (parallel, beside the rest), cluster {:.2}s, \
         store {:.2}s, index {:.2}s",
        t.read, t.extract_analyse, t.cluster, t.store, t.index
    );
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
