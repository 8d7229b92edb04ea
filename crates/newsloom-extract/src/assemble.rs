//! From what a path (text or HTML) found to an [`Article`]: given metadata first, then the
//! extracted values, each with where it came from; dateline, year inference, language,
//! confidence.

use newsloom_model::{Article, DatePrecision, PublishedDate, RawRecord};
use serde_json::{Map, Value};

use crate::{ExtractError, dateline, dates, lang};

/// A value and where it was found (`jsonld`, `og`, `meta`, `time`, `h1`, `title`, `text`, ...).
pub type Sourced<T> = Option<(T, &'static str)>;

/// What the text or HTML path found, before given metadata is applied.
#[derive(Debug, Default)]
pub struct Extracted {
    pub title: Sourced<String>,
    pub subtitle: Sourced<String>,
    pub bylines: Sourced<Vec<String>>,
    pub published: Option<PublishedDate>,
    pub updated: Option<PublishedDate>,
    pub section: Sourced<String>,
    pub source_name: Sourced<String>,
    pub url: Sourced<String>,
    pub declared_lang: Sourced<String>,
    pub paragraphs: Vec<String>,
    pub captions: Vec<String>,
    /// How clearly the body was delimited (0..1): a marked article container, a dominant
    /// text block, little dropped text inside it.
    pub structure: f32,
    pub warnings: Vec<String>,
}

/// Meta keys an ingest date may come under; used to anchor year inference.
const INGEST_DATE_KEYS: &[&str] = &["ingested", "ingest_date", "fetched", "crawled", "retrieved"];

pub fn finish(raw: &RawRecord, mut ex: Extracted) -> Result<Article, ExtractError> {
    ex.paragraphs.retain(|p| !p.trim().is_empty());
    let body = ex.paragraphs.join("\n\n");
    if body.trim().is_empty() {
        let what = if raw.content.trim().is_empty() { "the item is empty" } else { "no article text found" };
        return Err(ExtractError(format!("{what} ({} bytes of {:?})", raw.content.len(), raw.format)));
    }
    let mut prov = Map::new();
    let mut note = |field: &str, src: &str| {
        prov.insert(field.to_string(), Value::String(src.to_string()));
    };

    let title = match (raw.meta_str("title"), ex.title.take()) {
        (Some(t), _) => {
            note("title", "input");
            t.to_string()
        }
        (None, Some((t, src))) => {
            note("title", src);
            t
        }
        (None, None) => {
            note("title", "body");
            first_words(&body, 12)
        }
    };
    let url = raw.meta_str("url").map(|u| (u.to_string(), "input")).or(ex.url.take());
    if let Some((_, src)) = &url {
        note("url", src);
    }

    // Dateline, and a date from it when nothing better says when.
    let dl = ex.paragraphs.first().and_then(|p| dateline::parse_dateline(p)).map(|(d, _)| d);
    let given = raw.meta_str("date").and_then(|d| dates::parse_machine_date(d, "input"));
    let mut published = match (given, ex.published.take()) {
        // The text may state the given day to the minute ("Jan 4, 2017 — 12:24"): keep the
        // given day, with the finer time.
        (Some(g), Some(f)) if g.day().is_some() && g.day() == f.day() && f.precision > g.precision => {
            let source = format!("input+{}", f.source.as_deref().unwrap_or("text"));
            Some(PublishedDate { source: Some(source), ..f })
        }
        (Some(g), _) => Some(g),
        (None, f) => f,
    };
    if published.is_none()
        && let Some(pd) = dl.as_ref().and_then(|d| d.date.as_deref()).and_then(dates::find_date)
    {
        published = match pd.year {
            Some(_) => pd.to_published("dateline"),
            None => {
                let ingest_year = INGEST_DATE_KEYS
                    .iter()
                    .find_map(|k| raw.meta_str(k))
                    .and_then(|d| d.get(..4)?.parse::<i32>().ok());
                dates::infer_year(pd.month, pd.day, &body, ingest_year).map(|(y, how)| PublishedDate {
                    iso: format!("{y:04}-{:02}-{:02}", pd.month, pd.day),
                    precision: DatePrecision::DayInferredYear,
                    source: Some(format!("dateline+{how}")),
                })
            }
        };
    }
    if let Some(p) = &published {
        note("published", p.source.as_deref().unwrap_or("unknown"));
    }

    let source = match (raw.meta_str("source"), ex.source_name.take()) {
        (Some(s), _) => Some((s.to_string(), "input")),
        (None, Some(s)) => Some(s),
        (None, None) => dl.as_ref().and_then(|d| d.agency.clone()).map(|a| (a, "dateline")).or_else(|| {
            // Last resort, given by ingest for crawled pages (WARC): the host the page came from.
            raw.meta_str("url_host").map(|h| (h.to_string(), "url host"))
        }),
    };
    if let Some((_, src)) = &source {
        note("source", src);
    }
    let section = raw.meta_str("section").map(|s| (s.to_string(), "input")).or(ex.section.take());
    if let Some((_, src)) = &section {
        note("section", src);
    }
    let detected = lang::detect(&body);
    let language = if let Some(l) = raw.meta_str("lang").and_then(lang::normalise_declared) {
        note("language", "input");
        Some(l)
    } else if let Some((code, conf)) = detected.filter(|&(_, c)| c >= 0.5 || ex.declared_lang.is_none()) {
        note("language", if conf >= 0.5 { "whatlang" } else { "whatlang-unsure" });
        Some(code.to_string())
    } else if let Some((l, src)) = ex.declared_lang.take() {
        note("language", src);
        Some(l)
    } else {
        None
    };
    if let Some((_, src)) = &ex.subtitle {
        note("subtitle", src);
    }
    if let Some((_, src)) = &ex.bylines {
        note("bylines", src);
    }
    if dl.is_some() {
        note("dateline", "text");
    }

    let mut meta = raw.meta.clone();
    meta.insert("provenance".into(), Value::Object(prov));
    if let Some(u) = &ex.updated {
        meta.insert("updated".into(), Value::String(u.iso.clone()));
    }
    if !ex.captions.is_empty() {
        meta.insert(
            "captions".into(),
            Value::Array(ex.captions.iter().cloned().map(Value::String).collect()),
        );
    }
    let confidence = confidence(&body, &ex, detected.map(|d| d.1));
    let mut warnings = raw.warnings.clone();
    warnings.extend(ex.warnings);
    Ok(Article {
        id: raw.id.clone(),
        url: url.map(|u| u.0),
        source: source.map(|s| s.0),
        title,
        subtitle: ex.subtitle.map(|s| s.0),
        bylines: ex.bylines.map(|b| b.0).unwrap_or_default(),
        published,
        section: section.map(|s| s.0),
        dateline: dl,
        language,
        body_hash: newsloom_model::content_id(body.as_bytes()),
        body,
        raw: raw.content.clone(),
        origin: raw.origin.clone(),
        confidence,
        story: None,
        meta,
        warnings,
    })
}

/// 0..1: enough body text, a clearly delimited body, a confident language guess, a title.
fn confidence(body: &str, ex: &Extracted, lang_conf: Option<f64>) -> f32 {
    // Only the first 300 words count: counting stops there (a body can run to thousands).
    let words = crate::text::count_words(body, 300) as f32;
    let length = (words / 300.0).min(1.0);
    let lang = lang_conf.unwrap_or(0.0) as f32;
    let paragraphs = (ex.paragraphs.len() as f32 / 4.0).min(1.0);
    let c = 0.35 * length + 0.3 * ex.structure.clamp(0.0, 1.0) + 0.2 * lang + 0.15 * paragraphs;
    (c * 1000.0).round() / 1000.0
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}
