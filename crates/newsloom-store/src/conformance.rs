//! The conformance suite every [`StoreBackend`] must pass: the same writes, then the same
//! answers, on SQLite and on PostgreSQL. Each check gets an empty store from the caller.
//!
//! ```
//! use newsloom_store::{SqliteStore, StoreBackend, conformance};
//! let root = tempfile::tempdir().unwrap();
//! conformance::run_all(&mut |name| {
//!     Box::new(SqliteStore::open(&root.path().join(name)).unwrap()) as Box<dyn StoreBackend>
//! });
//! ```

use newsloom_model::{
    Analysis, Article, Event, GeoPlace, GeoRef, PlaceMention, PublishedDate, QuadClass, Quote, QuoteKind,
    Span,
};

use crate::{
    ArticleFilter, ArticlePage, EventFilter, GeoEventFilter, NewArticle, PlaceFilter, QuoteFilter, Reject,
    StoreBackend, ToneSubject,
};

/// A named check run on an empty store.
pub type Check = fn(&mut dyn StoreBackend);

/// Every check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    ("batches_duplicates_and_stories", batches_duplicates_and_stories),
    ("merges_redirect_and_move_articles", merges_redirect_and_move_articles),
    ("events_count_once_per_story_and_dyads_aggregate", events_count_once_per_story_and_dyads_aggregate),
    ("dyad_days_add_up_and_follow_story_merges", dyad_days_add_up_and_follow_story_merges),
    ("places_and_event_locations", places_and_event_locations),
    ("briefs_bodies_entities_and_rejects", briefs_bodies_entities_and_rejects),
    ("tone_series_and_article_filters", tone_series_and_article_filters),
];

