//! The HTTP API's JSON bodies (`POST /api/articles`): one object, an array of them or NDJSON,
//! split into records and rejections as the handler does. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_ingest::IngestItem;

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = newsloom_server::fuzz_entry::parse_body(data) {
        for item in items {
            if let IngestItem::Record(r) = item {
                assert!(!r.id.is_empty(), "a record without an id");
            }
        }
    }
});
