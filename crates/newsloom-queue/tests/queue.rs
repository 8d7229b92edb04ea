//! JetStream plumbing against a real `nats-server` (skipped when not installed), and the
//! cluster writer's takeover rule without one.

use newsloom_ingest::{IngestItem, Reader};
use newsloom_queue::cluster::{Decider, reference};
use newsloom_queue::{Envelope, Item, Queue, QueueConfig, SUBJECT_CLUSTERED, SUBJECT_RAW, testing::TempNats};

/// The first `n` Wikinews sample articles: real stories, several languages.
fn records(n: usize) -> Vec<newsloom_model::RawRecord> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/wikinews/wikinews-meantime.jsonl");
    Reader::new(vec![path])
        .take(n)
        .filter_map(|i| match i {
            IngestItem::Record(r) => Some(r),
            IngestItem::Rejected(_) => None,
        })
        .collect()
}

/// A writer that takes over after `k` decisions, by replaying them, decides the rest exactly
/// as the one that ran all along.
#[test]
fn replaying_the_log_rebuilds_the_writer_exactly() {
    let all = reference(records(120));
    let mut stories = std::collections::HashSet::new();
    for k in [0, 1, 57, 119] {
        let mut taker = Decider::new();
        assert!(all[..k].iter().all(|env| taker.replay(env)));
        assert_eq!(taker.next_seq, k as u64 + 1);
        // The inputs of the rest, as the analyse stage published them.
        for want in &all[k..] {
            let Item::Clustered { article, analysis, .. } = &want.item else { panic!("{want:?}") };
            let mut article = article.clone();
            stories.insert(article.story.take().unwrap());
            let got = taker.decide(Envelope {
                seq: want.seq,
                item: Item::Analysed { article, analysis: analysis.clone() },
            });
            let (
                Item::Clustered { article: a, copy_of: ca, merges: ma, .. },
                Item::Clustered { article: b, copy_of: cb, merges: mb, .. },
            ) = (&got.item, &want.item)
            else {
                panic!()
            };
            assert_eq!(
                (&a.story, ca, ma),
                (&b.story, cb, mb),
                "after takeover at {k}, decision {}",
                want.seq
            );
        }
    }
    // The sample has stories of several articles: the clusterer did group some, not all.
    assert!(stories.len() > 10 && stories.len() < 110, "{} stories", stories.len());
}

/// The same article id under a later sequence number is not assigned twice.
#[test]
fn a_repeated_article_is_a_duplicate_not_a_second_assignment() {
    let recs = records(3);
    let mut twice = recs.clone();
    twice.push(recs[1].clone());
    let out = reference(twice);
    assert!(matches!(&out[3].item, Item::Duplicate { id } if *id == recs[1].id));
}

#[test]
fn publishing_twice_stores_once_and_fencing_refuses_a_stale_append() {
    let Some(nats) = TempNats::start() else { return };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let queue = Queue::connect(QueueConfig::new(&nats.url())).await.unwrap();
        let env = Envelope {
            seq: 1,
            item: Item::Rejected { origin: "o".into(), kind: "k".into(), message: "m".into() },
        };
        let a = queue.publish(SUBJECT_RAW, "raw", &env).await.unwrap();
        let b = queue.publish(SUBJECT_RAW, "raw", &env).await.unwrap();
        assert!(!a.duplicate && b.duplicate && a.sequence == b.sequence);
        assert_eq!(newsloom_queue::publish::next_seq(&queue).await.unwrap(), 2);

        // The decision log only takes an append that expects its current end.
        let first = queue
            .js
            .send_publish(
                SUBJECT_CLUSTERED,
                async_nats::jetstream::message::PublishMessage::build()
                    .payload(serde_json::to_vec(&env).unwrap().into())
                    .expected_last_subject_sequence(0),
            )
            .await
            .unwrap()
            .await
            .unwrap();
        let stale = queue
            .js
            .send_publish(
                SUBJECT_CLUSTERED,
                async_nats::jetstream::message::PublishMessage::build()
                    .payload(serde_json::to_vec(&env).unwrap().into())
                    .expected_last_subject_sequence(0),
            )
            .await
            .unwrap()
            .await;
        assert!(stale.is_err(), "a second writer expecting an empty log was let in");
        let (log, last) = newsloom_queue::cluster::read_log(&queue).await.unwrap();
        assert_eq!((log.len(), last), (1, first.sequence));

        // The lease: created only if absent.
        let kv = queue.js.get_key_value(newsloom_queue::BUCKET_LEASE).await.unwrap();
        assert!(kv.create("cluster", "a".into()).await.is_ok());
        assert!(kv.create("cluster", "b".into()).await.is_err());

        // A dead letter carries its stage and reason.
        queue.dead_letter(newsloom_queue::Stage::Analyse, "bad\nthing", Some(9), b"x").await.unwrap();
        let (by_stage, reasons) = newsloom_queue::status::dead_letters(&queue).await.unwrap();
        assert_eq!(by_stage.get("analyse"), Some(&1));
        assert_eq!(reasons, vec!["analyse: bad thing".to_string()]);
    });
}
