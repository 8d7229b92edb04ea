//! Two writers on one database at once, with overlapping batches: every article is stored
//! once, and story sizes and outlet counts come out as if the batches had run one by one.

use newsloom_model::{Article, PublishedDate};
use newsloom_postgres::PgStore;
use newsloom_postgres::testing::{require, unique_db_name};
use newsloom_store::{NewArticle, StoryOrder, StoryQuery};

fn item(i: usize) -> NewArticle {
    let article = Article {
        id: format!("a{i:03}"),
        title: format!("Article {i}"),
        body: format!("Body {i}"),
        body_hash: format!("h{i}"),
        origin: format!("{i}.txt"),
        // Five stories, seven outlets: every story gets articles from both writers.
        story: Some(format!("s{}", i % 5)),
        source: Some(format!("outlet{}", i % 7)),
        published: PublishedDate::parse_iso(&format!("2024-01-{:02}", 1 + i % 28), "input"),
        ..Default::default()
    };
    NewArticle { article, ..Default::default() }
}

#[test]
fn concurrent_writers_store_each_article_once() {
    let Some(pg) = require() else { return };
    let url = pg.create_database(&unique_db_name("concurrent")).unwrap();
    // Writer A takes 0..120, writer B 60..180 backwards: 60 articles written by both.
    let ranges: [Vec<usize>; 2] = [(0..120).collect(), (60..180).rev().collect()];
    let outcomes: Vec<(usize, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|ids| {
                let url = url.clone();
                s.spawn(move || {
                    let mut store = PgStore::open(&url).unwrap();
                    let (mut stored, mut dups) = (0, 0);
                    for chunk in ids.chunks(7) {
                        let batch: Vec<NewArticle> = chunk.iter().map(|&i| item(i)).collect();
                        let o = store.insert_batch(&batch, &[]).unwrap();
                        stored += o.stored;
                        dups += o.duplicates;
                    }
                    (stored, dups)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stored: usize = outcomes.iter().map(|o| o.0).sum();
    let dups: usize = outcomes.iter().map(|o| o.1).sum();
    assert_eq!((stored, dups), (180, 60), "{outcomes:?}");

    let store = PgStore::open(&url).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!((stats.articles, stats.stories, stats.sources), (180, 5, 7));
    // Sequence numbers: one per stored article, no gaps from duplicates.
    assert_eq!(store.max_seq().unwrap(), 180);
    let stories =
        store.stories(&StoryQuery { order: StoryOrder::Biggest, limit: 10, ..Default::default() }).unwrap();
    for s in &stories {
        assert_eq!(s.size, 36, "{}", s.id);
        let counted: i64 = s.outlets.iter().map(|o| o.articles).sum();
        assert_eq!(counted, 36);
        assert_eq!(s.outlets.len(), 7);
    }
    // The kept outlet count (what the outlets order sorts by) matches the articles.
    let by_outlets =
        store.stories(&StoryQuery { order: StoryOrder::Outlets, limit: 10, ..Default::default() }).unwrap();
    assert_eq!(by_outlets.len(), 5);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows = client.query("SELECT outlets FROM stories", &[]).unwrap();
    assert!(rows.iter().all(|r| r.get::<_, i64>(0) == 7), "outlets kept per story");
}
