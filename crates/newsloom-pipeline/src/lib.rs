//! The pipeline: ingest → extract → analyse → cluster → store → index, in bounded batches.
//!
//! Extraction and analysis run in parallel (rayon) within a batch; clustering is sequential
//! in publication order, because a story decision depends on the ones before it. Each batch
//! is stored in one transaction before anything about it is reported, so a crash loses at
//! most the batch in flight, and a re-run skips what was stored (ids are content hashes).

pub mod synth;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_cluster::{OnlineClusterer, StoryClusterer};
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_ingest::{IngestItem, ItemError};
use newsloom_model::{Article, RawRecord};
use newsloom_search::SearchIndex;
use newsloom_store::{ArticleFilter, NewArticle, Reject, Store};
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
}

const MAX_REPORTED_ERRORS: usize = 50;

impl IngestSummary {
    fn reject(&mut self, e: &ItemError) {
        self.rejected += 1;
        *self.rejected_by_reason.entry(e.kind.to_string()).or_default() += 1;
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
    store: Store,
    index: SearchIndex,
    /// Articles per batch: one store transaction each.
    pub batch_size: usize,
}

/// How many recent articles are replayed into the clusterer at start-up: enough to cover the
/// window in which stories stay open, without reading the whole history.
const RESTORE_WINDOW: i64 = 20_000;

impl Pipeline {
    /// Opens the store in `dir` with the default stages, brings the search index up to date
    /// with the store and rebuilds the clusterer's recent state.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::with_stages(
            dir,
            Box::new(NewsExtractor::new()),
            Box::new(NewsAnalyser::new()),
            Box::new(OnlineClusterer::new()),
        )
    }

    /// Opens with the given stages (to swap one out, or test one alone).
    pub fn with_stages(
        dir: &Path,
        extractor: Box<dyn Extractor>,
        analyser: Box<dyn Analyser>,
        clusterer: Box<dyn StoryClusterer>,
    ) -> Result<Self> {
        let store = Store::open(dir)?;
        let index = SearchIndex::open(dir)?;
        let mut pipeline = Self { extractor, analyser, clusterer, store, index, batch_size: 1000 };
        pipeline.catch_up_index()?;
        pipeline.restore_clusterer()?;
        Ok(pipeline)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Indexes stored articles the index does not have yet (after a crash between the store
    /// commit and the index commit). Returns how many were added.
    fn catch_up_index(&mut self) -> Result<u64> {
        let mut seq = self.index.indexed_seq()?;
        let max = self.store.max_seq()?;
        let mut added = 0;
        while seq < max {
            let rows = self.store.scan_articles(seq, 2000, false)?;
            let Some(last) = rows.last().map(|(s, _)| *s) else { break };
            let refs: Vec<_> = rows.iter().map(|(s, a)| (*s, a)).collect();
            self.index.add(&refs)?;
            added += rows.len() as u64;
            seq = last;
        }
        if added > 0 {
            self.index.commit(seq)?;
        }
        Ok(added)
    }

    fn restore_clusterer(&mut self) -> Result<()> {
        let mut seq = (self.store.max_seq()? - RESTORE_WINDOW).max(0);
        loop {
            let rows = self.store.scan_articles(seq, 2000, false)?;
            let Some(last) = rows.last().map(|(s, _)| *s) else { break };
            for (_, a) in &rows {
                let entities = self.store.article_entities(&a.id)?;
                if let Some(story) = &a.story {
                    let copy_of = self.store.copy_of(&a.id)?;
                    self.clusterer.restore(a, &entities, story, copy_of.as_deref());
                }
            }
            seq = last;
        }
        Ok(())
    }

    /// Rebuilds the search index from the store. Returns the number of articles indexed.
    pub fn reindex(&mut self) -> Result<u64> {
        self.index.clear()?;
        self.index.commit(0)?;
        self.catch_up_index()
    }

    /// Runs items through every stage into the store and index.
    pub fn ingest(
        &mut self,
        items: impl Iterator<Item = IngestItem>,
        progress: &dyn Progress,
    ) -> Result<IngestSummary> {
        let started = Instant::now();
        let mut summary = IngestSummary::default();
        let mut items = items.peekable();
        let mut last_index_commit = Instant::now();
        let mut index_dirty = false;
        while items.peek().is_some() {
            let mut records = Vec::with_capacity(self.batch_size);
            let mut rejects = Vec::new();
            for item in items.by_ref().take(self.batch_size) {
                summary.read += 1;
                match item {
                    IngestItem::Record(r) => records.push(r),
                    IngestItem::Rejected(e) => rejects.push(e),
                }
            }
            self.run_batch(records, rejects, &mut summary)?;
            index_dirty = true;
            // The index is derived data: committing it about once a second keeps segments
            // large, and a crash in between is repaired by `catch_up_index` at the next open.
            if last_index_commit.elapsed().as_secs_f64() >= 1.0 {
                self.index.commit(self.store.max_seq()?)?;
                last_index_commit = Instant::now();
                index_dirty = false;
            }
            summary.elapsed_s = started.elapsed().as_secs_f64();
            progress.batch_done(&summary);
        }
        if index_dirty {
            self.index.commit(self.store.max_seq()?)?;
        }
        summary.elapsed_s = started.elapsed().as_secs_f64();
        summary.articles_per_s = summary.stored as f64 / summary.elapsed_s.max(1e-9);
        Ok(summary)
    }

    fn run_batch(
        &mut self,
        records: Vec<RawRecord>,
        rejects: Vec<ItemError>,
        summary: &mut IngestSummary,
    ) -> Result<()> {
        for e in &rejects {
            summary.reject(e);
        }
        // Skip what is stored already, and repeats within the batch.
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let stored = self.store.existing_ids(&ids)?;
        let mut seen = HashSet::new();
        let mut fresh = Vec::with_capacity(records.len());
        for r in records {
            if stored.contains(&r.id) || !seen.insert(r.id.clone()) {
                summary.duplicates += 1;
            } else {
                fresh.push(r);
            }
        }
        let (extractor, analyser) = (&*self.extractor, &*self.analyser);
        let processed: Vec<_> = fresh
            .par_iter()
            .map(|raw| {
                extractor.extract(raw).map(|article| {
                    let analysis = analyser.analyse(&article);
                    (article, analysis)
                })
            })
            .collect();
        let mut extract_rejects = Vec::new();
        let mut ready = Vec::with_capacity(processed.len());
        for (raw, result) in fresh.iter().zip(processed) {
            match result {
                Ok((article, analysis)) => ready.push(NewArticle { article, analysis, ..Default::default() }),
                Err(e) => {
                    let err = ItemError::new(
                        raw.origin.clone(),
                        "no article",
                        format!("no article extracted: {e}"),
                    );
                    summary.reject(&err);
                    extract_rejects.push(err);
                }
            }
        }
        // Publication order, so stories grow the way they did in the world.
        ready.sort_by(|a, b| pub_key(&a.article).cmp(pub_key(&b.article)));
        let mut merged_into = Vec::new();
        for item in &mut ready {
            let entities: Vec<String> = unique_entities(&item.analysis);
            let assignment = self.clusterer.assign(&item.article, &entities);
            item.article.story = Some(assignment.story);
            item.copy_of = assignment.copy_of;
            item.merges = assignment.merges.into_iter().map(|m| (m.absorbed, m.into)).collect();
            merged_into.extend(item.merges.iter().map(|(_, into)| into.clone()));
        }
        let all_rejects: Vec<Reject> = rejects
            .iter()
            .chain(&extract_rejects)
            .map(|e| Reject {
                origin: e.origin.clone(),
                kind: e.kind.to_string(),
                message: e.message.clone(),
            })
            .collect();
        let outcome = self.store.insert_batch(&ready, &all_rejects)?;
        summary.stored += outcome.stored as u64;
        summary.duplicates += outcome.duplicates as u64;
        summary.reprints += ready.iter().filter(|a| a.copy_of.is_some()).count() as u64;
        let refs: Vec<_> = ready.iter().map(|n| (0, &n.article)).collect();
        self.index.add(&refs)?;
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
            self.index.add(&refs)?;
        }
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
