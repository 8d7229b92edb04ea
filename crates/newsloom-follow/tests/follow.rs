//! The follow loop against a loopback news site: feeds, sitemaps, conditional polls, robots.txt,
//! and the faults a live site throws at it.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Page, TestSite, article_html, rss};
use newsloom_fetch::{FetchConfig, Fetcher};
use newsloom_follow::{FollowOptions, FollowSummary, Follower, SourceSpec, Writer};
use newsloom_store::{FollowItemState, SqliteStore};
use url::Url;

const RSS: &str = "application/rss+xml";
const HTML: &str = "text/html; charset=utf-8";

fn fetcher() -> Fetcher {
    Fetcher::new(FetchConfig {
        connect_timeout: Duration::from_secs(2),
        first_byte_timeout: Duration::from_secs(3),
        total_timeout: Duration::from_secs(5),
        max_body_bytes: 1 << 20,
        per_host_delay: Duration::ZERO,
        per_host_concurrency: 8,
        max_retries: 1,
        backoff_base: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        ..Default::default()
    })
    .unwrap()
}

fn spec(site: &TestSite, path: &str) -> SourceSpec {
    SourceSpec {
        url: Url::parse(&site.url(path)).unwrap(),
        name: None,
        lang: None,
        poll: Duration::from_secs(60),
    }
}

fn options() -> FollowOptions {
    FollowOptions { once: true, max_item_attempts: 2, batch_size: 4, ..Default::default() }
}

/// One `--once` run over `specs` with a fresh writer on `db` (as separate runs would).
async fn once(db: &Path, specs: Vec<SourceSpec>, opts: FollowOptions) -> FollowSummary {
    let writer = Writer::open(db).unwrap();
    let (_tx, stop) = tokio::sync::watch::channel(false);
    Follower::new(fetcher(), writer, specs, opts).run(stop, |r| eprintln!("{}", r.line())).await
}

fn article_count(db: &Path) -> i64 {
    SqliteStore::open(db).unwrap().stats().unwrap().articles
}

fn serve_articles(site: &TestSite, paths: &[&str]) {
    for (n, path) in paths.iter().enumerate() {
        site.set(path, Page::ok(HTML, article_html(n, &format!("uniqword{n}"))));
    }
}

#[tokio::test]
async fn new_items_are_ingested_once_and_the_next_poll_is_conditional() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    serve_articles(&site, &["/a/0", "/a/1", "/a/2", "/a/3"]);
    let mut items = vec![
        (Some("g0".to_string()), "/a/0".to_string(), "Zero".to_string()),
        (Some("g1".to_string()), "/a/1".to_string(), "One".to_string()),
        (None, "/a/2".to_string(), "Two, no guid".to_string()),
    ];
    site.set("/rss", Page::ok(RSS, rss(&site, &items)).with_etag("\"v1\""));

    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!((s.new_items, s.stored, s.item_errors, s.poll_errors), (3, 3, 0, 0), "{s:?}");
    assert_eq!(article_count(db.path()), 3);
    assert!(site.requests("/rss")[0].if_none_match.is_none());
    assert!(site.requests("/a/0")[0].user_agent.as_deref().unwrap_or("").contains("newsloom/"));

    // Second poll: the feed is unchanged, so the server answers 304 and nothing is fetched.
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!((s.not_modified, s.new_items, s.stored), (1, 0, 0), "{s:?}");
    assert_eq!(site.requests("/rss")[1].if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(site.requests("/a/0").len(), 1, "a seen item's page is not fetched again");

    // A new item: only it is fetched.
    items.push((Some("g3".to_string()), "/a/3".to_string(), "Three".to_string()));
    site.set("/rss", Page::ok(RSS, rss(&site, &items)).with_etag("\"v2\""));
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!((s.new_items, s.stored), (1, 1), "{s:?}");
    assert_eq!(article_count(db.path()), 4);
    assert_eq!(site.requests("/a/1").len(), 1);

    let store = SqliteStore::open(db.path()).unwrap();
    let source = store.follow_source(&site.url("/rss")).unwrap().unwrap();
    assert_eq!((source.items, source.polls, source.errors, source.kind.as_deref()), (4, 3, 0, Some("rss")));
    assert_eq!(source.etag.as_deref(), Some("\"v2\""));
    let recorded = store.follow_items(&site.url("/rss"), 10).unwrap();
    assert_eq!(recorded.len(), 4);
    assert!(recorded.iter().all(|i| i.state == FollowItemState::Stored && i.article.is_some()));
    assert!(recorded.iter().any(|i| i.key == site.url("/a/2")), "no guid: keyed by its link");
    // The feed's title is only a hint: the page's own headline wins.
    let a = store.article(recorded[0].article.as_deref().unwrap()).unwrap().unwrap();
    assert!(a.title.starts_with("Report"), "{}", a.title);
    assert_eq!(a.meta["feed"], site.url("/rss"));
}

