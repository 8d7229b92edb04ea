//! How long to wait before the next attempt: exponential backoff with jitter, or the server's
//! `Retry-After`.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// The backoff before retry number `retry` (0 for the first retry): `base * 2^retry`, capped at
/// `max`, with "equal jitter" (a random point in its upper half) so that many followers
/// retrying one server do not come back in lockstep.
pub fn backoff(retry: u32, base: Duration, max: Duration) -> Duration {
    let full = base.saturating_mul(2u32.saturating_pow(retry.min(31))).min(max);
    let half = full / 2;
    let jitter_nanos = rand::rng().random_range(0..=half.as_nanos().min(u64::MAX as u128) as u64);
    half + Duration::from_nanos(jitter_nanos)
}

/// Parses a `Retry-After` value: delay-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`), relative to `now`. A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// What to do after a failed attempt that may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Sleep this long, then try again.
    After(Duration),
    /// Give up: no retries left, or the server asked for a longer pause than `max`.
    GiveUp,
}

/// Decides the wait before retry number `retry`, honouring the server's `retry_after` (never
/// earlier than it asks) and never sleeping longer than `max`.
pub fn decide(
    retry: u32,
    max_retries: u32,
    retry_after: Option<Duration>,
    base: Duration,
    max: Duration,
) -> RetryDecision {
    if retry >= max_retries {
        return RetryDecision::GiveUp;
    }
    match retry_after {
        Some(wait) if wait > max => RetryDecision::GiveUp,
        Some(wait) => RetryDecision::After(wait),
        None => RetryDecision::After(backoff(retry, base, max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        for retry in 0..3 {
            let full = base * 2u32.pow(retry);
            let got = backoff(retry, base, max);
            assert!(got >= full / 2 && got <= full, "retry {retry}: {got:?}");
        }
        let got = backoff(30, base, max);
        assert!(got >= max / 2 && got <= max);
        assert!(backoff(u32::MAX, Duration::from_secs(u64::MAX / 4), max) <= max);
    }

    #[test]
    fn retry_after_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let (base, max) = (Duration::from_millis(10), Duration::from_secs(60));
        assert_eq!(
            decide(0, 3, Some(Duration::from_secs(2)), base, max),
            RetryDecision::After(Duration::from_secs(2))
        );
        assert_eq!(decide(0, 3, Some(Duration::from_secs(3600)), base, max), RetryDecision::GiveUp);
        assert_eq!(decide(3, 3, None, base, max), RetryDecision::GiveUp);
        assert!(matches!(decide(1, 3, None, base, max), RetryDecision::After(d) if d <= base * 2));
    }
}
