use newsloom_analyse::Analysis;
use newsloom_model::{Article, Event, PublishedDate, QuadClass, Quote, QuoteKind, Span};
use newsloom_store::{ArticleFilter, EventFilter, NewArticle, QuoteFilter, Reject, Store};

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

fn event(article: &str, source: &str, target: &str, cameo: &str, quad: QuadClass, day: &str) -> Event {
    Event {
        source_actor: source.into(),
        target_actor: Some(target.into()),
        cameo: cameo.into(),
        plover: None,
        plover_mode: None,
        goldstein: if quad == QuadClass::VerbalCooperation { 3.0 } else { -2.0 },
        quad_class: quad,
        date: Some(day.into()),
        negated: false,
        span: Span::new(article, 0, 10),
        confidence: 0.9,
        action_geo: None,
        source_geo: None,
        target_geo: None,
    }
}

fn new(a: Article, events: Vec<Event>) -> NewArticle {
    NewArticle { article: a, analysis: Analysis { events, ..Default::default() }, ..Default::default() }
}

#[test]
fn batches_duplicates_stories_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(dir.path()).unwrap();
        let batch = vec![
            new(article("a", "s1", "TASS", "2016-12-27"), vec![]),
            new(article("b", "s1", "The Moscow Times", "2017-01-04"), vec![]),
            new(article("c", "s2", "TASS", "2017-01-05"), vec![]),
        ];
        let reject = Reject { origin: "x.png".into(), kind: "binary file".into(), message: "binary".into() };
        let outcome = store.insert_batch(&batch, &[reject]).unwrap();
        assert_eq!((outcome.stored, outcome.duplicates), (3, 0));
        let again = store.insert_batch(&batch[..1], &[]).unwrap();
        assert_eq!((again.stored, again.duplicates), (0, 1));
    }
    let store = Store::open(dir.path()).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!((stats.articles, stats.stories, stats.rejects, stats.sources), (3, 2, 1, 2));
    let (story, articles) = store.story("s1").unwrap().unwrap();
    assert_eq!(story.size, 2);
    let outlets: Vec<(&str, i64)> = story.outlets.iter().map(|o| (o.name.as_str(), o.articles)).collect();
    assert_eq!(outlets, [("TASS", 1), ("The Moscow Times", 1)]);
    assert_eq!(
        (story.first_seen.as_deref(), story.last_seen.as_deref()),
        (Some("2016-12-27"), Some("2017-01-04"))
    );
    assert_eq!(articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    let ids = |f: ArticleFilter| store.articles(&f).unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(ArticleFilter { limit: 10, ..Default::default() }), ["c", "b", "a"]);
    assert_eq!(ids(ArticleFilter { before_seq: Some(3), limit: 10, ..Default::default() }), ["b", "a"]);
    assert_eq!(ids(ArticleFilter { after_seq: Some(1), limit: 10, ..Default::default() }), ["b", "c"]);
    assert_eq!(
        ids(ArticleFilter { source: Some("TASS".into()), limit: 10, ..Default::default() }),
        ["c", "a"]
    );
    assert_eq!(
        ids(ArticleFilter { from: Some("2017-01-01".into()), limit: 10, ..Default::default() }),
        ["c", "b"]
    );
    let full = store.article("b").unwrap().unwrap();
    assert_eq!((full.raw.as_str(), full.story.as_deref()), ("raw b", Some("s1")));
    assert!(store.article("zzz").unwrap().is_none());
}

#[test]
fn merges_redirect_and_move_articles() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store
        .insert_batch(
            &[
                new(article("a", "s1", "X", "2020-01-01"), vec![]),
                new(article("b", "s2", "Y", "2020-01-03"), vec![]),
            ],
            &[],
        )
        .unwrap();
    let mut c = new(article("c", "s1", "Z", "2020-01-04"), vec![]);
    c.merges = vec![("s2".into(), "s1".into())];
    store.insert_batch(&[c], &[]).unwrap();
    assert_eq!(store.resolve_story("s2").unwrap(), "s1");
    let (story, articles) = store.story("s2").unwrap().unwrap();
    assert_eq!((story.id.as_str(), story.size, articles.len()), ("s1", 3, 3));
    assert_eq!(store.stats().unwrap().stories, 1);
}

