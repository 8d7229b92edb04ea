//! An article reduced to what the clusterer compares: TF-IDF vectors (IDF kept online),
//! name-like and number tokens, its time, its outlet and its MinHash signature.

use newsloom_model::Article;
use rustc_hash::FxHashMap;

use crate::minhash::{self, Signature};
use crate::text::{self, Token};

/// Size of the hashed document-frequency table (fixed, so memory does not grow with vocabulary).
const DF_BITS: u32 = 20;
const DF_MASK: u32 = (1 << DF_BITS) - 1;
/// Only the first this-many bytes of a body are read: long pages (cut at 100k) add cost, not signal.
const MAX_BODY_BYTES: usize = 30_000;
/// Retrieval keys per article: distinctive terms, then rare names.
pub const TOP_TERMS: usize = 32;
pub const TOP_NAMES: usize = 8;
pub const TOP_TITLE: usize = 10;
/// Terms kept per article vector.
const MAX_TERMS: usize = 250;

/// Document frequencies seen so far, for IDF maintained online.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Idf {
    df: Vec<u32>,
    n: u64,
}

impl Default for Idf {
    fn default() -> Self {
        Self { df: vec![0; 1 << DF_BITS], n: 0 }
    }
}

impl Idf {
    /// Counts one document with these distinct terms.
    pub fn observe(&mut self, distinct: impl Iterator<Item = u32>) {
        self.n += 1;
        for t in distinct {
            let d = &mut self.df[(t & DF_MASK) as usize];
            *d = d.saturating_add(1);
        }
    }

    /// Smoothed IDF, as scikit-learn computes it: ln((n+1)/(df+1)) + 1.
    pub fn idf(&self, t: u32) -> f32 {
        let df = self.df[(t & DF_MASK) as usize] as f64;
        (((self.n as f64 + 1.0) / (df + 1.0)).ln() + 1.0) as f32
    }

    /// IDF of a term never seen.
    pub fn idf_max(&self) -> f32 {
        ((self.n as f64 + 1.0).ln() + 1.0) as f32
    }

    pub fn docs(&self) -> u64 {
        self.n
    }
}

/// What the clusterer has learnt about the stream itself: document frequencies and which
/// lines and title segments keep recurring (page furniture: "Click here", outlet names).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Corpus {
    pub idf: Idf,
    /// Saturating counts of hashed lines / title segments seen in earlier articles.
    seen: Vec<u8>,
    /// Articles counted since the counts were last halved.
    since_decay: u32,
}

impl Default for Corpus {
    fn default() -> Self {
        Self { idf: Idf::default(), seen: vec![0; 1 << SEEN_BITS], since_decay: 0 }
    }
}

impl Corpus {
    fn count(&self, h: u64) -> u8 {
        self.seen[(h as usize) & SEEN_MASK]
    }

    /// Called once per article: counts are halved periodically so a long stream neither
    /// fills the table with collisions nor remembers furniture that stopped recurring.
    fn tick(&mut self) {
        self.since_decay += 1;
        if self.since_decay >= DECAY_EVERY {
            self.since_decay = 0;
            self.seen.iter_mut().for_each(|c| *c /= 2);
        }
    }

    /// Forgets which lines recur (keeps the document frequencies): for comparing articles
    /// two at a time, where a line both share is content, not page furniture.
    pub fn forget_lines(&mut self) {
        self.seen.iter_mut().for_each(|c| *c = 0);
        self.since_decay = 0;
    }

    fn bump(&mut self, h: u64) {
        let c = &mut self.seen[(h as usize) & SEEN_MASK];
        *c = c.saturating_add(1);
    }
}

/// Size of the line / title-segment count table, and how often its counts are halved: at
/// ~20 lines an article, 20k articles fill about a tenth of the 4M slots.
const SEEN_BITS: u32 = 22;
const SEEN_MASK: usize = (1 << SEEN_BITS) - 1;
const DECAY_EVERY: u32 = 20_000;

/// Lines seen in at least this many earlier articles are furniture, not content.
const BOILERPLATE_LINE: u8 = 2;

/// Title separators before outlet names ("… - WALB.com, South Georgia News").
const TITLE_SEPS: [&str; 5] = [" - ", " | ", " – ", " — ", " :: "];

