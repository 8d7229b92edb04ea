//! GDELT 2.0 Events and Mentions files from the store.
//!
//! One Events row per event as `newsloom events` counts it: per story, actors and CAMEO code,
//! with the number of reports behind it. One Mentions row per report (an event found in an
//! article). The column mapping is in `crates/newsloom-export/GDELT.md`.

mod actors;
pub mod columns;
mod feed;
pub mod geo;
mod rows;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use newsloom_store::SqliteStore;
use serde::Serialize;

pub use actors::{ActorColumns, split_actor};
pub use feed::{
    LASTUPDATE_FILE, MARK_FILE, MASTERLIST_FILE, UpdateOutcome, run_every, write_update_since_mark,
};
pub use rows::global_event_id;

use crate::manifest::TableCount;
use crate::time::{gdelt_stamp, parse_since};
use crate::{ExportError, Result};
use geo::GeoCoder;
use rows::ArticleCache;

/// The file pair of one export or update.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GdeltFiles {
    /// `YYYYMMDDHHMMSS` (UTC) naming both files.
    pub stamp: String,
    pub events: TableCount,
    pub mentions: TableCount,
    /// Articles stored after this sequence number are covered (0: all).
    pub after_seq: i64,
    /// The highest article sequence number covered.
    pub high_water_seq: i64,
}

impl GdeltFiles {
    pub fn events_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.events.file)
    }

    pub fn mentions_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.mentions.file)
    }
}

/// `newsloom export --format gdelt`: every event (or those first reported in articles stored
/// since `since`) and every report of articles stored since then, as
/// `DIR/<stamp>.export.CSV` and `DIR/<stamp>.mentions.CSV`.
pub fn export(
    store: &SqliteStore,
    dir: &Path,
    since: Option<&str>,
    at_secs: i64,
    geo: &dyn GeoCoder,
) -> Result<GdeltFiles> {
    let after_seq = match since {
        Some(s) => store.seq_before_time(parse_since(s)?)?,
        None => 0,
    };
    write_files(store, dir, after_seq, at_secs, geo)
}

/// Writes the Events rows of events first reported after `after_seq` and the Mentions rows of
/// every report after it, in one snapshot of the store. Files appear under their final names
/// only when complete.
pub fn write_files(
    store: &SqliteStore,
    dir: &Path,
    after_seq: i64,
    at_secs: i64,
    geo: &dyn GeoCoder,
) -> Result<GdeltFiles> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError(format!("cannot create {}: {e}", dir.display())))?;
    let stamp = gdelt_stamp(at_secs);
    let date_added = stamp.clone();
    store.read_snapshot(|store| {
        let high_water_seq = store.max_seq()?;
        let mut cache = ArticleCache::default();
        let mut events = TableCount { file: format!("{stamp}.export.CSV"), ..Default::default() };
        write_tsv(dir, &events.file.clone(), |w| {
            store.for_each_event_group(after_seq, |group| {
                match group.map_err(ExportError::from).and_then(|g| {
                    let article = cache.get(store, &g.first.span.article)?;
                    Ok(rows::event_row(&g, article, &date_added, geo))
                }) {
                    Ok(row) => {
                        write_row(w, &row)?;
                        events.rows += 1;
                    }
                    Err(e) => events.skip(e.0),
                }
                Ok::<(), ExportError>(())
            })
        })?;
        let mut mentions = TableCount { file: format!("{stamp}.mentions.CSV"), ..Default::default() };
        write_tsv(dir, &mentions.file.clone(), |w| {
            store.for_each_event_report(after_seq, |report| {
                match report.map_err(ExportError::from).and_then(|r| {
                    let article = cache.get(store, &r.event.span.article)?;
                    Ok(rows::mention_row(&r, article))
                }) {
                    Ok(row) => {
                        write_row(w, &row)?;
                        mentions.rows += 1;
                    }
                    Err(e) => mentions.skip(e.0),
                }
                Ok::<(), ExportError>(())
            })
        })?;
        Ok(GdeltFiles { stamp: stamp.clone(), events, mentions, after_seq, high_water_seq })
    })
}

/// Writes `DIR/name` through a temporary file renamed into place when `fill` succeeds.
pub(crate) fn write_tsv(
    dir: &Path,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let file = std::fs::File::create(&tmp)
        .map_err(|e| ExportError(format!("cannot create {}: {e}", tmp.display())))?;
    let mut w = BufWriter::new(file);
    let filled = fill(&mut w).and_then(|()| {
        let file =
            w.into_inner().map_err(|e| ExportError(format!("writing {}: {}", tmp.display(), e.error())))?;
        file.sync_all()?;
        Ok(())
    });
    if let Err(e) = filled {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path)
        .map_err(|e| ExportError(format!("cannot rename to {}: {e}", path.display())))?;
    Ok(())
}

/// One TSV line; tabs and line breaks inside values become spaces (the format has no quoting).
pub(crate) fn write_row(w: &mut dyn Write, fields: &[String]) -> Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            w.write_all(b"\t")?;
        }
        if f.contains(['\t', '\n', '\r']) {
            w.write_all(f.replace(['\t', '\n', '\r'], " ").as_bytes())?;
        } else {
            w.write_all(f.as_bytes())?;
        }
    }
    w.write_all(b"\n")?;
    Ok(())
}
