//! The stages as NATS JetStream workers, with workers killed and restarted under load.
//!
//! Starts `nats-server -js` (Debian's package; skipped when it is not installed unless
//! `NEWSLOOM_REQUIRE_NATS=1`), runs 3 worker processes per stage of the real binary, publishes
//! N generated articles (`NEWSLOOM_SCALE_N`, default 600; the 20,000 is an explicit
//! run, see docs/scale-out.md), SIGKILLs random workers at random moments and restarts them,
//! then checks:
//!
//! - every article is stored exactly once;
//! - no message is left unacked on any stage's consumer;
//! - dead letters are only the one poison message injected, with its reason;
//! - every story decision equals the single-process reference: the same extraction, analysis
//!   and clusterer run sequentially over the input in input order
//!   ([`newsloom_queue::cluster::reference`]), which is also the order the cluster stage
//!   decides in (ingest sequence numbers).
//!
//! The store is PostgreSQL (a throwaway cluster the test starts) when Debian's `postgresql` is
//! installed, else the embedded SQLite store.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use newsloom_ingest::{IngestItem, Reader};
use newsloom_queue::{Item, Queue, QueueConfig, Stage};

const BIN: &str = env!("CARGO_BIN_EXE_newsloom");
const PER_STAGE: usize = 3;

/// Test-speed settings for every process: quick redelivery and takeover.
const ENV: &[(&str, &str)] = &[
    ("NEWSLOOM_ACK_WAIT_SECS", "4"),
    ("NEWSLOOM_LEASE_SECS", "3"),
    ("NEWSLOOM_MAX_DELIVER", "10"),
    ("NEWSLOOM_BATCH", "8"),
    ("RUST_LOG", "warn"),
];

struct Fleet {
    url: String,
    db: String,
    workers: Vec<(Stage, Child)>,
}

