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

/// Adds `docs` with the store positions after `seq` and commits them (one segment or more).
fn add_and_commit(index: &mut SearchIndex, docs: &[Article], seq: &mut i64) {
    let refs: Vec<_> = docs
        .iter()
        .map(|a| {
            *seq += 1;
            (*seq, a)
        })
        .collect();
    index.add(&refs).unwrap();
    index.commit(*seq).unwrap();
}

/// Facet counts merge across segments, the top ones exact, and come most frequent first, with many
/// distinct values per segment.
#[test]
fn facet_counts_across_segments_with_many_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let mut seq = 0;
    for segment in 0..3 {
        let mut docs = vec![];
        // 1,500 one-article stories per commit, plus "big" (8 articles per commit) and "mid"
        // (4): all match the query, spread over however many segments the writer makes.
        for i in 0..1500 {
            let mut a =
                article(&format!("{segment}-{i}"), "Harbour news", "Cranes idle", "Wire", "en", "2020-01-01");
            a.story = Some(format!("single-{segment}-{i}"));
            docs.push(a);
        }
        for (story, n) in [("big", 8), ("mid", 4)] {
            for i in 0..n {
                let mut a = article(
                    &format!("{story}{segment}-{i}"),
                    "Harbour news",
                    "Cranes idle",
                    "Post",
                    "en",
                    "2020-01-01",
                );
                a.story = Some(story.into());
                docs.push(a);
            }
        }
        add_and_commit(&mut index, &docs, &mut seq);
    }
    let r = index.search(&SearchQuery::text("cranes")).unwrap();
    assert_eq!(r.total, 3 * 1512);
    let stories = &r.facets["story"];
    assert_eq!(stories.len(), 20);
    assert_eq!(stories[0], ("big".to_string(), 24));
    assert_eq!(stories[1], ("mid".to_string(), 12));
    assert!(stories[2..].iter().all(|(_, n)| *n == 1));
    assert_eq!(r.facets["source"], [("Wire".to_string(), 4500), ("Post".to_string(), 36)]);
    assert_eq!(r.facets["language"], [("en".to_string(), 4536)]);
    assert!(index.search(&SearchQuery::text("nothing-matches")).unwrap().facets["story"].is_empty());
}

/// Past the count budget the total and facet counts are estimated from the segments counted,
/// and say so; within it they are exact.
#[test]
fn broad_queries_estimate_the_total_past_the_count_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let mut seq = 0;
    for segment in 0..4 {
        let docs: Vec<_> = (0..100)
            .map(|i| {
                let source = if i % 4 == 0 { "Post" } else { "Wire" };
                article(&format!("{segment}-{i}"), "Harbour news", "Cranes idle", source, "en", "2020-01-01")
            })
            .collect();
        add_and_commit(&mut index, &docs, &mut seq);
    }
    let exact = index.search(&SearchQuery::text("cranes")).unwrap();
    assert_eq!((exact.total, exact.total_estimated), (400, false));
    index.set_count_budget(150);
    let r = index.search(&SearchQuery::text("cranes")).unwrap();
    assert!(r.total_estimated);
    // Every document matches, so the estimate is the true total; the facets are scaled from
    // a sample whose shares are close to 3:1 (the writer's threads split segments unevenly).
    assert_eq!(r.total, 400);
    let sources = &r.facets["source"];
    assert_eq!(sources.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(), ["Wire", "Post"]);
    assert!((280..=320).contains(&sources[0].1) && (80..=120).contains(&sources[1].1), "{sources:?}");
    assert_eq!(r.hits.len(), 10, "hits are never cut by the budget");
    // The budget stops the count inside a segment too (none has fewer than 100 documents).
    index.set_count_budget(30);
    let r = index.search(&SearchQuery::text("cranes")).unwrap();
    assert!(r.total_estimated);
    assert!((360..=440).contains(&r.total), "{}", r.total);
}

