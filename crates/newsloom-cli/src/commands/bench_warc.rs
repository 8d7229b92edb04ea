//! `newsloom bench warc`: generate a CC-NEWS-like archive (per-record gzip; request, response
//! and metadata records per capture; some redirects and images among the pages) and ingest it,
//! printing MB/s and records/s of the WARC reader alone and of the whole pipeline, and the
//! process's peak resident memory. The archive and store live in a temporary directory that
//! is deleted at the end.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use flate2::Compression;
use flate2::write::GzEncoder;
use newsloom_ingest::{IngestItem, Reader};
use newsloom_pipeline::synth::{self, Rng};
use newsloom_pipeline::{IngestSummary, Pipeline, Progress};

use crate::commands::ingest::Bar;
use crate::output;

/// What the generator wrote.
struct Generated {
    records: u64,
    pages: u64,
    decoded_bytes: u64,
}

pub fn bench_warc(mb: u64, batch_size: usize, json: bool) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let archive = tmp.path().join("CC-NEWS-bench.warc.gz");
    let t = Instant::now();
    let generated = generate(&archive, mb << 20).context("writing the archive")?;
    let generate_s = t.elapsed().as_secs_f64();
    let archive_mb = std::fs::metadata(&archive)?.len() as f64 / (1 << 20) as f64;
    eprintln!(
        "generated {archive_mb:.0} MB ({} records, {} pages, {:.0} MB decoded) in {generate_s:.0}s",
        generated.records,
        generated.pages,
        generated.decoded_bytes as f64 / (1 << 20) as f64
    );

    // The reader alone: decompression, WARC and HTTP parsing, charset decoding.
    let t = Instant::now();
    let reader = Reader::new(vec![archive.clone()]);
    let skips = reader.skip_counts();
    let (mut pages, mut rejected) = (0u64, 0u64);
    for item in reader {
        match item {
            IngestItem::Record(_) => pages += 1,
            IngestItem::Rejected(_) => rejected += 1,
        }
    }
    let read_s = t.elapsed().as_secs_f64();
    let read_records = pages + rejected + skips.total();
    // Peak memory so far: generation and the reader alone, before the pipeline holds batches.
    let reader_peak = output::peak_rss_mb().unwrap_or(0.0);

    // The whole pipeline into a fresh store.
    let mut pipeline = Pipeline::open(&tmp.path().join("db"))?;
    pipeline.batch_size = batch_size.max(1);
    let reader = Reader::new(vec![archive.clone()]);
    let skips = reader.skip_counts();
    let bar = Bar::new();
    let summary = pipeline.ingest(reader, &bar as &dyn Progress)?;
    bar.finish();
    let ingest_records = summary.read + skips.total();
    let peak = output::peak_rss_mb().unwrap_or(0.0);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let report = serde_json::json!({
        "archive_mb": archive_mb,
        "decoded_mb": generated.decoded_bytes as f64 / (1 << 20) as f64,
        "records": generated.records,
        "pages": generated.pages,
        "generate_s": generate_s,
        "reader": {
            "elapsed_s": read_s,
            "mb_per_s": archive_mb / read_s.max(1e-9),
            "records_per_s": read_records as f64 / read_s.max(1e-9),
            "pages": pages,
            "rejected": rejected,
            "skipped": skips_by_reason(&skips),
            "peak_rss_mb": reader_peak,
        },
        "ingest": {
            "elapsed_s": summary.elapsed_s,
            "mb_per_s": archive_mb / summary.elapsed_s.max(1e-9),
            "records_per_s": ingest_records as f64 / summary.elapsed_s.max(1e-9),
            "articles_per_s": summary.articles_per_s,
            "stored": summary.stored,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "stage_s": summary.stage_s,
        },
        "peak_rss_mb": peak,
        "threads": threads,
    });
    drop(pipeline);
    drop(tmp); // deletes the archive and the store
    if json {
        return output::json(&report);
    }
    print_report(&summary, archive_mb, &report, peak, threads);
    Ok(())
}

fn skips_by_reason(skips: &newsloom_ingest::SkipCounts) -> serde_json::Value {
    serde_json::to_value(skips.snapshot()).unwrap_or_default()
}

fn print_report(summary: &IngestSummary, archive_mb: f64, r: &serde_json::Value, peak: f64, threads: usize) {
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    println!(
        "archive: {archive_mb:.0} MB per-record gzip, {} records, {} pages ({:.0} MB decoded)",
        r["records"],
        r["pages"],
        f(&r["decoded_mb"])
    );
    println!(
        "WARC reader alone: {:.1}s, {:.1} MB/s, {:.0} records/s, peak resident memory {:.0} MB; skipped {}",
        f(&r["reader"]["elapsed_s"]),
        f(&r["reader"]["mb_per_s"]),
        f(&r["reader"]["records_per_s"]),
        f(&r["reader"]["peak_rss_mb"]),
        r["reader"]["skipped"]
    );
    println!(
        "full ingest: {:.1}s, {:.1} MB/s, {:.0} records/s, {:.0} articles/s; stored {}, duplicates {}, rejected {}",
        summary.elapsed_s,
        f(&r["ingest"]["mb_per_s"]),
        f(&r["ingest"]["records_per_s"]),
        summary.articles_per_s,
        summary.stored,
        summary.duplicates,
        summary.rejected
    );
    let t = &summary.stage_s;
    println!(
        "wall time by step: read {:.2}s, extract+analyse {:.2}s, cluster {:.2}s, store {:.2}s, index {:.2}s",
        t.read, t.extract_analyse, t.cluster, t.store, t.index
    );
    println!("peak resident memory {peak:.0} MB, on {threads} threads");
}

