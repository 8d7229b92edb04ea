//! The clusterer's state saved beside an embedded store, so that opening a store of a million
//! articles resumes from it instead of replaying every stored article through the clusterer
//! (minutes at that size).
//!
//! The file names the last article it includes (store sequence number and id): it is used
//! only when the store holds that article at that place, and the articles after it are
//! replayed as before. It is written to a temporary file and renamed into place, so a crash
//! while writing leaves the previous state file whole.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const FILE: &str = "cluster-state.bin";
const MAGIC: &[u8] = b"newsloom cluster state 1\n";

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

/// A saved state: it includes every stored article up to `seq`, whose id is `id`.
pub(crate) struct Saved {
    pub seq: i64,
    pub id: String,
    pub state: Vec<u8>,
}

/// Writes the state `write_state` produces (streamed, never whole in memory) as the state
/// after article `seq`/`id`. Returns the file's size, or `None` (and no file) when
/// `write_state` had no state to write.
pub(crate) fn save(
    dir: &Path,
    seq: i64,
    id: &str,
    write_state: impl FnOnce(&mut dyn Write) -> std::io::Result<bool>,
) -> std::io::Result<Option<u64>> {
    let tmp = dir.join(format!("{FILE}.tmp"));
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    f.write_all(MAGIC)?;
    f.write_all(&seq.to_le_bytes())?;
    f.write_all(&(id.len() as u32).to_le_bytes())?;
    f.write_all(id.as_bytes())?;
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

/// The saved state, or `None` when there is none or it is not one (unreadable, truncated).
pub(crate) fn load(dir: &Path) -> Option<Saved> {
    let mut bytes = vec![];
    std::fs::File::open(path(dir)).ok()?.read_to_end(&mut bytes).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let (seq, rest) = rest.split_at_checked(8)?;
    let (len, rest) = rest.split_at_checked(4)?;
    let (id, state) = rest.split_at_checked(u32::from_le_bytes(len.try_into().ok()?) as usize)?;
    Some(Saved {
        seq: i64::from_le_bytes(seq.try_into().ok()?),
        id: String::from_utf8(id.to_vec()).ok()?,
        state: state.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_and_a_damaged_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(dir.path()).is_none());
        let written = |out: &mut dyn Write| out.write_all(b"state bytes").map(|()| true);
        let len = save(dir.path(), 42, "article-42", written).unwrap();
        assert_eq!(len, Some(std::fs::metadata(path(dir.path())).unwrap().len()));
        let saved = load(dir.path()).unwrap();
        assert_eq!(
            (saved.seq, saved.id.as_str(), saved.state.as_slice()),
            (42, "article-42", &b"state bytes"[..])
        );
        // Cut short (a disk that filled up under an older writer, say): not a state.
        let full = std::fs::read(path(dir.path())).unwrap();
        std::fs::write(path(dir.path()), &full[..MAGIC.len() + 10]).unwrap();
        assert!(load(dir.path()).is_none());
    }

    #[test]
    fn a_clusterer_without_a_state_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(save(dir.path(), 1, "a", |_| Ok(false)).unwrap(), None);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
