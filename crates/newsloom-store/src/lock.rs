//! One writer per store: an advisory lock on `writer.lock` in the data directory.
//!
//! SQLite would serialise two writers on its own, but the clusterer's in-memory state and the
//! search index's writer belong to one process: a second ingest (or a `follow`, `watch` or an
//! ingesting server) on the same store would decide stories from a stale view. So a writer
//! takes this lock first, and a second one is refused with the PID that holds it. The lock is
//! the kernel's (`flock`), so it is released when the holder exits, even by `kill -9`: a stale
//! file never blocks a restart.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::{Result, StoreError};

/// Held while a process writes to a store; dropping it releases the lock.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
    path: PathBuf,
}

impl WriterLock {
    /// The lock file's name inside the data directory.
    pub const FILE_NAME: &'static str = "writer.lock";

    /// Takes the store's writer lock, or says which process holds it.
    ///
    /// ```
    /// use newsloom_store::WriterLock;
    /// let dir = tempfile::tempdir().unwrap();
    /// let held = WriterLock::acquire(dir.path()).unwrap();
    /// let err = WriterLock::acquire(dir.path()).unwrap_err();
    /// assert!(err.to_string().contains(&format!("locked by PID {}", std::process::id())));
    /// drop(held);
    /// assert!(WriterLock::acquire(dir.path()).is_ok());
    /// ```
    pub fn acquire(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError(format!("cannot create the data directory {}: {e}", dir.display())))?;
        let path = dir.join(Self::FILE_NAME);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| StoreError(format!("cannot open the lock file {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who =
                    if holder.is_empty() { "another process".to_string() } else { format!("PID {holder}") };
                return Err(StoreError(format!(
                    "the store {} is locked by {who} (an ingest, follow, watch or server writing to it); \
                     wait for it to finish or stop it",
                    dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(StoreError(format!("cannot lock {}: {e}", path.display())));
            }
        }
        // Only the holder writes its PID, so a reader refused above sees the live holder's.
        let write_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            writeln!(file, "{}", std::process::id())?;
            file.flush()
        };
        write_pid(&mut file).map_err(|e| StoreError(format!("cannot write {}: {e}", path.display())))?;
        Ok(Self { _file: file, path })
    }

    /// Where the lock file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
