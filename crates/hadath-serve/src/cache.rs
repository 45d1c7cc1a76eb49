//! A micro-cache of JSON answers: the dashboard and API clients ask the same questions over
//! and over (every page load asks `/api/events` and `/api/stats` with the same filters), and
//! on a large store the total count behind every page is the costly part. Answers are kept
//! for a short time-to-live, keyed by the path and the query string with its pairs sorted;
//! a POST that ingests anything clears the cache.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most answers kept.
const MAX_ENTRIES: usize = 1024;
/// Larger answers are not kept.
const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;

pub(crate) struct Cache {
    ttl: Duration,
    map: Mutex<HashMap<String, (Instant, Bytes)>>,
}

impl Cache {
    pub(crate) fn new(ttl: Duration) -> Cache {
        Cache {
            ttl,
            map: Mutex::new(HashMap::new()),
        }
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

    pub(crate) fn get(&self, key: &str) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, b)| b.clone())
    }

    pub(crate) fn put(&self, key: String, body: Bytes) {
        if self.ttl.is_zero() || body.len() > MAX_ENTRY_BYTES {
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
        assert_eq!(Cache::key("/e", &a), Cache::key("/e", &b));
        assert_ne!(Cache::key("/e", &a), Cache::key("/s", &a));
        // A value cannot forge another pair.
        let c = [("country".into(), format!("KZ{}", &Cache::key("", &a[..1])))];
        assert_ne!(Cache::key("/e", &a), Cache::key("/e", &c));
    }

    #[test]
    fn entries_expire_and_clear() {
        let c = Cache::new(Duration::from_millis(50));
        c.put("k".into(), Bytes::from_static(b"{}"));
        assert!(c.get("k").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("k").is_none());
        c.put("k".into(), Bytes::from_static(b"{}"));
        c.clear();
        assert!(c.get("k").is_none());
        let off = Cache::new(Duration::ZERO);
        off.put("k".into(), Bytes::from_static(b"{}"));
        assert!(off.get("k").is_none());
    }
}
