//! Geoparsing: toponyms in an article resolved to GeoNames entries with coordinates, country,
//! ADM1 region and feature type, and each coded event's action and actor locations.
//!
//! * [`gazetteer`]: the compiled GeoNames table (GeoNames, geonames.org, CC BY 4.0).
//! * [`detect`]: which spans are toponyms (the entity stage's places, retyped country names and
//!   adjectives, precise gazetteer matches, qualifiers after a comma).
//! * [`resolve`]: which entry each toponym is, with the article as context.
//! * [`events`]: where each event happened (GDELT's ActionGeo) and where its actors are.
//! * [`eval`]: end-to-end scoring on the geo gold sets, with folds grouped by outlet.
//!
//! ```
//! use newsloom_geo::Geoparser;
//! let geo = Geoparser::new();
//! let body = "Officials in Moscow said the talks would resume in Paris, Texas, next week.";
//! let places = geo.parse_text("a1", body, &Default::default());
//! let moscow = places.iter().find(|p| p.text == "Moscow").unwrap();
//! assert_eq!(moscow.place.as_ref().unwrap().geonameid, 524901);
//! let paris = places.iter().find(|p| p.text == "Paris").unwrap().place.as_ref().unwrap();
//! assert_eq!(paris.admin1.as_deref(), Some("US.TX"));
//! ```

pub mod detect;
pub mod eval;
pub mod events;
pub mod gazetteer;
pub mod resolve;

use newsloom_analyse::ner::EntityRecognizer;
use newsloom_analyse::{Analyser, Analysis};
use newsloom_model::{Article, Mention, PlaceMention, Span};

pub use detect::DetectParams;
pub use gazetteer::Gazetteer;
pub use resolve::{Hints, ResolveParams};

/// Finds and resolves an article's toponyms. Cheap to create; the gazetteer is shared.
#[derive(Debug, Clone, Default)]
pub struct Geoparser {
    pub detect: DetectParams,
    pub resolve: ResolveParams,
}

impl Geoparser {
    pub fn new() -> Self {
        Self::default()
    }

    /// The toponyms of `body` given the entity stage's mentions of it.
    pub fn parse(
        &self,
        article_id: &str,
        body: &str,
        mentions: &[Mention],
        hints: &Hints,
    ) -> Vec<PlaceMention> {
        let tokens = newsloom_analyse::ner::tokenize(body);
        let sents = newsloom_analyse::ner::sentences(body, &tokens);
        self.parse_tokenized(article_id, body, &tokens, &sents, mentions, hints)
    }

    /// [`Geoparser::parse`] over the body's tokens and sentences: detection, resolution, then
    /// the organisations named like towns of the region the article's places resolved to,
    /// resolved again with them when there are any.
    fn parse_tokenized(
        &self,
        article_id: &str,
        body: &str,
        tokens: &[newsloom_analyse::ner::Token],
        sents: &[(usize, usize)],
        mentions: &[Mention],
        hints: &Hints,
    ) -> Vec<PlaceMention> {
        let gaz = Gazetteer::shared();
        let mut tops = detect::detect_tokenized(gaz, body, tokens, sents, mentions, &self.detect);
        let mut res = resolve::resolve(gaz, &tops, hints, &self.resolve);
        if self.detect.place_context {
            let entries: Vec<Option<u32>> = res.iter().map(|r| r.entry).collect();
            let mut regions: Vec<&str> = detect::article_region(gaz, &entries).into_iter().collect();
            regions.extend(hints.home.as_ref().and_then(|h| h.1.as_deref()));
            if !regions.is_empty() {
                let extra = detect::organisations_in_region(gaz, body, tokens, mentions, &tops, &regions);
                if !extra.is_empty() {
                    tops = detect::merge(tops, extra);
                    res = resolve::resolve(gaz, &tops, hints, &self.resolve);
                }
            }
        }
        self.place_mentions(article_id, tops, res)
    }

