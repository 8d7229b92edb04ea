//! Per-source template learning: lines (and short HTML blocks) that recur across many pages of
//! one source are that source's chrome. Counts are learned online from what was extracted and
//! consulted for the source's next pages.
//!
//! HTML blocks are also learned by DOM path (tag + class path, see `html::paths::path_key`):
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

/// A source's learnt chrome as of one moment (sorted hashes): the lines and the DOM paths a
/// page of the source drops.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chrome {
    pub lines: Vec<u64>,
    pub paths: Vec<u64>,
}

/// What one page of a source teaches: its distinct short lines (hashes of normalised keys) and
/// its blocks as `(path hash, text hash)` pairs, sorted by path (stably: a path's texts stay in
/// page order), as [`Templates::learn`] reads them.
#[derive(Debug, Clone, Default)]
pub struct Lesson {
    source: String,
    lines: Vec<u64>,
    paths: Vec<(u64, u64)>,
}

impl Lesson {
    /// A lesson of `source` from normalised line keys (longer ones are never chrome) and blocks.
    pub fn new<'a>(source: &str, keys: impl Iterator<Item = &'a str>, mut paths: Vec<(u64, u64)>) -> Self {
        let mut lines: Vec<u64> = keys.filter(|k| k.len() <= 300).map(key_hash).collect();
        lines.sort_unstable();
        lines.dedup();
        // Stable, so which paths are recorded when the table is full does not depend on hashing
        // order.
        paths.sort_by_key(|&(p, _)| p);
        Self { source: source.to_string(), lines, paths }
    }
}

impl Templates {
    /// The chrome `source` has learnt so far (empty below [`MIN_PAGES`] pages).
    pub fn chrome(&self, source: &str) -> Chrome {
        let Ok(sources) = self.sources.read() else { return Chrome::default() };
        let Some(stats) = sources.get(source).filter(|s| s.pages >= MIN_PAGES) else {
            return Chrome::default();
        };
        let min = MIN_PAGES.max((stats.pages as f32 * MIN_SHARE).ceil() as u32);
        let mut lines: Vec<u64> = stats.lines.iter().filter(|&(_, &c)| c >= min).map(|(&h, _)| h).collect();
        lines.sort_unstable();
        // Paths: on as many pages as for lines, holding at most one distinct text per two pages.
        let mut paths: Vec<u64> = stats
            .paths
            .iter()
            .filter(|(_, (pages, texts))| {
                *pages >= min && texts.len() < MAX_PATH_TEXTS && texts.len() as u32 * 2 <= *pages
            })
            .map(|(&h, _)| h)
            .collect();
        paths.sort_unstable();
        Chrome { lines, paths }
    }