#[test]
fn title_words_rank_higher_and_filters_do_not_change_the_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let filler = "The council met on Tuesday and discussed the budget at length. ".repeat(3);
    let docs = [
        article(
            "body",
            "Council budget talks",
            &format!("{filler} A pipeline was mentioned."),
            "A",
            "en",
            "2020-01-01",
        ),
        article(
            "title",
            "Pipeline deal signed",
            &format!("{filler} Officials signed it after a long night of talks in the capital."),
            "A",
            "en",
            "2020-01-02",
        ),
        article("none", "Council budget", &filler, "A", "en", "2020-01-03"),
    ];
    let refs: Vec<_> = docs.iter().enumerate().map(|(i, a)| (i as i64 + 1, a)).collect();
    index.add(&refs).unwrap();
    index.commit(3).unwrap();
    let ids = |q: &SearchQuery| index.search(q).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    // Each has the word once; the one with it in its title ranks first, although it is longer.
    let plain = SearchQuery::text("pipeline");
    assert_eq!(ids(&plain), ["title", "body"]);
    // A filter that keeps every match runs another query plan: same hits, same order.
    let filtered = SearchQuery { source: Some("A".into()), ..plain.clone() };
    assert_eq!(ids(&filtered), ids(&plain));
    // The snippet is cut from the body and marks the word there.
    let found = index.search(&plain).unwrap();
    let body_hit = found.hits.iter().find(|h| h.id == "body").unwrap();
    let (s, e) = body_hit.highlights[0];
    assert_eq!(&body_hit.snippet[s..e], "pipeline");
}

#[test]
fn a_word_late_in_a_long_body_still_gets_its_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    // Snippets are first looked for in the body's opening bytes, then in all of it: a word
    // that occurs only far in must still be found and marked, with multi-byte text before it.
    let filler = "Der Rat tagte am Dienstag und beriet über den Haushalt für Straßen. ".repeat(60);
    let docs = [
        article("late", "Council", &format!("{filler}Then a pipeline was named."), "A", "de", "2020-01-01"),
        article("early", "Council", &format!("A pipeline first. {filler}"), "A", "de", "2020-01-02"),
    ];
    assert!(docs[0].body.len() > 4_000);
    let refs: Vec<_> = docs.iter().enumerate().map(|(i, a)| (i as i64 + 1, a)).collect();
    index.add(&refs).unwrap();
    index.commit(2).unwrap();
    let found = index.search(&SearchQuery::text("pipeline")).unwrap();
    assert_eq!(found.hits.len(), 2);
    for hit in &found.hits {
        let (s, e) = hit.highlights[0];
        assert_eq!(&hit.snippet[s..e], "pipeline", "{}", hit.id);
    }
}

/// Facet values are named once per segment and reused: repeated and overlapping searches give
/// the same values as a fresh index, and segments written or merged later are named anew.
#[test]
fn facet_values_stay_right_across_searches_and_new_segments() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let mut seq = 0;
    let batch = |tag: &str, outlets: &[&str]| -> Vec<Article> {
        outlets
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let mut a =
                    article(&format!("{tag}{i}"), "Harbour news", "Cranes idle", o, "en", "2020-01-01");
                a.story = Some(format!("story-{o}"));
                a
            })
            .collect()
    };
    add_and_commit(&mut index, &batch("a", &["Wire", "Post", "Wire"]), &mut seq);
    let first = index.search(&SearchQuery::text("cranes")).unwrap().facets;
    assert_eq!(first["source"], [("Wire".to_string(), 2), ("Post".to_string(), 1)]);
    // A query matching a subset reads names cached by the first one.
    let again = index.search(&SearchQuery::text("harbour")).unwrap().facets;
    assert_eq!(again, first);
    for round in 0..4 {
        let outlets = ["Herald", "Wire"];
        add_and_commit(&mut index, &batch(&format!("b{round}-"), &outlets), &mut seq);
    }
    let later = index.search(&SearchQuery::text("cranes")).unwrap().facets;
    assert_eq!(
        later["source"],
        [("Wire".to_string(), 6), ("Herald".to_string(), 4), ("Post".to_string(), 1)]
    );
    assert_eq!(later["story"][0], ("story-Wire".to_string(), 6));
    // The same counts from an index opened afresh, with nothing cached.
    drop(index);
    let fresh = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(fresh.search(&SearchQuery::text("cranes")).unwrap().facets, later);
}

