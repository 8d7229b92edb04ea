//! Gazetteer lookups, disambiguation with context, event locations on the seed articles.
//! Texts are our own (the gold sets may not be copied), except the two seed articles read from
//! `../shared/seeds` when present.

use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_geo::gazetteer::{Level, NameKind};
use newsloom_geo::{Gazetteer, Geoparser, Hints, WithPlaces};
use newsloom_model::{Article, Dateline, GeoPlace};

fn place_of(text: &str, body: &str) -> GeoPlace {
    let places = Geoparser::new().parse_text("t", body, &Hints::default());
    let found =
        places.iter().find(|p| p.text == text).unwrap_or_else(|| panic!("{text} not found in {places:?}"));
    found.place.clone().unwrap_or_else(|| panic!("{text} not resolved"))
}

#[test]
fn gazetteer_knows_moscow_in_every_spelling() {
    let g = Gazetteer::shared();
    assert!(g.len() > 250_000, "{} entries", g.len());
    for name in ["Moscow", "Moskva", "Москва", "Moscou", "MOSCOW"] {
        let cands = g.lookup(name);
        assert!(cands.iter().any(|c| g.entry(c.entry).geonameid == 524_901), "{name}");
    }
    let m = g.by_geonameid(524_901).unwrap();
    assert_eq!((m.country_code(), &*m.admin1, &*m.feature_code), ("RU", "RU.48", "PPLC"));
    let place = g.place(m);
    assert!(place.admin1_name.is_some());
    assert!((place.lat - 55.75).abs() < 0.01 && (place.lon - 37.62).abs() < 0.01);
}

#[test]
fn countries_and_regions_have_centroids_inside_them() {
    let g = Gazetteer::shared();
    let ru = g.country("RU").unwrap();
    assert_eq!(ru.geonameid, 2_017_370);
    assert_eq!(g.country_iso3("RUS").unwrap().geonameid, 2_017_370);
    // Russia's centroid of its towns lies in Russia's latitudes and longitudes.
    assert!((45.0..70.0).contains(&ru.lat) && (30.0..140.0).contains(&ru.lon), "{ru:?}");
    let ky = g.admin1("US.KY").unwrap();
    assert_eq!(ky.geonameid, 6_254_925);
    assert!((36.5..39.2).contains(&ky.lat) && (-89.6..-81.9).contains(&ky.lon), "{ky:?}");
    let laurel = g.lookup("Laurel County");
    assert!(
        laurel.iter().any(|c| g.entry(c.entry).level == Level::Adm2 && &*g.entry(c.entry).admin1 == "US.KY")
    );
    // State abbreviations are there, marked as such.
    assert!(g.lookup("Ky.").iter().any(|c| c.kind == NameKind::Abbreviation));
}

#[test]
fn malformed_gazetteer_lines_are_errors_not_panics() {
    assert!(Gazetteer::parse("1\tPPL\tX\tnot-a-number\t0\tUS\tUS.KY\t\t5\t\n").is_err());
    assert!(Gazetteer::parse("1\tPPL\n").is_err());
    let g = Gazetteer::parse("# comment\n7\tPPL\tTestville\t1.5\t2.5\tUS\tUS.KY\t\t10\tTest Town\n").unwrap();
    assert_eq!(g.lookup("test-town")[0].entry, 0);
    assert!(Gazetteer::parse_gz(b"not gzip").is_err());
}

#[test]
fn paris_texas_and_paris_france() {
    let fr = place_of("Paris", "The summit opened in Paris on Monday, French officials said.");
    assert_eq!((fr.geonameid, fr.country.as_str()), (2_988_507, "FR"));
    let tx = place_of("Paris", "The rodeo returns to Paris, Texas, this weekend, organisers said.");
    assert_eq!((tx.country.as_str(), tx.admin1.as_deref()), ("US", Some("US.TX")));
    // The region named elsewhere in the article is context enough.
    let tx = place_of(
        "Paris",
        "Lamar County deputies arrested two men on Friday. Paris police said the men were held in the \
         county jail. Texas officials declined to comment.",
    );
    assert_eq!(tx.admin1.as_deref(), Some("US.TX"));
}

#[test]
fn georgia_the_country_or_the_state() {
    let ge = place_of("Georgia", "Russian troops crossed into Georgia from Abkhazia, Tbilisi said.");
    assert_eq!(ge.country, "GE");
    assert_eq!(ge.feature_code, "PCLI");
    let us = place_of("Georgia", "Voters in Atlanta and Savannah lined up early as Georgia counted ballots.");
    assert_eq!((us.country.as_str(), us.admin1.as_deref()), ("US", Some("US.GA")));
}

