//! Stories: the list and one story with its articles, facts and outlet comparison.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use newsloom_model::{Entity, Event, QuadClass, Quote};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::types::{ArticleItem, Page, Sentence, StorySummary};
use crate::error::{ApiError, ApiResult, Q, check_day, page_limit};
use crate::sql::ArticleCache;
use newsloom_store::{StoryOrder, StoryQuery};

/// Deepest offset a story page may start at: keeps offset paging cheap.
const MAX_OFFSET: usize = 100_000;
/// Articles of one story whose facts are gathered for the story page: each costs a few index
/// reads per fact table, so a story of hundreds of articles would cost a second on a cold
/// store. Chosen across outlets (see `analysed_sample`), so the comparison keeps every outlet.
const MAX_ANALYSED: usize = 60;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoryParams {
    sort: Option<StoryOrder>,
    /// Only stories seen on or after this day (YYYY-MM-DD).
    from: Option<String>,
    /// Only stories seen on or before this day (YYYY-MM-DD).
    to: Option<String>,
    /// 1..=200, default 30.
    limit: Option<usize>,
    cursor: Option<String>,
}

pub fn parse_offset(cursor: Option<&str>) -> ApiResult<usize> {
    match cursor {
        None | Some("") => Ok(0),
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_OFFSET)
            .ok_or_else(|| ApiError::bad_request(format!("invalid cursor {c:?}"))),
    }
}

