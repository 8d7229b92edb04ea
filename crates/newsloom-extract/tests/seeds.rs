//! The two seed texts (read from `../shared/seeds` beside the repository; skipped when absent).

use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{DatePrecision, InputFormat, RawRecord};
use serde_json::{Map, Value};

/// Reads a seed the way ingest does: an optional ` date YYYY-MM-DD Section` first line becomes
/// metadata and is stripped from the content.
fn seed(prefix: &str) -> Option<RawRecord> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: {} not present", dir.display());
        return None;
    };
    let path = entries
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))?;
    let text = std::fs::read_to_string(&path).ok()?;
    let mut meta = Map::new();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let content = match first.trim().strip_prefix("date ") {
        Some(spec) => {
            let mut parts = spec.splitn(2, ' ');
            meta.insert("date".into(), Value::String(parts.next()?.to_string()));
            if let Some(s) = parts.next() {
                meta.insert("section".into(), Value::String(s.trim().to_string()));
            }
            rest.to_string()
        }
        None => text.clone(),
    };
    Some(RawRecord {
        id: prefix.into(),
        origin: path.display().to_string(),
        format: InputFormat::Text,
        content,
        meta,
        warnings: vec![],
    })
}

#[test]
fn moscow_times_seed() {
    let Some(raw) = seed("000_") else { return };
    let a = NewsExtractor::new().extract(&raw).unwrap();
    assert_eq!(a.title, "Russian Foreign Ministry Appeals for NATO Reset");
    assert!(a.body.starts_with("The Russian Foreign Ministry has unexpectedly"), "{}", a.body);
    assert!(a.body.ends_with("between the two sides."), "{}", a.body);
    for bad in ["Read More", "Grozovsky", "12:24", "Update:", "ago", "/ AP"] {
        assert!(!a.body.contains(bad), "{bad:?} in body");
    }
    let p = a.published.as_ref().unwrap();
    // The given day, to the minute the text states for it.
    assert_eq!((p.iso.as_str(), p.precision), ("2017-01-04T12:24", DatePrecision::Minute));
    assert_eq!(a.section.as_deref(), Some("Russia"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.source, None);
    assert_eq!(a.body_hash, newsloom_model::content_id(a.body.as_bytes()));
    assert_eq!(a.meta["provenance"]["published"], "input+text");
    assert_eq!(a.meta["provenance"]["title"], "text");
}

#[test]
fn tass_seed() {
    let Some(raw) = seed("003_") else { return };
    let a = NewsExtractor::new().extract(&raw).unwrap();
    assert_eq!(
        a.title,
        "Foreign Ministry: Russia ready to build relations with NATO on principle of equality"
    );
    assert!(
        a.subtitle
            .as_deref()
            .unwrap_or("")
            .starts_with("Russia's Foreign Ministry considers the Russia-NATO Council")
    );
    let d = a.dateline.as_ref().unwrap();
    assert_eq!(
        (d.place.as_str(), d.date.as_deref(), d.agency.as_deref()),
        ("MOSCOW", Some("December 27"), Some("TASS"))
    );
    let p = a.published.as_ref().unwrap();
    assert_eq!((p.iso.as_str(), p.precision), ("2016-12-27", DatePrecision::DayInferredYear));
    assert_eq!(a.source.as_deref(), Some("TASS"));
    assert!(a.body.starts_with("MOSCOW, December 27. /TASS/. Russia is open"), "{}", a.body);
    assert!(a.body.ends_with("of May 27, 1997,\" the ministry said."), "{}", a.body);
    assert_eq!(a.body.split("\n\n").count(), 4);
    assert!(!a.body.contains("All news") && a.title != "All news");
}
