//! `manifest.json`: what an export holds, so a reader can check it got everything.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::Result;

/// Rows written to one file, and rows that could not be exported (with the first errors).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TableCount {
    pub file: String,
    pub rows: u64,
    pub skipped: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

impl TableCount {
    /// At most this many error messages are kept per table; the count keeps counting.
    const MAX_ERRORS: usize = 20;

    pub fn skip(&mut self, error: String) {
        self.skipped += 1;
        if self.errors.len() < Self::MAX_ERRORS {
            self.errors.push(error);
        }
    }
}

/// The manifest of one export.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub newsloom_version: String,
    /// The store's schema version (SQLite `user_version`).
    pub schema_version: i64,
    /// RFC 3339, UTC.
    pub exported_at: String,
    /// `--since` as given, when the export is incremental.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Articles stored after this sequence number are in the export (0: all).
    pub after_seq: i64,
    /// The highest article sequence number the export covers (`after_seq` of the next one).
    pub high_water_seq: i64,
    pub tables: BTreeMap<String, TableCount>,
    pub elapsed_s: f64,
}

impl Manifest {
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join("manifest.json");
        std::fs::write(&path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }

    /// Rows skipped over all tables.
    pub fn skipped(&self) -> u64 {
        self.tables.values().map(|t| t.skipped).sum()
    }
}
