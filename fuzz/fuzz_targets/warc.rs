//! WARC archives: bytes read as a WARC file is read (plain or gzip members told apart by the
//! magic bytes; records, HTTP heads, chunked and compressed bodies, charsets), on the calling
//! thread. Must never panic; damage is reported per record.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_ingest::{IngestItem, Limits, SkipCounts};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_item_bytes: 64 << 10 };
    let skips = SkipCounts::default();
    for item in newsloom_ingest::warc::read_bytes(data, "fuzz.warc", limits, &skips) {
        if let IngestItem::Record(r) = item {
            assert!(r.content.len() <= 3 * (limits.max_item_bytes + 4), "a page over the cap");
        }
    }
});
