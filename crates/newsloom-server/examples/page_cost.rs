//! CPU time and bytes per API response, in process (the router through tower's `oneshot`, no
//! sockets), so that a change to a handler can be measured on a busy box: process CPU time moves
//! far less with other load than latency does.
//!
//! `cargo run --release -p newsloom-server --example page_cost -- STORE_DIR PATHS [PASSES]`
//! (PATHS: one request path per line, e.g. `/api/stories/s-…`; every path is requested once per
//! pass, default 3; the first pass is reported apart, as it mostly measures the OS cache).
//! With `PAGE_COST_DUMP=DIR`, the first pass writes each response body to `DIR/<line>.json`, to
//! compare two builds' answers.

use std::time::Instant;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The allocator of the `newsloom` binary, so that allocation costs what it costs there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// This process's user + system CPU seconds (`/proc/self/stat`, clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
    let f: Vec<f64> = rest.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// Bytes this process has had read from storage (`/proc/self/io`): the page cache's misses.
fn storage_read_bytes() -> f64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines().find_map(|l| l.strip_prefix("read_bytes: ")).and_then(|v| v.trim().parse().ok()).unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(paths)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: page_cost STORE_DIR PATHS [PASSES]");
        std::process::exit(2);
    };
    let passes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let paths: Vec<String> =
        std::fs::read_to_string(paths).expect("read paths").lines().map(str::to_string).collect();
    let app = newsloom_server::router(std::path::Path::new(dir), None).expect("open store");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let dump = std::env::var_os("PAGE_COST_DUMP").map(std::path::PathBuf::from);
    for pass in 0..passes {
        let (cpu0, t0, read0) = (cpu_seconds(), Instant::now(), storage_read_bytes());
        let (mut bytes, mut ok) = (0usize, 0usize);
        let mut each = Vec::with_capacity(paths.len());
        for (line, p) in paths.iter().enumerate() {
            let started = Instant::now();
            let req = Request::get(p.as_str()).body(Body::empty()).expect("request");
            let resp = rt.block_on(app.clone().oneshot(req)).expect("response");
            ok += usize::from(resp.status().is_success());
            let body = rt.block_on(resp.into_body().collect()).expect("body").to_bytes();
            bytes += body.len();
            each.push(started.elapsed().as_secs_f64() * 1e3);
            if let (Some(dir), 0) = (&dump, pass) {
                std::fs::write(dir.join(format!("{line}.json")), &body).expect("write response");
            }
        }
        let (cpu, wall) = (cpu_seconds() - cpu0, t0.elapsed().as_secs_f64());
        let read_kb = (storage_read_bytes() - read0) / 1024.0;
        let n = paths.len().max(1) as f64;
        each.sort_by(f64::total_cmp);
        let at = |q: f64| each.get(((each.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        println!(
            "pass {pass}: {} requests ({ok} ok), {:.0} bytes each, {:.3} ms CPU and {:.3} ms wall each; \
             wall p50 {:.3}, p90 {:.3}, p99 {:.3}, max {:.3} ms; {:.1} KB read from storage each",
            paths.len(),
            bytes as f64 / n,
            cpu * 1e3 / n,
            wall * 1e3 / n,
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0),
            read_kb / n
        );
    }
}
