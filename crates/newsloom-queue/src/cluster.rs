//! The cluster stage: one active writer deciding stories strictly in ingest order.
//!
//! A story decision depends on every decision before it, so the stage cannot be spread over
//! workers the way extraction is. Instead:
//!
//! - **Lease.** Any number of cluster workers run; the one holding the lease is the writer, the
//!   others wait, ready to take over. The lease lives in the store when the store is
//!   PostgreSQL (`newsloom_postgres::PgLease`: a row with a term, expiring by the database's
//!   clock), else in JetStream (a key in the [`crate::BUCKET_LEASE`] bucket, created only if
//!   absent and renewed with compare-and-set on its revision). Either way it expires
//!   `lease_ttl` after its holder stops renewing.
//! - **Decision log with fencing.** The writer appends each decision to
//!   [`crate::SUBJECT_CLUSTERED`] with `Nats-Expected-Last-Subject-Sequence` set to the last
//!   decision it knows of. If anyone else appended in between (a writer that lost its lease
//!   while paused, say), JetStream refuses the append and this writer rebuilds. So even two
//!   writers that both believe they hold the lease cannot both decide a sequence number: the
//!   log has exactly one decision per number, in order. The lease keeps writers from
//!   contending; the log's compare-and-set is what makes it safe.
//! - **Order.** Analyse workers finish out of order; the writer buffers arrivals (unacked,
//!   kept alive with in-progress acks) and decides sequence `n` only after `n - 1`.
//! - **Redelivery.** An input whose sequence number is already in the log is acked without a
//!   new decision: the recorded decision was already published (the log is the output).
//! - **Takeover.** A new writer replays the whole log through a fresh clusterer (the same
//!   `assign` calls in the same order), which rebuilds its state exactly, so story ids stay
//!   stable and it continues where the log ends.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, AckKind, consumer};
use futures::StreamExt;
use newsloom_cluster::{OnlineClusterer, StoryClusterer};
use newsloom_model::RawRecord;

use crate::worker::{WorkerState, consumer as stage_consumer, fetch, spawn_heartbeat};
use crate::{Envelope, HDR_SEQ, HDR_STAGE, Item, Queue, Result, SUBJECT_CLUSTERED, Stage};

const LEASE_KEY: &str = "cluster";

/// The clusterer and what it has decided: the state a writer rebuilds from the log.
pub struct Decider {
    clusterer: OnlineClusterer,
    decided_ids: HashSet<String>,
    /// The next ingest sequence number to decide.
    pub next_seq: u64,
}

impl Default for Decider {
    fn default() -> Self {
        Self::new()
    }
}

impl Decider {
    /// A fresh clusterer, warmed with the background corpus exactly as a fresh one-process
    /// store is, so every writer (and the reference) starts from the same state.
    pub fn new() -> Self {
        let mut clusterer = OnlineClusterer::new();
        for article in newsloom_pipeline::background_articles() {
            clusterer.warm(&article);
        }
        Self { clusterer, decided_ids: HashSet::new(), next_seq: 1 }
    }

    /// Decides the next item; `env.seq` must be [`Self::next_seq`].
    pub fn decide(&mut self, env: Envelope) -> Envelope {
        debug_assert_eq!(env.seq, self.next_seq);
        self.next_seq = env.seq + 1;
        let item = match env.item {
            Item::Analysed { article, .. } if self.decided_ids.contains(&article.id) => {
                Item::Duplicate { id: article.id }
            }
            Item::Analysed { mut article, analysis } => {
                let mut entities: Vec<String> = analysis.mentions.iter().map(|m| m.entity.clone()).collect();
                entities.sort();
                entities.dedup();
                let a = self.clusterer.assign(&article, &entities);
                self.decided_ids.insert(article.id.clone());
                article.story = Some(a.story);
                let merges = a.merges.into_iter().map(|m| (m.absorbed, m.into)).collect();
                Item::Clustered { article, analysis, copy_of: a.copy_of, merges }
            }
            item @ (Item::Rejected { .. } | Item::Duplicate { .. }) => item,
            other => Item::Rejected {
                origin: other.article_id().to_string(),
                kind: "misrouted".into(),
                message: "cluster stage got an item it does not take".into(),
            },
        };
        Envelope { seq: env.seq, item }
    }

