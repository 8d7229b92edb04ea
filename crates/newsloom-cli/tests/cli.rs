//! The binary end to end: the seed acceptance case, stdin, bad input, exit codes, --json.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A body of news-like length (extraction rejects fragments too short to be an article).
const BODY: &str = "The city council voted on Thursday to approve the new tram line after a long debate. \
    Supporters said the line would cut traffic in the centre, while opponents warned about the cost. \
    The mayor said construction could begin next spring if no legal challenge is filed.";

fn newsloom(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsloom")).arg("--db").arg(db).args(args).output().unwrap()
}

/// Runs newsloom with `input` on stdin.
fn newsloom_stdin(db: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn seeds() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: ../shared/seeds is not beside the repository");
        None
    }
}

#[test]
fn seeds_ingest_once_search_and_share_a_story() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let seeds = seeds.to_str().unwrap();

    let first = json(&newsloom(db, &["ingest", seeds, "--json"]));
    assert_eq!((first["stored"].as_u64(), first["duplicates"].as_u64()), (Some(2), Some(0)));
    let again = json(&newsloom(db, &["ingest", seeds, "--json"]));
    assert_eq!((again["stored"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(2)));

    let hits = json(&newsloom(db, &["search", "NATO reset", "--json"]));
    assert_eq!(hits["hits"][0]["title"], "Russian Foreign Ministry Appeals for NATO Reset");
    let hits = json(&newsloom(db, &["search", "Kelin", "--json"]));
    let hit = &hits["hits"][0];
    assert_eq!(hit["title"], "Russian Foreign Ministry Appeals for NATO Reset");
    assert!(hit["snippet"].as_str().unwrap().contains("Kelin"), "snippet: {}", hit["snippet"]);

    let stories = json(&newsloom(db, &["stories", "--json"]));
    let sizes: i64 = stories.as_array().unwrap().iter().map(|s| s["size"].as_i64().unwrap()).sum();
    assert_eq!(sizes, 2, "every stored article is in a story: {stories}");
    let story = json(&newsloom(db, &["show", "story", stories[0]["id"].as_str().unwrap(), "--json"]));
    assert_eq!(story["articles"].as_array().unwrap().len(), stories[0]["size"].as_u64().unwrap() as usize);

    let id = hit["id"].as_str().unwrap();
    let article = json(&newsloom(db, &["show", id, "--json"]));
    assert!(article["body"].as_str().unwrap().starts_with("The Russian Foreign Ministry has unexpectedly"));

    let exported = newsloom(db, &["export", "--format", "jsonl"]);
    assert!(exported.status.success());
    assert_eq!(String::from_utf8(exported.stdout).unwrap().lines().count(), 2);
    let stats = json(&newsloom(db, &["stats", "--json"]));
    assert_eq!(stats["articles"], 2);
    // The first run grew the index from nothing: already one segment, which compact keeps.
    let compacted = json(&newsloom(db, &["compact", "--json"]));
    assert_eq!((compacted["segments_after"].as_u64(), compacted["documents"].as_u64()), (Some(1), Some(2)));
    assert_eq!(json(&newsloom(db, &["search", "Kelin", "--json"]))["hits"][0]["id"], hit["id"]);
    // This version wrote every document in the codec `--recode` converts to: nothing to rewrite.
    let recoded = json(&newsloom(db, &["compact", "--recode", "--json"]));
    assert_eq!(
        (recoded["recoded"]["values"].as_u64(), recoded["recoded"]["rewritten"].as_u64()),
        (Some(4), Some(0))
    );
    let shown = json(&newsloom(db, &["show", id, "--json"]));
    assert_eq!(shown["body"], article["body"]);
}

