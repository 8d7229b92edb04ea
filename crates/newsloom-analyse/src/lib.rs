//! The analyse stage: entities, quotes with speakers, and coded political events, each with
//! its provenance span into the article body.

pub use newsloom_model::Analysis;
use newsloom_model::Article;

pub mod eval;
pub mod events;
pub mod folds;
pub mod ner;
pub mod quotes;
pub mod themes;
pub mod tone;

/// Hints the CPU to load the cache line at `p` (no effect on results; any address is fine,
/// it is never dereferenced). The scorers ask for all of a token's or mention's weight rows
/// before summing any, so that their cache misses overlap.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Analyses one article. Stateless per article so it can run on every core.
pub trait Analyser: Send + Sync {
    fn analyse(&self, article: &Article) -> Analysis;

    /// [`Self::analyse`], also handing over the body's tokens and sentences when the analyser
    /// made them, so that a later stage (geo) need not tokenise the body again.
    fn analyse_tokenized(&self, article: &Article) -> (Analysis, Option<ner::TaggedText>) {
        (self.analyse(article), None)
    }
}

/// The default analyser: entities and their mentions ([`ner::EntityRecognizer`]), quotes with
/// their speakers resolved to those entities ([`quotes::QuoteExtractor`]) and coded political
/// events ([`events::EventCoder`], dated against the article's publication day).
#[derive(Debug, Default)]
pub struct NewsAnalyser {
    entities: ner::EntityRecognizer,
    quotes: quotes::QuoteExtractor,
    events: events::EventCoder,
}

impl NewsAnalyser {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Analyser for NewsAnalyser {
    fn analyse(&self, article: &Article) -> Analysis {
        self.analyse_tokenized(article).0
    }

    fn analyse_tokenized(&self, article: &Article) -> (Analysis, Option<ner::TaggedText>) {
        let day = article.published.as_ref().and_then(|p| p.day());
        // Tagged once: the tone stage reuses the tokens and sentences.
        let tagged = self.entities.tagger().tag(&article.body);
        let (entities, mentions) = self.entities.link(&article.id, &article.body, &tagged, day);
        // Quotes and events read the body through the same tokens and char map: made once.
        let doc = quotes::text::Doc::new(&article.body);
        let cm = quotes::text::CharMap::new(&article.body);
        let quotes = self.quotes.extract_in(&article.id, &article.body, &doc, &cm, Some(&mentions));
        let events = self.events.code_in(&article.id, &article.body, &doc, &cm, day, &mentions, &entities);
        let (tone, mention_tones) = tone::ToneAnalyser::shared().analyse_tokens(
            &article.id,
            &article.body,
            &tagged.tokens,
            &tagged.sentences,
            &mentions,
        );
        let themes = themes::ThemeClassifier::shared().classify_article(&article.title, &article.body);
        let analysis = Analysis {
            entities,
            mentions,
            quotes,
            events,
            tone: Some(tone),
            mention_tones,
            themes,
            ..Analysis::default()
        };
        (analysis, Some(tagged))
    }
}
