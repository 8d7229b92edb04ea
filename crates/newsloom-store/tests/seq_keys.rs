//! Fact rows are found by their article's seq (schema step 17), not by the article id: the
//! readers give the same answers as before, new rows append to the indexes in seq order, and
//! a store written with the id-keyed layout is upgraded in place to the same answers.

use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_model::{Article, GeoPlace, GeoRef, PlaceMention, PublishedDate, Span};
use newsloom_store::{ArticleFilter, GeoEventFilter, NewArticle, PlaceFilter, SqliteStore};
use rusqlite::Connection;
use serde_json::{Value, json};

const BODIES: [&str; 3] = [
    "Russian President Vladimir Putin met Ukrainian officials in Moscow on Tuesday. \"We want a lasting peace,\" \
     Putin said. NATO condemned Russia's attack on Kyiv and promised Ukraine more help.",
    "Troops shelled Kharkiv and killed ten civilians, officials in Kyiv said. The attack was condemned as a \
     horrific war crime by the European Union. \"This is terror,\" said Volodymyr Zelensky.",
    "China and the United States agreed to resume trade talks in Beijing. The agreement was praised by \
     investors in London, and Germany welcomed the peace deal between the two governments.",
];

fn analysed(i: usize) -> NewArticle {
    let id = format!("{:064x}", (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let article = Article {
        id: id.clone(),
        title: format!("Title {i}"),
        body: BODIES[i % BODIES.len()].into(),
        body_hash: id,
        source: Some(format!("outlet{}", i % 2)),
        story: Some(format!("s{}", i % 2)),
        published: PublishedDate::parse_iso(&format!("2024-01-{:02}", 1 + i % 28), "input"),
        origin: format!("{i}.txt"),
        ..Default::default()
    };
    let mut analysis = NewsAnalyser::new().analyse(&article);
    // The analyser here has no gazetteer: the places are resolved by hand, and the first
    // event is located at the first of them (an `event_places` row).
    for (geonameid, name, country) in PLACES {
        if let Some(start) = article.body.find(name) {
            analysis.places.push(PlaceMention {
                text: name.into(),
                span: Span::new(&article.id, start, start + name.len()),
                place: Some(place(geonameid, name, country)),
                literal: true,
                confidence: 0.9,
            });
        }
    }
    if let (Some(event), Some(p)) = (analysis.events.first_mut(), analysis.places.first()) {
        event.action_geo = Some(GeoRef { place: p.place.clone().unwrap(), span: p.span.clone() });
    }
    NewArticle { article, analysis, ..Default::default() }
}

const PLACES: [(u64, &str, &str); 4] = [
    (524_901, "Moscow", "RU"),
    (703_448, "Kyiv", "UA"),
    (706_483, "Kharkiv", "UA"),
    (2_643_743, "London", "GB"),
];

fn place(geonameid: u64, name: &str, country: &str) -> GeoPlace {
    GeoPlace {
        geonameid,
        name: name.into(),
        lat: 50.0,
        lon: 30.0,
        country: country.into(),
        admin1: None,
        admin1_name: None,
        feature_class: "P".into(),
        feature_code: "PPL".into(),
    }
}

/// Everything the readers that start from an article id, an entity, a theme or a seq say.
fn answers(store: &SqliteStore, items: &[NewArticle]) -> Value {
    let mut per_article = vec![];
    for n in items {
        let id = &n.article.id;
        per_article.push(json!({
            "tables": serde_json::to_value(store.facts_from_tables(id).unwrap()).unwrap(),
            "analysis": serde_json::to_value(store.analysis(id).unwrap()).unwrap(),
            "entities": store.article_entities(id).unwrap(),
            "coded": store.coded_mentions(id).unwrap(),
            "places": serde_json::to_value(store.article_places(id).unwrap()).unwrap(),
            "tone": serde_json::to_value(store.article_tone(id).unwrap()).unwrap(),
        }));
    }
    let ids = |f: ArticleFilter| -> Vec<String> {
        store.articles(&ArticleFilter { limit: 100, ..f }).unwrap().into_iter().map(|r| r.id).collect()
    };
    let entity = items[0].analysis.mentions[0].entity.clone();
    let theme = items[0].analysis.themes.first().map(|t| t.code.clone());
    let mut mentions_after = vec![];
    store
        .for_each_mention_export(2, |m| -> Result<(), newsloom_store::StoreError> {
            mentions_after.push(m?.mention.span.start);
            Ok(())
        })
        .unwrap();
    json!({
        "per_article": per_article,
        "by_entity": ids(ArticleFilter { entity: Some(entity), ..Default::default() }),
        "by_theme": ids(ArticleFilter { theme, ..Default::default() }),
        "by_tone": ids(ArticleFilter { tone_min: Some(-100.0), ..Default::default() }),
        "by_country": ids(ArticleFilter { country: Some("ua".into()), ..Default::default() }),
        "mentions_after_2": mentions_after,
        "places_by_story": serde_json::to_value(
            store.places(&PlaceFilter { story: Some("s1".into()), limit: 10, ..Default::default() }).unwrap()
        )
        .unwrap(),
        "events_at_kyiv": store
            .events_by_place(&GeoEventFilter { geonameid: Some(703_448), limit: 10, ..Default::default() })
            .unwrap()
            .len(),
    })
}

fn index_names(db: &Connection) -> Vec<String> {
    let mut stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

const FACT_TABLES: [&str; 6] = ["mentions", "quotes", "events", "places", "mention_tones", "article_themes"];

/// Puts a store back into the layout before step 17: fact rows found by the article id (the
/// place-count triggers, which read the article's other places, are left for the step to make).
fn back_to_id_keys(db: &Connection) {
    db.execute_batch("DROP TRIGGER count_places_in; DROP TRIGGER count_places_out").unwrap();
    for t in FACT_TABLES {
        db.execute_batch(&format!(
            "DROP INDEX {t}_article_seq; ALTER TABLE {t} DROP COLUMN article_seq;
             CREATE INDEX {t}_article ON {t}(article);"
        ))
        .unwrap();
    }
    db.execute_batch(
        "CREATE TABLE old_tone (article TEXT PRIMARY KEY, tone REAL NOT NULL, positive REAL NOT NULL,
           negative REAL NOT NULL, polarity REAL NOT NULL, self_group REAL NOT NULL, words INTEGER NOT NULL);
         INSERT INTO old_tone SELECT article, tone, positive, negative, polarity, self_group, words FROM article_tone;
         DROP TABLE article_tone; ALTER TABLE old_tone RENAME TO article_tone;
         CREATE INDEX article_tone_tone ON article_tone(tone);",
    )
    .unwrap();
    db.pragma_update(None, "user_version", 16).unwrap();
}

#[test]
fn fact_rows_are_keyed_by_seq_and_an_id_keyed_store_upgrades_to_the_same_answers() {
    let items: Vec<NewArticle> = (0..8).map(analysed).collect();
    // The texts give every kind of fact row, so each reader below is exercised.
    let all = |f: fn(&NewArticle) -> usize| items.iter().map(f).sum::<usize>();
    assert!(all(|n| n.analysis.mentions.len()) > 0 && all(|n| n.analysis.quotes.len()) > 0);
    assert!(all(|n| n.analysis.events.len()) > 0 && all(|n| n.analysis.places.len()) > 0);
    assert!(all(|n| n.analysis.mention_tones.len()) > 0 && all(|n| n.analysis.themes.len()) > 0);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newsloom.db");
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.insert_batch(&items[..6], &[]).unwrap();
    let before = answers(&store, &items[..6]);
    // Each reader found something, so an answer lost in the upgrade shows.
    for key in ["by_entity", "by_theme", "by_tone", "mentions_after_2", "places_by_story"] {
        assert!(!before[key].as_array().unwrap().is_empty(), "{key}: {before:#}");
    }
    assert_eq!(before["by_country"].as_array().unwrap().len(), 4, "{before:#}");
    assert!(before["events_at_kyiv"].as_u64().unwrap() > 0, "{before:#}");
    for a in before["per_article"].as_array().unwrap() {
        for key in ["entities", "places"] {
            assert!(!a[key].as_array().unwrap().is_empty(), "{key}: {a:#}");
        }
        assert!(a["tone"].is_object() && !a["tables"]["mentions"].as_array().unwrap().is_empty(), "{a:#}");
    }
    drop(store);

    let db = Connection::open(&path).unwrap();
    let names = index_names(&db);
    for t in FACT_TABLES {
        assert!(names.contains(&format!("{t}_article_seq")), "{names:?}");
        assert!(!names.contains(&format!("{t}_article")), "{names:?}");
        // Every row of the table knows its article's seq.
        let orphans: i64 = db
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM {t} f LEFT JOIN articles a ON a.seq = f.article_seq
                     WHERE a.id IS NOT f.article"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 0, "{t}");
    }
    // An article's facts are read through the seq index, after one lookup of the id.
    let plan: Vec<String> = db
        .prepare("EXPLAIN QUERY PLAN SELECT doc FROM mentions WHERE article_seq = (SELECT seq FROM articles WHERE id = ?)")
        .unwrap()
        .query_map(["x"], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(plan.iter().any(|s| s.contains("mentions_article_seq")), "{plan:?}");

    back_to_id_keys(&db);
    drop(db);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(answers(&store, &items[..6]), before);
    store.insert_batch(&items[6..], &[]).unwrap();
    let after = answers(&store, &items);
    assert_eq!(after["per_article"].as_array().unwrap()[..6], before["per_article"].as_array().unwrap()[..]);
    assert_eq!(after["per_article"][7]["tables"]["quotes"], json!(items[7].analysis.quotes));
    // The place counts the triggers keep (the list over the whole store) went on counting.
    let resolved: usize = items.iter().map(|n| n.analysis.places.len()).sum();
    let listed = store.places(&PlaceFilter { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(listed.iter().map(|p| p.mentions as usize).sum::<usize>(), resolved);
    drop(store);
    let db = Connection::open(&path).unwrap();
    let names = index_names(&db);
    assert!(names.iter().all(|n| !FACT_TABLES.iter().any(|t| *n == format!("{t}_article"))), "{names:?}");
}