/// The outlet count kept on each story (what story lists sort by) follows inserts and merges.
#[test]
fn story_outlet_counts_follow_inserts_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let outlets = |story: &str| -> i64 {
        let conn = rusqlite::Connection::open(dir.path().join("newsloom.db")).unwrap();
        conn.query_row("SELECT outlets FROM stories WHERE id = ?", [story], |r| r.get(0)).unwrap()
    };
    let mut unnamed = article("u", "s1", "-", "2020-01-01");
    unnamed.source = None;
    store
        .insert_batch(
            &[
                new(article("a", "s1", "X", "2020-01-01"), vec![]),
                new(article("b", "s2", "Y", "2020-01-03"), vec![]),
                new(article("c", "s1", "X", "2020-01-02"), vec![]),
                new(unnamed, vec![]),
            ],
            &[],
        )
        .unwrap();
    assert_eq!((outlets("s1"), outlets("s2")), (1, 1));
    store.insert_batch(&[new(article("d", "s1", "Z", "2020-01-04"), vec![])], &[]).unwrap();
    assert_eq!(outlets("s1"), 2);
    let mut e = new(article("e", "s1", "X", "2020-01-05"), vec![]);
    e.merges = vec![("s2".into(), "s1".into())];
    store.insert_batch(&[e], &[]).unwrap();
    assert_eq!(outlets("s1"), 3);
}

#[test]
fn events_count_once_per_story_and_dyads_aggregate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let coop =
        |art: &str, day: &str| event(art, "RUSGOV", "IGOWSTNAT", "030", QuadClass::VerbalCooperation, day);
    let mut a = new(article("a", "s1", "TASS", "2016-12-27"), vec![coop("a", "2016-12-27")]);
    a.analysis.quotes.push(Quote {
        text: "We need to build normal relations".into(),
        kind: QuoteKind::Direct,
        span: Span::new("a", 0, 5),
        speaker: Some("Andrei Kelin".into()),
        speaker_entity: Some("person:andrei-kelin".into()),
        speaker_span: None,
        cue: Some("told".into()),
        medium: None,
        confidence: 0.9,
    });
    a.analysis.mentions.push(newsloom_model::Mention {
        entity: "person:andrei-kelin".into(),
        text: "Kelin".into(),
        kind: newsloom_model::EntityKind::Person,
        span: Span::new("a", 0, 5),
        confidence: 1.0,
    });
    let b = new(article("b", "s1", "MT", "2017-01-04"), vec![coop("b", "2016-12-27")]);
    let c = new(
        article("c", "s2", "MT", "2016-11-20"),
        vec![event("c", "RUSMIL", "IGOWSTNAT", "112", QuadClass::VerbalConflict, "2016-11-20")],
    );
    store.insert_batch(&[a, b, c], &[]).unwrap();

    let all =
        store.events(&EventFilter { actor: Some("RUS".into()), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(all.len(), 2, "the cooperation event told twice in story s1 counts once");
    let coop_reports = all.iter().find(|(e, _)| e.cameo == "030").unwrap().1;
    assert_eq!(coop_reports, 2);
    let accuse =
        store.events(&EventFilter { code: Some("11".into()), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(accuse[0].0.source_actor, "RUSMIL");

    let nato =
        store.events(&EventFilter { target: Some("nato".into()), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(nato.len(), 2, "NATO names the Phoenix code IGOWSTNAT");
    let points = store.dyad("NATO", "RUS", 7).unwrap();
    assert_eq!(points.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(), ["2016-11", "2016-12"]);
    assert_eq!(points[0].quad_counts, [0, 0, 1, 0]);
    assert_eq!((points[1].quad_counts, points[1].events, points[1].reports), ([1, 0, 0, 0], 1, 2));
    assert!((points[1].mean_goldstein - 3.0).abs() < 1e-9);
    // Prefixes shorter than an actor root take the range-only path: same answer.
    assert_eq!(store.dyad("IG", "RU", 7).unwrap(), points);
    assert_eq!(store.dyad("RUSMIL", "NATO", 7).unwrap().iter().map(|p| p.events).sum::<i64>(), 1);

    let quotes =
        store.quotes(&QuoteFilter { speaker: Some("kelin".into()), limit: 5, ..Default::default() }).unwrap();
    assert_eq!(quotes.len(), 1);
    assert_eq!(store.analysis("a").unwrap().quotes.len(), 1);
    let by_entity =
        ArticleFilter { entity: Some("person:andrei-kelin".into()), limit: 10, ..Default::default() };
    assert_eq!(store.articles(&by_entity).unwrap().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["a"]);
}
