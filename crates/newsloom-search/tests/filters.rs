use newsloom_model::{Article, PublishedDate};
use newsloom_search::{SearchIndex, SearchQuery};

fn article(id: &str, title: &str, body: &str, source: &str, lang: &str, day: &str) -> Article {
    Article {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        source: Some(source.into()),
        language: Some(lang.into()),
        story: Some(format!("s-{id}")),
        published: PublishedDate::parse_iso(day, "input"),
        ..Default::default()
    }
}

#[test]
fn filters_facets_snippets_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        article(
            "a",
            "Russia appeals for NATO reset",
            "Andrei Kelin told Interfax about NATO.",
            "The Moscow Times",
            "en",
            "2017-01-04",
        ),
        article(
            "b",
            "Russia ready to build relations with NATO",
            "The ministry said NATO summits worried it.",
            "TASS",
            "en",
            "2016-12-27",
        ),
        article(
            "c",
            "Elecciones en España",
            "La OTAN y Rusia no aparecen aquí.",
            "El País",
            "es",
            "2016-12-30",
        ),
    ];
    {
        let mut index = SearchIndex::open(dir.path()).unwrap();
        let refs: Vec<_> = docs.iter().enumerate().map(|(i, a)| (i as i64 + 1, a)).collect();
        index.add(&refs).unwrap();
        index.commit(3).unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.indexed_seq().unwrap(), 3);
    assert_eq!(index.num_docs(), 3);

    let r = index.search(&SearchQuery::text("NATO")).unwrap();
    assert_eq!(r.total, 2);
    let sources = &r.facets["source"];
    assert!(
        sources.contains(&("TASS".to_string(), 1)) && sources.contains(&("The Moscow Times".to_string(), 1))
    );

    let r = index.search(&SearchQuery::text("NATO reset")).unwrap();
    assert_eq!(r.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["a"]);

    let r = index.search(&SearchQuery::text("kelin")).unwrap();
    let hit = &r.hits[0];
    assert_eq!(
        (hit.id.as_str(), hit.source.as_deref(), hit.story.as_deref()),
        ("a", Some("The Moscow Times"), Some("s-a"))
    );
    let (s, e) = hit.highlights[0];
    assert_eq!(&hit.snippet[s..e], "Kelin");

    let q = SearchQuery { source: Some("TASS".into()), ..SearchQuery::text("NATO") };
    assert_eq!(index.search(&q).unwrap().hits[0].id, "b");
    let q = SearchQuery { from: Some("2017-01-01".into()), ..SearchQuery::text("NATO") };
    assert_eq!(index.search(&q).unwrap().hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>(), ["a"]);
    let q = SearchQuery { to: Some("2016-12-31".into()), ..SearchQuery::text("NATO") };
    assert_eq!(index.search(&q).unwrap().hits[0].id, "b");
    let q = SearchQuery { language: Some("es".into()), ..SearchQuery::text("OTAN") };
    assert_eq!(index.search(&q).unwrap().total, 1);
    // What a user types is never a syntax error.
    assert!(index.search(&SearchQuery::text("NATO\" AND (")).is_ok());
}

#[test]
fn re_adding_an_article_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let mut a = article("a", "Title", "Body words", "X", "en", "2017-01-04");
    index.add(&[(1, &a)]).unwrap();
    index.commit(1).unwrap();
    a.story = Some("merged".into());
    index.add(&[(1, &a)]).unwrap();
    index.commit(1).unwrap();
    assert_eq!(index.num_docs(), 1);
    let q = SearchQuery { story: Some("merged".into()), ..SearchQuery::text("body") };
    assert_eq!(index.search(&q).unwrap().total, 1);
}
