//! Per-source template learning: a block recurring on every page of a source is dropped from
//! that source's later pages, and nowhere else.

use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{InputFormat, RawRecord};
use serde_json::{Map, Value};

fn page(source: &str, n: usize) -> RawRecord {
    let html = format!(
        "<html><body><article><h1>Story number {n}</h1>\
         <p>Officials in district {n} said on Monday that the works, which began in spring, would finish soon.</p>\
         <p>Residents of district {n} welcomed the news, saying the road had been closed for months.</p>\
         <p>Get our free morning briefing in your inbox every day.</p>\
         <p>The council of district {n} will publish a detailed timetable, with costs, next week.</p>\
         </article></body></html>"
    );
    let mut meta = Map::new();
    meta.insert("source".into(), Value::String(source.into()));
    RawRecord {
        id: format!("{source}{n}"),
        origin: "t".into(),
        format: InputFormat::Html,
        content: html,
        meta,
        warnings: vec![],
    }
}

#[test]
fn recurring_blocks_are_learned_per_source() {
    let ex = NewsExtractor::new();
    let first = ex.extract(&page("daily", 0)).unwrap();
    assert!(first.body.contains("morning briefing"), "nothing learned yet");
    for n in 1..5 {
        ex.extract(&page("daily", n)).unwrap();
    }
    let later = ex.extract(&page("daily", 9)).unwrap();
    assert!(!later.body.contains("morning briefing"), "{}", later.body);
    assert!(later.body.contains("district 9 welcomed"));
    // Another source has learned nothing.
    let other = ex.extract(&page("weekly", 1)).unwrap();
    assert!(other.body.contains("morning briefing"));
    // Without learning the block stays.
    let plain = NewsExtractor::without_learning().extract(&page("daily", 9)).unwrap();
    assert!(plain.body.contains("morning briefing"));
}

#[test]
fn extractor_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<NewsExtractor>();
}
