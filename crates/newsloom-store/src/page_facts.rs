//! The rest of an article page's analysis beside its facts: places, tone, mention tones and
//! themes, kept as one document in the `article_facts` row's `page` column (schema step 19).
//!
//! Why: those four live in their own tables, each found through its `article_seq` index, so a
//! cold article page read about ten random pages for them (places 3.5, mention tones 3.2,
//! themes 2.5, tone 1.1 on a million-article store) besides the article and its facts row. The
//! tables stay: the place, tone and theme filters and aggregates read them. Rows written before
//! the column existed hold NULL there, and their pages read the tables as before.

use newsloom_model::{Analysis, ArticleTone, MentionTone, PlaceMention, Span, ThemeLabel};
use serde::{Deserialize, Serialize};

use crate::Result;

/// A mention's tone without its article id (the row's article is known to the reader).
type ToneRow<'a> = (&'a str, usize, usize, i8, f32, f32);

/// The document as written, each list in the order the tables give it back (places and mention
/// tones by start, ties in analysis order; themes in analysis order). A place is written as the
/// places table's document of it is.
#[derive(Serialize)]
struct PageFactsRef<'a> {
    places: Vec<&'a PlaceMention>,
    tone: Option<&'a ArticleTone>,
    mention_tones: Vec<ToneRow<'a>>,
    themes: &'a [ThemeLabel],
}

#[derive(Deserialize)]
struct PageFacts {
    places: Vec<PlaceMention>,
    tone: Option<ArticleTone>,
    mention_tones: Vec<(String, usize, usize, i8, f32, f32)>,
    themes: Vec<ThemeLabel>,
}

/// The `page` document of `an`.
pub(crate) fn page_facts_json(an: &Analysis) -> Result<String> {
    let mut places: Vec<&PlaceMention> = an.places.iter().collect();
    places.sort_by_key(|p| p.span.start);
    let mut tones: Vec<&MentionTone> = an.mention_tones.iter().collect();
    tones.sort_by_key(|m| m.span.start);
    let doc = PageFactsRef {
        places,
        tone: an.tone.as_ref(),
        mention_tones: tones
            .iter()
            .map(|m| (m.entity.as_str(), m.span.start, m.span.end, m.polarity, m.score, m.confidence))
            .collect(),
        themes: &an.themes,
    };
    Ok(serde_json::to_string(&doc)?)
}

/// Fills `an`'s places, tone, mention tones and themes from a `page` document of `article`.
pub(crate) fn fill_from_page_facts(doc: &str, article: &str, an: &mut Analysis) -> Result<()> {
    let p: PageFacts = serde_json::from_str(doc)?;
    an.places = p.places;
    an.tone = p.tone;
    an.mention_tones = p
        .mention_tones
        .into_iter()
        .map(|(entity, start, end, polarity, score, confidence)| MentionTone {
            entity,
            span: Span::new(article, start, end),
            polarity,
            score,
            confidence,
        })
        .collect();
    an.themes = p.themes;
    Ok(())
}

#[cfg(test)]
mod tests {
    use newsloom_model::{Article, GeoPlace};

    use super::*;
    use crate::{NewArticle, SqliteStore};

    fn place(text: &str, start: usize, geonameid: Option<u64>) -> PlaceMention {
        PlaceMention {
            text: text.into(),
            span: Span::new("a", start, start + text.len()),
            place: geonameid.map(|id| GeoPlace {
                geonameid: id,
                name: text.into(),
                lat: 55.755_826,
                lon: 37.617_3,
                country: "RU".into(),
                admin1: Some("48".into()),
                admin1_name: Some("Moscow".into()),
                feature_class: "P".into(),
                feature_code: "PPLC".into(),
            }),
            literal: start != 30,
            confidence: 0.1 + start as f32 / 7.0,
        }
    }