    fn place_mentions(
        &self,
        article_id: &str,
        tops: Vec<detect::Toponym>,
        res: Vec<resolve::Resolution>,
    ) -> Vec<PlaceMention> {
        let gaz = Gazetteer::shared();
        tops.into_iter()
            .zip(res)
            .map(|(t, r)| PlaceMention {
                text: t.text,
                span: Span::new(article_id, t.start, t.end),
                place: r.entry.map(|e| gaz.place(gaz.entry(e))),
                literal: r.literal,
                confidence: r.confidence,
            })
            .collect()
    }

    /// Like [`Geoparser::parse`], running the entity stage first (for raw text).
    pub fn parse_text(&self, article_id: &str, body: &str, hints: &Hints) -> Vec<PlaceMention> {
        let (_, mentions) = EntityRecognizer::new().recognise(article_id, body);
        self.parse(article_id, body, &mentions, hints)
    }

    /// Resolves given spans (char offsets) as toponyms: resolution alone, for evaluation on
    /// gold spans.
    pub fn resolve_spans(
        &self,
        article_id: &str,
        body: &str,
        spans: &[(usize, usize)],
        hints: &Hints,
    ) -> Vec<PlaceMention> {
        let chars: Vec<char> = body.chars().collect();
        let mut key = String::new();
        let tops: Vec<detect::Toponym> = spans
            .iter()
            .filter(|&&(s, e)| s < e && e <= chars.len())
            .map(|&(s, e)| {
                let text: String = chars[s..e].iter().collect();
                gazetteer::normalise(&text, &mut key);
                detect::Toponym {
                    start: s,
                    end: e,
                    text,
                    key: key.clone(),
                    found: detect::Found::Tagged,
                    as_actor: false,
                    qualifies: None,
                }
            })
            .collect();
        let res = resolve::resolve(Gazetteer::shared(), &tops, hints, &self.resolve);
        self.place_mentions(article_id, tops, res)
    }

    /// Adds the article's places and its events' locations to an analysis.
    pub fn annotate(&self, article: &Article, analysis: &mut Analysis) {
        let tokens = newsloom_analyse::ner::tokenize(&article.body);
        let sents = newsloom_analyse::ner::sentences(&article.body, &tokens);
        self.annotate_tokenized(article, &tokens, &sents, analysis);
    }

    /// [`Self::annotate`] over the body's tokens and sentences from the entity stage.
    pub fn annotate_tokenized(
        &self,
        article: &Article,
        tokens: &[newsloom_analyse::ner::Token],
        sents: &[(usize, usize)],
        analysis: &mut Analysis,
    ) {
        let host =
            article.url.as_deref().and_then(|u| u.split("//").nth(1)).and_then(|h| h.split('/').next());
        let hints =
            Hints { dateline: article.dateline.as_ref().map(|d| d.place.as_str()), domain: host, home: None };
        // One tokenisation for both detection and event sentences.
        analysis.places =
            self.parse_tokenized(&article.id, &article.body, tokens, sents, &analysis.mentions, &hints);
        events::locate_events_tokenized(Gazetteer::shared(), article, tokens, sents, analysis);
    }
}

/// An analyser followed by the geo stage: what the pipeline runs.
pub struct WithPlaces<A> {
    inner: A,
    geo: Geoparser,
}

impl<A: Analyser> WithPlaces<A> {
    pub fn new(inner: A) -> Self {
        // Load the gazetteer now rather than inside the first batch.
        let _ = Gazetteer::shared();
        Self { inner, geo: Geoparser::new() }
    }
}

impl<A: Analyser> Analyser for WithPlaces<A> {
    fn analyse(&self, article: &Article) -> Analysis {
        self.analyse_tokenized(article).0
    }

    fn analyse_tokenized(&self, article: &Article) -> (Analysis, Option<newsloom_analyse::ner::TaggedText>) {
        let (mut analysis, tagged) = self.inner.analyse_tokenized(article);
        match &tagged {
            Some(t) => self.geo.annotate_tokenized(article, &t.tokens, &t.sentences, &mut analysis),
            None => self.geo.annotate(article, &mut analysis),
        }
        (analysis, tagged)
    }
}
