//! The online clusterer: dedup, candidate retrieval via an inverted index over open stories,
//! the learned join decision, merges with redirects, and closing of inactive stories.

use newsloom_model::Article;
use rustc_hash::FxHashMap;

use crate::doc::{Analysed, Corpus, Doc};
use crate::minhash::{DupEntry, DupIndex};
use crate::scorer;
use crate::story::{NF, Story};
use crate::{Assignment, StoryClusterer, StoryMerge};

/// Posting lists longer than this are not scanned during candidate retrieval.
const MAX_POSTINGS_SCANNED: usize = 4096;

/// Tunables of [`OnlineClusterer`]. `Default` holds the shipped, trained values.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// A story with no article for this many days is closed (and its memory freed).
    pub window_days: f64,
    /// At most this many open stories: beyond it the least recently active are closed, so
    /// memory stays bounded however busy the stream is.
    pub max_open_stories: usize,
    /// Signatures are kept this many days for near-duplicate detection (reprints come fast),
    /// and at most `max_dup_entries` of them.
    pub dup_window_days: f64,
    pub max_dup_entries: usize,
    /// Estimated Jaccard over body shingles at or above which an article is a copy.
    pub dup_threshold: f32,
    /// Join the best candidate story when its join probability is at least this.
    pub join_threshold: f32,
    /// Other candidates at or above this probability are merged into the joined story.
    /// Values above 1 disable merging.
    pub merge_threshold: f32,
    /// Candidate stories scored per article (from the inverted index).
    pub max_candidates: usize,
    /// Candidates whose retrieval weight is below this share of the best one's are skipped.
    pub min_retrieval_ratio: f32,
    /// Article terms used to query the index, and added to it per joined article.
    pub query_terms: usize,
    pub index_terms: usize,
    pub weights: [f32; NF],
    /// The embedding stage stacked on the lexical score (used only when embeddings exist).
    pub emb_weights: [f32; scorer::EMB_NF],
    /// Extra candidates per article from embedding similarity (language-independent, so a
    /// report in another language can find its story), when the article has an embedding.
    pub emb_candidates: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            window_days: 730.0,
            max_open_stories: 50_000,
            dup_window_days: 30.0,
            max_dup_entries: 200_000,
            dup_threshold: 0.7,
            join_threshold: scorer::JOIN_THRESHOLD,
            merge_threshold: 0.95,
            max_candidates: 16,
            min_retrieval_ratio: 0.0,
            query_terms: crate::doc::TOP_TERMS + crate::doc::TOP_NAMES + crate::doc::TOP_TITLE,
            index_terms: crate::doc::TOP_TERMS + crate::doc::TOP_NAMES + crate::doc::TOP_TITLE,
            weights: scorer::WEIGHTS,
            emb_weights: scorer::EMB_WEIGHTS,
            emb_candidates: 4,
        }
    }
}

/// A story the article could join, with its features and join probability.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub story: String,
    pub features: [f32; NF],
    /// `(cosine of embeddings, cross-language)` when the article and the story have embeddings.
    pub emb: Option<(f32, bool)>,
    pub p: f32,
}

/// An article analysed against the current state, before the decision is applied.
#[derive(Debug)]
pub struct Prepared {
    doc: Doc,
    /// `(original article, its story)` when the article is a near-duplicate.
    pub copy: Option<(String, String)>,
    /// Sorted by descending `p`.
    pub candidates: Vec<Candidate>,
}

/// Where to put a prepared article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Into this open story (by id).
    Story(String),
    New,
}

/// Online story clusterer with near-duplicate detection. See the crate docs.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct OnlineClusterer {
    /// Not part of a snapshot: the running build's configuration applies (and must match it).
    #[serde(skip)]
    cfg: ClusterConfig,
    corpus: Corpus,
    dups: DupIndex,
    slots: Vec<Option<Story>>,
    free: Vec<u32>,
    /// Open story ids and their aliases → slot.
    ids: FxHashMap<String, u32>,
    postings: FxHashMap<u32, Vec<u32>>,
    now: f64,
    last_sweep: f64,
    /// Candidate-retrieval weights by slot and the slots given one, reused.
    #[serde(skip)]
    scratch: Accumulator,
    /// Sentence encoder run on each article that arrives without an embedding.
    #[cfg(feature = "embed")]
    #[serde(skip)]
    embedder: Option<std::sync::Arc<newsloom_embed::Embedder>>,
}

