//! Warm-up at start: a server restarted over a large embedded store would answer its first
//! seconds from a cold disk, one random read per index page. A background thread reads the
//! hot SQLite indexes end to end (see `SqliteStore::warm_indexes`) and then the search index's
//! files that every query touches, so their pages are in the OS cache; requests are served
//! meanwhile, and each warmed page helps them at once. `NEWSLOOM_WARMUP=0` turns it off.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use newsloom_store::SqliteStore;

/// Search index files by extension, in the order they are read: term dictionaries, fast
/// fields and norms are touched by every query, postings by most, positions by phrases. The
/// document store (read for the few hits a page shows) is left to the requests.
const SEARCH_FILES: &[&str] = &["term", "fast", "fieldnorm", "idx", "pos"];

/// What a warm-up read, for the log and the tests.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WarmReport {
    pub indexes: Vec<String>,
    pub search_bytes: u64,
    pub ms: f64,
}

/// A running warm-up: dropping it (when the server stops) ends the warm-up early.
pub struct WarmUp(Arc<AtomicBool>);

impl Drop for WarmUp {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Starts the warm-up of the store in `dir` on its own thread, unless `NEWSLOOM_WARMUP=0`;
/// it runs until done or until the returned guard is dropped.
pub fn spawn(dir: PathBuf) -> WarmUp {
    let stop = Arc::new(AtomicBool::new(false));
    let guard = WarmUp(Arc::clone(&stop));
    if std::env::var("NEWSLOOM_WARMUP").is_ok_and(|v| v == "0") {
        return guard;
    }
    let spawned = std::thread::Builder::new().name("warm-up".into()).spawn(move || match warm(&dir, &stop) {
        Ok(r) => tracing::info!(
            indexes = r.indexes.len(),
            search_mb = r.search_bytes / (1 << 20),
            ms = r.ms as u64,
            "warm-up done"
        ),
        Err(e) => tracing::warn!("warm-up stopped: {e}"),
    });
    if let Err(e) = spawned {
        tracing::warn!("no warm-up thread: {e}");
    }
    guard
}

/// Reads the hot SQLite indexes, then the search index files, of the store in `dir`.
pub fn warm(dir: &Path, stop: &AtomicBool) -> Result<WarmReport, String> {
    let t = Instant::now();
    let keep_going = || !stop.load(Ordering::Relaxed);
    let store = SqliteStore::open(dir).map_err(|e| e.to_string())?;
    let indexes = store.warm_indexes(keep_going).map_err(|e| e.to_string())?;
    for w in &indexes {
        tracing::debug!(index = w.index, entries = w.entries, ms = w.ms as u64, "warmed");
    }
    drop(store);
    let mut search_bytes = 0;
    let mut files: Vec<(usize, PathBuf)> = std::fs::read_dir(dir.join("index"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter_map(|p| {
                    let ext = p.extension()?.to_str()?;
                    Some((SEARCH_FILES.iter().position(|e| *e == ext)?, p))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut buf = vec![0u8; 1 << 20];
    for (_, path) in files {
        let Ok(mut f) = std::fs::File::open(&path) else { continue };
        loop {
            if !keep_going() {
                break;
            }
            match f.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => search_bytes += n as u64,
            }
        }
    }
    Ok(WarmReport {
        indexes: indexes.iter().map(|w| w.index.to_string()).collect(),
        search_bytes,
        ms: t.elapsed().as_secs_f64() * 1e3,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warms_the_sqlite_indexes_and_the_search_files_and_stops_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        SqliteStore::open(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("index")).unwrap();
        std::fs::write(dir.path().join("index/a.term"), vec![1u8; 3000]).unwrap();
        std::fs::write(dir.path().join("index/a.pos"), vec![1u8; 500]).unwrap();
        std::fs::write(dir.path().join("index/a.store"), vec![1u8; 7000]).unwrap();
        let r = warm(dir.path(), &AtomicBool::new(false)).unwrap();
        assert!(r.indexes.iter().any(|i| i == "events_dyad_cover"), "{r:?}");
        assert_eq!(r.search_bytes, 3500, "the document store is left out");
        let stopped = warm(dir.path(), &AtomicBool::new(true)).unwrap();
        assert!(stopped.indexes.is_empty() && stopped.search_bytes == 0, "{stopped:?}");
    }
}
