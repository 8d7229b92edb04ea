//! Parquet export: every table read back with the parquet crate's own reader, row counts and
//! values checked against the store; `--since`; a corrupt row is skipped and reported.

mod common;

use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float32Type, Int8Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use newsloom_export::parquet::{ParquetOptions, TABLES, export};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn read(dir: &Path, table: &str) -> RecordBatch {
    let file = File::open(dir.join(format!("{table}.parquet"))).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    // The fixture is small: one row group, one batch per table.
    assert_eq!(batches.len(), 1, "{table}");
    batches.remove(0)
}

fn strings(batch: &RecordBatch, col: &str) -> Vec<Option<String>> {
    let a = batch.column_by_name(col).unwrap().as_string::<i32>();
    (0..a.len()).map(|i| (!a.is_null(i)).then(|| a.value(i).to_string())).collect()
}

fn ints(batch: &RecordBatch, col: &str) -> Vec<i64> {
    batch.column_by_name(col).unwrap().as_primitive::<Int64Type>().values().to_vec()
}

fn quiet() -> impl Fn(&str, u64) {
    |_, _| {}
}

#[test]
fn every_table_round_trips_with_its_types() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::fixture(&dir.path().join("db"));
    let out = dir.path().join("out");
    let progress = quiet();
    let manifest =
        export(&store, &out, &ParquetOptions { since: None, progress: &progress, rows_per_group: None })
            .unwrap();
    let stats = store.stats().unwrap();

    // Row counts: manifest, files and store agree.
    let expected = [
        ("articles", stats.articles),
        ("stories", stats.stories),
        ("mentions", stats.mentions),
        ("quotes", stats.quotes),
        ("events", stats.events),
    ];
    assert_eq!(
        expected.map(|(n, c)| (n, c)),
        [("articles", 3), ("stories", 2), ("mentions", 6), ("quotes", 3), ("events", 4)]
    );
    for (table, rows) in expected {
        assert_eq!(manifest.tables[table].rows, rows as u64, "{table} in the manifest");
        assert_eq!(read(&out, table).num_rows() as i64, rows, "{table}.parquet");
    }
    assert_eq!(TABLES.len(), manifest.tables.len());
    assert_eq!((manifest.after_seq, manifest.high_water_seq, manifest.skipped()), (0, 3, 0));
    assert_eq!(manifest.schema_version, store.schema_version().unwrap());
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(on_disk["tables"]["events"]["rows"], 4);
    assert_eq!(on_disk["newsloom_version"], env!("CARGO_PKG_VERSION"));

    // Articles: values and proper types.
    let a = read(&out, "articles");
    assert_eq!(strings(&a, "id"), [Some("a".into()), Some("b".into()), Some("c".into())]);
    assert_eq!(ints(&a, "seq"), [1, 2, 3]);
    assert_eq!(strings(&a, "source")[1].as_deref(), Some("The Moscow Times"));
    assert_eq!(strings(&a, "story"), [Some("s1".into()), Some("s1".into()), Some("s2".into())]);
    assert_eq!(strings(&a, "body")[0].as_deref(), Some(common::BODY));
    assert_eq!(
        strings(&a, "published_precision"),
        [Some("second".into()), Some("day".into()), Some("month".into())]
    );
    let day = a.column_by_name("published_day").unwrap().as_primitive::<Date32Type>();
    assert_eq!(day.data_type(), &DataType::Date32);
    // 2016-12-27 is day 17162 since 1970-01-01; a month-precision date has no day.
    assert_eq!((day.value(0), day.value(1), day.is_null(2)), (17162, 17163, true));
    let at = a.column_by_name("published_at").unwrap();
    assert_eq!(at.data_type(), &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())));
    let at = at.as_primitive::<TimestampMillisecondType>();
    // 2016-12-27T10:15:00+03:00 = 07:15 UTC; a day alone is no timestamp.
    assert_eq!((at.value(0), at.is_null(1)), (1_482_822_900_000, true));
    let bylines = a.column_by_name("bylines").unwrap().as_list::<i32>();
    let first = bylines.value(0);
    let first = first.as_string::<i32>();
    assert_eq!((first.len(), first.value(0), first.value(1)), (2, "Ann Writer", "Desk a"));
    let confidence = a.column_by_name("confidence").unwrap().as_primitive::<Float32Type>();
    assert_eq!(confidence.value(2), 0.75);
    assert!(!a.column_by_name("ingested_at").unwrap().is_null(0));

    // Stories, with dates as dates.
    let s = read(&out, "stories");
    assert_eq!(strings(&s, "id"), [Some("s1".into()), Some("s2".into())]);
    assert_eq!(ints(&s, "size"), [2, 1]);
    assert_eq!(ints(&s, "outlets"), [2, 1]);
    let first_seen = s.column_by_name("first_seen").unwrap().as_primitive::<Date32Type>();
    assert_eq!((first_seen.value(0), first_seen.is_null(1)), (17162, true));

    // Mentions joined with their entities; spans as columns.
    let m = read(&out, "mentions");
    assert_eq!(strings(&m, "article")[2].as_deref(), Some("b"));
    assert_eq!(ints(&m, "start")[..2], [0, 11]);
    assert_eq!(ints(&m, "end")[..2], [6, 15]);
    assert_eq!(strings(&m, "entity_code")[1].as_deref(), Some("IGOWSTNAT"));
    assert_eq!(strings(&m, "entity_name")[0].as_deref(), Some("Russia"));

    // Quotes with the speaker's span.
    let q = read(&out, "quotes");
    assert_eq!(strings(&q, "text")[0].as_deref(), Some("Мы"));
    assert_eq!(ints(&q, "speaker_start")[0], 54);
    assert_eq!(strings(&q, "kind")[0].as_deref(), Some("direct"));

    // Events: quad class and Goldstein as numbers, the event's day as a date.
    let e = read(&out, "events");
    assert_eq!(
        strings(&e, "cameo"),
        [Some("036".into()), Some("036".into()), Some("036".into()), Some("111".into())]
    );
    assert_eq!(strings(&e, "target_actor")[3], None);
    assert_eq!(e.column_by_name("quad_class").unwrap().as_primitive::<Int8Type>().value(0), 1);
    assert_eq!(e.column_by_name("goldstein").unwrap().as_primitive::<Float32Type>().value(0), 1.0);
    let day = e.column_by_name("day").unwrap().as_primitive::<Date32Type>();
    assert_eq!((day.value(0), day.is_null(1)), (17161, true));
    assert_eq!(ints(&e, "start"), [0, 70, 80, 90]);
}

