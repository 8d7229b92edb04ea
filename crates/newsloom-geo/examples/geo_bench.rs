//! The analyse stage with and without the geo stage, on real article texts:
//!
//! ```text
//! cargo run --release -p newsloom-geo --example geo_bench -- ../shared/data/clustering/gva-dev.jsonl --threads 2 --passes 3
//! ```
//!
//! Prints the gazetteer load time, then for `NewsAnalyser` alone and `WithPlaces(NewsAnalyser)`
//! articles/s of wall time and per CPU second (the machine is shared, so the CPU rate is the
//! steadier number), alternating the two over `--passes` rounds.

use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_geo::{Gazetteer, WithPlaces};
use newsloom_model::Article;
use rayon::prelude::*;
use std::time::Instant;

/// The allocator of the `newsloom` binary, so that the figures are the stage's as shipped.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: bench FILE.jsonl [--threads N] [--passes N]")?;
    let opt = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (threads, passes) = (opt("--threads", 2), opt("--passes", 3));
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let arts: Vec<Article> = text
        .lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let body = v.get("text").or_else(|| v.get("body"))?.as_str()?.to_string();
            Some(Article { id: format!("a{n}"), body, ..Default::default() })
        })
        .collect();
    let t = Instant::now();
    let n = Gazetteer::shared().len();
    println!("gazetteer: {n} entries loaded in {:.2} s", t.elapsed().as_secs_f64());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    let plain = NewsAnalyser::new();
    let geo = WithPlaces::new(NewsAnalyser::new());
    // Warm both (caches, lazy models) before timing.
    pool.install(|| arts.par_iter().take(200).for_each(|a| drop(geo.analyse(a))));
    let mut totals = [(0.0, 0.0), (0.0, 0.0)];
    let mut places = 0;
    for _ in 0..passes {
        for (i, an) in [&plain as &dyn Analyser, &geo].into_iter().enumerate() {
            let (w0, c0) = (Instant::now(), cpu_seconds());
            let found: usize = pool.install(|| arts.par_iter().map(|a| an.analyse(a).places.len()).sum());
            totals[i].0 += w0.elapsed().as_secs_f64();
            totals[i].1 += cpu_seconds() - c0;
            if i == 1 {
                places = found;
            }
        }
    }
    // Single-thread breakdown of the geo stage over precomputed analyses.
    let analyses: Vec<_> = pool.install(|| arts.par_iter().map(|a| plain.analyse(a)).collect());
    let g = newsloom_geo::Geoparser::new();
    let gaz = Gazetteer::shared();
    let (mut t_detect, mut t_resolve, mut t_events) = (0.0, 0.0, 0.0);
    for (a, an) in arts.iter().zip(&analyses) {
        let t = Instant::now();
        let tops = newsloom_geo::detect::detect(gaz, &a.body, &an.mentions, &g.detect);
        t_detect += t.elapsed().as_secs_f64();
        let t = Instant::now();
        std::hint::black_box(newsloom_geo::resolve::resolve(gaz, &tops, &Default::default(), &g.resolve));
        t_resolve += t.elapsed().as_secs_f64();
        let mut an = an.clone();
        an.places = g.parse(&a.id, &a.body, &an.mentions, &Default::default());
        let t = Instant::now();
        newsloom_geo::events::locate_events(gaz, a, &mut an);
        t_events += t.elapsed().as_secs_f64();
    }
    let t = Instant::now();
    for a in &arts {
        std::hint::black_box(newsloom_analyse::ner::tokenize(&a.body));
    }
    let t_tok = t.elapsed().as_secs_f64();
    let per = |s: f64| 1e6 * s / arts.len() as f64;
    println!("tokenize alone {:.1} µs", per(t_tok));
    println!(
        "geo per article (1 thread): detect {:.1} µs  resolve {:.1} µs  events {:.1} µs",
        per(t_detect),
        per(t_resolve),
        per(t_events)
    );
    let done = (arts.len() * passes) as f64;
    for (name, (wall, cpu)) in ["analyse", "analyse + geo"].iter().zip(totals) {
        println!(
            "{name:<14} {:>8.0} articles/s wall ({threads} threads)  {:>8.0} articles per CPU second",
            done / wall,
            done / cpu.max(1e-9)
        );
    }
    println!(
        "geo adds {:+.1}% CPU time per article; {places} places in {} articles",
        100.0 * (totals[1].1 / totals[0].1.max(1e-9) - 1.0),
        arts.len()
    );
    Ok(())
}
