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
    html_record(source, format!("{source}{n}"), html)
}

fn html_record(source: &str, id: String, html: String) -> RawRecord {
    let mut meta = Map::new();
    meta.insert("source".into(), Value::String(source.into()));
    RawRecord { id, origin: "t".into(), format: InputFormat::Html, content: html, meta, warnings: vec![] }
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

/// A page whose box `div.box-extra` rotates among a few teaser texts, the rest changing with
/// every story.
fn page_with_box(n: usize, teaser: &str) -> RawRecord {
    let html = format!(
        "<html><body><article><h1>Story number {n}</h1>\
         <p>Officials in district {n} said on Monday that the works, which began in spring, would finish soon.</p>\
         <div class=\"box-extra\"><p>{teaser}</p></div>\
         <p>Residents of district {n} welcomed the news, saying the road had been closed for months.</p>\
         <p>The council of district {n} will publish a detailed timetable, with costs, next week.</p>\
         </article></body></html>"
    );
    html_record("daily", format!("b{n}"), html)
}

#[test]
fn a_dom_path_holding_the_same_few_texts_is_learned_as_chrome() {
    let teasers = [
        "Our podcast this week: the harbour master on the new ferry.",
        "Puzzles every morning, crosswords and sudoku.",
    ];
    let new_teaser = "Our podcast this week: a baker on the price of flour.";
    // Before learning, a teaser the source never showed is kept.
    let fresh = NewsExtractor::new();
    assert!(fresh.extract(&page_with_box(9, new_teaser)).unwrap().body.contains("price of flour"));
    let ex = NewsExtractor::new();
    for n in 0..6 {
        ex.extract(&page_with_box(n, teasers[n % 2])).unwrap();
    }
    // The text is new, so no line was learned for it; its place on the page was.
    let later = ex.extract(&page_with_box(9, new_teaser)).unwrap();
    assert!(!later.body.contains("price of flour"), "{}", later.body);
    assert!(later.body.contains("district 9 welcomed") && later.body.contains("timetable"));
}
