//! The state kept for one open story, and the similarity features between it and an article.

use std::collections::VecDeque;

use rustc_hash::FxHashSet;

use crate::doc::{Doc, Sparse};

/// Number of features the join scorer sees (index 0 is the constant 1).
pub const NF: usize = 35;

/// Names of the features, in order (for the trainer's report).
pub const FEATURE_NAMES: [&str; NF] = [
    "bias",
    "cos_centroid",
    "cos_max_recent",
    "cos_title",
    "name_cover",
    "name_cos",
    "num_cover",
    "log_gap_last",
    "log_gap_first",
    "log_size",
    "same_source",
    "cos_x_names",
    "title_cover",
    "max_shared_name_idf",
    "log_rare_shared",
    "same_day",
    "gap_x_cos",
    "gap_x_name_cos",
    "gap_x_max_name",
    "date_match",
    "gap_x_date_match",
    "mentions_dates",
    "date_match_x_cos",
    "max_name_x_cos",
    "rare_x_cos",
    "gap_1_3",
    "gap_3_7",
    "gap_7_30",
    "gap_over_30",
    "age_match",
    "age_conflict",
    "place_match",
    "place_conflict",
    "cos_title_max",
    "title_x_bad_body",
];

/// Member vectors kept per story for the max-similarity feature.
const RECENT: usize = 4;
/// Caps that bound a story's memory however many articles join it.
const MAX_CENTROID: usize = 600;
const MAX_NAMES: usize = 400;
const MAX_SOURCES: usize = 64;
const MAX_DATES: usize = 64;
const MEMBER_TERMS: usize = 100;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Story {
    pub id: String,
    /// Ids of stories merged into this one (they redirect here).
    pub aliases: Vec<String>,
    /// Summed member vectors, sorted by term.
    centroid: Sparse,
    cnorm: f32,
    title: Sparse,
    tnorm: f32,
    recent: VecDeque<(f64, Sparse)>,
    /// Headline vectors of the most recent members.
    recent_titles: VecDeque<Sparse>,
    /// Name terms with their weight when first seen, sorted by term.
    names: Sparse,
    names_sq: f32,
    nums: Sparse,
    pub first: f64,
    pub last: f64,
    pub size: u32,
    sources: Vec<u64>,
    /// Calendar days (since 1970-01-01) the story happened on: its articles' dates and the
    /// two days before, and dates its articles mention.
    dates: Vec<i32>,
    /// Ages its articles state (sorted, capped).
    ages: Vec<u16>,
    /// Dateline places of its articles.
    places: Vec<u64>,
    /// Terms under which the story is in the inverted index.
    pub indexed: FxHashSet<u32>,
    /// Sum of its articles' sentence embeddings (empty when none had one).
    emb_sum: Vec<f32>,
    emb_norm: f32,
    /// Language keys of its articles.
    langs: Vec<u64>,
}

