//! `stats` reads counts that triggers keep at every write: they must equal counting the rows,
//! through duplicates, rejects, story merges and missing sources, and a store written before
//! the counts existed gets them when it is upgraded.

use newsloom_model::{
    Analysis, Article, Entity, EntityKind, Event, Mention, QuadClass, Quote, QuoteKind, Span,
};
use newsloom_store::{NewArticle, Reject, SqliteStore, Stats};
use rusqlite::Connection;

fn item(id: &str, story: &str, source: Option<&str>, language: Option<&str>, facts: usize) -> NewArticle {
    let entity = |i: usize| Entity {
        id: format!("e{i}"),
        name: format!("E{i}"),
        kind: EntityKind::Person,
        code: None,
        role: None,
        country: None,
    };
    let mention = |i: usize| Mention {
        entity: format!("e{i}"),
        text: format!("E{i}"),
        kind: EntityKind::Person,
        span: Span::new(id, i * 10, i * 10 + 2),
        confidence: 0.5,
    };
    let quote = |i: usize| Quote {
        text: format!("quote {i}"),
        kind: QuoteKind::Direct,
        span: Span::new(id, i * 10, i * 10 + 5),
        speaker: None,
        speaker_entity: None,
        speaker_span: None,
        cue: None,
        medium: None,
        confidence: 0.5,
    };
    let event = |i: usize| Event {
        source_actor: "RUS".into(),
        target_actor: Some("UKR".into()),
        cameo: "042".into(),
        plover: None,
        plover_mode: None,
        goldstein: 1.9,
        quad_class: QuadClass::VerbalCooperation,
        date: Some("2020-01-02".into()),
        negated: false,
        span: Span::new(id, i * 10, i * 10 + 4),
        confidence: 0.9,
        action_geo: None,
        source_geo: None,
        target_geo: None,
    };
    NewArticle {
        article: Article {
            id: id.into(),
            title: format!("title {id}"),
            body_hash: id.into(),
            origin: "o".into(),
            story: Some(story.into()),
            source: source.map(str::to_string),
            language: language.map(str::to_string),
            ..Default::default()
        },
        analysis: Analysis {
            entities: (0..facts).map(entity).collect(),
            mentions: (0..facts).map(mention).collect(),
            quotes: (0..facts / 2).map(quote).collect(),
            events: (0..facts / 3).map(event).collect(),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Counts (articles, stories, mentions, quotes, events, rejects, entities, sources), languages,
/// top sources.
type Counts = (Vec<i64>, Vec<(String, i64)>, Vec<(String, i64)>);

/// The statistics by counting every row, as `stats` did before the counts were kept.
fn counted(db: &Connection) -> Counts {
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
    let pairs = |sql: &str| -> Vec<(String, i64)> {
        let mut stmt = db.prepare(sql).unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let tables = ["articles", "stories", "mentions", "quotes", "events", "rejects", "entities"];
    let mut counts: Vec<i64> = tables.iter().map(|t| count(&format!("SELECT COUNT(*) FROM {t}"))).collect();
    counts.push(count("SELECT COUNT(DISTINCT source) FROM articles"));
    let languages =
        pairs("SELECT COALESCE(language, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1");
    let sources =
        pairs("SELECT COALESCE(source, '?'), COUNT(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10");
    (counts, languages, sources)
}

fn from_stats(s: &Stats) -> Counts {
    let counts =
        vec![s.articles, s.stories, s.mentions, s.quotes, s.events, s.rejects, s.entities, s.sources];
    (counts, s.languages.clone(), s.top_sources.clone())
}

fn check(dir: &std::path::Path, store: &SqliteStore) {
    let db = Connection::open(dir.join("newsloom.db")).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(from_stats(&stats), counted(&db));
    assert!(stats.articles > 0 && stats.mentions > 0 && stats.quotes > 0 && stats.events > 0);
}

/// Writes one batch of varied articles: 12 sources (more than the top 10), three languages and
/// none, no source, a duplicate, a reject and a story merge.
fn write(store: &mut SqliteStore, round: usize) {
    let mut batch = vec![];
    for i in 0..30 {
        let source = (i % 13 != 0).then(|| format!("Outlet {}", i % 12));
        let language = [Some("en"), Some("de"), None, Some("fr")][i % 4];
        let story = format!("s{round}-{}", i % 7);
        batch.push(item(&format!("a{round}-{i}"), &story, source.as_deref(), language, i % 9));
    }
    // The first article of the batch again: a duplicate, not counted twice.
    batch.push(item(&format!("a{round}-0"), "other", Some("Outlet 1"), Some("en"), 3));
    let mut merging = item(&format!("m{round}"), &format!("s{round}-0"), Some("Outlet 3"), Some("en"), 4);
    merging.merges = vec![(format!("s{round}-1"), format!("s{round}-0"))];
    batch.push(merging);
    let reject =
        Reject { origin: format!("bad{round}.png"), kind: "binary file".into(), message: "binary".into() };
    let outcome = store.insert_batch(&batch, &[reject]).unwrap();
    assert_eq!(outcome.duplicates, 1);
}

#[test]
fn kept_counts_equal_the_rows_and_an_old_store_gets_them_at_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    write(&mut store, 0);
    check(dir.path(), &store);
    write(&mut store, 1);
    check(dir.path(), &store);
    drop(store);

    // Back to the schema before the counts, and written to like that.
    let db = Connection::open(dir.path().join("newsloom.db")).unwrap();
    let triggers: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'count_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // The kept store counts (step 12) and place counts (step 13).
    assert_eq!(triggers.len(), 15);
    for t in &triggers {
        db.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    db.execute_batch("DROP TABLE store_counts; DROP TABLE place_counts").unwrap();
    db.pragma_update(None, "user_version", 11).unwrap();
    // A row written while no trigger counts it: the upgrade must count it.
    db.execute_batch("INSERT INTO rejects (origin, kind, message, at) VALUES ('old', 'k', 'm', 0)").unwrap();
    drop(db);

    let mut store = SqliteStore::open(dir.path()).unwrap();
    check(dir.path(), &store);
    write(&mut store, 2);
    check(dir.path(), &store);
}
