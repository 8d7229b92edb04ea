use super::super::QuoteExtractor;
use super::super::gold::{GoldArticle, GoldAttribution, GoldSpans};
use super::*;
use std::sync::Arc;

#[test]
fn shipped_model_loads() {
    let m = QuoteModel::from_gz(QuoteModel::shipped_bytes()).expect("shipped quote model loads");
    assert!(m.len() > 1000, "{m:?}");
    assert!(!m.vocab.is_empty());
    assert!(QuoteModel::shipped().is_some());
}

#[test]
fn broken_model_files_are_errors() {
    assert!(QuoteModel::from_gz(b"junk").is_err());
    let gz = QuoteModel::shipped().unwrap().to_gz().unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut raw).unwrap();
    raw.truncate(raw.len() / 2);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &raw).unwrap();
    assert!(QuoteModel::from_gz(&enc.finish().unwrap()).is_err());
}

/// A made-up article where `harrumphed` (a word the rules' lexicon lacks) is a speech cue.
fn article(i: usize) -> GoldArticle {
    let names = ["Ann Lutz", "Bo Park", "Cy Dunn", "Di Ames"];
    let name = names[i % names.len()];
    let claim = format!("the budget for year {i} was a disgrace");
    let text = format!("Budget talks\n\n{name} harrumphed that {claim}. The weather was mild on day {i}.");
    let chars = |s: &str| {
        let b = text.find(s).unwrap();
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let span = |s: &str| GoldSpans { spans: vec![chars(s)], text: s.to_string() };
    let content = format!("that {claim}");
    GoldArticle {
        id: format!("a{i}"),
        publisher: ["p1", "p2", "p3"][i % 3].to_string(),
        attributions: vec![GoldAttribution {
            kind: "indirect".into(),
            source: Some(span(name)),
            cue: Some(span("harrumphed")),
            content: span(&content),
        }],
        text,
    }
}

#[test]
fn training_learns_a_cue_the_rules_lack_and_the_model_round_trips() {
    let records: Vec<GoldArticle> = (0..30).map(article).collect();
    let rules = crate::quotes::evaluate(&QuoteExtractor::rules_only(), &records);
    assert_eq!(rules.f1("all"), 0.0, "the rules should not know `harrumphed`");
    let model = train(&records, &TrainConfig::default());
    assert!(model.vocab.contains("harrumphed"));
    let back = QuoteModel::from_gz(&model.to_gz().unwrap()).unwrap();
    assert_eq!(back.vocab, model.vocab);
    let held_out: Vec<GoldArticle> = (100..110).map(article).collect();
    let learnt = crate::quotes::evaluate(&QuoteExtractor::with_model(Arc::new(back)), &held_out);
    assert_eq!(learnt.f1("all"), 1.0);
    assert_eq!(learnt.speaker_acc("all"), 1.0);
}

#[test]
fn folds_never_split_a_publisher() {
    let records: Vec<GoldArticle> = (0..30).map(article).collect();
    let folds = train::publisher_folds(&records, 2);
    for (r, f) in records.iter().zip(&folds) {
        for (r2, f2) in records.iter().zip(&folds) {
            if r.publisher == r2.publisher {
                assert_eq!(f, f2);
            }
        }
    }
    assert!(folds.contains(&0) && folds.contains(&1));
}
