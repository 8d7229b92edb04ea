//! What a poll and a whole follow run did, for progress lines and the final summary.

use std::collections::BTreeMap;

use newsloom_ingest::ItemError;
use serde::Serialize;

/// Errors listed in full per report; the rest are only counted.
const MAX_LISTED_ERRORS: usize = 50;

/// One poll of one source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PollReport {
    pub source: String,
    pub kind: Option<&'static str>,
    /// The feed answered 304 Not Modified.
    pub not_modified: bool,
    /// The feed could not be fetched or parsed.
    pub error: Option<String>,
    pub gone: bool,
    /// Child sitemaps read (sitemap index).
    pub sitemaps: u64,
    pub items_in_feed: u64,
    pub new_items: u64,
    pub stored: u64,
    /// Items handed to a queue (`follow --to nats://`) instead of the local pipeline.
    pub published: u64,
    pub duplicates: u64,
    /// Pages fetched that held no article.
    pub rejected: u64,
    /// Pages that could not be fetched (this poll).
    pub item_errors: u64,
    pub to_retry: u64,
    pub given_up: u64,
    /// Items stored from the feed's own content because their page failed.
    pub from_feed_content: u64,
    /// Item errors by kind.
    pub item_errors_by_kind: BTreeMap<String, u64>,
    /// The store could not be read or written: nothing of this poll was recorded as seen.
    pub store_error: Option<String>,
    pub next_poll: Option<i64>,
    pub errors: Vec<String>,
}

impl PollReport {
    pub fn new(source: &str) -> Self {
        Self { source: source.to_string(), ..Default::default() }
    }

    pub(crate) fn note_error(&mut self, e: &ItemError) {
        *self.item_errors_by_kind.entry(e.kind.to_string()).or_default() += 1;
        if self.errors.len() < MAX_LISTED_ERRORS {
            self.errors.push(e.to_string());
        }
    }

    /// One line for the log.
    pub fn line(&self) -> String {
        let mut s = self.source.clone();
        if let Some(e) = &self.error {
            s.push_str(&format!(": error: {e}"));
            if self.gone {
                s.push_str(" (marked gone, backing off)");
            }
            return s;
        }
        if self.not_modified {
            s.push_str(": not modified");
        } else {
            s.push_str(&format!(": {} items, {} new", self.items_in_feed, self.new_items));
        }
        if self.published > 0 {
            s.push_str(&format!(", {} published", self.published));
        } else {
            s.push_str(&format!(", {} stored", self.stored));
        }
        if self.duplicates > 0 {
            s.push_str(&format!(", {} duplicates", self.duplicates));
        }
        if self.item_errors > 0 {
            s.push_str(&format!(
                ", {} page errors ({} to retry, {} given up, {} from feed content)",
                self.item_errors, self.to_retry, self.given_up, self.from_feed_content
            ));
        }
        if self.rejected > 0 {
            s.push_str(&format!(", {} without article", self.rejected));
        }
        if let Some(e) = &self.store_error {
            s.push_str(&format!("; STORE ERROR (nothing lost, retried next poll): {e}"));
        }
        s
    }
}

/// A whole run: the sum of its polls.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FollowSummary {
    pub sources: u64,
    pub polls: u64,
    pub not_modified: u64,
    pub poll_errors: u64,
    /// Sources skipped by `--once` because they failed (or are gone) and their next poll is not due.
    pub skipped_backing_off: u64,
    pub new_items: u64,
    pub stored: u64,
    pub published: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub item_errors: u64,
    pub given_up: u64,
    pub from_feed_content: u64,
    pub store_errors: u64,
    pub item_errors_by_kind: BTreeMap<String, u64>,
    /// Errors in full (the first ones).
    pub errors: Vec<String>,
    pub elapsed_s: f64,
    /// Whether the run was stopped by a signal.
    pub interrupted: bool,
}

impl FollowSummary {
    pub fn add(&mut self, r: &PollReport) {
        self.polls += 1;
        self.not_modified += r.not_modified as u64;
        self.new_items += r.new_items;
        self.stored += r.stored;
        self.published += r.published;
        self.duplicates += r.duplicates;
        self.rejected += r.rejected;
        self.item_errors += r.item_errors;
        self.given_up += r.given_up;
        self.from_feed_content += r.from_feed_content;
        for (k, n) in &r.item_errors_by_kind {
            *self.item_errors_by_kind.entry(k.clone()).or_default() += n;
        }
        let mut push = |e: String| {
            if self.errors.len() < MAX_LISTED_ERRORS {
                self.errors.push(e);
            }
        };
        if let Some(e) = &r.error {
            self.poll_errors += 1;
            push(format!("{}: {e}", r.source));
        }
        if let Some(e) = &r.store_error {
            self.store_errors += 1;
            push(format!("{}: store error: {e}", r.source));
        }
        for e in &r.errors {
            push(e.clone());
        }
    }
}
