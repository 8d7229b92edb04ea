//! Places and located events: written with an article, read by place, country and box.

use newsloom_analyse::Analysis;
use newsloom_model::{Article, Event, GeoPlace, GeoRef, PlaceMention, QuadClass, Span};
use newsloom_store::{GeoEventFilter, NewArticle, PlaceFilter, Store};

fn place(id: u64, name: &str, lat: f64, lon: f64, cc: &str, a1: &str) -> GeoPlace {
    GeoPlace {
        geonameid: id,
        name: name.into(),
        lat,
        lon,
        country: cc.into(),
        admin1: Some(a1.into()),
        admin1_name: None,
        feature_class: "P".into(),
        feature_code: "PPLC".into(),
    }
}

fn item(id: &str, story: &str) -> NewArticle {
    let moscow = place(524_901, "Moscow", 55.75, 37.62, "RU", "RU.48");
    let kyiv = place(703_448, "Kyiv", 50.45, 30.52, "UA", "UA.12");
    let article = Article {
        id: id.into(),
        title: "t".into(),
        body: "Talks in Moscow; Kyiv said no.".into(),
        body_hash: id.into(),
        origin: "o".into(),
        story: Some(story.into()),
        ..Default::default()
    };
    let mention = |text: &str, s, e, p: &GeoPlace| PlaceMention {
        text: text.into(),
        span: Span::new(id, s, e),
        place: Some(p.clone()),
        literal: true,
        confidence: 0.9,
    };
    let event = Event {
        source_actor: "RUS".into(),
        target_actor: Some("UKR".into()),
        cameo: "036".into(),
        plover: None,
        plover_mode: None,
        goldstein: 4.0,
        quad_class: QuadClass::VerbalCooperation,
        date: Some("2017-01-04".into()),
        negated: false,
        span: Span::new(id, 0, 15),
        confidence: 0.7,
        action_geo: Some(GeoRef { place: moscow.clone(), span: Span::new(id, 9, 15) }),
        source_geo: None,
        target_geo: Some(GeoRef { place: kyiv.clone(), span: Span::new(id, 17, 21) }),
    };
    let unresolved = PlaceMention {
        text: "Nowhere".into(),
        span: Span::new(id, 0, 1),
        place: None,
        literal: true,
        confidence: 0.3,
    };
    let analysis = Analysis {
        places: vec![mention("Moscow", 9, 15, &moscow), mention("Kyiv", 17, 21, &kyiv), unresolved],
        events: vec![event],
        ..Default::default()
    };
    NewArticle { article, analysis, ..Default::default() }
}

#[test]
fn places_and_event_locations_round_trip_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.insert_batch(&[item("a1", "s1"), item("a2", "s2")], &[]).unwrap();

    let all = store.places(&PlaceFilter { limit: 10, ..Default::default() }).unwrap();
    assert_eq!(all.len(), 2, "unresolved toponyms are not places: {all:?}");
    assert!(all.iter().all(|p| p.mentions == 2 && p.articles == 2));
    let ru =
        store.places(&PlaceFilter { country: Some("ru".into()), limit: 10, ..Default::default() }).unwrap();
    assert_eq!(ru.iter().map(|p| p.geonameid).collect::<Vec<_>>(), [524_901]);
    let s1 =
        store.places(&PlaceFilter { story: Some("s1".into()), limit: 10, ..Default::default() }).unwrap();
    assert!(s1.iter().all(|p| p.articles == 1));

    // The article's analysis comes back with its places, in text order.
    let an = store.analysis("a1").unwrap();
    assert_eq!(an.places.len(), 3);
    assert_eq!(an.events[0].action_geo.as_ref().unwrap().place.geonameid, 524_901);

    let bbox = |b| GeoEventFilter { bbox: Some(b), limit: 10, ..Default::default() };
    assert_eq!(store.events_by_place(&bbox((37.0, 55.0, 38.0, 56.0))).unwrap().len(), 2);
    assert!(
        store.events_by_place(&bbox((30.0, 50.0, 31.0, 51.0))).unwrap().is_empty(),
        "Kyiv is the target's"
    );
    let by_target = GeoEventFilter { role: Some("target".into()), ..bbox((30.0, 50.0, 31.0, 51.0)) };
    assert_eq!(store.events_by_place(&by_target).unwrap().len(), 2);
    // A box across the antimeridian holds neither.
    assert!(store.events_by_place(&bbox((170.0, -90.0, -170.0, 90.0))).unwrap().is_empty());
    let by_id = GeoEventFilter {
        geonameid: Some(524_901),
        story: Some("s2".into()),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.events_by_place(&by_id).unwrap().len(), 1);
}