/// Retrieval weights by story slot: a dense table (slots are a few tens of thousands) and the
/// slots touched, in the order first touched. A hash map here cost a hash and probe per posting
/// read, most of the clusterer's time once tens of thousands of stories are open.
#[derive(Debug, Default)]
struct Accumulator {
    /// Per slot: whether it was touched since the last drain, and its weight.
    weights: Vec<(bool, f32)>,
    touched: Vec<u32>,
}

impl Accumulator {
    /// Makes room for `slots` slots; it is empty after each [`drain`](Self::drain).
    fn reset(&mut self, slots: usize) {
        debug_assert!(self.touched.is_empty());
        if self.weights.len() < slots {
            self.weights.resize(slots, (false, 0.0));
        }
    }

    fn add(&mut self, slot: u32, w: f32) {
        let cell = &mut self.weights[slot as usize];
        if !cell.0 {
            *cell = (true, 0.0);
            self.touched.push(slot);
        }
        cell.1 += w;
    }

    /// Each touched slot with its weight, emptying it.
    fn drain(&mut self) -> impl Iterator<Item = (u32, f32)> + '_ {
        let weights = &mut self.weights;
        self.touched.drain(..).map(move |s| (s, std::mem::take(&mut weights[s as usize]).1))
    }
}

impl Default for OnlineClusterer {
    fn default() -> Self {
        Self::new()
    }
}

impl OnlineClusterer {
    pub fn new() -> Self {
        Self::with_config(ClusterConfig::default())
    }

    pub fn with_config(cfg: ClusterConfig) -> Self {
        Self {
            cfg,
            corpus: Corpus::default(),
            dups: DupIndex::default(),
            slots: Vec::new(),
            free: Vec::new(),
            ids: FxHashMap::default(),
            postings: FxHashMap::default(),
            now: f64::NEG_INFINITY,
            last_sweep: f64::NEG_INFINITY,
            scratch: Accumulator::default(),
            #[cfg(feature = "embed")]
            embedder: None,
        }
    }

    /// Embeds every article from now on (headline and lead) and uses the embeddings as a
    /// scorer feature and a cross-lingual candidate source.
    #[cfg(feature = "embed")]
    pub fn set_embedder(&mut self, e: std::sync::Arc<newsloom_embed::Embedder>) {
        self.embedder = Some(e);
    }

    /// Loads the encoder named by `NEWSLOOM_EMBED_MODEL` and embeds every article from now
    /// on. `Ok(false)` when the variable is unset or this build has no `embed` feature (the
    /// clusterer stays lexical); an error when the model does not load.
    pub fn embed_from_env(&mut self) -> Result<bool, String> {
        #[cfg(feature = "embed")]
        {
            match newsloom_embed::Embedder::from_env() {
                Some(e) => {
                    self.set_embedder(std::sync::Arc::new(e?));
                    Ok(true)
                }
                None => Ok(false),
            }
        }
        #[cfg(not(feature = "embed"))]
        {
            Ok(false)
        }
    }

    /// A clusterer that starts from `corpus` (document frequencies, furniture counts).
    pub(crate) fn with_corpus(cfg: ClusterConfig, corpus: Corpus) -> Self {
        Self { corpus, ..Self::with_config(cfg) }
    }

