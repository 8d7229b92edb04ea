//! Articles whose stored documents were made ahead ([`Encoded`], on the pipeline's pool) are
//! stored exactly as when the writer makes them itself.
use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_model::{Article, GeoPlace, PlaceMention, PublishedDate, Span};
use newsloom_store::{Encoded, NewArticle, SqliteStore};
use rusqlite::types::Value;

const BODIES: [&str; 3] = [
    "Russia accused Ukraine of shelling Kyiv on Tuesday. \"We will respond to every attack,\" \
     Vladimir Putin said in Moscow. NATO condemned the strikes in Brussels and the United States \
     sent more aid to Ukraine.",
    "The European Union imposed new sanctions on Iran. France and Germany praised the decision \
     in Paris, while China criticised it. \"This is a mistake,\" a spokesman said in Beijing.",
    "Talks between Israel and Egypt resumed in Cairo. The United Nations urged both sides to \
     agree a ceasefire, and Qatar offered to host the next round in Doha.",
];

/// The batch as the pipeline makes it: analysed, encoded ahead when `ahead`, then placed in
/// a story (after encoding, as the clusterer does).
fn batch(ahead: bool) -> Vec<NewArticle> {
    let analyser = NewsAnalyser::new();
    BODIES
        .iter()
        .enumerate()
        .map(|(i, body)| {
            let article = Article {
                id: format!("a{i}"),
                title: format!("Report {i}"),
                body: body.to_string(),
                // Long enough to be stored deflated.
                raw: format!("<html><body><p>{body}</p></body></html>").repeat(3),
                body_hash: format!("h{i}"),
                source: Some(format!("Outlet {}", i % 2)),
                published: PublishedDate::parse_iso(&format!("2024-03-0{}", i + 1), "input"),
                origin: format!("{i}.html"),
                ..Default::default()
            };
            let mut analysis = analyser.analyse(&article);
            // Places come from the geo stage, which runs after this analyser: one resolved
            // toponym per article, named twice, and one left unresolved.
            let at = |start: usize, end: usize| Span { article: article.id.clone(), start, end };
            let kyiv = GeoPlace {
                geonameid: 703_448,
                name: "Kyiv".into(),
                lat: 50.45,
                lon: 30.52,
                country: "UA".into(),
                admin1: Some("UA.12".into()),
                admin1_name: None,
                feature_class: "P".into(),
                feature_code: "PPLC".into(),
            };
            for (start, place) in [(0, Some(kyiv.clone())), (10, Some(kyiv)), (20, None)] {
                let (span, text) = (at(start, start + 4), "Kyiv".to_string());
                analysis.places.push(PlaceMention { text, span, place, literal: true, confidence: 0.9 });
            }
            let encoded = ahead.then(|| Encoded::new(&article, &analysis).unwrap());
            let mut item = NewArticle { article, analysis, encoded, ..Default::default() };
            item.article.story = Some(format!("s{}", i % 2));
            item
        })
        .collect()
}

/// Every row of every table, without the time of writing.
fn dump(dir: &std::path::Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = rusqlite::Connection::open(dir.join("newsloom.db")).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let kept: Vec<usize> =
                (0..stmt.column_count()).filter(|&i| stmt.column_name(i).unwrap() != "ingested_at").collect();
            let mut rows: Vec<Vec<Value>> = stmt
                .query_map([], |r| kept.iter().map(|&i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            (t, rows)
        })
        .collect()
}

#[test]
fn documents_made_ahead_are_stored_as_the_writer_makes_them() {
    let (plain, ahead) = (batch(false), batch(true));
    let totals = |b: &[NewArticle], f: fn(&NewArticle) -> usize| b.iter().map(f).sum::<usize>();
    // The texts give every kind of fact the documents hold.
    assert!(totals(&plain, |n| n.analysis.mentions.len()) > 0);
    assert!(totals(&plain, |n| n.analysis.quotes.len()) > 0);
    assert!(totals(&plain, |n| n.analysis.events.len()) > 0);
    assert!(totals(&plain, |n| n.analysis.places.len()) > 0);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    SqliteStore::open(a.path()).unwrap().insert_batch(&plain, &[]).unwrap();
    SqliteStore::open(b.path()).unwrap().insert_batch(&ahead, &[]).unwrap();
    let (da, db) = (dump(a.path()), dump(b.path()));
    assert!(da.iter().any(|(t, rows)| t == "article_facts" && rows.len() == BODIES.len()));
    assert_eq!(da, db);
    // And it reads back the same through the store.
    let store = SqliteStore::open(b.path()).unwrap();
    for item in &plain {
        let mut stored = store.article(&item.article.id).unwrap().unwrap();
        assert_eq!(stored.raw, item.article.raw);
        stored.story = item.article.story.clone();
        assert_eq!(stored, item.article);
    }
}
