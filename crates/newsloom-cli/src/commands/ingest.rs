//! `newsloom ingest`, `newsloom reindex` and `newsloom compact`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsloom_ingest::{IngestItem, Limits, Reader};
use newsloom_pipeline::{IngestSummary, Pipeline, Progress};

use crate::args::IngestArgs;
use crate::output;

/// A spinner on stderr with running counts (hidden when stderr is not a terminal).
pub struct Bar(ProgressBar);

impl Bar {
    pub fn new() -> Self {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Self(bar)
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }

    /// A line on stderr above the bar (printed also when stderr is not a terminal).
    pub fn log(&self, line: &str) {
        self.0.suspend(|| eprintln!("{line}"));
    }
}

impl Progress for Bar {
    fn batch_done(&self, s: &IngestSummary) {
        let rate = s.read as f64 / s.elapsed_s.max(1e-9);
        self.0.set_message(format!(
            "{} read, {} stored, {} duplicates, {} rejected ({rate:.0} items/s)",
            s.read, s.stored, s.duplicates, s.rejected
        ));
    }
}

pub fn ingest(location: &newsloom_store::Location, args: &IngestArgs, json: bool) -> anyhow::Result<()> {
    let mut pipeline = Pipeline::open_location(location)
        .with_context(|| format!("opening the store {}", location.display()))?;
    pipeline.batch_size = args.batch_size.max(1);
    let limits = Limits { max_item_bytes: args.max_item_mb.max(1) << 20 };
    let reader = Reader::with_limits(args.paths.clone(), limits);
    let skips = reader.skip_counts();
    let source = args.source.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let items = reader.map(|item| match (item, source) {
        (IngestItem::Record(mut raw), Some(name)) if raw.meta_str("source").is_none() => {
            raw.meta.insert("source".into(), name.into());
            IngestItem::Record(raw)
        }
        (item, _) => item,
    });
    let bar = Bar::new();
    let summary = pipeline.ingest(items, &bar)?;
    bar.finish();
    let skipped = skips.snapshot();
    if json {
        // Items skipped on purpose (WARC records that are not pages) beside the pipeline's counts.
        let mut doc = serde_json::to_value(&summary)?;
        doc["skipped"] = serde_json::to_value(&skipped)?;
        return output::json(&doc);
    }
    print_summary(&summary, &skipped, &pipeline.store().location());
    Ok(())
}

pub fn print_summary(s: &IngestSummary, skipped: &BTreeMap<String, u64>, location: &str) {
    println!(
        "read {}  stored {}  duplicates {}  rejected {}  ({} reprints)  in {:.2}s, {:.0} articles/s",
        s.read, s.stored, s.duplicates, s.rejected, s.reprints, s.elapsed_s, s.articles_per_s
    );
    for (reason, n) in &s.rejected_by_reason {
        println!("  rejected {n}: {reason}");
    }
    for (reason, n) in skipped {
        println!("  skipped {n}: {reason}");
    }
    for e in &s.errors {
        eprintln!("  {e}");
    }
    if s.rejected as usize > s.errors.len() {
        eprintln!(
            "  … and {} more rejections (all are listed in the store's rejects table)",
            s.rejected as usize - s.errors.len()
        );
    }
    println!("store: {location}");
}

pub fn compact(db: &Path, recode: bool, json: bool) -> anyhow::Result<()> {
    if !db.join("newsloom.db").exists() {
        anyhow::bail!("no store in {}", db.display());
    }
    let recoded = if recode { Some(recode_values(db)?) } else { None };
    // The index alone: the pipeline's models and clusterer state are not needed to merge it.
    let mut index = newsloom_search::SearchIndex::open(db)?;
    let started = std::time::Instant::now();
    let (before, docs) = (index.merge_segments()?, index.num_docs());
    let seconds = started.elapsed().as_secs_f64();
    if json {
        let mut out = serde_json::json!({
            "segments_before": before, "segments_after": before.min(1), "documents": docs, "seconds": seconds
        });
        if let Some((r, secs)) = recoded {
            out["recoded"] = serde_json::json!({
                "values": r.values, "rewritten": r.rewritten, "bytes_before": r.bytes_before,
                "bytes_after": r.bytes_after, "seconds": secs,
            });
        }
        return output::json(&out);
    }
    if let Some((r, secs)) = recoded {
        println!(
            "store: {} of {} documents rewritten in the faster codec ({} → {} bytes), in {secs:.1}s",
            r.rewritten, r.values, r.bytes_before, r.bytes_after
        );
    }
    println!(
        "search index: {before} segments merged into {}, {docs} documents, in {seconds:.1}s",
        before.min(1)
    );
    Ok(())
}

/// `compact --recode`: the store's older deflated documents rewritten as LZ4, under the
/// writer lock (an ingest running meanwhile would hold it: the user gets its message).
fn recode_values(db: &Path) -> anyhow::Result<(newsloom_store::RecodeStats, f64)> {
    let _lock = newsloom_store::WriterLock::acquire(db)?;
    let mut store = newsloom_store::SqliteStore::open(db)?;
    let bar = Bar::new();
    let started = std::time::Instant::now();
    let stats = store.recode_page_values(&mut |n| {
        let rate = n as f64 / started.elapsed().as_secs_f64().max(1e-9);
        bar.0.set_message(format!("recoding documents: {n} looked at, {rate:.0}/s"));
    })?;
    bar.finish();
    Ok((stats, started.elapsed().as_secs_f64()))
}

pub fn reindex(db: &Path, json: bool) -> anyhow::Result<()> {
    let mut pipeline = Pipeline::open(db)?;
    let n = pipeline.reindex()?;
    if json {
        return output::json(&serde_json::json!({ "indexed": n }));
    }
    println!("indexed {n} articles");
    Ok(())
}