    pub(crate) fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    /// Number of open stories.
    pub fn open_stories(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Articles held in the near-duplicate index.
    pub fn indexed_articles(&self) -> usize {
        self.dups.len()
    }

    /// Whether the retrieval index holds exactly the open stories' keys: each posting names an
    /// open story that holds the key, once, and each key of an open story has its posting.
    #[cfg(test)]
    pub(crate) fn postings_match_open_stories(&self) -> bool {
        let mut expected = 0usize;
        for (slot, story) in self.slots.iter().enumerate() {
            if let Some(story) = story {
                expected += story.indexed.len();
                let listed = |t: &u32| {
                    self.postings
                        .get(t)
                        .is_some_and(|v| v.iter().filter(|&&s| s as usize == slot).count() == 1)
                };
                if !story.indexed.iter().all(listed) {
                    return false;
                }
            }
        }
        expected == self.postings.values().map(Vec::len).sum::<usize>()
    }

    /// The open story an id (or a merged-away alias) refers to now.
    pub fn resolve(&self, story: &str) -> Option<&str> {
        self.ids.get(story).and_then(|&s| self.slots[s as usize].as_ref()).map(|s| s.id.as_str())
    }

    /// Analyses an article against the open stories (and counts it in the IDF).
    pub fn prepare(&mut self, article: &Article, entities: &[String]) -> Prepared {
        self.prepare_analysed(article, entities, Analysed::new(article))
    }

    /// [`OnlineClusterer::prepare`] with the stateless analysis done beforehand (possibly on
    /// another thread).
    pub fn prepare_analysed(&mut self, article: &Article, entities: &[String], a: Analysed) -> Prepared {
        #[cfg(feature = "embed")]
        let a = match &self.embedder {
            Some(e) if !a.has_embedding() => {
                // A failed embedding leaves the article to the lexical scorer alone.
                match e.embed(&[crate::doc::embedding_text(article).as_str()]) {
                    Ok(mut v) if !v.is_empty() => a.with_embedding(v.swap_remove(0)),
                    _ => a,
                }
            }
            _ => a,
        };
        let now = if self.now.is_finite() { self.now } else { 0.0 };
        let doc = Doc::from_analysed(article, a, entities, &mut self.corpus, now);
        self.advance(doc.time);
        let copy = doc.sig.as_ref().and_then(|sig| {
            // Below near-identity, a copy must also share some headline: pages built from one
            // template (sign-up forms, paywalls) are alike in body only.
            let accept = |e: &DupEntry, sim: f32| sim >= 0.9 || crate::doc::dot(&doc.title, &e.title) >= 0.1;
            self.dups
                .find_where(sig, self.cfg.dup_threshold, accept)
                .map(|(e, _)| (e.original.clone(), e.story.clone()))
        });
        // Candidate retrieval: accumulate the article's top-term weights over posting lists,
        // each scaled by how rare the key is among open stories (as IDF does for documents).
        // Weights kept between articles by slot: no allocation and no hashing per posting.
        let mut acc = std::mem::take(&mut self.scratch);
        acc.reset(self.slots.len());
        let open = self.open_stories() as f32;
        for &(t, w) in doc.top.iter().take(self.cfg.query_terms) {
            if let Some(ps) = self.postings.get(&t) {
                // A key shared by thousands of open stories says little and would make the
                // cost per article grow with the number of open stories.
                if ps.len() > MAX_POSTINGS_SCANNED {
                    continue;
                }
                let w = w * (1.0 + open / ps.len() as f32).ln();
                for &s in ps {
                    acc.add(s, w);
                }
            }
        }
        let mut ranked: Vec<(u32, f32)> = acc.drain().collect();
        self.scratch = acc;
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        // Only the best few are kept: select them, then sort just those.
        if ranked.len() > self.cfg.max_candidates && self.cfg.max_candidates > 0 {
            ranked.select_nth_unstable_by(self.cfg.max_candidates - 1, by_score);
        }
        ranked.truncate(self.cfg.max_candidates);
        ranked.sort_unstable_by(by_score);
        // Stories that share only a sliver of the best one's retrieval weight are not scored.
        if let Some(&(_, top)) = ranked.first() {
            let floor = top * self.cfg.min_retrieval_ratio;
            ranked.retain(|&(_, w)| w >= floor);
        }
        if doc.emb.is_some() && self.cfg.emb_candidates > 0 {
            self.add_embedding_candidates(&doc, &mut ranked);
        }
        let mut candidates: Vec<Candidate> =
            ranked.into_iter().filter_map(|(slot, _)| self.score_slot(slot, &doc)).collect();
        candidates.sort_by(|a, b| b.p.total_cmp(&a.p).then(a.story.cmp(&b.story)));
        Prepared { doc, copy, candidates }
    }

    /// The join features and probability of the article for the story in `slot`.
    fn score_slot(&self, slot: u32, doc: &Doc) -> Option<Candidate> {
        let story = self.slots[slot as usize].as_ref()?;
        let features = story.features(doc);
        let z = scorer::logit(&self.cfg.weights, &features);
        let emb = story.emb_cos(doc).map(|c| (c, story.cross_lang(doc)));
        let p = match emb {
            Some((c, cross)) => scorer::predict(&self.cfg.emb_weights, &scorer::emb_features(z, c, cross)),
            None => scorer::sigmoid(z),
        };
        Some(Candidate { story: story.id.clone(), features, emb, p })
    }

    /// The prepared article scored against one open story (by id or alias), whether or not
    /// retrieval returned it.
    pub fn score_against(&self, prep: &Prepared, story: &str) -> Option<Candidate> {
        self.score_slot(*self.ids.get(story)?, &prep.doc)
    }

    /// Appends the open stories nearest to the article by embedding that the term index did
    /// not return. A scan over open stories: embeddings are optional and cost far more to
    /// compute than this.
    fn add_embedding_candidates(&self, doc: &Doc, ranked: &mut Vec<(u32, f32)>) {
        let mut near: Vec<(u32, f32)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i as u32, s.as_ref()?.emb_cos(doc)?)))
            .filter(|(i, _)| !ranked.iter().any(|r| r.0 == *i))
            .collect();
        let k = self.cfg.emb_candidates.min(near.len());
        if k == 0 {
            return;
        }
        near.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(k);
        near.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.extend(near);
    }

    /// The clusterer's own decision for a prepared article, with the stories to merge.
    pub fn decide(&self, prep: &Prepared) -> (Target, Vec<String>) {
        if let Some((_, story)) = &prep.copy
            && let Some(id) = self.resolve(story)
        {
            return (Target::Story(id.to_string()), vec![]);
        }
        let Some(best) = prep.candidates.first().filter(|c| c.p >= self.cfg.join_threshold) else {
            return (Target::New, vec![]);
        };
        let merges = prep.candidates[1..]
            .iter()
            .filter(|c| c.p >= self.cfg.merge_threshold)
            .map(|c| c.story.clone())
            .collect();
        (Target::Story(best.story.clone()), merges)
    }

    /// Places a prepared article: into `target` (merging `merge` into it), or a new story.
    pub fn commit(
        &mut self,
        article: &Article,
        prep: Prepared,
        target: Target,
        merge: &[String],
    ) -> Assignment {
        let copy_of = prep.copy.as_ref().map(|(orig, _)| orig.clone());
        let doc = prep.doc;
        let mut merges = Vec::new();
        let slot = match target.clone() {
            Target::Story(id) if self.ids.contains_key(&id) => {
                let mut slot = self.ids[&id];
                // The survivor of a merge is the oldest story, so the longest-lived id stays.
                for m in merge {
                    let Some(&other) = self.ids.get(m) else { continue };
                    if other == slot {
                        continue;
                    }
                    let (keep, gone) = if self.older(other, slot) { (other, slot) } else { (slot, other) };
                    let absorbed = self.slot(gone).id.clone();
                    self.absorb(keep, gone);
                    merges.push(StoryMerge { absorbed, into: self.slot(keep).id.clone() });
                    slot = keep;
                }
                self.slots[slot as usize].as_mut().expect("open slot").add(&doc);
                slot
            }
            _ => {
                let id = self.new_story_id(article);
                self.open(Story::new(id, &doc))
            }
        };
        self.index(slot, &doc);
        let story = self.slot(slot).id.clone();
        if let Some(sig) = doc.sig {
            let original = copy_of.clone().unwrap_or_else(|| article.id.clone());
            self.dups.insert(
                sig,
                DupEntry {
                    article: article.id.clone(),
                    original,
                    story: story.clone(),
                    time: doc.time,
                    title: doc.title.clone(),
                },
            );
        }
        Assignment { story, copy_of, merges }
    }

    /// The id a new story started by `article` gets.
    fn new_story_id(&self, article: &Article) -> String {
        let mut id = format!("s-{}", article.id);
        let mut n = 1;
        while self.ids.contains_key(&id) {
            n += 1;
            id = format!("s-{}-{n}", article.id);
        }
        id
    }

    fn slot(&self, s: u32) -> &Story {
        self.slots[s as usize].as_ref().expect("open slot")
    }

    fn older(&self, a: u32, b: u32) -> bool {
        let (x, y) = (self.slot(a), self.slot(b));
        (x.first, &x.id) < (y.first, &y.id)
    }

    fn open(&mut self, story: Story) -> u32 {
        let id = story.id.clone();
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(story);
                s
            }
            None => {
                self.slots.push(Some(story));
                (self.slots.len() - 1) as u32
            }
        };
        self.ids.insert(id, slot);
        slot
    }

    fn index(&mut self, slot: u32, doc: &Doc) {
        let story = self.slots[slot as usize].as_mut().expect("open slot");
        for &(t, _) in doc.top.iter().take(self.cfg.index_terms) {
            if story.indexed.len() >= 400 {
                break;
            }
            if story.indexed.insert(t) {
                self.postings.entry(t).or_default().push(slot);
            }
        }
    }

    fn unindex(&mut self, slot: u32, terms: impl Iterator<Item = u32>) {
        for t in terms {
            if let Some(v) = self.postings.get_mut(&t) {
                v.retain(|&s| s != slot);
                if v.is_empty() {
                    self.postings.remove(&t);
                }
            }
        }
    }

    fn absorb(&mut self, keep: u32, gone: u32) {
        let other = self.slots[gone as usize].take().expect("open slot");
        self.free.push(gone);
        self.unindex(gone, other.indexed.iter().copied());
        for id in std::iter::once(&other.id).chain(&other.aliases) {
            self.ids.insert(id.clone(), keep);
        }
        // In term order, not the set's: which terms fit under the cap must not depend on a
        // hash set's layout, which differs after a restart from a saved state.
        let mut terms: Vec<u32> = other.indexed.iter().copied().collect();
        terms.sort_unstable();
        let story = self.slots[keep as usize].as_mut().expect("open slot");
        let mut added = Vec::new();
        for t in terms {
            if story.indexed.len() < 400 && story.indexed.insert(t) {
                added.push(t);
            }
        }
        story.absorb(other);
        for t in added {
            self.postings.entry(t).or_default().push(keep);
        }
    }

    /// Moves the clock and, at most twice a day of stream time, closes stories inactive for
    /// longer than the window and forgets old near-duplicate signatures.
    fn advance(&mut self, t: f64) {
        if t > self.now {
            self.now = t;
        }
        // Cheap: pops only the entries that fell out of the window or over the cap.
        self.dups.evict_before(self.now - self.cfg.dup_window_days, self.cfg.max_dup_entries);
        let crowded = self.open_stories() > self.cfg.max_open_stories + self.cfg.max_open_stories / 8;
        if self.now - self.last_sweep < 0.5 && !crowded {
            return;
        }
        self.last_sweep = self.now;
        let cutoff = self.now - self.cfg.window_days;
        let mut stale: Vec<u32> = (0..self.slots.len() as u32)
            .filter(|&s| self.slots[s as usize].as_ref().is_some_and(|st| st.last < cutoff))
            .collect();
        let open = self.open_stories() - stale.len();
        if open > self.cfg.max_open_stories {
            // Over the cap: also close the least recently active stories.
            let mut by_last: Vec<(f64, u32)> = (0..self.slots.len() as u32)
                .filter_map(|s| self.slots[s as usize].as_ref().map(|st| (st.last, s)))
                .filter(|(last, _)| *last >= cutoff)
                .collect();
            by_last.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            stale.extend(by_last.iter().take(open - self.cfg.max_open_stories).map(|x| x.1));
        }
        self.close_all(&stale);
        if self.postings.capacity() > 4 * self.postings.len().max(4096) {
            self.postings.shrink_to_fit();
            self.ids.shrink_to_fit();
        }
    }

    /// Closes these stories, in this order. Their keys' posting lists are each filtered once
    /// for all of them: closed one by one, a key that thousands of the closed stories share had
    /// its list of thousands filtered once per story, and a sweep over the cap closes thousands
    /// (4 % of a million-article ingest's CPU was that filtering). The lists keep the order the
    /// one-by-one removals left, so the clustering is the same.
    fn close_all(&mut self, stale: &[u32]) {
        let mut closed = vec![false; self.slots.len()];
        let mut keys: Vec<u32> = Vec::new();
        for &s in stale {
            let Some(story) = self.slots[s as usize].take() else { continue };
            closed[s as usize] = true;
            keys.extend(story.indexed.iter().copied());
            for id in std::iter::once(&story.id).chain(&story.aliases) {
                self.ids.remove(id);
            }
            self.free.push(s);
        }
        keys.sort_unstable();
        keys.dedup();
        for t in keys {
            if let Some(v) = self.postings.get_mut(&t) {
                v.retain(|&s| !closed[s as usize]);
                if v.is_empty() {
                    self.postings.remove(&t);
                }
            }
        }
    }
}

