//! HTML path: raw bytes → charset sniffing/decoding → the full extractor (with template
//! learning on, so the learned-state code runs too). Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{InputFormat, RawRecord};

fuzz_target!(|data: &[u8]| {
    let (content, warning) = newsloom_extract::eval::decode_html_bytes(data);
    let mut meta = serde_json::Map::new();
    meta.insert("url".into(), "https://example.org/2021/03/04/story".into());
    let raw = RawRecord {
        id: "f".into(),
        origin: "fuzz".into(),
        format: InputFormat::Html,
        content,
        meta,
        warnings: warning.into_iter().collect(),
    };
    let ex = NewsExtractor::new();
    // Twice: the second run sees what the first one learned for the source.
    let _ = ex.extract(&raw);
    let _ = ex.extract(&raw);
});
