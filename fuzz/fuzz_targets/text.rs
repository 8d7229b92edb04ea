//! Text path: arbitrary (lossily decoded) text through the line classifier, datelines and
//! year inference, with a source so template learning runs. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{InputFormat, RawRecord};

fuzz_target!(|data: &[u8]| {
    let content = String::from_utf8_lossy(data).into_owned();
    let mut meta = serde_json::Map::new();
    meta.insert("source".into(), "fuzz-source".into());
    let raw = RawRecord {
        id: "f".into(),
        origin: "fuzz".into(),
        format: InputFormat::Text,
        content,
        meta,
        warnings: vec![],
    };
    let ex = NewsExtractor::new();
    let _ = ex.extract(&raw);
    let _ = ex.extract(&raw);
});