/// List stories: newest (default), biggest, or with most outlets first; optionally only those
/// seen within a range of days.
#[utoipa::path(get, path = "/api/stories", params(StoryParams), tag = "stories",
    responses((status = 200, body = Page<StorySummary>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Q(p): Q<StoryParams>,
) -> ApiResult<Json<Page<StorySummary>>> {
    let limit = page_limit(p.limit, 30, 200)?;
    let offset = parse_offset(p.cursor.as_deref())?;
    check_day(&p.from, "from")?;
    check_day(&p.to, "to")?;
    // One more than asked, to know whether a next page exists.
    let query =
        StoryQuery { order: p.sort.unwrap_or_default(), from: p.from, to: p.to, offset, limit: limit + 1 };
    let key = query.clone();
    let rows = state.cached(&state.story_pages, key, move |h| Ok(Arc::new(h.stories(&query)?))).await?;
    let next_cursor = (rows.len() > limit).then(|| (offset + limit).to_string());
    let items = rows.iter().take(limit).cloned().collect();
    Ok(Json(Page { items, next_cursor }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoryEntity {
    #[schema(value_type = Object)]
    pub entity: Entity,
    pub mentions: i64,
    /// Outlets whose articles mention it.
    pub outlets: Vec<String>,
}

/// One quote as carried by the outlets of a story: the same speaker and opening words count as
/// the same quote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedQuote {
    /// Index into the story page's `quotes` of the first quote so keyed (its speaker and text
    /// stand for the row; sent once, not again here).
    pub quote: usize,
    pub outlets: Vec<String>,
}

/// One event (actors and code) as carried by the outlets of a story.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedEvent {
    pub source_actor: String,
    pub target_actor: Option<String>,
    pub cameo: String,
    #[schema(value_type = String)]
    pub quad_class: QuadClass,
    pub outlets: Vec<String>,
}

/// Which quotes and events each outlet carried; an outlet not listed on a row left it out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    pub outlets: Vec<String>,
    pub quotes: Vec<ComparedQuote>,
    pub events: Vec<ComparedEvent>,
}

/// An event of a story (one per actors and code) with its reports and the sentence behind it;
/// its article is `event.span.article`, one of the page's `articles`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoryEvent {
    #[schema(value_type = Object)]
    pub event: Event,
    /// Articles of the story that report this event.
    pub reports: i64,
    pub sentence: Option<Sentence>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoryDetail {
    pub story: StorySummary,
    /// In publication order.
    pub articles: Vec<ArticleItem>,
    pub entities: Vec<StoryEntity>,
    /// Each quote's article is `span.article`, one of `articles` (a story page names each
    /// article once: repeating its title per quote was an eighth of the page).
    #[schema(value_type = Vec<Object>)]
    pub quotes: Vec<Quote>,
    pub events: Vec<StoryEvent>,
    pub comparison: Comparison,
    /// True when the story has more articles than were analysed for facts.
    pub facts_truncated: bool,
    /// How many of the story's articles the facts were gathered from.
    pub facts_from: usize,
}

/// Get one story (merged story ids redirect to the story that absorbed them).
#[utoipa::path(get, path = "/api/stories/{id}", params(("id" = String, Path)), tag = "stories",
    responses((status = 200, body = StoryDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<StoryDetail>> {
    Ok(Json(state.db.run(move |h| story_detail(h, &id)).await?))
}

fn outlet_of(a: &ArticleItem) -> String {
    a.source.clone().unwrap_or_else(|| "(unknown)".into())
}

/// Quotes count as the same across outlets when speaker and opening words match.
fn quote_key(speaker: Option<&str>, text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_lowercase)
        .collect();
    format!("{}|{}", speaker.unwrap_or("").to_lowercase(), words.join(" "))
}

fn story_detail(h: &dyn newsloom_store::StoreBackend, id: &str) -> ApiResult<StoryDetail> {
    let Some((story, articles)) = h.story(id)? else {
        return Err(ApiError::not_found(format!("no story with id {id:?}")));
    };
    let mut cache = ArticleCache::default();
    // Per entity: mentions and the outlets that name it, borrowed from the facts (a story page
    // tallies thousands of mentions; copying ids and outlet names for each was most of its
    // allocations).
    let mut tally: HashMap<&str, (&Entity, i64, BTreeSet<&str>)> = HashMap::new();
    let mut quotes = vec![];
    let mut events: HashMap<(String, Option<String>, String), StoryEvent> = HashMap::new();
    let mut q_cmp: BTreeMap<String, ComparedQuote> = BTreeMap::new();
    let mut e_cmp: BTreeMap<(String, Option<String>, String), ComparedEvent> = BTreeMap::new();
    let sample = analysed_sample(&articles, MAX_ANALYSED);
    let ids: Vec<&str> = sample.iter().map(|a| a.id.as_str()).collect();
    let facts = h.facts_of_articles(&ids)?;
    let by_id: HashMap<&str, &Entity> = facts.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let outlets: Vec<String> = sample.iter().map(|a| outlet_of(a)).collect();
    for (analysis, outlet) in facts.articles.into_iter().zip(&outlets) {
        for m in &analysis.mentions {
            if let Some((id, e)) = by_id.get_key_value(m.entity.as_str()) {
                let slot = tally.entry(id).or_insert_with(|| (e, 0, BTreeSet::new()));
                slot.1 += 1;
                slot.2.insert(outlet);
            }
        }
        for q in analysis.quotes {
            let entry = q_cmp
                .entry(quote_key(q.speaker.as_deref(), &q.text))
                .or_insert_with(|| ComparedQuote { quote: quotes.len(), outlets: vec![] });
            if !entry.outlets.contains(outlet) {
                entry.outlets.push(outlet.clone());
            }
            quotes.push(q);
        }
        for e in analysis.events {
            let key = (e.source_actor.clone(), e.target_actor.clone(), e.cameo.clone());
            let cmp = e_cmp.entry(key.clone()).or_insert_with(|| ComparedEvent {
                source_actor: e.source_actor.clone(),
                target_actor: e.target_actor.clone(),
                cameo: e.cameo.clone(),
                quad_class: e.quad_class,
                outlets: vec![],
            });
            if !cmp.outlets.contains(outlet) {
                cmp.outlets.push(outlet.clone());
            }
            if let Some(item) = events.get_mut(&key) {
                item.reports += 1;
            } else {
                let sentence = cache.sentence(h, &e.span)?;
                events.insert(key, StoryEvent { event: e, reports: 1, sentence });
            }
        }
    }
    let mut tally: Vec<_> = tally.into_values().collect();
    tally.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    tally.truncate(100);
    let entities: Vec<StoryEntity> = tally
        .into_iter()
        .map(|(entity, mentions, outlets)| StoryEntity {
            entity: entity.clone(),
            mentions,
            outlets: outlets.into_iter().map(str::to_string).collect(),
        })
        .collect();
    let mut events: Vec<StoryEvent> = events.into_values().collect();
    events.sort_by(|a, b| {
        a.event
            .date
            .cmp(&b.event.date)
            .then_with(|| a.event.span.article.cmp(&b.event.span.article))
            .then_with(|| a.event.span.start.cmp(&b.event.span.start))
    });
    let comparison = Comparison {
        outlets: story.outlets.iter().map(|o| o.name.clone()).collect(),
        quotes: q_cmp.into_values().collect(),
        events: e_cmp.into_values().collect(),
    };
    let facts_from = articles.len().min(MAX_ANALYSED);
    let facts_truncated = articles.len() > facts_from;
    Ok(StoryDetail { story, articles, entities, quotes, events, comparison, facts_truncated, facts_from })
}

/// At most `max` of a story's articles (given in publication order), taken in turn from each
/// outlet so that every outlet is represented before any gives a second article; returned in
/// publication order. All of them when there are no more than `max`.
fn analysed_sample(articles: &[ArticleItem], max: usize) -> Vec<&ArticleItem> {
    if articles.len() <= max {
        return articles.iter().collect();
    }
    let mut by_outlet: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        by_outlet.entry(outlet_of(a)).or_default().push(i);
    }
    let mut chosen = Vec::with_capacity(max);
    'rounds: for round in 0.. {
        let mut any = false;
        for list in by_outlet.values() {
            if let Some(&i) = list.get(round) {
                any = true;
                chosen.push(i);
                if chosen.len() == max {
                    break 'rounds;
                }
            }
        }
        if !any {
            break;
        }
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| &articles[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: usize, source: &str) -> ArticleItem {
        ArticleItem {
            seq: id as i64,
            id: format!("a{id:03}"),
            title: "t".into(),
            source: Some(source.into()),
            published: None,
            language: None,
            story: None,
            copy_of: None,
            url: None,
        }
    }

    #[test]
    fn the_analysed_sample_spreads_over_outlets_in_publication_order() {
        // 90 articles of a big outlet first, then one each from two small ones.
        let mut articles: Vec<ArticleItem> = (0..90).map(|i| item(i, "big")).collect();
        articles.push(item(90, "small"));
        articles.push(item(91, "tiny"));
        let sample = analysed_sample(&articles, 10);
        assert_eq!(sample.len(), 10);
        let ids: Vec<&str> = sample.iter().map(|a| a.id.as_str()).collect();
        assert!(ids.contains(&"a090") && ids.contains(&"a091"), "{ids:?}");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "publication order: {ids:?}");
        // The big outlet gives its earliest articles.
        assert_eq!(&ids[..8], &["a000", "a001", "a002", "a003", "a004", "a005", "a006", "a007"]);
        // A story within the bound is analysed whole.
        assert_eq!(analysed_sample(&articles[..5], 10).len(), 5);
    }
}
