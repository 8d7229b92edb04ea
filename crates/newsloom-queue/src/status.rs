//! `newsloom cluster-status`: per stage, lag, messages in hand, redeliveries, dead letters,
//! throughput and the workers alive, from JetStream's own consumer state and the heartbeat
//! bucket.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use serde::Serialize;

use crate::{BUCKET_WORKERS, Heartbeat, Queue, Result, SUBJECT_CLUSTERED, SUBJECT_DEAD, Stage};

#[derive(Debug, Clone, Serialize)]
pub struct StageStatus {
    pub stage: Stage,
    /// Messages on the stage's subject not yet delivered to any worker (the lag).
    pub pending: u64,
    /// Delivered to a worker and not acked yet.
    pub ack_pending: u64,
    /// Messages delivered more than once (after a worker died or gave up on them).
    pub redelivered: u64,
    /// Messages acked so far (the consumer's ack floor).
    pub done: u64,
    /// Messages acked per second over the sampling interval.
    pub per_second: f64,
    /// Dead letters this stage sent.
    pub dead_letters: u64,
    /// Workers whose heartbeat is fresh (the bucket expires entries after 10 s).
    pub workers: Vec<Heartbeat>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterStatus {
    pub stages: Vec<StageStatus>,
    /// Decisions in the cluster stage's log.
    pub decisions: u64,
    pub dead_letters: u64,
    /// Reasons of the most recent dead letters, oldest first (at most 20).
    pub dead_reasons: Vec<String>,
    pub interval_s: f64,
}

/// Samples the consumers twice, `interval` apart, for the throughput.
pub async fn status(queue: &Queue, interval: Duration) -> Result<ClusterStatus> {
    let stream = queue.stream().await?;
    let first = ack_floors(queue).await?;
    let started = Instant::now();
    tokio::time::sleep(interval).await;
    let elapsed = started.elapsed().as_secs_f64();

    let (dead_by_stage, dead_reasons) = dead_letters(queue).await?;
    let dead_total = dead_by_stage.values().sum();
    let decisions = decisions(queue).await?;
    let workers = heartbeats(queue).await?;

    let mut stages = Vec::new();
    for stage in Stage::ALL {
        let info = stream.consumer_info(stage.consumer()).await?;
        let done = info.ack_floor.consumer_sequence;
        let before = first.get(&stage).copied().unwrap_or(done);
        stages.push(StageStatus {
            stage,
            pending: info.num_pending,
            ack_pending: info.num_ack_pending as u64,
            redelivered: info.num_redelivered as u64,
            done,
            per_second: done.saturating_sub(before) as f64 / elapsed.max(1e-9),
            dead_letters: dead_by_stage.get(stage.name()).copied().unwrap_or(0),
            workers: workers.iter().filter(|w| w.stage == stage).cloned().collect(),
        });
    }
    Ok(ClusterStatus { stages, decisions, dead_letters: dead_total, dead_reasons, interval_s: elapsed })
}

async fn ack_floors(queue: &Queue) -> Result<BTreeMap<Stage, u64>> {
    let stream = queue.stream().await?;
    let mut out = BTreeMap::new();
    for stage in Stage::ALL {
        let info = stream.consumer_info(stage.consumer()).await?;
        out.insert(stage, info.ack_floor.consumer_sequence);
    }
    Ok(out)
}

/// The heartbeats in the bucket (expired ones are gone).
pub async fn heartbeats(queue: &Queue) -> Result<Vec<Heartbeat>> {
    let kv = queue.js.get_key_value(BUCKET_WORKERS).await?;
    let keys: Vec<String> = kv.keys().await?.try_collect().await?;
    let mut out = Vec::new();
    for key in keys {
        // A key may expire between the listing and the read.
        if let Some(beat) =
            kv.get(&key).await?.and_then(|body| serde_json::from_slice::<Heartbeat>(&body).ok())
        {
            out.push(beat);
        }
    }
    out.sort_by_key(|b| (b.stage.name(), b.pid));
    Ok(out)
}

/// Dead letters per stage, and the latest reasons, read from the dead-letter subject itself.
pub async fn dead_letters(queue: &Queue) -> Result<(BTreeMap<String, u64>, Vec<String>)> {
    let stream = queue.stream().await?;
    let mut by_stage = BTreeMap::new();
    let mut reasons = Vec::new();
    let mut seq = 0;
    // Dead letters are few (each is an incident); read them one by one.
    while let Ok(msg) =
        stream.raw_message_builder().sequence(seq + 1).next_by_subject(SUBJECT_DEAD).send().await
    {
        seq = msg.sequence;
        let header = |k: &str| msg.headers.get(k).map(|v| v.as_str().to_string()).unwrap_or_default();
        *by_stage.entry(header(crate::HDR_STAGE)).or_insert(0) += 1;
        reasons.push(format!("{}: {}", header(crate::HDR_STAGE), header(crate::HDR_REASON)));
    }
    let skip = reasons.len().saturating_sub(20);
    Ok((by_stage, reasons.split_off(skip)))
}

impl ClusterStatus {
    /// The plain-text table.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{:<8} {:>8} {:>8} {:>8} {:>10} {:>9} {:>5} {:>8}\n",
            "stage", "pending", "in-hand", "redeliv", "done", "msg/s", "dead", "workers"
        );
        for s in &self.stages {
            let leader = s.workers.iter().any(|w| w.leader);
            out.push_str(&format!(
                "{:<8} {:>8} {:>8} {:>8} {:>10} {:>9.1} {:>5} {:>8}{}\n",
                s.stage.name(),
                s.pending,
                s.ack_pending,
                s.redelivered,
                s.done,
                s.per_second,
                s.dead_letters,
                s.workers.len(),
                if s.stage == Stage::Cluster && leader { " (1 writer)" } else { "" }
            ));
        }
        out.push_str(&format!(
            "decisions logged: {}   dead letters: {}\n",
            self.decisions, self.dead_letters
        ));
        for r in &self.dead_reasons {
            out.push_str(&format!("  dead: {r}\n"));
        }
        out
    }
}

