//! Watching a folder for files to ingest: notify's events, a periodic rescan for the events a
//! platform loses (overflowed queues, network file systems), and a settle period so that a
//! file still being written is not read half-way.
//!
//! A file is handed out when its size and modification time have stayed the same for the
//! settle period, or at once when it was renamed into the folder (the usual way to publish a
//! finished file). Hidden files and directories, and the temporary names downloaders and
//! editors write to (`*.part`, `*.tmp`, `*.crdownload`, `*~`, `*.swp`), are never handed out.
//! Which files were already ingested is the caller's business (the store keeps that ledger);
//! the watcher only avoids handing out an unchanged file twice in one run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher};

/// How the watcher decides a file is complete and how often it looks on its own.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// A file is ready when its size and mtime stayed unchanged this long.
    pub settle: Duration,
    /// A full rescan of the folder this often, whatever notify reports.
    pub rescan: Duration,
    /// Directories never to read from (the store, when it lives inside the folder).
    pub ignore: Vec<PathBuf>,
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self { settle: Duration::from_millis(1500), rescan: Duration::from_secs(30), ignore: vec![] }
    }
}

/// A file that is complete and can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyFile {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
}

/// A file seen but not handed out yet.
struct Pending {
    size: u64,
    mtime_ns: i64,
    /// Since when size and mtime have been what they are.
    stable_since: Instant,
    /// Renamed into the folder: complete already.
    renamed: bool,
}

pub struct FolderWatcher {
    root: PathBuf,
    config: WatchConfig,
    /// Kept alive for its events; `None` when notify could not start (rescans still work).
    _watcher: Option<notify::RecommendedWatcher>,
    events: Receiver<notify::Result<notify::Event>>,
    pending: HashMap<PathBuf, Pending>,
    /// Files handed out this run, with the size and mtime they had then.
    handed_out: HashMap<PathBuf, (u64, i64)>,
    last_scan: Instant,
    /// Problems worth a log line (notify failing to start, lost events), taken by the caller.
    warnings: Vec<String>,
}

impl FolderWatcher {
    /// Starts watching `root` (recursively) and scans what is already there.
    pub fn new(root: &Path, config: WatchConfig) -> std::io::Result<Self> {
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a directory", root.display()),
            ));
        }
        let root = root.canonicalize()?;
        let config = WatchConfig {
            ignore: config.ignore.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect(),
            ..config
        };
        let (tx, events) = channel();
        let mut warnings = Vec::new();
        let watcher = notify::recommended_watcher(tx).and_then(|mut w| {
            w.watch(&root, RecursiveMode::Recursive)?;
            Ok(w)
        });
        let watcher = match watcher {
            Ok(w) => Some(w),
            Err(e) => {
                warnings.push(format!(
                    "file events unavailable ({e}); relying on a rescan every {:?}",
                    config.rescan
                ));
                None
            }
        };
        let mut this = Self {
            root,
            config,
            _watcher: watcher,
            events,
            pending: HashMap::new(),
            handed_out: HashMap::new(),
            last_scan: Instant::now(),
            warnings,
        };
        this.scan();
        Ok(this)
    }

    /// Warnings since the last call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Whether no file is waiting to settle.
    pub fn is_idle(&self) -> bool {
        self.pending.is_empty()
    }

    /// Waits up to `wait` for file events, then returns the files that are ready, in path order.
    pub fn poll(&mut self, wait: Duration) -> Vec<ReadyFile> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Ok(event)) => self.on_event(event),
                Ok(Err(e)) => {
                    // Lost or failed events: look at everything again.
                    self.warnings.push(format!("file events: {e}; rescanning"));
                    self.scan();
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(left);
                    break;
                }
            }
        }
        if self.last_scan.elapsed() >= self.config.rescan {
            self.scan();
        }
        self.take_ready()
    }

    fn on_event(&mut self, event: notify::Event) {
        if event.need_rescan() {
            self.scan();
            return;
        }
        let renamed = matches!(event.kind, EventKind::Modify(notify::event::ModifyKind::Name(_)));
        match event.kind {
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Any | EventKind::Other => {
                for path in event.paths {
                    if path.is_dir() {
                        // A directory created or moved in: its files never had events of their own.
                        self.scan_dir(&path);
                    } else {
                        self.see(&path, renamed);
                    }
                }
            }
            EventKind::Remove(_) => {
                for path in &event.paths {
                    self.pending.remove(path);
                    self.handed_out.remove(path);
                }
            }
            EventKind::Access(_) => {}
        }
    }

    /// Walks the whole folder.
    fn scan(&mut self) {
        self.last_scan = Instant::now();
        let root = self.root.clone();
        self.scan_dir(&root);
    }

    fn scan_dir(&mut self, dir: &Path) {
        let walk = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden_name(e.file_name()));
        for entry in walk.flatten() {
            if entry.file_type().is_file() {
                self.see(entry.path(), false);
            }
        }
    }

    /// Notes a file's current size and mtime.
    fn see(&mut self, path: &Path, renamed: bool) {
        if !self.wanted(path) {
            return;
        }
        let Some((size, mtime_ns)) = stat(path) else {
            self.pending.remove(path);
            return;
        };
        if self.handed_out.get(path) == Some(&(size, mtime_ns)) && !self.pending.contains_key(path) {
            return; // unchanged since it was handed out
        }
        let now = Instant::now();
        match self.pending.get_mut(path) {
            Some(p) if p.size == size && p.mtime_ns == mtime_ns => p.renamed |= renamed,
            Some(p) => {
                *p = Pending { size, mtime_ns, stable_since: now, renamed: p.renamed && renamed };
            }
            None => {
                // A file last written longer ago than the settle period needs no waiting.
                let age = mtime_age(mtime_ns);
                let stable_since = match age {
                    Some(age) if age >= self.config.settle => {
                        now.checked_sub(self.config.settle).unwrap_or(now)
                    }
                    _ => now,
                };
                self.pending.insert(path.to_path_buf(), Pending { size, mtime_ns, stable_since, renamed });
            }
        }
    }

    /// Re-checks pending files; those unchanged for the settle period (or renamed in) are ready.
    fn take_ready(&mut self) -> Vec<ReadyFile> {
        let now = Instant::now();
        let mut ready = Vec::new();
        let paths: Vec<PathBuf> = self.pending.keys().cloned().collect();
        for path in paths {
            let Some((size, mtime_ns)) = stat(&path) else {
                self.pending.remove(&path);
                continue;
            };
            let p = self.pending.get_mut(&path).expect("listed above");
            if (p.size, p.mtime_ns) != (size, mtime_ns) {
                *p = Pending { size, mtime_ns, stable_since: now, renamed: false };
                continue;
            }
            if p.renamed || now.duration_since(p.stable_since) >= self.config.settle {
                self.pending.remove(&path);
                self.handed_out.insert(path.clone(), (size, mtime_ns));
                ready.push(ReadyFile { path, size, mtime_ns });
            }
        }
        ready.sort_by(|a, b| a.path.cmp(&b.path));
        ready
    }

    /// Files inside the folder that are not hidden, temporary, or in an ignored directory.
    fn wanted(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else { return false };
        if rel.components().any(|c| is_hidden_name(c.as_os_str())) {
            return false;
        }
        if self.config.ignore.iter().any(|dir| path.starts_with(dir)) {
            return false;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        const TEMPORARY: [&str; 5] = [".part", ".tmp", ".crdownload", ".swp", "~"];
        !TEMPORARY.iter().any(|suffix| name.ends_with(suffix))
    }
}

