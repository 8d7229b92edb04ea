//! `newsloom watch DIR`: ingest files as they appear in a folder, each exactly once, also
//! across restarts.
//!
//! The folder watcher (newsloom-ingest) hands out files once they are complete; the store's
//! ledger of watched files (path, size, mtime, content hash) decides which of them are new:
//! an unchanged file is passed over without reading it, a rewritten one is hashed and read
//! again only when its content changed. A file is entered in the ledger after the batch that
//! holds its last item is stored, so a crash before that reads it again on restart, and the
//! store's content ids turn what was already stored into duplicates, not copies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use newsloom_ingest::watch::{FolderWatcher, ReadyFile, WatchConfig};
use newsloom_ingest::{IngestItem, Limits, Reader, SkipCounts};
use newsloom_pipeline::{IngestSummary, Pipeline, Quiet};
use newsloom_store::WatchedFile;
use serde::Serialize;

use crate::args::WatchArgs;
use crate::output;

/// What a watch run did, printed at the end (`--json`: this document).
#[derive(Debug, Default, Serialize)]
struct WatchSummary {
    dir: PathBuf,
    /// Files read and entered in the ledger.
    files_ingested: u64,
    /// Files passed over: same size and mtime, or same content, as a file already ingested.
    files_unchanged: u64,
    /// Files that could not be hashed (vanished, unreadable): tried again when they change.
    files_failed: u64,
    stored: u64,
    duplicates: u64,
    rejected: u64,
    rejected_by_reason: BTreeMap<String, u64>,
    /// Items skipped on purpose (WARC records that are not HTML pages, revisits, ...).
    skipped: BTreeMap<String, u64>,
    reprints: u64,
    /// The first rejections in full.
    errors: Vec<String>,
    elapsed_s: f64,
    /// Why the run ended: `once`, `signal`.
    stopped_by: String,
}

impl WatchSummary {
    fn add(&mut self, s: &IngestSummary) {
        self.stored += s.stored;
        self.duplicates += s.duplicates;
        self.rejected += s.rejected;
        self.reprints += s.reprints;
        for (reason, n) in &s.rejected_by_reason {
            *self.rejected_by_reason.entry(reason.clone()).or_default() += n;
        }
        let room = 50usize.saturating_sub(self.errors.len());
        self.errors.extend(s.errors.iter().take(room).cloned());
    }
}

pub fn watch(db: &Path, args: &WatchArgs, json: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    // The first SIGINT/SIGTERM asks to stop after the batch in flight; a second one ends the
    // process at once (exit code 1).
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))?;
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut pipeline =
        Pipeline::open(db).with_context(|| format!("opening the store in {}", db.display()))?;
    pipeline.batch_size = args.batch_size.max(1);
    let config = WatchConfig {
        settle: Duration::from_millis(args.settle_ms),
        rescan: Duration::from_secs(args.rescan_secs.max(1)),
        ignore: vec![db.to_path_buf()],
    };
    let mut watcher = FolderWatcher::new(&args.dir, config.clone())
        .with_context(|| format!("watching {}", args.dir.display()))?;
    eprintln!(
        "watching {} (files settle for {:?}, full rescan every {:?}){}",
        args.dir.display(),
        config.settle,
        config.rescan,
        if args.once { "; --once: ingesting what is there" } else { "; Ctrl-C or SIGTERM to stop" }
    );
    let limits = Limits { max_item_bytes: args.max_item_mb.max(1) << 20 };
    let skips = SkipCounts::default();
    let mut summary = WatchSummary { dir: args.dir.clone(), ..Default::default() };
    loop {
        for warning in watcher.take_warnings() {
            eprintln!("watch: {warning}");
        }
        let ready = watcher.poll(Duration::from_millis(200));
        if !ready.is_empty() {
            let fresh = select_new(&pipeline, ready, &mut summary)?;
            if !fresh.is_empty() {
                ingest_files(&mut pipeline, fresh, args, limits, &skips, &stop, &mut summary)?;
            }
        }
        if stop.load(Ordering::SeqCst) {
            summary.stopped_by = "signal".into();
            break;
        }
        if args.once && watcher.is_idle() {
            summary.stopped_by = "once".into();
            break;
        }
    }
    summary.skipped = skips.snapshot();
    summary.elapsed_s = started.elapsed().as_secs_f64();
    if json {
        return output::json(&summary);
    }
    print_summary(&summary);
    Ok(())
}

/// A ready file with its content hash, to be read.
struct NewFile {
    file: ReadyFile,
    hash: String,
}

