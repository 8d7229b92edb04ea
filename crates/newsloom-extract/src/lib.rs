//! The extract stage: raw text or HTML in, a clean [`Article`] out.
//!
//! * Text (scraped with its chrome) goes through a line classifier ([`text`]): body, heading,
//!   timestamp, byline, caption, teaser or chrome from position, repetition, shape and lexical
//!   cues; the article is the longest run of body lines between hard breaks.
//! * HTML goes through a streaming HTML5 tokenizer into a compact DOM, main-content scoring and
//!   metadata extraction (see [`html`] for the parser choice and its measurements).
//! * Given metadata (JSONL fields, a seed's date line) beats extracted metadata; where every
//!   value came from is recorded under `meta["provenance"]`.
//! * Datelines (`MOSCOW, December 27. /TASS/.`) are parsed ([`dateline`]); a missing year is
//!   inferred from a weekday the text names near the latest year it mentions or the ingest
//!   date ([`dates::infer_year`]), with precision `DayInferredYear`.
//! * Lines and blocks that recur across pages of one source, and DOM paths that hold the same
//!   few texts on its pages, are learned as that source's chrome ([`templates`]) and dropped
//!   from its next pages.
//! * Language: whatlang on a 400-char prefix; lingua was measured against it and lost on speed
//!   at equal accuracy (numbers in [`lang`]).
//!
//! Measured on the dev halves (`CARGO_TARGET_DIR=… USE_CLI=0 bench/peers/extract.sh`: release,
//! one core, pages in memory, trafilatura 2.3.1 and readability-lxml in the same run):
//!
//! | set | newsloom | trafilatura |
//! |---|---|---|
//! | scrapinghub-aeb body shingle P / R / F1 | 0.970 / 0.987 / 0.978 | 0.949 / 0.991 / 0.970 |
//! | trafilatura-eval snippet P / R / F1 | 0.944 / 0.930 / 0.937 | 0.901 / 0.951 / 0.925 |
//! | title / author / date exact | 0.769 / 0.574 / 0.871 | 0.605 / 0.512 / 0.857 |
//! | docs/s, AEB (~181 KB pages), same run | 735 (25.2×) | 29.1 |
//! | docs/s, trafilatura-eval, same run | 593 (26.0×) | 22.8 |
//!
//! The machine is shared (2 cores, load 3–9): the same-run ratio ranged from 14× to 28× over
//! four runs, with newsloom's thread-CPU rate steady at 600–740 docs/s. Per callgrind the
//! extractor executes 3% more instructions on these pages than before the repeated-box,
//! stray-prose, DOM-path and last-resort-date work.
//!
//! # Fuzzing
//!
//! The repository's `fuzz/` workspace (see `fuzz/README.md`) holds the extractor's cargo-fuzz
//! targets with those of the other parsers of untrusted input: `html` (bytes → charset
//! decoding → the HTML path, twice so learned templates are used) and `text` (lossy UTF-8 →
//! the text path). With a nightly toolchain and `cargo install cargo-fuzz`, from the
//! repository root:
//!
//! ```text
//! fuzz/run.sh html text --runs 1000000
//! ```
//!
//! On the shared machine (2026-11-26): `html` 235,846 runs in 25 minutes over three sessions
//! (the last 78,167 on the final code), `text` 145,854 runs in 10 minutes; no crash, leak or
//! timeout.
//!
//! ```
//! use newsloom_extract::{Extractor, NewsExtractor};
//! use newsloom_model::{InputFormat, RawRecord};
//! let raw = RawRecord {
//!     id: "a".into(), origin: "t".into(), format: InputFormat::Html,
//!     content: "<html><head><title>Storm hits coast | Daily</title></head><body><article>\
//!               <h1>Storm hits coast</h1><p>The storm arrived overnight, flooding streets in \
//!               the old town, officials said on Monday.</p></article></body></html>".into(),
//!     meta: Default::default(), warnings: vec![],
//! };
//! let article = NewsExtractor::new().extract(&raw).unwrap();
//! assert_eq!(article.title, "Storm hits coast");
//! assert!(article.body.starts_with("The storm arrived"));
//! ```

