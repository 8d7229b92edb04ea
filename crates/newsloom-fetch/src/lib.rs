//! A polite, hardened HTTP fetcher for following news sites.
//!
//! [`Fetcher::fetch`] GETs one URL the way a well-behaved crawler should, and survives servers
//! that misbehave:
//!
//! - **robots.txt** is read once per site (cached, [`FetchConfig::robots_ttl`]) and obeyed for the
//!   `newsloom` agent, on every redirect hop; its `Crawl-delay` is honoured.
//! - **Politeness**: per host, at most [`FetchConfig::per_host_concurrency`] requests in flight
//!   and [`FetchConfig::per_host_delay`] between request starts, shared by all clones.
//! - **Conditional GET** with the caller's ETag / Last-Modified; a 304 is `not_modified`.
//! - **Retries** with exponential backoff and jitter on timeouts, connection errors, 429 and 5xx,
//!   honouring `Retry-After`; 404/410 are [`FetchError::Gone`] at once.
//! - **Timeouts** for connecting, the response headers and the whole attempt (drip servers).
//! - **Size cap** on the body as sent and as decoded: gzip/br/deflate are decoded here while
//!   streaming, so a 50 MB page or a gzip bomb is cut at [`FetchConfig::max_body_bytes`].
//! - **Redirects** followed by hand: at most [`FetchConfig::max_redirects`], loops detected,
//!   only to http/https.
//!
//! ```no_run
//! use newsloom_fetch::{FetchConfig, FetchRequest, Fetcher};
//! # async fn run() -> Result<(), newsloom_fetch::FetchError> {
//! let fetcher = Fetcher::new(FetchConfig::default())?;
//! let url = url::Url::parse("https://example.com/feed.xml").unwrap();
//! let first = fetcher.fetch(&FetchRequest::new(url.clone())).await?;
//! // Next poll: send the validators back; an unchanged feed costs a 304 and no body.
//! let again = FetchRequest { url, etag: first.etag.clone(), last_modified: first.last_modified.clone() };
//! match fetcher.fetch(&again).await {
//!     Ok(r) if r.not_modified => println!("unchanged"),
//!     Ok(r) => println!("{} bytes, charset {:?}", r.body.len(), r.charset),
//!     Err(e) => eprintln!("{} ({})", e, e.kind()),
//! }
//! # Ok(()) }
//! ```

mod body;
mod client;
mod config;
mod error;
mod politeness;
mod retry;
mod robots;

pub use client::{FetchRequest, FetchResponse, Fetcher};
pub use config::{FetchConfig, ROBOTS_AGENT, default_user_agent};
pub use error::{FetchError, TimeoutPhase};
pub use retry::parse_retry_after;
