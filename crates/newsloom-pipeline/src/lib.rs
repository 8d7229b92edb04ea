//! The pipeline: ingest → extract → analyse → cluster → store → index, in bounded batches.
//!
//! Extraction and analysis run in parallel (rayon) within a batch; clustering is sequential
//! in publication order, because a story decision depends on the ones before it. Each batch
//! is stored in one transaction before anything about it is reported, so a crash loses at
//! most the batch in flight, and a re-run skips what was stored (ids are content hashes).

mod placing;
mod resume;
pub mod synth;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_cluster::{OnlineClusterer, StoryClusterer};
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_ingest::{IngestItem, ItemError};
use newsloom_model::{Article, RawRecord};
use newsloom_search::SearchIndex;
use newsloom_store::{ArticleFilter, NewArticle, Reject, SqliteStore, StoreBackend};
use rayon::prelude::*;
use serde::Serialize;

/// A pipeline error: the run cannot go on (store or index failure). Bad items are not errors;
/// they are counted in the summary.
#[derive(Debug)]
pub struct PipelineError(pub String);

impl std::fmt::Display for PipelineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PipelineError {}

macro_rules! from_err {
    ($($t:ty),*) => {$(
        impl From<$t> for PipelineError {
            fn from(e: $t) -> Self {
                PipelineError(e.to_string())
            }
        }
    )*};
}
from_err!(newsloom_store::StoreError, newsloom_search::SearchError);

pub type Result<T> = std::result::Result<T, PipelineError>;

/// What an ingest run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestSummary {
    /// Items read from the input (articles and rejected items).
    pub read: u64,
    pub stored: u64,
    /// Items already in the store (same content), skipped.
    pub duplicates: u64,
    pub rejected: u64,
    /// Rejections by reason.
    pub rejected_by_reason: BTreeMap<String, u64>,
    /// The first rejections in full (origin: reason), for the report.
    pub errors: Vec<String>,
    /// Stored articles that are near-copies of an earlier article.
    pub reprints: u64,
    pub elapsed_s: f64,
    pub articles_per_s: f64,
    /// Wall time spent per step, in seconds (where a slow run spends its time).
    pub stage_s: StageTimes,
}

/// Wall-clock seconds per pipeline step over a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StageTimes {
    pub read: f64,
    pub extract_analyse: f64,
    pub cluster: f64,
    pub store: f64,
    pub index: f64,
}

const MAX_REPORTED_ERRORS: usize = 50;

impl IngestSummary {
    fn reject(&mut self, e: &ItemError) {
        self.rejected += 1;
        *self.rejected_by_reason.entry(e.kind.to_string()).or_default() += 1;
        metrics::counter!("newsloom_ingest_rejects_total", "reason" => e.kind.to_string()).increment(1);
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e.to_string());
        }
    }
}

/// Receives progress as batches complete (the CLI draws a progress bar from it).
pub trait Progress {
    fn batch_done(&self, _summary: &IngestSummary) {}
}

/// No progress output.
pub struct Quiet;
impl Progress for Quiet {}

/// The stages and the store, wired together.
pub struct Pipeline {
    extractor: Box<dyn Extractor>,
    analyser: Box<dyn Analyser>,
    clusterer: Box<dyn StoryClusterer>,
    store: Box<dyn StoreBackend>,
    /// The embedded tantivy index; `None` where the store indexes itself (PostgreSQL).
    index: Option<SearchIndex>,
    /// Articles per batch: one store transaction each.
    pub batch_size: usize,
    /// Stored articles between two saves of the clusterer's state (embedded store only; from
    /// `NEWSLOOM_STATE_EVERY`, default 100,000). A run that stored or replayed at least the
    /// smaller of this and 1,000 articles also saves at its end.
    pub save_state_every: u64,
    /// One writer per embedded store (see [`newsloom_store::WriterLock`]); released on drop.
    _writer: Option<newsloom_store::WriterLock>,
    /// Where the clusterer's state is saved between runs (the embedded store's directory).
    state_dir: Option<PathBuf>,
    /// Stored articles the clusterer's saved state does not include yet.
    unsaved: u64,
    /// How the clusterer's state was rebuilt at open.
    restore: ClusterRestore,
    /// Articles indexed at open into an empty index (a new store, or an index reset because its
    /// schema changed): `reindex` right after such an open has nothing left to rebuild.
    rebuilt_at_open: Option<u64>,
}

