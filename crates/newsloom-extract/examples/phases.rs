//! Profiling aid: `phases <ground-truth.jsonl>` times each extraction phase over all pages.
use std::io::Read;
use std::time::Instant;

use newsloom_extract::html::{content, dom, meta};
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{InputFormat, RawRecord};

fn main() {
    let gold = std::env::args().nth(1).expect("gold");
    let base = std::path::Path::new(&gold).parent().unwrap().to_path_buf();
    let mut pages = Vec::new();
    for line in std::fs::read_to_string(&gold).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let bytes = std::fs::read(base.join(v["html_file"].as_str().unwrap())).unwrap();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
        pages.push(newsloom_extract::eval::decode_html_bytes(&out).0);
    }
    let n = pages.len() as f64;
    // Thread CPU time: stable while other processes compete for the cores.
    let cpu = || {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
    };
    let time = |name: &str, f: &dyn Fn(&str)| {
        let t = Instant::now();
        let c = cpu();
        for _ in 0..3 {
            for p in &pages {
                f(p);
            }
        }
        let s = t.elapsed().as_secs_f64() / 3.0;
        let cs = (cpu() - c) / 3.0;
        println!(
            "{name:24} wall {:7.3} ms/page {:6.0}/s   cpu {:7.3} ms/page {:6.0}/s",
            1000.0 * s / n,
            n / s,
            1000.0 * cs / n,
            n / cs
        );
    };
    time("parse", &|p| drop(dom::parse(p)));
    time("parse+stats", &|p| drop(content::stats(&dom::parse(p))));
    time("+roots", &|p| {
        let d = dom::parse(p);
        let st = content::stats(&d);
        drop(content::content_roots(&d, &st));
    });
    time("+meta", &|p| {
        let d = dom::parse(p);
        let st = content::stats(&d);
        let r = content::content_roots(&d, &st);
        drop(meta::extract(&d, &st, None, r.0.first().map(|&a| (a, a))));
    });
    time("+serialise", &|p| {
        let d = dom::parse(p);
        let st = content::stats(&d);
        let r = content::content_roots(&d, &st);
        drop(meta::extract(&d, &st, None, r.0.first().map(|&a| (a, a))));
        drop(content::serialise(&d, &st, &r.0));
    });
    time("extract_html", &|p| drop(newsloom_extract::html::extract_html(p, None)));
    time("clone page", &|p| drop(p.to_string()));
    let bodies: Vec<String> =
        pages.iter().map(|p| newsloom_extract::html::extract_html(p, None).paragraphs.join("\n\n")).collect();
    let t = Instant::now();
    for b in &bodies {
        std::hint::black_box(newsloom_extract::lang::detect(b));
    }
    println!("whatlang (400-char prefix)      {:7.3} ms/page", 1000.0 * t.elapsed().as_secs_f64() / n);
    let ex = NewsExtractor::without_learning();
    time("full extract", &|p| {
        let raw = RawRecord {
            id: "x".into(),
            origin: String::new(),
            format: InputFormat::Html,
            content: p.to_string(),
            meta: Default::default(),
            warnings: vec![],
        };
        let _ = ex.extract(&raw);
    });
}
