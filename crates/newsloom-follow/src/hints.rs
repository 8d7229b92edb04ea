//! The feed's title and date as hints: the page wins where extraction finds a value, the feed
//! fills in where it finds none. (Given metadata such as `title` would win over the page, which
//! is right for a JSONL dump but not for a feed's often shortened headline.)

use std::path::Path;

use newsloom_extract::{ExtractError, Extractor, NewsExtractor};
use newsloom_model::{Article, RawRecord};
use newsloom_pipeline::{Pipeline, PipelineError};
use serde_json::Value;

use crate::page::{META_FEED_DATE, META_FEED_TITLE};

/// An extractor that fills a missing title or date from the feed's hints.
pub struct FeedHintExtractor<E> {
    pub inner: E,
}

impl<E: Extractor> Extractor for FeedHintExtractor<E> {
    fn extract(&self, raw: &RawRecord) -> Result<Article, ExtractError> {
        let mut article = self.inner.extract(raw)?;
        apply_hints(&mut article, raw);
        Ok(article)
    }

    fn extract_batch(&self, raws: &[RawRecord]) -> Vec<Result<Article, ExtractError>> {
        let mut articles = self.inner.extract_batch(raws);
        for (article, raw) in articles.iter_mut().zip(raws) {
            if let Ok(article) = article {
                apply_hints(article, raw);
            }
        }
        articles
    }

    fn learnt_state(&self) -> Option<Vec<u8>> {
        self.inner.learnt_state()
    }

    fn restore_learnt(&self, state: &[u8]) -> bool {
        self.inner.restore_learnt(state)
    }
}

fn set_provenance(article: &mut Article, field: &str, source: &str) {
    if let Some(Value::Object(prov)) = article.meta.get_mut("provenance") {
        prov.insert(field.to_string(), Value::String(source.to_string()));
    }
}

fn apply_hints(article: &mut Article, raw: &RawRecord) {
    let title_from_body = article
        .meta
        .get("provenance")
        .and_then(|p| p.get("title"))
        .and_then(Value::as_str)
        .is_none_or(|src| src == "body");
    if title_from_body && let Some(title) = raw.meta_str(META_FEED_TITLE) {
        article.title = title.to_string();
        set_provenance(article, "title", "feed");
    }
    if article.published.is_none()
        && let Some(date) =
            raw.meta_str(META_FEED_DATE).and_then(|d| newsloom_extract::dates::parse_machine_date(d, "feed"))
    {
        article.published = Some(date);
        set_provenance(article, "published", "feed");
    }
}

/// Opens the writing pipeline with the default stages, the extractor taking feed hints.
pub fn open_pipeline(dir: &Path) -> Result<Pipeline, PipelineError> {
    let mut clusterer = newsloom_cluster::OnlineClusterer::new();
    clusterer.embed_from_env().map_err(|e| PipelineError(format!("sentence embedding model: {e}")))?;
    Pipeline::with_stages(
        dir,
        Box::new(FeedHintExtractor { inner: NewsExtractor::new() }),
        Box::new(newsloom_analyse::NewsAnalyser::new()),
        Box::new(clusterer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsloom_model::{InputFormat, content_id};

    fn raw(html: &str) -> RawRecord {
        let mut meta = serde_json::Map::new();
        meta.insert(META_FEED_TITLE.into(), "Feed headline".into());
        meta.insert(META_FEED_DATE.into(), "2026-12-03T10:00:00+00:00".into());
        RawRecord {
            id: content_id(html.as_bytes()),
            origin: "t".into(),
            format: InputFormat::Html,
            content: html.into(),
            meta,
            warnings: vec![],
        }
    }

    #[test]
    fn page_values_win_and_feed_fills_the_gaps() {
        let ex = FeedHintExtractor { inner: NewsExtractor::without_learning() };
        let body = "<p>The council voted on Tuesday to extend the tram line to the harbour district, \
                    a project debated for a decade.</p><p>Work starts next spring, officials said.</p>";
        let with_title = format!(
            "<html><head><title>Page headline</title><meta property=\"article:published_time\" \
             content=\"2026-12-01T08:00:00Z\"></head><body><article><h1>Page headline</h1>{body}</article></body></html>"
        );
        let a = ex.extract(&raw(&with_title)).unwrap();
        assert_eq!(a.title, "Page headline");
        assert!(a.published.unwrap().iso.starts_with("2026-12-01"));
        let bare = format!("<html><body><article>{body}</article></body></html>");
        let a = ex.extract(&raw(&bare)).unwrap();
        assert_eq!(a.title, "Feed headline");
        assert!(a.published.as_ref().unwrap().iso.starts_with("2026-12-03"));
        assert_eq!(a.meta["provenance"]["title"], "feed");
    }
}
