//! Items skipped on purpose (not errors): WARC records that are not HTML pages, revisits,
//! requests and the like. Counted by reason for the run's summary.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Counts of skipped items by reason, shared between a [`crate::Reader`] (and the threads it
/// reads with) and whoever reports the run.
#[derive(Debug, Clone, Default)]
pub struct SkipCounts(Arc<Mutex<BTreeMap<String, u64>>>);

impl SkipCounts {
    pub fn add(&self, reason: &str) {
        let mut counts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *counts.entry(reason.to_string()).or_default() += 1;
    }

    /// The counts so far, by reason.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn total(&self) -> u64 {
        self.snapshot().values().sum()
    }
}
