//! The fetch loop: robots.txt and politeness before every hop, manual redirects, retries with
//! backoff, and the timeouts and size cap of each attempt.

use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap};
use tokio::time::Instant;
use url::Url;

use crate::body::{self, Encoding};
use crate::config::FetchConfig;
use crate::error::{FetchError, TimeoutPhase, error_chain};
use crate::politeness::{Politeness, host_key};
use crate::retry::{self, RetryDecision};
use crate::robots::{self, RobotsCache, RobotsFetch, Verdict};

/// RFC 9309: follow at least five redirects for robots.txt.
const ROBOTS_MAX_REDIRECTS: usize = 5;

/// What to fetch, with the validators of the copy the caller already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: Url,
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

impl FetchRequest {
    /// An unconditional GET of `url`.
    pub fn new(url: Url) -> Self {
        FetchRequest { url, etag: None, last_modified: None }
    }
}

/// A successful (2xx) or not-modified (304) response.
#[derive(Debug, Clone)]
pub struct FetchResponse {
    /// The URL after redirects.
    pub final_url: Url,
    pub status: u16,
    /// The server answered 304 to the conditional GET: the caller's copy is current; `body` is empty.
    pub not_modified: bool,
    /// The body with its Content-Encoding (gzip/br/deflate) removed; still in its charset.
    pub body: Bytes,
    /// The `Content-Type` header as sent.
    pub content_type: Option<String>,
    /// The `charset` parameter of `Content-Type`, lower-cased, for the caller to decode with.
    pub charset: Option<String>,
    /// Validators to send next time.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The server's `Date` header.
    pub date: Option<String>,
    /// HTTP requests this fetch made, counting every retry and redirect hop (not robots.txt).
    pub attempts: u32,
    /// Redirect hops followed.
    pub redirects: u32,
}

/// A polite HTTP client. Cheap to clone; every clone shares one connection pool, one per-host
/// limiter and one robots.txt cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").field("config", &self.inner.cfg).finish_non_exhaustive()
    }
}

struct Inner {
    cfg: FetchConfig,
    client: reqwest::Client,
    politeness: Politeness,
    robots: RobotsCache,
}

/// The result of one request that did not fail.
enum Hop {
    Response(Box<FetchResponse>),
    Redirect(String),
}

