//! A micro-cache of JSON answers: the dashboard and API clients ask the same questions over
//! and over (every page load asks `/api/events` and `/api/stats` with the same filters), and
//! on a large store the total count behind every page is the costly part. Answers are keyed by
//! the path and the query string with its pairs sorted, and kept until the store changes: the
//! server watches the store's generation (raised by every ingest that stores anything, from any
//! process) and clears the cache when it moves, as does a POST that ingests; a time-to-live
//! bounds the age of an answer all the same. The same cache keeps the totals of `/api/events`
//! filters (`Cache<i64>`), so that paging through one filter counts it once.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most answers kept.
const MAX_ENTRIES: usize = 1024;
/// Larger answers are not kept.
const MAX_ENTRY_BYTES: usize = 2 * 1024 * 1024;
/// Most bytes kept in all: the cache's memory stays bounded however many filters are asked.
const MAX_BYTES: usize = 64 * 1024 * 1024;

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
    map: Mutex<Entries<V>>,
    /// Raised by every clear: an answer computed across a clear is not kept.
    epoch: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

struct Entries<V> {
    map: HashMap<String, Entry<V>>,
    bytes: usize,
}

struct Entry<V> {
    kept: Instant,
    expires: Instant,
    value: V,
}

/// How often a cache answered, for `/healthz`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Counters {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
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
            map: Mutex::new(Entries {
                map: HashMap::new(),
                bytes: 0,
            }),
            epoch: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<V> {
        if self.ttl.is_zero() {
            return None;
        }
        let found = {
            let entries = self.map.lock().unwrap_or_else(|e| e.into_inner());
            entries
                .map
                .get(key)
                .filter(|e| Instant::now() < e.expires)
                .map(|e| e.value.clone())
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The current epoch: pass it to [`Cache::put`] with an answer computed after this call.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps `body` under `key`, unless the cache was cleared since `epoch` (the answer may
    /// have been read before the change that cleared it).
    pub(crate) fn put(&self, key: String, body: V, epoch: u64) {
        let size = body.size() + key.len();
        if self.ttl.is_zero() || body.size() > MAX_ENTRY_BYTES {
            return;
        }
        let mut entries = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if entries.map.len() >= MAX_ENTRIES || entries.bytes + size > MAX_BYTES {
            // Expired answers go first, then the oldest quarter (and more while still too big).
            let now = Instant::now();
            entries.map.retain(|_, e| e.expires > now);
            let mut ages: Vec<(Instant, usize)> = entries
                .map
                .iter()
                .map(|(k, e)| (e.kept, k.len() + e.value.size()))
                .collect();
            ages.sort_unstable_by_key(|a| std::cmp::Reverse(a.0));
            let mut keep = ages.len().min(MAX_ENTRIES * 3 / 4);
            let mut bytes: usize = ages[..keep].iter().map(|a| a.1).sum();
            while keep > 0 && bytes + size > MAX_BYTES {
                keep -= 1;
                bytes -= ages[keep].1;
            }
            if keep < ages.len() {
                let cutoff = ages[keep].0;
                entries.map.retain(|_, e| e.kept > cutoff);
            }
            entries.bytes = entries
                .map
                .iter()
                .map(|(k, e)| k.len() + e.value.size())
                .sum();
        }
        let kept = Instant::now();
        let entry = Entry {
            kept,
            expires: kept + self.lifetime(&key),
            value: body,
        };
        if let Some(old) = entries.map.insert(key.clone(), entry) {
            entries.bytes -= old.value.size() + key.len();
        }
        entries.bytes += size;
    }

    /// Between half the time-to-live and all of it, drawn per answer: answers kept at one
    /// moment (a dashboard's first load, a cache just cleared) do not all expire together and
    /// send every request of that moment to the store at once.
    fn lifetime(&self, key: &str) -> Duration {
        use std::hash::BuildHasher;
        let h = std::collections::hash_map::RandomState::new().hash_one(key);
        let unit = (h >> 11) as f64 / (1u64 << 53) as f64;
        self.ttl.mul_f64(0.5 + 0.5 * unit)
    }

    pub(crate) fn clear(&self) {
        let mut entries = self.map.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.map.clear();
        entries.bytes = 0;
    }

    pub(crate) fn counters(&self) -> Counters {
        Counters {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.map.lock().unwrap_or_else(|e| e.into_inner()).map.len(),
        }
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
        c.put("k".into(), Bytes::from_static(b"{}"), c.epoch());
        assert!(c.get("k").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("k").is_none());
        c.put("k".into(), Bytes::from_static(b"{}"), c.epoch());
        c.clear();
        assert!(c.get("k").is_none());
        let off: Cache<i64> = Cache::new(Duration::ZERO);
        off.put("k".into(), 7, off.epoch());
        assert!(off.get("k").is_none());
        let n = c.counters();
        assert_eq!((n.hits, n.misses, n.entries), (1, 2, 0));
    }

    #[test]
    fn lifetimes_are_spread_over_the_second_half_of_the_ttl() {
        let ttl = Duration::from_secs(60);
        let c: Cache<i64> = Cache::new(ttl);
        let lives: Vec<Duration> = (0..100).map(|i| c.lifetime(&format!("k{i}"))).collect();
        assert!(
            lives.iter().all(|l| *l >= ttl / 2 && *l <= ttl),
            "{lives:?}"
        );
        let early = lives.iter().filter(|l| **l < ttl * 3 / 4).count();
        assert!(
            (20..=80).contains(&early),
            "{early} of 100 in the first quarter"
        );
    }

    #[test]
    fn the_oldest_answers_make_room() {
        let c: Cache<i64> = Cache::new(Duration::from_secs(60));
        for i in 0..(MAX_ENTRIES + 10) {
            c.put(format!("k{i}"), i as i64, c.epoch());
            std::thread::sleep(Duration::from_micros(1));
        }
        let n = c.counters().entries;
        assert!(n <= MAX_ENTRIES && n > MAX_ENTRIES / 2, "{n} entries");
        assert_eq!(
            c.get(&format!("k{}", MAX_ENTRIES + 9)),
            Some((MAX_ENTRIES + 9) as i64)
        );
        assert!(c.get("k0").is_none());
    }

    #[test]
    fn an_answer_computed_across_a_clear_is_not_kept() {
        let c: Cache<i64> = Cache::new(Duration::from_secs(60));
        let before = c.epoch();
        c.clear();
        c.put("k".into(), 1, before);
        assert!(c.get("k").is_none());
        c.put("k".into(), 2, c.epoch());
        assert_eq!(c.get("k"), Some(2));
    }

    #[test]
    fn memory_stays_bounded() {
        let c: Cache<Bytes> = Cache::new(Duration::from_secs(60));
        let big = Bytes::from(vec![b' '; MAX_ENTRY_BYTES]);
        for i in 0..(2 * MAX_BYTES / MAX_ENTRY_BYTES) {
            c.put(format!("k{i}"), big.clone(), c.epoch());
            let bytes = c.map.lock().unwrap().bytes;
            assert!(bytes <= MAX_BYTES, "{bytes} bytes kept after {i} answers");
        }
        // The newest answers stay when room is made.
        let last = format!("k{}", 2 * MAX_BYTES / MAX_ENTRY_BYTES - 1);
        assert!(c.get(&last).is_some());
        assert!(c.get("k0").is_none());
        // Replacing an entry does not count it twice.
        c.clear();
        c.put("k".into(), big.clone(), c.epoch());
        c.put("k".into(), big, c.epoch());
        assert_eq!(c.map.lock().unwrap().bytes, MAX_ENTRY_BYTES + 1);
        // Too large for one entry: not kept.
        c.put(
            "huge".into(),
            Bytes::from(vec![b' '; MAX_ENTRY_BYTES + 1]),
            c.epoch(),
        );
        assert!(c.get("huge").is_none());
    }
}
