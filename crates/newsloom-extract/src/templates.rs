//! Per-source template learning: lines (and short HTML blocks) that recur across many pages of
//! one source are that source's chrome. Counts are learned online from what was extracted and
//! consulted for the source's next pages.

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

#[derive(Default)]
struct SourceStats {
    pages: u32,
    lines: HashMap<u64, u32>,
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

fn key_hash(key: &str) -> u64 {
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
}
