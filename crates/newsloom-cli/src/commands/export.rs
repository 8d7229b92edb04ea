//! `newsloom export`: `--format jsonl` (every article with its analysis, one per line, streamed;
//! the lossless format), `--format parquet --out DIR` and `--format gdelt --out DIR [--every 15m]`
//! and `--format gkg --out DIR` (see the newsloom-export crate).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;
use clap::CommandFactory;
use indicatif::{ProgressBar, ProgressStyle};
use newsloom_export::gdelt::{self, geo::StoredGeo};
use newsloom_export::time::{now_secs, parse_since};
use newsloom_store::SqliteStore;

use crate::args::{Cli, ExportFormat};
use crate::output;

pub fn export(
    store: &SqliteStore,
    format: ExportFormat,
    out: Option<&Path>,
    with_raw: bool,
    since: Option<String>,
    every: Option<Duration>,
    json: bool,
) -> anyhow::Result<()> {
    if every.is_some() && format != ExportFormat::Gdelt {
        usage("--every needs --format gdelt");
    }
    match format {
        ExportFormat::Jsonl => jsonl(store, out, with_raw, since.as_deref()),
        ExportFormat::Parquet => parquet(store, out_dir(out), since, json),
        ExportFormat::Gdelt => match every {
            Some(interval) => gdelt_feed(store, out_dir(out), interval, since.is_some(), json),
            None => gdelt_once(store, out_dir(out), since.as_deref(), json),
        },
        ExportFormat::Gkg => gkg(store, out_dir(out), since.as_deref(), json),
    }
}

fn gkg(store: &SqliteStore, dir: &Path, since: Option<&str>, json: bool) -> anyhow::Result<()> {
    let table = newsloom_export::gkg::export(store, dir, since, now_secs())?;
    report_skipped([("gkg", &table)].into_iter());
    if json {
        return output::json(&table);
    }
    println!("{:>9} articles  {}", table.rows, dir.join(&table.file).display());
    Ok(())
}

/// A usage error: printed by clap, exit code 2.
fn usage(message: &str) -> ! {
    Cli::command().error(clap::error::ErrorKind::ArgumentConflict, message).exit()
}

fn out_dir(out: Option<&Path>) -> &Path {
    out.unwrap_or_else(|| usage("--format parquet, gdelt and gkg need --out DIR"))
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}").expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

pub fn jsonl(
    store: &SqliteStore,
    out: Option<&Path>,
    with_raw: bool,
    since: Option<&str>,
) -> anyhow::Result<()> {
    let sink: Box<dyn Write> = match out {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::new(sink);
    let mut seq = match since {
        Some(s) => store.seq_before_time(parse_since(s)?)?,
        None => 0,
    };
    let mut n = 0u64;
    loop {
        let rows = store.scan_articles(seq, 500, with_raw)?;
        let Some(last) = rows.last().map(|(s, _)| *s) else { break };
        for (_, article) in rows {
            let analysis = store.analysis(&article.id)?;
            let copy_of = store.copy_of(&article.id)?;
            let mut value = serde_json::to_value(&article)?;
            value["copy_of"] = serde_json::json!(copy_of);
            value["analysis"] = serde_json::to_value(&analysis)?;
            serde_json::to_writer(&mut w, &value)?;
            w.write_all(b"\n")?;
            n += 1;
        }
        seq = last;
    }
    w.flush()?;
    if let Some(path) = out {
        eprintln!("exported {n} articles to {}", path.display());
    }
    Ok(())
}

fn parquet(store: &SqliteStore, dir: &Path, since: Option<String>, json: bool) -> anyhow::Result<()> {
    let bar = spinner();
    let progress = |table: &str, rows: u64| bar.set_message(format!("{table}: {rows} rows"));
    let options =
        newsloom_export::parquet::ParquetOptions { since, progress: &progress, rows_per_group: None };
    let manifest = newsloom_export::parquet::export(store, dir, &options)?;
    bar.finish_and_clear();
    let rows: u64 = manifest.tables.values().map(|t| t.rows).sum();
    let rows_per_s = rows as f64 / manifest.elapsed_s.max(1e-9);
    let peak = output::peak_rss_mb();
    if json {
        let mut value = serde_json::to_value(&manifest)?;
        value["dir"] = serde_json::json!(dir);
        value["rows_per_s"] = serde_json::json!(rows_per_s);
        value["peak_rss_mb"] = serde_json::json!(peak);
        return output::json(&value);
    }
    for (name, t) in &manifest.tables {
        println!("{name:<9} {:>9} rows  {}", t.rows, dir.join(&t.file).display());
    }
    println!(
        "exported {rows} rows in {:.2}s ({rows_per_s:.0} rows/s, peak memory {:.0} MB); manifest in {}",
        manifest.elapsed_s,
        peak.unwrap_or(0.0),
        dir.join("manifest.json").display()
    );
    report_skipped(manifest.tables.iter().map(|(n, t)| (n.as_str(), t)));
    Ok(())
}

fn report_skipped<'a>(tables: impl Iterator<Item = (&'a str, &'a newsloom_export::TableCount)>) {
    for (name, t) in tables {
        if t.skipped > 0 {
            eprintln!("{name}: {} rows skipped (stored JSON unreadable); first errors:", t.skipped);
            for e in &t.errors {
                eprintln!("  {e}");
            }
        }
    }
}

fn gdelt_once(store: &SqliteStore, dir: &Path, since: Option<&str>, json: bool) -> anyhow::Result<()> {
    let bar = spinner();
    bar.set_message("writing GDELT events and mentions");
    let files = gdelt::export(store, dir, since, now_secs(), &StoredGeo)?;
    bar.finish_and_clear();
    report_skipped([("events", &files.events), ("mentions", &files.mentions)].into_iter());
    if json {
        return output::json(&files);
    }
    println!("{:>9} events    {}", files.events.rows, files.events_path(dir).display());
    println!("{:>9} mentions  {}", files.mentions.rows, files.mentions_path(dir).display());
    Ok(())
}

fn gdelt_feed(
    store: &SqliteStore,
    dir: &Path,
    interval: Duration,
    since_given: bool,
    json: bool,
) -> anyhow::Result<()> {
    if since_given {
        usage("--every continues from the mark kept in --out DIR; it takes no --since");
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("installing the signal handler")?;
    }
    eprintln!("writing a GDELT update to {} every {interval:?}; stop with Ctrl-C", dir.display());
    let (mut events, mut mentions, mut failures) = (0u64, 0u64, 0u64);
    let mut last = None;
    let written = gdelt::run_every(store, dir, interval, &stop, &StoredGeo, &mut |outcome| match outcome {
        Ok(o) => {
            events += o.files.events.rows;
            mentions += o.files.mentions.rows;
            eprintln!(
                "{}: {} events, {} mentions (articles up to #{})",
                o.files.stamp, o.files.events.rows, o.files.mentions.rows, o.files.high_water_seq
            );
            report_skipped([("events", &o.files.events), ("mentions", &o.files.mentions)].into_iter());
            last = Some(o.clone());
        }
        Err(e) => {
            failures += 1;
            eprintln!("error: update failed, retrying at the next interval: {e}");
        }
    });
    let summary = serde_json::json!({
        "updates": written, "failed": failures, "events": events, "mentions": mentions, "last": last,
    });
    if json {
        return output::json(&summary);
    }
    println!("stopped after {written} updates ({failures} failed): {events} events, {mentions} mentions");
    Ok(())
}