#[tokio::test]
async fn robots_txt_is_obeyed_and_feed_content_is_the_fallback() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    site.set("/robots.txt", Page::ok("text/plain", "User-agent: *\nDisallow: /private/\n"));
    serve_articles(&site, &["/open/1", "/private/2", "/private/3"]);
    let body = "<p>The harbour authority said on Monday that the new ferry terminal would open in March, \
                two months later than planned, because of delays in delivering the steel frame.</p>";
    let feed = format!(
        "<rss version=\"2.0\"><channel><title>T</title>\
         <item><guid>o1</guid><title>Open</title><link>{}</link></item>\
         <item><guid>p2</guid><title>Private</title><link>{}</link></item>\
         <item><guid>p3</guid><title>Ferry terminal delayed</title><link>{}</link><description><![CDATA[{body}]]></description></item>\
         </channel></rss>",
        site.url("/open/1"),
        site.url("/private/2"),
        site.url("/private/3")
    );
    site.set("/rss", Page::ok(RSS, feed));
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert!(site.requests("/private/2").is_empty() && site.requests("/private/3").is_empty());
    assert_eq!(site.requests("/open/1").len(), 1);
    assert_eq!((s.stored, s.item_errors, s.given_up, s.from_feed_content), (2, 2, 1, 1), "{s:?}");
    assert_eq!(s.item_errors_by_kind.get("robots_disallowed"), Some(&2));
    let store = SqliteStore::open(db.path()).unwrap();
    let items = store.follow_items(&site.url("/rss"), 10).unwrap();
    let p2 = items.iter().find(|i| i.key == "p2").unwrap();
    assert_eq!(p2.state, FollowItemState::GivenUp);
    assert!(p2.last_error.as_deref().unwrap().contains("robots"));
    let p3 = items.iter().find(|i| i.key == "p3").unwrap();
    let a = store.article(p3.article.as_deref().unwrap()).unwrap().unwrap();
    assert_eq!(a.meta["content_from"], "feed");
    assert!(a.body.contains("ferry terminal"));
}

fn news_sitemap(site: &TestSite, paths: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">",
    );
    for p in paths {
        xml.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>Sitemap Gazette</news:name>\
             <news:language>en</news:language></news:publication>\
             <news:publication_date>2026-12-03T09:00:00Z</news:publication_date><news:title>T {p}</news:title>\
             </news:news></url>",
            site.url(p)
        ));
    }
    xml + "</urlset>"
}

#[tokio::test]
async fn a_sitemap_index_leads_to_sitemaps_and_their_pages() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    serve_articles(&site, &["/s/0", "/s/1", "/s/2", "/s/3"]);
    site.set(
        "/sm/1.xml",
        Page::ok("application/xml", news_sitemap(&site, &["/s/0", "/s/1"])).with_etag("\"a\""),
    );
    site.set("/sm/2.xml", Page::ok("application/xml", news_sitemap(&site, &["/s/2", "/s/3"])));
    let index = format!(
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>{}</loc></sitemap>\
         <sitemap><loc>/sm/2.xml</loc></sitemap></sitemapindex>",
        site.url("/sm/1.xml")
    );
    site.set("/sitemap-index.xml", Page::ok("text/xml", index));
    let s = once(db.path(), vec![spec(&site, "/sitemap-index.xml")], options()).await;
    assert_eq!((s.new_items, s.stored, s.poll_errors), (4, 4, 0), "{s:?}");
    let store = SqliteStore::open(db.path()).unwrap();
    let sources = store.follow_sources().unwrap();
    assert_eq!(sources.len(), 3, "the index and its two sitemaps");
    assert_eq!(sources[0].kind.as_deref(), Some("sitemap-index"));
    assert!(
        sources[1..].iter().all(|s| s.parent.as_deref() == Some(site.url("/sitemap-index.xml").as_str()))
    );
    let rows = store.articles(&newsloom_store::ArticleFilter { limit: 100, ..Default::default() }).unwrap();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().all(|r| r.source.as_deref() == Some("Sitemap Gazette")),
        "the publication names the outlet"
    );

    // Again: the child with an etag is asked conditionally, and nothing new is stored.
    let s = once(db.path(), vec![spec(&site, "/sitemap-index.xml")], options()).await;
    assert_eq!((s.new_items, s.stored), (0, 0));
    assert_eq!(site.requests("/sm/1.xml")[1].if_none_match.as_deref(), Some("\"a\""));
    assert_eq!(site.requests("/s/0").len(), 1);
}

