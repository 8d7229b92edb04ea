//! `newsloom worker STAGE`, `newsloom ingest --to nats://…`, `newsloom cluster-status` and
//! `newsloom bench queue`: the pipeline's stages over NATS JetStream (see docs/scale-out.md).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use newsloom_ingest::{IngestItem, Limits, Reader};
use newsloom_queue::{Queue, QueueConfig, Stage};

use crate::args::{IngestArgs, WorkerStage};
use crate::output;

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

async fn connect(url: &str) -> anyhow::Result<Queue> {
    Queue::connect(QueueConfig::new(url)).await.map_err(|e| anyhow!("connecting to NATS at {url}: {e}"))
}

pub fn worker(stage: WorkerStage, url: &str, db: &newsloom_store::Location) -> anyhow::Result<()> {
    let stage = match stage {
        WorkerStage::Extract => Stage::Extract,
        WorkerStage::Analyse => Stage::Analyse,
        WorkerStage::Cluster => Stage::Cluster,
        WorkerStage::Store => Stage::Store,
    };
    let location = match db {
        newsloom_store::Location::Dir(d) => d.to_string_lossy().into_owned(),
        newsloom_store::Location::Postgres(url) => url.clone(),
    };
    runtime()?.block_on(async {
        let queue = connect(url).await?;
        let result = match stage {
            Stage::Cluster => {
                // The writer lease lives in the store when the store is shared (PostgreSQL).
                let postgres = match db {
                    newsloom_store::Location::Postgres(url) => Some(url.as_str()),
                    newsloom_store::Location::Dir(_) => None,
                };
                match newsloom_queue::cluster::LeaseStore::open(&queue, postgres).await {
                    Ok(lease) => newsloom_queue::cluster::run_cluster(queue, lease).await,
                    Err(e) => Err(e),
                }
            }
            _ => newsloom_queue::worker::run_stateless(queue, stage, Some(location)).await,
        };
        result.map_err(|e| anyhow!("{} worker: {e}", stage.name()))
    })
}

/// `ingest --to`: reads the inputs as `ingest` does and publishes them.
pub fn publish(args: &IngestArgs, json: bool) -> anyhow::Result<()> {
    let url = args.to.as_deref().expect("--to given");
    let limits = Limits { max_item_bytes: args.max_item_mb.max(1) << 20 };
    let source = args.source.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let items =
        Reader::with_limits(args.paths.clone(), limits).map(move |item| match (item, source.as_deref()) {
            (IngestItem::Record(mut raw), Some(name)) if raw.meta_str("source").is_none() => {
                raw.meta.insert("source".into(), name.into());
                IngestItem::Record(raw)
            }
            (item, _) => item,
        });
    let summary = runtime()?.block_on(async {
        let queue = connect(url).await?;
        newsloom_queue::publish::publish_items(&queue, items).await.map_err(|e| anyhow!("publishing: {e}"))
    })?;
    if json {
        return output::json(&summary);
    }
    println!(
        "published {} items (sequence {}..={}, {} rejected by the reader) to {url} in {:.2}s",
        summary.published, summary.first_seq, summary.last_seq, summary.rejected, summary.elapsed_s
    );
    Ok(())
}

/// `follow --to`: a publisher that hands each batch of followed items to JetStream.
pub async fn publisher(url: &str) -> anyhow::Result<newsloom_follow::Publisher> {
    let queue = connect(url).await?;
    Ok(std::sync::Arc::new(move |items: Vec<newsloom_ingest::IngestItem>| {
        let queue = queue.clone();
        Box::pin(async move {
            newsloom_queue::publish::publish_items(&queue, items.into_iter())
                .await
                .map(|_| ())
                .map_err(|e| format!("publishing to NATS: {e}"))
        }) as std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>
    }))
}

pub fn cluster_status(url: &str, interval_ms: u64, json: bool) -> anyhow::Result<()> {
    let status = runtime()?.block_on(async {
        let queue = connect(url).await?;
        newsloom_queue::status::status(&queue, Duration::from_millis(interval_ms))
            .await
            .map_err(|e| anyhow!("reading the status: {e}"))
    })?;
    if json {
        return output::json(&status);
    }
    print!("{}", status.render());
    Ok(())
}

/// Worker processes of this binary, killed when dropped.
struct Workers(Vec<Child>);

impl Drop for Workers {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// `bench queue`: for each worker count, a fresh nats-server and store, that many worker
/// processes per stage, then N generated articles published and timed until stored.
pub fn bench_queue(articles: u64, counts: &[usize], hops: u64, json: bool) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let rt = runtime()?;
    let mut runs = Vec::new();
    let mut hop_us = 0.0;
    for &n in counts {
        let nats = newsloom_queue::testing::TempNats::start().context("nats-server is needed")?;
        let tmp = tempfile::tempdir()?;
        let db = tmp.path().join("db");
        let corpus = tmp.path().join("corpus.jsonl");
        std::fs::write(
            &corpus,
            (0..articles).map(|i| newsloom_pipeline::synth::article_jsonl(i, 42) + "\n").collect::<String>(),
        )?;
        // The schema once, before the store workers start.
        drop(newsloom_store::SqliteStore::open(&db)?);
        let queue = rt.block_on(connect(&nats.url()))?;
        if hop_us == 0.0 {
            hop_us = rt
                .block_on(newsloom_queue::status::hop_round_trip_us(&queue, hops))
                .map_err(|e| anyhow!("{e}"))?;
        }
        let mut workers = Workers(Vec::new());
        for stage in Stage::ALL {
            for _ in 0..n {
                workers.0.push(
                    Command::new(&exe)
                        .args(["--db"])
                        .arg(&db)
                        .args(["worker", stage.name(), "--nats", &nats.url()])
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()?,
                );
            }
        }
        // Time the pipeline, not the workers' start-up: wait until every worker is ready.
        rt.block_on(newsloom_queue::status::wait_for_workers(&queue, 4 * n, Duration::from_secs(120)))
            .map_err(|e| anyhow!("{e}"))?;
        let started = Instant::now();
        let items = Reader::new(vec![corpus]);
        rt.block_on(newsloom_queue::publish::publish_items(&queue, items)).map_err(|e| anyhow!("{e}"))?;
        rt.block_on(newsloom_queue::status::wait_drained(&queue, articles, Duration::from_secs(3600)))
            .map_err(|e| anyhow!("{e}"))?;
        let secs = started.elapsed().as_secs_f64();
        drop(workers);
        runs.push(serde_json::json!({
            "workers_per_stage": n,
            "articles": articles,
            "elapsed_s": secs,
            "articles_per_s": articles as f64 / secs,
        }));
        if !json {
            println!(
                "{n} worker(s) per stage: {articles} articles in {secs:.1}s, {:.0} articles/s",
                articles as f64 / secs
            );
        }
    }
    if json {
        return output::json(&serde_json::json!({ "runs": runs, "hop_round_trip_us": hop_us }));
    }
    println!("queue hop (publish + pull + ack, one at a time): {hop_us:.0} µs");
    Ok(())
}
