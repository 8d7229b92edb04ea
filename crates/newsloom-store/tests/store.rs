//! The SQLite store against the shared conformance suite, plus what only SQLite has.

use newsloom_model::Analysis;
use newsloom_model::{Article, PublishedDate};
use newsloom_store::{NewArticle, SqliteStore, StoreBackend, conformance};

#[test]
fn sqlite_passes_the_conformance_suite() {
    let root = tempfile::tempdir().unwrap();
    conformance::run_all(&mut |name| {
        Box::new(SqliteStore::open(&root.path().join(name)).unwrap()) as Box<dyn StoreBackend>
    });
}

#[test]
fn a_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    SqliteStore::open(dir.path())
        .unwrap()
        .insert_batch(&[new(article("a", "s1", "TASS", "2016-12-27"))], &[])
        .unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 1);
    assert_eq!(store.article("a").unwrap().unwrap().raw, "raw a");
}

fn article(id: &str, story: &str, source: &str, day: &str) -> Article {
    Article {
        id: id.into(),
        title: format!("Title {id}"),
        body: format!("Body of {id}. Russia and NATO met."),
        body_hash: id.into(),
        source: Some(source.into()),
        story: Some(story.into()),
        published: PublishedDate::parse_iso(day, "input"),
        raw: format!("raw {id}"),
        origin: format!("{id}.txt"),
        ..Default::default()
    }
}

fn new(a: Article) -> NewArticle {
    NewArticle { article: a, analysis: Analysis::default(), ..Default::default() }
}

/// The outlet count kept on each story (what story lists sort by) follows inserts and merges.
#[test]
fn story_outlet_counts_follow_inserts_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let outlets = |story: &str| -> i64 {
        let conn = rusqlite::Connection::open(dir.path().join("newsloom.db")).unwrap();
        conn.query_row("SELECT outlets FROM stories WHERE id = ?", [story], |r| r.get(0)).unwrap()
    };
    let mut unnamed = article("u", "s1", "-", "2020-01-01");
    unnamed.source = None;
    store
        .insert_batch(
            &[
                new(article("a", "s1", "X", "2020-01-01")),
                new(article("b", "s2", "Y", "2020-01-03")),
                new(article("c", "s1", "X", "2020-01-02")),
                new(unnamed),
            ],
            &[],
        )
        .unwrap();
    assert_eq!((outlets("s1"), outlets("s2")), (1, 1));
    store.insert_batch(&[new(article("d", "s1", "Z", "2020-01-04"))], &[]).unwrap();
    assert_eq!(outlets("s1"), 2);
    let mut e = new(article("e", "s1", "X", "2020-01-05"));
    e.merges = vec![("s2".into(), "s1".into())];
    store.insert_batch(&[e], &[]).unwrap();
    assert_eq!(outlets("s1"), 3);
}

/// Each event's sentence is cut from the body when the article is stored, so a story page need
/// not read the body; the document of an article without events has none.
#[test]
fn facts_documents_keep_each_events_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let mut with_event = new(article("a", "s1", "TASS", "2016-12-27"));
    let body = with_event.article.body.clone();
    let start = body.find("NATO").unwrap();
    with_event.analysis.events.push(newsloom_model::Event {
        source_actor: "RUS".into(),
        target_actor: Some("NATO".into()),
        cameo: "040".into(),
        plover: None,
        plover_mode: None,
        goldstein: 1.0,
        quad_class: newsloom_model::QuadClass::VerbalCooperation,
        date: None,
        negated: false,
        span: newsloom_model::Span::new("a", start, start + 4),
        confidence: 1.0,
        action_geo: None,
        source_geo: None,
        target_geo: None,
    });
    store.insert_batch(&[with_event, new(article("b", "s1", "TASS", "2016-12-27"))], &[]).unwrap();
    let docs = store.facts_json_of_articles(&["a", "b"]).unwrap();
    let a: serde_json::Value = serde_json::from_str(&docs[0]).unwrap();
    assert_eq!(
        a["event_sentences"],
        serde_json::json!([{"text": "Russia and NATO met.", "start": 11, "end": 15}])
    );
    let b: serde_json::Value = serde_json::from_str(&docs[1]).unwrap();
    assert!(b.get("event_sentences").is_none());
}

/// The ingest writer's log checkpointed by another thread: the database file fills while the
/// writer runs (the writer itself no longer checkpoints), the log file stays the size of a few
/// batches however many are written, and every article is there after reopening.
#[test]
fn background_checkpoints_fill_the_database_and_keep_the_log_short() {
    let dir = tempfile::tempdir().unwrap();
    let (db, wal) = (dir.path().join("newsloom.db"), dir.path().join("newsloom.db-wal"));
    let len = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.checkpoint_in_background().unwrap();
    let db_at_start = len(&db);
    let batch = |b: usize| -> Vec<NewArticle> {
        (0..100)
            .map(|i| {
                let mut a = article(&format!("a{b}-{i}"), &format!("s{b}"), "X", "2020-01-01");
                a.body = format!("{} {b} {i}", "Russia and NATO met in Brussels on Monday. ".repeat(40));
                new(a)
            })
            .collect()
    };
    store.insert_batch(&batch(0), &[]).unwrap();
    let one_batch = len(&wal);
    assert!(one_batch > 0, "the first batch is in the log");
    for b in 1..24 {
        store.insert_batch(&batch(b), &[]).unwrap();
    }
    assert!(len(&db) > db_at_start + 2 * one_batch, "checkpoints copied the batches into the database");
    let most = (newsloom_store::CHECKPOINT_SYNC_EVERY + 2) * one_batch;
    assert!(len(&wal) <= most, "log {} bytes after 24 batches of {one_batch} bytes each", len(&wal));
    drop(store);
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().articles, 2400);
}
