//! Polled documents: RSS 2.0 / RDF / Atom / JSON Feed (feed-rs) and news sitemaps / sitemap
//! indexes (quick-xml), kind sniffed from the content, as `newsloom follow` parses what it
//! polls; then each item's feed-content fallback record. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_follow::feed;
use newsloom_follow::page::feed_content_record;
use url::Url;

fuzz_target!(|data: &[u8]| {
    let base = Url::parse("https://news.example.org/feeds/world.xml").unwrap();
    let _ = feed::detect(data);
    if let Ok(parsed) = feed::parse(data, &base) {
        let hints = Default::default();
        for item in &parsed.items {
            assert!(!item.key.is_empty(), "an item without a key");
            let _ = feed_content_record(item, &hints, "fuzz");
        }
    }
});