/// How the clusterer's state was rebuilt when the store was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClusterRestore {
    /// The store sequence number of the last article in the saved state it resumed from.
    pub resumed_at: Option<i64>,
    /// Stored articles replayed through the clusterer (those after the saved state).
    pub replayed: u64,
    pub seconds: f64,
}

/// The embedded store's page cache while ingesting: enough for the inner index pages of a
/// store of millions of articles, small against the 1 GiB a long run may use
/// (`NEWSLOOM_WRITER_CACHE_MB` sets another size).
const WRITER_CACHE_MB: u32 = 96;

fn writer_cache_mb() -> u32 {
    std::env::var("NEWSLOOM_WRITER_CACHE_MB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(WRITER_CACHE_MB)
}

/// Whether the write-ahead log is checkpointed on a thread of its own while ingesting (the
/// default) or by the writer after its commits, as SQLite does by itself
/// (`NEWSLOOM_WAL_CHECKPOINT=writer`).
fn checkpoint_in_background() -> bool {
    std::env::var("NEWSLOOM_WAL_CHECKPOINT").map_or(true, |v| v.trim() != "writer")
}

/// Background news for term statistics at a cold start: the Wikinews sample shipped in the
/// repository (CC BY, see NOTICE), 236 articles in en/es/it/nl.
const BACKGROUND: &str = include_str!("../../../samples/wikinews/wikinews-meantime.jsonl");

/// The background corpus as articles (also used by the distributed cluster stage, which warms
/// every fresh clusterer the same way).
pub fn background_articles() -> impl Iterator<Item = Article> {
    BACKGROUND.lines().filter_map(|line| {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
        Some(Article { id: text("id"), title: text("title"), body: text("text"), ..Article::default() })
    })
}

/// Opens the store at `location`: the embedded store in a directory, or a database server.
pub fn open_store(location: &newsloom_store::Location) -> Result<Box<dyn StoreBackend>> {
    match location {
        newsloom_store::Location::Dir(dir) => Ok(Box::new(SqliteStore::open(dir)?)),
        newsloom_store::Location::Postgres(url) => Ok(Box::new(newsloom_postgres::PgStore::open(url)?)),
    }
}

/// Extraction, analysis and story clustering, in pipeline order.
type Stages = (Box<dyn Extractor>, Box<dyn Analyser>, Box<dyn StoryClusterer>);

/// The default stages: extraction, analysis with places, and online story clustering.
fn default_stages() -> Result<Stages> {
    let mut clusterer = OnlineClusterer::new();
    // Sentence embeddings join the story decision when this build has the `embed` feature
    // and NEWSLOOM_EMBED_MODEL names a model directory; otherwise clustering is lexical.
    clusterer.embed_from_env().map_err(|e| PipelineError(format!("sentence embedding model: {e}")))?;
    Ok((
        Box::new(NewsExtractor::new()),
        // The geo stage runs right after analysis, on the same worker.
        Box::new(newsloom_geo::WithPlaces::new(NewsAnalyser::new())),
        Box::new(clusterer),
    ))
}

impl Pipeline {
    /// Opens the store in `dir` with the default stages, brings the search index up to date
    /// with the store and rebuilds the clusterer's recent state.
    pub fn open(dir: &Path) -> Result<Self> {
        let (extractor, analyser, clusterer) = default_stages()?;
        Self::with_stages(dir, extractor, analyser, clusterer)
    }

    /// Opens the store at `location` with the default stages. A directory is the embedded
    /// store as in [`Pipeline::open`]; PostgreSQL needs neither a tantivy index (it searches
    /// itself) nor the writer lock (its batches serialise in the database, so several
    /// pipelines may write at once; each clusters stories from its own recent articles).
    pub fn open_location(location: &newsloom_store::Location) -> Result<Self> {
        match location {
            newsloom_store::Location::Dir(dir) => Self::open(dir),
            newsloom_store::Location::Postgres(url) => {
                let (extractor, analyser, clusterer) = default_stages()?;
                let store = newsloom_postgres::PgStore::open(url)?;
                Self::with_store(Box::new(store), None, None, extractor, analyser, clusterer)
            }
        }
    }

    /// Opens with the given stages (to swap one out, or test one alone).
    pub fn with_stages(
        dir: &Path,
        extractor: Box<dyn Extractor>,
        analyser: Box<dyn Analyser>,
        clusterer: Box<dyn StoryClusterer>,
    ) -> Result<Self> {
        // Before anything is opened for writing, so a refused second writer changes nothing.
        let writer = newsloom_store::WriterLock::acquire(dir)?;
        let mut store = SqliteStore::open(dir)?;
        store.set_cache_mb(writer_cache_mb())?;
        store.set_writer_journals_in_memory()?;
        if checkpoint_in_background() {
            store.checkpoint_in_background()?;
        }
        let index = SearchIndex::open(dir)?;
        let stages = (extractor, analyser, clusterer);
        Self::assemble(Box::new(store), Some(index), Some(writer), Some(dir.to_path_buf()), stages)
    }

    /// Wires the stages to an open store: `index` is the embedded search index to keep level
    /// with it (none for a store that indexes itself), `writer` the lock held while writing.
    pub fn with_store(
        store: Box<dyn StoreBackend>,
        index: Option<SearchIndex>,
        writer: Option<newsloom_store::WriterLock>,
        extractor: Box<dyn Extractor>,
        analyser: Box<dyn Analyser>,
        clusterer: Box<dyn StoryClusterer>,
    ) -> Result<Self> {
        Self::assemble(store, index, writer, None, (extractor, analyser, clusterer))
    }

    fn assemble(
        store: Box<dyn StoreBackend>,
        index: Option<SearchIndex>,
        writer: Option<newsloom_store::WriterLock>,
        state_dir: Option<PathBuf>,
        (extractor, analyser, clusterer): (Box<dyn Extractor>, Box<dyn Analyser>, Box<dyn StoryClusterer>),
    ) -> Result<Self> {
        let mut pipeline = Self {
            extractor,
            analyser,
            clusterer,
            store,
            index,
            batch_size: 1000,
            save_state_every: resume::save_every(),
            _writer: writer,
            state_dir,
            unsaved: 0,
            restore: ClusterRestore::default(),
            rebuilt_at_open: None,
        };
        let from_scratch = pipeline.index.as_ref().map(SearchIndex::indexed_seq).transpose()? == Some(0);
        let added = pipeline.catch_up_index()?;
        pipeline.rebuilt_at_open = from_scratch.then_some(added);
        pipeline.restore_clusterer()?;
        Ok(pipeline)
    }

    /// How the clusterer's state was rebuilt when the store was opened.
    pub fn cluster_restore(&self) -> ClusterRestore {
        self.restore
    }

    pub fn store(&self) -> &dyn StoreBackend {
        self.store.as_ref()
    }

    /// The embedded store, for what only it keeps (follow and watch state, exports); an error
    /// on another backend.
    pub fn embedded(&self) -> Result<&SqliteStore> {
        self.store.as_sqlite().ok_or_else(|| {
            PipelineError(format!("this needs the embedded store, not {}", self.store.engine()))
        })
    }

    pub fn index(&self) -> Option<&SearchIndex> {
        self.index.as_ref()
    }

    /// Indexes stored articles the index does not have yet (after a crash between the store
    /// commit and the index commit), merging the index when that grew it by a quarter or more
    /// (a rebuild). Returns how many were added.
    fn catch_up_index(&mut self) -> Result<u64> {
        let Some(index) = self.index.as_mut() else { return Ok(0) };
        let mut seq = index.indexed_seq()?;
        let max = self.store.max_seq()?;
        let (mut added, started) = (0, Instant::now());
        while seq < max {
            let rows = self.store.scan_articles(seq, 2000, false)?;
            let Some(last) = rows.last().map(|(s, _)| *s) else { break };
            let refs: Vec<_> = rows.iter().map(|(s, a)| (*s, a)).collect();
            index.add(&refs)?;
            // A whole rebuild of a large store takes minutes: say how far it is.
            if added / 100_000 != (added + rows.len() as u64) / 100_000 {
                tracing::info!(
                    indexed = added + rows.len() as u64,
                    up_to_seq = last,
                    of_seq = max,
                    seconds = started.elapsed().as_secs(),
                    "indexing stored articles"
                );
            }
            added += rows.len() as u64;
            seq = last;
        }
        if added > 0 {
            index.commit(seq)?;
        }
        merge_index_after(index, added);
        Ok(added)
    }

    /// Rebuilds the clusterer's state by replaying every stored article in store order, after
    /// the same background warm-up a run from an empty store starts with: a restart (after a
    /// crash or not) then decides every later story exactly as one uninterrupted run would.
    /// The uninterrupted run's state depends on the whole history (term statistics,
    /// near-duplicate signatures, open stories): a saved state (see [`resume`]) that names an
    /// article the store holds at that place is resumed from and only the articles after it
    /// are replayed; without one, every stored article is.
    fn restore_clusterer(&mut self) -> Result<()> {
        let t = Instant::now();
        let mut seq = 0;
        if let Some(mut saved) = self.state_dir.as_deref().and_then(resume::load)
            && saved.seq > 0
        {
            let same_store = id_at(self.store.as_ref(), saved.seq)?.is_some_and(|id| id == saved.id);
            if same_store && self.clusterer.read_snapshot(&mut saved.state) {
                seq = saved.seq;
                self.restore.resumed_at = Some(seq);
                // What the extractor had learnt from the same articles (its templates).
                if !saved.learnt.is_empty() && !self.extractor.restore_learnt(&saved.learnt) {
                    tracing::warn!("the saved extraction templates were not usable; starting without them");
                }
            }
        }
        if seq == 0 {
            for article in background_articles() {
                self.clusterer.warm(&article);
            }
        }
        let (mut replayed, mut disagreed) = (0u64, 0u64);
        loop {
            let rows = self.store.scan_articles(seq, 2000, false)?;
            let Some(last) = rows.last().map(|(s, _)| *s) else { break };
            for (_, mut a) in rows {
                let Some(story) = a.story.take() else { continue };
                // Sorted as the ingest passes them (`unique_entities`); the store's order is its own.
                let mut entities = self.store.article_entities(&a.id)?;
                entities.sort();
                let copy_of = self.store.copy_of(&a.id)?;
                let store = &self.store;
                let stored = store.resolve_story(&story)?;
                // The decision agrees when the story it names ended up (after merges) where the
                // store has the article.
                let mut agrees = |named: &str| store.resolve_story(named).is_ok_and(|s| s == stored);
                if !self.clusterer.replay(&a, &entities, &story, copy_of.as_deref(), &mut agrees) {
                    disagreed += 1;
                }
                replayed += 1;
            }
            seq = last;
        }
        self.restore.replayed = replayed;
        self.restore.seconds = t.elapsed().as_secs_f64();
        self.unsaved = replayed;
        metrics::gauge!("newsloom_cluster_restore_seconds").set(self.restore.seconds);
        tracing::info!(resumed_at = ?self.restore.resumed_at, replayed, seconds = self.restore.seconds, "clusterer state rebuilt");
        if disagreed > 0 {
            // Expected only for a store written by another version or other settings.
            eprintln!(
                "newsloom: {disagreed} of {replayed} stored articles would now be placed differently; \
                 kept where they are"
            );
        }
        Ok(())
    }

    /// Rebuilds the search index from the store, after writing any derived store data an older
    /// version did not keep. Returns the number of articles indexed.
    pub fn reindex(&mut self) -> Result<u64> {
        // Derived store data first (facts documents of articles an older version stored).
        let started = Instant::now();
        let filled = self.store.backfill_derived(&mut |done| {
            if done % 100_000 < 2_000 {
                tracing::info!(done, seconds = started.elapsed().as_secs_f64(), "facts documents written");
            }
        })?;
        if filled > 0 {
            tracing::info!(filled, seconds = started.elapsed().as_secs_f64(), "facts documents backfilled");
        }
        if let Some(n) = self.rebuilt_at_open.take() {
            return Ok(n);
        }
        if let Some(index) = self.index.as_mut() {
            index.clear()?;
            index.commit(0)?;
        }
        self.catch_up_index()
    }

    /// Runs items through every stage into the store and index.
    ///
    /// Batches overlap: while batch N is stored and indexed on this thread, batch N+1 is
    /// placed into stories on another ([`placing`]) and batches N+2..=N+1+[`PIPELINE_DEPTH`]
    /// are extracted and analysed on the rayon pool, so the sequential steps do not leave the
    /// other cores idle. Batches are placed and stored in input order, so stories come out as
    /// from a sequential run. Their extraction is ordered too
    /// (a batch is extracted once the previous one is, and learns from the earlier ones only),
    /// so what the extractor learns per source, and so every body, does not depend on thread
    /// timing.
    pub fn ingest(
        &mut self,
        items: impl Iterator<Item = IngestItem>,
        progress: &dyn Progress,
    ) -> Result<IngestSummary> {
        self.rebuilt_at_open = None;
        let started = Instant::now();
        let mut summary = IngestSummary::default();
        let mut items = items.peekable();
        let (extractor, analyser) = (&*self.extractor, &*self.analyser);
        // The embedded store's documents are made on the pool, beside extraction, so its one
        // writer thread only writes.
        let encode = self.store.as_sqlite().is_some();
        let clusterer = &mut *self.clusterer;
        let mut sink = Sink { store: self.store.as_mut(), index: self.index.as_mut() };
        let batch_size = self.batch_size.max(1);
        let mut last_index_commit = Instant::now();
        let (state_dir, save_every) = (self.state_dir.as_deref(), self.save_state_every.max(1));
        let mut unsaved = self.unsaved;
        std::thread::scope(|scope| -> Result<()> {
            // Batches being extracted and analysed, oldest first, with their rejects and ids (not
            // stored yet, so `existing_ids` cannot see them).
            let mut in_flight: VecDeque<(
                std::thread::ScopedJoinHandle<'_, Processed>,
                Vec<ItemError>,
                HashSet<String>,
            )> = VecDeque::new();
            // The ids of batches handed to the placer and not stored yet, oldest first.
            let mut placing: VecDeque<HashSet<String>> = VecDeque::new();
            let (to_place, place_input) = mpsc::sync_channel::<placing::ToPlace>(1);
            let (place_output, from_placer) = mpsc::sync_channel::<placing::Placed>(1);
            let (stored_tx, stored_rx) = mpsc::sync_channel::<placing::StoredAt>(1);
            let placer = scope.spawn(move || {
                placing::place_batches(clusterer, place_input, place_output, stored_rx, state_dir)
            });
            let mut to_place = Some(to_place);
            // Set when the newest batch has been extracted (and learnt from): the next waits
            // for it, so what each batch learns from the earlier ones does not depend on timing.
            let mut extracted: Option<mpsc::Receiver<()>> = None;
            // Fresh records since the last state save planned: a batch that reaches
            // `save_every` keeps the extractor's learnt state as of its own end, saved with the
            // clusterer's once the batch is stored.
            let mut planned = unsaved;
            let mut store_placed = |sink: &mut Sink, summary: &mut IngestSummary| -> Result<()> {
                let placed = from_placer
                    .recv()
                    .map_err(|_| PipelineError("placing articles into stories panicked".into()))?;
                let saves_state = placed.saves_state;
                let stored_before = summary.stored;
                sink.finish(placed, summary)?;
                unsaved += summary.stored - stored_before;
                if saves_state {
                    let seq = sink.store.max_seq()?;
                    let at = id_at(&*sink.store, seq)?.map(|id| (seq, id));
                    // The placer saves its state as of this batch, then goes on.
                    let _ = stored_tx.send(at);
                    unsaved = 0;
                }
                // The index is derived data: committing it about once a second keeps
                // segments large, and a crash in between is repaired by
                // `catch_up_index` at the next open.
                if let Some(index) =
                    sink.index.as_mut().filter(|_| last_index_commit.elapsed().as_secs_f64() >= 1.0)
                {
                    let t = Instant::now();
                    index.commit(sink.store.max_seq()?)?;
                    summary.stage_s.index += t.elapsed().as_secs_f64();
                    last_index_commit = Instant::now();
                }
                summary.elapsed_s = started.elapsed().as_secs_f64();
                progress.batch_done(summary);
                Ok(())
            };
            loop {
                let t = Instant::now();
                let mut records = Vec::with_capacity(batch_size);
                let mut rejects = Vec::new();
                for item in items.by_ref().take(batch_size) {
                    summary.read += 1;
                    match item {
                        IngestItem::Record(r) => records.push(r),
                        IngestItem::Rejected(e) => rejects.push(e),
                    }
                }
                summary.stage_s.read += t.elapsed().as_secs_f64();
                let done = records.is_empty() && rejects.is_empty();
                if !done {
                    let busy = |id: &str| {
                        in_flight.iter().any(|(_, _, ids)| ids.contains(id))
                            || placing.iter().any(|ids| ids.contains(id))
                    };
                    let fresh = sink.fresh(records, &busy, &mut summary)?;
                    let ids = fresh.iter().map(|r| r.id.clone()).collect();
                    planned += fresh.len() as u64;
                    let keep_learnt = state_dir.is_some() && planned >= save_every;
                    if keep_learnt {
                        planned = 0;
                    }
                    let (done_tx, done_rx) = mpsc::sync_channel(1);
                    let after = extracted.replace(done_rx);
                    let order = BatchOrder { after, extracted: done_tx, keep_learnt, encode };
                    let handle = scope.spawn(move || process(extractor, analyser, fresh, order));
                    in_flight.push_back((handle, rejects, ids));
                }
                // Hand the oldest batch to the placer once PIPELINE_DEPTH newer ones are being
                // processed (or the input has ended), so the pool has work while this thread
                // stores; store the batch placed before it meanwhile.
                while in_flight.len() > PIPELINE_DEPTH || (done && !in_flight.is_empty()) {
                    let Some((handle, rejects, ids)) = in_flight.pop_front() else { break };
                    let processed =
                        handle.join().map_err(|_| PipelineError("extraction or analysis panicked".into()))?;
                    let sender = to_place.as_ref().expect("open until the input ends");
                    sender
                        .send(placing::ToPlace { processed, rejects })
                        .map_err(|_| PipelineError("placing articles into stories panicked".into()))?;
                    placing.push_back(ids);
                    if placing.len() > 1 {
                        store_placed(&mut sink, &mut summary)?;
                        placing.pop_front();
                    }
                }
                if done {
                    while !placing.is_empty() {
                        store_placed(&mut sink, &mut summary)?;
                        placing.pop_front();
                    }
                    break;
                }
            }
            to_place.take();
            placer.join().map_err(|_| PipelineError("placing articles into stories panicked".into()))?;
            Ok(())
        })?;
        if let Some(index) = self.index.as_mut() {
            index.commit(self.store.max_seq()?)?;
            merge_index_after(index, summary.stored);
        }
        self.unsaved = unsaved;
        if let Some(dir) =
            self.state_dir.as_deref().filter(|_| self.unsaved >= self.save_state_every.clamp(1, 1_000))
        {
            // Every batch is stored: the extractor has learnt from exactly the stored articles.
            let learnt = self.extractor.learnt_state().unwrap_or_default();
            save_state(dir, &learnt, &*self.clusterer, &*self.store)?;
            self.unsaved = 0;
        }
        summary.elapsed_s = started.elapsed().as_secs_f64();
        summary.articles_per_s = summary.stored as f64 / summary.elapsed_s.max(1e-9);
        Ok(summary)
    }
}

/// Batches extracted and analysed while the oldest is stored. With one, the pool ran dry
/// whenever storing a batch took longer than processing the next (at a million articles it
/// does: the store's indexes deepen), leaving a core idle.
pub const PIPELINE_DEPTH: usize = 2;

/// The id of the article stored at `seq`, if one is.
fn id_at(store: &dyn StoreBackend, seq: i64) -> Result<Option<String>> {
    let next = store.scan_articles(seq - 1, 1, false)?.into_iter().next();
    Ok(next.filter(|(s, _)| *s == seq).map(|(_, a)| a.id))
}

/// Saves the clusterer's state as of the last stored article (see [`resume`]).
fn save_state(
    dir: &Path,
    learnt: &[u8],
    clusterer: &dyn StoryClusterer,
    store: &dyn StoreBackend,
) -> Result<()> {
    let seq = store.max_seq()?;
    if let Some(last) = id_at(store, seq)? {
        save_state_at(dir, seq, &last, learnt, clusterer);
    }
    Ok(())
}

/// Saves the clusterer's and extractor's state as of the stored article `seq` (`id`).
fn save_state_at(dir: &Path, seq: i64, id: &str, learnt: &[u8], clusterer: &dyn StoryClusterer) {
    let t = Instant::now();
    // Only an optimisation for the next open: a failure to write it is reported, not fatal.
    match resume::save(dir, seq, id, learnt, |out| clusterer.write_snapshot(out)) {
        Ok(Some(bytes)) => {
            tracing::info!(seq, bytes, seconds = t.elapsed().as_secs_f64(), "clusterer state saved")
        }
        Ok(None) => {}
        Err(e) => tracing::warn!("could not save the clusterer state in {}: {e}", dir.display()),
    }
}

/// A batch after extraction and analysis: per raw record, its article or why there is none.
struct Processed {
    results: Vec<std::result::Result<NewArticle, ItemError>>,
    seconds: f64,
    /// The extractor's learnt state as of the end of this batch, when a save follows it.
    learnt: Option<Vec<u8>>,
}

/// Where a batch stands among the batches in flight: extraction waits for the previous one's
/// (`after`), says when its own is done (`extracted`), and keeps the learnt state if asked.
struct BatchOrder {
    after: Option<mpsc::Receiver<()>>,
    extracted: mpsc::SyncSender<()>,
    keep_learnt: bool,
    /// Whether to make the store's documents here ([`newsloom_store::Encoded`]).
    encode: bool,
}

fn process(
    extractor: &dyn Extractor,
    analyser: &dyn Analyser,
    fresh: Vec<RawRecord>,
    order: BatchOrder,
) -> Processed {
    // An error means the previous batch's thread ended without saying (it panicked): its join
    // reports that, so this one just goes on.
    if let Some(after) = order.after {
        let _ = after.recv();
    }
    let t = Instant::now();
    let articles = extractor.extract_batch(&fresh);
    let learnt = if order.keep_learnt { Some(extractor.learnt_state().unwrap_or_default()) } else { None };
    let _ = order.extracted.send(());
    let results = articles
        .into_par_iter()
        .zip(&fresh)
        .map(|(extracted, raw)| match extracted {
            Ok(article) => {
                let analysis = analyser.analyse(&article);
                // A failure here is met again, and reported, by the writer.
                let encoded =
                    if order.encode { newsloom_store::Encoded::new(&article, &analysis).ok() } else { None };
                Ok(NewArticle { article, analysis, encoded, ..Default::default() })
            }
            Err(e) => {
                Err(ItemError::new(raw.origin.clone(), "no article", format!("no article extracted: {e}")))
            }
        })
        .collect();
    Processed { results, seconds: t.elapsed().as_secs_f64(), learnt }
}

/// The writing end of the pipeline: storing and indexing (placing into stories is on its own
/// thread, see [`placing`]).
struct Sink<'a> {
    store: &'a mut dyn StoreBackend,
    index: Option<&'a mut SearchIndex>,
}