    fn tone(entity: &str, start: usize, polarity: i8) -> MentionTone {
        MentionTone {
            entity: entity.into(),
            span: Span::new("a", start, start + 4),
            polarity,
            score: 0.3,
            confidence: 0.7,
        }
    }

    /// The page document gives an article page what the four tables give it, in their order
    /// (places and mention tones by start with ties as analysed, themes as ranked), and a row
    /// without the document still reads the tables.
    #[test]
    fn an_article_page_reads_from_the_facts_row_what_the_tables_hold() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let analysis = Analysis {
            places: vec![
                place("Moscow", 40, Some(524_901)),
                place("Nowhere", 3, None),
                place("Tver", 30, Some(480_060)),
                place("Kyiv", 3, Some(703_448)),
            ],
            tone: Some(ArticleTone {
                tone: -1.234_567,
                positive: 0.1,
                negative: 1.334_567,
                polarity: 1.434_567,
                self_group_density: 0.2,
                word_count: 321,
            }),
            mention_tones: vec![tone("e2", 50, 1), tone("e1", 10, -1), tone("e3", 10, 0)],
            themes: vec![
                ThemeLabel {
                    code: "medtop:11000000".into(),
                    label: "politics".into(),
                    kind: "iptc".into(),
                    confidence: 0.91,
                },
                ThemeLabel {
                    code: "PROTEST".into(),
                    label: "protest".into(),
                    kind: "gdelt".into(),
                    confidence: 0.4,
                },
            ],
            ..Default::default()
        };
        let article =
            Article { id: "a".into(), title: "t".into(), body_hash: "a".into(), ..Default::default() };
        store
            .insert_batch(&[NewArticle { article, analysis: analysis.clone(), ..Default::default() }], &[])
            .unwrap();

        let seq: i64 =
            store.conn.query_row("SELECT seq FROM articles WHERE id = 'a'", [], |r| r.get(0)).unwrap();
        let kept: Option<Vec<u8>> = store
            .conn
            .query_row("SELECT page FROM article_facts WHERE seq = ?", [seq], |r| r.get(0))
            .unwrap();
        assert!(kept.is_some(), "the row keeps the page document");
        let mut from_tables = Analysis::default();
        store.fill_page_facts_from_tables(seq, "a", &mut from_tables).unwrap();
        let page = store.analysis("a").unwrap();
        assert_eq!(
            (&page.places, &page.tone, &page.mention_tones, &page.themes),
            (&from_tables.places, &from_tables.tone, &from_tables.mention_tones, &from_tables.themes)
        );
        let starts: Vec<usize> = page.places.iter().map(|p| p.span.start).collect();
        assert_eq!(starts, [3, 3, 30, 40]);
        assert_eq!(page.places[0].text, "Nowhere", "ties keep the analysis order");
        let tones: Vec<&str> = page.mention_tones.iter().map(|m| m.entity.as_str()).collect();
        assert_eq!(tones, ["e1", "e3", "e2"]);
        assert_eq!(page.tone, analysis.tone, "floats come back exact");
        assert_eq!(page.themes, analysis.themes);

        // A row written before the column existed: the tables, the same answer.
        store.conn.execute("UPDATE article_facts SET page = NULL", []).unwrap();
        assert_eq!(store.analysis("a").unwrap(), page);
        assert_eq!(store.article_page("a").unwrap().unwrap().analysis, page);

        // `reindex`'s backfill writes the document again.
        assert_eq!(store.backfill_facts(&mut |_| {}).unwrap(), 1);
        let again: Option<Vec<u8>> = store
            .conn
            .query_row("SELECT page FROM article_facts WHERE seq = ?", [seq], |r| r.get(0))
            .unwrap();
        assert_eq!(again, kept, "the same document as written at ingest");
        assert_eq!(store.analysis("a").unwrap(), page);
        assert_eq!(store.backfill_facts(&mut |_| {}).unwrap(), 0, "nothing left to fill");
    }
}
