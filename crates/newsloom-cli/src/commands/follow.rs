//! `newsloom follow`, `newsloom sources` and `serve --follow`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use newsloom_fetch::{FetchConfig, Fetcher};
use newsloom_follow::{FollowOptions, FollowSummary, Follower, PollReport, Writer, format_time};
use newsloom_store::SqliteStore;

use crate::args::FollowArgs;
use crate::output;

fn options(args: &FollowArgs) -> anyhow::Result<FollowOptions> {
    Ok(FollowOptions {
        once: args.once,
        poll: args
            .poll
            .as_deref()
            .map(newsloom_follow::parse_interval)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        max_item_attempts: args.max_attempts.max(1),
        batch_size: args.batch_size.max(1),
        ..Default::default()
    })
}

fn fetcher(max_page_mb: u64, host_delay: &str) -> anyhow::Result<Fetcher> {
    let per_host_delay = match host_delay.trim() {
        "0" => Duration::ZERO,
        d => humantime::parse_duration(d).with_context(|| format!("invalid --host-delay {d:?}"))?,
    };
    let config =
        FetchConfig { max_body_bytes: max_page_mb.max(1) << 20, per_host_delay, ..Default::default() };
    Fetcher::new(config).map_err(|e| anyhow::anyhow!("cannot start the HTTP client: {e}"))
}

/// A spinner with running totals; each poll's line is printed above it (also when stderr is
/// not a terminal and the spinner is hidden).
struct PollLog {
    bar: ProgressBar,
    totals: std::sync::Mutex<FollowSummary>,
}

impl PollLog {
    fn new() -> Arc<Self> {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}").expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Arc::new(Self { bar, totals: Default::default() })
    }

    fn poll(&self, report: &PollReport) {
        self.bar.suspend(|| {
            eprintln!("{}", report.line());
            for e in &report.errors {
                eprintln!("  {e}");
            }
        });
        if let Ok(mut t) = self.totals.lock() {
            t.add(report);
            self.bar.set_message(format!(
                "{} polls, {} stored, {} page errors, {} feed errors",
                t.polls, t.stored, t.item_errors, t.poll_errors
            ));
        }
    }
}

pub fn follow(db: &Path, args: &FollowArgs, json: bool) -> anyhow::Result<()> {
    let specs = newsloom_follow::sources::load(&args.sources)?;
    let opts = options(args)?;
    let fetcher = fetcher(args.max_page_mb, &args.host_delay)?;
    let mut writer = Writer::open(db)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("opening the store in {}", db.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    if let Some(url) = &args.to {
        writer = writer.publishing_to(runtime.block_on(crate::commands::worker::publisher(url))?);
    }
    let log = PollLog::new();
    let once = opts.once;
    let summary = runtime.block_on(async {
        let stop = newsloom_follow::stop_on_signals();
        let follower = Follower::new(fetcher, writer, specs, opts);
        let log = log.clone();
        follower.run(stop, move |r| log.poll(r)).await
    });
    log.bar.finish_and_clear();
    if json {
        output::json(&summary)?;
    } else {
        print_summary(&summary, db);
    }
    if once && summary.store_errors > 0 {
        anyhow::bail!(
            "{} poll(s) could not write to the store (read-only or full?); their items were not recorded as \
             seen and will be fetched again by the next run",
            summary.store_errors
        );
    }
    Ok(())
}

fn print_summary(s: &FollowSummary, db: &Path) {
    println!(
        "{} sources, {} polls ({} not modified, {} failed{}): {} new items, {} stored, {} duplicates, \
         {} page errors ({} given up, {} from feed content), {} without article, in {:.1}s{}",
        s.sources,
        s.polls,
        s.not_modified,
        s.poll_errors,
        if s.skipped_backing_off > 0 {
            format!(", {} skipped while backing off", s.skipped_backing_off)
        } else {
            String::new()
        },
        s.new_items,
        s.stored,
        s.duplicates,
        s.item_errors,
        s.given_up,
        s.from_feed_content,
        s.rejected,
        s.elapsed_s,
        if s.interrupted { " (stopped by signal)" } else { "" }
    );
    for (kind, n) in &s.item_errors_by_kind {
        println!("  page errors {n}: {kind}");
    }
    for e in &s.errors {
        eprintln!("  {e}");
    }
    if s.published > 0 {
        println!("{} items published to the queue; follow state: {}", s.published, db.display());
    } else {
        println!("store: {}", db.display());
    }
}

pub fn sources(store: &SqliteStore, json: bool) -> anyhow::Result<()> {
    let sources = store.follow_sources()?;
    if json {
        return output::json(&serde_json::json!({ "sources": sources }));
    }
    if sources.is_empty() {
        println!("no sources followed yet (`newsloom follow SOURCES`)");
        return Ok(());
    }
    println!(
        "{:<50} {:<13} {:<20} {:>6} {:>7} {:<20} last error",
        "source", "kind", "last poll", "items", "errors", "next poll"
    );
    for s in &sources {
        let when = |t: Option<i64>| t.map(format_time).unwrap_or_else(|| "-".into());
        let mut url = output::clip(&s.url, 50);
        if s.parent.is_some() {
            url = output::clip(&format!("  {}", s.url), 50);
        }
        let kind = if s.gone { "GONE".to_string() } else { s.kind.clone().unwrap_or_else(|| "-".into()) };
        println!(
            "{url:<50} {kind:<13} {:<20} {:>6} {:>7} {:<20} {}",
            when(s.last_poll),
            s.items,
            format!("{}/{}", s.consecutive_errors, s.errors),
            when(s.next_poll),
            output::clip(output::or_dash(s.last_error.as_deref()), 60)
        );
    }
    println!("(errors: in a row / total; item errors are per page)");
    Ok(())
}

pub fn serve_following(
    config: newsloom_server::ServerConfig,
    sources_file: &Path,
    poll: Option<&str>,
    host_delay: &str,
) -> anyhow::Result<()> {
    let specs = newsloom_follow::sources::load(sources_file)?;
    let opts = FollowOptions {
        poll: poll.map(newsloom_follow::parse_interval).transpose().map_err(anyhow::Error::msg)?,
        ..Default::default()
    };
    let following = newsloom_server::Following { fetcher: fetcher(16, host_delay)?, specs, opts };
    newsloom_server::serve_following(config, following).map_err(anyhow::Error::msg)
}
