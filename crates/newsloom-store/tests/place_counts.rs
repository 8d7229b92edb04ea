//! The place list over the whole store reads counts that triggers keep: they must give what
//! grouping every toponym gives (mentions, articles counted once per place, order), also for
//! one country, and a store written before them gets them when it is upgraded.

use newsloom_model::{Analysis, Article, GeoPlace, PlaceMention, Span};
use newsloom_store::{NewArticle, PlaceCount, PlaceFilter, SqliteStore};
use rusqlite::Connection;

const PLACES: [(u64, &str, &str); 5] = [
    (524_901, "Moscow", "RU"),
    (703_448, "Kyiv", "UA"),
    (706_483, "Kharkiv", "UA"),
    (2_643_743, "London", "GB"),
    (1, "Kyiv", "UA"),
];

fn item(i: usize) -> NewArticle {
    let id = format!("a{i}");
    // Article i names places i % 5, (i * 3) % 5 and, every other time, i % 5 again.
    let mut picks = vec![i % 5, (i * 3) % 5];
    if i.is_multiple_of(2) {
        picks.push(i % 5);
    }
    let mut places: Vec<PlaceMention> = picks
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let (geonameid, name, country) = PLACES[p];
            PlaceMention {
                text: name.into(),
                span: Span::new(&id, k * 10, k * 10 + name.len()),
                place: Some(GeoPlace {
                    geonameid,
                    name: name.into(),
                    lat: 50.0,
                    lon: 30.0,
                    country: country.into(),
                    admin1: Some(format!("{country}.01")),
                    admin1_name: None,
                    feature_class: "P".into(),
                    feature_code: "PPL".into(),
                }),
                literal: true,
                confidence: 0.8,
            }
        })
        .collect();
    // An unresolved toponym: not a place of the list.
    places.push(PlaceMention {
        text: "Nowhere".into(),
        span: Span::new(&id, 90, 97),
        place: None,
        literal: true,
        confidence: 0.2,
    });
    NewArticle {
        article: Article {
            id: id.clone(),
            title: "t".into(),
            body_hash: id,
            origin: "o".into(),
            story: Some(format!("s{}", i % 3)),
            ..Default::default()
        },
        analysis: Analysis { places, ..Default::default() },
        ..Default::default()
    }
}

/// The list by grouping every toponym, as `places` did before the counts were kept.
fn grouped(db: &Connection, country: Option<&str>) -> Vec<(i64, String, i64, i64)> {
    let mut stmt = db
        .prepare(
            "SELECT geonameid, MIN(name), COUNT(*), COUNT(DISTINCT article) FROM places
             WHERE geonameid IS NOT NULL AND (?1 IS NULL OR country = ?1)
             GROUP BY geonameid ORDER BY 3 DESC, 2, 1",
        )
        .unwrap();
    stmt.query_map([country], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn listed(store: &SqliteStore, country: Option<&str>) -> Vec<(i64, String, i64, i64)> {
    let f = PlaceFilter { country: country.map(str::to_string), limit: 100, ..Default::default() };
    let rows: Vec<PlaceCount> = store.places(&f).unwrap();
    rows.into_iter().map(|p| (p.geonameid, p.name, p.mentions, p.articles)).collect()
}

fn check(dir: &std::path::Path, store: &SqliteStore) {
    let db = Connection::open(dir.join("newsloom.db")).unwrap();
    for country in [None, Some("UA"), Some("ua"), Some("FR")] {
        let upper = country.map(str::to_ascii_uppercase);
        assert_eq!(listed(store, country), grouped(&db, upper.as_deref()), "{country:?}");
    }
    let all = listed(store, None);
    assert_eq!(all.len(), 5);
    // Mentions and articles differ where an article names a place twice.
    assert!(all.iter().any(|(_, _, mentions, articles)| mentions > articles));
}

#[test]
fn kept_place_counts_equal_grouping_every_toponym_also_after_an_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.insert_batch(&(0..20).map(item).collect::<Vec<_>>(), &[]).unwrap();
    check(dir.path(), &store);
    // The same articles again are duplicates: nothing counted twice.
    store.insert_batch(&(15..30).map(item).collect::<Vec<_>>(), &[]).unwrap();
    check(dir.path(), &store);
    drop(store);

    // Back to the schema before the place counts: the upgrade counts every toponym.
    let db = Connection::open(dir.path().join("newsloom.db")).unwrap();
    db.execute_batch("DROP TRIGGER count_places_in; DROP TRIGGER count_places_out; DROP TABLE place_counts")
        .unwrap();
    db.pragma_update(None, "user_version", 12).unwrap();
    drop(db);
    let mut store = SqliteStore::open(dir.path()).unwrap();
    check(dir.path(), &store);
    store.insert_batch(&(30..45).map(item).collect::<Vec<_>>(), &[]).unwrap();
    check(dir.path(), &store);
}
