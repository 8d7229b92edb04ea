//! The clustering step on its own thread: while the writer stores and indexes one batch, the
//! next is placed into stories. Both are sequential and, at a million articles, together took
//! all of one core (placing 0.46 ms an article, storing and indexing 1.3 ms), so the extract
//! and analyse pool waited on them; apart, the batch rate is bounded by the slower one only.

use std::path::Path;
use std::sync::mpsc;
use std::time::Instant;

use newsloom_cluster::StoryClusterer;
use newsloom_ingest::ItemError;
use newsloom_store::NewArticle;

use crate::{Processed, pub_key, unique_entities};

/// A batch to place: its extracted and analysed articles, and the items rejected before.
pub(crate) struct ToPlace {
    pub processed: Processed,
    pub rejects: Vec<ItemError>,
}

/// A batch placed into stories, in publication order, ready to be stored.
pub(crate) struct Placed {
    pub ready: Vec<NewArticle>,
    pub rejects: Vec<ItemError>,
    /// Stories that absorbed others while this batch was placed (their articles moved).
    pub merged_into: Vec<String>,
    pub extract_analyse_s: f64,
    pub cluster_s: f64,
    /// Whether the placer waits, once this batch is stored, to save its state as of it.
    pub saves_state: bool,
}

/// Where the writer has stored a batch up to: the store's last sequence number and its id.
pub(crate) type StoredAt = Option<(i64, String)>;

/// Places batches in the order received until the input ends or the writer stops listening.
/// After a batch that carries the extractor's learnt state, it waits for the writer to store
/// it and saves the clusterer's state as of that batch (the clusterer must not move on first:
/// the saved state has to name exactly the stored articles).
pub(crate) fn place_batches(
    clusterer: &mut dyn StoryClusterer,
    input: mpsc::Receiver<ToPlace>,
    output: mpsc::SyncSender<Placed>,
    stored: mpsc::Receiver<StoredAt>,
    state_dir: Option<&Path>,
) {
    for ToPlace { processed, rejects } in input {
        let mut all_rejects = rejects;
        let mut ready = Vec::with_capacity(processed.results.len());
        for result in processed.results {
            match result {
                Ok(item) => ready.push(item),
                Err(e) => all_rejects.push(e),
            }
        }
        let t = Instant::now();
        // Publication order, so stories grow the way they did in the world.
        ready.sort_by(|a, b| pub_key(&a.article).cmp(pub_key(&b.article)));
        let mut merged_into = Vec::new();
        for item in &mut ready {
            let entities: Vec<String> = unique_entities(&item.analysis);
            let assignment = clusterer.assign(&item.article, &entities);
            item.article.story = Some(assignment.story);
            item.copy_of = assignment.copy_of;
            item.merges = assignment.merges.into_iter().map(|m| (m.absorbed, m.into)).collect();
            merged_into.extend(item.merges.iter().map(|(_, into)| into.clone()));
        }
        let learnt = processed.learnt.filter(|_| state_dir.is_some());
        let placed = Placed {
            ready,
            rejects: all_rejects,
            merged_into,
            extract_analyse_s: processed.seconds,
            cluster_s: t.elapsed().as_secs_f64(),
            saves_state: learnt.is_some(),
        };
        if output.send(placed).is_err() {
            return;
        }
        if let (Some(dir), Some(learnt)) = (state_dir, learnt) {
            // The writer answers once the batch is stored, or hangs up when it failed.
            let Ok(at) = stored.recv() else { return };
            if let Some((seq, id)) = at {
                crate::save_state_at(dir, seq, &id, &learnt, clusterer);
            }
        }
    }
}
