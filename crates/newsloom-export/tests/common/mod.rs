//! A small store with known articles and facts, built directly (no pipeline), so tests can
//! check exported values one by one.
#![allow(dead_code)]

use std::path::Path;

use newsloom_analyse::Analysis;
use newsloom_model::{
    Article, Entity, EntityKind, Event, Mention, PublishedDate, QuadClass, Quote, QuoteKind, Span,
};
use newsloom_store::{NewArticle, SqliteStore};

pub const BODY: &str = "Russia and NATO met in Brussels on Monday. «Мы» said “Kelin” now.\n\n\
    A second paragraph where Russia criticised NATO again.";

pub fn article(id: &str, story: &str, source: &str, published: &str) -> Article {
    Article {
        id: id.into(),
        url: Some(format!("https://example.org/{id}")),
        title: format!("Title {id}"),
        bylines: vec!["Ann Writer".into(), format!("Desk {id}")],
        body: BODY.into(),
        body_hash: format!("h{id}"),
        source: Some(source.into()),
        story: Some(story.into()),
        published: PublishedDate::parse_iso(published, "input"),
        language: Some("en".into()),
        raw: format!("raw {id}"),
        origin: format!("{id}.txt"),
        confidence: 0.75,
        ..Default::default()
    }
}

pub fn event(
    article: &str,
    source: &str,
    target: Option<&str>,
    cameo: &str,
    start: usize,
    date: Option<&str>,
) -> Event {
    Event {
        source_actor: source.into(),
        target_actor: target.map(Into::into),
        cameo: cameo.into(),
        plover: Some("CONSULT".into()),
        plover_mode: None,
        goldstein: 1.0,
        quad_class: QuadClass::VerbalCooperation,
        date: date.map(Into::into),
        negated: false,
        span: Span::new(article, start, start + 3),
        confidence: 0.8,
        action_geo: None,
        source_geo: None,
        target_geo: None,
    }
}

fn entity(id: &str, name: &str, kind: EntityKind, code: Option<&str>) -> Entity {
    Entity { id: id.into(), name: name.into(), kind, code: code.map(Into::into), role: None, country: None }
}

/// Every fact an article of the fixture has: two mentions, one quote, the given events.
pub fn new_article(a: Article, events: Vec<Event>) -> NewArticle {
    let id = a.id.clone();
    let analysis = Analysis {
        entities: vec![
            entity("russia", "Russia", EntityKind::Place, Some("RUS")),
            entity("nato", "NATO", EntityKind::Organisation, Some("IGOWSTNAT")),
        ],
        mentions: vec![
            Mention {
                entity: "russia".into(),
                text: "Russia".into(),
                kind: EntityKind::Place,
                span: Span::new(&id, 0, 6),
                confidence: 0.9,
            },
            Mention {
                entity: "nato".into(),
                text: "NATO".into(),
                kind: EntityKind::Organisation,
                span: Span::new(&id, 11, 15),
                confidence: 0.8,
            },
        ],
        quotes: vec![Quote {
            text: "Мы".into(),
            kind: QuoteKind::Direct,
            span: Span::new(&id, 44, 46),
            speaker: Some("Kelin".into()),
            speaker_entity: None,
            speaker_span: Some(Span::new(&id, 54, 59)),
            cue: Some("said".into()),
            medium: None,
            confidence: 0.7,
        }],
        events,
        ..Analysis::default()
    };
    NewArticle { article: a, analysis, ..Default::default() }
}

/// Three articles in two stories: `a` and `b` (story s1) report the same RUS→IGOWSTNAT meeting;
/// `c` (story s2) reports a criticism with no target.
pub fn fixture(dir: &Path) -> SqliteStore {
    let mut store = SqliteStore::open(dir).unwrap();
    let batch = vec![
        new_article(
            article("a", "s1", "TASS", "2016-12-27T10:15:00+03:00"),
            vec![event("a", "RUS", Some("IGOWSTNAT"), "036", 0, Some("2016-12-26"))],
        ),
        new_article(
            article("b", "s1", "The Moscow Times", "2016-12-28"),
            vec![
                event("b", "RUS", Some("IGOWSTNAT"), "036", 70, None),
                event("b", "RUS", Some("IGOWSTNAT"), "036", 80, None),
            ],
        ),
        new_article(article("c", "s2", "TASS", "2017-01"), vec![event("c", "RUSGOV", None, "111", 90, None)]),
    ];
    store.insert_batch(&batch, &[]).unwrap();
    store
}

/// Sets when articles were stored (the store stamps the current time), for `--since` tests.
pub fn set_ingested_at(dir: &Path, ids: &[&str], unix_secs: i64) {
    let conn = rusqlite::Connection::open(dir.join("newsloom.db")).unwrap();
    for id in ids {
        conn.execute("UPDATE articles SET ingested_at = ? WHERE id = ?", rusqlite::params![unix_secs, id])
            .unwrap();
    }
}

/// Runs SQL on the store behind its back (to corrupt a row).
pub fn sql(dir: &Path, sql: &str) {
    rusqlite::Connection::open(dir.join("newsloom.db")).unwrap().execute_batch(sql).unwrap();
}
