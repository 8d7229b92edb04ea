//! Tone and themes are stored with each article and read back per article, by theme, by tone
//! range and as series.
use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_model::{Article, PublishedDate};
use newsloom_store::{NewArticle, SqliteStore, ToneSubject};

fn analysed(id: &str, day: &str, body: &str) -> NewArticle {
    let article = Article {
        id: id.into(),
        title: format!("Title {id}"),
        body: body.into(),
        body_hash: id.into(),
        source: Some("Outlet".into()),
        story: Some("s1".into()),
        published: PublishedDate::parse_iso(day, "input"),
        origin: format!("{id}.txt"),
        ..Default::default()
    };
    let analysis = NewsAnalyser::new().analyse(&article);
    NewArticle { article, analysis, ..Default::default() }
}

#[test]
fn tone_and_themes_round_trip_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let good = analysed(
        "a1",
        "2024-01-02",
        "Andrei Kelin praised the wonderful peace agreement. The talks were a great success for everyone.",
    );
    let bad = analysed(
        "a2",
        "2024-02-03",
        "Troops shelled the town and killed ten civilians. The attack was condemned as a horrific war crime.",
    );
    assert!(good.analysis.tone.unwrap().tone > 0.0);
    assert!(bad.analysis.tone.unwrap().tone < 0.0);
    store.insert_batch(&[good.clone(), bad.clone()], &[]).unwrap();

    let t = store.article_tone("a1").unwrap().unwrap();
    assert_eq!(Some(t), good.analysis.tone);
    assert!(store.article_tone("missing").unwrap().is_none());
    assert_eq!(store.article_themes("a2").unwrap(), bad.analysis.themes);
    assert!(!bad.analysis.themes.is_empty());
    // The stored analysis carries them too.
    let an = store.analysis("a1").unwrap();
    assert_eq!(an.tone, good.analysis.tone);
    assert_eq!(an.mention_tones.len(), good.analysis.mention_tones.len());

    assert_eq!(store.articles_in_tone_range(0.1, 100.0, 10).unwrap(), vec!["a1".to_string()]);
    assert_eq!(store.articles_in_tone_range(-100.0, -0.1, 10).unwrap(), vec!["a2".to_string()]);
    let war = store.articles_with_theme("medtop:16000000", 0.0, 10).unwrap();
    assert_eq!(war, vec!["a2".to_string()]);

    let series = store.tone_series(&ToneSubject::Story("s1".into()), 7).unwrap();
    assert_eq!(series.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(), ["2024-01", "2024-02"]);
    assert!(series[0].mean_tone > 0.0 && series[1].mean_tone < 0.0);
    assert_eq!(store.tone_series(&ToneSubject::Outlet("Outlet".into()), 4).unwrap()[0].count, 2);
    if let Some(m) = good.analysis.mention_tones.first() {
        let s = store.tone_series(&ToneSubject::Entity(m.entity.clone()), 10).unwrap();
        assert_eq!(s[0].period, "2024-01-02");
    }
}