/// The issue-6 acceptance case: two reports a week apart from two outlets share a story; an
/// unrelated article does not; a lightly edited reprint of a seed is marked as its copy.
#[test]
fn seeds_share_a_story_reprints_are_copies_and_unrelated_news_stays_apart() {
    let Some(seeds) = seeds() else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let tass = std::fs::read_to_string(seeds.join("003_5c09ee7d739e82a2.txt")).unwrap();
    for f in ["000_68d2beda7c2c8ce2.txt", "003_5c09ee7d739e82a2.txt"] {
        std::fs::copy(seeds.join(f), input.join(f)).unwrap();
    }
    let reprint =
        tass.replace("is open for building", "is open to building").replace("Nevertheless, after", "After");
    std::fs::write(input.join("reprint.txt"), reprint).unwrap();
    let unrelated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/own/harbor-strike-wire.txt");
    std::fs::copy(unrelated, input.join("unrelated.txt")).unwrap();
    let db = dir.path().join("db");
    assert_eq!(json(&newsloom(&db, &["ingest", input.to_str().unwrap(), "--json"]))["stored"], 4);

    let stories = json(&newsloom(&db, &["stories", "--json"]));
    let sizes: Vec<i64> = stories.as_array().unwrap().iter().map(|s| s["size"].as_i64().unwrap()).collect();
    assert_eq!(sizes.len(), 2, "seeds + reprint in one story, the strike in another: {stories}");
    let seeds_story = stories.as_array().unwrap().iter().find(|s| s["size"] == 3).expect("a story of 3");
    assert_eq!(seeds_story["reprints"], 1);
    // Stories seen on one day; most outlets first.
    let ranged = json(&newsloom(&db, &["stories", "--from", "2017-01-04", "--to", "2017-01-04", "--json"]));
    assert_eq!(ranged.as_array().unwrap().len(), 1, "{ranged}");
    assert_eq!(ranged[0]["id"], seeds_story["id"]);
    let by_outlets = json(&newsloom(&db, &["stories", "--sort", "outlets", "--json"]));
    assert_eq!(by_outlets[0]["id"], seeds_story["id"], "one outlet each: the bigger first: {by_outlets}");
    let story = json(&newsloom(&db, &["show", "story", seeds_story["id"].as_str().unwrap(), "--json"]));
    let articles = story["articles"].as_array().unwrap();
    let titles: Vec<&str> = articles.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Russian Foreign Ministry Appeals for NATO Reset"), "{titles:?}");
    let original = articles.iter().find(|a| a["copy_of"].is_null() && a["source"] == "TASS").unwrap();
    let copy = articles.iter().find(|a| !a["copy_of"].is_null()).unwrap();
    assert_eq!(copy["copy_of"], original["id"]);
}

/// `--source` names the outlet of items that carry none, and never overrides one they carry.
#[test]
fn ingest_source_names_the_outlet_of_items_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("page.txt");
    std::fs::write(
        &text,
        "Harbour workers vote to strike\n\nDock workers voted on Monday to strike over pay.\n",
    )
    .unwrap();
    let jsonl = dir.path().join("feed.jsonl");
    std::fs::write(
        &jsonl,
        r#"{"title":"Ferry resumes","source":"Coast Herald","text":"The ferry service resumed on Tuesday after repairs."}"#,
    )
    .unwrap();
    let db = dir.path().join("db");
    let args =
        ["ingest", text.to_str().unwrap(), jsonl.to_str().unwrap(), "--source", "Harbour Times", "--json"];
    assert_eq!(json(&newsloom(&db, &args))["stored"], 2);
    let articles = json(&newsloom(&db, &["articles", "--json"]));
    let mut sources: Vec<&str> =
        articles.as_array().unwrap().iter().map(|a| a["source"].as_str().unwrap()).collect();
    sources.sort();
    assert_eq!(sources, ["Coast Herald", "Harbour Times"]);
}

#[test]
fn bad_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "A headline\n\nA body paragraph long enough to be an article body.",
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), "").unwrap();
    let line = format!("{{\"title\":\"Council vote\",\"text\":\"{BODY}\"}}\nnot json\n");
    std::fs::write(input.join("lines.jsonl"), line).unwrap();
    std::fs::write(input.join("blob.bin"), [0u8, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]).unwrap();
    let db = dir.path().join("db");
    let out = newsloom(&db, &["ingest", input.to_str().unwrap(), "--json"]);
    let summary = json(&out);
    assert_eq!(summary["read"], 5);
    assert_eq!(summary["stored"], 2, "{summary}");
    assert_eq!(summary["rejected"], 3);
    assert_eq!(summary["rejected_by_reason"]["malformed JSON"], 1);
    assert_eq!(summary["rejected_by_reason"]["empty"], 1);
    assert_eq!(summary["rejected_by_reason"]["binary file"], 1);
    let errors = summary["errors"].as_array().unwrap();
    assert!(errors.iter().any(|e| {
        e.as_str().unwrap().ends_with("lines.jsonl:2: malformed JSON: expected ident at line 1 column 2")
    }));
}

