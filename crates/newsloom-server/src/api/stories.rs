//! Stories: the list and one story with its articles, facts and outlet comparison.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use newsloom_model::{Entity, EventKey, QuadClass, Span, quote_key};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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
pub struct ComparedQuote<'a> {
    /// Index into the story page's `quotes` of the first quote so keyed (its speaker and text
    /// stand for the row; sent once, not again here).
    pub quote: usize,
    #[schema(value_type = Vec<String>)]
    pub outlets: Vec<&'a str>,
}

/// One event (actors and code) as carried by the outlets of a story.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedEvent<'a> {
    #[schema(value_type = String)]
    pub source_actor: &'a str,
    #[schema(value_type = Option<String>)]
    pub target_actor: Option<&'a str>,
    #[schema(value_type = String)]
    pub cameo: &'a str,
    #[schema(value_type = String)]
    pub quad_class: QuadClass,
    #[schema(value_type = Vec<String>)]
    pub outlets: Vec<&'a str>,
}

/// Which quotes and events each outlet carried; an outlet not listed on a row left it out.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison<'a> {
    pub outlets: Vec<String>,
    pub quotes: Vec<ComparedQuote<'a>>,
    pub events: Vec<ComparedEvent<'a>>,
}

/// An event of a story (one per actors and code) with its reports and the sentence behind it;
/// its article is `event.span.article`, one of the page's `articles`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoryEvent<'a> {
    /// The event as stored (an `Event`).
    #[schema(value_type = Object)]
    pub event: &'a RawValue,
    /// Articles of the story that report this event.
    pub reports: i64,
    #[schema(value_type = Option<Sentence>)]
    pub sentence: EventSentence<'a>,
}

/// An event's sentence: as stored at ingest, or cut from the body of an article stored before.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum EventSentence<'a> {
    Stored(&'a RawValue),
    Cut(Option<Sentence>),
}

/// A story page. Its quotes and events are passed on as the store keeps them, not parsed and
/// written again; one stored by an older version lacks the fields added since.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoryDetail<'a> {
    pub story: StorySummary,
    /// In publication order.
    pub articles: Vec<ArticleItem>,
    pub entities: Vec<StoryEntity>,
    /// Each quote's article is `span.article`, one of `articles` (a story page names each
    /// article once: repeating its title per quote was an eighth of the page).
    #[schema(value_type = Vec<Object>)]
    pub quotes: Vec<&'a RawValue>,
    pub events: Vec<StoryEvent<'a>>,
    pub comparison: Comparison<'a>,
    /// True when the story has more articles than were analysed for facts.
    pub facts_truncated: bool,
    /// How many of the story's articles the facts were gathered from.
    pub facts_from: usize,
}

/// Get one story (merged story ids redirect to the story that absorbed them).
#[utoipa::path(get, path = "/api/stories/{id}", params(("id" = String, Path)), tag = "stories",
    responses((status = 200, body = StoryDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    let json = state.db.run(move |h| story_detail(h, &id)).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

fn outlet_of(a: &ArticleItem) -> String {
    a.source.clone().unwrap_or_else(|| "(unknown)".into())
}

/// An article's stored facts document, read only as far as a story page needs: per entity its
/// mention count, quotes and events as raw JSON to pass on, and what they are grouped by.
/// Documents written before the counts and keys existed have the mentions instead, and the
/// keys are taken from the quotes and events themselves.
#[derive(Deserialize)]
struct FactsView<'a> {
    #[serde(borrow, default)]
    entities: Vec<(Cow<'a, str>, i64)>,
    #[serde(borrow, default)]
    mentions: Vec<MentionView<'a>>,
    #[serde(borrow)]
    quotes: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    quote_keys: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    event_keys: Vec<EventKey<'a>>,
    /// Each event's sentence (or `null`), cut at ingest; absent from documents stored before.
    #[serde(borrow, default)]
    event_sentences: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct MentionView<'a> {
    #[serde(borrow)]
    entity: Cow<'a, str>,
}

/// What comparing a quote across outlets reads of it (documents without `quote_keys`).
#[derive(Deserialize)]
struct QuoteView<'a> {
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow, default)]
    speaker: Option<Cow<'a, str>>,
}

