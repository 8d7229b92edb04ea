//! robots.txt: fetched once per site and cached with a TTL, matched for the `newsloom` agent by
//! `texting_robots`. Per RFC 9309 a 4xx robots.txt allows everything, and an unreachable one
//! (5xx, 429, timeout, connection failure) disallows the whole site until it is read again.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use texting_robots::Robot;
use tokio::time::Instant;
use url::Url;

use crate::config::ROBOTS_AGENT;
use crate::error::FetchError;

/// Google and RFC 9309 read at least 500 KiB of a robots.txt; bigger files are cut there.
pub const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// The outcome of asking for a site's robots.txt.
pub enum RobotsFetch {
    /// Any HTTP status with its (capped) body.
    Response { status: u16, body: Bytes },
    /// There is no usable robots.txt: its redirects loop, go on too long or lead nowhere
    /// (RFC 9309 §2.3.1.2 lets crawlers count that as "unavailable", which allows everything).
    Unavailable,
    /// No response: timeout, connection failure, ...
    Failed(FetchError),
}

/// What robots.txt says about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Disallowed,
    /// The robots.txt could not be read; the reason says why.
    Unreachable(String),
}

/// A verdict plus the site's `Crawl-delay`, if it sets one.
#[derive(Debug, Clone, PartialEq)]
pub struct RobotsCheck {
    pub verdict: Verdict,
    pub crawl_delay: Option<Duration>,
}

enum Rules {
    AllowAll,
    Unreachable(String),
    Parsed(Box<Robot>),
}

struct Cached {
    rules: Rules,
    expires: Instant,
}

/// The per-site cache, shared by every clone of a `Fetcher`.
pub struct RobotsCache {
    ttl: Duration,
    error_ttl: Duration,
    /// One async lock per site, so concurrent fetches to a new site ask for robots.txt once.
    sites: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Cached>>>>>,
    /// URLs already logged as disallowed (logged once each).
    warned: Mutex<HashSet<String>>,
}

/// Past this many remembered URLs the "warned once" set starts over, to bound its memory.
const MAX_WARNED: usize = 100_000;

/// The URL of the robots.txt that governs `url`.
pub fn robots_url(url: &Url) -> Url {
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    // Credentials never go to robots.txt; ignoring failure is fine for http(s) URLs with a host.
    let _ = robots.set_username("");
    let _ = robots.set_password(None);
    robots
}

impl RobotsCache {
    pub fn new(ttl: Duration, error_ttl: Duration) -> Self {
        RobotsCache { ttl, error_ttl, sites: Mutex::new(HashMap::new()), warned: Mutex::new(HashSet::new()) }
    }

    /// Checks `url` against its site's robots.txt, calling `fetch` for the robots.txt URL when
    /// the cache has no fresh copy.
    pub async fn check<F, Fut>(&self, url: &Url, fetch: F) -> RobotsCheck
    where
        F: FnOnce(Url) -> Fut,
        Fut: Future<Output = RobotsFetch>,
    {
        let site_url = robots_url(url);
        let site = {
            let mut sites = self.sites.lock().unwrap_or_else(|e| e.into_inner());
            sites.entry(site_url.to_string()).or_default().clone()
        };
        let mut entry = site.lock().await;
        let fresh = entry.as_ref().is_some_and(|c| c.expires > Instant::now());
        if !fresh {
            let rules = rules_from(fetch(site_url.clone()).await);
            let ttl = if matches!(rules, Rules::Unreachable(_)) { self.error_ttl } else { self.ttl };
            if let Rules::Unreachable(reason) = &rules {
                tracing::warn!(robots = %site_url, %reason, "robots.txt unreachable; site disallowed for now");
            }
            *entry = Some(Cached { rules, expires: Instant::now() + ttl });
        }
        let rules = &entry.as_ref().expect("filled above").rules;
        let check = match rules {
            Rules::AllowAll => RobotsCheck { verdict: Verdict::Allowed, crawl_delay: None },
            Rules::Unreachable(reason) => {
                RobotsCheck { verdict: Verdict::Unreachable(reason.clone()), crawl_delay: None }
            }
            Rules::Parsed(robot) => RobotsCheck {
                verdict: if robot.allowed(url.as_str()) { Verdict::Allowed } else { Verdict::Disallowed },
                crawl_delay: robot
                    .delay
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map(|d| Duration::from_secs_f64(f64::from(d).min(86_400.0))),
            },
        };
        if check.verdict == Verdict::Disallowed {
            self.warn_once(url);
        }
        check
    }

    fn warn_once(&self, url: &Url) {
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        if warned.len() >= MAX_WARNED {
            warned.clear();
        }
        if warned.insert(url.to_string()) {
            tracing::warn!(%url, "disallowed by robots.txt; not fetched");
        }
    }
}