/// Decisions in the cluster stage's log.
pub async fn decisions(queue: &Queue) -> Result<u64> {
    let stream = queue.stream().await?;
    let counts: BTreeMap<String, usize> =
        stream.info_with_subjects(SUBJECT_CLUSTERED).await?.try_collect().await?;
    Ok(counts.get(SUBJECT_CLUSTERED).copied().unwrap_or(0) as u64)
}

/// Whether `expected` decisions are logged and the store stage has acked everything.
pub async fn drained(queue: &Queue, expected: u64) -> Result<bool> {
    if decisions(queue).await? < expected {
        return Ok(false);
    }
    let info = queue.stream().await?.consumer_info(Stage::Store.consumer()).await?;
    Ok(info.num_pending == 0 && info.num_ack_pending == 0)
}

/// Waits until [`drained`], polling every 100 ms.
pub async fn wait_drained(queue: &Queue, expected: u64, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    while !drained(queue, expected).await? {
        if started.elapsed() > timeout {
            return Err(format!("not drained after {timeout:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Waits until `n` workers have a heartbeat (each sends its first once it is ready to work).
pub async fn wait_for_workers(queue: &Queue, n: usize, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    while heartbeats(queue).await?.len() < n {
        if started.elapsed() > timeout {
            return Err(format!("fewer than {n} workers after {timeout:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Mean time of one queue hop, measured one message at a time: publish (stored and acked by
/// JetStream), receive on a durable pull consumer, ack. On a stream of its own.
pub async fn hop_round_trip_us(queue: &Queue, n: u64) -> Result<f64> {
    use async_nats::jetstream::{consumer, stream};
    use futures::StreamExt;
    let stream = queue
        .js
        .get_or_create_stream(stream::Config {
            name: "NEWSLOOM_BENCH".into(),
            subjects: vec!["newsloom-bench.hop".into()],
            ..Default::default()
        })
        .await?;
    let consumer = stream
        .get_or_create_consumer(
            "hop",
            consumer::pull::Config {
                durable_name: Some("hop".into()),
                ack_policy: consumer::AckPolicy::Explicit,
                ..Default::default()
            },
        )
        .await?;
    let mut messages = consumer.messages().await?;
    let payload = vec![b'x'; 4096];
    let started = Instant::now();
    for _ in 0..n {
        queue.js.publish("newsloom-bench.hop", payload.clone().into()).await?.await?;
        let msg = messages.next().await.ok_or("consumer ended")??;
        msg.ack().await?;
    }
    let us = started.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64;
    queue.js.delete_stream("NEWSLOOM_BENCH").await?;
    Ok(us)
}