/// Runs every check, each on a fresh store from `open(check_name)`.
pub fn run_all(open: &mut dyn FnMut(&str) -> Box<dyn StoreBackend>) {
    for (name, check) in CHECKS {
        let mut store = open(name);
        check(store.as_mut());
    }
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

fn place(id: u64, name: &str, lat: f64, lon: f64, cc: &str, a1: &str) -> GeoPlace {
    GeoPlace {
        geonameid: id,
        name: name.into(),
        lat,
        lon,
        country: cc.into(),
        admin1: Some(a1.into()),
        admin1_name: None,
        feature_class: "P".into(),
        feature_code: "PPLC".into(),
    }
}

fn item(id: &str, story: &str) -> NewArticle {
    let moscow = place(524_901, "Moscow", 55.75, 37.62, "RU", "RU.48");
    let kyiv = place(703_448, "Kyiv", 50.45, 30.52, "UA", "UA.12");
    let article = Article {
        id: id.into(),
        title: "t".into(),
        body: "Talks in Moscow; Kyiv said no.".into(),
        body_hash: id.into(),
        origin: "o".into(),
        story: Some(story.into()),
        ..Default::default()
    };
    let mention = |text: &str, s, e, p: &GeoPlace| PlaceMention {
        text: text.into(),
        span: Span::new(id, s, e),
        place: Some(p.clone()),
        literal: true,
        confidence: 0.9,
    };
    let event = Event {
        source_actor: "RUS".into(),
        target_actor: Some("UKR".into()),
        cameo: "036".into(),
        plover: None,
        plover_mode: None,
        goldstein: 4.0,
        quad_class: QuadClass::VerbalCooperation,
        date: Some("2017-01-04".into()),
        negated: false,
        span: Span::new(id, 0, 15),
        confidence: 0.7,
        action_geo: Some(GeoRef { place: moscow.clone(), span: Span::new(id, 9, 15) }),
        source_geo: None,
        target_geo: Some(GeoRef { place: kyiv.clone(), span: Span::new(id, 17, 21) }),
    };
    let unresolved = PlaceMention {
        text: "Nowhere".into(),
        span: Span::new(id, 0, 1),
        place: None,
        literal: true,
        confidence: 0.3,
    };
    let analysis = Analysis {
        places: vec![mention("Moscow", 9, 15, &moscow), mention("Kyiv", 17, 21, &kyiv), unresolved],
        events: vec![event],
        ..Default::default()
    };
    NewArticle { article, analysis, ..Default::default() }
}

fn batches_duplicates_and_stories(store: &mut dyn StoreBackend) {
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
    assert_eq!(store.max_seq().unwrap(), 3);
    let known = store.existing_ids(&["a", "zz", "c"]).unwrap();
    assert_eq!(known.len(), 2);
    assert!(known.contains("a") && known.contains("c"));
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

fn merges_redirect_and_move_articles(store: &mut dyn StoreBackend) {
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

/// A distinct event is one per story, actors, code and day: a month adds its days up, and a
/// story merge stops the same event of two stories counting twice.
fn dyad_days_add_up_and_follow_story_merges(store: &mut dyn StoreBackend) {
    let seize = |art: &str, day: &str| event(art, "RUSMIL", "UKR", "190", QuadClass::MaterialConflict, day);
    store
        .insert_batch(
            &[
                new(article("a", "s1", "TASS", "2017-03-01"), vec![seize("a", "2017-03-01")]),
                new(article("b", "s2", "MT", "2017-03-01"), vec![seize("b", "2017-03-01")]),
                new(
                    article("c", "s1", "MT", "2017-03-02"),
                    vec![seize("c", "2017-03-02"), seize("c", "2017-03-01")],
                ),
            ],
            &[],
        )
        .unwrap();
    let summary = |store: &dyn StoreBackend, len| {
        store
            .dyad("UKR", "RUS", len)
            .unwrap()
            .iter()
            .map(|p| (p.period.clone(), p.events, p.reports))
            .collect::<Vec<_>>()
    };
    let days = [("2017-03-01".to_string(), 2, 3), ("2017-03-02".to_string(), 1, 1)];
    assert_eq!(summary(store, 10), days, "one event per story and day; reports count every article's");
    assert_eq!(summary(store, 7), [("2017-03".to_string(), 3, 4)], "a month is the sum of its days");
    assert_eq!(store.dyad("RUS", "UKR", 7).unwrap()[0].quad_counts, [0, 0, 0, 3]);
    // Nested code ranges count a row once, not once per direction.
    store
        .insert_batch(
            &[new(
                article("r", "s9", "X", "2017-04-01"),
                vec![event("r", "RUSGOV", "RUSMIL", "190", QuadClass::MaterialConflict, "2017-04-01")],
            )],
            &[],
        )
        .unwrap();
    assert_eq!(store.dyad("RUS", "RUSMIL", 7).unwrap().iter().map(|p| p.events).sum::<i64>(), 1);
    assert_eq!(store.dyad("RUS", "RUS", 7).unwrap().iter().map(|p| p.events).sum::<i64>(), 1);

    let mut d = new(article("d", "s1", "X", "2017-03-05"), vec![]);
    d.merges = vec![("s2".into(), "s1".into())];
    store.insert_batch(&[d], &[]).unwrap();
    let days = [("2017-03-01".to_string(), 1, 3), ("2017-03-02".to_string(), 1, 1)];
    assert_eq!(summary(store, 10), days, "after the merge s1 and s2 report one event on March 1");
    let month = store.dyad("RUS", "UKR", 4).unwrap();
    assert_eq!((month[0].events, month[0].reports, month[0].quad_counts), (2, 4, [0, 0, 0, 2]));
    assert!((month[0].mean_goldstein + 2.0).abs() < 1e-9);
    // A later report of the merged story's event adds a report, not an event.
    store
        .insert_batch(&[new(article("e", "s1", "Y", "2017-03-01"), vec![seize("e", "2017-03-01")])], &[])
        .unwrap();
    assert_eq!(summary(store, 7), [("2017-03".to_string(), 2, 5)]);
}

fn events_count_once_per_story_and_dyads_aggregate(store: &mut dyn StoreBackend) {
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
    // A story page's document counts the article's mentions by entity; the analysis still has
    // the mentions themselves.
    let doc: serde_json::Value =
        serde_json::from_str(&store.facts_json_of_articles(&["a"]).unwrap()[0]).unwrap();
    assert_eq!(doc["entities"], serde_json::json!([["person:andrei-kelin", 1]]));
    assert_eq!(store.analysis("a").unwrap().mentions, store.story_facts("a").unwrap().mentions);
    assert_eq!(store.story_facts("a").unwrap().mentions.len(), 1);
    let by_entity =
        ArticleFilter { entity: Some("person:andrei-kelin".into()), limit: 10, ..Default::default() };
    assert_eq!(store.articles(&by_entity).unwrap().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["a"]);
}

fn places_and_event_locations(store: &mut dyn StoreBackend) {
    let mut a1 = item("a1", "s1");
    a1.article.raw = "<p>Talks in Moscow; Kyiv said no.</p>".into();
    store.insert_batch(&[a1, item("a2", "s2")], &[]).unwrap();

    let all = store.places(&PlaceFilter { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(all.len(), 2, "unresolved toponyms are not places: {all:?}");
    assert!(all.iter().all(|p| p.mentions == 2 && p.articles == 2));
    let ru =
        store.places(&PlaceFilter { country: Some("ru".into()), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(ru.iter().map(|p| p.geonameid).collect::<Vec<_>>(), [524_901]);
    let s1 =
        store.places(&PlaceFilter { story: Some("s1".into()), limit: 10, ..Default::default() }).unwrap();
    assert!(s1.iter().all(|p| p.articles == 1));

    // The article's analysis comes back with its places, in text order.
    let an = store.analysis("a1").unwrap();
    assert_eq!(an.places.len(), 3);
    assert_eq!(an.events[0].action_geo.as_ref().unwrap().place.geonameid, 524_901);
    // An article page is the article without its raw input, its copy link and that analysis.
    let page = store.article_page("a1").unwrap().unwrap();
    let mut article = store.article("a1").unwrap().unwrap();
    assert!(!article.raw.is_empty());
    article.raw.clear();
    assert_eq!(page, ArticlePage { article, copy_of: store.copy_of("a1").unwrap(), analysis: an.clone() });
    assert!(store.article_page("nope").unwrap().is_none());
    // A story page's facts of the article are the analysis's, place and tone aside.
    let facts = store.story_facts("a1").unwrap();
    assert_eq!(
        (&facts.entities, &facts.mentions, &facts.quotes, &facts.events),
        (&an.entities, &an.mentions, &an.quotes, &an.events)
    );
    assert!(!facts.events.is_empty());
    // Several articles at once: each article's facts as above, the entities gathered once.
    let both = store.facts_of_articles(&["a1", "a2", "a1"]).unwrap();
    let one = |i: usize| (&both.articles[i].mentions, &both.articles[i].quotes, &both.articles[i].events);
    assert_eq!(one(0), (&an.mentions, &an.quotes, &an.events));
    assert_eq!(one(2), one(0), "an article asked twice comes back twice");
    let a2 = store.story_facts("a2").unwrap();
    assert_eq!(one(1), (&a2.mentions, &a2.quotes, &a2.events));
    let mut entities: Vec<_> = an.entities.iter().chain(&a2.entities).cloned().collect();
    entities.sort_by(|a, b| a.id.cmp(&b.id));
    entities.dedup_by(|a, b| a.id == b.id);
    assert_eq!(both.entities, entities);
    assert!(both.articles.iter().all(|f| f.entities.is_empty()));
    // The same facts as JSON documents, for a reader that passes them on.
    let docs = store.facts_json_of_articles(&["a1", "a2", "a1"]).unwrap();
    assert_eq!(docs.len(), 3);
    for (doc, facts) in docs.iter().zip(&both.articles) {
        let v: serde_json::Value = serde_json::from_str(doc).unwrap();
        // Mentions only as counts by entity, in id order.
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for m in &facts.mentions {
            *counts.entry(&m.entity).or_default() += 1;
        }
        assert_eq!(v["entities"], serde_json::json!(counts.into_iter().collect::<Vec<_>>()));
        assert!(v.get("mentions").is_none());
        assert_eq!(v["quotes"], as_read(&facts.quotes));
        assert_eq!(v["events"], as_read(&facts.events));
        // The keys a story page groups them by, one per quote and per event.
        let quote_keys: Vec<String> =
            facts.quotes.iter().map(|q| newsloom_model::quote_key(q.speaker.as_deref(), &q.text)).collect();
        assert_eq!(v["quote_keys"], serde_json::json!(quote_keys));
        let event_keys: Vec<_> = facts.events.iter().map(newsloom_model::EventKey::from).collect();
        assert_eq!(v["event_keys"], serde_json::to_value(&event_keys).unwrap());
        // A backend that keeps the events' sentences keeps one per event, as cut from the body.
        if let Some(sentences) = v.get("event_sentences") {
            assert_eq!(sentences.as_array().unwrap().len(), facts.events.len());
            for (s, e) in sentences.as_array().unwrap().iter().zip(&facts.events) {
                let body = store.article(&e.span.article).unwrap().unwrap().body;
                let cut = newsloom_model::sentence_around(&body, e.span.start, e.span.end);
                assert_eq!(s, &serde_json::to_value(cut).unwrap());
            }
        }
    }
    // By the rows a story page lists: the same documents as by their ids.
    let (_, rows) = store.story("s1").unwrap().unwrap();
    let rows: Vec<&crate::ArticleRow> = rows.iter().collect();
    assert_eq!(rows.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a1"]);
    let one = store.facts_json_of_articles(&["a1"]).unwrap().remove(0);
    assert_eq!(store.facts_json_of_rows(&rows).unwrap(), std::slice::from_ref(&one));
    assert_eq!(store.facts_json_of_rows(&[rows[0], rows[0]]).unwrap(), [one.clone(), one.clone()]);
    assert_eq!(
        store.facts_json_of_articles(&["a1", "a1"]).unwrap(),
        [one.clone(), one],
        "asked twice, the same"
    );
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).chain(["no-such-entity"]).collect();
    assert_eq!(store.entities_by_ids(&ids).unwrap(), entities, "known ones, in id order");

    let bbox = |b| GeoEventFilter { bbox: Some(b), limit: 10, ..Default::default() };
    assert_eq!(store.events_by_place(&bbox((37.0, 55.0, 38.0, 56.0))).unwrap().len(), 2);
    assert!(
        store.events_by_place(&bbox((30.0, 50.0, 31.0, 51.0))).unwrap().is_empty(),
        "Kyiv is the target's"
    );
    let by_target = GeoEventFilter { role: Some("target".into()), ..bbox((30.0, 50.0, 31.0, 51.0)) };
    assert_eq!(store.events_by_place(&by_target).unwrap().len(), 2);
    // A box across the antimeridian holds neither.
    assert!(store.events_by_place(&bbox((170.0, -90.0, -170.0, 90.0))).unwrap().is_empty());
    let by_id = GeoEventFilter {
        geonameid: Some(524_901),
        story: Some("s2".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.events_by_place(&by_id).unwrap().len(), 1);
}

fn briefs_bodies_entities_and_rejects(store: &mut dyn StoreBackend) {
    let mut a = new(article("a", "s1", "TASS", "2016-12-27"), vec![]);
    let kelin = newsloom_model::Entity {
        id: "person:andrei-kelin".into(),
        name: "Andrei Kelin".into(),
        kind: newsloom_model::EntityKind::Person,
        code: None,
        role: Some("ambassador".into()),
        country: Some("RU".into()),
    };
    a.analysis.entities.push(kelin.clone());
    for at in [0, 20] {
        a.analysis.mentions.push(newsloom_model::Mention {
            entity: kelin.id.clone(),
            text: "Kelin".into(),
            kind: newsloom_model::EntityKind::Person,
            span: Span::new("a", at, at + 5),
            confidence: 1.0,
        });
    }
    let rejects: Vec<Reject> = (0..3)
        .map(|i| Reject {
            origin: format!("bad{i}.html"),
            kind: "empty".into(),
            message: format!("no text {i}"),
        })
        .collect();
    store.insert_batch(&[a], &rejects).unwrap();

    let brief = store.article_brief("a").unwrap().unwrap();
    assert_eq!(
        (brief.title.as_str(), brief.source.as_deref(), brief.story.as_deref()),
        ("Title a", Some("TASS"), Some("s1"))
    );
    assert_eq!(brief.published.as_deref(), Some("2016-12-27"));
    assert!(store.article_brief("zz").unwrap().is_none());
    assert_eq!(store.article_body("a").unwrap().as_deref(), Some("Body of a. Russia and NATO met."));
    let (entity, mentions) = store.entity("person:andrei-kelin").unwrap().unwrap();
    assert_eq!((entity, mentions), (kelin.clone(), 2));
    assert!(store.entity("person:nobody").unwrap().is_none());
    let listed = store.entities(Some("andrei"), 0, 10).unwrap();
    assert_eq!(
        listed.iter().map(|(e, n)| (e.id.as_str(), *n)).collect::<Vec<_>>(),
        [("person:andrei-kelin", 2)]
    );
    assert_eq!(store.article_entities("a").unwrap(), ["person:andrei-kelin"]);
    // Paging skips in the store: each page is the slice of the whole list.
    let all = store.entities(None, 0, 100).unwrap();
    assert!(!all.is_empty());
    for (k, (e, _)) in all.iter().enumerate() {
        let page = store.entities(None, k, 1).unwrap();
        assert_eq!(page.iter().map(|(e, _)| &e.id).collect::<Vec<_>>(), [&e.id]);
    }
    assert!(store.entities(None, all.len(), 10).unwrap().is_empty());
    let got = store.rejects(2).unwrap();
    assert_eq!(got.iter().map(|r| r.origin.as_str()).collect::<Vec<_>>(), ["bad2.html", "bad1.html"]);
    let scanned = store.scan_articles(0, 10, true).unwrap();
    assert_eq!((scanned.len(), scanned[0].1.raw.as_str()), (1, "raw a"));
    assert!(store.scan_articles(0, 10, false).unwrap()[0].1.raw.is_empty());
    assert!(store.copy_of("a").unwrap().is_none());
}

/// An article of `item`'s shape (Moscow and Kyiv, a RUS→UKR event) with a tone and a theme.
fn toned(id: &str, story: &str, source: &str, day: &str, tone: f32, theme: &str) -> NewArticle {
    let mut n = item(id, story);
    n.article.source = Some(source.into());
    n.article.published = PublishedDate::parse_iso(day, "input");
    n.analysis.tone = Some(newsloom_model::ArticleTone {
        tone,
        positive: 2.0,
        negative: 2.0 - tone,
        polarity: 4.0,
        self_group_density: 0.5,
        word_count: 120,
    });
    n.analysis.themes = vec![newsloom_model::ThemeLabel {
        code: theme.into(),
        label: format!("{} label", theme.to_lowercase()),
        kind: "gdelt".into(),
        confidence: 0.8,
    }];
    n
}

fn tone_series_and_article_filters(store: &mut dyn StoreBackend) {
    let mut plain = new(article("p", "s3", "TASS", "2017-01-04"), vec![]);
    plain.analysis.tone = Some(newsloom_model::ArticleTone { tone: 9.0, ..Default::default() });
    store
        .insert_batch(
            &[
                toned("t1", "s1", "TASS", "2017-01-04", -4.0, "PROTEST"),
                toned("t2", "s1", "MT", "2017-01-04", -2.0, "PROTEST"),
                toned("t3", "s2", "TASS", "2017-02-10", 3.0, "ECON"),
                plain,
            ],
            &[],
        )
        .unwrap();
    let series = |s: ToneSubject, len| {
        store
            .tone_series(&s, len)
            .unwrap()
            .into_iter()
            .map(|p| (p.period, p.count, p.mean_tone))
            .collect::<Vec<_>>()
    };
    assert_eq!(series(ToneSubject::Story("s1".into()), 10), [("2017-01-04".into(), 2, -3.0)]);
    assert_eq!(
        series(ToneSubject::Outlet("TASS".into()), 7),
        [("2017-01".into(), 2, 2.5), ("2017-02".into(), 1, 3.0)],
        "TASS: t1 and p in January"
    );
    // The dyad series holds the articles reporting a RUS–UKR event, in either order of the
    // pair, and not the article without events.
    let dyad = [("2017-01".into(), 2, -3.0), ("2017-02".into(), 1, 3.0)];
    assert_eq!(series(ToneSubject::Dyad("UKR".into(), "RUS".into()), 7), dyad);
    assert_eq!(series(ToneSubject::Dyad("RU".into(), "UK".into()), 7), dyad);
    assert!(series(ToneSubject::Dyad("RUS".into(), "USA".into()), 7).is_empty());

    let ids = |f: ArticleFilter| {
        let mut v: Vec<String> =
            store.articles(&ArticleFilter { limit: 10, ..f }).unwrap().into_iter().map(|r| r.id).collect();
        v.sort();
        v
    };
    assert_eq!(ids(ArticleFilter { theme: Some("PROTEST".into()), ..Default::default() }), ["t1", "t2"]);
    assert_eq!(ids(ArticleFilter { theme: Some("Econ Label".into()), ..Default::default() }), ["t3"]);
    assert_eq!(ids(ArticleFilter { tone_max: Some(-1.0), ..Default::default() }), ["t1", "t2"]);
    assert_eq!(
        ids(ArticleFilter { tone_min: Some(-3.0), tone_max: Some(5.0), ..Default::default() }),
        ["t2", "t3"]
    );
    assert_eq!(ids(ArticleFilter { country: Some("ua".into()), ..Default::default() }), ["t1", "t2", "t3"]);
    assert!(ids(ArticleFilter { country: Some("FR".into()), ..Default::default() }).is_empty());
    assert_eq!(
        ids(ArticleFilter { geonameid: Some(524_901), tone_min: Some(0.0), ..Default::default() }),
        ["t3"]
    );
}

/// `x` written as JSON text and read back, as a client sees it (`serde_json::to_value` would
/// widen f32 fields to f64 and so differ from the text in their last digits).
fn as_read<T: serde::Serialize>(x: &T) -> serde_json::Value {
    serde_json::from_str(&serde_json::to_string(x).unwrap()).unwrap()
}
