//! The geo and tone columns: GDELT Events rows carry the places stored with each event and the
//! reporting article's tone; GKG 2.1 rows carry each article's locations, themes and V2Tone.

mod common;

use newsloom_export::gdelt::columns::{EVENT_COLUMNS, MENTION_COLUMNS};
use newsloom_export::gdelt::geo::StoredGeo;
use newsloom_export::gkg::{self, GKG_COLUMNS};
use newsloom_model::{ArticleTone, GeoPlace, GeoRef, PlaceMention, Span, ThemeLabel};
use newsloom_store::SqliteStore;

const AT: i64 = 1_796_293_800;

fn moscow() -> GeoPlace {
    GeoPlace {
        geonameid: 524_901,
        name: "Moscow".into(),
        lat: 55.75222,
        lon: 37.61556,
        country: "RU".into(),
        admin1: Some("RU.48".into()),
        admin1_name: Some("Moscow".into()),
        feature_class: "P".into(),
        feature_code: "PPLC".into(),
    }
}

/// One article with a place, a located event, a tone and a theme; one without any of them.
fn store(dir: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::open(dir).unwrap();
    let mut ev = common::event("g1", "RUS", Some("IGOWSTNAT"), "036", 0, Some("2017-01-04"));
    ev.action_geo = Some(GeoRef { place: moscow(), span: Span::new("g1", 23, 31) });
    let mut located = common::new_article(common::article("g1", "s1", "TASS", "2017-01-04"), vec![ev]);
    located.analysis.places = vec![PlaceMention {
        text: "Moscow".into(),
        span: Span::new("g1", 23, 29),
        place: Some(moscow()),
        literal: true,
        confidence: 0.9,
    }];
    located.analysis.tone = Some(ArticleTone {
        tone: -2.5,
        positive: 1.5,
        negative: 4.0,
        polarity: 5.5,
        self_group_density: 0.25,
        word_count: 17,
    });
    located.analysis.themes = vec![ThemeLabel {
        code: "PROTEST".into(),
        label: "Protests".into(),
        kind: "theme".into(),
        confidence: 0.9,
    }];
    let plain = common::new_article(
        common::article("g2", "s2", "MT", "2017-01-05"),
        vec![common::event("g2", "USA", Some("CHN"), "040", 0, Some("2017-01-05"))],
    );
    store.insert_batch(&[located, plain], &[]).unwrap();
    store
}

fn rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

fn col<'a>(row: &'a [String], columns: &[&str], name: &str) -> &'a str {
    &row[columns.iter().position(|c| *c == name).unwrap_or_else(|| panic!("no column {name}"))]
}

#[test]
fn gdelt_events_carry_the_action_place_and_the_tone() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir.path().join("db"));
    let out = dir.path().join("gdelt");
    let files = newsloom_export::gdelt::export(&store, &out, None, AT, &StoredGeo).unwrap();
    let events = rows(&files.events_path(&out));
    assert_eq!(events.len(), 2);
    let by_actor = |code: &str| events.iter().find(|r| col(r, &EVENT_COLUMNS, "Actor1Code") == code).unwrap();
    let e = by_actor("RUS");
    let c = |name| col(e, &EVENT_COLUMNS, name);
    assert_eq!(
        [c("ActionGeo_Type"), c("ActionGeo_FullName"), c("ActionGeo_CountryCode"), c("ActionGeo_ADM1Code")],
        ["4", "Moscow, Russia", "RS", "RS48"]
    );
    assert_eq!(
        [c("ActionGeo_Lat"), c("ActionGeo_Long"), c("ActionGeo_FeatureID")],
        ["55.7522", "37.6156", "524901"]
    );
    assert_eq!(c("AvgTone"), "-2.5000");
    // No actor place was stored: those columns stay empty, as GDELT leaves them.
    assert!(EVENT_COLUMNS.iter().filter(|n| n.starts_with("Actor1Geo_")).all(|n| c(n).is_empty()));
    // The unplaced, unscored event has empty geo and tone columns.
    let plain = by_actor("USA");
    assert!(col(plain, &EVENT_COLUMNS, "ActionGeo_Type").is_empty());
    assert!(col(plain, &EVENT_COLUMNS, "AvgTone").is_empty());
    let mentions = rows(&files.mentions_path(&out));
    let tones: Vec<&str> = mentions.iter().map(|m| col(m, &MENTION_COLUMNS, "MentionDocTone")).collect();
    assert!(tones.contains(&"-2.5000") && tones.contains(&""), "{tones:?}");
}

#[test]
fn gkg_rows_carry_locations_themes_and_tone_in_gkg_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir.path().join("db"));
    let out = dir.path().join("gkg");
    let table = gkg::export(&store, &out, None, AT).unwrap();
    assert_eq!((table.file.as_str(), table.rows), ("20261203103000.gkg.csv", 2));
    let all = rows(&out.join(&table.file));
    assert!(all.iter().all(|r| r.len() == 27), "27 tab-separated columns");
    let row = all.iter().find(|r| col(r, &GKG_COLUMNS, "V2DOCUMENTIDENTIFIER").ends_with("/g1")).unwrap();
    let c = |name| col(row, &GKG_COLUMNS, name);
    assert_eq!(c("V2.1DATE"), "20170104000000");
    assert_eq!(c("V2SOURCECOMMONNAME"), "TASS");
    assert_eq!(c("V1THEMES"), "PROTEST");
    assert_eq!(c("V2ENHANCEDTHEMES"), "PROTEST,0");
    assert_eq!(c("V1LOCATIONS"), "4#Moscow, Russia#RS#RS48#55.7522#37.6156#524901");
    assert_eq!(c("V2ENHANCEDLOCATIONS"), "4#Moscow, Russia#RS#RS48##55.7522#37.6156#524901#23");
    let tone: Vec<&str> = c("V1.5TONE").split(',').collect();
    assert_eq!(tone, ["-2.5000", "1.5000", "4.0000", "5.5000", "", "0.2500", "17"]);
    assert_eq!(c("V2EXTRASXML"), "<PAGE_TITLE>Title g1</PAGE_TITLE>");
    assert_eq!(GKG_COLUMNS[gkg::LOCATIONS], "V2ENHANCEDLOCATIONS");
    assert_eq!(GKG_COLUMNS[gkg::THEMES], "V2ENHANCEDTHEMES");
    assert_eq!(GKG_COLUMNS[gkg::TONE], "V1.5TONE");
    let plain = all.iter().find(|r| col(r, &GKG_COLUMNS, "V2DOCUMENTIDENTIFIER").ends_with("/g2")).unwrap();
    assert!(
        col(plain, &GKG_COLUMNS, "V1.5TONE").is_empty()
            && col(plain, &GKG_COLUMNS, "V2ENHANCEDLOCATIONS").is_empty()
    );
}
