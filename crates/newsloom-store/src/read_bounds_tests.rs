//! The bounded reads of `read.rs`: an entity's articles found either way give the same rows, and
//! the event list groups only the newest reports of its window, and events by code prefix are
//! the same through the code index.

use newsloom_model::{Analysis, Article, Entity, EntityKind, Event, Mention, QuadClass, Span};

use crate::{ArticleFilter, EventFilter, NewArticle, SqliteStore};

fn article(i: usize, entities: &[&str], events: Vec<Event>) -> NewArticle {
    let id = format!("a{i}");
    let entity = |e: &&str| Entity {
        id: e.to_string(),
        name: e.to_string(),
        kind: EntityKind::Place,
        code: Some(e.to_string()),
        role: None,
        country: None,
    };
    let mention = |(k, e): (usize, &&str)| Mention {
        entity: e.to_string(),
        text: e.to_string(),
        kind: EntityKind::Place,
        span: Span::new(&id, k * 10, k * 10 + 3),
        confidence: 0.5,
    };
    NewArticle {
        article: Article {
            id: id.clone(),
            title: "t".into(),
            body_hash: id.clone(),
            origin: "o".into(),
            story: Some(format!("s{}", i % 4)),
            ..Default::default()
        },
        analysis: Analysis {
            entities: entities.iter().map(entity).collect(),
            mentions: entities.iter().enumerate().map(mention).collect(),
            events,
            ..Default::default()
        },
        ..Default::default()
    }
}

fn event(article: usize, target: &str, day: &str) -> Event {
    Event {
        source_actor: "RUS".into(),
        target_actor: Some(target.into()),
        cameo: "042".into(),
        plover: None,
        plover_mode: None,
        goldstein: 1.9,
        quad_class: QuadClass::VerbalCooperation,
        date: Some(day.into()),
        negated: false,
        span: Span::new(format!("a{article}"), 0, 4),
        confidence: 0.9,
        action_geo: None,
        source_geo: None,
        target_geo: None,
    }
}

#[test]
fn an_entitys_articles_are_the_same_walked_or_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    // RUS in every third article, UKR in one, each article with two mentions of some.
    let batch: Vec<NewArticle> = (0..60)
        .map(|i| match (i % 3, i) {
            (_, 17) => article(i, &["UKR", "RUS"], vec![]),
            (0, _) => article(i, &["RUS", "FRA"], vec![]),
            _ => article(i, &["FRA"], vec![]),
        })
        .collect();
    store.insert_batch(&batch, &[]).unwrap();
    for entity in ["RUS", "UKR", "FRA", "nobody"] {
        for (limit, after) in [(5, None), (50, None), (5, Some(10))] {
            let f =
                ArticleFilter { entity: Some(entity.into()), limit, after_seq: after, ..Default::default() };
            let ids = |common| -> Vec<String> {
                store.articles_walking_above(&f, common).unwrap().into_iter().map(|r| r.id).collect()
            };
            let (walked, listed) = (ids(0), ids(i64::MAX));
            assert_eq!(walked, listed, "{entity} limit {limit}");
            assert_eq!(walked, store.articles(&f).unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>());
        }
    }
    let rus = ArticleFilter { entity: Some("RUS".into()), limit: 50, ..Default::default() };
    assert_eq!(store.articles(&rus).unwrap().len(), 21);
    assert_eq!(store.articles(&rus).unwrap()[0].id, "a57", "newest first");
}

#[test]
fn the_event_list_groups_the_newest_reports_of_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    // Article i (story s{i % 4}) reports RUS→UKR on day i and RUS→FRA on day 100 + i.
    let batch: Vec<NewArticle> = (0..12)
        .map(|i| {
            let events = vec![
                event(i, "UKR", &format!("2020-01-{:02}", i + 1)),
                event(i, "FRA", &format!("2020-05-{:02}", i + 1)),
            ];
            article(i, &["RUS"], events)
        })
        .collect();
    store.insert_batch(&batch, &[]).unwrap();
    let f = EventFilter { limit: 50, ..Default::default() };
    let all = store.events_in_window(&f, i64::MAX as usize).unwrap();
    assert_eq!(store.events(&f).unwrap(), all, "a small store is within the window");
    // 8 groups (4 stories x 2 targets), 3 reports each.
    assert_eq!(all.len(), 8);
    assert!(all.iter().all(|(_, n)| *n == 3));
    // The newest 4 reports are those of articles 10 and 11: stories s2 and s3, both targets,
    // one report each.
    let window = store.events_in_window(&f, 4).unwrap();
    assert_eq!(window.len(), 4);
    assert!(window.iter().all(|(_, n)| *n == 1));
    let mut articles: Vec<&str> = window.iter().map(|(e, _)| e.span.article.as_str()).collect();
    articles.sort();
    assert_eq!(articles, ["a10", "a10", "a11", "a11"]);
    // Filters apply before the window: the newest 4 RUS→UKR reports are of articles 8-11.
    let ukr = EventFilter { target: Some("UKR".into()), limit: 50, ..Default::default() };
    let window = store.events_in_window(&ukr, 4).unwrap();
    assert_eq!(window.len(), 4);
    assert!(window.iter().all(|(e, _)| e.target_actor.as_deref() == Some("UKR")));
    // Newest first by their first report's day.
    assert_eq!(window[0].0.date.as_deref(), Some("2020-01-12"));
}

/// Events by CAMEO code prefix, read through the code index (or beside an actor's range), are
/// the reports whose code starts with it.
#[test]
fn events_by_code_prefix_are_those_whose_code_starts_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let codes = ["042", "043", "190", "1823", "0", "111"];
    let batch: Vec<NewArticle> = (0..60)
        .map(|i| {
            let mut e = event(i, if i % 2 == 0 { "UKR" } else { "FRA" }, "2024-01-01");
            e.cameo = codes[i % codes.len()].into();
            article(i, &[], vec![e])
        })
        .collect();
    store.insert_batch(&batch, &[]).unwrap();
    for prefix in ["04", "042", "1", "18", "19", "0", "2", ""] {
        for target in [None, Some("UKR")] {
            let f = EventFilter {
                code: Some(prefix.into()),
                target: target.map(Into::into),
                limit: 100,
                ..Default::default()
            };
            let found = store.events(&f).unwrap();
            let expected = (0..60)
                .filter(|i| codes[i % codes.len()].starts_with(prefix) && (target.is_none() || i % 2 == 0))
                .count();
            assert_eq!(
                found.iter().map(|(_, n)| *n as usize).sum::<usize>(),
                expected,
                "{prefix:?} {target:?}"
            );
            assert!(found.iter().all(|(e, _)| e.cameo.starts_with(prefix)));
        }
    }
}