fn rules_from(fetched: RobotsFetch) -> Rules {
    match fetched {
        RobotsFetch::Unavailable => Rules::AllowAll,
        RobotsFetch::Failed(e) => Rules::Unreachable(e.to_string()),
        RobotsFetch::Response { status, body } => match status {
            200..=299 => match Robot::new(ROBOTS_AGENT, &body) {
                Ok(robot) => Rules::Parsed(Box::new(robot)),
                // Unparseable rules say nothing: the same as no robots.txt.
                Err(_) => Rules::AllowAll,
            },
            429 => Rules::Unreachable("HTTP 429".into()),
            // 3xx here is a redirect without a Location: nothing to read, as for a 4xx.
            300..=499 => Rules::AllowAll,
            _ => Rules::Unreachable(format!("HTTP {status}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn robots_url_is_the_site_root() {
        assert_eq!(
            robots_url(&url("https://u:p@ex.com:8443/a/b?q=1#f")).as_str(),
            "https://ex.com:8443/robots.txt"
        );
    }

    #[tokio::test]
    async fn newsloom_group_is_matched_and_cached() {
        let cache = RobotsCache::new(Duration::from_secs(60), Duration::from_secs(1));
        let calls = AtomicUsize::new(0);
        let txt = "User-agent: *\nDisallow: /\n\nUser-agent: newsloom\nDisallow: /private\nCrawl-delay: 2\n";
        let fetch = |_: Url| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { RobotsFetch::Response { status: 200, body: Bytes::from(txt) } }
        };
        let check = cache.check(&url("http://ex.com/news/1"), fetch).await;
        assert_eq!(
            check,
            RobotsCheck { verdict: Verdict::Allowed, crawl_delay: Some(Duration::from_secs(2)) }
        );
        let check = cache.check(&url("http://ex.com/private/x"), fetch).await;
        assert_eq!(check.verdict, Verdict::Disallowed);
        assert_eq!(calls.load(Ordering::SeqCst), 1, "robots.txt is fetched once per site");
    }

    /// Counts WARN events, to check that a disallowed URL is logged once.
    struct WarnCounter(Arc<AtomicUsize>);

    impl tracing::Subscriber for WarnCounter {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            tracing::span::Id::from_u64(1)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            if *event.metadata().level() == tracing::Level::WARN {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    #[test]
    fn a_disallowed_url_is_logged_once() {
        let warnings = Arc::new(AtomicUsize::new(0));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        tracing::subscriber::with_default(WarnCounter(warnings.clone()), || {
            runtime.block_on(async {
                let cache = RobotsCache::new(Duration::from_secs(60), Duration::from_secs(60));
                let fetch = |_: Url| async {
                    RobotsFetch::Response { status: 200, body: Bytes::from("User-agent: *\nDisallow: /x\n") }
                };
                for _ in 0..3 {
                    assert_eq!(
                        cache.check(&url("http://ex.com/x/1"), fetch).await.verdict,
                        Verdict::Disallowed
                    );
                }
                assert_eq!(cache.check(&url("http://ex.com/x/2"), fetch).await.verdict, Verdict::Disallowed);
                assert_eq!(cache.check(&url("http://ex.com/y"), fetch).await.verdict, Verdict::Allowed);
            })
        });
        assert_eq!(warnings.load(Ordering::SeqCst), 2, "one warning per disallowed URL");
    }

    #[tokio::test]
    async fn status_codes_follow_rfc_9309() {
        let cache = RobotsCache::new(Duration::from_secs(60), Duration::from_secs(60));
        let with =
            |status: u16| move |_: Url| async move { RobotsFetch::Response { status, body: Bytes::new() } };
        assert_eq!(cache.check(&url("http://a.com/x"), with(404)).await.verdict, Verdict::Allowed);
        let looping = |_: Url| async { RobotsFetch::Unavailable };
        assert_eq!(cache.check(&url("http://loop.com/x"), looping).await.verdict, Verdict::Allowed);
        assert!(matches!(
            cache.check(&url("http://b.com/x"), with(503)).await.verdict,
            Verdict::Unreachable(_)
        ));
        assert!(matches!(
            cache.check(&url("http://c.com/x"), with(429)).await.verdict,
            Verdict::Unreachable(_)
        ));
        let failed = |_: Url| async { RobotsFetch::Failed(FetchError::Connect("refused".into())) };
        let check = cache.check(&url("http://d.com/x"), failed).await;
        assert!(matches!(check.verdict, Verdict::Unreachable(r) if r.contains("refused")));
    }
}
