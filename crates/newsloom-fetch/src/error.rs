//! Why a fetch failed: one variant per cause, each with a sentence for people and a short
//! stable [`FetchError::kind`] for summaries, counters and the store.

use std::fmt;
use std::time::Duration;

use url::Url;

/// Which wait ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Opening the TCP (and TLS) connection.
    Connect,
    /// Waiting for the response headers after the request was sent.
    FirstByte,
    /// Reading the body (the attempt's total time ran out).
    Body,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "the connection",
            TimeoutPhase::FirstByte => "the response headers",
            TimeoutPhase::Body => "the whole body",
        })
    }
}

/// A failed fetch. Errors that may go away on their own (timeouts, connection failures, 429 and
/// 5xx) were already retried with backoff before they are returned.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be fetched at all (not http/https, no host).
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The site's robots.txt disallows this URL for newsloom.
    #[error("{url} is disallowed by the site's robots.txt")]
    DisallowedByRobots { url: Url },
    /// The site's robots.txt could not be read (5xx, 429, timeout, connection failure): by RFC 9309
    /// the whole site counts as disallowed until it can be read again.
    #[error("robots.txt for {url} is unreachable ({reason}); the site is treated as disallowed for now")]
    RobotsUnreachable { url: Url, reason: String },
    /// A timeout ran out (after retries).
    #[error("timed out waiting for {phase}")]
    Timeout { phase: TimeoutPhase },
    /// The body (on the wire or once decoded) exceeds the size cap; reading stopped at the cap.
    #[error("the body exceeds the {limit}-byte limit")]
    TooLarge { limit: u64 },
    /// More redirects than allowed, or a redirect back to a URL already visited.
    #[error("{}", match looped_at {
        Some(url) => format!("redirect loop back to {url}"),
        None => format!("more than {limit} redirects"),
    })]
    TooManyRedirects { limit: usize, looped_at: Option<Url> },
    /// A redirect without a usable target, or to a scheme other than http/https.
    #[error("refused redirect to {to:?}: {reason}")]
    BadRedirect { to: String, reason: String },
    /// 404 Not Found or 410 Gone: not retried.
    #[error("the page is gone (HTTP {status})")]
    Gone { status: u16 },
    /// Any other unsuccessful HTTP status (for 429 and 5xx after the retries ran out).
    /// `retry_after` is the server's last `Retry-After`, if any, so callers can reschedule.
    #[error("HTTP status {status}{}", retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    Status { status: u16, retry_after: Option<Duration> },
    /// The connection could not be opened or broke before the response headers.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The connection broke while the body was being read.
    #[error("reading the body failed: {0}")]
    Body(String),
    /// The body's Content-Encoding is unsupported or its compressed data is corrupt.
    #[error("cannot decode the body: {0}")]
    Decode(String),
    /// The HTTP client could not be built (TLS setup).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl FetchError {
    /// A short, stable reason (`timeout_body`, `too_large`, `gone`, ...) for summaries and counters.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::DisallowedByRobots { .. } => "robots_disallowed",
            FetchError::RobotsUnreachable { .. } => "robots_unreachable",
            FetchError::Timeout { phase: TimeoutPhase::Connect } => "timeout_connect",
            FetchError::Timeout { phase: TimeoutPhase::FirstByte } => "timeout_first_byte",
            FetchError::Timeout { phase: TimeoutPhase::Body } => "timeout_body",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::BadRedirect { .. } => "bad_redirect",
            FetchError::Gone { .. } => "gone",
            FetchError::Status { .. } => "http_status",
            FetchError::Connect(_) => "connect",
            FetchError::Body(_) => "body",
            FetchError::Decode(_) => "decode",
            FetchError::Client(_) => "client",
        }
    }

    /// Whether trying again later may succeed: the errors the fetcher retries itself.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. } | FetchError::Connect(_) | FetchError::Body(_) => true,
            FetchError::Status { status, .. } => is_retryable_status(*status),
            FetchError::RobotsUnreachable { .. } => true,
            _ => false,
        }
    }
}

/// 429 Too Many Requests and every 5xx are worth another try.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// An error and its causes on one line ("error sending request: connection refused").
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stable_and_messages_say_what_happened() {
        let e = FetchError::Timeout { phase: TimeoutPhase::Body };
        assert_eq!(
            (e.kind(), e.to_string().as_str()),
            ("timeout_body", "timed out waiting for the whole body")
        );
        let e = FetchError::Status { status: 503, retry_after: Some(Duration::from_secs(120)) };
        assert_eq!(e.to_string(), "HTTP status 503 (retry after 120 s)");
        assert!(e.is_transient());
        let e = FetchError::TooManyRedirects { limit: 5, looped_at: None };
        assert_eq!(e.to_string(), "more than 5 redirects");
        assert!(!FetchError::Gone { status: 410 }.is_transient());
    }
}