#[tokio::test]
async fn a_malformed_or_endless_feed_is_a_source_error_and_the_others_go_on() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    serve_articles(&site, &["/a/0"]);
    site.set("/good", Page::ok(RSS, rss(&site, &[(Some("g".into()), "/a/0".into(), "Zero".into())])));
    site.set("/bad", Page::ok(RSS, "<rss><channel><item><title>broken</item></channel>"));
    site.set("/html", Page::ok(HTML, "<html><body>not a feed</body></html>"));
    site.set("/endless", Page { endless: true, ..Page::ok(RSS, "") });
    let specs =
        vec![spec(&site, "/bad"), spec(&site, "/endless"), spec(&site, "/html"), spec(&site, "/good")];
    let s = once(db.path(), specs, options()).await;
    assert_eq!((s.polls, s.poll_errors, s.stored), (4, 3, 1), "{s:?}");
    let store = SqliteStore::open(db.path()).unwrap();
    let bad = store.follow_source(&site.url("/bad")).unwrap().unwrap();
    assert!(bad.last_error.as_deref().unwrap().contains("malformed"), "{:?}", bad.last_error);
    assert_eq!((bad.errors, bad.consecutive_errors), (1, 1));
    let endless = store.follow_source(&site.url("/endless")).unwrap().unwrap();
    assert!(endless.last_error.as_deref().unwrap().contains("too_large"), "{:?}", endless.last_error);
    let html = store.follow_source(&site.url("/html")).unwrap().unwrap();
    assert!(html.last_error.as_deref().unwrap().contains("<html>"));
}

#[tokio::test]
async fn a_gone_source_is_marked_and_backs_off() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    site.set("/gone", Page::status(410));
    let before = newsloom_follow_now();
    let s = once(db.path(), vec![spec(&site, "/gone")], options()).await;
    assert_eq!(s.poll_errors, 1);
    let store = SqliteStore::open(db.path()).unwrap();
    let gone = store.follow_source(&site.url("/gone")).unwrap().unwrap();
    assert!(gone.gone);
    // Polled every 60 s normally; gone, the next poll is pushed out (x4 at the first failure).
    assert!(gone.next_poll.unwrap() >= before + 4 * 60, "{gone:?}");
    // The next cron run skips it without asking the server.
    let s = once(db.path(), vec![spec(&site, "/gone")], options()).await;
    assert_eq!((s.polls, s.skipped_backing_off), (0, 1));
    assert_eq!(site.requests("/gone").len(), 1);
}

fn newsloom_follow_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn server_errors_are_retried_then_reflected_in_the_schedule() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    // The feed is rate limited with a long Retry-After: the next poll waits at least that long.
    site.set("/limited", Page::status(429).with_header("retry-after", "3600"));
    // A feed whose pages fail with 500 at first.
    serve_articles(&site, &["/a/0"]);
    site.set("/a/1", Page::status(500));
    let items =
        [(Some("g0".into()), "/a/0".into(), "Zero".into()), (Some("g1".into()), "/a/1".into(), "One".into())];
    site.set("/rss", Page::ok(RSS, rss(&site, &items)));
    let before = newsloom_follow_now();
    let s = once(db.path(), vec![spec(&site, "/limited"), spec(&site, "/rss")], options()).await;
    assert_eq!((s.poll_errors, s.stored, s.item_errors), (1, 1, 1), "{s:?}");
    // (Retry-After is longer than the fetcher waits within one poll: it gives up at once.)
    assert!(!site.requests("/limited").is_empty());
    assert!(site.requests("/a/1").len() >= 2, "the fetcher retried the 500");
    let store = SqliteStore::open(db.path()).unwrap();
    let limited = store.follow_source(&site.url("/limited")).unwrap().unwrap();
    assert!(limited.next_poll.unwrap() >= before + 3600, "{limited:?}");
    assert!(limited.last_error.as_deref().unwrap().contains("429"));
    let item =
        |key: &str| store.follow_items(&site.url("/rss"), 10).unwrap().into_iter().find(|i| i.key == key);
    assert_eq!(item("g1").unwrap().state, FollowItemState::Failed);
    assert_eq!(store.follow_source(&site.url("/rss")).unwrap().unwrap().item_errors, 1);

    // Next poll: the failed page is tried again (the feed itself is unchanged); it fails a second
    // time and is given up (2 attempts in these options).
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!((s.item_errors, s.given_up), (1, 1), "{s:?}");
    assert_eq!(item("g1").unwrap().state, FollowItemState::GivenUp);
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!(s.item_errors, 0, "a given-up item is not tried again");
}

