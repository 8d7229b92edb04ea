//! The cluster stage: near-duplicate detection and online story clustering with stable ids.
//!
//! Each article, in publication order, is first checked for being a near-duplicate of a
//! recent article (MinHash over 4-word body shingles with LSH banding); a copy joins its
//! original's story and names the earliest original in `copy_of`. Otherwise its candidate
//! stories come from an inverted index over the distinctive terms of open stories, a
//! logistic-regression scorer rates each (TF-IDF cosines with IDF kept online, overlap of
//! names, entities and numbers, the time gap to the story's recent articles), and the article
//! joins the best one if its probability clears a threshold, or opens a new story.
//! Stories inactive for longer than a window (730 days by default, so trials and sentencing
//! reports still find their incident) are closed, and at most 50,000 stay open: memory is
//! bounded. Signatures for copy detection are kept 30 days (at most 200,000).
//!
//! The scorer's weights ([`scorer::WEIGHTS`]) are learnt, not hand-set: `examples/train.rs`
//! streams a labelled file with gold stories, fits logistic regression on (article, candidate)
//! features and prints the constants. `examples/cluster_eval.rs` runs [`eval::run`] (B³ and pairwise
//! scores, stories, throughput, peak RSS; `--replay N` for the memory-flatness check);
//! `examples/diag.rs` breaks down the errors.
//!
//! Cross-lingual linking (optional): with the cargo feature `embed` (off by default; it
//! builds candle through `newsloom-embed`) and a model directory
//! (`OnlineClusterer::set_embedder`, or precomputed vectors via
//! [`doc::Analysed::with_embedding`]), each article also carries a multilingual sentence
//! embedding of its headline and lead. Open stories keep their mean embedding; the nearest
//! few by cosine join the candidates (words differ across languages, so the term index
//! cannot find them), and a second logistic stage ([`scorer::EMB_WEIGHTS`]) combines the
//! lexical score with the cosine and whether the story has any article in the article's
//! language. Without embeddings the lexical scorer decides alone, exactly as before.
//! [`eval::run_crosslingual`] measures both on `shared/data/crosslingual/`.
//!
//! ```
//! use newsloom_cluster::{OnlineClusterer, StoryClusterer};
//! use newsloom_model::{Article, PublishedDate};
//! let mut c = OnlineClusterer::new();
//! let a = Article {
//!     id: "a1".into(),
//!     title: "Fire at the harbour".into(),
//!     body: "A fire broke out at the harbour of Port Elsa on Monday.".into(),
//!     published: PublishedDate::parse_iso("2020-05-04", "input"),
//!     ..Default::default()
//! };
//! let first = c.assign(&a, &[]);
//! assert_eq!(first.story, "s-a1");
//! assert!(first.copy_of.is_none() && first.merges.is_empty());
//! ```

use newsloom_model::Article;
use serde::{Deserialize, Serialize};

pub mod crosslingual;
pub mod doc;
pub mod embedding;
pub mod eval;
pub mod folds;
pub mod minhash;
mod online;
pub mod pairsim;
pub mod scorer;
pub mod story;
pub mod text;
pub mod train;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_embed;

pub use online::{Candidate, ClusterConfig, OnlineClusterer, Prepared, Target};

/// Where the clusterer put one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub story: String,
    /// The earlier article this one is a near-duplicate (reprint) of.
    pub copy_of: Option<String>,
    /// Stories found to be one while placing this article: each absorbed id now redirects.
    pub merges: Vec<StoryMerge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMerge {
    pub absorbed: String,
    pub into: String,
}

/// Places articles into stories, one at a time, in arrival order.
pub trait StoryClusterer: Send {
    /// Decides the story of a new article. `entities` are canonical entity ids found in it
    /// (empty when the analyse stage found none).
    fn assign(&mut self, article: &Article, entities: &[String]) -> Assignment;

    /// Re-learns an article already placed in a previous run (state is rebuilt from the store
    /// at start-up), without changing its story.
    fn restore(&mut self, article: &Article, entities: &[String], story: &str, copy_of: Option<&str>);

    /// Replays an article stored by an earlier run, in store order, so that the state after a
    /// restart is the state of a run that never stopped: decides as [`StoryClusterer::assign`]
    /// would and applies that decision when it has the stored copy-of and `agrees` accepts the
    /// story it names (the store knows where that story went in later merges). Otherwise (a
    /// store written with other settings) places the article as
    /// [`StoryClusterer::restore`] does. Returns whether the decision agreed.
    fn replay(
        &mut self,
        article: &Article,
        entities: &[String],
        story: &str,
        copy_of: Option<&str>,
        _agrees: &mut dyn FnMut(&str) -> bool,
    ) -> bool {
        self.restore(article, entities, story, copy_of);
        false
    }

    /// Counts an article into background statistics only (term document frequencies), without
    /// placing it in a story: a prior for a cold start, when the store holds too few articles
    /// for an online IDF to say which words are common.
    fn warm(&mut self, _article: &Article) {}

    /// Writes the whole state, so a restart can resume from it instead of replaying every
    /// stored article; `Ok(false)`, with nothing written, when this clusterer cannot. Written as
    /// it is serialised: at a million articles the state is over 100 MB, which a copy in memory
    /// would add to the run's peak.
    fn write_snapshot(&self, _out: &mut dyn std::io::Write) -> std::io::Result<bool> {
        Ok(false)
    }

    /// [`StoryClusterer::write_snapshot`] into memory.
    fn snapshot(&self) -> Option<Vec<u8>> {
        let mut bytes = vec![];
        self.write_snapshot(&mut bytes).ok()?.then_some(bytes)
    }

    /// Resumes from what [`StoryClusterer::write_snapshot`] wrote, read as it is deserialised
    /// (no copy of the file in memory). `false`, with the state unchanged, when it is not a
    /// snapshot of this clusterer with this build's configuration, or is cut short.
    fn read_snapshot(&mut self, _input: &mut dyn std::io::Read) -> bool {
        false
    }

    /// [`StoryClusterer::read_snapshot`] from memory.
    fn restore_snapshot(&mut self, bytes: &[u8]) -> bool {
        self.read_snapshot(&mut &bytes[..])
    }
}
