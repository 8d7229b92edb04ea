//! The GDELT-style update feed: every interval, the events and reports that arrived since the
//! last update go into a new `<stamp>.export.CSV` / `<stamp>.mentions.CSV` pair, listed in
//! `lastupdate.txt` (and appended to `masterfilelist.txt`) as GDELT lists its own: one line per
//! file, `SIZE MD5 NAME`.
//!
//! The high-water mark (the last article sequence number exported) is kept in the output
//! directory, so a restarted feed continues where it stopped. It is written after the files and
//! the lists: a crash in between repeats rows in the next update, it never loses any.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use newsloom_store::SqliteStore;
use serde::{Deserialize, Serialize};

use super::geo::GeoCoder;
use super::{GdeltFiles, write_files};
use crate::time::{gdelt_stamp, now_secs};
use crate::{ExportError, Result};

pub const LASTUPDATE_FILE: &str = "lastupdate.txt";
pub const MASTERLIST_FILE: &str = "masterfilelist.txt";
/// The feed's high-water mark, in the output directory.
pub const MARK_FILE: &str = "newsloom-gdelt-mark.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Mark {
    /// Articles up to this sequence number are exported.
    seq: i64,
    /// The stamp of the last update.
    stamp: String,
}

/// What one update wrote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UpdateOutcome {
    pub files: GdeltFiles,
    /// The lines written to `lastupdate.txt`.
    pub lastupdate: Vec<String>,
}

fn read_mark(dir: &Path) -> Result<Mark> {
    let path = dir.join(MARK_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            ExportError(format!(
                "{} is not a newsloom feed mark ({e}); remove it to export everything again",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Mark::default()),
        Err(e) => Err(ExportError(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Replaces `DIR/name` with `text` atomically (temporary file, then rename).
fn replace_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))?;
    Ok(())
}

/// `SIZE MD5 NAME` of a file, as GDELT's lists give it.
fn list_line(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Md5::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    let md5: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(format!("{size} {md5} {name}"))
}

/// Writes one update with everything stored since the mark in `dir`, then moves the mark.
/// Public so a process that follows feeds can publish updates in-process.
pub fn write_update_since_mark(store: &SqliteStore, dir: &Path, geo: &dyn GeoCoder) -> Result<UpdateOutcome> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError(format!("cannot create {}: {e}", dir.display())))?;
    let mark = read_mark(dir)?;
    // Two updates within one second (or a clock set back) must not overwrite a listed file.
    let mut at = now_secs();
    while gdelt_stamp(at) <= mark.stamp || dir.join(format!("{}.export.CSV", gdelt_stamp(at))).exists() {
        at += 1;
    }
    let files = write_files(store, dir, mark.seq, at, geo)?;
    let lastupdate = vec![list_line(&files.events_path(dir))?, list_line(&files.mentions_path(dir))?];
    let text = lastupdate.join("\n") + "\n";
    replace_file(dir, LASTUPDATE_FILE, &text)?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(MASTERLIST_FILE))?
        .write_all(text.as_bytes())?;
    let next = Mark { seq: files.high_water_seq.max(mark.seq), stamp: files.stamp.clone() };
    replace_file(dir, MARK_FILE, &serde_json::to_string(&next)?)?;
    Ok(UpdateOutcome { files, lastupdate })
}

/// Writes an update now and then every `interval` until `stop` is set (by SIGINT/SIGTERM). A
/// failed update (disk full, store locked) is reported to `report` and retried at the next
/// tick; the mark only moves on success, so nothing is skipped. Returns the updates written.
pub fn run_every(
    store: &SqliteStore,
    dir: &Path,
    interval: Duration,
    stop: &AtomicBool,
    geo: &dyn GeoCoder,
    report: &mut dyn FnMut(std::result::Result<&UpdateOutcome, &ExportError>),
) -> u64 {
    let mut written = 0;
    while !stop.load(Ordering::Relaxed) {
        let tick = Instant::now();
        match write_update_since_mark(store, dir, geo) {
            Ok(outcome) => {
                written += 1;
                report(Ok(&outcome));
            }
            Err(e) => report(Err(&e)),
        }
        // Sleep in short steps so a signal ends the wait promptly.
        while !stop.load(Ordering::Relaxed) && tick.elapsed() < interval {
            std::thread::sleep(Duration::from_millis(100).min(interval));
        }
    }
    written
}