impl Sink<'_> {
    /// Drops records already stored, in the batch in flight, or repeated within the batch.
    fn fresh(
        &self,
        records: Vec<RawRecord>,
        in_flight: &dyn Fn(&str) -> bool,
        summary: &mut IngestSummary,
    ) -> Result<Vec<RawRecord>> {
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let stored = self.store.existing_ids(&ids)?;
        let mut seen = HashSet::new();
        let mut fresh = Vec::with_capacity(records.len());
        for r in records {
            if stored.contains(&r.id) || in_flight(&r.id) || !seen.insert(r.id.clone()) {
                summary.duplicates += 1;
                metrics::counter!("newsloom_ingest_duplicates_total").increment(1);
            } else {
                fresh.push(r);
            }
        }
        Ok(fresh)
    }

    fn finish(&mut self, placed: placing::Placed, summary: &mut IngestSummary) -> Result<()> {
        let placing::Placed {
            ready, rejects: all_rejects, merged_into, extract_analyse_s, cluster_s, ..
        } = placed;
        summary.stage_s.extract_analyse += extract_analyse_s;
        summary.stage_s.cluster += cluster_s;
        for e in &all_rejects {
            summary.reject(e);
        }
        let t = Instant::now();
        let rejects: Vec<Reject> = all_rejects
            .iter()
            .map(|e| Reject {
                origin: e.origin.clone(),
                kind: e.kind.to_string(),
                message: e.message.clone(),
            })
            .collect();
        let outcome = self.store.insert_batch(&ready, &rejects)?;
        summary.stored += outcome.stored as u64;
        summary.duplicates += outcome.duplicates as u64;
        // Process-wide counters for /metrics (a server that ingests or follows); the summary
        // above is per run.
        metrics::counter!("newsloom_ingest_stored_total").increment(outcome.stored as u64);
        metrics::counter!("newsloom_ingest_duplicates_total").increment(outcome.duplicates as u64);
        summary.reprints += ready.iter().filter(|a| a.copy_of.is_some()).count() as u64;
        summary.stage_s.store += t.elapsed().as_secs_f64();
        let Some(index) = self.index.as_mut() else { return Ok(()) };
        let t = Instant::now();
        let refs: Vec<_> = ready.iter().map(|n| (0, &n.article)).collect();
        index.add(&refs)?;
        // Articles that moved story in a merge are re-indexed with their new story.
        for story in merged_into {
            let filter = ArticleFilter { story: Some(story), limit: 100_000, ..Default::default() };
            let moved: Vec<Article> = self
                .store
                .articles(&filter)?
                .iter()
                .filter_map(|row| self.store.article(&row.id).transpose())
                .collect::<std::result::Result<_, _>>()?;
            let refs: Vec<_> = moved.iter().map(|a| (0, a)).collect();
            index.add(&refs)?;
        }
        summary.stage_s.index += t.elapsed().as_secs_f64();
        Ok(())
    }
}

