//! The pipeline's stages as NATS JetStream workers.
//!
//! One stream, [`STREAM`], carries every hop between stages on its own subject:
//!
//! ```text
//! ingest --to ─▶ newsloom.raw ─▶ extract ─▶ newsloom.extracted ─▶ analyse ─▶ newsloom.analysed
//!   ─▶ cluster (one active writer) ─▶ newsloom.clustered ─▶ store ─▶ PostgreSQL / SQLite
//!                                      poison messages ─▶ newsloom.dead
//! ```
//!
//! Each stage has one durable pull consumer with explicit acks that any number of worker
//! processes share. A worker acks its input only after JetStream has acknowledged what it
//! published for it, so a crash anywhere leaves the input unacked and it is redelivered.
//! Redelivery is harmless: publications carry a `Nats-Msg-Id` (stage, ingest sequence and
//! article id) that JetStream de-duplicates, the cluster stage skips sequence numbers it has
//! already decided, and the store writes batches idempotently by article id.
//!
//! Every message carries the ingest sequence number given by the publisher (dense: 1, 2, 3,
//! …). The cluster stage decides stories strictly in that order, so the outcome does not
//! depend on how the parallel stages before it interleave. See `docs/scale-out.md`.

pub mod cluster;
pub mod publish;
pub mod status;
pub mod testing;
pub mod worker;

use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::jetstream::{self, consumer, stream};
use newsloom_model::{Analysis, Article, RawRecord};
use serde::{Deserialize, Serialize};

/// The stream holding every stage's subjects.
pub const STREAM: &str = "NEWSLOOM";
pub const SUBJECT_RAW: &str = "newsloom.raw";
pub const SUBJECT_EXTRACTED: &str = "newsloom.extracted";
pub const SUBJECT_ANALYSED: &str = "newsloom.analysed";
/// Also the cluster stage's decision log: one message per ingest sequence number, appended
/// with optimistic concurrency (see [`cluster`]).
pub const SUBJECT_CLUSTERED: &str = "newsloom.clustered";
pub const SUBJECT_DEAD: &str = "newsloom.dead";
/// Key-value bucket of worker heartbeats (`stage.host-pid` → [`Heartbeat`]), entries expire.
pub const BUCKET_WORKERS: &str = "newsloom_workers";
/// Key-value bucket holding the cluster writer's lease.
pub const BUCKET_LEASE: &str = "newsloom_lease";

/// Headers set on every message, so a body that does not decode can still be traced.
pub const HDR_SEQ: &str = "Newsloom-Seq";
pub const HDR_STAGE: &str = "Newsloom-Stage";
pub const HDR_REASON: &str = "Newsloom-Reason";

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// A pipeline stage that runs as a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Extract,
    Analyse,
    Cluster,
    Store,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Extract, Stage::Analyse, Stage::Cluster, Stage::Store];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Extract => "extract",
            Stage::Analyse => "analyse",
            Stage::Cluster => "cluster",
            Stage::Store => "store",
        }
    }

    /// The subject this stage consumes.
    pub fn input(self) -> &'static str {
        match self {
            Stage::Extract => SUBJECT_RAW,
            Stage::Analyse => SUBJECT_EXTRACTED,
            Stage::Cluster => SUBJECT_ANALYSED,
            Stage::Store => SUBJECT_CLUSTERED,
        }
    }

    /// The subject this stage publishes to (the store publishes nothing).
    pub fn output(self) -> Option<&'static str> {
        match self {
            Stage::Extract => Some(SUBJECT_EXTRACTED),
            Stage::Analyse => Some(SUBJECT_ANALYSED),
            Stage::Cluster => Some(SUBJECT_CLUSTERED),
            Stage::Store => None,
        }
    }

    /// The durable consumer's name.
    pub fn consumer(self) -> &'static str {
        self.name()
    }
}

impl std::str::FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Stage::ALL.into_iter().find(|st| st.name() == s).ok_or_else(|| format!("unknown stage {s}"))
    }
}

/// One item on its way through the stages, with its ingest sequence number.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    pub seq: u64,
    pub item: Item,
}

