//! JSONL ingest: bytes read as a `.jsonl` file is read (capped lines, blank lines skipped,
//! each line decoded into a raw record by `parse_jsonl_line`). Must never panic; every
//! item is a record with content or a rejection naming its line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_ingest::{IngestItem, Limits, Reader};

fuzz_target!(|data: &[u8]| {
    // A small cap, so that the over-long-line path runs too.
    let limits = Limits { max_item_bytes: 4096 };
    for item in Reader::from_memory("fuzz.jsonl", data.to_vec(), limits) {
        match item {
            IngestItem::Record(r) => assert!(!r.content.contains('\0'), "NUL left in content"),
            IngestItem::Rejected(e) => assert!(e.origin.starts_with("fuzz.jsonl:"), "{e:?}"),
        }
    }
    // And one line on its own, as the HTTP ingest and the queue workers call it.
    let _ = newsloom_ingest::parse_jsonl_line(data, "fuzz:1");
});
