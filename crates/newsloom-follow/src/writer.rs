//! The writing pipeline, shared: `follow` owns it alone, `serve --follow` shares it with
//! `POST /api/articles` (one process may hold the search index's writer). Every use runs on a
//! blocking thread, so the polling tasks keep going while a batch is analysed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use newsloom_pipeline::Pipeline;

/// Called after each batch is stored (the server drops its cached answers there).
pub type OnStored = Arc<dyn Fn() + Send + Sync>;

/// Hands a batch of items to a queue instead of the local pipeline (`follow --to nats://`),
/// returning once the queue holds them durably; follow state stays in the local store.
pub type Publisher = Arc<
    dyn Fn(
            Vec<newsloom_ingest::IngestItem>,
        ) -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>
        + Send
        + Sync,
>;

/// A pipeline slot that is opened at first use and shared between tasks.
#[derive(Clone)]
pub struct Writer {
    dir: PathBuf,
    slot: Arc<Mutex<Option<Pipeline>>>,
    on_stored: Option<OnStored>,
    publisher: Option<Publisher>,
}

impl Writer {
    /// Opens the pipeline in `dir` now, so a store that cannot be opened fails at start.
    pub fn open(dir: &Path) -> Result<Self, String> {
        let pipeline = crate::hints::open_pipeline(dir).map_err(|e| e.to_string())?;
        Ok(Self {
            dir: dir.to_path_buf(),
            slot: Arc::new(Mutex::new(Some(pipeline))),
            on_stored: None,
            publisher: None,
        })
    }

    /// Shares a slot another part of the process also writes through (opened on first use).
    pub fn shared(dir: &Path, slot: Arc<Mutex<Option<Pipeline>>>, on_stored: Option<OnStored>) -> Self {
        Self { dir: dir.to_path_buf(), slot, on_stored, publisher: None }
    }

    /// Publishes new items with `publisher` rather than storing them here.
    pub fn publishing_to(mut self, publisher: Publisher) -> Self {
        self.publisher = Some(publisher);
        self
    }

    pub(crate) fn publisher(&self) -> Option<&Publisher> {
        self.publisher.as_ref()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `f` with the pipeline on a blocking thread.
    pub async fn with<R, F>(&self, f: F) -> Result<R, String>
    where
        R: Send + 'static,
        F: FnOnce(&mut Pipeline) -> Result<R, String> + Send + 'static,
    {
        let (slot, dir) = (self.slot.clone(), self.dir.clone());
        tokio::task::spawn_blocking(move || {
            let mut guard = slot.lock().map_err(|_| "the writing pipeline failed earlier".to_string())?;
            if guard.is_none() {
                *guard = Some(crate::hints::open_pipeline(&dir).map_err(|e| e.to_string())?);
            }
            f(guard.as_mut().expect("opened above"))
        })
        .await
        .map_err(|e| format!("store task failed: {e}"))?
    }

    pub(crate) fn stored(&self) {
        if let Some(hook) = &self.on_stored {
            hook();
        }
    }
}
