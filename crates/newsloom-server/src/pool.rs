//! Database handles for request handlers.
//!
//! A rusqlite connection is not `Sync`, so each query runs on a blocking thread with a handle
//! checked out of a small free list; WAL mode lets these readers run beside a writer. A
//! semaphore bounds how many run at once, so 200 clients do not mean 200 connections.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use newsloom_store::Store;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// A store handle plus a read-only connection for the few queries the store API lacks.
pub struct Handle {
    pub store: Store,
    pub ro: Connection,
}

pub struct Db {
    dir: PathBuf,
    free: Mutex<Vec<Handle>>,
    permits: Semaphore,
}

impl Db {
    /// Opens (creating if needed) the store in `dir`; fails early when it cannot be opened.
    pub fn open(dir: &Path, max_concurrent: usize) -> Result<Arc<Self>, String> {
        let db = Self {
            dir: dir.to_path_buf(),
            free: Mutex::new(vec![]),
            permits: Semaphore::new(max_concurrent),
        };
        let first = db.open_handle().map_err(|e| e.message)?;
        db.free.lock().map_err(|_| "poisoned")?.push(first);
        Ok(Arc::new(db))
    }

    fn open_handle(&self) -> ApiResult<Handle> {
        let store = Store::open(&self.dir)?;
        let ro = Connection::open_with_flags(
            self.dir.join("newsloom.db"),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        ro.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(Handle { store, ro })
    }

    /// Runs `f` with a handle on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Handle) -> ApiResult<T> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = db.free.lock().ok().and_then(|mut v| v.pop());
            let handle = match pooled {
                Some(h) => h,
                None => db.open_handle()?,
            };
            let result = f(&handle);
            if let Ok(mut free) = db.free.lock() {
                free.push(handle);
            }
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("query task failed: {e}")))?
    }
}
