//! The embedding path without a model: hand-made vectors stand in for an encoder's.

use newsloom_model::{Article, PublishedDate};

use crate::doc::Analysed;
use crate::{ClusterConfig, OnlineClusterer};

fn art(id: &str, lang: &str, title: &str, body: &str) -> Article {
    Article {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        published: PublishedDate::parse_iso("2021-03-04", "input"),
        language: Some(lang.into()),
        ..Default::default()
    }
}

fn unit(i: usize) -> Vec<f32> {
    let mut v = vec![0.0; 8];
    v[i] = 1.0;
    v
}

/// A Dutch and an English report sharing no word: only the embeddings can link them.
fn pair() -> (Article, Article) {
    (
        art(
            "en1",
            "en",
            "Bridge closes after crack found",
            "Engineers closed the old river bridge on Thursday morning after inspectors found a deep crack.",
        ),
        art(
            "nl1",
            "nl",
            "Brug dicht na ontdekking van scheur",
            "Ingenieurs sloten donderdagochtend de oude rivierbrug nadat inspecteurs een diepe scheur vonden.",
        ),
    )
}

fn place(cfg: ClusterConfig, embs: Option<[Vec<f32>; 2]>) -> (String, String) {
    let (a, b) = pair();
    let mut c = OnlineClusterer::with_config(cfg);
    let mut an = [Analysed::new(&a), Analysed::new(&b)];
    if let Some([x, y]) = embs {
        let [p, q] = an;
        an = [p.with_embedding(x), q.with_embedding(y)];
    }
    let [p, q] = an;
    let s1 = c.assign_analysed(&a, &[], p).story;
    let s2 = c.assign_analysed(&b, &[], q).story;
    (s1, s2)
}

/// Stage weights that trust a high cross-language cosine (as a fitted stage would).
fn trusting() -> ClusterConfig {
    ClusterConfig { emb_weights: [-4.0, 1.0, 0.0, 0.0, 8.0], ..ClusterConfig::default() }
}

#[test]
fn without_embeddings_the_translation_stays_apart() {
    let (s1, s2) = place(trusting(), None);
    assert_ne!(s1, s2);
}

#[test]
fn close_embeddings_bring_the_translation_in_as_a_candidate_and_join() {
    let (s1, s2) = place(trusting(), Some([unit(0), unit(0)]));
    assert_eq!(s1, s2);
}

#[test]
fn distant_embeddings_do_not_join() {
    let (s1, s2) = place(trusting(), Some([unit(0), unit(1)]));
    assert_ne!(s1, s2);
}

#[test]
fn the_candidate_reports_cosine_and_language_change() {
    let (a, b) = pair();
    let mut c = OnlineClusterer::with_config(trusting());
    let story = c.assign_analysed(&a, &[], Analysed::new(&a).with_embedding(unit(2))).story;
    let prep = c.prepare_analysed(&b, &[], Analysed::new(&b).with_embedding(unit(2)));
    let k = prep.candidates.iter().find(|k| k.story == story).expect("found by embedding");
    let (cos, cross) = k.emb.expect("both sides embedded");
    assert!((cos - 1.0).abs() < 1e-5 && cross);
}

#[test]
fn zero_or_broken_vectors_are_ignored() {
    let (a, _) = pair();
    assert!(!Analysed::new(&a).with_embedding(vec![0.0; 4]).has_embedding());
    assert!(!Analysed::new(&a).with_embedding(vec![f32::NAN; 4]).has_embedding());
    assert!(!Analysed::new(&a).with_embedding(Vec::new()).has_embedding());
}

/// With a real encoder (feature `embed` and `NEWSLOOM_EMBED_MODEL` set): the clusterer embeds
/// arriving articles itself, and a translation's candidate carries a high cosine.
#[cfg(feature = "embed")]
#[test]
fn a_real_encoder_embeds_arriving_articles() {
    let Some(Ok(e)) = newsloom_embed::Embedder::from_env() else {
        eprintln!("skipped: set NEWSLOOM_EMBED_MODEL to a model directory to run");
        return;
    };
    let (a, b) = pair();
    let mut c = OnlineClusterer::new();
    c.set_embedder(std::sync::Arc::new(e));
    let story = crate::StoryClusterer::assign(&mut c, &a, &[]).story;
    let prep = c.prepare(&b, &[]);
    let k = prep.candidates.iter().find(|k| k.story == story).expect("found by embedding");
    let (cos, cross) = k.emb.expect("both embedded");
    assert!(cos > 0.8 && cross, "cos {cos}");
}

#[cfg(not(feature = "embed"))]
#[test]
fn without_the_feature_the_environment_is_ignored() {
    let mut c = OnlineClusterer::new();
    assert_eq!(c.embed_from_env(), Ok(false));
}