    /// Re-applies a logged decision: the same `assign` call on the same input, so the state
    /// afterwards is what the writer that logged it had. Returns whether the decision came
    /// out the same (it does for a deterministic clusterer; a mismatch is logged).
    pub fn replay(&mut self, logged: &Envelope) -> bool {
        let input = match &logged.item {
            Item::Clustered { article, analysis, .. } => {
                let mut article = article.clone();
                article.story = None;
                Item::Analysed { article, analysis: analysis.clone() }
            }
            Item::Duplicate { id } => {
                // Only reached if the id was decided earlier in the log.
                debug_assert!(self.decided_ids.contains(id));
                self.next_seq = logged.seq + 1;
                return true;
            }
            other => other.clone(),
        };
        let again = self.decide(Envelope { seq: logged.seq, item: input });
        same_decision(&again.item, &logged.item)
    }
}

fn same_decision(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (
            Item::Clustered { article: x, copy_of: cx, merges: mx, .. },
            Item::Clustered { article: y, copy_of: cy, merges: my, .. },
        ) => x.story == y.story && cx == cy && mx == my,
        _ => true,
    }
}

/// The single-process reference: the same extraction, analysis and clusterer as the workers,
/// over `records` in input order (sequence numbers 1, 2, …), deciding sequentially. The
/// distributed run must log exactly these decisions.
pub fn reference(records: impl IntoIterator<Item = RawRecord>) -> Vec<Envelope> {
    let extract = crate::worker::Processor::new(Stage::Extract, None).expect("extractor");
    let analyse = crate::worker::Processor::new(Stage::Analyse, None).expect("analyser");
    let mut decider = Decider::new();
    records
        .into_iter()
        .zip(1..)
        .map(|(record, seq)| {
            let env = analyse.transform(extract.transform(Envelope { seq, item: Item::Raw { record } }));
            decider.decide(env)
        })
        .collect()
}

/// Reads the whole decision log, in order, with the stream sequence of its last entry (0 when
/// empty): the value the next append must expect.
pub async fn read_log(queue: &Queue) -> Result<(Vec<Envelope>, u64)> {
    let stream = queue.stream().await?;
    let last = match stream.get_last_raw_message_by_subject(SUBJECT_CLUSTERED).await {
        Ok(m) => m.sequence,
        Err(e) if e.kind() == jetstream::stream::LastRawMessageErrorKind::NoMessageFound => {
            return Ok((vec![], 0));
        }
        Err(e) => return Err(e.into()),
    };
    let ordered = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: SUBJECT_CLUSTERED.into(),
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await?;
    let mut messages = ordered.messages().await?;
    let mut log = Vec::new();
    while let Some(msg) = messages.next().await {
        let msg = msg?;
        let stream_seq = msg.info()?.stream_sequence;
        log.push(serde_json::from_slice::<Envelope>(&msg.payload)?);
        if stream_seq >= last {
            break;
        }
    }
    Ok((log, last))
}

/// Where the writer lease is kept.
#[derive(Clone)]
pub enum LeaseStore {
    /// In JetStream's key-value store (when the store is not shared, e.g. SQLite).
    Nats(Box<jetstream::kv::Store>),
    /// In the PostgreSQL store the decisions are written to.
    Postgres(Arc<std::sync::Mutex<newsloom_postgres::PgLease>>),
}

/// What renews a held lease: the KV revision (it changes on each renewal) or the PG term.
type Token = u64;

impl LeaseStore {
    /// The lease in PostgreSQL at `url` when given, else in JetStream.
    pub async fn open(queue: &Queue, postgres: Option<&str>) -> Result<Self> {
        match postgres {
            Some(url) => {
                let (url, ttl) = (url.to_string(), queue.config.lease_ttl);
                let lease = tokio::task::spawn_blocking(move || newsloom_postgres::PgLease::open(&url, ttl))
                    .await?
                    .map_err(|e| e.to_string())?;
                Ok(Self::Postgres(Arc::new(std::sync::Mutex::new(lease))))
            }
            None => Ok(Self::Nats(Box::new(queue.js.get_key_value(crate::BUCKET_LEASE).await?))),
        }
    }

