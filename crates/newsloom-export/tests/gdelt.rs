//! GDELT export: field counts, the mapping of known events, the update feed with its mark and
//! lastupdate.txt, and a real seed event coded by the pipeline.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use newsloom_export::gdelt::columns::{EVENT_COLUMNS, MENTION_COLUMNS};
use newsloom_export::gdelt::geo::NoGeo;
use newsloom_export::gdelt::{self, LASTUPDATE_FILE, global_event_id, write_update_since_mark};

/// 2026-12-03 10:30:00 UTC, the export time of the tests.
const AT: i64 = 1_796_293_800;

fn lines(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn col(row: &[String], name: &str, columns: &[&str]) -> String {
    row[columns.iter().position(|c| *c == name).unwrap()].clone()
}

#[test]
fn events_and_mentions_have_gdelt_shape_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::fixture(&dir.path().join("db"));
    let out = dir.path().join("gdelt");
    let files = gdelt::export(&store, &out, None, AT, &NoGeo).unwrap();
    assert_eq!(files.stamp, "20261203103000");
    assert_eq!(files.events.file, "20261203103000.export.CSV");
    assert_eq!(files.mentions.file, "20261203103000.mentions.CSV");

    let events = lines(&files.events_path(&out));
    let mentions = lines(&files.mentions_path(&out));
    // One Events row per event per story (a and b report one meeting), one Mentions row per report.
    assert_eq!((events.len(), mentions.len()), (2, 4));
    assert_eq!((files.events.rows, files.mentions.rows), (2, 4));
    assert!(events.iter().all(|r| r.len() == 61), "every Events line has 61 fields");
    assert!(mentions.iter().all(|r| r.len() == 16), "every Mentions line has 16 fields");

    let e = |row: &[String], name: &str| col(row, name, &EVENT_COLUMNS);
    let meeting = &events[0];
    let id = global_event_id("s1", "RUS", Some("IGOWSTNAT"), "036");
    assert_eq!(e(meeting, "GlobalEventID"), id.to_string());
    // The event's own date (2016-12-26) wins over the article's.
    assert_eq!(
        (e(meeting, "Day"), e(meeting, "MonthYear"), e(meeting, "Year")),
        ("20161226".into(), "201612".into(), "2016".into())
    );
    assert_eq!(e(meeting, "FractionDate"), "2016.9753"); // 2016 + (11 * 30 + 26) / 365
    assert_eq!(
        (e(meeting, "Actor1Code"), e(meeting, "Actor1Name"), e(meeting, "Actor1CountryCode")),
        ("RUS".into(), "RUSSIAN FEDERATION".into(), "RUS".into())
    );
    assert_eq!(e(meeting, "Actor1Type1Code"), "");
    assert_eq!(
        (
            e(meeting, "Actor2Code"),
            e(meeting, "Actor2CountryCode"),
            e(meeting, "Actor2KnownGroupCode"),
            e(meeting, "Actor2Type1Code")
        ),
        ("IGOWSTNAT".into(), "WST".into(), "NAT".into(), "IGO".into())
    );
    assert_eq!(e(meeting, "IsRootEvent"), "1");
    assert_eq!(
        (e(meeting, "EventCode"), e(meeting, "EventBaseCode"), e(meeting, "EventRootCode")),
        ("036".into(), "036".into(), "03".into())
    );
    assert_eq!((e(meeting, "QuadClass"), e(meeting, "GoldsteinScale")), ("1".into(), "1.0".into()));
    // Three reports in two articles from two outlets.
    assert_eq!(
        (e(meeting, "NumMentions"), e(meeting, "NumSources"), e(meeting, "NumArticles")),
        ("3".into(), "2".into(), "2".into())
    );
    assert_eq!(e(meeting, "AvgTone"), "");
    assert!(meeting[35..59].iter().all(String::is_empty), "geo columns stay empty");
    assert_eq!(e(meeting, "DATEADDED"), "20261203103000");
    assert_eq!(e(meeting, "SOURCEURL"), "https://example.org/a");

    let criticism = &events[1];
    assert_eq!(
        (e(criticism, "Actor1Code"), e(criticism, "Actor1CountryCode"), e(criticism, "Actor1Type1Code")),
        ("RUSGOV".into(), "RUS".into(), "GOV".into())
    );
    assert_eq!(e(criticism, "Actor2Code"), "");
    // Reported in the second paragraph; no full date anywhere, so the day it was added.
    assert_eq!((e(criticism, "IsRootEvent"), e(criticism, "Day")), ("0".into(), "20261203".into()));
    assert_eq!(e(criticism, "EventRootCode"), "11");

    let m = |row: &[String], name: &str| col(row, name, &MENTION_COLUMNS);
    let ids: Vec<String> = mentions.iter().map(|r| m(r, "GlobalEventID")).collect();
    assert_eq!(ids[..3], [id.to_string(), id.to_string(), id.to_string()]);
    assert!(events.iter().all(|ev| ids.contains(&e(ev, "GlobalEventID"))));
    let first = &mentions[0];
    assert_eq!(m(first, "MentionType"), "1");
    assert_eq!(
        (m(first, "MentionSourceName"), m(first, "MentionIdentifier")),
        ("TASS".into(), "https://example.org/a".into())
    );
    assert_eq!(m(first, "EventTimeDate"), m(first, "MentionTimeDate"));
    assert_eq!(m(first, "EventTimeDate").len(), 14);
    assert_eq!(
        (
            m(first, "SentenceID"),
            m(first, "Actor1CharOffset"),
            m(first, "Actor2CharOffset"),
            m(first, "ActionCharOffset")
        ),
        ("1".into(), "0".into(), "11".into(), "0".into())
    );
    assert_eq!(
        (m(first, "InRawText"), m(first, "Confidence"), m(first, "MentionDocLen")),
        ("1".into(), "80".into(), "121".into())
    );
    let second_paragraph = &mentions[1];
    assert_eq!(
        (m(second_paragraph, "SentenceID"), m(second_paragraph, "ActionCharOffset")),
        ("3".into(), "70".into())
    );
    // RUSGOV is not mentioned as such: the nearest mention of its root RUS; no second actor.
    let c = &mentions[3];
    assert_eq!((m(c, "Actor1CharOffset"), m(c, "Actor2CharOffset")), ("0".into(), "-1".into()));
}