fn pub_key(a: &Article) -> &str {
    // Undated articles sort last, in arrival order (the sort is stable).
    a.published.as_ref().map(|d| d.iso.as_str()).unwrap_or("~")
}

fn unique_entities(analysis: &newsloom_analyse::Analysis) -> Vec<String> {
    let mut ids: Vec<String> = analysis.mentions.iter().map(|m| m.entity.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Merges the search index into one segment after a run that added at least a quarter of its
/// documents. A long ingest commits the index about once a second and leaves tens of segments,
/// each of which every search pays for (see [`SearchIndex::merge_segments`]); a merge rewrites
/// the whole index (about 30 s per million articles), so doing it only after runs that grew
/// the index by a quarter or more bounds its cost to about four rewrites of what was added.
fn merge_index_after(index: &mut SearchIndex, added: u64) {
    if added == 0 || added.saturating_mul(4) < index.num_docs() {
        return;
    }
    let started = Instant::now();
    // Only searches get slower without it: a failed merge leaves the index whole, the run's
    // articles are stored and indexed, and the next large run or `compact` merges again.
    match index.merge_segments() {
        Ok(segments) if segments > 1 => {
            tracing::info!(
                segments,
                seconds = started.elapsed().as_secs_f64(),
                "search index merged into one segment"
            )
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "the search index was not merged into one segment"),
    }
}
