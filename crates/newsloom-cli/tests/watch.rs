//! `newsloom watch`: files written slowly are read once and whole, files renamed in are read,
//! a bad file is a counted reject and watching goes on, SIGTERM ends the run with a summary
//! and exit 0, and a restart reads nothing twice (but does read a file rewritten with new
//! content). Waits poll the store with a generous timeout; no assertion depends on speed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use newsloom_store::SqliteStore;

const BODY: &str = "The city council voted on Thursday to approve the new tram line after a long debate. \
    Supporters said the line would cut traffic in the centre, while opponents warned about the cost. \
    The mayor said construction could begin next spring if no legal challenge is filed.";

fn newsloom(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsloom"));
    cmd.arg("--db").arg(db);
    cmd
}

/// Starts `watch` and waits until it says it is watching; its stderr lines keep coming on the
/// returned channel.
fn start_watch(db: &Path, dir: &Path) -> (Child, Receiver<String>) {
    let mut child = newsloom(db)
        .args(["watch", "--json", "--settle-ms", "2000", "--rescan-secs", "2"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = Instant::now();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(120)).expect("watch did not start within two minutes");
        if line.starts_with("watching ") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(120));
    }
    (child, rx)
}

fn stats(db: &Path) -> (i64, i64) {
    SqliteStore::open(db).ok().and_then(|s| s.stats().ok()).map(|s| (s.articles, s.rejects)).unwrap_or((0, 0))
}

fn wait_until(db: &Path, what: &str, done: impl Fn((i64, i64)) -> bool) -> (i64, i64) {
    let started = Instant::now();
    loop {
        let now = stats(db);
        if done(now) {
            return now;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "{what}: still {now:?} after two minutes");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(child: Child) -> serde_json::Value {
    // SAFETY: sending a signal to a child process this test started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "watch exited with {:?}", out.status);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn once(db: &Path, dir: &Path) -> serde_json::Value {
    let out = newsloom(db).args(["watch", "--once", "--json"]).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn article(title: &str, extra: &str) -> String {
    format!("{title}\n\n{BODY}\n\n{extra}\n")
}

#[test]
fn watch_reads_each_file_once_whole_and_across_restarts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let db = tmp.path().join("db");
    let (child, _log) = start_watch(&db, &dir);

    // Written in several chunks, well within the settle period of each other.
    let slow: PathBuf = dir.join("sub/slow.txt");
    let mut f = std::fs::File::create(&slow).unwrap();
    let text = article("Tram line approved after long debate", "The last paragraph arrived last.");
    for chunk in text.as_bytes().chunks(text.len() / 4 + 1) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(f);
    // Published by a rename, the way downloaders finish.
    let part = dir.join("renamed.txt.part");
    std::fs::write(&part, article("Harbour ferry resumes service", "Renamed into the folder.")).unwrap();
    std::fs::rename(&part, dir.join("renamed.txt")).unwrap();
    // Not text at all.
    std::fs::write(dir.join("photo.dat"), [0u8, 159, 146, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2])
        .unwrap();

    wait_until(&db, "two articles and one reject", |(a, r)| a >= 2 && r >= 1);
    // Watching goes on after the bad file.
    std::fs::write(
        dir.join("later.txt"),
        article("Museum reopens its east wing", "Arrived after the reject."),
    )
    .unwrap();
    wait_until(&db, "the third article", |(a, _)| a >= 3);
    let summary = stop(child);
    assert_eq!(summary["stopped_by"], "signal", "{summary:#}");
    assert_eq!(summary["files_ingested"], 4, "{summary:#}");
    assert_eq!((summary["stored"].as_u64(), summary["rejected"].as_u64()), (Some(3), Some(1)), "{summary:#}");
    assert_eq!(summary["rejected_by_reason"]["binary file"], 1, "{summary:#}");
    assert_eq!(stats(&db), (3, 1), "the slow file was read once, whole");
    let store = SqliteStore::open(&db).unwrap();
    let slow_row = store
        .articles(&newsloom_store::ArticleFilter { limit: 10, ..Default::default() })
        .unwrap()
        .into_iter()
        .find(|r| r.title.contains("Tram line"))
        .expect("the slow file's article");
    let body = store.article(&slow_row.id).unwrap().expect("stored").body;
    assert!(body.contains("The last paragraph arrived last."), "read half-way: {body}");
    drop(store);

    // A restart reads nothing again.
    let again = once(&db, &dir);
    assert_eq!(
        (again["files_ingested"].as_u64(), again["files_unchanged"].as_u64()),
        (Some(0), Some(4)),
        "{again:#}"
    );
    assert_eq!(stats(&db), (3, 1));

    // New content in an old file is read; the same content under a new name is not.
    std::fs::write(&slow, article("Tram line opening date set", "Rewritten with new content.")).unwrap();
    std::fs::copy(dir.join("later.txt"), dir.join("later-copy.txt")).unwrap();
    let third = once(&db, &dir);
    assert_eq!(third["files_ingested"], 1, "{third:#}");
    assert_eq!(third["stored"], 1, "{third:#}");
    assert_eq!(stats(&db).0, 4);
}