#[test]
fn stdin_jsonl_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(dir.path())
        .args(["ingest", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            format!(
                "{{\"title\":\"One\",\"text\":\"{BODY}\",\"source\":\"Wire\"}}\n{{\"title\":\"Two\",\"text\":\"{BODY} Again.\"}}\n"
            )
            .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(json(&out)["stored"], 2);
    let rows = json(&newsloom(dir.path(), &["articles", "--source", "Wire", "--json"]));
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

#[test]
fn exit_codes_follow_convention() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(newsloom(dir.path(), &["no-such-command"]).status.code(), Some(2));
    assert_eq!(newsloom(dir.path(), &["articles", "--limit", "many"]).status.code(), Some(2));
    let out = newsloom(dir.path(), &["show", "deadbeef"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article with id deadbeef"));
    let out = newsloom(dir.path(), &["articles", "--from", "yesterday"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    assert_eq!(newsloom(dir.path(), &["stats"]).status.code(), Some(0));
}

#[test]
fn a_second_writer_is_refused_with_the_holders_pid_and_the_store_stays_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let line = serde_json::json!({"title": "Tram line approved", "text": BODY}).to_string();
    assert_eq!(json(&newsloom_stdin(db, &["ingest", "-", "--json"], &line))["stored"], 1);

    // An ingest from stdin holds the store while it waits for input.
    let mut holder = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(db)
        .args(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = db.join("writer.lock");
    let pid = holder.id().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_to_string(&lock).map(|s| s.trim() != pid).unwrap_or(true) {
        assert!(std::time::Instant::now() < deadline, "the first ingest never took the lock");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let second = newsloom(db, &["ingest", "-"]);
    assert_eq!(second.status.code(), Some(1));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains(&format!("locked by PID {pid}")), "stderr: {err}");

    // Readers are not writers: they still answer while the store is held.
    assert_eq!(json(&newsloom(db, &["stats", "--json"]))["articles"], 1);
    drop(holder.stdin.take());
    assert!(holder.wait().unwrap().success());
    // Released at exit: a new writer gets the store.
    let more =
        serde_json::json!({"title": "Second tram vote", "text": format!("{BODY} A second vote follows.")});
    assert_eq!(json(&newsloom_stdin(db, &["ingest", "-", "--json"], &more.to_string()))["stored"], 1);
}

#[test]
fn serve_refuses_a_public_address_without_public_and_a_write_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path();
    let refused = newsloom(db, &["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("needs --public"));
    let no_token = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", "0.0.0.0:0", "--public"])
        .env_remove("NEWSLOOM_WRITE_TOKEN")
        .output()
        .unwrap();
    assert_eq!(no_token.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("needs --write-token"));
}

#[test]
fn server_logs_are_json_lines_at_trace_level_and_never_show_the_write_token() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let token = "tok-e1f4c9d2-never-in-logs";
    let mut server = Command::new(env!("CARGO_BIN_EXE_newsloom"))
        .arg("--db")
        .arg(dir.path())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--log-format", "json"])
        .env("RUST_LOG", "trace")
        .env("NEWSLOOM_WRITE_TOKEN", token)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut conn = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(c) => break c,
            Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            Err(e) => panic!("server did not start: {e}"),
        }
    };
    let body = serde_json::json!({"title": "Tram line approved", "text": BODY}).to_string();
    write!(
        conn,
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    server.kill().unwrap();
    let mut logs = String::new();
    server.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    server.wait().unwrap();
    let json_lines: Vec<serde_json::Value> =
        logs.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(
        json_lines
            .iter()
            .any(|l| l["span"]["uri"] == "/api/articles" || l.to_string().contains("/api/articles")),
        "the request was not logged: {logs}"
    );
    assert!(!logs.contains(token), "the write token appeared in the logs");
}