/// What an item is after the last stage it went through. `Rejected` and `Duplicate` pass
/// through the later stages unchanged, so every sequence number reaches the cluster stage
/// (which needs them dense) and the store (which records rejects).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Item {
    Raw {
        record: RawRecord,
    },
    Extracted {
        article: Article,
    },
    Analysed {
        article: Article,
        analysis: Analysis,
    },
    /// `article.story` is the story decided; `merges` are `(absorbed, into)` pairs.
    Clustered {
        article: Article,
        analysis: Analysis,
        copy_of: Option<String>,
        merges: Vec<(String, String)>,
    },
    /// An article id already decided under an earlier sequence number (the same content
    /// ingested twice): skipped, not assigned twice.
    Duplicate {
        id: String,
    },
    Rejected {
        origin: String,
        kind: String,
        message: String,
    },
}

impl Item {
    /// The article id, where there is one (for message ids and logs).
    pub fn article_id(&self) -> &str {
        match self {
            Item::Raw { record } => &record.id,
            Item::Extracted { article }
            | Item::Analysed { article, .. }
            | Item::Clustered { article, .. } => &article.id,
            Item::Duplicate { id } => id,
            Item::Rejected { .. } => "",
        }
    }
}

/// Connection and consumer settings shared by every worker and the publisher.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    pub url: String,
    /// How long a delivered message may stay unacked before JetStream redelivers it: the
    /// time a dead worker's messages take to reach another worker.
    pub ack_wait: Duration,
    /// Deliveries before a message of a stateless stage is declared poison.
    pub max_deliver: i64,
    /// Expiry of the cluster writer's lease when its holder stops renewing it.
    pub lease_ttl: Duration,
    /// Messages fetched per pull.
    pub batch: usize,
}

impl QueueConfig {
    /// Defaults, overridable by `NEWSLOOM_ACK_WAIT_SECS`, `NEWSLOOM_MAX_DELIVER`,
    /// `NEWSLOOM_LEASE_SECS`, `NEWSLOOM_BATCH` (tests shorten them so takeovers are quick).
    pub fn new(url: &str) -> Self {
        let env = |k: &str, d: u64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
        Self {
            url: url.to_string(),
            ack_wait: Duration::from_secs(env("NEWSLOOM_ACK_WAIT_SECS", 30)),
            max_deliver: env("NEWSLOOM_MAX_DELIVER", 5) as i64,
            lease_ttl: Duration::from_secs(env("NEWSLOOM_LEASE_SECS", 10)),
            // Small: a batch is processed one message after another, and a crash sends the
            // whole batch to another worker after `ack_wait`.
            batch: env("NEWSLOOM_BATCH", 16) as usize,
        }
    }
}

/// A connection with the stream and buckets in place.
#[derive(Clone)]
pub struct Queue {
    pub client: async_nats::Client,
    pub js: jetstream::Context,
    pub config: QueueConfig,
}

impl Queue {
    /// Connects and creates the stream, consumers and buckets if they are missing (every
    /// worker does this at start, so there is no separate setup step; creation is idempotent).
    pub async fn connect(config: QueueConfig) -> Result<Queue> {
        let client = async_nats::ConnectOptions::new()
            .name(format!("newsloom-{}", std::process::id()))
            .connect(&config.url)
            .await?;
        let js = jetstream::new(client.clone());
        let queue = Queue { client, js, config };
        queue.ensure_topology().await?;
        Ok(queue)
    }

