//! WARC archives, plain and in both gzip packings: exactly the good HTML pages come out, with
//! their URL, host and capture date; skipped records are counted by reason; every damaged
//! record is one rejected item naming the file and the record's offset, and the records after
//! it are still read.

#[path = "support/warc_fixture.rs"]
mod warc_fixture;

use newsloom_ingest::{IngestItem, Reader};
use warc_fixture::{CRAWL_DATE, Packing, build};

fn check(packing: Packing, name: &str) {
    let fixture = build(packing);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, &fixture.bytes).unwrap();
    let reader = Reader::new(vec![path.clone()]);
    let skips = reader.skip_counts();
    let (mut records, mut rejected) = (vec![], vec![]);
    for item in reader {
        match item {
            IngestItem::Record(r) => records.push(r),
            IngestItem::Rejected(e) => rejected.push(e),
        }
    }

    let urls: Vec<_> = records.iter().map(|r| r.meta_str("url").unwrap_or("-")).collect();
    let expected: Vec<_> = fixture.good.iter().map(|g| g.url).collect();
    assert_eq!(urls, expected, "{packing:?}: rejected {rejected:#?}");
    for (r, g) in records.iter().zip(&fixture.good) {
        assert_eq!(r.meta_str("url_host"), Some(g.host), "{packing:?}");
        assert_eq!(r.meta_str("crawled"), Some(CRAWL_DATE), "{packing:?}");
        assert!(r.content.contains(g.sentence), "{packing:?}: {} lacks {:?}", g.url, g.sentence);
        assert!(r.content.contains(g.title), "{packing:?}");
        assert!(r.warnings.is_empty(), "{packing:?}: {:?}", r.warnings);
        assert!(r.origin.starts_with(&path.display().to_string()), "{}", r.origin);
    }

    let got: Vec<_> = skips.snapshot().into_iter().collect();
    let want: Vec<_> = fixture.skipped.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    assert_eq!(got, want, "{packing:?}");

    let origins: Vec<_> = rejected.iter().map(|e| e.origin.clone()).collect();
    let want: Vec<_> = fixture.rejected.iter().map(|(at, _)| format!("{}@{at}", path.display())).collect();
    assert_eq!(origins, want, "{packing:?}: {rejected:#?}");
    for (e, (_, kinds)) in rejected.iter().zip(&fixture.rejected) {
        assert!(kinds.split('|').any(|k| k == e.kind), "{packing:?}: {e:?} is not {kinds}");
    }
}

#[test]
fn plain_warc() {
    check(Packing::Plain, "crawl.warc");
}

#[test]
fn per_record_gzip_warc() {
    check(Packing::PerRecord, "CC-NEWS-20261202081500-00001.warc.gz");
}

#[test]
fn whole_file_gzip_warc() {
    check(Packing::WholeFile, "crawl.warc.gz");
}

#[test]
fn a_warc_under_another_name_is_recognised_by_its_content() {
    let fixture = build(Packing::Plain);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capture.dat");
    std::fs::write(&path, &fixture.bytes).unwrap();
    let records = Reader::new(vec![path]).filter(|i| matches!(i, IngestItem::Record(_))).count();
    assert_eq!(records, fixture.good.len());
}

#[test]
fn the_same_page_has_the_same_id_in_every_packing() {
    let ids = |packing, name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, build(packing).bytes).unwrap();
        Reader::new(vec![path])
            .filter_map(|i| match i {
                IngestItem::Record(r) => Some(r.id),
                IngestItem::Rejected(_) => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(Packing::Plain, "a.warc"), ids(Packing::PerRecord, "b.warc.gz"));
}
