//! A reader's multi-statement answers (a story with its articles, store-wide counts) come from
//! one state of the store even while a writer commits batches on another connection.

use newsloom_model::{Article, PublishedDate};
use newsloom_store::{NewArticle, SqliteStore};

fn batch(from: usize, n: usize) -> Vec<NewArticle> {
    (from..from + n)
        .map(|i| NewArticle {
            article: Article {
                id: format!("a{i}"),
                title: format!("Title {i}"),
                body: format!("Body {i}."),
                body_hash: format!("h{i}"),
                source: Some("TASS".into()),
                story: Some("s1".into()),
                published: PublishedDate::parse_iso("2017-01-04", "input"),
                ..Default::default()
            },
            ..Default::default()
        })
        .collect()
}

#[test]
fn a_snapshot_does_not_see_a_batch_committed_during_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = SqliteStore::open(dir.path()).unwrap();
    writer.insert_batch(&batch(0, 3), &[]).unwrap();
    let reader = SqliteStore::open(dir.path()).unwrap();
    let (before, after) = reader
        .snapshot(|r| {
            let before = r.story("s1")?.unwrap();
            // Committed between two reads of one snapshot.
            writer.insert_batch(&batch(3, 4), &[]).unwrap();
            // Nested reads join the snapshot.
            let after = r.story("s1")?.unwrap();
            assert_eq!(r.stats()?.articles, 3);
            Ok((before, after))
        })
        .unwrap();
    assert_eq!((before.0.size, before.1.len()), (3, 3));
    assert_eq!((after.0.size, after.1.len()), (3, 3));
    // Outside the snapshot the batch is there, whole.
    let (row, articles) = reader.story("s1").unwrap().unwrap();
    assert_eq!((row.size, articles.len()), (7, 7));
    let stats = reader.stats().unwrap();
    assert_eq!(stats.articles, 7);
    assert_eq!(stats.languages.iter().map(|l| l.1).sum::<i64>(), 7);
}