#[test]
fn since_and_corrupt_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let store = common::fixture(&db);
    common::set_ingested_at(&db, &["a", "b"], 1000);
    common::set_ingested_at(&db, &["c"], 2000);
    let out = dir.path().join("gdelt");
    let files = gdelt::export(&store, &out, Some("1970-01-01T00:20:00Z"), AT, &NoGeo).unwrap();
    assert_eq!((files.events.rows, files.mentions.rows), (1, 1));
    let row = &lines(&files.mentions_path(&out))[0];
    assert_eq!(col(row, "EventTimeDate", &MENTION_COLUMNS), "19700101003320");

    common::sql(&db, "UPDATE events SET doc = 'garbage' WHERE article = 'c'");
    let files = gdelt::export(&store, &dir.path().join("again"), None, AT, &NoGeo).unwrap();
    assert_eq!((files.events.rows, files.events.skipped), (1, 1));
    assert_eq!((files.mentions.rows, files.mentions.skipped), (3, 1));
    assert!(files.events.errors[0].contains("event"), "{:?}", files.events.errors);
}

#[test]
fn the_update_feed_continues_from_its_mark() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut store = common::fixture(&db);
    let out = dir.path().join("feed");

    let first = write_update_since_mark(&store, &out, &NoGeo).unwrap();
    assert_eq!((first.files.events.rows, first.files.mentions.rows, first.files.high_water_seq), (2, 4, 3));
    // lastupdate.txt lists both files as GDELT does: size, md5, name.
    let listed = std::fs::read_to_string(out.join(LASTUPDATE_FILE)).unwrap();
    let listed: Vec<Vec<&str>> = listed.lines().map(|l| l.split(' ').collect()).collect();
    assert_eq!(listed.len(), 2);
    for (line, path) in listed.iter().zip([first.files.events_path(&out), first.files.mentions_path(&out)]) {
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(line[0], bytes.len().to_string());
        assert_eq!(line[1].len(), 32);
        assert_eq!(line[2], path.file_name().unwrap().to_str().unwrap());
    }

    // Nothing new: an empty pair under a new stamp.
    let empty = write_update_since_mark(&store, &out, &NoGeo).unwrap();
    assert_eq!((empty.files.events.rows, empty.files.mentions.rows), (0, 0));
    assert!(empty.files.stamp > first.files.stamp);

    // A new article reporting the old meeting and a new event: the new event in Events, both
    // reports in Mentions.
    let d = common::new_article(
        common::article("d", "s1", "Interfax", "2016-12-29"),
        vec![
            common::event("d", "RUS", Some("IGOWSTNAT"), "036", 5, None),
            common::event("d", "RUS", Some("UKR"), "042", 20, Some("2016-12-29")),
        ],
    );
    store.insert_batch(&[d], &[]).unwrap();
    // A restart: a new process reads the mark from the directory.
    drop(store);
    let store = newsloom_store::SqliteStore::open(&db).unwrap();
    let next = write_update_since_mark(&store, &out, &NoGeo).unwrap();
    assert_eq!(next.files.after_seq, 3);
    let events = lines(&next.files.events_path(&out));
    assert_eq!(events.len(), 1);
    assert_eq!(col(&events[0], "Actor2Code", &EVENT_COLUMNS), "UKR");
    let mentions = lines(&next.files.mentions_path(&out));
    let ids: Vec<String> = mentions.iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        ids,
        [global_event_id("s1", "RUS", Some("IGOWSTNAT"), "036").to_string(), events[0][0].clone()]
    );
    let master = std::fs::read_to_string(out.join(gdelt::MASTERLIST_FILE)).unwrap();
    assert_eq!(master.lines().count(), 6);
}

