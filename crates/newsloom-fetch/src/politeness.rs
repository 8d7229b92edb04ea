//! Per-host manners: at most N requests in flight per host, and a minimum gap between the
//! starts of two requests to it. Shared by every clone of a `Fetcher`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// The key politeness is kept per: host and port (`example.com:443`).
pub fn host_key(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

struct HostSlot {
    in_flight: Arc<Semaphore>,
    /// When the next request to this host may start, and the gap after it.
    schedule: Mutex<Schedule>,
}

struct Schedule {
    next_start: Instant,
    /// A robots.txt `Crawl-delay`, if larger than the configured delay.
    crawl_delay: Option<Duration>,
}

/// Held while a request to a host is in flight; dropping it frees the host's slot.
pub struct HostPermit {
    _permit: OwnedSemaphorePermit,
}

/// The per-host limiter.
pub struct Politeness {
    delay: Duration,
    concurrency: usize,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

impl Politeness {
    pub fn new(delay: Duration, concurrency: usize) -> Self {
        Politeness { delay, concurrency: concurrency.max(1), hosts: Mutex::new(HashMap::new()) }
    }

    fn slot(&self, host: &str) -> Arc<HostSlot> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(HostSlot {
                    in_flight: Arc::new(Semaphore::new(self.concurrency)),
                    schedule: Mutex::new(Schedule { next_start: Instant::now(), crawl_delay: None }),
                })
            })
            .clone()
    }

    /// Waits for a free slot on `host` and for its turn to start, then returns the permit to
    /// hold until the response is read.
    pub async fn acquire(&self, host: &str) -> HostPermit {
        let slot = self.slot(host);
        let permit =
            slot.in_flight.clone().acquire_owned().await.expect("politeness semaphores are never closed");
        // Reserve a start time under the lock, sleep outside it: concurrent waiters queue up
        // one gap apart instead of all waking at the same instant.
        let start = {
            let mut schedule = slot.schedule.lock().unwrap_or_else(|e| e.into_inner());
            let start = schedule.next_start.max(Instant::now());
            let gap = schedule.crawl_delay.map_or(self.delay, |c| c.max(self.delay));
            schedule.next_start = start + gap;
            start
        };
        tokio::time::sleep_until(start).await;
        HostPermit { _permit: permit }
    }

    /// Raises the gap for `host` to a robots.txt `Crawl-delay` (the larger of the two applies).
    pub fn set_crawl_delay(&self, host: &str, delay: Option<Duration>) {
        let slot = self.slot(host);
        slot.schedule.lock().unwrap_or_else(|e| e.into_inner()).crawl_delay = delay;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_and_hosts_are_independent() {
        let limiter = Politeness::new(Duration::from_secs(2), 4);
        let t0 = Instant::now();
        let _a = limiter.acquire("a:80").await;
        let _b = limiter.acquire("a:80").await;
        assert!(Instant::now() - t0 >= Duration::from_secs(2));
        let before_other = Instant::now();
        let _c = limiter.acquire("b:80").await;
        assert_eq!(Instant::now(), before_other, "another host does not wait");
        limiter.set_crawl_delay("a:80", Some(Duration::from_secs(5)));
        let _d = limiter.acquire("a:80").await;
        let t1 = Instant::now();
        let _e = limiter.acquire("a:80").await;
        assert!(Instant::now() - t1 >= Duration::from_secs(5));
    }
}