fn title_segments(title: &str) -> Vec<&str> {
    let mut segs = vec![title];
    for sep in TITLE_SEPS {
        segs = segs.iter().flat_map(|s| s.split(sep)).collect();
    }
    segs.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// A sparse vector: `(term, weight)` sorted by term.
pub type Sparse = Vec<(u32, f32)>;

/// Dot product of two term-sorted sparse vectors.
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// A small open-addressing map from term to weight, built once per article so that each
/// candidate's member vectors can be dotted with it by lookups rather than merge joins.
#[derive(Debug, Clone, Default)]
pub struct TermTable {
    slots: Vec<(u32, f32)>,
    mask: usize,
}

impl TermTable {
    const EMPTY: u32 = u32::MAX;

    pub fn new(v: &[(u32, f32)]) -> Self {
        let cap = (v.len() * 4).next_power_of_two().max(16);
        let mut t = TermTable { slots: vec![(Self::EMPTY, 0.0); cap], mask: cap - 1 };
        for &(k, w) in v {
            if k == Self::EMPTY {
                continue;
            }
            let mut i = (k.wrapping_mul(0x9e37_79b1) as usize) & t.mask;
            while t.slots[i].0 != Self::EMPTY && t.slots[i].0 != k {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = (k, w);
        }
        t
    }

    #[inline]
    pub fn get(&self, k: u32) -> f32 {
        let mut i = (k.wrapping_mul(0x9e37_79b1) as usize) & self.mask;
        loop {
            let (sk, w) = self.slots[i];
            if sk == k {
                return w;
            }
            if sk == Self::EMPTY {
                return 0.0;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Dot product with a sparse vector.
    pub fn dot(&self, v: &[(u32, f32)]) -> f32 {
        v.iter().map(|&(k, w)| w * self.get(k)).sum()
    }
}

/// The comparable form of one article.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Unit-length sublinear TF-IDF over title + body.
    pub terms: Sparse,
    /// `terms` as a lookup table.
    pub table: TermTable,
    /// The highest-weighted terms and the rarest names with a retrieval weight, used to index
    /// and to query candidate stories.
    pub top: Vec<(u32, f32)>,
    /// Unit-length TF-IDF of the title alone.
    pub title: Sparse,
    /// Name-like tokens and given entity ids, weighted by IDF.
    pub names: Sparse,
    /// Number tokens, weighted by IDF.
    pub nums: Sparse,
    pub sig: Option<Signature>,
    /// Key of the dateline place, when the body opens with one.
    pub dateline: Option<u64>,
    /// Ages stated in the text ("20-year-old", "aged 20", "20 años"), sorted.
    pub ages: Vec<u16>,
    /// Calendar days the text refers to ("August 14", "14 agosto", "on Saturday"), as days
    /// since 1970-01-01: a month and day without a year is its latest occurrence up to the
    /// day after publication.
    pub mentioned: Vec<i32>,
    /// The largest IDF possible when the article arrived (normalises name-rarity features).
    pub idf_max: f32,
    /// Share of the headline's weight whose words also occur in the body: low when the
    /// crawl caught the wrong body, and only the headline can be trusted.
    pub title_in_body: f32,
    /// Days since 1970-01-01 (fractional when the time of day is known).
    pub time: f64,
    pub source: u64,
    /// Key of the article's language (0 when unknown).
    pub lang: u64,
    /// Unit-length sentence embedding of headline and lead, when an encoder ran.
    pub emb: Option<Box<[f32]>>,
}

fn term(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

fn entity_term(id: &str) -> u32 {
    term(text::hash_bytes(id.as_bytes()) ^ 0x5bd1_e995_5bd1_e995)
}

/// Days since 1970-01-01 of an ISO date (`YYYY[-MM[-DD[THH:MM...]]]`), if it parses.
pub fn iso_days(iso: &str) -> Option<f64> {
    let num = |r: std::ops::Range<usize>| iso.get(r)?.parse::<i64>().ok();
    let y = num(0..4)?;
    let m = num(5..7).unwrap_or(1).clamp(1, 12);
    let d = num(8..10).unwrap_or(1).clamp(1, 31);
    let days = civil_days(y, m, d);
    let hours = num(11..13).filter(|h| (0..24).contains(h)).unwrap_or(0);
    let mins = num(14..16).filter(|m| (0..60).contains(m)).unwrap_or(0);
    Some(days as f64 + (hours * 60 + mins) as f64 / 1440.0)
}

/// The stateless half of reading an article (tokens per line, MinHash signature), which can
/// run on another thread ahead of the clusterer.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    tokens: Vec<Token>,
    /// `(hash, token range)` per non-empty body line.
    lines: Vec<(u64, u32, u32)>,
    /// `(hash, token range)` per headline segment.
    segments: Vec<(u64, u32, u32)>,
    sig: Option<Signature>,
    time: Option<f64>,
    dateline: Option<u64>,
    emb: Option<Box<[f32]>>,
}

impl Analysed {
    pub fn new(article: &Article) -> Analysed {
        let body = &article.body[..article.body.floor_char_boundary(MAX_BODY_BYTES.min(article.body.len()))];
        let mut a = Analysed {
            tokens: Vec::with_capacity(body.len() / 5),
            time: article.published.as_ref().and_then(|p| iso_days(&p.iso)),
            ..Default::default()
        };
        a.dateline = body.lines().map(str::trim).find(|l| !l.is_empty()).and_then(dateline_key);
        // Shingles see the whole body; TF-IDF will skip lines that recur across articles.
        for line in body.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let start = a.tokens.len() as u32;
            text::tokenize(line, &mut a.tokens);
            a.lines.push((text::hash_bytes(line.as_bytes()), start, a.tokens.len() as u32));
        }
        let words: Vec<u64> = a.tokens.iter().map(|t| t.key).collect();
        a.sig = minhash::signature(&words);
        let title = &article.title[..article.title.floor_char_boundary(1000.min(article.title.len()))];
        for seg in title_segments(title) {
            let start = a.tokens.len() as u32;
            text::tokenize(seg, &mut a.tokens);
            let h = text::hash_bytes(seg.as_bytes()) ^ 0x7469_746c_6573_6567;
            a.segments.push((h, start, a.tokens.len() as u32));
        }
        a
    }

    pub fn has_embedding(&self) -> bool {
        self.emb.is_some()
    }

    /// Attaches a sentence embedding of the article (unit length; see `newsloom-embed`).
    /// Empty or non-finite vectors are ignored.
    pub fn with_embedding(mut self, v: Vec<f32>) -> Analysed {
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        self.emb = (norm.is_finite() && norm > 0.0).then(|| v.iter().map(|x| x / norm).collect());
        self
    }
}

/// The text an embedding of `article` is computed from: headline and the opening of the body.
pub fn embedding_text(article: &Article) -> String {
    let body = &article.body[..article.body.floor_char_boundary(1500.min(article.body.len()))];
    format!("{}\n{}", article.title.trim(), body.trim())
}

/// Key of a language tag ("en", "en-US" and "EN" alike); 0 when absent.
pub fn lang_key(lang: Option<&str>) -> u64 {
    let l = lang.map(str::trim).unwrap_or("");
    let primary = l.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    if primary.is_empty() { 0 } else { text::hash_bytes(primary.as_bytes()) | 1 }
}

/// Word keys that follow an age ("year" of "20-year-old", "años", "anni", "jaar") and that
/// precede one ("aged 20").
fn age_keys() -> &'static ([u64; 4], [u64; 3]) {
    static KEYS: std::sync::OnceLock<([u64; 4], [u64; 3])> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let k = text::word_key;
        ([k("year"), k("años"), k("anni"), k("jaar")], [k("aged"), k("age"), k("edad")])
    })
}