impl OnlineClusterer {
    /// Places a prepared article where the store says it is, whatever this clusterer would
    /// decide.
    fn place_as_stored(&mut self, article: &Article, mut prep: Prepared, story: &str, copy_of: Option<&str>) {
        prep.copy = copy_of.map(|c| (c.to_string(), story.to_string()));
        if let Some(slot) = self.ids.get(story).copied() {
            let id = self.slot(slot).id.clone();
            self.commit(article, prep, Target::Story(id), &[]);
        } else {
            let slot = self.open(Story::new(story.to_string(), &prep.doc));
            self.index(slot, &prep.doc);
            if let Some(sig) = prep.doc.sig {
                let original = copy_of.unwrap_or(&article.id).to_string();
                self.dups.insert(
                    sig,
                    DupEntry {
                        article: article.id.clone(),
                        original,
                        story: story.to_string(),
                        time: prep.doc.time,
                        title: prep.doc.title.clone(),
                    },
                );
            }
        }
    }

    /// [`StoryClusterer::assign`] with the stateless analysis done beforehand: a caller can
    /// run [`Analysed::new`] for the next articles on another core.
    pub fn assign_analysed(&mut self, article: &Article, entities: &[String], a: Analysed) -> Assignment {
        let prep = self.prepare_analysed(article, entities, a);
        let (target, merge) = self.decide(&prep);
        self.commit(article, prep, target, &merge)
    }
}

