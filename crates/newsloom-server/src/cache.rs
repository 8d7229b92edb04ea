//! Results of expensive aggregate queries (dyads, story pages), reused until the store
//! changes. Every write adds articles, so the highest article sequence number is the version:
//! an entry computed at another version is stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Cache<K, V> {
    entries: Mutex<HashMap<K, (i64, V)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), capacity }
    }

    pub fn get(&self, key: &K, version: i64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(v, _)| *v == version).map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, version: i64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            // Crude but bounded: start over when full (or when the store moved on).
            if entries.len() >= self.capacity || entries.values().next().is_some_and(|(v, _)| *v != version) {
                entries.clear();
            }
            entries.insert(key, (version, value));
        }
    }
}

/// The store's version: its highest article sequence number (an index lookup).
pub fn version(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM articles")?.query_row([], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_with_the_version_and_stay_bounded() {
        let cache = Cache::new(2);
        cache.put("a", 1, 10);
        assert_eq!(cache.get(&"a", 1), Some(10));
        assert_eq!(cache.get(&"a", 2), None);
        cache.put("b", 1, 20);
        cache.put("c", 1, 30);
        assert_eq!(cache.get(&"c", 1), Some(30));
        assert!(cache.entries.lock().unwrap().len() <= 2);
        cache.put("d", 2, 40);
        assert_eq!(cache.get(&"c", 1), None);
    }
}
