//! One poll of one source: fetch the feed (conditionally), find the items not seen before (and
//! failed ones due for another try), fetch their pages in batches, store each batch, then
//! record what became of its items and, last, the source's new validators.
//!
//! The order is what makes restarts safe: an item is recorded as seen only after its article
//! was committed, and the validators (which make the next poll a 304) only after every item of
//! the feed was dealt with. A crash in between re-fetches at most the batch in flight.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use newsloom_fetch::{FetchError, FetchRequest, FetchResponse, Fetcher};
use newsloom_ingest::{IngestItem, ItemError};
use newsloom_model::RawRecord;
use newsloom_store::{FollowItem, FollowItemState, FollowSource};
use url::Url;

use crate::feed::{self, FeedItem, FeedKind};
use crate::page::{self, SourceHints};
use crate::sources::SourceSpec;
use crate::summary::PollReport;
use crate::writer::Writer;
use crate::{FollowOptions, now_secs};

/// A sitemap index lists at most this many sitemaps that are followed (the rest are reported).
const MAX_CHILD_SITEMAPS: usize = 1000;
/// Failed items retried per poll, oldest first.
const MAX_RETRIES_PER_POLL: usize = 200;

/// Polls one source. Never fails: every problem ends up in the report and the source's state.
pub(crate) async fn poll_source(
    fetcher: &Fetcher,
    writer: &Writer,
    spec: &SourceSpec,
    opts: &FollowOptions,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> PollReport {
    let mut report = PollReport::new(spec.url.as_str());
    let url = spec.url.to_string();
    let loaded = writer
        .with(move |p| {
            p.embedded().map_err(|e| e.to_string())?.follow_source(&url).map_err(|e| e.to_string())
        })
        .await;
    let mut state = match loaded {
        Ok(state) => {
            state.unwrap_or_else(|| FollowSource { url: spec.url.to_string(), ..Default::default() })
        }
        Err(e) => {
            report.store_error = Some(e);
            return report;
        }
    };
    state.name = spec.name.clone();
    let now = now_secs();
    state.polls += 1;
    state.last_poll = Some(now);
    let poll_every = opts.poll.unwrap_or(spec.poll);

    let fetched = fetch_document(fetcher, &spec.url, &state).await;
    let (parsed, validators) = match fetched {
        Err(failure) => {
            report.error = Some(failure.message.clone());
            fail_source(&mut state, &failure, poll_every, opts);
            report.gone = state.gone;
            report.next_poll = state.next_poll;
            save_state(writer, state, &mut report).await;
            // Items that failed earlier are retried on the next successful poll.
            return report;
        }
        Ok(Document::NotModified) => {
            report.not_modified = true;
            (None, None)
        }
        Ok(Document::Parsed(parsed, v)) => (Some(parsed), Some(v)),
    };

    let mut items = Vec::new();
    if let Some(parsed) = parsed {
        state.kind = Some(parsed.kind.as_str().to_string());
        report.kind = Some(parsed.kind.as_str());
        items = parsed.items;
        if parsed.kind == FeedKind::SitemapIndex {
            items.extend(poll_children(fetcher, writer, &spec.url, &parsed.sitemaps, &mut report).await);
        }
    }
    report.items_in_feed = items.len() as u64;

    // New items, then earlier failures due for another try.
    let mut seen_keys = HashSet::new();
    items.retain(|i| seen_keys.insert(i.key.clone()));
    let source = spec.url.to_string();
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    let known = {
        let source = source.clone();
        writer
            .with(move |p| {
                let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
                let states = p
                    .embedded()
                    .map_err(|e| e.to_string())?
                    .follow_item_states(&source, &refs)
                    .map_err(|e| e.to_string())?;
                let retry = p
                    .embedded()
                    .map_err(|e| e.to_string())?
                    .follow_items_to_retry(&source, MAX_RETRIES_PER_POLL)
                    .map_err(|e| e.to_string())?;
                Ok((states, retry))
            })
            .await
    };
    let (states, retry) = match known {
        Ok(k) => k,
        Err(e) => {
            report.store_error = Some(e);
            return report;
        }
    };
    let mut work: Vec<(FeedItem, i64)> = Vec::new();
    for item in items {
        match states.get(&item.key) {
            None => work.push((item, 0)),
            Some((FollowItemState::Failed, attempts)) => work.push((item, *attempts)),
            Some(_) => {}
        }
    }
    report.new_items = work.iter().filter(|(_, a)| *a == 0).count() as u64;
    for r in retry {
        if seen_keys.contains(&r.key) {
            continue;
        }
        let Ok(url) = Url::parse(&r.url) else { continue };
        work.push((FeedItem { key: r.key, url: Some(url), ..Default::default() }, r.attempts));
    }

    let hints = SourceHints { feed: spec.url.to_string(), name: spec.name.clone(), lang: spec.lang.clone() };
    let mut complete = true;
    for chunk in work.chunks(opts.batch_size.max(1)) {
        if *stop.borrow() {
            complete = false;
            break;
        }
        if let Err(e) = process_batch(fetcher, writer, &source, &hints, chunk, opts, &mut report).await {
            report.store_error = Some(e);
            complete = false;
            break;
        }
    }

    // Validators only once every item of this version of the feed was dealt with; otherwise the
    // next poll fetches it in full again and picks up the rest.
    if complete && let Some((etag, last_modified)) = validators {
        state.etag = etag;
        state.last_modified = last_modified;
    }
    if report.store_error.is_some() {
        // Not the source's fault: no back-off, the next poll (or cron run) tries again.
        state.last_error = report.store_error.as_ref().map(|e| format!("store: {e}"));
    } else {
        state.consecutive_errors = 0;
        state.gone = false;
    }
    state.next_poll = Some(now_secs() + poll_every.as_secs().max(1) as i64);
    report.next_poll = state.next_poll;
    save_state(writer, state, &mut report).await;
    report
}

/// Why a feed could not be read.
pub(crate) struct SourceFailure {
    message: String,
    gone: bool,
    retry_after: Option<Duration>,
}

enum Document {
    NotModified,
    /// The parsed document and its validators (etag, last-modified).
    Parsed(feed::Parsed, (Option<String>, Option<String>)),
}

async fn fetch_document(
    fetcher: &Fetcher,
    url: &Url,
    state: &FollowSource,
) -> Result<Document, SourceFailure> {
    let req = FetchRequest {
        url: url.clone(),
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    let resp = fetcher.fetch(&req).await.map_err(|e| SourceFailure {
        message: format!("{}: {e}", e.kind()),
        gone: matches!(e, FetchError::Gone { .. }),
        retry_after: match &e {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        },
    })?;
    if resp.not_modified {
        return Ok(Document::NotModified);
    }
    let parsed = feed::parse(&resp.body, &resp.final_url).map_err(|e| SourceFailure {
        message: format!("malformed feed: {e}"),
        gone: false,
        retry_after: None,
    })?;
    Ok(Document::Parsed(parsed, (resp.etag, resp.last_modified)))
}

/// A failed poll: count it, and push the next poll out exponentially with the failures in a
/// row (further for a source that is gone), honouring the server's Retry-After.
fn fail_source(
    state: &mut FollowSource,
    failure: &SourceFailure,
    poll_every: Duration,
    opts: &FollowOptions,
) {
    state.errors += 1;
    state.consecutive_errors += 1;
    state.last_error = Some(failure.message.clone());
    state.gone = failure.gone;
    let backoff = backoff(poll_every, state.consecutive_errors, failure.gone, opts.max_backoff);
    let wait = failure.retry_after.map_or(backoff, |r| r.max(backoff)).min(opts.max_backoff.max(poll_every));
    state.next_poll = Some(now_secs() + wait.as_secs().max(1) as i64);
}

/// The wait after `failures` failed polls in a row: the poll interval doubled per failure
/// (quadrupled for a source that is gone), at most `max`.
pub(crate) fn backoff(poll_every: Duration, failures: i64, gone: bool, max: Duration) -> Duration {
    let exp = (failures.clamp(1, 30) as u32 - 1) + if gone { 2 } else { 0 };
    let factor = 2u32.saturating_pow(exp.min(20));
    poll_every.saturating_mul(factor).min(max.max(poll_every))
}

async fn save_state(writer: &Writer, state: FollowSource, report: &mut PollReport) {
    if let Err(e) = writer
        .with(move |p| {
            p.embedded().map_err(|e| e.to_string())?.save_follow_source(&state).map_err(|e| e.to_string())
        })
        .await
    {
        report.store_error.get_or_insert(e);
    }
}

/// The items of the sitemaps a sitemap index lists, each fetched with its own validators.
async fn poll_children(
    fetcher: &Fetcher,
    writer: &Writer,
    parent: &Url,
    sitemaps: &[Url],
    report: &mut PollReport,
) -> Vec<FeedItem> {
    if sitemaps.len() > MAX_CHILD_SITEMAPS {
        report.errors.push(format!(
            "{parent}: lists {} sitemaps; only the first {MAX_CHILD_SITEMAPS} are followed",
            sitemaps.len()
        ));
    }
    let mut items = Vec::new();
    for url in sitemaps.iter().take(MAX_CHILD_SITEMAPS) {
        let key = url.to_string();
        let mut state = match writer
            .with(move |p| {
                p.embedded().map_err(|e| e.to_string())?.follow_source(&key).map_err(|e| e.to_string())
            })
            .await
        {
            Ok(s) => s.unwrap_or_else(|| FollowSource { url: url.to_string(), ..Default::default() }),
            Err(e) => {
                report.store_error.get_or_insert(e);
                return items;
            }
        };
        state.parent = Some(parent.to_string());
        state.polls += 1;
        state.last_poll = Some(now_secs());
        match fetch_document(fetcher, url, &state).await {
            Ok(Document::NotModified) => state.consecutive_errors = 0,
            Ok(Document::Parsed(parsed, _)) if parsed.kind == FeedKind::SitemapIndex => {
                state.errors += 1;
                state.last_error = Some("a sitemap index inside a sitemap index is not followed".into());
                report.errors.push(format!("{url}: {}", state.last_error.as_deref().unwrap_or_default()));
            }
            Ok(Document::Parsed(parsed, (etag, last_modified))) => {
                state.kind = Some(parsed.kind.as_str().to_string());
                // A child's validators are kept only if its items get dealt with in this poll;
                // the parent's are saved last, so after a crash the index is read again and
                // every child in full (its items are skipped as seen).
                state.etag = etag;
                state.last_modified = last_modified;
                state.consecutive_errors = 0;
                report.sitemaps += 1;
                items.extend(parsed.items);
            }
            Err(failure) => {
                state.errors += 1;
                state.consecutive_errors += 1;
                state.last_error = Some(failure.message.clone());
                state.gone = failure.gone;
                report.errors.push(format!("{url}: {}", failure.message));
            }
        }
        save_state(writer, state, report).await;
    }
    items
}

/// What fetching one item's page came to.
enum PageOutcome {
    Record(RawRecord),
    /// Fetch failed: the error, whether it is worth another try.
    Failed(ItemError, bool),
}

async fn fetch_page(fetcher: &Fetcher, item: &FeedItem, hints: &SourceHints) -> PageOutcome {
    let Some(url) = item.url.clone() else {
        let e = ItemError::new(item.key.clone(), "no link", "the item has no http(s) link to fetch");
        return PageOutcome::Failed(e, false);
    };
    let origin = url.to_string();
    match fetcher.fetch(&FetchRequest { url, etag: None, last_modified: None }).await {
        Ok(FetchResponse { final_url, body, charset, .. }) => {
            match page::page_record(item, hints, &final_url, &body, charset.as_deref()) {
                Ok(r) => PageOutcome::Record(r),
                Err(e) => PageOutcome::Failed(e, false),
            }
        }
        Err(e) => {
            let transient = e.is_transient();
            PageOutcome::Failed(
                ItemError::new(origin, e.kind(), format!("page fetch failed: {e}")),
                transient,
            )
        }
    }
}

/// Fetches one batch of pages, stores their articles, then records the items.
async fn process_batch(
    fetcher: &Fetcher,
    writer: &Writer,
    source: &str,
    hints: &SourceHints,
    batch: &[(FeedItem, i64)],
    opts: &FollowOptions,
    report: &mut PollReport,
) -> Result<(), String> {
    // Collected first: a lazy map over borrowed items trips the compiler's Send check.
    let fetches: Vec<_> = batch.iter().map(|(item, _)| fetch_page(fetcher, item, hints)).collect();
    let outcomes: Vec<PageOutcome> =
        futures::stream::iter(fetches).buffered(opts.page_concurrency.max(1)).collect().await;
    let mut records: Vec<RawRecord> = Vec::new();
    // Per item: the record id it was stored under, or its final state and error.
    let mut pending: Vec<(FollowItem, Option<String>)> = Vec::new();
    let mut rejects: Vec<ItemError> = Vec::new();
    for ((item, attempts), outcome) in batch.iter().zip(outcomes) {
        let url = item.url.as_ref().map(Url::to_string).unwrap_or_else(|| item.key.clone());
        let mut row = FollowItem {
            source: source.to_string(),
            key: item.key.clone(),
            url,
            article: None,
            state: FollowItemState::Stored,
            attempts: attempts + 1,
            last_error: None,
        };
        match outcome {
            PageOutcome::Record(r) => {
                pending.push((row, Some(r.id.clone())));
                records.push(r);
            }
            PageOutcome::Failed(e, transient) => {
                report.item_errors += 1;
                report.note_error(&e);
                row.last_error = Some(e.message.clone());
                let last_try = !transient || row.attempts >= opts.max_item_attempts as i64;
                if last_try && let Some(r) = page::feed_content_record(item, hints, &e.message) {
                    report.from_feed_content += 1;
                    pending.push((row, Some(r.id.clone())));
                    records.push(r);
                    continue;
                }
                row.state = if last_try { FollowItemState::GivenUp } else { FollowItemState::Failed };
                if last_try {
                    report.given_up += 1;
                    rejects.push(e);
                } else {
                    report.to_retry += 1;
                }
                pending.push((row, None));
            }
        }
    }
    let items: Vec<IngestItem> = records
        .into_iter()
        .map(IngestItem::Record)
        .chain(rejects.into_iter().map(IngestItem::Rejected))
        .collect();
    if let Some(publish) = writer.publisher() {
        let published = items.len() as u64;
        publish(items).await?;
        // Held durably by the queue: the workers extract and store them from there.
        let rows: Vec<FollowItem> = pending
            .into_iter()
            .map(|(mut row, id)| {
                row.article = id;
                row
            })
            .collect();
        writer
            .with(move |p| {
                p.embedded().map_err(|e| e.to_string())?.record_follow_items(&rows).map_err(|e| e.to_string())
            })
            .await?;
        report.published += published;
        return Ok(());
    }
    let (summary, rows) = writer
        .with(move |p| {
            let summary =
                p.ingest(items.into_iter(), &newsloom_pipeline::Quiet).map_err(|e| e.to_string())?;
            // Committed: now the items can be recorded as seen.
            let ids: Vec<&str> = pending.iter().filter_map(|(_, id)| id.as_deref()).collect();
            let stored = p.store().existing_ids(&ids).map_err(|e| e.to_string())?;
            let rows: Vec<FollowItem> = pending
                .into_iter()
                .map(|(mut row, id)| {
                    if let Some(id) = id {
                        if stored.contains(&id) {
                            row.article = Some(id);
                        } else {
                            row.state = FollowItemState::Rejected;
                            row.last_error = Some("no article extracted from the page".into());
                        }
                    }
                    row
                })
                .collect();
            p.embedded().map_err(|e| e.to_string())?.record_follow_items(&rows).map_err(|e| e.to_string())?;
            Ok((summary, rows))
        })
        .await?;
    writer.stored();
    report.stored += summary.stored;
    report.duplicates += summary.duplicates;
    report.rejected += rows.iter().filter(|r| r.state == FollowItemState::Rejected).count() as u64;
    for e in summary.errors {
        report.errors.push(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let min = Duration::from_secs(60);
        let max = Duration::from_secs(3600);
        assert_eq!(backoff(min, 1, false, max), min);
        assert_eq!(backoff(min, 3, false, max), min * 4);
        assert_eq!(backoff(min, 1, true, max), min * 4, "a gone source waits longer");
        assert_eq!(backoff(min, 30, false, max), max);
        assert_eq!(backoff(Duration::from_secs(7200), 5, false, max), Duration::from_secs(7200));
    }
}
