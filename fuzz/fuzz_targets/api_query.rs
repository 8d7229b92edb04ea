//! The HTTP API's query strings: the first byte picks the endpoint, the rest is the query
//! string, parsed into that endpoint's parameters by the handlers' own extractor; then every
//! value goes through the handlers' value checks. Must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsloom_server::fuzz_entry::{QUERY_ENDPOINTS, check_query_values, parse_query};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, query)) = data.split_first() else { return };
    let endpoint = QUERY_ENDPOINTS[pick as usize % QUERY_ENDPOINTS.len()];
    let _ = parse_query(endpoint, query);
    if let Ok(query) = std::str::from_utf8(query) {
        let _ = check_query_values(query);
    }
});
