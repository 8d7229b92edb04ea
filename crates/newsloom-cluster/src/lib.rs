//! The cluster stage: near-duplicate detection and online story clustering with stable ids.

use newsloom_model::Article;
use serde::{Deserialize, Serialize};

pub mod eval;

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
}

/// The default clusterer. (Placeholder until issue 6 lands: exact body copies share a story,
/// everything else opens its own.)
#[derive(Debug, Default)]
pub struct OnlineClusterer {
    by_body: std::collections::HashMap<String, (String, String)>,
}

impl OnlineClusterer {
    pub fn new() -> Self {
        Self::default()
    }
}

impl StoryClusterer for OnlineClusterer {
    fn assign(&mut self, article: &Article, _entities: &[String]) -> Assignment {
        if let Some((story, original)) = self.by_body.get(&article.body_hash) {
            return Assignment { story: story.clone(), copy_of: Some(original.clone()), merges: vec![] };
        }
        let story = format!("s{}", &article.id);
        self.by_body.insert(article.body_hash.clone(), (story.clone(), article.id.clone()));
        Assignment { story, copy_of: None, merges: vec![] }
    }

    fn restore(&mut self, article: &Article, _entities: &[String], story: &str, _copy_of: Option<&str>) {
        self.by_body
            .entry(article.body_hash.clone())
            .or_insert_with(|| (story.to_string(), article.id.clone()));
    }
}
