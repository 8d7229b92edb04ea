//! The fetcher's limits and manners.

use std::time::Duration;

/// The product token robots.txt groups are matched against (`User-agent: newsloom`).
pub const ROBOTS_AGENT: &str = "newsloom";

/// The default User-Agent: names newsloom and its version, as sites expect of a crawler.
pub fn default_user_agent() -> String {
    format!(
        "newsloom/{} (self-hosted news monitor; robots.txt agent \"{ROBOTS_AGENT}\")",
        env!("CARGO_PKG_VERSION")
    )
}

/// Limits and manners of a [`crate::Fetcher`]. The defaults are polite for a news follower:
/// one request at a time per host, a second apart, pages up to 10 MiB.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent on every request; should name newsloom, its version and ideally a contact URL.
    pub user_agent: String,
    /// Time to open the TCP and TLS connection.
    pub connect_timeout: Duration,
    /// Time from sending the request to the response headers (includes connecting).
    pub first_byte_timeout: Duration,
    /// Time for one attempt from start to the last body byte; cuts servers that drip.
    pub total_timeout: Duration,
    /// Largest body, both as received and once decoded (gzip/br/deflate); larger ones fail
    /// with `TooLarge` as soon as the cap is crossed.
    pub max_body_bytes: u64,
    /// Redirect hops followed before `TooManyRedirects`.
    pub max_redirects: usize,
    /// Minimum time between the starts of two requests to one host (robots.txt `Crawl-delay`
    /// raises it, up to `max_crawl_delay`).
    pub per_host_delay: Duration,
    /// Requests in flight at once per host.
    pub per_host_concurrency: usize,
    /// Extra attempts after a timeout, connection failure, 429 or 5xx.
    pub max_retries: u32,
    /// The first backoff; it doubles on each retry (with jitter).
    pub backoff_base: Duration,
    /// No wait between attempts is longer. A `Retry-After` beyond it ends the retries, and the
    /// error carries the server's wish so the caller can come back later.
    pub max_backoff: Duration,
    /// Fetch and follow each site's robots.txt.
    pub obey_robots: bool,
    /// How long a fetched robots.txt is trusted.
    pub robots_ttl: Duration,
    /// How long an unreachable robots.txt (5xx, timeout) keeps the site disallowed before it is
    /// asked for again.
    pub robots_error_ttl: Duration,
    /// Upper bound on a robots.txt `Crawl-delay` honoured, so one site cannot stall a follower.
    pub max_crawl_delay: Duration,
    /// Use the proxy named by `HTTP_PROXY` / `HTTPS_PROXY` / `ALL_PROXY` (and `NO_PROXY`).
    pub use_env_proxy: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: default_user_agent(),
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(60),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            per_host_delay: Duration::from_secs(1),
            per_host_concurrency: 1,
            max_retries: 3,
            backoff_base: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            obey_robots: true,
            robots_ttl: Duration::from_secs(24 * 3600),
            robots_error_ttl: Duration::from_secs(600),
            max_crawl_delay: Duration::from_secs(30),
            use_env_proxy: true,
        }
    }
}
