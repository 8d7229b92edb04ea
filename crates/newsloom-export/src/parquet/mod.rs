//! `newsloom export --format parquet --out DIR`: one Parquet file per table and a manifest.
//!
//! Rows stream from SQLite through Arrow builders into row groups of a fixed size, so memory
//! is bounded by one row group per table, not by the store. Everything is read in one SQLite
//! snapshot: the files and the manifest agree even while another process ingests.

mod tables;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use newsloom_store::{SqliteStore, StoreError};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::manifest::{Manifest, TableCount};
use crate::time::{now_secs, parse_since, rfc3339};
use crate::{ExportError, Result};
use tables::{Articles, Events, Mentions, Quotes, Stories, Table};

/// The tables written, by file name stem.
pub const TABLES: [&str; 5] = ["articles", "stories", "mentions", "quotes", "events"];

/// What to export and how to report progress.
pub struct ParquetOptions<'a> {
    /// Only articles stored at or after this time (RFC 3339 or YYYY-MM-DD), their facts, and
    /// the stories they touched.
    pub since: Option<String>,
    /// Called with the table being written and its rows so far (every few thousand rows).
    pub progress: &'a dyn Fn(&str, u64),
    /// Rows per row group for every table, instead of each table's default (8,192 articles,
    /// 65,536 fact rows): memory holds one group per table at a time.
    pub rows_per_group: Option<usize>,
}

/// Writes `DIR/{articles,stories,mentions,quotes,events}.parquet` and `DIR/manifest.json`.
/// Rows whose stored JSON is corrupt are skipped, counted and listed in the manifest.
pub fn export(store: &SqliteStore, dir: &Path, options: &ParquetOptions) -> Result<Manifest> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError(format!("cannot create {}: {e}", dir.display())))?;
    let started = std::time::Instant::now();
    let exported_at = rfc3339(now_secs());
    store.read_snapshot(|store| {
        let after_seq = match &options.since {
            Some(s) => store.seq_before_time(parse_since(s)?)?,
            None => 0,
        };
        let high_water_seq = store.max_seq()?;
        let progress = options.progress;
        let group = options.rows_per_group.map(|n| n.max(1));
        let mut tables = BTreeMap::new();
        let count =
            write_table::<Articles>(dir, group, progress, |f| store.for_each_article_export(after_seq, f))?;
        tables.insert(Articles::NAME.to_string(), count);
        let count =
            write_table::<Stories>(dir, group, progress, |f| store.for_each_story_export(after_seq, f))?;
        tables.insert(Stories::NAME.to_string(), count);
        let count =
            write_table::<Mentions>(dir, group, progress, |f| store.for_each_mention_export(after_seq, f))?;
        tables.insert(Mentions::NAME.to_string(), count);
        let count =
            write_table::<Quotes>(dir, group, progress, |f| store.for_each_quote_export(after_seq, f))?;
        tables.insert(Quotes::NAME.to_string(), count);
        let count =
            write_table::<Events>(dir, group, progress, |f| store.for_each_event_export(after_seq, f))?;
        tables.insert(Events::NAME.to_string(), count);
        let manifest = Manifest {
            format: "parquet".into(),
            newsloom_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: store.schema_version()?,
            exported_at,
            since: options.since.clone(),
            after_seq,
            high_water_seq,
            tables,
            elapsed_s: started.elapsed().as_secs_f64(),
        };
        manifest.write(dir)?;
        Ok(manifest)
    })
}

/// A Parquet file being filled one row group at a time.
struct TableWriter<T: Table> {
    table: T,
    schema: SchemaRef,
    writer: ArrowWriter<File>,
    rows_per_group: usize,
}

impl<T: Table> TableWriter<T> {
    fn create(path: &Path, rows_per_group: usize) -> Result<Self> {
        let schema = T::schema();
        let file =
            File::create(path).map_err(|e| ExportError(format!("cannot create {}: {e}", path.display())))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(rows_per_group))
            .set_created_by(format!("newsloom {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
        Ok(Self { table: T::default(), schema, writer, rows_per_group })
    }

    fn push(&mut self, row: T::Row) -> Result<()> {
        self.table.push(row);
        if self.table.len() >= self.rows_per_group {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the collected rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.table.len() == 0 {
            return Ok(());
        }
        let batch = RecordBatch::try_new(self.schema.clone(), self.table.finish())?;
        self.writer.write(&batch)?;
        self.writer.flush()?;
        Ok(())
    }

    fn close(mut self) -> Result<()> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

/// Streams the rows `scan` produces into `DIR/<table>.parquet`.
fn write_table<T: Table>(
    dir: &Path,
    rows_per_group: Option<usize>,
    progress: &dyn Fn(&str, u64),
    scan: impl FnOnce(&mut dyn FnMut(std::result::Result<T::Row, StoreError>) -> Result<()>) -> Result<()>,
) -> Result<TableCount> {
    let file = format!("{}.parquet", T::NAME);
    let mut writer = TableWriter::<T>::create(&dir.join(&file), rows_per_group.unwrap_or(T::ROWS_PER_GROUP))?;
    let mut count = TableCount { file, ..Default::default() };
    progress(T::NAME, 0);
    scan(&mut |row| {
        match row {
            Ok(row) => {
                writer.push(row)?;
                count.rows += 1;
                if count.rows.is_multiple_of(4096) {
                    progress(T::NAME, count.rows);
                }
            }
            Err(e) => count.skip(e.0),
        }
        Ok(())
    })?;
    writer.close()?;
    progress(T::NAME, count.rows);
    Ok(count)
}
