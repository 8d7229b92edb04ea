//! Throughput of the whole analyse stage ([`NewsAnalyser`]) on real article texts.
//!
//! ```text
//! CARGO_TARGET_DIR=... cargo run --release -p newsloom-analyse --example analyse_bench -- \
//!     ../shared/data/clustering/gva-dev.jsonl [--threads 2] [--passes 3] [--limit N] [--only parallel|split] [--dump OUT.jsonl]
//! ```
//!
//! Reads the `text` (or `body`) of every JSONL line as an article body (`date` as its day), then
//! 1. a single-thread breakdown per component (tokenise, tag, link, quotes, events), each timed
//!    over the same articles, with the per-article mean;
//! 2. the full analyser on a rayon pool of `--threads` threads, `--passes` times over the
//!    articles: articles/s of wall time and per CPU second (the machine may be shared, so the
//!    CPU-second rate is the steadier number; both come from `getrusage`-free process times
//!    read from `/proc/self/stat`).
use newsloom_analyse::events::EventCoder;
use newsloom_analyse::ner::{self, EntityRecognizer, NerTagger};
use newsloom_analyse::quotes::QuoteExtractor;
use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_model::{Article, DatePrecision, PublishedDate};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::Instant;

/// The allocator of the `newsloom` binary, so that the figures are the stage's as shipped.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// User + system CPU seconds of this process so far (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // `rest` starts at field 3 (state); clock ticks are 100 per second on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

fn load(path: &str, limit: usize) -> Result<Vec<Article>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().take(limit) {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let body = v.get("text").or_else(|| v.get("body")).and_then(|t| t.as_str()).unwrap_or("");
        let published = v
            .get("date")
            .and_then(|d| d.as_str())
            .and_then(|d| PublishedDate::parse_iso(d, "input"))
            .filter(|d| d.precision >= DatePrecision::Day);
        out.push(Article {
            id: format!("a{n}"),
            title: v.get("title").and_then(|t| t.as_str()).unwrap_or("").to_string(),
            body: body.to_string(),
            published,
            ..Default::default()
        });
    }
    Ok(out)
}

fn day(a: &Article) -> Option<&str> {
    a.published.as_ref().and_then(|p| p.day())
}

fn time<F: FnMut(&Article) -> usize>(name: &str, arts: &[Article], total: &mut f64, mut f: F) {
    let t0 = Instant::now();
    let mut n = 0;
    for a in arts {
        n += f(a);
    }
    let s = t0.elapsed().as_secs_f64();
    *total += s;
    println!(
        "  {name:<22} {:>8.1} µs/article {:>9.0} articles/s  ({n} items)",
        1e6 * s / arts.len() as f64,
        arts.len() as f64 / s
    );
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: bench FILE.jsonl [--threads N] [--passes N] [--limit N]")?;
    let opt = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).map(String::as_str);
    let (threads, passes, limit) = (opt("--threads", 2), opt("--passes", 3), opt("--limit", usize::MAX));
    let arts = load(path, limit)?;
    let chars: usize = arts.iter().map(|a| a.body.chars().count()).sum();
    let mut lens: Vec<usize> = arts.iter().map(|a| a.body.chars().count()).collect();
    lens.sort_unstable();
    println!(
        "{} articles, {} chars (median {} chars/article)",
        arts.len(),
        chars,
        lens.get(lens.len() / 2).copied().unwrap_or(0)
    );

    // Load every model before timing.
    let t0 = Instant::now();
    let analyser = NewsAnalyser::new();
    let warm = Article { body: "NATO said Russia attacked Ukraine.".into(), ..Default::default() };
    black_box(analyser.analyse(&warm));
    println!("models loaded in {:.2}s", t0.elapsed().as_secs_f64());

    // `--dump FILE`: every analysis as one JSON line, to check that an optimisation changed nothing.
    if let Some(out) = args.iter().position(|a| a == "--dump").and_then(|i| args.get(i + 1)) {
        let mut s = String::new();
        for a in &arts {
            s.push_str(&serde_json::to_string(&analyser.analyse(a)).map_err(|e| e.to_string())?);
            s.push('\n');
        }
        std::fs::write(out, s).map_err(|e| format!("{out}: {e}"))?;
        println!("wrote {out}");
        return Ok(());
    }

    if only != Some("parallel") {
        println!("single thread, per component:");
        let tagger = NerTagger::shared();
        let rec = EntityRecognizer::new();
        let quotes = QuoteExtractor::new();
        let events = EventCoder::new();
        let mut total = 0.0;
        time("tokenise+sentences", &arts, &mut total, |a| {
            let t = ner::tokenize(&a.body);
            ner::sentences(&a.body, &t).len()
        });
        let tagged: Vec<_> = arts.iter().map(|a| tagger.tag(&a.body)).collect();
        let mut it = tagged.iter();
        time("tag (features+decode)", &arts, &mut total, |a| {
            let t = it.next().expect("one tagged text per article");
            tagger.tag_tokens(&a.body, &t.tokens, &t.sentences).len()
        });
        let linked: Vec<_> =
            arts.iter().zip(&tagged).map(|(a, t)| rec.link(&a.id, &a.body, t, day(a))).collect();
        let mut it = tagged.iter();
        time("link entities", &arts, &mut total, |a| {
            let t = it.next().expect("one tagged text per article");
            rec.link(&a.id, &a.body, t, day(a)).1.len()
        });
        let mut it = linked.iter();
        time("quotes", &arts, &mut total, |a| {
            let (_, m) = it.next().expect("one analysis per article");
            quotes.extract(&a.id, &a.body, Some(m)).len()
        });
        let mut it = linked.iter();
        time("events", &arts, &mut total, |a| {
            let (e, m) = it.next().expect("one analysis per article");
            events.code_with_entities(&a.id, &a.body, day(a), m, e).len()
        });
        let tone = newsloom_analyse::tone::ToneAnalyser::shared();
        let mut it = linked.iter();
        time("tone (article+mentions)", &arts, &mut total, |a| {
            let (_, m) = it.next().expect("one analysis per article");
            tone.analyse(&a.id, &a.body, m).1.len()
        });
        let themes = newsloom_analyse::themes::ThemeClassifier::shared();
        time("themes", &arts, &mut total, |a| themes.classify_article(&a.title, &a.body).len());
        let mut whole = 0.0;
        time("NewsAnalyser (all)", &arts, &mut whole, |a| analyser.analyse(a).mentions.len());
        println!("  (components sum to {:.1} µs/article)", 1e6 * total / arts.len() as f64);
    }

    if only != Some("split") {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
        let (c0, t0) = (cpu_seconds(), Instant::now());
        let mut found = 0usize;
        for _ in 0..passes {
            found += pool.install(|| {
                arts.par_iter()
                    .map(|a| {
                        let r = analyser.analyse(a);
                        r.mentions.len() + r.quotes.len() + r.events.len()
                    })
                    .sum::<usize>()
            });
        }
        let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
        let n = (arts.len() * passes) as f64;
        println!(
            "parallel ({threads} threads, {passes} passes): {:.0} articles/s wall, {:.0} articles per CPU-second \
             ({:.2}s wall, {:.2}s CPU, {:.2} cores busy; {found} items)",
            n / wall,
            n / cpu.max(1e-9),
            wall,
            cpu,
            cpu / wall
        );
    }
    Ok(())
}
