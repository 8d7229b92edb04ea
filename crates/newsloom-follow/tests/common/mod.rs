//! A loopback news site for the follow tests: routes with fixed responses (feeds, sitemaps,
//! article pages, robots.txt) that a test can change while it runs, and a log of the requests
//! the server saw (with their conditional headers).
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::Response;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Page {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: String,
    pub etag: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Served before the response is sent (a slow server).
    pub delay: Duration,
    /// Streams this many bytes of filler forever-ish instead of `body` (a feed that never ends).
    pub endless: bool,
}

impl Page {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            body: body.into(),
            content_type: content_type.into(),
            etag: None,
            headers: vec![],
            delay: Duration::ZERO,
            endless: false,
        }
    }

    pub fn status(status: u16) -> Self {
        Self { status, ..Self::ok("text/plain", format!("status {status}")) }
    }

    pub fn redirect(to: &str) -> Self {
        Self { headers: vec![("location".into(), to.into())], ..Self::status(302) }
    }

    pub fn with_etag(mut self, etag: &str) -> Self {
        self.etag = Some(etag.into());
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub user_agent: Option<String>,
    /// When the request arrived.
    pub at: std::time::Instant,
}

#[derive(Default)]
pub struct Site {
    pub routes: HashMap<String, Page>,
    pub seen: Vec<Seen>,
}

/// A running loopback site.
#[derive(Clone)]
pub struct TestSite {
    pub addr: SocketAddr,
    pub site: Arc<Mutex<Site>>,
}

impl TestSite {
    /// Starts the site on 127.0.0.1:0 on a runtime of its own thread (it outlives the test's
    /// runtime and serves child processes too).
    pub fn start() -> Self {
        let site = Arc::new(Mutex::new(Site::default()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = site.clone();
        std::thread::spawn(move || {
            let rt =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
                    let site = shared.clone();
                    async move { respond(&site, uri, headers).await }
                });
                axum::serve(listener, app).await.unwrap();
            });
        });
        Self { addr, site }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, page: Page) {
        self.site.lock().unwrap().routes.insert(path.to_string(), page);
    }

    pub fn requests(&self, path: &str) -> Vec<Seen> {
        self.site.lock().unwrap().seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    pub fn all_requests(&self) -> Vec<Seen> {
        self.site.lock().unwrap().seen.clone()
    }
}

async fn respond(site: &Mutex<Site>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let page = {
        let mut s = site.lock().unwrap();
        s.seen.push(Seen {
            path: path.clone(),
            if_none_match: get(header::IF_NONE_MATCH),
            if_modified_since: get(header::IF_MODIFIED_SINCE),
            user_agent: get(header::USER_AGENT),
            at: std::time::Instant::now(),
        });
        s.routes.get(&path).cloned()
    };
    let Some(page) = page else {
        return Response::builder().status(404).body(Body::from("not found")).unwrap();
    };
    if !page.delay.is_zero() {
        tokio::time::sleep(page.delay).await;
    }
    let mut resp = Response::builder().status(StatusCode::from_u16(page.status).unwrap());
    if let Some(etag) = &page.etag {
        if get(header::IF_NONE_MATCH).as_deref() == Some(etag.as_str()) {
            return resp.status(304).header(header::ETAG, etag).body(Body::empty()).unwrap();
        }
        resp = resp.header(header::ETAG, etag);
    }
    resp = resp.header(header::CONTENT_TYPE, HeaderValue::from_str(&page.content_type).unwrap());
    for (k, v) in &page.headers {
        resp = resp.header(k.as_str(), v.as_str());
    }
    if page.endless {
        let chunk = bytes::Bytes::from(vec![b' '; 64 * 1024]);
        let stream = futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
        return resp.body(Body::from_stream(stream)).unwrap();
    }
    resp.body(Body::from(page.body.clone())).unwrap()
}

/// A news article page with a unique word, long enough for the extractor to take it.
pub fn article_html(n: usize, word: &str) -> String {
    let topics = ["harbour", "railway", "budget", "hospital", "election", "bridge", "school", "water"];
    let topic = topics[n % topics.len()];
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {n}: the {topic} plan</title>\
         </head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>\
         <h1>Report {n}: the {topic} plan</h1>\
         <p>The city council of district {n} voted on Tuesday to approve the {topic} plan, which officials said \
         would cost about {cost} million euros over the next {years} years. The word of the day is {word}.</p>\
         <p>Residents of district {n} had asked for the {topic} project since {since}, and several groups welcomed \
         the decision while others said the money should go to housing instead.</p>\
         <p>Work on the {topic} plan in district {n} is expected to begin next spring, the mayor told reporters \
         after the vote, adding that contracts would be tendered in the coming weeks.</p>\
         </article><footer>Copyright Test News</footer></body></html>",
        cost = 10 + n * 3,
        years = 2 + n % 5,
        since = 1990 + n % 30,
    )
}

/// An RSS 2.0 feed of `(guid, path, title)` items.
pub fn rss(site: &TestSite, items: &[(Option<String>, String, String)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Test News</title>\
         <link>http://news.test/</link><description>d</description>",
    );
    for (guid, path, title) in items {
        xml.push_str("<item>");
        if let Some(g) = guid {
            xml.push_str(&format!("<guid isPermaLink=\"false\">{g}</guid>"));
        }
        xml.push_str(&format!(
            "<title>{title}</title><link>{}</link><pubDate>Thu, 03 Dec 2026 10:00:00 GMT</pubDate></item>",
            site.url(path)
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}