#[test]
fn same_name_is_one_place_and_qualifiers_are_toponyms() {
    let body = "A fire destroyed a barn near Alexandria, Va., on Sunday. Alexandria firefighters said no one was hurt.";
    let places = Geoparser::new().parse_text("t", body, &Hints::default());
    let alex: Vec<_> = places.iter().filter(|p| p.text == "Alexandria").collect();
    assert_eq!(alex.len(), 2, "{places:?}");
    assert!(alex.iter().all(|p| p.place.as_ref().unwrap().admin1.as_deref() == Some("US.VA")));
    let va = places.iter().find(|p| p.text == "Va.").expect("the qualifier is a toponym");
    assert_eq!(va.place.as_ref().unwrap().feature_code, "ADM1");
    // Spans are char offsets into the body.
    for p in &places {
        assert_eq!(p.span.slice(body), Some(p.text.as_str()));
    }
}

#[test]
fn country_codes_and_adjectives_resolve_to_countries() {
    let body = "U.S. and Russian diplomats met on Tuesday.";
    let places = Geoparser::new().parse_text("t", body, &Hints::default());
    let us = places.iter().find(|p| p.text == "U.S.").unwrap();
    assert_eq!(us.place.as_ref().unwrap().geonameid, 6_252_001);
    let ru = places.iter().find(|p| p.text == "Russian").unwrap();
    assert_eq!(ru.place.as_ref().unwrap().geonameid, 2_017_370);
    assert!(!ru.literal, "an adjective is an associative use");
}

#[test]
fn gold_spans_mode_resolves_given_spans() {
    let body = "Floods hit Dhaka and Chittagong.";
    let places =
        Geoparser::new().resolve_spans("t", body, &[(11, 16), (21, 31), (40, 50)], &Hints::default());
    assert_eq!(places.len(), 2, "the out-of-range span is dropped");
    assert!(places.iter().all(|p| p.place.as_ref().is_some_and(|g| g.country == "BD")));
}

#[test]
fn events_take_their_place_from_the_sentence_or_the_dateline() {
    let analyser = WithPlaces::new(NewsAnalyser::new());
    let mut a = Article {
        id: "d1".into(),
        body: "Russia accused NATO of provoking tension. The talks were held in Geneva on Monday.".into(),
        dateline: Some(Dateline { place: "MOSCOW".into(), ..Default::default() }),
        ..Default::default()
    };
    let an = analyser.analyse(&a);
    assert!(!an.events.is_empty(), "{an:?}");
    let ev = &an.events[0];
    let action = ev.action_geo.as_ref().expect("dateline place");
    assert_eq!(action.place.geonameid, 524_901);
    assert_eq!(ev.source_geo.as_ref().map(|g| g.place.country.as_str()), Some("RU"));
    // NATO has no country: no actor location is invented for it.
    assert!(ev.target_geo.is_none(), "{:?}", ev.target_geo);
    a.dateline = None;
    let an = analyser.analyse(&a);
    assert!(an.events.iter().all(|e| e.action_geo.is_none()), "no place named, none invented");
}

fn seed(name: &str) -> Option<Article> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds").join(name);
    let raw = std::fs::read_to_string(&path).ok()?;
    let record = newsloom_model::RawRecord {
        id: name.into(),
        origin: path.display().to_string(),
        format: newsloom_model::InputFormat::Text,
        content: raw,
        meta: Default::default(),
        warnings: vec![],
    };
    use newsloom_extract::Extractor;
    newsloom_extract::NewsExtractor::new().extract(&record).ok()
}

#[test]
fn seed_articles_put_their_events_in_moscow_and_invent_no_brussels() {
    let analyser = WithPlaces::new(NewsAnalyser::new());
    let mut seen = 0;
    for name in ["000_68d2beda7c2c8ce2.txt", "003_5c09ee7d739e82a2.txt"] {
        let Some(article) = seed(name) else {
            eprintln!("skipped: seed {name} not found");
            continue;
        };
        seen += 1;
        let an = analyser.analyse(&article);
        let moscow_events: Vec<_> = an
            .events
            .iter()
            .filter(|e| e.action_geo.as_ref().is_some_and(|g| g.place.geonameid == 524_901))
            .collect();
        assert!(!moscow_events.is_empty(), "{name}: no event in Moscow: {:?}", an.events);
        for e in &moscow_events {
            let g = &e.action_geo.as_ref().unwrap().place;
            assert_eq!((g.country.as_str(), g.admin1.as_deref()), ("RU", Some("RU.48")));
        }
        for e in &an.events {
            for geo in [&e.action_geo, &e.source_geo, &e.target_geo].into_iter().flatten() {
                let named = geo.span.slice(&article.body).unwrap_or("");
                assert!(
                    geo.place.name != "Brussels" || named.contains("Brussels"),
                    "{name}: Brussels invented for {e:?}"
                );
            }
        }
    }
    if seen == 0 {
        eprintln!("skipped: no seed articles");
    }
}

