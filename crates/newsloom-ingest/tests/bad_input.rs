//! Every kind of input, good and bad, read in one run: good items come through, each bad one
//! is reported with its origin and the run goes on.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::{Compression, write::GzEncoder};
use newsloom_ingest::{IngestItem, Limits, Reader};
use newsloom_model::InputFormat;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn read(
    paths: Vec<PathBuf>,
    limits: Limits,
) -> (Vec<newsloom_model::RawRecord>, Vec<newsloom_ingest::ItemError>) {
    let (mut ok, mut bad) = (vec![], vec![]);
    for item in Reader::with_limits(paths, limits) {
        match item {
            IngestItem::Record(r) => ok.push(r),
            IngestItem::Rejected(e) => bad.push(e),
        }
    }
    (ok, bad)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn good_and_bad_items_in_one_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a_seed.txt", b" date 2017-01-04 Russia\nTitle line\n\nBody of the article.");
    write(d, "b_page.html", b"<html><head><title>T</title></head><body><p>Para</p></body></html>");
    let jsonl = b"{\"title\":\"One\",\"text\":\"First.\"}\n{\"title\": broken\n\n{\"title\":\"Three\",\"text\":\"Third.\",\"x\":1}\n";
    write(d, "c_dump.jsonl", jsonl);
    write(d, "d_dump.jsonl.gz", &gz(b"{\"html\":\"<p>zipped</p>\"}\n"));
    let truncated = gz(b"{\"text\":\"kept\"}\n{\"text\":\"lost in the cut\"}\n");
    write(d, "e_cut.jsonl.gz", &truncated[..truncated.len() - 12]);
    write(d, "f_empty.txt", b"  \n");
    write(d, "g_image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\0\0\0\0");
    write(d, "h_latin1.txt", b"Caf\xe9 news\n\nBody.");
    write(d, "i_big.html", &vec![b'a'; 4096]);
    write(d, "sub/j_nested.htm.gz", &gz(b"<p>nested</p>"));
    write(d, ".hidden/k.txt", b"never read");
    write(d, "sub/README.md", b"# About this corpus\n\nNot an article.");
    write(d, "LICENSE", b"Not an article either.");

    let missing = d.join("no-such-file.txt");
    let (ok, bad) = read(vec![d.to_path_buf(), missing], Limits { max_item_bytes: 1024 });

    let origins: Vec<_> = ok.iter().map(|r| r.origin.rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(
        origins,
        [
            "a_seed.txt",
            "b_page.html",
            "c_dump.jsonl:1",
            "c_dump.jsonl:4",
            "d_dump.jsonl.gz:1",
            "e_cut.jsonl.gz:1",
            "h_latin1.txt",
            "j_nested.htm.gz"
        ]
    );
    assert_eq!(ok[0].meta_str("date"), Some("2017-01-04"));
    assert_eq!(ok[0].meta_str("section"), Some("Russia"));
    assert!(ok[0].content.starts_with("Title line"));
    assert_eq!(ok[1].format, InputFormat::Html);
    assert_eq!(ok[3].meta["x"], 1);
    assert_eq!(ok[4].format, InputFormat::Html);
    assert!(ok[6].warnings[0].contains("invalid UTF-8"));
    assert_eq!(ok[7].format, InputFormat::Html);

    let reasons: Vec<_> =
        bad.iter().map(|e| (e.origin.rsplit('/').next().unwrap().to_string(), e.kind)).collect();
    assert_eq!(
        reasons,
        [
            ("c_dump.jsonl:2".to_string(), "malformed JSON"),
            ("e_cut.jsonl.gz:2".to_string(), "corrupt gzip"),
            ("f_empty.txt".to_string(), "empty"),
            ("g_image.png".to_string(), "binary file"),
            ("i_big.html".to_string(), "too large"),
            ("no-such-file.txt".to_string(), "unreadable"),
        ]
    );
}

#[test]
fn ids_are_stable_content_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"Same\n\ntext");
    let b = write(dir.path(), "b.txt", b"Same\n\ntext");
    let c = write(dir.path(), "c.txt", b"Other\n\ntext");
    let (ok, _) = read(vec![a.clone(), b, c, a], Limits::default());
    assert_eq!(ok[0].id, ok[1].id);
    assert_eq!(ok[0].id, ok[3].id);
    assert_ne!(ok[0].id, ok[2].id);
}

#[test]
fn over_long_jsonl_line_is_skipped_and_reading_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{{\"text\":\"{}\"}}\n{{\"text\":\"short\"}}\n", "x".repeat(5000));
    let path = write(dir.path(), "d.ndjson", long.as_bytes());
    let (ok, bad) = read(vec![path], Limits { max_item_bytes: 1000 });
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].content, "short");
    assert_eq!(ok[0].origin.rsplit(':').next(), Some("2"));
    assert_eq!(bad[0].kind, "too large");
}

#[test]
fn hundred_megabyte_page_is_rejected_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.html");
    // A sparse file: 100 MB on paper, nothing on disk; the size check must not read it.
    std::fs::File::create(&path).unwrap().set_len(100 << 20).unwrap();
    let started = std::time::Instant::now();
    let (ok, bad) = read(vec![path], Limits::default());
    assert!(ok.is_empty());
    assert_eq!(bad[0].kind, "too large");
    assert!(bad[0].message.contains("104.9 MB"), "{}", bad[0].message);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn gzipped_single_page_over_the_limit_is_cut_off_while_decompressing() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bomb.html.gz", &gz(&vec![b' '; 1 << 20]));
    let (ok, bad) = read(vec![path], Limits { max_item_bytes: 64 << 10 });
    assert!(ok.is_empty());
    assert_eq!(bad[0].kind, "too large");
}

/// `Reader::from_memory` (the fuzz targets' way in) reads bytes exactly as the file would be read.
#[test]
fn reading_from_memory_is_reading_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let warc = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://a/1\r\nContent-Length: 60\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>one</html>\r\n\r\n";
    let cut = gz(b"{\"text\":\"kept\"}\n{\"text\":\"lost in the cut\"}\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("dump.jsonl", b"{\"title\":\"One\",\"text\":\"First.\"}\n{\"title\": broken\n\n[1]\n".to_vec()),
        ("dump.jsonl.gz", gz(b"{\"html\":\"<p>zipped</p>\"}\n")),
        ("cut.jsonl.gz", cut[..cut.len() - 12].to_vec()),
        ("page.htm.gz", gz(b"<p>nested</p>")),
        ("seed.txt", b" date 2017-01-04 Russia\nTitle line\n\nBody.".to_vec()),
        ("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\0\0\0\0".to_vec()),
        ("big.html", vec![b'a'; 4096]),
        ("crawl.warc", warc.to_vec()),
        ("crawl.warc.gz", gz(warc)),
        ("renamed.dat", warc.to_vec()),
    ];
    let limits = Limits { max_item_bytes: 1024 };
    for (name, bytes) in cases {
        let path = write(dir.path(), name, &bytes);
        let from_file: Vec<_> = Reader::with_limits(vec![path.clone()], limits).collect();
        let in_memory: Vec<_> = Reader::from_memory(&path.display().to_string(), bytes, limits).collect();
        assert!(!from_file.is_empty(), "{name}");
        assert_eq!(from_file, in_memory, "{name}");
    }
}