    /// Runs a PostgreSQL lease call off the async threads (the sync client blocks).
    async fn pg<T: Send + 'static>(
        lease: &Arc<std::sync::Mutex<newsloom_postgres::PgLease>>,
        f: impl FnOnce(&mut newsloom_postgres::PgLease) -> newsloom_store::Result<T> + Send + 'static,
    ) -> Result<T> {
        let lease = lease.clone();
        let out = tokio::task::spawn_blocking(move || match lease.lock() {
            Ok(mut l) => f(&mut l).map_err(|e| e.to_string()),
            Err(_) => Err("the lease connection failed earlier".to_string()),
        })
        .await?;
        Ok(out?)
    }

    async fn try_acquire(&self, holder: &str) -> Result<Option<Token>> {
        match self {
            Self::Nats(kv) => Ok(kv.create(LEASE_KEY, holder.to_string().into()).await.ok()),
            Self::Postgres(lease) => {
                let holder = holder.to_string();
                let term = Self::pg(lease, move |l| l.try_acquire(LEASE_KEY, &holder)).await?;
                Ok(term.map(|t| t.0 as Token))
            }
        }
    }

    /// Extends the lease; `None` when it is no longer ours.
    async fn renew(&self, holder: &str, token: Token) -> Result<Option<Token>> {
        match self {
            Self::Nats(kv) => Ok(kv.update(LEASE_KEY, holder.to_string().into(), token).await.ok()),
            Self::Postgres(lease) => {
                let holder = holder.to_string();
                let term = newsloom_postgres::LeaseTerm(token as i64);
                let ours = Self::pg(lease, move |l| l.renew(LEASE_KEY, &holder, term)).await?;
                Ok(ours.then_some(token))
            }
        }
    }
}

/// Runs a cluster worker until the process is killed: waits for the lease, then writes.
pub async fn run_cluster(queue: Queue, lease: LeaseStore) -> Result<()> {
    let state = Arc::new(WorkerState::default());
    spawn_heartbeat(&queue, Stage::Cluster, state.clone());
    let holder = format!("{}-{}", crate::host_name(), std::process::id());
    loop {
        let token = match lease.try_acquire(&holder).await {
            Ok(Some(token)) => token,
            Ok(None) => {
                tokio::time::sleep(queue.config.lease_ttl / 4).await;
                continue;
            }
            Err(e) => {
                tracing::warn!("cannot reach the lease: {e}");
                tokio::time::sleep(queue.config.lease_ttl / 4).await;
                continue;
            }
        };
        tracing::info!(holder, "cluster lease taken");
        let lost = Arc::new(AtomicBool::new(false));
        let renewer =
            spawn_renewer(lease.clone(), holder.clone(), token, queue.config.lease_ttl, lost.clone());
        state.leader.store(true, Ordering::Relaxed);
        let outcome = lead(&queue, &state, &lost).await;
        state.leader.store(false, Ordering::Relaxed);
        renewer.abort();
        if let Err(e) = outcome {
            tracing::warn!("cluster writer stepped down: {e}");
        }
        // Whatever happened, the next attempt starts from the log.
        tokio::time::sleep(queue.config.lease_ttl / 4).await;
    }
}

/// Renews the lease every third of its lifetime; when a renewal fails (someone else holds it
/// now, or the lease store is unreachable for longer than the lease lasts) raises `lost`.
fn spawn_renewer(
    lease: LeaseStore,
    holder: String,
    mut token: Token,
    ttl: Duration,
    lost: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut renewed = Instant::now();
        loop {
            tokio::time::sleep(ttl / 3).await;
            match lease.renew(&holder, token).await {
                Ok(Some(t)) => {
                    token = t;
                    renewed = Instant::now();
                }
                Ok(None) => break,
                // Unreachable for a moment: try again while the lease may still be ours.
                Err(_) if renewed.elapsed() < ttl * 2 / 3 => continue,
                Err(_) => break,
            }
        }
        lost.store(true, Ordering::Relaxed);
    })
}