/// What grouping, ordering and quoting an event reads of it (documents without `event_keys`).
#[derive(Deserialize)]
struct EventView<'a> {
    #[serde(borrow)]
    source_actor: Cow<'a, str>,
    #[serde(borrow, default)]
    target_actor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cameo: Cow<'a, str>,
    quad_class: QuadClass,
    #[serde(borrow, default)]
    date: Option<Cow<'a, str>>,
    span: Span,
}

impl<'a> From<EventView<'a>> for EventKey<'a> {
    fn from(e: EventView<'a>) -> Self {
        Self {
            source: e.source_actor,
            target: e.target_actor,
            cameo: e.cameo,
            quad_class: e.quad_class,
            date: e.date,
            start: e.span.start,
            end: e.span.end,
        }
    }
}

impl<'a> FactsView<'a> {
    /// Each event's key: as stored, or read from the event.
    fn take_event_keys(&mut self) -> ApiResult<Vec<EventKey<'a>>> {
        if self.event_keys.len() == self.events.len() {
            return Ok(std::mem::take(&mut self.event_keys));
        }
        self.events.iter().map(|e| Ok(stored::<EventView>("event", e.get())?.into())).collect()
    }

    /// The `i`th quote's comparison key: as stored, or made from the quote.
    fn quote_key(&self, i: usize) -> ApiResult<Cow<'a, str>> {
        if self.quote_keys.len() == self.quotes.len() {
            return Ok(self.quote_keys[i].clone());
        }
        let view: QuoteView = stored("quote", self.quotes[i].get())?;
        Ok(Cow::Owned(quote_key(view.speaker.as_deref(), &view.text)))
    }
}

type EventGroup<'a> = (&'a str, Option<&'a str>, &'a str);

/// A view of a stored JSON value; one that does not parse is the store's fault (500).
fn stored<'a, T: Deserialize<'a>>(what: &str, json: &'a str) -> ApiResult<T> {
    serde_json::from_str(json).map_err(|e| ApiError::internal(format!("stored {what}: {e}")))
}

