//! PostgreSQL full-text search: ranking, filters, facets and snippets.

use newsloom_model::{Article, PublishedDate};
use newsloom_postgres::testing::{require, unique_db_name};
use newsloom_postgres::{PgSearch, PgStore};
use newsloom_search::{SearchQuery, Searcher};
use newsloom_store::NewArticle;

fn item(id: &str, title: &str, body: &str, source: &str, lang: &str, story: &str, day: &str) -> NewArticle {
    let article = Article {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        body_hash: id.into(),
        origin: format!("{id}.txt"),
        source: Some(source.into()),
        language: Some(lang.into()),
        story: Some(story.into()),
        published: PublishedDate::parse_iso(day, "input"),
        ..Default::default()
    };
    NewArticle { article, ..Default::default() }
}

fn setup() -> Option<(std::sync::Arc<newsloom_postgres::testing::TempPostgres>, PgSearch)> {
    let pg = require()?;
    let url = pg.create_database(&unique_db_name("search")).unwrap();
    let mut store = PgStore::open(&url).unwrap();
    store
        .insert_batch(
            &[
                item(
                    "body1",
                    "Markets rally",
                    "Investors cheered as the ceasefire held in the north. Ceasefire talks go on.",
                    "Reuters",
                    "en",
                    "s1",
                    "2024-03-01",
                ),
                item(
                    "title1",
                    "Ceasefire agreed",
                    "Both sides signed after long talks in Doha.",
                    "AP",
                    "en",
                    "s1",
                    "2024-03-02",
                ),
                item("other", "Football results", "Local club wins the cup.", "AP", "en", "s2", "2024-03-03"),
                item(
                    "fr1",
                    "Cessez-le-feu",
                    "Le ceasefire est signé à Doha.",
                    "AFP",
                    "fr",
                    "s1",
                    "2024-03-05",
                ),
            ],
            &[],
        )
        .unwrap();
    Some((pg, PgSearch::open(&url).unwrap()))
}

#[test]
fn ranks_title_matches_first_and_counts_facets() {
    let Some((_pg, search)) = setup() else { return };
    let found = search.search(&SearchQuery::text("ceasefire")).unwrap();
    assert_eq!(found.total, 3);
    assert_eq!(found.hits[0].id, "title1", "{:?}", found.hits);
    assert!(found.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(
        found.facets["source"],
        [("AFP".to_string(), 1), ("AP".to_string(), 1), ("Reuters".to_string(), 1)]
    );
    assert_eq!(found.facets["language"], [("en".to_string(), 2), ("fr".to_string(), 1)]);
    assert_eq!(found.facets["story"], [("s1".to_string(), 3)]);
    let hit = &found.hits[0];
    assert_eq!(
        (hit.day.as_deref(), hit.source.as_deref(), hit.story.as_deref()),
        (Some("2024-03-02"), Some("AP"), Some("s1"))
    );
    assert!(found.facets.keys().eq(["language", "source", "story"]));
}

#[test]
fn snippets_highlight_valid_byte_ranges() {
    let Some((_pg, search)) = setup() else { return };
    let found = search.search(&SearchQuery::text("ceasefire")).unwrap();
    let body_hit = found.hits.iter().find(|h| h.id == "body1").unwrap();
    assert_eq!(body_hit.highlights.len(), 2, "{body_hit:?}");
    for &(s, e) in &body_hit.highlights {
        assert!(body_hit.snippet.is_char_boundary(s) && body_hit.snippet.is_char_boundary(e));
        assert_eq!(body_hit.snippet[s..e].to_lowercase(), "ceasefire");
    }
    let fr = found.hits.iter().find(|h| h.id == "fr1").unwrap();
    let (s, e) = fr.highlights[0];
    assert_eq!(&fr.snippet[s..e], "ceasefire", "byte ranges after a multi-byte character");
    // A title-only match has a plain snippet (the start of the body) and no highlights.
    let title = found.hits.iter().find(|h| h.id == "title1").unwrap();
    assert!(title.highlights.is_empty() && title.snippet.starts_with("Both sides"));
}

#[test]
fn filters_phrases_and_paging() {
    let Some((_pg, search)) = setup() else { return };
    let q = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = SearchQuery::text("ceasefire");
        f(&mut q);
        let r = search.search(&q).unwrap();
        (r.total, r.hits.into_iter().map(|h| h.id).collect::<Vec<_>>())
    };
    assert_eq!(q(&|q| q.source = Some("AFP".into())), (1, vec!["fr1".to_string()]));
    assert_eq!(q(&|q| q.language = Some("en".into())).0, 2);
    assert_eq!(q(&|q| q.story = Some("s2".into())).0, 0);
    assert_eq!(
        q(&|q| {
            q.from = Some("2024-03-02".into());
            q.to = Some("2024-03-02".into())
        })
        .1,
        ["title1"]
    );
    assert_eq!(q(&|q| q.text = "ceasefire doha".into()).0, 2, "every word must match");
    assert_eq!(q(&|q| q.text = "\"talks go on\"".into()).1, ["body1"]);
    assert_eq!(q(&|q| q.text = "ceasefire -doha".into()).1, ["body1"]);
    let (total, page) = q(&|q| {
        q.limit = 1;
        q.offset = 1
    });
    assert_eq!((total, page.len()), (3, 1));
    assert_eq!(q(&|q| q.text = "".into()).0, 0);
    assert_eq!(q(&|q| q.text = "\"unbalanced : (".into()).0, 0, "odd input is not an error");
    assert_eq!(search.version().unwrap(), 4);
}

/// More matches than the window: the hits are the best of the newest matches, the total is
/// the planner's estimate (flagged), and a query matching fewer stays exact.
#[test]
fn work_per_query_is_bounded_by_the_match_window() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("window")).unwrap();
    let mut store = PgStore::open(&url).unwrap();
    let n = newsloom_postgres::MATCH_WINDOW + 500;
    let batch: Vec<NewArticle> = (0..n)
        .map(|i| {
            // Every article says "common"; one in ten also says "rare".
            let body = if i % 10 == 0 { "common words and a rare one" } else { "common words only" };
            item(
                &format!("w{i:05}"),
                &format!("Title {i}"),
                body,
                "AP",
                "en",
                &format!("s{}", i % 3),
                "2024-05-01",
            )
        })
        .collect();
    store.insert_batch(&batch, &[]).unwrap();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute("ANALYZE articles").unwrap();
    let search = PgSearch::open(&url).unwrap();

    let common =
        search.search(&SearchQuery { text: "common".into(), limit: 5, ..Default::default() }).unwrap();
    assert!(common.total_estimated);
    // The estimate comes from column statistics: near the truth, not exact.
    assert!(common.total > n * 8 / 10 && common.total < n * 12 / 10, "estimate {} for {n}", common.total);
    assert_eq!(common.hits.len(), 5);
    let faceted: u64 = common.facets["story"].iter().map(|(_, c)| c).sum();
    assert_eq!(faceted as usize, newsloom_postgres::MATCH_WINDOW, "facets count the window");

    let rare = search.search(&SearchQuery { text: "rare".into(), limit: 5, ..Default::default() }).unwrap();
    assert!(!rare.total_estimated);
    assert_eq!(rare.total, n.div_ceil(10));

    // A page past the window still answers (the window widens to reach it).
    let deep = SearchQuery { text: "common".into(), limit: 10, offset: n - 5, ..Default::default() };
    assert_eq!(search.search(&deep).unwrap().hits.len(), 5);
}