/// One term as the writer: rebuild from the log, then decide in order until the lease is lost
/// or an append is fenced off.
async fn lead(queue: &Queue, state: &WorkerState, lost: &AtomicBool) -> Result<()> {
    let (log, mut last) = read_log(queue).await?;
    // Replaying is CPU work: off the async threads, so the lease keeps being renewed.
    let decider = tokio::task::spawn_blocking(move || {
        let mut decider = Decider::new();
        let mismatches = log.iter().filter(|env| !decider.replay(env)).count();
        if mismatches > 0 {
            tracing::warn!(mismatches, "replaying the decision log gave different decisions");
        }
        decider
    })
    .await?;
    let mut decider = Some(decider);
    tracing::info!(next = decider.as_ref().map(|d| d.next_seq), "cluster writer rebuilt from the log");
    let consumer = stage_consumer(queue, Stage::Cluster).await?;
    let mut buffer: BTreeMap<u64, (Envelope, Vec<jetstream::Message>)> = BTreeMap::new();
    let mut kept_alive = Instant::now();
    loop {
        if lost.load(Ordering::Relaxed) {
            return Err("lease lost".into());
        }
        let next_seq = decider.as_ref().map(|d| d.next_seq).unwrap_or(1);
        // Pull generously: the writer is the stage's only consumer and reorders what it gets.
        for f in fetch(&consumer, 512).await? {
            let env = match (f.decoded, f.seq) {
                (Ok(env), _) => env,
                // An undecodable message with a known place in the sequence is decided as a
                // rejection, so the sequence goes on.
                (Err(reason), Some(seq)) if seq >= next_seq => {
                    queue.dead_letter(Stage::Cluster, &reason, Some(seq), &f.msg.payload).await?;
                    let item = Item::Rejected {
                        origin: format!("seq {seq}"),
                        kind: "dead letter".into(),
                        message: reason,
                    };
                    Envelope { seq, item }
                }
                (Err(reason), seq) => {
                    queue.dead_letter(Stage::Cluster, &reason, seq, &f.msg.payload).await?;
                    f.msg.ack_with(AckKind::Term).await?;
                    continue;
                }
            };
            if env.seq < next_seq {
                // Already decided and logged: a redelivery after a crash.
                f.msg.ack().await?;
                state.processed.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let slot = buffer.entry(env.seq).or_insert_with(|| (env, Vec::new()));
            slot.1.push(f.msg);
        }
        while let Some(next) = decider.as_ref().map(|d| d.next_seq) {
            let Some((env, msgs)) = buffer.remove(&next) else { break };
            let mut d = decider.take().expect("decider");
            let (d, out) = tokio::task::spawn_blocking(move || {
                let out = d.decide(env);
                (d, out)
            })
            .await?;
            decider = Some(d);
            let ack = append(queue, &out, last).await?;
            last = ack.sequence;
            for m in msgs {
                m.ack().await?;
            }
            state.processed.fetch_add(1, Ordering::Relaxed);
        }
        // Buffered messages wait for an earlier one: tell JetStream they are in hand, or it
        // would redeliver them after `ack_wait`.
        if kept_alive.elapsed() > queue.config.ack_wait / 3 {
            for (_, msgs) in buffer.values() {
                for m in msgs {
                    m.ack_with(AckKind::Progress).await?;
                }
            }
            kept_alive = Instant::now();
        }
    }
}

/// Appends a decision to the log, expecting `last` to be the log's current end.
async fn append(queue: &Queue, env: &Envelope, last: u64) -> Result<jetstream::publish::PublishAck> {
    let body = serde_json::to_vec(env)?;
    let ack = queue
        .js
        .send_publish(
            SUBJECT_CLUSTERED,
            jetstream::message::PublishMessage::build()
                .payload(body.into())
                .message_id(format!("cluster:{}:{}", env.seq, env.item.article_id()))
                .expected_last_subject_sequence(last)
                .header(HDR_SEQ, env.seq.to_string().as_str())
                .header(HDR_STAGE, "cluster"),
        )
        .await?
        .await
        .map_err(|e| format!("decision {} fenced off: {e}", env.seq))?;
    if ack.duplicate {
        // The log already has this decision: someone else wrote while we thought we led.
        return Err(format!("decision {} was already logged", env.seq).into());
    }
    Ok(ack)
}
