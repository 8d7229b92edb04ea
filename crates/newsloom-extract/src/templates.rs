//! Per-source template learning: lines (and short HTML blocks) that recur across many pages of
//! one source are that source's chrome. Counts are learned online from what was extracted and
//! consulted for the source's next pages.
//!
//! HTML blocks are also learned by DOM path (tag + class path, see `html::content::path_key`):
//! a path that recurs on many pages of the source while holding the same few texts (a promo
//! box rotating among a few variants, a footer whose year changes) is chrome, so a block at
//! that path is dropped even when its text is new. Paths holding different text on every page
//! (the article's paragraphs) never qualify.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::RwLock;

/// A line must have been seen on this many pages of the source before it counts as chrome...
const MIN_PAGES: u32 = 3;
/// ...and on at least this share of them.
const MIN_SHARE: f32 = 0.3;
/// Bounds on memory: sources tracked, lines tracked per source.
const MAX_SOURCES: usize = 5_000;
const MAX_LINES: usize = 20_000;
const MAX_PATHS: usize = 5_000;
/// Distinct texts remembered per path; a path that reaches this many is content.
const MAX_PATH_TEXTS: usize = 16;

#[derive(Default)]
struct SourceStats {
    pages: u32,
    lines: HashMap<u64, u32>,
    /// Per DOM path: pages it appeared on and the distinct texts it held (capped).
    paths: HashMap<u64, (u32, Vec<u64>)>,
}

/// Learned chrome per source. Shared by all threads of one extractor.
#[derive(Default)]
pub struct Templates {
    sources: RwLock<HashMap<String, SourceStats>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.sources.read().map(|s| s.len()).unwrap_or(0);
        write!(f, "Templates({n} sources)")
    }
}

/// Hash of a line key or DOM path key.
pub fn key_hash(key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

impl Templates {
    /// A snapshot predicate for one page: is this normalised line chrome for `source`?
    pub fn chrome_set(&self, source: &str) -> Option<(u32, Vec<u64>)> {
        let sources = self.sources.read().ok()?;
        let stats = sources.get(source)?;
        if stats.pages < MIN_PAGES {
            return None;
        }
        let min = MIN_PAGES.max((stats.pages as f32 * MIN_SHARE).ceil() as u32);
        let mut chrome: Vec<u64> = stats.lines.iter().filter(|&(_, &c)| c >= min).map(|(&h, _)| h).collect();
        chrome.sort_unstable();
        Some((stats.pages, chrome))
    }

    /// Records the distinct normalised lines of one page of `source`.
    pub fn learn<'a>(&self, source: &str, keys: impl Iterator<Item = &'a str>) {
        let mut hashes: Vec<u64> = keys.filter(|k| k.len() <= 300).map(key_hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let Ok(mut sources) = self.sources.write() else { return };
        if !sources.contains_key(source) && sources.len() >= MAX_SOURCES {
            return;
        }
        let stats = sources.entry(source.to_string()).or_default();
        stats.pages += 1;
        for h in hashes {
            if stats.lines.len() < MAX_LINES || stats.lines.contains_key(&h) {
                *stats.lines.entry(h).or_default() += 1;
            }
        }
        if stats.lines.len() >= MAX_LINES {
            // Forget one-off lines so recurring ones can still be learned.
            stats.lines.retain(|_, c| *c > 1);
        }
    }
}

impl Templates {
    /// Chrome DOM paths of `source` (sorted hashes): seen on at least 3 pages and 30% of the
    /// source's pages (as for lines), holding at most one distinct text per two pages.
    pub fn chrome_paths(&self, source: &str) -> Vec<u64> {
        let Ok(sources) = self.sources.read() else { return Vec::new() };
        let Some(stats) = sources.get(source).filter(|s| s.pages >= MIN_PAGES) else { return Vec::new() };
        let min = MIN_PAGES.max((stats.pages as f32 * MIN_SHARE).ceil() as u32);
        let mut out: Vec<u64> = stats
            .paths
            .iter()
            .filter(|(_, (pages, texts))| {
                *pages >= min && texts.len() < MAX_PATH_TEXTS && texts.len() as u32 * 2 <= *pages
            })
            .map(|(&h, _)| h)
            .collect();
        out.sort_unstable();
        out
    }

    /// Records one page's blocks as `(path hash, text hash)` pairs; a path's texts on the page
    /// are combined into one. Call once per page, alongside [`Templates::learn`] (which counts
    /// the page).
    pub fn learn_paths(&self, source: &str, blocks: &[(u64, u64)]) {
        let mut per_path: HashMap<u64, u64> = HashMap::new();
        for &(p, t) in blocks {
            let e = per_path.entry(p).or_default();
            *e = e.rotate_left(7) ^ t;
        }
        let Ok(mut sources) = self.sources.write() else { return };
        if !sources.contains_key(source) && sources.len() >= MAX_SOURCES {
            return;
        }
        let stats = sources.entry(source.to_string()).or_default();
        for (p, t) in per_path {
            if stats.paths.len() >= MAX_PATHS && !stats.paths.contains_key(&p) {
                continue;
            }
            let (pages, texts) = stats.paths.entry(p).or_default();
            *pages += 1;
            if texts.len() < MAX_PATH_TEXTS && !texts.contains(&t) {
                texts.push(t);
            }
        }
        if stats.paths.len() >= MAX_PATHS {
            stats.paths.retain(|_, (pages, _)| *pages > 1);
        }
    }
}

/// Membership test against a [`Templates::chrome_set`] snapshot.
pub fn is_chrome(set: &[u64], key: &str) -> bool {
    set.binary_search(&key_hash(key)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurring_lines_become_chrome() {
        let t = Templates::default();
        for i in 0..4 {
            let own = format!("story line {i}");
            t.learn("site", ["subscribe now", own.as_str()].into_iter());
        }
        let (_, set) = t.chrome_set("site").unwrap();
        assert!(is_chrome(&set, "subscribe now"));
        assert!(!is_chrome(&set, "story line 1"));
        assert!(t.chrome_set("other").is_none());
    }

    #[test]
    fn paths_with_few_texts_become_chrome_and_varied_paths_do_not() {
        let t = Templates::default();
        let (promo, body) = (key_hash("div.promo>p"), key_hash("article>p"));
        for i in 0..6u64 {
            // The promo rotates between two texts; the body differs on every page.
            t.learn_paths("site", &[(promo, i % 2), (body, 100 + i), (body, 200 + i)]);
            t.learn("site", std::iter::empty());
        }
        let chrome = t.chrome_paths("site");
        assert_eq!(chrome, vec![promo]);
        assert!(t.chrome_paths("other").is_empty());
    }
}
