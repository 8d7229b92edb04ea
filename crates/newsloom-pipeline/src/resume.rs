//! The clusterer's state saved beside an embedded store, so that opening a store of a million
//! articles resumes from it instead of replaying every stored article through the clusterer
//! (minutes at that size).
//!
//! The file names the last article it includes (store sequence number and id): it is used
//! only when the store holds that article at that place, and the articles after it are
//! replayed as before. It is written to a temporary file and renamed into place, so a crash
//! while writing leaves the previous state file whole.
//!
//! It also holds what the extractor had learnt from the same articles (per-source templates),
//! so pages after a restart are extracted as in an uninterrupted run. The store does not keep
//! raw pages, so what the articles stored after the state (replayed through the clusterer)
//! taught the extractor is not recovered: after a crash, the next pages of those sources are
//! extracted with those few lessons missing.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const FILE: &str = "cluster-state.bin";
// 2: the extractor's learnt templates follow the header (a state 1 is not used: a full replay).
const MAGIC: &[u8] = b"newsloom cluster state 2\n";

/// Articles stored between two saves during a long ingest, unless `NEWSLOOM_STATE_EVERY` says.
const DEFAULT_EVERY: u64 = 100_000;

/// Stored articles between two saves during a run (`NEWSLOOM_STATE_EVERY`). At the end of a run
/// articles replayed at open count too, so the first open of an old store leaves a state file.
pub(crate) fn save_every() -> u64 {
    std::env::var("NEWSLOOM_STATE_EVERY")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_EVERY)
        .max(1)
}

fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// A saved state: it includes every stored article up to `seq`, whose id is `id`; `learnt` is
/// what the extractor had learnt from them, and `state` reads the clusterer's part, which is
/// only read when it is used.
pub(crate) struct Saved {
    pub seq: i64,
    pub id: String,
    pub learnt: Vec<u8>,
    pub state: std::io::BufReader<std::fs::File>,
}

pub(crate) fn save(
    dir: &Path,
    seq: i64,
    id: &str,
    learnt: &[u8],
    write_state: impl FnOnce(&mut dyn Write) -> std::io::Result<bool>,
) -> std::io::Result<Option<u64>> {
    let tmp = dir.join(format!("{FILE}.tmp"));
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    f.write_all(MAGIC)?;
    f.write_all(&seq.to_le_bytes())?;
    f.write_all(&(id.len() as u32).to_le_bytes())?;
    f.write_all(id.as_bytes())?;
    f.write_all(&(learnt.len() as u64).to_le_bytes())?;
    f.write_all(learnt)?;
    if !write_state(&mut f)? {
        drop(f);
        std::fs::remove_file(&tmp)?;
        return Ok(None);
    }
    let f = f.into_inner().map_err(|e| e.into_error())?;
    f.sync_all()?;
    let len = f.metadata()?.len();
    drop(f);
    std::fs::rename(&tmp, path(dir))?;
    Ok(Some(len))
}

/// The saved state's header, or `None` when there is none or it is not one (unreadable,
/// truncated). A state cut short after the header fails when the clusterer reads it.
pub(crate) fn load(dir: &Path) -> Option<Saved> {
    let file = std::fs::File::open(path(dir)).ok()?;
    let file_len = file.metadata().ok()?.len();
    let mut f = std::io::BufReader::with_capacity(1 << 20, file);
    let mut take = |n: usize| -> Option<Vec<u8>> {
        let mut buf = vec![0; n];
        f.read_exact(&mut buf).ok().map(|()| buf)
    };
    if take(MAGIC.len())? != MAGIC {
        return None;
    }
    let seq = i64::from_le_bytes(take(8)?.try_into().ok()?);
    let len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    // An article id; anything longer is not a header this writes.
    if len > 1 << 16 {
        return None;
    }
    let id = String::from_utf8(take(len)?).ok()?;
    let learnt_len = u64::from_le_bytes(take(8)?.try_into().ok()?);
    // Never more than the file holds (a damaged length must not allocate gigabytes).
    if learnt_len > file_len {
        return None;
    }
    let learnt = take(learnt_len as usize)?;
    Some(Saved { seq, id, learnt, state: f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_and_a_damaged_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).is_none());
        let written = |out: &mut dyn Write| out.write_all(b"state bytes").map(|()| true);
        let len = save(dir.path(), 42, "article-42", b"learnt", written).unwrap();
        assert_eq!(len, Some(std::fs::metadata(path(dir.path())).unwrap().len()));
        let mut saved = load(dir.path()).unwrap();
        let mut state = vec![];
        saved.state.read_to_end(&mut state).unwrap();
        assert_eq!((saved.seq, saved.id.as_str(), state.as_slice()), (42, "article-42", &b"state bytes"[..]));
        assert_eq!(saved.learnt, b"learnt");
        // Cut short (a disk that filled up under an older writer, say): not a state.
        let full = std::fs::read(path(dir.path())).unwrap();
        std::fs::write(path(dir.path()), &full[..MAGIC.len() + 10]).unwrap();
        assert!(load(dir.path()).is_none());
    }

    #[test]
    fn a_clusterer_without_a_state_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(save(dir.path(), 1, "a", &[], |_| Ok(false)).unwrap(), None);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
