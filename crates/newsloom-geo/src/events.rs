//! Where events happen: GDELT's ActionGeo, Actor1Geo and Actor2Geo for coded events.
//!
//! The action location is, in order: a literal place the event's sentence puts it at ("in
//! Moscow", "near Aleppo"); a place in that sentence standing for the source actor ("Moscow
//! has called out NATO": the actor acts where it is); the dateline's place (wire copy is filed
//! from where things happen). Otherwise the event has no action location; nothing is inferred
//! from what an organisation is known for (NATO's Brussels is not invented).
//!
//! An actor's location is its country (CAMEO codes start with one: `RUSGOV` → Russia), made
//! precise by a place of that country the event's sentence names, with that place's span; an
//! actor without a country (an IGO, a person) gets none.

use newsloom_analyse::Analysis;
use newsloom_analyse::ner::{Token, sentences, tokenize};
use newsloom_model::{Article, GeoPlace, GeoRef, PlaceMention, Span};

use crate::gazetteer::Gazetteer;

/// Words before a place that put an action there.
const LOCATIVE: &[&str] =
    &["in", "at", "near", "outside", "inside", "into", "across", "around", "throughout"];

/// Char ranges of the body's sentences, from its tokens and sentences (token ranges).
fn sentence_ranges(toks: &[Token], sents: &[(usize, usize)]) -> Vec<(usize, usize)> {
    sents.iter().map(|&(s, e)| (toks[s].char_start, toks[e - 1].char_end)).collect()
}

/// The word before char offset `at` (lower case).
fn word_before(chars: &[char], at: usize) -> String {
    let mut i = at.min(chars.len());
    while i > 0 && chars[i - 1].is_whitespace() {
        i -= 1;
    }
    let end = i;
    while i > 0 && chars[i - 1].is_alphabetic() {
        i -= 1;
    }
    chars[i..end].iter().collect::<String>().to_lowercase()
}

fn geo_ref(place: &PlaceMention) -> Option<GeoRef> {
    Some(GeoRef { place: place.place.clone()?, span: place.span.clone() })
}

/// The location of an actor: its country, or a place of that country in the sentence.
fn actor_geo(
    gaz: &Gazetteer,
    code: &str,
    in_sentence: &[&PlaceMention],
    places: &[PlaceMention],
    event_span: &Span,
) -> Option<GeoRef> {
    let country = gaz.country_iso3(code.get(..3)?)?;
    let cc = country.country_code();
    let of_country = |p: &&PlaceMention| p.place.as_ref().is_some_and(|g| g.country == cc);
    // The most specific place of the country in the sentence (a city over the country itself).
    let precise = in_sentence
        .iter()
        .copied()
        .filter(of_country)
        .max_by_key(|p| p.place.as_ref().is_some_and(|g| g.feature_class == "P"));
    if let Some(p) = precise {
        return geo_ref(p);
    }
    let place: GeoPlace = gaz.place(country);
    let span = places
        .iter()
        .find(|p| p.place.as_ref().is_some_and(|g| g.geonameid == place.geonameid))
        .map_or_else(|| event_span.clone(), |p| p.span.clone());
    Some(GeoRef { place, span })
}

/// Fills `action_geo`, `source_geo` and `target_geo` of the analysis's events from its places.
pub fn locate_events(gaz: &Gazetteer, article: &Article, analysis: &mut Analysis) {
    let toks = tokenize(&article.body);
    let sents = sentences(&article.body, &toks);
    locate_events_tokenized(gaz, article, &toks, &sents, analysis);
}

/// [`locate_events`] over the body's tokens and sentences, when they are at hand.
pub fn locate_events_tokenized(
    gaz: &Gazetteer,
    article: &Article,
    toks: &[Token],
    sents: &[(usize, usize)],
    analysis: &mut Analysis,
) {
    if analysis.events.is_empty() {
        return;
    }
    let body = &article.body;
    let chars: Vec<char> = body.chars().collect();
    let sents = sentence_ranges(toks, sents);
    let dateline = article.dateline.as_ref().and_then(|d| {
        let key = d.place.to_lowercase();
        analysis.places.iter().find(|p| p.text.to_lowercase() == key && p.place.is_some()).cloned().or_else(
            || {
                // The extractor may have cut the dateline off the body: resolve its name alone.
                // A dateline names a city: the biggest of that name, before any region.
                let c = gaz.lookup(&d.place);
                let best = c
                    .iter()
                    .filter(|c| c.kind != crate::gazetteer::NameKind::Abbreviation)
                    .map(|c| gaz.entry(c.entry))
                    .max_by_key(|e| (e.level == crate::gazetteer::Level::City, e.population))?;
                Some(PlaceMention {
                    text: d.place.clone(),
                    span: Span::new(article.id.clone(), 0, 0),
                    place: Some(gaz.place(best)),
                    literal: true,
                    confidence: 0.6,
                })
            },
        )
    });
    let places = &analysis.places;
    for ev in &mut analysis.events {
        let (s, e) = sents
            .iter()
            .copied()
            .find(|&(s, e)| s <= ev.span.start && ev.span.start < e.max(s + 1))
            .unwrap_or((ev.span.start, ev.span.end));
        // The coder's span is the clause it coded; the sentence bounds it when the span runs on.
        let (s, e) = (s.max(ev.span.start), e.min(ev.span.end.max(ev.span.start + 1)));
        let in_sentence: Vec<&PlaceMention> =
            places.iter().filter(|p| p.place.is_some() && p.span.start >= s && p.span.end <= e).collect();
        let located = in_sentence
            .iter()
            .find(|p| p.literal && LOCATIVE.contains(&word_before(&chars, p.span.start).as_str()));
        let source_country = gaz.country_iso3(ev.source_actor.get(..3).unwrap_or("")).map(|c| c.country);
        let acting = in_sentence.iter().find(|p| {
            p.place.as_ref().is_some_and(|g| {
                g.feature_class == "P" && source_country.is_some_and(|c| c.as_slice() == g.country.as_bytes())
            })
        });
        ev.action_geo =
            located.or(acting).and_then(|p| geo_ref(p)).or_else(|| dateline.as_ref().and_then(geo_ref));
        ev.source_geo = actor_geo(gaz, &ev.source_actor, &in_sentence, places, &ev.span);
        ev.target_geo =
            ev.target_actor.as_deref().and_then(|t| actor_geo(gaz, t, &in_sentence, places, &ev.span));
    }
}