/// Drops files the ledger already has (same size and mtime, or same content).
fn select_new(
    pipeline: &Pipeline,
    ready: Vec<ReadyFile>,
    summary: &mut WatchSummary,
) -> anyhow::Result<Vec<NewFile>> {
    let store = pipeline.embedded()?;
    let mut fresh = Vec::new();
    for file in ready {
        let key = ledger_key(&file.path);
        if let Some(known) = store.watched_file(&key)?
            && known.size == file.size
            && known.mtime_ns == file.mtime_ns
        {
            summary.files_unchanged += 1;
            continue;
        }
        let hash = match hash_file(&file.path) {
            Ok(h) => h,
            Err(e) => {
                eprintln!("watch: {}: cannot read: {e}", file.path.display());
                summary.files_failed += 1;
                continue;
            }
        };
        if store.watched_hash_known(&hash)? || fresh.iter().any(|f: &NewFile| f.hash == hash) {
            // The same content under another name, or rewritten unchanged: note it, read nothing.
            store.record_watched_file(&WatchedFile {
                path: key,
                size: file.size,
                mtime_ns: file.mtime_ns,
                hash,
            })?;
            summary.files_unchanged += 1;
            continue;
        }
        fresh.push(NewFile { file, hash });
    }
    Ok(fresh)
}

/// Runs the files through the pipeline in one go, then enters those read to the end in the ledger.
fn ingest_files(
    pipeline: &mut Pipeline,
    files: Vec<NewFile>,
    args: &WatchArgs,
    limits: Limits,
    skips: &SkipCounts,
    stop: &Arc<AtomicBool>,
    summary: &mut WatchSummary,
) -> anyhow::Result<()> {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.file.path.clone()).collect();
    let finished = std::cell::Cell::new(0usize);
    let feed = FileFeed { paths: &paths, next: 0, current: None, limits, skips, stop, finished: &finished };
    let source = args.source.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let items = feed.map(|item| match (item, source) {
        (IngestItem::Record(mut raw), Some(name)) if raw.meta_str("source").is_none() => {
            raw.meta.insert("source".into(), name.into());
            IngestItem::Record(raw)
        }
        (item, _) => item,
    });
    let result = pipeline.ingest(items, &Quiet)?;
    summary.add(&result);
    // Every item the feed gave out is stored now; the files it finished are done.
    let done = finished.get();
    for f in &files[..done] {
        let entry = WatchedFile {
            path: ledger_key(&f.file.path),
            size: f.file.size,
            mtime_ns: f.file.mtime_ns,
            hash: f.hash.clone(),
        };
        pipeline.embedded()?.record_watched_file(&entry)?;
    }
    summary.files_ingested += done as u64;
    eprintln!(
        "watch: {done} file(s): {} stored, {} duplicates, {} rejected{}",
        result.stored,
        result.duplicates,
        result.rejected,
        if done < files.len() {
            format!("; stopped before {} more", files.len() - done)
        } else {
            String::new()
        }
    );
    Ok(())
}

/// The items of several files in turn, counting the files read to the end and stopping between
/// items once a stop is asked for.
struct FileFeed<'a> {
    paths: &'a [PathBuf],
    next: usize,
    current: Option<Reader>,
    limits: Limits,
    skips: &'a SkipCounts,
    stop: &'a AtomicBool,
    finished: &'a std::cell::Cell<usize>,
}

impl Iterator for FileFeed<'_> {
    type Item = IngestItem;

    fn next(&mut self) -> Option<IngestItem> {
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(reader) = self.current.as_mut() {
                if let Some(item) = reader.next() {
                    return Some(item);
                }
                self.current = None;
                self.finished.set(self.finished.get() + 1);
            }
            let path = self.paths.get(self.next)?;
            self.next += 1;
            self.current = Some(
                Reader::with_limits(vec![path.clone()], self.limits).with_skip_counts(self.skips.clone()),
            );
        }
    }
}

/// The ledger names files by absolute path, so that `watch ./in` and `watch /data/in` agree.
fn ledger_key(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(std::fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

fn print_summary(s: &WatchSummary) {
    println!(
        "watched {} for {:.1}s (stopped by {}): {} files ingested, {} unchanged, {} unreadable",
        s.dir.display(),
        s.elapsed_s,
        s.stopped_by,
        s.files_ingested,
        s.files_unchanged,
        s.files_failed
    );
    println!(
        "stored {}  duplicates {}  rejected {}  ({} reprints)",
        s.stored, s.duplicates, s.rejected, s.reprints
    );
    for (reason, n) in &s.rejected_by_reason {
        println!("  rejected {n}: {reason}");
    }
    for (reason, n) in &s.skipped {
        println!("  skipped {n}: {reason}");
    }
    for e in &s.errors {
        eprintln!("  {e}");
    }
}