/// Bumped whenever the clusterer's state changes shape or meaning.
const SNAPSHOT_FORMAT: &str = "newsloom-cluster-state 1";

impl OnlineClusterer {
    /// What a snapshot must have been taken under to be resumed from: the state format and
    /// every setting that changes decisions.
    fn fingerprint(&self) -> [u8; 32] {
        #[cfg(feature = "embed")]
        let embedder = self.embedder.is_some();
        #[cfg(not(feature = "embed"))]
        let embedder = false;
        let what = format!("{SNAPSHOT_FORMAT}\n{:?}\nembedder {embedder}", self.cfg);
        *blake3::hash(what.as_bytes()).as_bytes()
    }
}

impl StoryClusterer for OnlineClusterer {
    fn write_snapshot(&self, out: &mut dyn std::io::Write) -> std::io::Result<bool> {
        out.write_all(&self.fingerprint())?;
        postcard::to_io(self, out).map_err(std::io::Error::other)?;
        Ok(true)
    }

    fn read_snapshot(&mut self, input: &mut dyn std::io::Read) -> bool {
        let mut fingerprint = [0u8; 32];
        if input.read_exact(&mut fingerprint).is_err() || fingerprint != self.fingerprint() {
            return false;
        }
        // Room for the longest single string of the state (an id, a term, a title).
        let mut scratch = vec![0u8; 1 << 20];
        let Ok((mut restored, _)) = postcard::from_io::<OnlineClusterer, _>((input, &mut scratch[..])) else {
            return false;
        };
        restored.cfg = self.cfg.clone();
        #[cfg(feature = "embed")]
        {
            restored.embedder = self.embedder.take();
        }
        *self = restored;
        true
    }