#[test]
fn since_exports_only_what_was_stored_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = common::fixture(&db);
    // a and b were stored at 1000 s, c at 2000 s after the epoch.
    common::set_ingested_at(&db, &["a", "b"], 1000);
    common::set_ingested_at(&db, &["c"], 2000);
    let out = dir.path().join("out");
    let progress = quiet();
    let options = ParquetOptions {
        since: Some("1970-01-01T00:20:00Z".into()),
        progress: &progress,
        rows_per_group: None,
    };
    let manifest = export(&store, &out, &options).unwrap();
    assert_eq!(manifest.after_seq, 2);
    assert_eq!(strings(&read(&out, "articles"), "id"), [Some("c".into())]);
    assert_eq!(strings(&read(&out, "stories"), "id"), [Some("s2".into())]);
    assert_eq!(strings(&read(&out, "events"), "article"), [Some("c".into())]);
    assert_eq!(read(&out, "mentions").num_rows(), 2);
    assert_eq!(read(&out, "quotes").num_rows(), 1);
    let counts: Vec<u64> = manifest.tables.values().map(|t| t.rows).collect();
    // articles, events, mentions, quotes, stories (by name)
    assert_eq!(counts, [1, 1, 2, 1, 1]);

    // Nothing stored after a later time: empty, readable files.
    let options =
        ParquetOptions { since: Some("1970-01-02".into()), progress: &progress, rows_per_group: None };
    let manifest = export(&store, &out, &options).unwrap();
    assert!(manifest.tables.values().all(|t| t.rows == 0));
    let file = File::open(out.join("articles.parquet")).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    assert_eq!(builder.metadata().file_metadata().num_rows(), 0);

    assert!(
        export(
            &store,
            &out,
            &ParquetOptions { since: Some("last week".into()), progress: &progress, rows_per_group: None }
        )
        .is_err()
    );
}

#[test]
fn a_corrupt_row_is_skipped_counted_and_the_rest_exported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = common::fixture(&db);
    common::sql(
        &db,
        "UPDATE mentions SET doc = '{not json' WHERE rowid = 2; UPDATE articles SET doc = '[]' WHERE id = 'b';",
    );
    let out = dir.path().join("out");
    let progress = quiet();
    let manifest =
        export(&store, &out, &ParquetOptions { since: None, progress: &progress, rows_per_group: None })
            .unwrap();
    assert_eq!((manifest.tables["mentions"].rows, manifest.tables["mentions"].skipped), (5, 1));
    assert_eq!((manifest.tables["articles"].rows, manifest.tables["articles"].skipped), (2, 1));
    assert!(
        manifest.tables["articles"].errors[0].contains("article b"),
        "{:?}",
        manifest.tables["articles"].errors
    );
    assert_eq!(read(&out, "mentions").num_rows(), 5);
    assert_eq!(strings(&read(&out, "articles"), "id"), [Some("a".into()), Some("c".into())]);
}

#[test]
fn rows_stream_into_row_groups_of_a_fixed_size() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::fixture(&dir.path().join("db"));
    let out = dir.path().join("out");
    let progress = quiet();
    let options = ParquetOptions { since: None, progress: &progress, rows_per_group: Some(2) };
    export(&store, &out, &options).unwrap();
    // 3 articles → groups of 2 + 1; 6 mentions → 2 + 2 + 2.
    for (table, groups, rows) in [("articles", 2, 3), ("mentions", 3, 6), ("events", 2, 4), ("stories", 1, 2)]
    {
        let file = File::open(out.join(format!("{table}.parquet"))).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let meta = builder.metadata();
        assert_eq!(meta.num_row_groups(), groups, "{table}");
        assert!(meta.row_groups().iter().all(|g| g.num_rows() <= 2), "{table}");
        assert_eq!(meta.file_metadata().num_rows(), rows, "{table}");
        assert_eq!(meta.row_group(0).column(0).compression(), parquet::basic::Compression::SNAPPY);
        let read: usize = builder.build().unwrap().map(|b| b.unwrap().num_rows()).sum();
        assert_eq!(read as i64, rows, "{table}");
    }
}