/// The story page as JSON.
fn story_detail(h: &dyn newsloom_store::StoreBackend, id: &str) -> ApiResult<Vec<u8>> {
    let Some((story, articles)) = h.story(id)? else {
        return Err(ApiError::not_found(format!("no story with id {id:?}")));
    };
    let sample = analysed_sample(&articles, MAX_ANALYSED);
    let docs = h.facts_json_of_rows(&sample)?;
    let mut facts = docs.iter().map(|d| stored::<FactsView>("facts", d)).collect::<ApiResult<Vec<_>>>()?;
    let events_of = facts.iter_mut().map(FactsView::take_event_keys).collect::<ApiResult<Vec<_>>>()?;
    let outlets: Vec<String> = sample.iter().map(|a| outlet_of(a)).collect();

    // Per entity: mentions and the outlets that name it.
    let mut tally: HashMap<&str, (i64, BTreeSet<&str>)> = HashMap::new();
    let mut quotes: Vec<&RawValue> = vec![];
    let mut q_cmp: BTreeMap<Cow<str>, ComparedQuote> = BTreeMap::new();
    let mut events: HashMap<EventGroup, (usize, usize, i64)> = HashMap::new();
    let mut e_cmp: BTreeMap<EventGroup, ComparedEvent> = BTreeMap::new();
    for (a, (analysis, outlet)) in facts.iter().zip(&outlets).enumerate() {
        let counted = analysis.entities.iter().map(|(e, n)| (e.as_ref(), *n));
        for (entity, n) in counted.chain(analysis.mentions.iter().map(|m| (m.entity.as_ref(), 1))) {
            let slot = tally.entry(entity).or_default();
            slot.0 += n;
            slot.1.insert(outlet);
        }
        for (i, &q) in analysis.quotes.iter().enumerate() {
            let entry = q_cmp
                .entry(analysis.quote_key(i)?)
                .or_insert_with(|| ComparedQuote { quote: quotes.len(), outlets: vec![] });
            if !entry.outlets.contains(&outlet.as_str()) {
                entry.outlets.push(outlet);
            }
            quotes.push(q);
        }
        for (i, e) in events_of[a].iter().enumerate() {
            let key = (e.source.as_ref(), e.target.as_deref(), e.cameo.as_ref());
            let cmp = e_cmp.entry(key).or_insert_with(|| ComparedEvent {
                source_actor: key.0,
                target_actor: key.1,
                cameo: key.2,
                quad_class: e.quad_class,
                outlets: vec![],
            });
            if !cmp.outlets.contains(&outlet.as_str()) {
                cmp.outlets.push(outlet);
            }
            events.entry(key).or_insert((a, i, 0)).2 += 1;
        }
    }
    let entities = top_entities(h, tally, 100)?;
    // First report of each event, ordered by date, article, position and then actors and code
    // (so that a page's order does not depend on hashing).
    let mut firsts: Vec<(usize, usize, i64)> = events.into_values().collect();
    firsts.sort_by(|x, y| {
        let (ex, ey) = (&events_of[x.0][x.1], &events_of[y.0][y.1]);
        ex.date
            .cmp(&ey.date)
            .then_with(|| sample[x.0].id.cmp(&sample[y.0].id))
            .then_with(|| ex.start.cmp(&ey.start))
            .then_with(|| (&ex.source, &ex.target, &ex.cameo).cmp(&(&ey.source, &ey.target, &ey.cameo)))
    });
    let mut cache = ArticleCache::default();
    let mut story_events = Vec::with_capacity(firsts.len());
    for (a, i, reports) in firsts {
        let stored = &facts[a].event_sentences;
        let sentence = match stored.get(i) {
            Some(s) if stored.len() == facts[a].events.len() => EventSentence::Stored(s),
            _ => {
                let e = &events_of[a][i];
                let span = Span { article: sample[a].id.clone(), start: e.start, end: e.end };
                EventSentence::Cut(cache.sentence(h, &span)?)
            }
        };
        story_events.push(StoryEvent { event: facts[a].events[i], reports, sentence });
    }
    let comparison = Comparison {
        outlets: story.outlets.iter().map(|o| o.name.clone()).collect(),
        quotes: q_cmp.into_values().collect(),
        events: e_cmp.into_values().collect(),
    };
    let facts_from = articles.len().min(MAX_ANALYSED);
    let facts_truncated = articles.len() > facts_from;
    let page = StoryDetail {
        story,
        articles,
        entities,
        quotes,
        events: story_events,
        comparison,
        facts_truncated,
        facts_from,
    };
    serde_json::to_vec(&page).map_err(|e| ApiError::internal(format!("story page: {e}")))
}

/// The `max` entities with most mentions (ties by id) that the store knows, with their outlets.
fn top_entities(
    h: &dyn newsloom_store::StoreBackend,
    tally: HashMap<&str, (i64, BTreeSet<&str>)>,
    max: usize,
) -> ApiResult<Vec<StoryEntity>> {
    let mut ranked: Vec<_> = tally.into_iter().collect();
    ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(b.0)));
    let mut out = Vec::with_capacity(max.min(ranked.len()));
    // Read only the entities shown; a mention of one the store lacks (never expected) lets the
    // next one in.
    let mut rest = ranked.as_slice();
    while out.len() < max && !rest.is_empty() {
        let (chunk, tail) = rest.split_at((max - out.len()).min(rest.len()));
        rest = tail;
        let ids: Vec<&str> = chunk.iter().map(|(id, _)| *id).collect();
        let mut known: HashMap<String, Entity> =
            h.entities_by_ids(&ids)?.into_iter().map(|e| (e.id.clone(), e)).collect();
        for (id, (mentions, outlets)) in chunk {
            if let Some(entity) = known.remove(*id) {
                let outlets = outlets.iter().map(|o| o.to_string()).collect();
                out.push(StoryEntity { entity, mentions: *mentions, outlets });
            }
        }
    }
    Ok(out)
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
