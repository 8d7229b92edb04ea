//! Store handles for request handlers.
//!
//! A store handle (a SQLite connection, or a PostgreSQL client) is not `Sync`, so each query
//! runs on a blocking thread with a handle checked out of a small free list; SQLite's WAL mode
//! lets these readers run beside a writer. A semaphore bounds how many run at once, so 200
//! clients do not mean 200 connections.

use std::sync::{Arc, Mutex};

use newsloom_store::StoreBackend;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// A store handle, whatever the engine.
pub type Handle = Box<dyn StoreBackend>;

/// Opens one more store handle.
pub type Opener = Arc<dyn Fn() -> Result<Handle, newsloom_store::StoreError> + Send + Sync>;

pub struct Db {
    open: Opener,
    free: Mutex<Vec<Handle>>,
    permits: Semaphore,
}

impl Db {
    /// Opens the first handle with `open` (so a store that cannot be opened fails early).
    pub fn open(open: Opener, max_concurrent: usize) -> Result<Arc<Self>, String> {
        let first = open().map_err(|e| e.to_string())?;
        let db = Self { open, free: Mutex::new(vec![first]), permits: Semaphore::new(max_concurrent) };
        Ok(Arc::new(db))
    }

    /// Runs `f` with a handle on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn StoreBackend) -> ApiResult<T> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let pooled = db.free.lock().ok().and_then(|mut v| v.pop());
            let handle = match pooled {
                Some(h) => h,
                None => (db.open)()?,
            };
            let result = f(handle.as_ref());
            if let Ok(mut free) = db.free.lock() {
                free.push(handle);
            }
            result
        })
        .await
        .map_err(|e| ApiError::internal(format!("query task failed: {e}")))?
    }
}