/// Merging the segments leaves one, with the same hits, totals, facets and version,
/// also after a replaced article (its old copy is dropped by the merge, not found again).
#[test]
fn merging_segments_keeps_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open(dir.path()).unwrap();
    let mut seq = 0;
    for commit in 0..5 {
        let docs: Vec<Article> = (0..40)
            .map(|i| {
                let body =
                    format!("Harbour cranes idle {} on day {commit}", if i % 3 == 0 { "again" } else { "" });
                article(
                    &format!("{commit}-{i}"),
                    "Harbour news",
                    &body,
                    ["Wire", "Post"][i % 2],
                    "en",
                    "2020-01-02",
                )
            })
            .collect();
        add_and_commit(&mut index, &docs, &mut seq);
    }
    // A replaced article: the new copy only must be found, before and after the merge.
    add_and_commit(
        &mut index,
        &[article("0-0", "Harbour news", "Cranes moved away", "Wire", "en", "2020-01-03")],
        &mut seq,
    );
    assert!(index.num_segments().unwrap() > 1);
    let queries = ["cranes", "harbour again", "moved", "day 3"];
    // Every hit, so ties among equal scores cannot pick different documents.
    let all = |q: &str| SearchQuery { limit: 1000, ..SearchQuery::text(q) };
    let before: Vec<_> = queries.iter().map(|q| index.search(&all(q)).unwrap()).collect();
    let version = index.version().unwrap();
    let segments = index.num_segments().unwrap();
    assert_eq!(index.merge_segments().unwrap(), segments);
    assert_eq!(index.num_segments().unwrap(), 1);
    assert_eq!(index.version().unwrap(), version, "cached answers stay valid");
    assert_eq!(index.indexed_seq().unwrap(), seq);
    let after: Vec<_> = queries.iter().map(|q| index.search(&all(q)).unwrap()).collect();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((b.total, &b.facets), (a.total, &a.facets));
        let ids = |r: &newsloom_search::SearchResults| {
            // Scores move a little: the replaced copy counted in the term statistics until merged.
            let mut v: Vec<String> = r.hits.iter().map(|h| h.id.clone()).collect();
            v.sort();
            v
        };
        assert_eq!(ids(b), ids(a));
    }
    assert_eq!(after[2].total, 1);
    assert_eq!(after[0].total, 200);
    // Reopened: still one segment, the same answers.
    drop(index);
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.num_segments().unwrap(), 1);
    assert_eq!(index.search(&SearchQuery::text("cranes")).unwrap().total, 200);
}

#[test]
fn a_second_handle_sees_each_commit_and_merge_of_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let (mut writer, reader) =
        (SearchIndex::open(dir.path()).unwrap(), SearchIndex::open(dir.path()).unwrap());
    let mut seq = 0;
    let total = |q: &str| reader.search(&SearchQuery::text(q)).unwrap().total;
    assert_eq!(total("harbour"), 0);
    add_and_commit(
        &mut writer,
        &[article("a", "Harbour news", "Cranes", "Wire", "en", "2020-01-01")],
        &mut seq,
    );
    assert_eq!(total("harbour"), 1, "the reader reloads after a commit it did not make");
    add_and_commit(
        &mut writer,
        &[article("b", "Harbour again", "Ships", "Wire", "en", "2020-01-02")],
        &mut seq,
    );
    assert_eq!(total("harbour"), 2);
    // Searching again with nothing new committed keeps the same answer.
    assert_eq!(total("harbour"), 2);
    writer.merge_segments().unwrap();
    assert_eq!(
        (total("harbour"), total("ships")),
        (2, 1),
        "the merged segment is read, not the deleted ones"
    );
}
