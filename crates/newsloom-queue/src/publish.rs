//! `newsloom ingest --to nats://…`: publishes input items to [`crate::SUBJECT_RAW`], each
//! with the next ingest sequence number.

use futures::future::try_join_all;
use newsloom_ingest::IngestItem;

use crate::{Envelope, Item, Queue, Result, SUBJECT_RAW};

/// What a publish run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PublishSummary {
    pub published: u64,
    /// Of those, items the reader rejected (published as rejections, so they are recorded
    /// and the sequence stays dense).
    pub rejected: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub elapsed_s: f64,
}

/// The sequence number the next item gets: one past the last one published. The publisher
/// is the sequence's only author, so one publisher runs at a time (documented); a second
/// publisher would reuse numbers.
pub async fn next_seq(queue: &Queue) -> Result<u64> {
    let stream = queue.stream().await?;
    match stream.get_last_raw_message_by_subject(SUBJECT_RAW).await {
        Ok(m) => Ok(crate::header_seq(Some(&m.headers)).unwrap_or(0) + 1),
        Err(e) if e.kind() == async_nats::jetstream::stream::LastRawMessageErrorKind::NoMessageFound => Ok(1),
        Err(e) => Err(e.into()),
    }
}

/// Publishes every item, a window of them in flight at a time, and returns when JetStream has
/// stored them all.
pub async fn publish_items(queue: &Queue, items: impl Iterator<Item = IngestItem>) -> Result<PublishSummary> {
    let started = std::time::Instant::now();
    let first = next_seq(queue).await?;
    let mut summary =
        PublishSummary { first_seq: first, last_seq: first.saturating_sub(1), ..Default::default() };
    let mut seq = first;
    let mut window = Vec::new();
    for item in items {
        let item = match item {
            IngestItem::Record(record) => Item::Raw { record },
            IngestItem::Rejected(e) => {
                summary.rejected += 1;
                Item::Rejected { origin: e.origin, kind: e.kind.to_string(), message: e.message }
            }
        };
        let env = Envelope { seq, item };
        // Sent in order (so the stream's last raw message has the highest number, which the
        // next run starts after); their acks are awaited a window at a time.
        window.push(queue.send(SUBJECT_RAW, "raw", &env).await?);
        seq += 1;
        if window.len() >= 256 {
            try_join_all(window.drain(..).map(|f| f.into_future())).await?;
        }
    }
    try_join_all(window.into_iter().map(|f| f.into_future())).await?;
    summary.published = seq - first;
    summary.last_seq = seq - 1;
    summary.elapsed_s = started.elapsed().as_secs_f64();
    Ok(summary)
}
