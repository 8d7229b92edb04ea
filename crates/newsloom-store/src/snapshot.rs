//! Reads of several statements that see one state of the store.
//!
//! In WAL mode each statement outside a transaction reads the latest commit, so a reader
//! making several queries while an ingest commits batches could combine two states: a story's
//! size from before a batch with its article list from after it. A read transaction pins one
//! snapshot for all of its statements (and never blocks the writer).

use crate::{Result, SqliteStore};

impl SqliteStore {
    /// Runs `f` in one read transaction: every statement in it sees the store as of one
    /// commit, so a batch committed meanwhile is seen whole or not at all. Inside a
    /// transaction already, `f` joins it.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        // Deferred: the snapshot is taken at the first read and no write lock is ever asked.
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let out = f(self);
        // Nothing was written: ending the transaction either way just releases the snapshot.
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let out = out?;
        end?;
        Ok(out)
    }
}