#[test]
fn the_pipeline_analyser_reuses_the_entity_stage_tokens_with_the_same_result() {
    // `WithPlaces` hands the entity stage's tokens to the geo stage; tokenising the body again
    // (`Geoparser::annotate`) must give the same places and event locations.
    let body = "MOSCOW, Dec. 3 — Russia accused NATO of provoking a crisis in Moscow on Tuesday. \
                Kremlin spokesman Dmitry Peskov said Russia would respond. Later, officials from \
                France met Ukrainian envoys in Paris, Texas, and in Kyiv.";
    let article = Article { id: "t".into(), body: body.into(), ..Default::default() };
    let (shared, tagged) = WithPlaces::new(NewsAnalyser::new()).analyse_tokenized(&article);
    assert!(tagged.is_some_and(|t| !t.tokens.is_empty()));
    let mut separate = NewsAnalyser::new().analyse(&article);
    Geoparser::new().annotate(&article, &mut separate);
    assert!(shared.places.len() >= 3, "{:?}", shared.places);
    assert!(shared.events.iter().any(|e| e.action_geo.is_some()), "{:?}", shared.events);
    assert_eq!(serde_json::to_value(&shared).unwrap(), serde_json::to_value(&separate).unwrap());
}

#[test]
fn inverted_country_names_and_capitals_over_same_named_regions() {
    // "Venezuela, Bolivarian Republic of": the head is the country's running-text name, over a
    // small town whose own name it is.
    let ve = place_of("Venezuela", "Officials in Venezuela said the mine would reopen.");
    assert_eq!((ve.geonameid, ve.feature_code.as_str()), (3_625_428, "PCLI"));
    // "Congo" stays the Republic of the Congo, whose own name it is.
    let cg = place_of("Congo", "Officials in Congo said the mine would reopen.");
    assert_eq!(cg.country, "CG");
    // A capital outranks the same-named state of its country without context.
    let dc = place_of("Washington", "Officials in Washington said the talks would resume.");
    assert_eq!(dc.feature_code, "PPLC");
    // With the state's context, the state (or a place in it) wins.
    let wa = place_of("Washington", "Seattle and Spokane are the largest cities in Washington state.");
    assert_eq!(wa.admin1.as_deref(), Some("US.WA"));
}

#[test]
fn a_town_the_outlet_is_named_after_is_its_local_namesake() {
    let body = "The Jordan city council met in Belle Plaine on Monday.";
    let geo = Geoparser::new();
    let hints = Hints { domain: Some("www.jordannews.test"), ..Hints::default() };
    let places = geo.parse_text("t", body, &hints);
    let jordan = places.iter().find(|p| p.text == "Jordan").and_then(|p| p.place.clone()).expect("Jordan");
    assert_eq!((jordan.country.as_str(), jordan.admin1.as_deref()), ("US", Some("US.MN")));
}

#[test]
fn a_country_variant_name_beats_small_towns_of_that_name() {
    let us = place_of("America", "Voters across America went to the polls.");
    assert_eq!((us.country.as_str(), us.feature_code.as_str()), ("US", "PCLI"));
    // A town bigger than the threshold keeps the name ("St Louis" is a variant of the US too).
    let stl = place_of("St. Louis", "Voters across St. Louis went to the polls.");
    assert_eq!((stl.country.as_str(), stl.admin1.as_deref()), ("US", Some("US.MO")));
}

#[test]
fn two_names_agree_on_a_region_neither_would_pick_alone() {
    // Henry County's biggest namesake is in Georgia, where no Paris is the paper's town; the
    // two names end up in one state.
    let body = "The Paris arts council met on Monday. Paris and Henry County share a library.";
    let hints = Hints { domain: Some("www.parisnews.test"), ..Hints::default() };
    let places = Geoparser::new().parse_text("t", body, &hints);
    let region = |name: &str| {
        let p = places.iter().find(|p| p.text == name).and_then(|p| p.place.clone()).expect(name);
        assert_eq!(p.country, "US", "{name}: {p:?}");
        p.admin1
    };
    assert_eq!(region("Paris"), region("Henry County"));
}

