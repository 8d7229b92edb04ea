//! `newsloom bench ingest`: throughput and memory of ingest + store + index on generated news.

use std::cell::RefCell;
use std::io::{BufWriter, Write};

use anyhow::Context;
use newsloom_ingest::Reader;
use newsloom_pipeline::{IngestSummary, Pipeline, Progress, synth};

use crate::args::BenchCommand;
use crate::commands::ingest::Bar;
use crate::output;

/// Records resident memory after each batch, to show whether it stays flat as the corpus grows.
struct MemoryTrace {
    bar: Bar,
    rss: RefCell<Vec<(u64, f64)>>,
}

impl Progress for MemoryTrace {
    fn batch_done(&self, s: &IngestSummary) {
        self.bar.batch_done(s);
        if let Some(mb) = current_rss_mb() {
            self.rss.borrow_mut().push((s.read, mb));
        }
    }
}

fn current_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

pub fn bench(what: BenchCommand, json: bool) -> anyhow::Result<()> {
    let (articles, batch_size, keep) = match what {
        BenchCommand::Ingest { articles, batch_size, keep } => (articles, batch_size, keep),
        BenchCommand::Warc { mb, batch_size } => return super::bench_warc::bench_warc(mb, batch_size, json),
        BenchCommand::Queue { articles, workers, hops } => {
            return super::worker::bench_queue(articles, &workers, hops, json);
        }
    };
    let tmp = tempfile::tempdir()?;
    let corpus = tmp.path().join("corpus.jsonl");
    {
        let mut w = BufWriter::new(std::fs::File::create(&corpus)?);
        for i in 0..articles {
            writeln!(w, "{}", synth::article_jsonl(i, 42))?;
        }
        w.flush()?;
    }
    let corpus_mb = std::fs::metadata(&corpus)?.len() as f64 / 1e6;
    let db = keep.unwrap_or_else(|| tmp.path().join("db"));
    let mut pipeline = Pipeline::open(&db).with_context(|| format!("opening {}", db.display()))?;
    pipeline.batch_size = batch_size.max(1);
    let trace = MemoryTrace { bar: Bar::new(), rss: RefCell::new(vec![]) };
    let summary = pipeline.ingest(Reader::new(vec![corpus]), &trace)?;
    trace.bar.finish();
    let rss = trace.rss.into_inner();
    // RSS at each quarter of the run: flat memory means these stay close.
    let quarters: Vec<(u64, f64)> =
        (1..=4).filter_map(|q| rss.get((rss.len() * q / 4).saturating_sub(1)).copied()).collect();
    let peak = output::peak_rss_mb().unwrap_or(0.0);
    if json {
        return output::json(&serde_json::json!({
            "articles": articles,
            "corpus_mb": corpus_mb,
            "stored": summary.stored,
            "rejected": summary.rejected,
            "elapsed_s": summary.elapsed_s,
            "articles_per_s": summary.articles_per_s,
            "mb_per_s": corpus_mb / summary.elapsed_s.max(1e-9),
            "peak_rss_mb": peak,
            "rss_mb_by_quarter": quarters,
            "threads": rayon_threads(),
            "stage_s": summary.stage_s,
        }));
    }
    println!(
        "ingested {} generated articles ({corpus_mb:.0} MB JSONL) in {:.2}s: {:.0} articles/s, {:.1} MB/s, on {} threads",
        summary.stored,
        summary.elapsed_s,
        summary.articles_per_s,
        corpus_mb / summary.elapsed_s.max(1e-9),
        rayon_threads()
    );
    let q: Vec<String> = quarters.iter().map(|(n, mb)| format!("{mb:.0} MB after {n}")).collect();
    println!("resident memory: {}; peak {peak:.0} MB", q.join(", "));
    let t = &summary.stage_s;
    println!(
        "wall time by step: read {:.2}s, extract+analyse {:.2}s, cluster {:.2}s, store {:.2}s, index {:.2}s",
        t.read, t.extract_analyse, t.cluster, t.store, t.index
    );
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}