use std::collections::HashMap;

use newsloom_model::{Article, InputFormat, RawRecord};

mod assemble;
pub mod dateline;
pub mod dates;
pub mod eval;
pub mod folds;
pub mod html;
pub mod lang;
pub mod templates;
#[cfg(test)]
mod test_strings;
pub mod text;

pub use assemble::Extracted;

/// Text beyond this is cut (with a warning): no article needs more, and the line classifier's
/// time and memory stay bounded.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// Why a raw record could not be turned into an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExtractError {}

/// Turns one raw record into an article. Implementations may learn from what they have seen
/// (per-source templates), hence `&self` with interior state and `Send + Sync` for rayon.
pub trait Extractor: Send + Sync {
    /// Extracts one record, learning from it at once.
    fn extract(&self, raw: &RawRecord) -> Result<Article, ExtractError>;

    /// Extracts a batch as one sequential pass over batches would: each record sees what was
    /// learnt from earlier batches only (not from its own batch, whatever the thread timing),
    /// and the batch is learnt from afterwards, in record order. The default extracts the
    /// records one by one, in order.
    fn extract_batch(&self, raws: &[RawRecord]) -> Vec<Result<Article, ExtractError>> {
        raws.iter().map(|r| self.extract(r)).collect()
    }

    /// What has been learnt, as bytes to save beside a store (`None`: nothing is learnt).
    fn learnt_state(&self) -> Option<Vec<u8>> {
        None
    }

    /// Replaces what has been learnt with a saved [`Extractor::learnt_state`]; `false` when the
    /// bytes are not one.
    fn restore_learnt(&self, _state: &[u8]) -> bool {
        false
    }
}

/// The default extractor: text and HTML paths, given-metadata precedence, per-source
/// template learning (shared across threads behind a lock).
#[derive(Debug)]
pub struct NewsExtractor {
    templates: templates::Templates,
    learn: bool,
}

/// As [`NewsExtractor::without_learning`] (patterns compiled up front too).
impl Default for NewsExtractor {
    fn default() -> Self {
        Self::without_learning()
    }
}

/// Compiles every pattern extraction uses (≈ 300 M instructions, 30–60 ms, once per process).
/// They are compiled lazily otherwise, on the first page that reaches each, which puts that
/// one-off cost on whichever pages come first; extractors call this when they are built.
pub fn compile_patterns() {
    dateline::compile_patterns();
    dates::compile_patterns();
    html::compile_patterns();
    text::compile_patterns();
}

impl NewsExtractor {
    pub fn new() -> Self {
        compile_patterns();
        Self { templates: Default::default(), learn: true }
    }

    /// An extractor that neither learns nor uses per-source templates (each page on its own).
    pub fn without_learning() -> Self {
        compile_patterns();
        Self { templates: Default::default(), learn: false }
    }

