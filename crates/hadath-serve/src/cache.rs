//! A micro-cache of JSON answers: the dashboard and API clients ask the same questions over
//! and over (every page load asks `/api/events` and `/api/stats` with the same filters), and
//! on a large store the total count behind every page is the costly part. Answers are kept
//! for a short time-to-live, keyed by the path and the query string with its pairs sorted;
//! a POST that ingests anything clears the cache. The same cache keeps the totals of
//! `/api/events` filters (`Cache<i64>`), so that paging through one filter counts it once.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most answers kept.
const MAX_ENTRIES: usize = 1024;
/// Larger answers are not kept.
const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;

/// What a cache keeps, with the size that decides whether it is kept.
pub(crate) trait Cached: Clone {
    fn size(&self) -> usize;
}

impl Cached for Bytes {
    fn size(&self) -> usize {
        self.len()
    }
}

impl Cached for i64 {
    fn size(&self) -> usize {
        8
    }
}

pub(crate) struct Cache<V: Cached> {
    ttl: Duration,
    map: Mutex<HashMap<String, (Instant, V)>>,
}

/// The cache key of `path` with these query pairs (order does not matter).
pub(crate) fn key(path: &str, pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort();
    let mut key = String::from(path);
    for (k, v) in sorted {
        // Length-prefixed, so no value can forge another pair.
        key.push_str(&format!("\n{}:{k}{}:{v}", k.len(), v.len()));
    }
    key
}

impl<V: Cached> Cache<V> {
    pub(crate) fn new(ttl: Duration) -> Cache<V> {
        Cache {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, b)| b.clone())
    }

    pub(crate) fn put(&self, key: String, body: V) {
        if self.ttl.is_zero() || body.size() > MAX_ENTRY_BYTES {
            return;
        }
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            map.retain(|_, (at, _)| at.elapsed() < ttl);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, (Instant::now(), body));
    }

    pub(crate) fn clear(&self) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_pair_order() {
        let a = [
            ("type".into(), "PROTEST".into()),
            ("country".into(), "KZ".into()),
        ];
        let b = [
            ("country".into(), "KZ".into()),
            ("type".into(), "PROTEST".into()),
        ];
        assert_eq!(key("/e", &a), key("/e", &b));
        assert_ne!(key("/e", &a), key("/s", &a));
        // A value cannot forge another pair.
        let c = [("country".into(), format!("KZ{}", &key("", &a[..1])))];
        assert_ne!(key("/e", &a), key("/e", &c));
    }

    #[test]
    fn entries_expire_and_clear() {
        let c: Cache<Bytes> = Cache::new(Duration::from_millis(50));
        c.put("k".into(), Bytes::from_static(b"{}"));
        assert!(c.get("k").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("k").is_none());
        c.put("k".into(), Bytes::from_static(b"{}"));
        c.clear();
        assert!(c.get("k").is_none());
        let off: Cache<i64> = Cache::new(Duration::ZERO);
        off.put("k".into(), 7);
        assert!(off.get("k").is_none());
    }
}
