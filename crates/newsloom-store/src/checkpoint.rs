//! The write-ahead log checkpointed on a connection and thread of its own during ingest.
//!
//! SQLite checkpoints on the writer's thread by default: after a commit that leaves the log
//! over 1,000 pages, the committing thread copies every logged page into the database file and
//! syncs it. On a store of a million articles one batch dirties tens of thousands of pages
//! (the indexes keyed by article id, before schema step 17, and by story and entity ids are
//! written at random places), and the checkpoint and its
//! `fsync` took a sixth of the single writer thread's CPU time and most of its waits, while
//! the second core idled. Here a background thread checkpoints after each commit (a passive
//! checkpoint: it never blocks the writer or readers) while the writer goes on with the next
//! batch.
//!
//! SQLite rewinds the log to its start only when a write transaction begins with every logged
//! page already copied back. A checkpoint that always runs beside the next transaction never
//! allows that, and the log file would grow for the whole run; so every [`SYNC_EVERY`] commits
//! the writer waits, before its next transaction, for the checkpoint of its last commit.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use rusqlite::Connection;

use crate::Result;

/// Commits between two waits of the writer for a finished checkpoint (see the module docs): the
/// log then holds at most this many batches.
pub const SYNC_EVERY: u64 = 4;

#[derive(Default)]
struct State {
    /// Commits announced by the writer.
    committed: u64,
    /// Commits whose pages a finished checkpoint has copied back (as far as readers allowed).
    checkpointed: u64,
    stop: bool,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

/// A thread that checkpoints the store's write-ahead log after each announced commit; stopped
/// (after its current checkpoint) when dropped.
pub(crate) struct BackgroundCheckpoints {
    shared: Shared,
    thread: Option<JoinHandle<()>>,
    /// The writer's commits since it last waited for a checkpoint.
    since_sync: u64,
}

impl BackgroundCheckpoints {
    /// Starts the thread with its own connection to the database at `path`.
    pub(crate) fn start(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let shared: Shared = Arc::default();
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&conn, &theirs))
            .map_err(|e| crate::StoreError(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self { shared, thread: Some(thread), since_sync: 0 })
    }

    /// Called by the writer after each commit.
    pub(crate) fn committed(&mut self) {
        let (lock, wake) = &*self.shared;
        lock.lock().unwrap_or_else(|p| p.into_inner()).committed += 1;
        wake.notify_all();
        self.since_sync += 1;
    }

    /// Called by the writer before each transaction: every [`SYNC_EVERY`] commits, waits until
    /// the checkpoint of the last commit has finished, so that this transaction may rewind the
    /// log.
    pub(crate) fn before_transaction(&mut self) {
        if self.since_sync < SYNC_EVERY {
            return;
        }
        self.since_sync = 0;
        let (lock, wake) = &*self.shared;
        let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
        while state.checkpointed < state.committed && !state.stop {
            state = wake.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for BackgroundCheckpoints {
    fn drop(&mut self) {
        let (lock, wake) = &*self.shared;
        lock.lock().unwrap_or_else(|p| p.into_inner()).stop = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, shared: &Shared) {
    let (lock, wake) = &**shared;
    loop {
        let target = {
            let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
            while state.checkpointed == state.committed && !state.stop {
                state = wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if state.stop {
                return;
            }
            state.committed
        };
        // Passive: copies what no reader still needs and returns; a failure (the disk full, say)
        // leaves the log as it is, and the writer's own commits report such errors.
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "background checkpoint failed");
        }
        lock.lock().unwrap_or_else(|p| p.into_inner()).checkpointed = target;
        wake.notify_all();
    }
}