    /// The key pages are grouped by for template learning: the given source, else the URL host.
    fn source_key(raw: &RawRecord) -> Option<String> {
        raw.meta_str("source").map(str::to_lowercase).or_else(|| {
            let url = raw.meta_str("url")?;
            let rest = url.split_once("://").map_or(url, |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next()?.trim_start_matches("www.");
            (!host.is_empty()).then(|| host.to_lowercase())
        })
    }

    /// The key the record's chrome is learnt under, when learning.
    fn learning_source(&self, raw: &RawRecord) -> Option<String> {
        Self::source_key(raw).filter(|_| self.learn)
    }

    /// The record's source and its learnt chrome, when learning.
    fn chrome_of(&self, raw: &RawRecord) -> Option<(String, templates::Chrome)> {
        let source = self.learning_source(raw)?;
        let chrome = self.templates.chrome(&source);
        Some((source, chrome))
    }

    /// Extracts one record against `learnt` (its source's chrome), returning what it teaches.
    fn extract_with(
        &self,
        raw: &RawRecord,
        learnt: Option<(&str, &templates::Chrome)>,
    ) -> (Result<Article, ExtractError>, Option<templates::Lesson>) {
        let (ex, lesson) = match raw.format {
            InputFormat::Text => Self::extract_text(raw, learnt),
            InputFormat::Html => html::extract_html_learning(&raw.content, raw.meta_str("url"), learnt),
        };
        (assemble::finish(raw, ex), lesson)
    }

    fn extract_text(
        raw: &RawRecord,
        learnt: Option<(&str, &templates::Chrome)>,
    ) -> (Extracted, Option<templates::Lesson>) {
        let set = learnt.map(|(_, c)| c.lines.as_slice()).unwrap_or(&[]);
        // No article needs more; the cap keeps time and memory bounded (as for HTML).
        let mut warnings = Vec::new();
        let mut cut = raw.content.len().min(MAX_TEXT_BYTES);
        while !raw.content.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut < raw.content.len() {
            warnings.push(format!("text truncated to {cut} of {} bytes", raw.content.len()));
        }
        let kept = &raw.content[..cut];
        let content: std::borrow::Cow<str> =
            if kept.contains('\0') { kept.replace('\0', "").into() } else { kept.into() };
        let mut parts = text::extract_text(&content, &|k| templates::is_chrome(set, k));
        // A page that is mostly "template" is probably a repeat of a page seen before, not
        // chrome: extract it on its own.
        if !set.is_empty() && parts.paragraphs.is_empty() {
            parts = text::extract_text(&content, &|_| false);
        }
        let lesson = learnt.map(|(source, _)| {
            // The keys `extract_text` computed, and those of any lines past the ones it reads.
            let rest: Vec<String> = content
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .skip(text::MAX_LINES)
                .map(text::line_key)
                .collect();
            templates::Lesson::new(source, parts.keys.iter().chain(&rest).map(String::as_str), Vec::new())
        });
        let structure =
            if parts.paragraphs.is_empty() { 0.0 } else { 0.5 + 0.5 * (parts.title.is_some() as u8 as f32) };
        let extracted = Extracted {
            title: parts.title.map(|t| (t, "text")),
            subtitle: parts.lead.map(|t| (t, "text")),
            bylines: (!parts.bylines.is_empty()).then_some((parts.bylines, "text")),
            published: parts.date.and_then(|d| d.to_published("text")),
            paragraphs: parts.paragraphs,
            captions: parts.captions,
            structure,
            warnings,
            ..Extracted::default()
        };
        (extracted, lesson)
    }
}

impl Extractor for NewsExtractor {
    fn extract(&self, raw: &RawRecord) -> Result<Article, ExtractError> {
        let learnt = self.chrome_of(raw);
        let (article, lesson) = self.extract_with(raw, learnt.as_ref().map(|(s, c)| (s.as_str(), c)));
        if let Some(lesson) = lesson {
            self.templates.learn(&lesson);
        }
        article
    }

    fn extract_batch(&self, raws: &[RawRecord]) -> Vec<Result<Article, ExtractError>> {
        use rayon::prelude::*;
        // Every source's chrome as of the batch's start, looked up once per source.
        let mut chrome: HashMap<String, templates::Chrome> = HashMap::new();
        let sources: Vec<Option<String>> = raws
            .iter()
            .map(|raw| {
                let source = self.learning_source(raw)?;
                if !chrome.contains_key(&source) {
                    chrome.insert(source.clone(), self.templates.chrome(&source));
                }
                Some(source)
            })
            .collect();
        let (articles, lessons): (Vec<_>, Vec<_>) = raws
            .par_iter()
            .zip(&sources)
            .map(|(raw, source)| {
                let learnt = source.as_deref().map(|s| (s, &chrome[s]));
                self.extract_with(raw, learnt)
            })
            .unzip();
        for lesson in lessons.iter().flatten() {
            self.templates.learn(lesson);
        }
        articles
    }

    fn learnt_state(&self) -> Option<Vec<u8>> {
        self.learn.then(|| self.templates.to_bytes())
    }

    fn restore_learnt(&self, state: &[u8]) -> bool {
        self.learn && self.templates.restore(state)
    }
}
