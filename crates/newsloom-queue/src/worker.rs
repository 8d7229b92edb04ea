//! The stateless stage workers (extract, analyse, store) and the heartbeat every worker runs.
//!
//! A worker pulls a batch from its stage's durable consumer, processes it on blocking threads,
//! publishes the results and waits for JetStream's acks, and only then acks its inputs. Any
//! number of workers share a consumer; a killed worker's unacked messages come back to the
//! others after `ack_wait`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_nats::jetstream::{self, AckKind, consumer::PullConsumer};
use futures::StreamExt;
use newsloom_analyse::{Analyser, NewsAnalyser};
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_store::{NewArticle, Reject, StoreBackend};

use crate::{Envelope, Heartbeat, Item, Queue, Result, Stage, header_seq};

/// Counters a worker shares with its heartbeat task.
#[derive(Default)]
pub struct WorkerState {
    pub processed: AtomicU64,
    pub leader: AtomicBool,
}

/// Publishes this worker's heartbeat every 2 s until the process ends. The bucket's entries
/// expire after 10 s, so a dead worker disappears from `cluster-status` on its own.
pub fn spawn_heartbeat(queue: &Queue, stage: Stage, state: Arc<WorkerState>) {
    let js = queue.js.clone();
    tokio::spawn(async move {
        let Ok(kv) = js.get_key_value(crate::BUCKET_WORKERS).await else { return };
        let host = crate::host_name();
        let pid = std::process::id();
        let key = format!("{}.{host}-{pid}", stage.name());
        loop {
            let beat = Heartbeat {
                stage,
                pid,
                host: host.clone(),
                processed: state.processed.load(Ordering::Relaxed),
                leader: state.leader.load(Ordering::Relaxed),
            };
            if let Ok(body) = serde_json::to_vec(&beat) {
                let _ = kv.put(&key, body.into()).await;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    });
}

pub(crate) async fn consumer(queue: &Queue, stage: Stage) -> Result<PullConsumer> {
    let stream = queue.stream().await?;
    stream.get_consumer(stage.consumer()).await
}

/// One fetched message, decoded or not.
pub(crate) struct Fetched {
    pub msg: jetstream::Message,
    pub decoded: std::result::Result<Envelope, String>,
    pub seq: Option<u64>,
    pub deliveries: i64,
}

/// Pulls up to `max` messages that are there now; when there are none, waits 50 ms first
/// (so an idle worker polls 20 times a second instead of spinning).
pub(crate) async fn fetch(consumer: &PullConsumer, max: usize) -> Result<Vec<Fetched>> {
    let mut batch = consumer.fetch().max_messages(max).messages().await?;
    let mut out = Vec::new();
    while let Some(msg) = batch.next().await {
        let msg = msg?;
        let deliveries = msg.info().map(|i| i.delivered).unwrap_or(1);
        let seq = header_seq(msg.headers.as_ref());
        let decoded =
            serde_json::from_slice::<Envelope>(&msg.payload).map_err(|e| format!("undecodable message: {e}"));
        out.push(Fetched { msg, decoded, seq, deliveries });
    }
    if out.is_empty() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(out)
}

/// Runs a stateless stage until the process is killed.
pub async fn run_stateless(queue: Queue, stage: Stage, store_location: Option<String>) -> Result<()> {
    let state = Arc::new(WorkerState::default());
    let consumer = consumer(&queue, stage).await?;
    // Models (the gazetteer, the tagger) load before the first heartbeat: a worker counts as
    // alive once it can work.
    let processor = tokio::task::block_in_place(|| Processor::new(stage, store_location.as_deref()))?;
    let processor = Arc::new(processor);
    spawn_heartbeat(&queue, stage, state.clone());
    loop {
        let batch = fetch(&consumer, queue.config.batch).await?;
        if batch.is_empty() {
            continue;
        }
        let done = handle_batch(&queue, stage, &processor, batch).await?;
        state.processed.fetch_add(done, Ordering::Relaxed);
    }
}

/// What a stateless stage does to one item: `None` for the store, which publishes nothing.
pub(crate) struct Processor {
    stage: Stage,
    extractor: NewsExtractor,
    analyser: Box<dyn Analyser>,
    store: Option<std::sync::Mutex<Box<dyn StoreBackend>>>,
}

impl Processor {
    pub(crate) fn new(stage: Stage, store_location: Option<&str>) -> Result<Self> {
        let store = if stage == Stage::Store {
            let location =
                newsloom_store::Location::parse(store_location.ok_or("the store worker needs --db")?);
            Some(std::sync::Mutex::new(open_store_retrying(&location)?))
        } else {
            None
        };
        let analyser: Box<dyn Analyser> = if stage == Stage::Analyse {
            // The geo stage runs right after analysis, as in the one-process pipeline.
            Box::new(newsloom_geo::WithPlaces::new(NewsAnalyser::new()))
        } else {
            Box::new(NewsAnalyser::new())
        };
        // No per-source template learning: what a worker learns would depend on which
        // messages it happened to get, and extraction must not depend on the schedule.
        Ok(Self { stage, extractor: NewsExtractor::without_learning(), analyser, store })
    }

    pub(crate) fn transform(&self, env: Envelope) -> Envelope {
        let item = match (self.stage, env.item) {
            (Stage::Extract, Item::Raw { record }) => match self.extractor.extract(&record) {
                Ok(article) => Item::Extracted { article },
                Err(e) => Item::Rejected {
                    origin: record.origin,
                    kind: "no article".into(),
                    message: format!("no article extracted: {e}"),
                },
            },
            (Stage::Analyse, Item::Extracted { article }) => {
                let analysis = self.analyser.analyse(&article);
                Item::Analysed { article, analysis }
            }
            // Rejections and duplicates pass through; anything else is in the wrong place.
            (_, item @ (Item::Rejected { .. } | Item::Duplicate { .. })) => item,
            (stage, other) => Item::Rejected {
                origin: other.article_id().to_string(),
                kind: "misrouted".into(),
                message: format!("{} stage got an item it does not take", stage.name()),
            },
        };
        Envelope { seq: env.seq, item }
    }
}

fn open_store_retrying(location: &newsloom_store::Location) -> Result<Box<dyn StoreBackend>> {
    // Several store workers start together; an embedded store's first open creates the schema
    // and the others may find it locked for a moment.
    let mut last = None;
    for attempt in 0..20 {
        match newsloom_pipeline::open_store(location) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
        std::thread::sleep(Duration::from_millis(100 * (attempt + 1)));
    }
    Err(last.map(|e| e.to_string()).unwrap_or_default().into())
}

/// Processes one batch; returns how many messages were acked.
async fn handle_batch(
    queue: &Queue,
    stage: Stage,
    processor: &Arc<Processor>,
    batch: Vec<Fetched>,
) -> Result<u64> {
    let mut good = Vec::new();
    for f in batch {
        match f.decoded {
            Ok(env) => good.push((f.msg, env, f.deliveries)),
            Err(reason) => poison(queue, stage, &f.msg, f.seq, &reason).await?,
        }
    }
    let n = good.len() as u64;
    if stage == Stage::Store {
        store_batch(processor, good).await?;
        return Ok(n);
    }
    let output = stage.output().expect("stateless stages other than store publish");
    let mut kept_alive = std::time::Instant::now();
    let mut good = std::collections::VecDeque::from(good);
    while let Some((msg, env, deliveries)) = good.pop_front() {
        let seq = env.seq;
        // A batch can take longer than `ack_wait` on a busy machine: tell JetStream the rest
        // are in hand, or they would be redelivered to another worker meanwhile.
        if kept_alive.elapsed() > queue.config.ack_wait / 3 {
            for (m, _, _) in &good {
                m.ack_with(AckKind::Progress).await?;
            }
            kept_alive = std::time::Instant::now();
        }
        if deliveries >= queue.config.max_deliver {
            // Every earlier delivery ended without an ack (the worker died or hung on it):
            // treat it as a poison pill rather than let it take down one more worker.
            poison(queue, stage, &msg, Some(seq), &format!("not acked after {} deliveries", deliveries - 1))
                .await?;
            continue;
        }
        let p = processor.clone();
        // CPU-bound work on the blocking pool; a panic is this message's failure, not the
        // worker's.
        match tokio::task::spawn_blocking(move || p.transform(env)).await {
            Ok(out) => {
                queue.publish(output, stage.name(), &out).await?;
                msg.ack().await?;
            }
            Err(e) if deliveries + 1 >= queue.config.max_deliver => {
                poison(queue, stage, &msg, Some(seq), &format!("failed {deliveries} times: {e}")).await?;
            }
            Err(_) => msg.ack_with(AckKind::Nak(Some(Duration::from_secs(1)))).await?,
        }
    }
    Ok(n)
}

/// Dead-letters a message and terminates its delivery. If its sequence number is known, a
/// rejection goes on in its place, so the sequence the cluster stage follows has no hole.
async fn poison(
    queue: &Queue,
    stage: Stage,
    msg: &jetstream::Message,
    seq: Option<u64>,
    reason: &str,
) -> Result<()> {
    tracing::warn!(stage = stage.name(), ?seq, reason, "dead-lettering a message");
    queue.dead_letter(stage, reason, seq, &msg.payload).await?;
    if let (Some(seq), Some(output)) = (seq, stage.output()) {
        let item = Item::Rejected {
            origin: format!("seq {seq}"),
            kind: "dead letter".into(),
            message: reason.into(),
        };
        queue.publish(output, stage.name(), &Envelope { seq, item }).await?;
    }
    msg.ack_with(AckKind::Term).await?;
    Ok(())
}

/// Writes a batch of decided articles in one store transaction, then acks them. The write is
/// idempotent by article id, so a batch redelivered after a crash stores nothing twice.
async fn store_batch(
    processor: &Arc<Processor>,
    good: Vec<(jetstream::Message, Envelope, i64)>,
) -> Result<()> {
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for (_, env, _) in &good {
        match &env.item {
            Item::Clustered { article, analysis, copy_of, merges } => articles.push(NewArticle {
                article: article.clone(),
                analysis: analysis.clone(),
                copy_of: copy_of.clone(),
                merges: merges.clone(),
                encoded: None,
            }),
            Item::Rejected { origin, kind, message } => {
                rejects.push(Reject { origin: origin.clone(), kind: kind.clone(), message: message.clone() })
            }
            _ => {}
        }
    }
    let p = processor.clone();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let mut store = p.store.as_ref().expect("store worker").lock().map_err(|_| "store lock poisoned")?;
        store.insert_batch(&articles, &rejects)?;
        Ok(())
    })
    .await??;
    for (msg, _, _) in good {
        msg.ack().await?;
    }
    Ok(())
}