impl Fleet {
    fn spawn(&self, stage: Stage) -> Child {
        Command::new(BIN)
            .envs(ENV.iter().copied())
            .arg("--db")
            .arg(&self.db)
            .args(["worker", stage.name(), "--nats", &self.url])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn worker")
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for (_, c) in &mut self.workers {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// xorshift: which worker dies, and when, varies with the seed but not between runs.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn workers_survive_kills_and_decide_like_one_process() {
    let Some(nats) = newsloom_queue::testing::TempNats::start() else { return };
    let n: u64 = std::env::var("NEWSLOOM_SCALE_N").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus.jsonl");
    // Real stories first (the Wikinews sample, several languages), then N generated ones.
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../samples/wikinews/wikinews-meantime.jsonl");
    let mut lines = std::fs::read_to_string(sample).unwrap();
    lines.extend((0..n).map(|i| newsloom_pipeline::synth::article_jsonl(i, 7) + "\n"));
    let total = lines.lines().count() as u64;
    std::fs::write(&corpus, lines).unwrap();
    // PostgreSQL when installed (Debian's binaries, a throwaway cluster on loopback), else the
    // embedded store; `NEWSLOOM_REQUIRE_PG=1` makes PostgreSQL mandatory.
    let pg = match newsloom_postgres::testing::TempPostgres::start() {
        Ok(pg) => Some(pg),
        Err(e) if std::env::var("NEWSLOOM_REQUIRE_PG").as_deref() == Ok("1") => panic!("PostgreSQL: {e}"),
        Err(e) => {
            eprintln!("PostgreSQL unavailable ({e}): storing in the embedded store");
            None
        }
    };
    let db = match &pg {
        Some(pg) => pg.create_database("scale_out").unwrap(),
        None => tmp.path().join("db").to_string_lossy().into_owned(),
    };
    let location = newsloom_store::Location::parse(&db);
    // Create the store's schema once, so the store workers do not race to create it.
    drop(newsloom_pipeline::open_store(&location).unwrap());

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    // The first connection creates the consumers: with the same settings as the workers get.
    let config = QueueConfig {
        ack_wait: Duration::from_secs(4),
        max_deliver: 10,
        lease_ttl: Duration::from_secs(3),
        batch: 8,
        ..QueueConfig::new(&nats.url())
    };
    let queue = rt.block_on(Queue::connect(config)).unwrap();
    // A poison message: no sequence header, not JSON. The extract stage must dead-letter it.
    rt.block_on(async {
        queue.js.publish(newsloom_queue::SUBJECT_RAW, "not an envelope".into()).await.unwrap().await.unwrap();
    });

    // The single-process reference, computed meanwhile (the workers wait on takeovers often).
    let reference = {
        let corpus = corpus.clone();
        std::thread::spawn(move || {
            let records = Reader::new(vec![corpus]).filter_map(|i| match i {
                IngestItem::Record(r) => Some(r),
                IngestItem::Rejected(_) => None,
            });
            newsloom_queue::cluster::reference(records)
        })
    };
    let mut fleet = Fleet { url: nats.url(), db: db.clone(), workers: Vec::new() };
    for stage in Stage::ALL {
        for _ in 0..PER_STAGE {
            let child = fleet.spawn(stage);
            fleet.workers.push((stage, child));
        }
    }
    let out =
        Command::new(BIN).arg("ingest").arg(&corpus).args(["--to", &nats.url(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let published: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(published["published"], total);
    assert_eq!(published["first_seq"], 1);

    // Kill a random worker every 0.5-2 s while work remains, cycling through the stages so
    // each (the cluster writer's candidates too) loses workers, and restart it at once.
    let mut rng = Rng(0x5EED_1234);
    let mut kills = 0;
    let mut leader_kills = 0;
    let started = Instant::now();
    let order = [Stage::Cluster, Stage::Extract, Stage::Analyse, Stage::Store];
    while !rt.block_on(newsloom_queue::status::drained(&queue, total)).unwrap() {
        assert!(started.elapsed() < Duration::from_secs(900), "not drained after 15 minutes");
        std::thread::sleep(Duration::from_millis(500 + rng.below(1500)));
        if kills < 8 {
            let stage = order[kills % order.len()];
            let idx: Vec<usize> =
                fleet.workers.iter().enumerate().filter(|(_, (s, _))| *s == stage).map(|(i, _)| i).collect();
            let mut victim = idx[rng.below(idx.len() as u64) as usize];
            if stage == Stage::Cluster {
                // The writer itself, when one is known: the takeover is what is under test.
                // No decision can be made without a writer, so one shows up before the work
                // is done (its heartbeat says so within 2 s).
                for _ in 0..200 {
                    let beats = rt.block_on(newsloom_queue::status::heartbeats(&queue)).unwrap();
                    let leaders: Vec<u32> = beats.iter().filter(|b| b.leader).map(|b| b.pid).collect();
                    if let Some(&i) = idx.iter().find(|&&i| leaders.contains(&fleet.workers[i].1.id())) {
                        victim = i;
                        leader_kills += 1;
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            // SIGKILL: no clean-up, exactly like a crash.
            fleet.workers[victim].1.kill().unwrap();
            fleet.workers[victim].1.wait().unwrap();
            fleet.workers[victim].1 = fleet.spawn(stage);
            kills += 1;
        }
    }
    eprintln!(
        "drained {total} items in {:.1}s with {kills} kills ({leader_kills} of the cluster writer)",
        started.elapsed().as_secs_f64()
    );
    assert!(leader_kills >= 1, "the cluster writer was never killed");

    // Nothing left unacked or undelivered on any stage.
    let stream = rt.block_on(queue.stream()).unwrap();
    for stage in Stage::ALL {
        let info = rt.block_on(stream.consumer_info(stage.consumer())).unwrap();
        assert_eq!((info.num_pending, info.num_ack_pending), (0, 0), "{} consumer", stage.name());
    }

    // The status command sees the same, and the workers.
    let out = Command::new(BIN)
        .args(["cluster-status", "--json", "--interval-ms", "200", "--nats", &nats.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let stages = status["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 4);
    for s in stages {
        assert_eq!(s["pending"], 0, "{s}");
        assert_eq!(s["ack_pending"], 0, "{s}");
        // Killed workers' heartbeats linger until they expire: at least the live ones.
        assert!(s["workers"].as_array().unwrap().len() >= PER_STAGE, "{s}");
    }
    let cluster = stages.iter().find(|s| s["stage"] == "cluster").unwrap();
    assert!(cluster["workers"].as_array().unwrap().iter().any(|w| w["leader"] == true), "{cluster}");
    assert_eq!(status["decisions"], total);

    // Dead letters: exactly the poison message, with its stage and reason.
    assert_eq!(status["dead_letters"], 1, "{status}");
    let reason = status["dead_reasons"][0].as_str().unwrap();
    assert!(reason.starts_with("extract: undecodable message"), "{reason}");

    // The decision log: one decision per sequence number, in order, equal to the reference.
    let (log, _) = rt.block_on(newsloom_queue::cluster::read_log(&queue)).unwrap();
    let reference = reference.join().unwrap();
    assert_eq!(log.len(), reference.len());
    let mut stories = HashSet::new();
    for (got, want) in log.iter().zip(&reference) {
        assert_eq!(got.seq, want.seq);
        match (&got.item, &want.item) {
            (
                Item::Clustered { article: a, copy_of: ca, merges: ma, .. },
                Item::Clustered { article: b, copy_of: cb, merges: mb, .. },
            ) => {
                assert_eq!((&a.id, &a.story, ca, ma), (&b.id, &b.story, cb, mb), "decision {}", got.seq);
                stories.insert(a.story.clone().unwrap());
            }
            (g, w) => panic!("decision {}: {g:?} vs reference {w:?}", got.seq),
        }
    }
    assert!(stories.len() > 10 && stories.len() < total as usize, "{} stories", stories.len());

    // The store: every decided article exactly once, in the story decided.
    drop(fleet);
    let store = newsloom_pipeline::open_store(&location).unwrap();
    eprintln!("checking the {} store", store.engine());
    let mut stored = Vec::new();
    let mut after = 0;
    loop {
        let rows = store.scan_articles(after, 1000, false).unwrap();
        let Some(last) = rows.last().map(|(s, _)| *s) else { break };
        stored.extend(rows.into_iter().map(|(_, a)| a));
        after = last;
    }
    assert_eq!(stored.len(), log.len());
    let ids: HashSet<&str> = stored.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), stored.len(), "an article was stored twice");
    for env in &log {
        if let Item::Clustered { article, .. } = &env.item {
            let got = store.article(&article.id).unwrap().expect("stored");
            assert_eq!(
                store.resolve_story(got.story.as_deref().unwrap()).unwrap(),
                store.resolve_story(article.story.as_deref().unwrap()).unwrap()
            );
        }
    }
}
