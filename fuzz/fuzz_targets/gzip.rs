//! Gzip input: bytes read as a `.gz` file is read (a multi-member gzip decoder under the
//! per-item cap, then a JSONL line stream or one document). The first byte picks the name
//! inside the `.gz`. Must never panic or hold more than the cap.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_ingest::{Limits, Reader};

const NAMES: [&str; 4] = ["fuzz.jsonl.gz", "fuzz.html.gz", "fuzz.txt.gz", "fuzz.gz"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    // A small cap, so that decompression bombs hit it quickly.
    let limits = Limits { max_item_bytes: 64 << 10 };
    for _item in Reader::from_memory(name, bytes.to_vec(), limits) {}
});