#[tokio::test]
async fn redirect_faults_and_bad_charsets_are_per_item() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    site.set("/loop", Page::redirect("/loop"));
    site.set("/file", Page::redirect("file:///etc/passwd"));
    let latin1 = |n: usize| {
        let html = article_html(n, "caf\u{e9}");
        encoding_rs::WINDOWS_1252.encode(&html).0.into_owned()
    };
    // Declared UTF-8 but Latin-1; and no charset at all.
    site.set("/wrong-charset", Page::ok("text/html; charset=utf-8", latin1(1)));
    site.set("/no-charset", Page::ok("text/html", latin1(2)));
    let items: Vec<_> = ["/loop", "/file", "/wrong-charset", "/no-charset"]
        .iter()
        .map(|p| (Some(p.to_string()), p.to_string(), p.to_string()))
        .collect();
    site.set("/rss", Page::ok(RSS, rss(&site, &items)));
    let s = once(db.path(), vec![spec(&site, "/rss")], options()).await;
    assert_eq!((s.stored, s.item_errors, s.given_up), (2, 2, 2), "{s:?}");
    assert_eq!(s.item_errors_by_kind.get("too_many_redirects"), Some(&1), "{s:?}");
    assert_eq!(s.item_errors_by_kind.get("bad_redirect"), Some(&1), "{s:?}");
    let store = SqliteStore::open(db.path()).unwrap();
    let hits = newsloom_search_count(&store, "café");
    assert_eq!(hits, 2, "both Latin-1 pages decoded");
}

fn newsloom_search_count(store: &SqliteStore, word: &str) -> usize {
    store
        .articles(&newsloom_store::ArticleFilter { limit: 100, ..Default::default() })
        .unwrap()
        .iter()
        .filter_map(|r| store.article(&r.id).unwrap())
        .filter(|a| a.body.contains(word))
        .count()
}

#[tokio::test]
async fn a_full_store_loses_nothing_and_following_goes_on() {
    let site = TestSite::start();
    let db = tempfile::tempdir().unwrap();
    // Pages long enough that storing them must grow the database: small ones can fit in the
    // free room of pages it already has, and then the "full disk" is never hit.
    for (n, path) in ["/a/0", "/a/1"].iter().enumerate() {
        let ledger: String = (0..400)
            .map(|i| format!("<p>Line {i} of ledger {n} lists {} euros.</p>", (i * 7919 + n) % 100_003))
            .collect();
        let html =
            article_html(n, &format!("uniqword{n}")).replace("</article>", &format!("{ledger}</article>"));
        site.set(path, Page::ok(HTML, html));
    }
    let items =
        [(Some("g0".into()), "/a/0".into(), "Zero".into()), (Some("g1".into()), "/a/1".into(), "One".into())];
    site.set("/rss", Page::ok(RSS, rss(&site, &items)).with_etag("\"e\""));
    let writer = Writer::open(db.path()).unwrap();
    // The disk "fills up": the database may not grow past its current size.
    writer
        .with(|p| {
            let pages =
                p.embedded().map_err(|e| e.to_string())?.size_in_pages().map_err(|e| e.to_string())?;
            p.embedded().map_err(|e| e.to_string())?.limit_size_in_pages(pages).map_err(|e| e.to_string())
        })
        .await
        .unwrap();
    let (_tx, stop) = tokio::sync::watch::channel(false);
    let follower = Follower::new(fetcher(), writer.clone(), vec![spec(&site, "/rss")], options());
    let s = follower.run(stop.clone(), |r| eprintln!("{}", r.line())).await;
    assert_eq!((s.stored, s.store_errors), (0, 1), "{s:?}");
    assert!(s.errors.iter().any(|e| e.contains("no space left on device")), "{:?}", s.errors);
    // Space again: the next poll fetches the feed in full (its validators were not kept) and
    // stores both items.
    writer
        .with(|p| {
            p.embedded().map_err(|e| e.to_string())?.limit_size_in_pages(1 << 30).map_err(|e| e.to_string())
        })
        .await
        .unwrap();
    let follower = Follower::new(fetcher(), writer, vec![spec(&site, "/rss")], options());
    let s = follower.run(stop, |r| eprintln!("{}", r.line())).await;
    assert_eq!((s.stored, s.store_errors, s.not_modified), (2, 0, 0), "{s:?}");
    assert!(site.requests("/rss").iter().all(|r| r.if_none_match.is_none()));
}