impl Fetcher {
    /// Builds the client (rustls, no automatic redirects or decompression).
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, FetchError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(cfg.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.connect_timeout);
        if !cfg.use_env_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| FetchError::Client(error_chain(&e)))?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                politeness: Politeness::new(cfg.per_host_delay, cfg.per_host_concurrency),
                robots: RobotsCache::new(cfg.robots_ttl, cfg.robots_error_ttl),
                client,
                cfg,
            }),
        })
    }

    /// The configuration this fetcher was built with.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.cfg
    }

    /// Fetches `req.url`: checks robots.txt, waits its turn on the host, follows redirects (each
    /// hop checked the same way) and retries transient failures. Returns the 2xx or 304
    /// response, or why there is none.
    pub async fn fetch(&self, req: &FetchRequest) -> Result<FetchResponse, FetchError> {
        self.fetch_with_limit(req, self.inner.cfg.max_body_bytes).await
    }

    /// [`Fetcher::fetch`] with another body cap for this request, e.g. a larger one for sitemaps
    /// (the sitemap protocol allows 50 MB) than for article pages.
    pub async fn fetch_with_limit(
        &self,
        req: &FetchRequest,
        max_body_bytes: u64,
    ) -> Result<FetchResponse, FetchError> {
        let cfg = &self.inner.cfg;
        self.follow(req, cfg.obey_robots, max_body_bytes, cfg.max_redirects).await
    }

    async fn follow(
        &self,
        req: &FetchRequest,
        obey_robots: bool,
        limit: u64,
        max_redirects: usize,
    ) -> Result<FetchResponse, FetchError> {
        if let Err(reason) = check_fetchable(&req.url) {
            return Err(FetchError::InvalidUrl { url: req.url.to_string(), reason });
        }
        let mut url = without_fragment(&req.url);
        let mut visited = vec![url.clone()];
        let mut attempts = 0u32;
        loop {
            if obey_robots {
                self.check_robots(&url).await?;
            }
            match self.hop_with_retries(&url, req, limit, &mut attempts).await? {
                Hop::Response(mut response) => {
                    response.attempts = attempts;
                    response.redirects = (visited.len() - 1) as u32;
                    return Ok(*response);
                }
                Hop::Redirect(location) => {
                    let next = url.join(&location).map_err(|e| FetchError::BadRedirect {
                        to: location.clone(),
                        reason: e.to_string(),
                    })?;
                    if let Err(reason) = check_fetchable(&next) {
                        return Err(FetchError::BadRedirect { to: location, reason });
                    }
                    let next = without_fragment(&next);
                    if visited.contains(&next) {
                        return Err(FetchError::TooManyRedirects {
                            limit: max_redirects,
                            looped_at: Some(next),
                        });
                    }
                    if visited.len() > max_redirects {
                        return Err(FetchError::TooManyRedirects { limit: max_redirects, looped_at: None });
                    }
                    tracing::debug!(from = %url, to = %next, "following redirect");
                    visited.push(next.clone());
                    url = next;
                }
            }
        }
    }

    /// Fails unless robots.txt allows `url`; also applies the site's Crawl-delay.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let check = self
            .inner
            .robots
            .check(url, |robots_url| async move {
                // Boxed: this is a fetch inside a fetch (without a robots check of its own).
                let request = FetchRequest::new(robots_url);
                match Box::pin(self.follow(&request, false, robots::ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS))
                    .await
                {
                    Ok(response) => RobotsFetch::Response { status: response.status, body: response.body },
                    Err(FetchError::Gone { status } | FetchError::Status { status, .. }) => {
                        RobotsFetch::Response { status, body: Bytes::new() }
                    }
                    Err(FetchError::TooManyRedirects { .. } | FetchError::BadRedirect { .. }) => {
                        RobotsFetch::Unavailable
                    }
                    Err(e) => RobotsFetch::Failed(e),
                }
            })
            .await;
        let max_crawl_delay = self.inner.cfg.max_crawl_delay;
        self.inner
            .politeness
            .set_crawl_delay(&host_key(url), check.crawl_delay.map(|d| d.min(max_crawl_delay)));
        match check.verdict {
            Verdict::Allowed => Ok(()),
            Verdict::Disallowed => Err(FetchError::DisallowedByRobots { url: url.clone() }),
            Verdict::Unreachable(reason) => {
                Err(FetchError::RobotsUnreachable { url: robots::robots_url(url), reason })
            }
        }
    }

    /// One hop: attempts until success, a permanent failure, or the retries run out.
    async fn hop_with_retries(
        &self,
        url: &Url,
        req: &FetchRequest,
        limit: u64,
        attempts: &mut u32,
    ) -> Result<Hop, FetchError> {
        let cfg = &self.inner.cfg;
        let host = host_key(url);
        let mut retry = 0u32;
        loop {
            *attempts += 1;
            let result = {
                let _turn = self.inner.politeness.acquire(&host).await;
                self.attempt(url, req, limit).await
            };
            let error = match result {
                Ok(hop) => return Ok(hop),
                Err(e) if !e.is_transient() => return Err(e),
                Err(e) => e,
            };
            let retry_after = match &error {
                FetchError::Status { retry_after, .. } => *retry_after,
                _ => None,
            };
            match retry::decide(retry, cfg.max_retries, retry_after, cfg.backoff_base, cfg.max_backoff) {
                RetryDecision::GiveUp => return Err(error),
                RetryDecision::After(wait) => {
                    tracing::debug!(%url, error = %error, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
            }
        }
    }

    /// One HTTP request under the connect, first-byte and total timeouts.
    async fn attempt(&self, url: &Url, req: &FetchRequest, limit: u64) -> Result<Hop, FetchError> {
        let cfg = &self.inner.cfg;
        let deadline = Instant::now() + cfg.total_timeout;
        let mut request =
            self.inner.client.get(url.clone()).header(header::ACCEPT_ENCODING, body::ACCEPT_ENCODING);
        if let Some(etag) = &req.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(last_modified) = &req.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, last_modified);
        }
        let headers_by = deadline.min(Instant::now() + cfg.first_byte_timeout);
        let response = match tokio::time::timeout_at(headers_by, request.send()).await {
            Err(_) => return Err(FetchError::Timeout { phase: TimeoutPhase::FirstByte }),
            Ok(Err(e)) => return Err(send_error(&e)),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let headers = response.headers();
        match status {
            200..=299 | 304 => {}
            300..=399 => {
                if let Some(location) = header_str(headers, header::LOCATION) {
                    return Ok(Hop::Redirect(location));
                }
                return Err(FetchError::Status { status, retry_after: None });
            }
            404 | 410 => return Err(FetchError::Gone { status }),
            _ => {
                // Retry-After means "come back later" on 429 and 503 (RFC 9110 §10.2.3).
                let retry_after = if status == 429 || status == 503 {
                    header_str(headers, header::RETRY_AFTER)
                        .and_then(|v| retry::parse_retry_after(&v, SystemTime::now()))
                } else {
                    None
                };
                return Err(FetchError::Status { status, retry_after });
            }
        }
        let content_type = header_str(headers, header::CONTENT_TYPE);
        let mut fetched = FetchResponse {
            final_url: url.clone(),
            status,
            not_modified: status == 304,
            body: Bytes::new(),
            charset: content_type.as_deref().and_then(charset_of),
            content_type,
            etag: header_str(headers, header::ETAG),
            last_modified: header_str(headers, header::LAST_MODIFIED),
            date: header_str(headers, header::DATE),
            attempts: 0,
            redirects: 0,
        };
        if fetched.not_modified {
            return Ok(Hop::Response(Box::new(fetched)));
        }
        let encoding_header = header_str(headers, header::CONTENT_ENCODING);
        let Some(encoding) = Encoding::from_header(encoding_header.as_deref()) else {
            return Err(FetchError::Decode(format!(
                "unsupported Content-Encoding {:?}",
                encoding_header.unwrap_or_default()
            )));
        };
        // Content-Length is checked up front: a declared 50 MB page is refused unread.
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        fetched.body = body::read_capped(response.bytes_stream(), encoding, limit, deadline).await?;
        Ok(Hop::Response(Box::new(fetched)))
    }
}