/// Key of a wire-style dateline place opening the body ("HAWTHORNE —", "BATON ROUGE, La.
/// (AP) —", "NOXUBEE CO., Miss."): the upper-case words before the first separator.
pub fn dateline_key(first_line: &str) -> Option<u64> {
    let end = first_line.find([',', '(', '—', '–', '-', ':'])?;
    let place = first_line[..end].trim().trim_end_matches('.');
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    if !(3..=30).contains(&letters)
        || place.chars().any(|c| c.is_lowercase() || c.is_numeric())
        || place.split_whitespace().count() > 4
    {
        return None;
    }
    let norm: String =
        place.chars().filter(|c| c.is_alphabetic() || *c == ' ').collect::<String>().to_lowercase();
    Some(text::hash_bytes(norm.split_whitespace().collect::<Vec<_>>().join(" ").as_bytes()))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
pub fn civil_days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year of a day count since 1970-01-01 (Hinnant's civil_from_days).
pub fn year_of(days: f64) -> i64 {
    let z = days.floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(mp >= 10)
}

impl Doc {
    /// Builds the doc and counts it in `idf` (the article itself included, so its own rare
    /// terms get a finite weight). `now` is used when the article has no date.
    pub fn build(article: &Article, entities: &[String], corpus: &mut Corpus, now: f64) -> Doc {
        Doc::from_analysed(article, Analysed::new(article), entities, corpus, now)
    }

    /// The stateful half of [`Doc::build`]: filters furniture, weighs by the online IDF.
    pub fn from_analysed(
        article: &Article,
        a: Analysed,
        entities: &[String],
        corpus: &mut Corpus,
        now: f64,
    ) -> Doc {
        let time = a.time.unwrap_or(now);
        let mut toks: Vec<Token> = Vec::with_capacity(a.tokens.len());
        let mut line_hashes = Vec::with_capacity(a.lines.len());
        for &(h, start, end) in &a.lines {
            if corpus.count(h) < BOILERPLATE_LINE {
                toks.extend_from_slice(&a.tokens[start as usize..end as usize]);
            }
            line_hashes.push(h);
        }
        line_hashes.sort_unstable();
        line_hashes.dedup();
        line_hashes.iter().for_each(|&h| corpus.bump(h));
        corpus.tick();
        let sig = a.sig;
        let n_body = toks.len();
        // Title segments already seen in other titles (outlet names) are dropped, except the first.
        let mut seg_hashes = Vec::with_capacity(a.segments.len());
        for (i, &(h, start, end)) in a.segments.iter().enumerate() {
            if i == 0 || corpus.count(h) == 0 {
                toks.extend_from_slice(&a.tokens[start as usize..end as usize]);
            }
            seg_hashes.push(h);
        }
        seg_hashes.sort_unstable();
        seg_hashes.dedup();
        seg_hashes.iter().for_each(|&h| corpus.bump(h));
        let idf = &mut corpus.idf;

        let cap = |n: usize| FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut tf: FxHashMap<u32, f32> = cap(toks.len() / 2 + 8);
        let mut names: FxHashMap<u32, f32> = cap(64);
        let mut nums: FxHashMap<u32, f32> = cap(32);
        let mut title_tf: FxHashMap<u32, f32> = cap(16);
        let mut title_in_body_keys: Vec<u32> = Vec::new();
        let mut prev_cap: Option<u64> = None;
        let mut phrases: Vec<u32> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            // Two capitalised words in a row ("Baton Rouge", "Gavin Long") also count as a phrase.
            let cap_pair = prev_cap.filter(|_| t.cap && i != n_body);
            prev_cap = t.cap.then_some(t.key);
            if let Some(p) = cap_pair {
                let ph = term(p.rotate_left(17) ^ t.key ^ 0x5048_5241_5345_0000);
                names.insert(ph, 0.0);
                phrases.push(ph);
            }
            if t.stop {
                continue;
            }
            let k = term(t.key);
            if i >= n_body {
                let from_body = tf.get(&k).copied().unwrap_or(0.0) > title_tf.get(&k).copied().unwrap_or(0.0);
                if from_body {
                    title_in_body_keys.push(k);
                }
                *title_tf.entry(k).or_default() += 1.0;
            }
            *tf.entry(k).or_default() += 1.0;
            if t.cap {
                names.insert(k, 0.0);
            } else if t.num && t.key != 0 {
                nums.insert(k, 0.0);
            }
        }
        for e in entities.iter().take(200) {
            names.insert(entity_term(e), 0.0);
        }
        phrases.sort_unstable();
        phrases.dedup();
        let mut mentioned: Vec<i32> = Vec::new();
        let year = year_of(time);
        for w in toks.windows(2) {
            let md = match (w[0].month, w[1].month) {
                (true, false) if w[1].num => Some((w[0].val, w[1].val)),
                (false, true) if w[0].num => Some((w[1].val, w[0].val)),
                _ => None,
            };
            if let Some((m, d)) = md.filter(|&(_, d)| (1..=31).contains(&d)) {
                let mut day = civil_days(year, i64::from(m), i64::from(d));
                if day as f64 > time.floor() + 1.0 {
                    day = civil_days(year - 1, i64::from(m), i64::from(d));
                }
                mentioned.push(day as i32);
            }
        }
        if article.published.is_some() {
            // Weekdays and "yesterday" refer back from the publication day: reports of one
            // incident published on different days then name the same calendar day.
            let pub_wd = (time.floor() as i64 + 3).rem_euclid(7) as u8; // 1970-01-01 was a Thursday
            for t in toks.iter().filter(|t| t.day_ref > 0).take(16) {
                let back = match t.day_ref {
                    8 => 0,
                    9 => 1,
                    wd => (pub_wd + 7 - (wd - 1)) % 7,
                };
                mentioned.push((time.floor() - f64::from(back)) as i32);
            }
        }
        mentioned.sort_unstable();
        mentioned.dedup();
        mentioned.truncate(32);
        let keys = age_keys();
        let mut ages: Vec<u16> = Vec::new();
        for w in toks.windows(2) {
            if w[0].num && (1..=110).contains(&w[0].val) && keys.0.contains(&w[1].key) {
                ages.push(w[0].val);
            } else if w[1].num && (1..=110).contains(&w[1].val) && keys.1.contains(&w[0].key) {
                ages.push(w[1].val);
            }
        }
        ages.sort_unstable();
        ages.dedup();
        ages.truncate(16);
        let distinct =
            tf.keys().copied().chain(entities.iter().take(200).map(|e| entity_term(e))).chain(phrases);
        idf.observe(distinct.collect::<Vec<_>>().into_iter());

        let weigh = |m: FxHashMap<u32, f32>, limit: usize| -> Sparse {
            let mut v: Sparse = m.into_iter().map(|(k, c)| (k, (1.0 + c.ln()) * idf.idf(k))).collect();
            if v.len() > limit {
                v.select_nth_unstable_by(limit, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                v.truncate(limit);
            }
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| x.1 /= norm);
            }
            v.sort_unstable_by_key(|x| x.0);
            v
        };
        let terms = weigh(tf, MAX_TERMS);
        let table = TermTable::new(&terms);
        let mut ranked: Vec<(u32, f32)> = terms.clone();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut top: Vec<(u32, f32)> = ranked.into_iter().take(TOP_TERMS).collect();
        // Headline words always serve as keys: when a crawl caught the wrong body, the
        // headline is all that ties a page to its story.
        let title_vec = weigh(title_tf, 64);
        let title_in_body: f32 =
            title_vec.iter().filter(|(k, _)| title_in_body_keys.contains(k)).map(|(_, w)| w * w).sum();
        let mut by_weight = title_vec.clone();
        by_weight.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(k, w) in by_weight.iter().take(TOP_TITLE) {
            if !top.iter().any(|x| x.0 == k) {
                top.push((k, 0.5 * w));
            }
        }
        let mut rare: Vec<(u32, f32)> = names.keys().map(|&k| (k, idf.idf(k))).collect();
        rare.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let idf_max = idf.idf_max();
        for (k, w) in rare.into_iter().take(TOP_NAMES) {
            if !top.iter().any(|x| x.0 == k) {
                top.push((k, 0.3 * w / idf_max));
            }
        }
        let by_idf = |m: FxHashMap<u32, f32>| -> Sparse {
            let mut v: Sparse = m.into_keys().map(|k| (k, idf.idf(k))).collect();
            v.sort_unstable_by_key(|x| x.0);
            v.truncate(400);
            v
        };
        let source = article.source.as_deref().map_or(0, |s| text::hash_bytes(s.to_lowercase().as_bytes()));
        Doc {
            terms,
            table,
            top,
            title: title_vec,
            names: by_idf(names),
            idf_max,
            title_in_body,
            nums: by_idf(nums),
            sig,
            mentioned,
            ages,
            dateline: a.dateline,
            time,
            source,
            lang: lang_key(article.language.as_deref()),
            emb: a.emb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_are_read_from_the_first_line() {
        let k = |s: &str| dateline_key(s);
        assert_eq!(k("HAWTHORNE — The name of a man"), k("HAWTHORNE, Calif. (AP) - A man"));
        assert!(k("BATON ROUGE, La. — x").is_some());
        assert_ne!(k("BATON ROUGE, La."), k("HAWTHORNE — x"));
        assert_eq!(k("Police said on Monday, that"), None);
        assert_eq!(k("UPDATE 3:00 P.M.: x"), None);
    }

    #[test]
    fn years_of_days() {
        assert_eq!(year_of(iso_days("2016-08-14").unwrap()), 2016);
        assert_eq!(year_of(iso_days("2017-01-01").unwrap()), 2017);
        assert_eq!(year_of(iso_days("2016-12-31").unwrap()), 2016);
        assert_eq!(civil_days(2016, 8, 14) as f64, iso_days("2016-08-14").unwrap());
    }

    #[test]
    fn iso_days_counts_from_epoch() {
        assert_eq!(iso_days("1970-01-01"), Some(0.0));
        assert_eq!(iso_days("2000-03-01"), Some(11_017.0));
        assert_eq!(iso_days("2016-12-27T12:00:00Z"), Some(17_162.5));
        assert_eq!(iso_days("2016"), iso_days("2016-01-01"));
        assert_eq!(iso_days("nope"), None);
    }

    #[test]
    fn dot_of_sorted_sparse() {
        assert_eq!(dot(&[(1, 1.0), (3, 2.0)], &[(2, 5.0), (3, 0.5)]), 1.0);
        let t = TermTable::new(&[(1, 1.0), (3, 2.0), (1 + 16, 4.0)]);
        assert_eq!(t.dot(&[(2, 5.0), (3, 0.5), (17, 1.0)]), 5.0);
        assert_eq!(t.get(99), 0.0);
    }
}