/// Adds `v` into `acc` (both sorted by term) and returns the new norm. Sorted vectors rather
/// than hash maps: scoring an article against a candidate is then a sequential merge, not a
/// few hundred random probes into tables spread over memory (the hot spot of clustering).
fn add_into(acc: &mut Sparse, v: &[(u32, f32)], cap: usize) -> f32 {
    let mut out = Vec::with_capacity(acc.len() + v.len());
    let (mut i, mut j) = (0, 0);
    while i < acc.len() && j < v.len() {
        match acc[i].0.cmp(&v[j].0) {
            std::cmp::Ordering::Less => {
                out.push(acc[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(v[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((acc[i].0, acc[i].1 + v[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&acc[i..]);
    out.extend_from_slice(&v[j..]);
    if out.len() > cap {
        // Keep the heaviest terms: the tail of a big story's centroid barely moves a cosine.
        out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(cap * 2 / 3);
        out.sort_unstable_by_key(|x| x.0);
    }
    *acc = out;
    acc.iter().map(|(_, w)| w * w).sum::<f32>().sqrt()
}

/// Adds the terms of `v` missing from `set` (both sorted by term), in term order, while `set`
/// holds fewer than `cap`; returns the sum of squared weights added.
fn insert_new(set: &mut Sparse, v: &[(u32, f32)], cap: usize) -> f32 {
    let mut known = Merge::new(set);
    let mut new: Sparse = Vec::new();
    for &(t, w) in v {
        if set.len() + new.len() >= cap {
            break;
        }
        if !known.contains(t) {
            new.push((t, w));
        }
    }
    if new.is_empty() {
        return 0.0;
    }
    let added = new.iter().map(|(_, w)| w * w).sum();
    // Both runs are sorted and disjoint: merge them.
    let old = std::mem::take(set);
    let (mut i, mut j) = (0, 0);
    set.reserve(old.len() + new.len());
    while i < old.len() || j < new.len() {
        if j == new.len() || (i < old.len() && old[i].0 < new[j].0) {
            set.push(old[i]);
            i += 1;
        } else {
            set.push(new[j]);
            j += 1;
        }
    }
    added
}

/// Membership tests of ascending keys against a term-sorted vector, in one forward pass.
struct Merge<'a> {
    v: &'a [(u32, f32)],
    i: usize,
}

impl<'a> Merge<'a> {
    fn new(v: &'a [(u32, f32)]) -> Self {
        Merge { v, i: 0 }
    }

    /// Whether `t` is in the vector; keys must come in ascending order.
    fn contains(&mut self, t: u32) -> bool {
        while self.i < self.v.len() && self.v[self.i].0 < t {
            self.i += 1;
        }
        self.i < self.v.len() && self.v[self.i].0 == t
    }
}

fn cos_sparse(acc: &[(u32, f32)], norm: f32, v: &[(u32, f32)]) -> f32 {
    if norm <= 0.0 {
        return 0.0;
    }
    crate::doc::dot(acc, v) / norm
}

impl Story {
    pub fn new(id: String, doc: &Doc) -> Story {
        let mut s = Story {
            id,
            aliases: Vec::new(),
            centroid: Vec::new(),
            cnorm: 0.0,
            title: Vec::new(),
            tnorm: 0.0,
            recent: VecDeque::new(),
            recent_titles: VecDeque::new(),
            names: Vec::new(),
            names_sq: 0.0,
            nums: Vec::new(),
            first: doc.time,
            last: doc.time,
            size: 0,
            sources: Vec::new(),
            dates: Vec::new(),
            ages: Vec::new(),
            places: Vec::new(),
            indexed: FxHashSet::default(),
            emb_sum: Vec::new(),
            emb_norm: 0.0,
            langs: Vec::new(),
        };
        s.add(doc);
        s
    }

    pub fn add(&mut self, doc: &Doc) {
        self.cnorm = add_into(&mut self.centroid, &doc.terms, MAX_CENTROID);
        self.tnorm = add_into(&mut self.title, &doc.title, MAX_CENTROID / 4);
        // Members are kept by their heaviest terms only: enough for a max-cosine feature.
        let mut kept = doc.terms.clone();
        if kept.len() > MEMBER_TERMS {
            kept.select_nth_unstable_by(MEMBER_TERMS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            kept.truncate(MEMBER_TERMS);
        }
        self.recent.push_back((doc.time, kept));
        self.recent_titles.push_back(doc.title.clone());
        if self.recent_titles.len() > RECENT {
            self.recent_titles.pop_front();
        }
        if self.recent.len() > RECENT {
            self.recent.pop_front();
        }
        self.names_sq += insert_new(&mut self.names, &doc.names, MAX_NAMES);
        insert_new(&mut self.nums, &doc.nums, MAX_NAMES);
        self.first = self.first.min(doc.time);
        self.last = self.last.max(doc.time);
        self.size += 1;
        if self.dates.len() < MAX_DATES {
            for back in 0..3 {
                self.dates.push((doc.time.floor() - back as f64) as i32);
            }
            self.dates.extend(doc.mentioned.iter().take(8));
            self.dates.sort_unstable();
            self.dates.dedup();
        }
        if let Some(p) = doc.dateline
            && self.places.len() < 16
            && !self.places.contains(&p)
        {
            self.places.push(p);
        }
        if self.ages.len() < 32 {
            self.ages.extend(&doc.ages);
            self.ages.sort_unstable();
            self.ages.dedup();
        }
        if self.sources.len() < MAX_SOURCES && !self.sources.contains(&doc.source) {
            self.sources.push(doc.source);
        }
        if let Some(e) = &doc.emb {
            self.add_emb(e);
        }
        if doc.lang != 0 && self.langs.len() < 16 && !self.langs.contains(&doc.lang) {
            self.langs.push(doc.lang);
        }
    }

    fn add_emb(&mut self, e: &[f32]) {
        if self.emb_sum.is_empty() {
            self.emb_sum = vec![0.0; e.len()];
        }
        if self.emb_sum.len() == e.len() {
            self.emb_sum.iter_mut().zip(e).for_each(|(s, x)| *s += x);
            self.emb_norm = self.emb_sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        }
    }

    /// Cosine between the article's embedding and the story's mean embedding, when both exist.
    pub fn emb_cos(&self, doc: &Doc) -> Option<f32> {
        let e = doc.emb.as_deref()?;
        if self.emb_norm <= 0.0 || e.len() != self.emb_sum.len() {
            return None;
        }
        Some(e.iter().zip(&self.emb_sum).map(|(a, b)| a * b).sum::<f32>() / self.emb_norm)
    }

    /// No article of the story is in the article's (known) language.
    pub fn cross_lang(&self, doc: &Doc) -> bool {
        doc.lang != 0 && !self.langs.is_empty() && !self.langs.contains(&doc.lang)
    }

    /// Folds `other` into this story (its id becomes an alias).
    pub fn absorb(&mut self, other: Story) {
        self.cnorm = add_into(&mut self.centroid, &other.centroid, MAX_CENTROID);
        self.tnorm = add_into(&mut self.title, &other.title, MAX_CENTROID / 4);
        self.recent.extend(other.recent);
        self.recent.make_contiguous().sort_by(|a, b| a.0.total_cmp(&b.0));
        while self.recent.len() > RECENT {
            self.recent.pop_front();
        }
        self.recent_titles.extend(other.recent_titles);
        while self.recent_titles.len() > RECENT {
            self.recent_titles.pop_front();
        }
        self.names_sq += insert_new(&mut self.names, &other.names, MAX_NAMES);
        insert_new(&mut self.nums, &other.nums, MAX_NAMES);
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.size += other.size;
        self.dates.extend(other.dates);
        self.dates.sort_unstable();
        self.dates.dedup();
        self.dates.truncate(MAX_DATES * 2);
        self.ages.extend(other.ages);
        self.ages.sort_unstable();
        self.ages.dedup();
        self.ages.truncate(64);
        for p in other.places {
            if self.places.len() < 32 && !self.places.contains(&p) {
                self.places.push(p);
            }
        }
        for s in other.sources {
            if self.sources.len() < MAX_SOURCES && !self.sources.contains(&s) {
                self.sources.push(s);
            }
        }
        if !other.emb_sum.is_empty() {
            self.add_emb(&other.emb_sum);
        }
        for l in other.langs {
            if self.langs.len() < 16 && !self.langs.contains(&l) {
                self.langs.push(l);
            }
        }
        self.aliases.push(other.id);
        self.aliases.extend(other.aliases);
    }

    /// Similarity features between this story and an article (see [`FEATURE_NAMES`]).
    pub fn features(&self, doc: &Doc) -> [f32; NF] {
        let cos_c = cos_sparse(&self.centroid, self.cnorm, &doc.terms);
        let cos_m = self.recent.iter().map(|(_, v)| doc.table.dot(v)).fold(0.0f32, f32::max);
        let cos_t = cos_sparse(&self.title, self.tnorm, &doc.title);
        let cos_tm = self.recent_titles.iter().map(|t| crate::doc::dot(t, &doc.title)).fold(0.0f32, f32::max);
        let (mut shared, mut shared_sq, mut mass, mut mass_sq) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
        let (mut max_shared, mut rare) = (0.0f32, 0.0f32);
        let idf_max = doc.idf_max.max(1.0);
        let mut known = Merge::new(&self.names);
        for &(t, w) in &doc.names {
            mass += w;
            mass_sq += w * w;
            if known.contains(t) {
                shared += w;
                shared_sq += w * w;
                max_shared = max_shared.max(w / idf_max);
                if w >= 0.6 * idf_max {
                    rare += 1.0;
                }
            }
        }
        let title_cover: f32 = doc
            .title
            .iter()
            .filter(|(t, _)| self.centroid.binary_search_by_key(t, |x| x.0).is_ok())
            .map(|(_, w)| w * w)
            .sum();
        let name_cover = if mass > 0.0 { shared / mass } else { 0.0 };
        let name_cos = if mass_sq > 0.0 && self.names_sq > 0.0 {
            shared_sq / (mass_sq * self.names_sq).sqrt()
        } else {
            0.0
        };
        let (mut nshared, mut nmass) = (0.0f32, 0.0f32);
        let mut known = Merge::new(&self.nums);
        for &(t, w) in &doc.nums {
            nmass += w;
            if known.contains(t) {
                nshared += w;
            }
        }
        let num_cover = if nmass > 0.0 { nshared / nmass } else { 0.0 };
        let gap_last = (doc.time - self.last).abs().min(self.recent_gap(doc.time)) as f32;
        let gap_first = (doc.time - self.first).abs() as f32;
        let place_match = doc.dateline.is_some_and(|p| self.places.contains(&p));
        let age_match = doc.ages.iter().any(|a| self.ages.binary_search(a).is_ok());
        let date_match =
            if doc.mentioned.iter().any(|d| self.dates.binary_search(d).is_ok()) { 1.0 } else { 0.0 };
        [
            1.0,
            cos_c,
            cos_m,
            cos_t,
            name_cover,
            name_cos,
            num_cover,
            gap_last.ln_1p(),
            gap_first.ln_1p(),
            (self.size as f32).ln_1p(),
            if self.sources.contains(&doc.source) { 1.0 } else { 0.0 },
            cos_c.max(cos_m) * name_cover,
            title_cover,
            max_shared,
            rare.ln_1p(),
            if gap_last < 1.0 { 1.0 } else { 0.0 },
            gap_last.ln_1p() * cos_c.max(cos_m),
            gap_last.ln_1p() * name_cos,
            gap_last.ln_1p() * max_shared,
            date_match,
            date_match * gap_last.ln_1p(),
            if doc.mentioned.is_empty() { 0.0 } else { 1.0 },
            date_match * cos_c.max(cos_m),
            max_shared * cos_c.max(cos_m),
            rare.ln_1p() * cos_c.max(cos_m),
            if (1.0..3.0).contains(&gap_last) { 1.0 } else { 0.0 },
            if (3.0..7.0).contains(&gap_last) { 1.0 } else { 0.0 },
            if (7.0..30.0).contains(&gap_last) { 1.0 } else { 0.0 },
            if gap_last >= 30.0 { 1.0 } else { 0.0 },
            if age_match { 1.0 } else { 0.0 },
            if !age_match && !doc.ages.is_empty() && !self.ages.is_empty() { 1.0 } else { 0.0 },
            if place_match { 1.0 } else { 0.0 },
            if !place_match && doc.dateline.is_some() && !self.places.is_empty() { 1.0 } else { 0.0 },
            cos_tm,
            cos_t.max(cos_tm) * (1.0 - doc.title_in_body),
        ]
    }

    fn recent_gap(&self, t: f64) -> f64 {
        self.recent.iter().map(|(rt, _)| (t - rt).abs()).fold(f64::INFINITY, f64::min)
    }
}
