//! `newsloom follow`: polls RSS / Atom / JSON feeds and news sitemaps, fetches each new item's
//! page with the polite fetcher (newsloom-fetch) and ingests it through the normal pipeline.
//!
//! Each source runs as its own task on its own schedule (the fetcher's per-host limits keep
//! them polite), so a slow or failing source never holds up the others. Batches are stored
//! through one shared [`Writer`]. State (validators, schedule, error counts, seen items) lives
//! in the store, so a restart neither re-fetches nor misses items.
//!
//! ```no_run
//! # async fn run() -> Result<(), String> {
//! use newsloom_follow::{Follower, FollowOptions, Writer, sources};
//! let specs = sources::load(std::path::Path::new("feeds.txt")).map_err(|e| e.to_string())?;
//! let writer = Writer::open(std::path::Path::new("newsloom-data"))?;
//! let fetcher = newsloom_fetch::Fetcher::new(Default::default()).map_err(|e| e.to_string())?;
//! let follower = Follower::new(fetcher, writer, specs, FollowOptions { once: true, ..Default::default() });
//! let (_stop_tx, stop) = tokio::sync::watch::channel(false);
//! let summary = follower.run(stop, |report| eprintln!("{}", report.line())).await;
//! println!("{} stored", summary.stored);
//! # Ok(()) }
//! ```

pub mod feed;
pub mod hints;
pub mod page;
mod poll;
pub mod sources;
mod summary;
mod writer;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use newsloom_fetch::Fetcher;
use tokio::sync::watch;

pub use sources::SourceSpec;
pub use summary::{FollowSummary, PollReport};
pub use writer::{OnStored, Publisher, Writer};

/// How a follow run behaves.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Poll every source once, then return.
    pub once: bool,
    /// Poll interval for every source, over what the sources file says.
    pub poll: Option<Duration>,
    /// Page fetches tried per item (over successive polls) before it is given up.
    pub max_item_attempts: u32,
    /// Pages fetched and stored per batch (one store transaction).
    pub batch_size: usize,
    /// Pages of one source fetched at once (the fetcher's per-host limits still apply).
    pub page_concurrency: usize,
    /// Longest wait between polls of a failing source.
    pub max_backoff: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            once: false,
            poll: None,
            max_item_attempts: 3,
            batch_size: 32,
            page_concurrency: 8,
            max_backoff: Duration::from_secs(24 * 3600),
        }
    }
}

/// The follow loop over a set of sources.
pub struct Follower {
    fetcher: Fetcher,
    writer: Writer,
    specs: Vec<SourceSpec>,
    opts: FollowOptions,
}

impl Follower {
    pub fn new(fetcher: Fetcher, writer: Writer, specs: Vec<SourceSpec>, opts: FollowOptions) -> Self {
        Self { fetcher, writer, specs, opts }
    }

    /// Runs until every source was polled once (`once`) or `stop` turns true; a poll in progress
    /// then finishes its batch in flight and stores it. `on_poll` sees each poll's report.
    pub async fn run(
        self,
        stop: watch::Receiver<bool>,
        on_poll: impl Fn(&PollReport) + Send + Sync + 'static,
    ) -> FollowSummary {
        let started = Instant::now();
        let summary =
            Arc::new(Mutex::new(FollowSummary { sources: self.specs.len() as u64, ..Default::default() }));
        let on_poll = Arc::new(on_poll);
        let this = Arc::new(self);
        let mut tasks = tokio::task::JoinSet::new();
        for spec in this.specs.clone() {
            let (this, summary, on_poll, stop) =
                (this.clone(), summary.clone(), on_poll.clone(), stop.clone());
            tasks.spawn(async move { this.follow_source(spec, stop, &summary, &*on_poll).await });
        }
        while let Some(done) = tasks.join_next().await {
            if let Err(e) = done
                && let Ok(mut s) = summary.lock()
            {
                s.errors.push(format!("a source task failed: {e}"));
            }
        }
        let mut summary = summary.lock().map(|s| s.clone()).unwrap_or_default();
        summary.elapsed_s = started.elapsed().as_secs_f64();
        summary.interrupted = *stop.borrow();
        summary
    }

    async fn follow_source(
        &self,
        spec: SourceSpec,
        mut stop: watch::Receiver<bool>,
        summary: &Mutex<FollowSummary>,
        on_poll: &(dyn Fn(&PollReport) + Send + Sync),
    ) {
        let key = spec.url.to_string();
        let state = self
            .writer
            .with(move |p| {
                p.embedded().map_err(|e| e.to_string())?.follow_source(&key).map_err(|e| e.to_string())
            })
            .await;
        // The stored schedule survives restarts, so a source backing off keeps backing off.
        let mut next =
            state.ok().flatten().and_then(|s| s.next_poll.filter(|_| s.consecutive_errors > 0 || s.gone));
        loop {
            if *stop.borrow() {
                return;
            }
            if let Some(at) = next {
                let wait = Duration::from_secs((at - now_secs()).max(0) as u64);
                if self.opts.once {
                    if !wait.is_zero() {
                        if let Ok(mut s) = summary.lock() {
                            s.skipped_backing_off += 1;
                        }
                        return;
                    }
                } else if !wait.is_zero() {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => return,
                    }
                }
            }
            let report = poll::poll_source(&self.fetcher, &self.writer, &spec, &self.opts, &stop).await;
            on_poll(&report);
            if let Ok(mut s) = summary.lock() {
                s.add(&report);
            }
            if self.opts.once {
                return;
            }
            next = Some(report.next_poll.unwrap_or_else(|| now_secs() + spec.poll.as_secs() as i64));
            if report.store_error.is_some() && report.next_poll.is_none() {
                // The state could not even be read: try again after a short pause.
                next = Some(now_secs() + 5);
            }
        }
    }
}

/// A stop signal that turns true at SIGINT or SIGTERM (call it inside a tokio runtime).
pub fn stop_on_signals() -> watch::Receiver<bool> {
    stop_when(shutdown_signal())
}

/// A stop signal that turns true when `event` completes.
pub fn stop_when(event: impl std::future::Future<Output = ()> + Send + 'static) -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        event.await;
        let _ = tx.send(true);
    });
    rx
}

/// Completes at the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Unix seconds as an RFC 3339 UTC time, for listings.
pub fn format_time(secs: i64) -> String {
    let t = std::time::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// A poll interval from the command line: `30s`, `10m`, `1h`, or plain seconds.
pub fn parse_interval(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<u64>() {
        Ok(0) => Err("the poll interval must be at least one second".into()),
        Ok(secs) => Ok(Duration::from_secs(secs)),
        Err(_) => sources::parse_poll(s).map_err(|e| e.0),
    }
}
