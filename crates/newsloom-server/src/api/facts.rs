//! Entities, quotes, events and dyads.

use axum::Json;
use axum::extract::{Path, State};
use newsloom_model::{Entity, Event};
use newsloom_store::{ArticleFilter, EventFilter, QuoteFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::stories::parse_offset;
use crate::api::types::{ArticleItem, EntityCount, EventItem, Page, QuoteItem};
use crate::error::{ApiError, ApiResult, Q, check_date_prefix, page_limit};
use crate::sql::ArticleCache;
use newsloom_store::StoreBackend;

/// Offset paging over store queries that only take a limit: deep pages are refused.
const MAX_WINDOW: usize = 5_000;

fn window(cursor: Option<&str>, limit: usize) -> ApiResult<usize> {
    let offset = parse_offset(cursor)?;
    if offset + limit > MAX_WINDOW {
        return Err(ApiError::bad_request(format!(
            "cannot page past {MAX_WINDOW} results here; narrow the filters instead"
        )));
    }
    Ok(offset)
}

fn paged<T>(mut all: Vec<T>, offset: usize, limit: usize) -> Page<T> {
    let more = all.len() > offset + limit;
    let items: Vec<T> = all.drain(..).skip(offset).take(limit).collect();
    Page { items, next_cursor: more.then(|| (offset + limit).to_string()) }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntityParams {
    /// Name substring or exact id.
    q: Option<String>,
    /// 1..=200, default 50.
    limit: Option<usize>,
    cursor: Option<String>,
}

/// List entities by number of mentions.
#[utoipa::path(get, path = "/api/entities", params(EntityParams), tag = "facts",
    responses((status = 200, body = Page<EntityCount>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn entities(
    State(state): State<AppState>,
    Q(p): Q<EntityParams>,
) -> ApiResult<Json<Page<EntityCount>>> {
    let limit = page_limit(p.limit, 50, 200)?;
    let offset = window(p.cursor.as_deref(), limit)?;
    let q = p.q.filter(|q| !q.trim().is_empty());
    // One more than asked, to know whether a next page exists.
    let rows = state.db.run(move |h| Ok(h.entities(q.as_deref(), offset, limit + 1)?)).await?;
    let more = rows.len() > limit;
    let items =
        rows.into_iter().take(limit).map(|(entity, mentions)| EntityCount { entity, mentions }).collect();
    Ok(Json(Page { items, next_cursor: more.then(|| (offset + limit).to_string()) }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntityDetail {
    #[schema(value_type = Object)]
    pub entity: Entity,
    pub mentions: i64,
    /// The latest articles mentioning it.
    pub articles: Vec<ArticleItem>,
    /// Its latest quotes, when it is a speaker.
    pub quotes: Vec<QuoteItem>,
    /// Its latest events as source or target, when it has an actor code.
    pub events: Vec<EventItem>,
}

/// One entity with its latest articles, quotes and events.
#[utoipa::path(get, path = "/api/entities/{id}", params(("id" = String, Path)), tag = "facts",
    responses((status = 200, body = EntityDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn entity(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<EntityDetail>> {
    let detail = state
        .db
        .run(move |h| {
            let Some((entity, mentions)) = h.entity(&id)? else {
                return Err(ApiError::not_found(format!("no entity with id {id:?}")));
            };
            let articles =
                h.articles(&ArticleFilter { entity: Some(id.clone()), limit: 50, ..Default::default() })?;
            let mut cache = ArticleCache::default();
            let quotes = quote_items(
                h,
                &mut cache,
                QuoteFilter { speaker_entity: Some(id.clone()), limit: 50, ..Default::default() },
            )?;
            let events = match &entity.code {
                Some(code) => {
                    let f = EventFilter { actor: Some(code.clone()), limit: 50, ..Default::default() };
                    let mut evs = h.events(&f)?;
                    let f = EventFilter { target: Some(code.clone()), limit: 50, ..Default::default() };
                    evs.extend(h.events(&f)?);
                    sort_events(&mut evs);
                    evs.truncate(50);
                    event_items(h, &mut cache, evs)?
                }
                None => vec![],
            };
            Ok(EntityDetail { entity, mentions, articles, quotes, events })
        })
        .await?;
    Ok(Json(detail))
}

fn quote_items(h: &dyn StoreBackend, cache: &mut ArticleCache, f: QuoteFilter) -> ApiResult<Vec<QuoteItem>> {
    let quotes = h.quotes(&f)?;
    quotes
        .into_iter()
        .map(|quote| {
            let article = cache.article_ref(h, &quote.span.article)?;
            Ok(QuoteItem { quote, article })
        })
        .collect()
}

fn event_items(
    h: &dyn StoreBackend,
    cache: &mut ArticleCache,
    events: Vec<(Event, i64)>,
) -> ApiResult<Vec<EventItem>> {
    events
        .into_iter()
        .map(|(event, reports)| {
            let article = cache.article_ref(h, &event.span.article)?;
            let sentence = cache.sentence(h, &event.span)?;
            Ok(EventItem { event, reports, article, sentence })
        })
        .collect()
}

/// Newest first, then by article and position: a total order for merged lists.
fn sort_events(evs: &mut [(Event, i64)]) {
    evs.sort_by(|(a, _), (b, _)| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.span.article.cmp(&b.span.article))
            .then_with(|| a.span.start.cmp(&b.span.start))
    });
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    /// Speaker name (substring, case-insensitive) or entity id.
    speaker: Option<String>,
    /// Article id.
    article: Option<String>,
    /// 1..=200, default 50.
    limit: Option<usize>,
    cursor: Option<String>,
}

/// List quotes, newest stored first, by speaker or article.
#[utoipa::path(get, path = "/api/quotes", params(QuoteParams), tag = "facts",
    responses((status = 200, body = Page<QuoteItem>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn quotes(State(state): State<AppState>, Q(p): Q<QuoteParams>) -> ApiResult<Json<Page<QuoteItem>>> {
    let limit = page_limit(p.limit, 50, 200)?;
    let offset = window(p.cursor.as_deref(), limit)?;
    let f = QuoteFilter {
        speaker: p.speaker.filter(|s| !s.trim().is_empty()),
        article: p.article,
        limit: offset + limit + 1,
        ..Default::default()
    };
    let all = state.db.run(move |h| quote_items(h, &mut ArticleCache::default(), f)).await?;
    Ok(Json(paged(all, offset, limit)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Source actor code prefix (`RUS` matches `RUSGOV`).
    actor: Option<String>,
    /// Target actor code prefix.
    target: Option<String>,
    /// With `actor` and `target`: either direction.
    both: Option<bool>,
    /// CAMEO code prefix (`03`, `112`).
    code: Option<String>,
    /// First date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Last date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    to: Option<String>,
    /// 1..=200, default 50.
    limit: Option<usize>,
    cursor: Option<String>,
}

pub(crate) fn check_code(v: &Option<String>, name: &str) -> ApiResult<()> {
    if let Some(c) = v
        && (c.is_empty()
            || c.len() > 32
            || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'))
    {
        return Err(ApiError::bad_request(format!(
            "`{name}` must be a code of 1 to 32 letters, digits, `-` or `_`, not {c:?}"
        )));
    }
    Ok(())
}

/// List events (one per story, actors and code, with the number of reports), newest first,
/// grouped from the newest 5,000 matching reports.
#[utoipa::path(get, path = "/api/events", params(EventParams), tag = "facts",
    responses((status = 200, body = Page<EventItem>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn events(State(state): State<AppState>, Q(p): Q<EventParams>) -> ApiResult<Json<Page<EventItem>>> {
    check_code(&p.actor, "actor")?;
    check_code(&p.target, "target")?;
    check_code(&p.code, "code")?;
    check_date_prefix(&p.from, "from")?;
    check_date_prefix(&p.to, "to")?;
    let limit = page_limit(p.limit, 50, 200)?;
    let offset = window(p.cursor.as_deref(), limit)?;
    let both = p.both.unwrap_or(false) && p.actor.is_some() && p.target.is_some();
    let f = EventFilter {
        actor: p.actor,
        target: p.target,
        code: p.code,
        from: p.from,
        to: p.to,
        limit: offset + limit + 1,
    };
    let all = state
        .db
        .run(move |h| {
            let mut evs = h.events(&f)?;
            if both {
                let swapped = EventFilter { actor: f.target.clone(), target: f.actor.clone(), ..f.clone() };
                evs.extend(h.events(&swapped)?);
                sort_events(&mut evs);
            }
            let window: Vec<_> = evs.into_iter().take(offset + limit + 1).collect();
            let more = window.len() > offset + limit;
            let items = event_items(
                h,
                &mut ArticleCache::default(),
                window.into_iter().skip(offset).take(limit).collect(),
            )?;
            Ok((items, more))
        })
        .await?;
    let (items, more) = all;
    Ok(Json(Page { items, next_cursor: more.then(|| (offset + limit).to_string()) }))
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    #[default]
    Month,
    Year,
}

impl Period {
    /// Characters of a `YYYY-MM-DD` date a period keeps, and its name.
    pub fn len_and_name(self) -> (usize, &'static str) {
        match self {
            Period::Day => (10, "day"),
            Period::Month => (7, "month"),
            Period::Year => (4, "year"),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DyadParams {
    /// First actor code (prefix).
    a: String,
    /// Second actor code (prefix).
    b: String,
    period: Option<Period>,
    /// First date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Last date, inclusive.
    to: Option<String>,
}

/// One period of a dyad series.
#[derive(Debug, Serialize, ToSchema)]
pub struct DyadSeriesPoint {
    #[serde(flatten)]
    pub point: newsloom_store::DyadPoint,
    /// The events behind this point.
    pub events_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DyadSeries {
    pub a: String,
    pub b: String,
    #[schema(value_type = String)]
    pub period: String,
    pub points: Vec<DyadSeriesPoint>,
}

/// The actor pair A–B over time (either direction): events per quad class and mean Goldstein.
#[utoipa::path(get, path = "/api/dyad", params(DyadParams), tag = "facts",
    responses((status = 200, body = DyadSeries), (status = 400, body = crate::error::ErrorBody)))]
pub async fn dyad(State(state): State<AppState>, Q(p): Q<DyadParams>) -> ApiResult<Json<DyadSeries>> {
    check_code(&Some(p.a.clone()), "a")?;
    check_code(&Some(p.b.clone()), "b")?;
    check_date_prefix(&p.from, "from")?;
    check_date_prefix(&p.to, "to")?;
    let (len, name) = p.period.unwrap_or_default().len_and_name();
    let (a, b) = (p.a.clone(), p.b.clone());
    let key = (a.clone(), b.clone(), len);
    let raw = state.cached(&state.dyads, key, move |h| Ok(std::sync::Arc::new(h.dyad(&a, &b, len)?))).await?;
    let in_range = |period: &str| {
        p.from.as_deref().is_none_or(|f| period >= &f[..f.len().min(period.len())])
            && p.to.as_deref().is_none_or(|t| period <= &t[..t.len().min(period.len())])
    };
    let points = raw
        .iter()
        .filter(|pt| in_range(&pt.period))
        .map(|pt| {
            let query = [
                ("actor", &p.a),
                ("target", &p.b),
                ("both", &"true".to_string()),
                ("from", &pt.period),
                ("to", &pt.period),
            ];
            let events_url =
                format!("/api/events?{}", serde_urlencoded::to_string(query).unwrap_or_default());
            DyadSeriesPoint { point: pt.clone(), events_url }
        })
        .collect();
    Ok(Json(DyadSeries { a: p.a, b: p.b, period: name.into(), points }))
}