    fn assign(&mut self, article: &Article, entities: &[String]) -> Assignment {
        let prep = self.prepare(article, entities);
        let (target, merge) = self.decide(&prep);
        self.commit(article, prep, target, &merge)
    }

    fn warm(&mut self, article: &Article) {
        let now = if self.now.is_finite() { self.now } else { 0.0 };
        // Building the document counts its terms in the IDF; the document itself is dropped.
        crate::doc::Doc::build(article, &[], &mut self.corpus, now);
    }

    fn restore(&mut self, article: &Article, entities: &[String], story: &str, copy_of: Option<&str>) {
        let prep = self.prepare(article, entities);
        self.place_as_stored(article, prep, story, copy_of);
    }

    fn replay(
        &mut self,
        article: &Article,
        entities: &[String],
        story: &str,
        copy_of: Option<&str>,
        agrees: &mut dyn FnMut(&str) -> bool,
    ) -> bool {
        let prep = self.prepare(article, entities);
        let (target, merge) = self.decide(&prep);
        let named = match &target {
            Target::Story(id) if self.ids.contains_key(id) => id.clone(),
            _ => self.new_story_id(article),
        };
        let same_copy = prep.copy.as_ref().map(|(orig, _)| orig.as_str()) == copy_of;
        if same_copy && agrees(&named) {
            self.commit(article, prep, target, &merge);
            true
        } else {
            self.place_as_stored(article, prep, story, copy_of);
            false
        }
    }
}
