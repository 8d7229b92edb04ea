//! Results of expensive aggregate queries (dyads, story pages), reused until the store
//! changes. Every write adds articles, so the highest article sequence number is the version:
//! an entry computed at another version is stale.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::OnceCell;

/// A bounded map of results computed at one store version. When full, the oldest entry goes
/// (many users asking varied questions must not wipe out each other's answers).
pub struct Cache<K, V> {
    inner: Mutex<Entries<K, V>>,
    capacity: usize,
    /// The `cache` label of its hit/miss counters on `/metrics`.
    name: &'static str,
    /// Values being computed, so concurrent requests for one key wait for that computation
    /// instead of each queueing their own (under load, those duplicates made requests time out).
    in_flight: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

struct Entries<K, V> {
    version: i64,
    map: HashMap<K, V>,
    /// Keys in insertion order, for eviction.
    order: VecDeque<K>,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new(capacity: usize) -> Self {
        let entries = Entries { version: i64::MIN, map: HashMap::new(), order: VecDeque::new() };
        Self {
            inner: Mutex::new(entries),
            capacity: capacity.max(1),
            name: "cache",
            in_flight: Mutex::new(HashMap::new()),
        }
    }

    /// Names the cache in the metrics.
    pub fn named(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// The value of `key` at `version`: from the cache, else from `compute` (then cached).
    /// Concurrent callers for one key share a single computation.
    pub async fn get_or_compute<E, F, Fut>(&self, key: K, version: i64, compute: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(hit) = self.get(&key, version) {
            return Ok(hit);
        }
        let flight = match self.in_flight.lock() {
            Ok(mut m) => m.entry(key.clone()).or_default().clone(),
            Err(_) => Arc::new(OnceCell::new()),
        };
        let value = flight.get_or_try_init(compute).await.cloned();
        if let Ok(v) = &value {
            self.put(key.clone(), version, v.clone());
        }
        if let Ok(mut m) = self.in_flight.lock() {
            m.remove(&key);
        }
        value
    }

    pub fn get(&self, key: &K, version: i64) -> Option<V> {
        let entries = self.inner.lock().ok()?;
        let hit = (entries.version == version).then(|| entries.map.get(key).cloned()).flatten();
        let result = if hit.is_some() { "hit" } else { "miss" };
        metrics::counter!("newsloom_cache_lookups_total", "cache" => self.name, "result" => result)
            .increment(1);
        hit
    }

    pub fn put(&self, key: K, version: i64, value: V) {
        let Ok(mut e) = self.inner.lock() else { return };
        if e.version != version {
            // Everything cached belongs to another version of the store.
            e.map.clear();
            e.order.clear();
            e.version = version;
        }
        if e.map.insert(key.clone(), value).is_none() {
            e.order.push_back(key);
            while e.order.len() > self.capacity {
                if let Some(old) = e.order.pop_front() {
                    e.map.remove(&old);
                }
            }
        }
    }
}

/// A version (of the store, or of the search index) as last read. Read again when older than
/// [`VERSION_MAX_AGE`], so a cached answer is served without a database round trip (under
/// load, waiting for a connection was most of a cached request's time). Ingest through this
/// server marks it stale at once; another process's writes show within the max age.
#[derive(Default)]
pub struct Version {
    last: Mutex<Option<(i64, Instant)>>,
}

pub const VERSION_MAX_AGE: Duration = Duration::from_millis(500);

impl Version {
    /// The version: as last read if recent enough, else from `read` (and remembered).
    pub async fn current<E, Fut: Future<Output = Result<i64, E>>>(
        &self,
        read: impl FnOnce() -> Fut,
    ) -> Result<i64, E> {
        if let Some(v) = self.fresh() {
            return Ok(v);
        }
        let v = read().await?;
        self.set(v);
        Ok(v)
    }

    /// The version if it was read recently enough.
    fn fresh(&self) -> Option<i64> {
        let last = self.last.lock().ok()?;
        last.filter(|(_, at)| at.elapsed() < VERSION_MAX_AGE).map(|(v, _)| v)
    }

    fn set(&self, version: i64) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some((version, Instant::now()));
        }
    }

    /// The next request reads the version from the database.
    pub fn invalidate(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_with_the_version_and_the_oldest_go_first() {
        let cache = Cache::new(2);
        cache.put("a", 1, 10);
        assert_eq!(cache.get(&"a", 1), Some(10));
        assert_eq!(cache.get(&"a", 2), None);
        cache.put("b", 1, 20);
        cache.put("c", 1, 30);
        assert_eq!((cache.get(&"a", 1), cache.get(&"b", 1), cache.get(&"c", 1)), (None, Some(20), Some(30)));
        cache.put("c", 1, 31);
        assert_eq!(cache.get(&"b", 1), Some(20), "replacing a value evicts nothing");
        cache.put("d", 2, 40);
        assert_eq!((cache.get(&"c", 1), cache.get(&"c", 2), cache.get(&"d", 2)), (None, None, Some(40)));
    }

    #[tokio::test]
    async fn concurrent_requests_for_one_key_compute_it_once() {
        let cache: Arc<Cache<&str, i64>> = Arc::new(Cache::new(4));
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (cache, runs) = (cache.clone(), runs.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_compute("dyad", 1, || async {
                            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Ok::<_, ()>(42)
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), Ok(42));
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(cache.get(&"dyad", 1), Some(42), "the shared result is cached");
    }
}