    /// Records one page: counts the page, its lines, and its blocks per path (a path's texts on
    /// the page are combined into one).
    pub fn learn(&self, lesson: &Lesson) {
        let Ok(mut sources) = self.sources.write() else { return };
        if !sources.contains_key(&lesson.source) && sources.len() >= MAX_SOURCES {
            return;
        }
        let stats = sources.entry(lesson.source.clone()).or_default();
        stats.pages += 1;
        for &h in &lesson.lines {
            if stats.lines.len() < MAX_LINES || stats.lines.contains_key(&h) {
                *stats.lines.entry(h).or_default() += 1;
            }
        }
        if stats.lines.len() >= MAX_LINES {
            // Forget one-off lines so recurring ones can still be learned.
            stats.lines.retain(|_, c| *c > 1);
        }
        // By path: `Lesson::new` sorted them.
        let mut per_path: Vec<(u64, u64)> = Vec::with_capacity(lesson.paths.len());
        for &(p, t) in &lesson.paths {
            match per_path.last_mut() {
                Some((q, e)) if *q == p => *e = e.rotate_left(7) ^ t,
                _ => per_path.push((p, t)),
            }
        }
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

impl Templates {
    /// The learnt state as bytes, for [`Templates::restore`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let Ok(sources) = self.sources.read() else { return Vec::new() };
        let mut out = Vec::new();
        let put = |out: &mut Vec<u8>, v: u64| out.extend_from_slice(&v.to_le_bytes());
        put(&mut out, sources.len() as u64);
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        for name in names {
            let stats = &sources[name];
            put(&mut out, name.len() as u64);
            out.extend_from_slice(name.as_bytes());
            put(&mut out, stats.pages as u64);
            // In key order: the same state always gives the same bytes.
            let mut lines: Vec<(&u64, &u32)> = stats.lines.iter().collect();
            lines.sort_unstable();
            put(&mut out, lines.len() as u64);
            for (&h, &c) in lines {
                put(&mut out, h);
                put(&mut out, c as u64);
            }
            let mut paths: Vec<_> = stats.paths.iter().collect();
            paths.sort_unstable_by_key(|(p, _)| **p);
            put(&mut out, paths.len() as u64);
            for (&p, (pages, texts)) in paths {
                put(&mut out, p);
                put(&mut out, *pages as u64);
                put(&mut out, texts.len() as u64);
                for &t in texts {
                    put(&mut out, t);
                }
            }
        }
        out
    }

    /// Replaces the learnt state with one written by [`Templates::to_bytes`]; `false` (and the
    /// state left as it was) when the bytes are not one.
    pub fn restore(&self, bytes: &[u8]) -> bool {
        let Some(read) = Self::read(bytes) else { return false };
        let Ok(mut sources) = self.sources.write() else { return false };
        *sources = read;
        true
    }

    fn read(bytes: &[u8]) -> Option<HashMap<String, SourceStats>> {
        let mut at = Cursor(bytes);
        // Counts above what a state can hold are refused before anything is allocated.
        let n = at.num().filter(|&n| n <= MAX_SOURCES as u64)?;
        let mut sources = HashMap::with_capacity(n as usize);
        for _ in 0..n {
            let len = at.num().filter(|&l| l <= 1 << 16)? as usize;
            let name = String::from_utf8(at.take(len)?.to_vec()).ok()?;
            let pages = u32::try_from(at.num()?).ok()?;
            let n_lines = at.num().filter(|&l| l <= MAX_LINES as u64)?;
            let mut lines = HashMap::with_capacity(n_lines as usize);
            for _ in 0..n_lines {
                let h = at.num()?;
                lines.insert(h, u32::try_from(at.num()?).ok()?);
            }
            let n_paths = at.num().filter(|&l| l <= MAX_PATHS as u64)?;
            let mut paths = HashMap::with_capacity(n_paths as usize);
            for _ in 0..n_paths {
                let p = at.num()?;
                let pages = u32::try_from(at.num()?).ok()?;
                let n_texts = at.num().filter(|&l| l <= MAX_PATH_TEXTS as u64)?;
                let texts = (0..n_texts).map(|_| at.num()).collect::<Option<Vec<u64>>>()?;
                paths.insert(p, (pages, texts));
            }
            sources.insert(name, SourceStats { pages, lines, paths });
        }
        at.0.is_empty().then_some(sources)
    }
}

/// Reads a [`Templates::to_bytes`] state front to back.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }

    fn num(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// Membership test against a [`Templates::chrome_set`] snapshot.
pub fn is_chrome(set: &[u64], key: &str) -> bool {
    set.binary_search(&key_hash(key)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str, lines: &[&str], paths: &[(u64, u64)]) -> Lesson {
        Lesson::new(source, lines.iter().copied(), paths.to_vec())
    }

    #[test]
    fn recurring_lines_become_chrome() {
        let t = Templates::default();
        for i in 0..4 {
            let own = format!("story line {i}");
            t.learn(&page("site", &["subscribe now", &own], &[]));
        }
        let chrome = t.chrome("site");
        assert!(is_chrome(&chrome.lines, "subscribe now"));
        assert!(!is_chrome(&chrome.lines, "story line 1"));
        assert_eq!(t.chrome("other"), Chrome::default());
    }

    #[test]
    fn paths_with_few_texts_become_chrome_and_varied_paths_do_not() {
        let t = Templates::default();
        let (promo, body) = (key_hash("div.promo>p"), key_hash("article>p"));
        for i in 0..6u64 {
            // The promo rotates between two texts; the body differs on every page.
            t.learn(&page("site", &[], &[(promo, i % 2), (body, 100 + i), (body, 200 + i)]));
        }
        assert_eq!(t.chrome("site").paths, vec![promo]);
        assert!(t.chrome("other").paths.is_empty());
    }

    #[test]
    fn a_restored_state_learns_and_decides_as_the_original() {
        let (a, b) = (Templates::default(), Templates::default());
        let promo = key_hash("div.promo>p");
        for i in 0..5u64 {
            let own = format!("line {i}");
            let p = page(if i % 2 == 0 { "one" } else { "two" }, &["menu", &own], &[(promo, i % 2), (i, i)]);
            a.learn(&p);
        }
        assert!(b.restore(&a.to_bytes()));
        assert_eq!(a.to_bytes(), b.to_bytes());
        let next = page("one", &["menu", "line 9"], &[(promo, 0)]);
        a.learn(&next);
        b.learn(&next);
        assert_eq!((a.chrome("one"), a.chrome("two")), (b.chrome("one"), b.chrome("two")));
        assert!(is_chrome(&b.chrome("one").lines, "menu"));
        // Not a state: refused, and what was learnt stays.
        let bytes = a.to_bytes();
        assert!(!b.restore(&bytes[..bytes.len() - 3]));
        assert!(!b.restore(b"nonsense"));
        assert!(is_chrome(&b.chrome("one").lines, "menu"));
    }
}