#[test]
fn an_organisation_named_like_a_town_of_the_articles_region_is_that_town() {
    use newsloom_model::{EntityKind, Mention, Span};
    let body = "Officers from Shreveport and Natchitoches met in Monroe. The Mansfield aldermen voted \
                on Friday, and BA staff and the Mansfield Police Department were told.";
    let mention = |text: &str, kind: EntityKind| {
        let start = body.find(text).expect(text);
        Mention {
            entity: text.into(),
            text: text.into(),
            kind,
            span: Span::new("t", start, start + text.len()),
            confidence: 1.0,
        }
    };
    let mentions = [
        mention("Shreveport", EntityKind::Place),
        mention("Natchitoches", EntityKind::Place),
        mention("Monroe", EntityKind::Place),
        mention("Mansfield", EntityKind::Organisation),
        mention("BA", EntityKind::Organisation),
        mention("Mansfield Police Department", EntityKind::Organisation),
    ];
    let places = Geoparser::new().parse("t", body, &mentions, &Hints::default());
    let texts: Vec<&str> = places.iter().map(|p| p.text.as_str()).collect();
    assert!(!texts.contains(&"BA"), "{texts:?}");
    let mansfield = places.iter().find(|p| p.text == "Mansfield").expect("Mansfield");
    assert_eq!(mansfield.place.as_ref().map(|p| p.admin1.as_deref()), Some(Some("US.LA")), "{places:?}");
    assert!(places.windows(2).all(|w| w[0].span.start < w[1].span.start), "in text order");
}

#[test]
fn a_country_adjective_tagged_misc_is_the_country_though_a_town_bears_it() {
    use newsloom_model::{EntityKind, Mention, Span};
    let body = "The Spanish government and Canadians abroad reacted on Monday.";
    let mention = |text: &str| {
        let start = body.find(text).expect(text);
        Mention {
            entity: text.into(),
            text: text.into(),
            kind: EntityKind::Misc,
            span: Span::new("t", start, start + text.len()),
            confidence: 1.0,
        }
    };
    let places =
        Geoparser::new().parse("t", body, &[mention("Spanish"), mention("Canadians")], &Hints::default());
    let country = |text: &str| {
        let p = places.iter().find(|p| p.text == text).unwrap_or_else(|| panic!("{text}: {places:?}"));
        p.place.as_ref().map(|g| (g.country.clone(), g.feature_code.clone()))
    };
    assert_eq!(country("Spanish"), Some(("ES".into(), "PCLI".into())));
    assert_eq!(country("Canadians"), Some(("CA".into(), "PCLI".into())));
}

fn resolved_spans(body: &str, names: &[&str]) -> Vec<Option<GeoPlace>> {
    let spans: Vec<(usize, usize)> = names
        .iter()
        .map(|n| {
            let b = body.find(n).unwrap_or_else(|| panic!("{n} in body"));
            let s = body[..b].chars().count();
            (s, s + n.chars().count())
        })
        .collect();
    Geoparser::new()
        .resolve_spans("t", body, &spans, &Hints::default())
        .into_iter()
        .map(|p| p.place)
        .collect()
}

#[test]
fn a_street_the_gazetteer_lacks_takes_the_nearest_town() {
    let body = "Crews closed Zorblatt Drive in Lexington, Kentucky, on Monday. Frankfort was spared.";
    let got = resolved_spans(body, &["Zorblatt Drive", "Lexington", "Kentucky", "Frankfort"]);
    let street = got[0].as_ref().expect("the street takes a place");
    assert_eq!(Some(street.geonameid), got[1].as_ref().map(|p| p.geonameid), "{got:?}");
    // With nothing local resolved, the nearest first-level region.
    let got = resolved_spans(
        "Crews closed Zorblatt Drive. Kentucky roads reopened.",
        &["Zorblatt Drive", "Kentucky"],
    );
    assert_eq!(got[0].as_ref().map(|p| p.geonameid), got[1].as_ref().map(|p| p.geonameid));
    // And none at all when the article names no town or region.
    let got = resolved_spans("Crews closed Zorblatt Drive on Monday.", &["Zorblatt Drive"]);
    assert!(got[0].is_none(), "{got:?}");
}

#[test]
fn a_country_near_the_articles_other_countries_beats_a_same_named_state() {
    let body = "Envoys from the US met officials of Armenia and Azerbaijan in Georgia on Monday.";
    let got = resolved_spans(body, &["US", "Armenia", "Azerbaijan", "Georgia"]);
    assert_eq!(got[3].as_ref().map(|p| p.country.as_str()), Some("GE"), "{got:?}");
}

#[test]
fn thousands_of_unknown_streets_resolve_in_linear_time() {
    let mut body = String::from("In Lexington ");
    let mut spans = vec![(3, 12)];
    for i in 0..20_000 {
        let name = format!("Qzx{i} Drive");
        let s = body.chars().count();
        spans.push((s, s + name.chars().count()));
        body.push_str(&name);
        body.push_str(", ");
    }
    let t = std::time::Instant::now();
    let places = Geoparser::new().resolve_spans("t", &body, &spans, &Hints::default());
    assert!(t.elapsed().as_secs_f64() < 2.0, "{:?}", t.elapsed());
    let town = places[0].place.as_ref().map(|p| p.geonameid);
    assert!(town.is_some() && places.iter().all(|p| p.place.as_ref().map(|p| p.geonameid) == town));
}