    async fn ensure_topology(&self) -> Result<()> {
        self.js
            .get_or_create_stream(stream::Config {
                name: STREAM.into(),
                subjects: vec![
                    SUBJECT_RAW.into(),
                    SUBJECT_EXTRACTED.into(),
                    SUBJECT_ANALYSED.into(),
                    SUBJECT_CLUSTERED.into(),
                    SUBJECT_DEAD.into(),
                ],
                // Limits retention: messages stay after they are acked, because the clustered
                // subject is the cluster stage's decision log and a stage's input is the
                // evidence for what it did. Operators bound it by age (see the docs).
                retention: stream::RetentionPolicy::Limits,
                storage: stream::StorageType::File,
                // Publisher retries within this window are dropped by message id.
                duplicate_window: Duration::from_secs(600),
                ..Default::default()
            })
            .await
            .map_err(|e| format!("creating the stream {STREAM}: {e}"))?;
        let stream =
            self.js.get_stream(STREAM).await.map_err(|e| format!("getting the stream {STREAM}: {e}"))?;
        for stage in Stage::ALL {
            let cluster = stage == Stage::Cluster;
            stream
                .get_or_create_consumer(
                    stage.consumer(),
                    consumer::pull::Config {
                        durable_name: Some(stage.consumer().into()),
                        filter_subject: stage.input().into(),
                        ack_policy: consumer::AckPolicy::Explicit,
                        ack_wait: self.config.ack_wait,
                        // The cluster stage never gives a message up: dropping one would leave
                        // a hole in the sequence it decides in. Its messages are redelivered
                        // only after its worker dies, so the bound is for runaway loops.
                        max_deliver: if cluster { 1000 } else { self.config.max_deliver },
                        // The cluster writer holds out-of-order arrivals unacked until their
                        // turn: its window is this many messages.
                        max_ack_pending: if cluster { 50_000 } else { 5_000 },
                        ..Default::default()
                    },
                )
                .await
                .map_err(|e| format!("creating the consumer {}: {e}", stage.consumer()))?;
        }
        for (bucket, ttl) in
            [(BUCKET_WORKERS, Duration::from_secs(10)), (BUCKET_LEASE, self.config.lease_ttl)]
        {
            // The bucket's backing stream, made here as `create_key_value` would make it: that
            // call first queries the account, whose reply from Debian's nats-server 2.9 this
            // client cannot parse. The stream layout is the documented KV layout.
            self.js
                .get_or_create_stream(stream::Config {
                    name: format!("KV_{bucket}"),
                    subjects: vec![format!("$KV.{bucket}.>")],
                    max_messages_per_subject: 1,
                    max_age: ttl,
                    allow_rollup: true,
                    deny_delete: true,
                    allow_direct: true,
                    discard: stream::DiscardPolicy::New,
                    ..Default::default()
                })
                .await
                .map_err(|e| format!("creating the bucket {bucket}: {e}"))?;
        }
        Ok(())
    }

    /// Publishes `env` to `subject` and waits for JetStream to store it. The message id makes
    /// a retry (after a crash before the input's ack) a no-op within the duplicate window.
    pub async fn publish(
        &self,
        subject: &str,
        stage: &str,
        env: &Envelope,
    ) -> Result<jetstream::publish::PublishAck> {
        Ok(self.send(subject, stage, env).await?.await?)
    }

    /// Hands `env` to the connection and returns the future of JetStream's ack: messages sent
    /// one after another on a connection are stored in that order.
    pub async fn send(
        &self,
        subject: &str,
        stage: &str,
        env: &Envelope,
    ) -> Result<jetstream::context::PublishAckFuture> {
        let body = serde_json::to_vec(env)?;
        let msg_id = format!("{stage}:{}:{}", env.seq, env.item.article_id());
        Ok(self
            .js
            .send_publish(
                subject.to_string(),
                jetstream::message::PublishMessage::build()
                    .payload(body.into())
                    .message_id(msg_id)
                    .header(HDR_SEQ, env.seq.to_string().as_str())
                    .header(HDR_STAGE, stage),
            )
            .await?)
    }

    /// Sends a message that a stage cannot process to the dead-letter subject, with the stage
    /// and the reason in headers and the original body unchanged.
    pub async fn dead_letter(&self, stage: Stage, reason: &str, seq: Option<u64>, body: &[u8]) -> Result<()> {
        let mut headers = HeaderMap::new();
        headers.insert(HDR_STAGE, stage.name());
        // Headers are one line: keep the reason on one.
        headers.insert(HDR_REASON, reason.replace(['\r', '\n'], " ").as_str());
        if let Some(seq) = seq {
            headers.insert(HDR_SEQ, seq.to_string().as_str());
        }
        self.js.publish_with_headers(SUBJECT_DEAD, headers, body.to_vec().into()).await?.await?;
        Ok(())
    }

    pub async fn stream(&self) -> Result<jetstream::stream::Stream> {
        Ok(self.js.get_stream(STREAM).await?)
    }
}

/// The ingest sequence number in a message's headers, if present and well-formed.
pub fn header_seq(headers: Option<&HeaderMap>) -> Option<u64> {
    headers?.get(HDR_SEQ)?.as_str().parse().ok()
}

/// Worker heartbeat, refreshed every few seconds in [`BUCKET_WORKERS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Heartbeat {
    pub stage: Stage,
    pub pid: u32,
    pub host: String,
    /// Messages this worker has finished (acked).
    pub processed: u64,
    /// For the cluster stage: whether this worker holds the writer lease.
    #[serde(default)]
    pub leader: bool,
}

pub(crate) fn host_name() -> String {
    let raw = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_else(|_| "host".into());
    // KV keys allow letters, digits and `-_=/.`; a dot would split the key's levels.
    raw.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}