fn is_hidden_name(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Size and mtime (ns since the epoch) of a regular file.
fn stat(path: &Path) -> Option<(u64, i64)> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    let mtime = meta.modified().ok()?;
    let ns = match mtime.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i64,
        Err(e) => -(e.duration().as_nanos() as i64),
    };
    Some((meta.len(), ns))
}

fn mtime_age(mtime_ns: i64) -> Option<Duration> {
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_nanos(u64::try_from(mtime_ns).ok()?);
    SystemTime::now().duration_since(mtime).ok()
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn config(settle_ms: u64) -> WatchConfig {
        WatchConfig {
            settle: Duration::from_millis(settle_ms),
            rescan: Duration::from_secs(3600),
            ignore: vec![],
        }
    }

    /// Polls until `want` files are ready or a generous timeout passes.
    fn wait_for(w: &mut FolderWatcher, want: usize) -> Vec<ReadyFile> {
        let mut got = Vec::new();
        let started = Instant::now();
        while got.len() < want && started.elapsed() < Duration::from_secs(30) {
            got.extend(w.poll(Duration::from_millis(50)));
        }
        got
    }

    #[test]
    fn a_file_written_in_chunks_is_ready_once_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWatcher::new(dir.path(), config(400)).unwrap();
        let path = dir.path().join("sub/dir/page.html");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut f = std::fs::File::create(&path).unwrap();
        for i in 0..5 {
            writeln!(f, "<p>chunk {i}</p>").unwrap();
            f.flush().unwrap();
            // Each chunk lands within the settle period of the one before.
            let ready = w.poll(Duration::from_millis(100));
            assert!(ready.is_empty(), "handed out while being written: {ready:?}");
        }
        drop(f);
        let ready = wait_for(&mut w, 1);
        assert_eq!(ready.len(), 1);
        assert_eq!(ready[0].size, std::fs::metadata(&path).unwrap().len());
        // Nothing more for the same file.
        assert!(w.poll(Duration::from_millis(600)).is_empty());
        assert!(w.is_idle());
    }

    #[test]
    fn renamed_in_files_are_ready_and_temporary_names_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = FolderWatcher::new(dir.path(), config(60_000)).unwrap();
        std::fs::write(dir.path().join("page.html.part"), "<p>partial</p>").unwrap();
        std::fs::write(dir.path().join(".hidden.html"), "<p>hidden</p>").unwrap();
        assert!(w.poll(Duration::from_millis(200)).is_empty());
        std::fs::rename(dir.path().join("page.html.part"), dir.path().join("page.html")).unwrap();
        // Ready long before the minute-long settle period, because it was renamed in.
        let ready = wait_for(&mut w, 1);
        assert_eq!(ready.iter().map(|r| r.path.file_name().unwrap()).collect::<Vec<_>>(), ["page.html"]);
    }

    #[test]
    fn old_files_are_ready_at_start_and_rescans_find_missed_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "old").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("a.txt"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let mut w = FolderWatcher::new(dir.path(), config(500)).unwrap();
        assert_eq!(w.poll(Duration::ZERO).len(), 1, "an hour-old file needs no settling");
        // Drop every event from now on, as a lossy platform would; the rescan still finds the file.
        w._watcher = None;
        w.config.rescan = Duration::from_millis(100);
        std::fs::write(dir.path().join("b.txt"), "new").unwrap();
        let ready = wait_for(&mut w, 1);
        assert_eq!(ready.len(), 1);
        assert!(ready[0].path.ends_with("b.txt"));
    }
}
