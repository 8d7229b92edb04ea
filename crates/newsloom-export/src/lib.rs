//! Exports of the newsloom store in the formats the ecosystem reads:
//!
//! - [`parquet`]: one Parquet file per table (articles, stories, mentions with their entities,
//!   quotes, events) plus a `manifest.json`, streamed from SQLite in fixed-size row groups;
//! - [`gdelt`]: GDELT 2.0 Events (61 columns) and Mentions (16 columns) TSV files, one event per
//!   story, and GDELT-style 15-minute update files with `lastupdate.txt`;
//! - [`gkg`]: GDELT Global Knowledge Graph 2.1 rows, one per article (places, themes, tone).
//!
//! Both can export incrementally: only what was stored after a point in time (`--since`) or
//! after a sequence number (the GDELT update feed's high-water mark).

mod error;
pub mod gdelt;
pub mod gkg;
pub mod manifest;
pub mod parquet;
pub mod time;

pub use error::{ExportError, Result};
pub use manifest::{Manifest, TableCount};