#[test]
fn run_every_stops_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::fixture(&dir.path().join("db"));
    let out = dir.path().join("feed");
    let stop = AtomicBool::new(false);
    let mut seen = vec![];
    // The report callback raises the stop flag after the first update, as a signal would.
    let written = gdelt::run_every(&store, &out, Duration::from_secs(3600), &stop, &NoGeo, &mut |o| {
        seen.push(o.map(|o| o.files.events.rows).map_err(|e| e.to_string()));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(written, 1);
    assert_eq!(seen, [Ok(2)]);
}

fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/seeds is not beside the repository");
        None
    }
}

#[test]
fn a_seed_event_maps_to_its_gdelt_columns() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut pipeline = newsloom_pipeline::Pipeline::open(&db).unwrap();
    let summary =
        pipeline.ingest(newsloom_ingest::Reader::new(vec![seeds]), &newsloom_pipeline::Quiet).unwrap();
    assert_eq!(summary.stored, 2);
    drop(pipeline);
    let store = newsloom_store::SqliteStore::open(&db).unwrap();
    let filter = newsloom_store::EventFilter { limit: 1000, ..Default::default() };
    let known = store.events(&filter).unwrap();
    assert!(!known.is_empty(), "the seeds have coded events");

    let out = dir.path().join("gdelt");
    let files = gdelt::export(&store, &out, None, AT, &NoGeo).unwrap();
    let events = lines(&files.events_path(&out));
    // The same events `newsloom events` lists, one row each, with the same report counts.
    assert_eq!(events.len(), known.len());
    let total: i64 = known.iter().map(|(_, n)| n).sum();
    assert_eq!(lines(&files.mentions_path(&out)).len() as i64, total);
    for (event, reports) in &known {
        let row = events
            .iter()
            .find(|r| {
                r[5] == event.source_actor
                    && r[15] == event.target_actor.clone().unwrap_or_default()
                    && r[26] == event.cameo
                    && r[31] == reports.to_string()
            })
            .unwrap_or_else(|| panic!("no row for {event:?}"));
        assert_eq!(row[27], event.cameo[..3]);
        assert_eq!(row[28], event.cameo[..2]);
        assert_eq!(row[29], (event.quad_class as u8).to_string());
        assert_eq!(row[30], format!("{:.1}", event.goldstein));
        assert_eq!(row[7], newsloom_export::gdelt::split_actor(&event.source_actor).country);
        // With one report, its own date gives the Day (with several, the first report's does).
        if let Some(date) = event.date.as_deref().filter(|d| d.len() >= 10 && *reports == 1) {
            assert_eq!(row[1], date[..10].replace('-', ""));
        }
        assert!(row[60].starts_with("http") || row[60].starts_with("newsloom:"), "SOURCEURL {}", row[60]);
        assert!(row[32].parse::<i64>().unwrap() >= 1, "NumSources {}", row[32]);
    }
    // The NATO appeal seed: Russia and NATO appear as a dyad with NATO split into its parts.
    let nato: Vec<&Vec<String>> =
        events.iter().filter(|r| r[5] == "IGOWSTNAT" || r[15] == "IGOWSTNAT").collect();
    assert!(!nato.is_empty(), "an event with NATO: {events:?}");
    for r in nato {
        let at = if r[5] == "IGOWSTNAT" { 5 } else { 15 };
        assert_eq!((r[at + 2].as_str(), r[at + 3].as_str(), r[at + 7].as_str()), ("WST", "NAT", "IGO"));
    }
}