/// Writes captures until the file reaches `target` bytes.
fn generate(path: &Path, target: u64) -> std::io::Result<Generated> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut written = 0u64;
    let mut g = Generated { records: 0, pages: 0, decoded_bytes: 0 };
    let mut rng = Rng::new(2026);
    let mut i = 0u64;
    while written < target {
        let article: serde_json::Value = serde_json::from_str(&synth::article_jsonl(i, 42))?;
        let url = article["url"].as_str().unwrap_or_default().to_string();
        let date =
            format!("{}T{:02}:{:02}:00Z", article["date"].as_str().unwrap_or("2026-01-01"), i % 24, i % 60);
        let host = url.split('/').nth(2).unwrap_or("example.com").to_string();
        let request = format!(
            "GET /{} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: CCBot/2.0\r\nAccept: text/html\r\n\r\n",
            i
        );
        let mut records = vec![warc_record(
            "request",
            &url,
            &date,
            "application/http; msgtype=request",
            request.as_bytes(),
        )];
        let response = match i % 40 {
            // Every so often a redirect or an image, as in a real crawl.
            7 => http(
                &date,
                "301 Moved Permanently",
                "text/html",
                format!("<a href=\"{url}/\">moved</a>").as_bytes(),
            ),
            23 => {
                let image: Vec<u8> = (0..20_000).map(|_| rng.next_u64() as u8).collect();
                http(&date, "200 OK", "image/jpeg", &image)
            }
            _ => {
                g.pages += 1;
                http(&date, "200 OK", "text/html; charset=UTF-8", page(&article, i, &mut rng).as_bytes())
            }
        };
        records.push(warc_record("response", &url, &date, "application/http; msgtype=response", &response));
        let meta = format!("fetchTimeMs: {}\r\ncharset-detected: UTF-8\r\n", 50 + i % 900);
        records.push(warc_record("metadata", &url, &date, "application/warc-fields", meta.as_bytes()));
        for record in records {
            let mut gz = GzEncoder::new(Vec::with_capacity(record.len() / 3), Compression::default());
            gz.write_all(&record)?;
            let member = gz.finish()?;
            out.write_all(&member)?;
            written += member.len() as u64;
            g.decoded_bytes += record.len() as u64;
            g.records += 1;
        }
        i += 1;
    }
    out.flush()?;
    Ok(g)
}

fn warc_record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    static ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{id:08x}-0000-4000-8000-000000000000>\r\n\
         WARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(date: &str, status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nDate: {date}\r\nServer: nginx\r\nContent-Type: {content_type}\r\n\
         Cache-Control: max-age=60\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A news page shaped like real ones: about 100 KB of head, inline script and style, navigation,
/// the article, related-story teasers and a footer; the article text is a few KB of it.
fn page(article: &serde_json::Value, i: u64, rng: &mut Rng) -> String {
    let s = |k: &str| article[k].as_str().unwrap_or_default();
    let (title, source, date) = (s("title"), s("source"), s("date"));
    let token = |rng: &mut Rng| format!("{:x}", rng.next_u64());
    let mut html = String::with_capacity(110_000);
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {source}</title>\
         <meta property=\"og:site_name\" content=\"{source}\"><meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"article:published_time\" content=\"{date}T08:00:00Z\">\
         <meta name=\"viewport\" content=\"width=device-width\"><link rel=\"canonical\" href=\"{}\">",
        s("url")
    ));
    // Inline styles and scripts: the bulk of a real page, with build hashes that do not repeat.
    html.push_str("<style>");
    for k in 0..300 {
        html.push_str(&format!(
            ".c{}-{} {{ margin: {}px {}px; color: #{:06x}; }}\n",
            token(rng),
            k,
            k % 17,
            k % 9,
            rng.next_u64() & 0xffffff
        ));
    }
    html.push_str("</style><script>");
    for _ in 0..700 {
        html.push_str(&format!(
            "window.__d{}=function(a,b){{return a.{}(b,\"{}\")||{};}};\n",
            token(rng),
            token(rng),
            token(rng),
            rng.below(1000)
        ));
    }
    html.push_str("</script></head><body><header><nav><ul>");
    for k in 0..60 {
        html.push_str(&format!("<li><a href=\"/section/{k}\">Section {k}</a></li>"));
    }
    html.push_str(&format!(
        "</ul></nav></header><main><article><h1>{title}</h1><p class=\"byline\">By Staff Reporter</p>"
    ));
    for p in s("text").split("\n\n") {
        html.push_str(&format!("<p>{p}</p>\n"));
    }
    html.push_str("</article><aside><h2>Related</h2><ul>");
    for k in 1..=12 {
        let other: serde_json::Value =
            serde_json::from_str(&synth::article_jsonl(i + k * 97, 42)).unwrap_or_default();
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a> <span>Read more</span></li>",
            other["url"].as_str().unwrap_or_default(),
            other["title"].as_str().unwrap_or_default()
        ));
    }
    html.push_str("</ul></aside></main><footer>");
    for k in 0..40 {
        html.push_str(&format!("<a href=\"/about/{k}\">About {k}</a> "));
    }
    html.push_str("<p>© newsloom benchmark</p></footer></body></html>");
    html
}
