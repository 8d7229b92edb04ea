//! Generates a small WARC archive with every case the reader must handle: good HTML pages
//! (UTF-8, gzip + chunked, windows-1251, latin-1 named only in the page, a `resource` record),
//! records to skip (warcinfo, request, metadata, non-HTML, revisit, 404) and damage (garbage
//! HTTP headers, a `Content-Length` that overshoots into the next record, a cut gzip member,
//! a record cut off by the end of the file). Shared by the ingest and CLI tests.
#![allow(dead_code)]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// How the archive is compressed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Packing {
    Plain,
    /// Each record its own gzip member (CC-NEWS).
    PerRecord,
    /// One gzip stream over the whole file.
    WholeFile,
}

/// A page that must come out of the archive.
pub struct GoodPage {
    pub url: &'static str,
    pub host: &'static str,
    pub title: &'static str,
    /// The outlet the article must end up with (the page's own name, else the host).
    pub source: &'static str,
    /// The publication day the article must end up with.
    pub day: &'static str,
    /// A sentence of its body, as text after decoding.
    pub sentence: &'static str,
}

pub struct Fixture {
    pub bytes: Vec<u8>,
    pub good: Vec<GoodPage>,
    /// Skipped records by reason.
    pub skipped: Vec<(&'static str, u64)>,
    /// Rejected records: (where, as the origin's suffix after `@`; kind). A record in a cut
    /// gzip member may show either as a record that does not end or as bad gzip data (which
    /// one the decoder notices first depends on the bytes): `kind` lists both, `|`-separated.
    pub rejected: Vec<(String, &'static str)>,
}

pub const CRAWL_DATE: &str = "2026-12-02T08:15:00Z";

const FILLER: &str = "Officials said the decision followed months of consultation with residents and \
    businesses in the area. Critics argued that the plan had been rushed and that its costs were not \
    yet clear, while supporters pointed to the long delays that had plagued earlier projects. A final \
    vote is expected before the end of the month, and both sides said they would keep campaigning.";

fn html(title: &str, head_extra: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n<p>{FILLER}</p>\n")).collect();
    format!(
        "<!DOCTYPE html><html><head>{head_extra}<title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>{title}</h1>\n{body}</article><footer>Contact us</footer></body></html>"
    )
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (k, v) in headers {
        out.extend(format!("{k}: {v}\r\n").bytes());
    }
    out.extend(b"\r\n");
    out.extend(body);
    out
}

/// One record; `declared_len` overrides the true `Content-Length`. The record id comes from
/// the URI and block, so the same fixture is the same bytes in every test.
fn record(kind: &str, uri: &str, content_type: &str, block: &[u8], declared_len: Option<usize>) -> Vec<u8> {
    let id = u64::from_le_bytes(
        blake3::hash(&[kind.as_bytes(), uri.as_bytes(), block].concat()).as_bytes()[..8].try_into().unwrap(),
    ) % 1_000_000_000_000;
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
         WARC-Date: {CRAWL_DATE}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        declared_len.unwrap_or(block.len())
    )
    .into_bytes();
    out.extend(block);
    out.extend(b"\r\n\r\n");
    out
}

fn response(uri: &str, http_block: Vec<u8>) -> Vec<u8> {
    record("response", uri, "application/http; msgtype=response", &http_block, None)
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(700) {
        out.extend(format!("{:x}\r\n", chunk.len()).bytes());
        out.extend(chunk);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

/// What a record is, for the packing step.
enum Piece {
    Whole(Vec<u8>),
    /// A record whose gzip member is cut in half (per-record packing only).
    CutMember(Vec<u8>),
    /// The last record, cut in half by the end of the file.
    CutAtEnd(Vec<u8>),
}

pub fn build(packing: Packing) -> Fixture {
    let ok = |ct: &str, body: &[u8]| {
        http("200 OK", &[("Content-Type", ct), ("Date", "Wed, 02 Dec 2026 08:14:59 GMT")], body)
    };
    let mut good = Vec::new();
    let mut pieces = Vec::new();

    pieces.push(Piece::Whole(record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: newsloom-test\r\nformat: WARC File Format 1.1\r\n",
        None,
    )));
    pieces.push(Piece::Whole(record(
        "request",
        "https://www.dailyplanet.example/2026/11/30/bridge-vote",
        "application/http; msgtype=request",
        b"GET /2026/11/30/bridge-vote HTTP/1.1\r\nHost: www.dailyplanet.example\r\n\r\n",
        None,
    )));

    // 1: UTF-8, the page names its outlet.
    let p1 = html(
        "Council approves the harbour bridge",
        "<meta property=\"og:site_name\" content=\"The Daily Planet\">\
         <meta property=\"article:published_time\" content=\"2026-11-30T10:00:00Z\">",
        &["The city council approved the new harbour bridge on Monday after a heated debate."],
    );
    pieces.push(Piece::Whole(response(
        "https://www.dailyplanet.example/2026/11/30/bridge-vote",
        ok("text/html; charset=utf-8", p1.as_bytes()),
    )));
    good.push(GoodPage {
        url: "https://www.dailyplanet.example/2026/11/30/bridge-vote",
        host: "dailyplanet.example",
        title: "Council approves the harbour bridge",
        source: "The Daily Planet",
        day: "2026-11-30",
        sentence: "approved the new harbour bridge on Monday",
    });
    pieces.push(Piece::Whole(record(
        "metadata",
        "https://www.dailyplanet.example/2026/11/30/bridge-vote",
        "application/warc-fields",
        b"fetchTimeMs: 120\r\n",
        None,
    )));

    // 2: gzip content coding inside chunked transfer coding; no outlet name in the page.
    let p2 = html(
        "Ferry service resumes after the storm",
        "<meta name=\"date\" content=\"2026-12-01\">",
        &["The ferry between the two islands resumed service on Tuesday after storm damage was repaired."],
    );
    let body2 = chunked(&gz(p2.as_bytes()));
    pieces.push(Piece::Whole(response(
        "https://www.harbour-news.example/2026/12/01/ferry",
        http(
            "200 OK",
            &[("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            &body2,
        ),
    )));
    good.push(GoodPage {
        url: "https://www.harbour-news.example/2026/12/01/ferry",
        host: "harbour-news.example",
        title: "Ferry service resumes after the storm",
        source: "harbour-news.example",
        day: "2026-12-01",
        sentence: "resumed service on Tuesday after storm damage",
    });

    // Skipped: an image, a revisit, a 404.
    pieces.push(Piece::Whole(response(
        "https://www.dailyplanet.example/photo.jpg",
        ok("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
    )));
    pieces.push(Piece::Whole(record(
        "revisit",
        "https://www.dailyplanet.example/2026/11/30/bridge-vote",
        "application/http; msgtype=response",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        None,
    )));
    pieces.push(Piece::Whole(response(
        "https://www.dailyplanet.example/missing",
        http(
            "404 Not Found",
            &[("Content-Type", "text/html")],
            html("Not found", "", &["No such page."]).as_bytes(),
        ),
    )));

    // Rejected: garbage where the HTTP head should be.
    let garbage_at = pieces.len();
    pieces.push(Piece::Whole(response(
        "https://www.dailyplanet.example/garbage",
        b"\x00\x17\x03\x01garbage \x01\x02 not http\r\n\xff\xfe\r\n\r\n<html>".to_vec(),
    )));

    // 3: windows-1251, named in Content-Type.
    let p3 = html(
        "Мост через гавань одобрен",
        "<meta property=\"article:published_time\" content=\"2026-11-29T18:30:00+03:00\">",
        &[
            "Городской совет в понедельник одобрил строительство нового моста через гавань после долгих споров.",
        ],
    );
    let (p3_1251, _, _) = encoding_rs::WINDOWS_1251.encode(&p3);
    pieces.push(Piece::Whole(response(
        "https://gazeta.example/news/most",
        ok("text/html; charset=windows-1251", &p3_1251),
    )));
    good.push(GoodPage {
        url: "https://gazeta.example/news/most",
        host: "gazeta.example",
        title: "Мост через гавань одобрен",
        source: "gazeta.example",
        day: "2026-11-29",
        sentence: "одобрил строительство нового моста",
    });

    // Rejected: a Content-Length 600 bytes longer than the record (it runs into the next one).
    let overshoot_at = pieces.len();
    let lost = ok("text/html", html("Lost page", "", &["This page's record is damaged."]).as_bytes());
    let lost_len = lost.len();
    pieces.push(Piece::Whole(record(
        "response",
        "https://www.dailyplanet.example/lost",
        "application/http; msgtype=response",
        &lost,
        Some(lost_len + 600),
    )));

    // 4: latin-1, named only by the page's <meta charset>.
    let p4 = html(
        "Le conseil approuve le pont",
        "<meta charset=\"iso-8859-1\"><meta property=\"article:published_time\" content=\"2026-11-28\">",
        &["Le conseil municipal a approuvé lundi le nouveau pont du port après un long débat très animé."],
    );
    let (p4_latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&p4);
    pieces.push(Piece::Whole(response("https://journal.example/pont", ok("text/html", &p4_latin1))));
    good.push(GoodPage {
        url: "https://journal.example/pont",
        host: "journal.example",
        title: "Le conseil approuve le pont",
        source: "journal.example",
        day: "2026-11-28",
        sentence: "a approuvé lundi le nouveau pont",
    });

    let cut_member_at = pieces.len();
    if packing == Packing::PerRecord {
        let page = html("Cut page", "", &["This record's gzip member is cut in half."]);
        pieces.push(Piece::CutMember(response(
            "https://www.dailyplanet.example/cut",
            ok("text/html", page.as_bytes()),
        )));
    }

    // 5: a resource record (an HTML file stored as is, no HTTP head).
    let p5 = html(
        "Museum reopens its east wing",
        "<meta property=\"og:site_name\" content=\"Culture Weekly\"><meta name=\"date\" content=\"2026-11-27\">",
        &["The city museum reopened its east wing on Friday after a two-year renovation of the galleries."],
    );
    pieces.push(Piece::Whole(record(
        "resource",
        "https://culture.example/museum",
        "text/html",
        p5.as_bytes(),
        None,
    )));
    good.push(GoodPage {
        url: "https://culture.example/museum",
        host: "culture.example",
        title: "Museum reopens its east wing",
        source: "Culture Weekly",
        day: "2026-11-27",
        sentence: "reopened its east wing on Friday",
    });

    // Rejected: the last record, cut off by the end of the file.
    let cut_end_at = pieces.len();
    let page = html("Unfinished page", "", &["The file ends in the middle of this record."]);
    pieces.push(Piece::CutAtEnd(response(
        "https://www.dailyplanet.example/end",
        ok("text/html", page.as_bytes()),
    )));

    // Pack, noting where each record starts (decoded offset, and gzip member offset).
    let mut bytes = Vec::new();
    let mut plain = Vec::new();
    let mut starts = Vec::new();
    for piece in &pieces {
        let start_plain = plain.len();
        let start_packed = bytes.len();
        match (piece, packing) {
            (Piece::Whole(r), Packing::PerRecord) => bytes.extend(gz(r)),
            (Piece::CutMember(r), _) => {
                let member = gz(r);
                bytes.extend(&member[..member.len() / 2]);
            }
            (Piece::CutAtEnd(r), Packing::PerRecord) => {
                let member = gz(r);
                bytes.extend(&member[..member.len() / 2]);
            }
            (Piece::Whole(r), _) => plain.extend(r),
            (Piece::CutAtEnd(r), _) => plain.extend(&r[..r.len() / 2]),
        }
        starts.push((start_plain, start_packed));
    }
    match packing {
        Packing::Plain => bytes = plain,
        Packing::WholeFile => bytes = gz(&plain),
        Packing::PerRecord => {}
    }
    let at = |i: usize| match packing {
        Packing::Plain => starts[i].0.to_string(),
        Packing::PerRecord => starts[i].1.to_string(),
        Packing::WholeFile => format!("0+{}", starts[i].0),
    };
    let mut rejected =
        vec![(at(garbage_at), "bad HTTP headers"), (at(overshoot_at), "truncated WARC record")];
    if packing == Packing::PerRecord {
        rejected.push((at(cut_member_at), "corrupt gzip|truncated WARC record"));
    }
    rejected.push((
        at(cut_end_at),
        if packing == Packing::PerRecord { "corrupt gzip" } else { "truncated WARC record" },
    ));
    let skipped = vec![
        ("metadata record", 1),
        ("non-200 response", 1),
        ("non-HTML response", 1),
        ("request record", 1),
        ("revisit record", 1),
        ("warcinfo record", 1),
    ];
    Fixture { bytes, good, skipped, rejected }
}