/// Only absolute http(s) URLs with a host are fetched.
fn check_fetchable(url: &Url) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("scheme {:?} is not fetched (only http and https)", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".into());
    }
    Ok(())
}

/// Fragments are never sent; dropping them makes `a#x` and `a#y` one URL for loop detection.
fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name)?.to_str().ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The `charset` parameter of a Content-Type, lower-cased.
fn charset_of(content_type: &str) -> Option<String> {
    let mime: mime::Mime = content_type.parse().ok()?;
    mime.get_param(mime::CHARSET).map(|c| c.as_str().trim().to_ascii_lowercase()).filter(|c| !c.is_empty())
}

/// Maps a failure before the response headers to a timeout or connection error.
fn send_error(e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        let phase = if e.is_connect() { TimeoutPhase::Connect } else { TimeoutPhase::FirstByte };
        return FetchError::Timeout { phase };
    }
    FetchError::Connect(error_chain(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_comes_from_content_type() {
        assert_eq!(charset_of("text/html; charset=ISO-8859-1").as_deref(), Some("iso-8859-1"));
        assert_eq!(charset_of("text/html;charset=\"UTF-8\"").as_deref(), Some("utf-8"));
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(charset_of("garbage;;"), None);
    }

    #[test]
    fn only_http_urls_with_hosts_are_fetched() {
        assert!(check_fetchable(&Url::parse("https://example.com/a").unwrap()).is_ok());
        assert!(check_fetchable(&Url::parse("file:///etc/passwd").unwrap()).is_err());
        assert!(check_fetchable(&Url::parse("ftp://example.com/").unwrap()).is_err());
    }
}
