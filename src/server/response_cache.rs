//! A bounded cache of whole layer responses, keyed by ETag (which already
//! folds in the data version and the query). Map pages ask for the same
//! views again and again; a cached answer is a reference-counted copy of
//! bytes instead of a database walk. Any change to the data changes the
//! version, and the first request that sees the new version empties the
//! cache, so a stale body is never served.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;

/// Bodies larger than this are streamed every time, never cached.
pub const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// Total bytes the cache holds before it drops its least recently used entries.
const CAPACITY_BYTES: usize = 48 * 1024 * 1024;

#[derive(Default)]
struct Entries {
    version: String,
    bodies: HashMap<String, (Bytes, u64)>,
    bytes: usize,
    clock: u64,
}

impl Entries {
    /// Empties the cache when the data version moved on.
    fn align(&mut self, version: &str) {
        if self.version != version {
            self.bodies.clear();
            self.bytes = 0;
            self.version = version.to_string();
        }
    }
}

/// The cache; cheap to share behind the server state.
#[derive(Default)]
pub struct ResponseCache {
    entries: Mutex<Entries>,
}

impl ResponseCache {
    /// The body cached under `key` for data `version`, if any.
    pub fn get(&self, version: &str, key: &str) -> Option<Bytes> {
        let mut entries = self.entries.lock().ok()?;
        entries.align(version);
        entries.clock += 1;
        let now = entries.clock;
        let (body, used) = entries.bodies.get_mut(key)?;
        *used = now;
        Some(body.clone())
    }

    /// Caches `body` under `key` for data `version` (ignored when too big).
    pub fn put(&self, version: &str, key: &str, body: Bytes) {
        if body.len() > MAX_ENTRY_BYTES {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        entries.align(version);
        while entries.bytes + body.len() > CAPACITY_BYTES {
            let Some(oldest) = entries
                .bodies
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((dropped, _)) = entries.bodies.remove(&oldest) {
                entries.bytes -= dropped.len();
            }
        }
        entries.clock += 1;
        let now = entries.clock;
        entries.bytes += body.len();
        if let Some((replaced, _)) = entries.bodies.insert(key.to_string(), (body, now)) {
            entries.bytes -= replaced.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_data_version_empties_the_cache() {
        let cache = ResponseCache::default();
        cache.put("1", "incidents?bbox=1,2,3,4", Bytes::from_static(b"old"));
        assert_eq!(cache.get("1", "incidents?bbox=1,2,3,4").as_deref(), Some(&b"old"[..]));
        assert!(cache.get("2", "incidents?bbox=1,2,3,4").is_none());
        // and the old version's entry does not come back
        assert!(cache.get("1", "incidents?bbox=1,2,3,4").is_none());
    }

    #[test]
    fn the_least_recently_used_body_goes_first() {
        let cache = ResponseCache::default();
        let big = Bytes::from(vec![b'x'; MAX_ENTRY_BYTES]);
        for i in 0..(CAPACITY_BYTES / MAX_ENTRY_BYTES) {
            cache.put("1", &format!("k{i}"), big.clone());
        }
        assert!(cache.get("1", "k0").is_some()); // k0 is now the freshest
        cache.put("1", "new", big.clone());
        assert!(cache.get("1", "k0").is_some());
        assert!(cache.get("1", "k1").is_none(), "k1 was the least recently used");
        assert!(cache.get("1", "new").is_some());
        let too_big = Bytes::from(vec![b'x'; MAX_ENTRY_BYTES + 1]);
        cache.put("1", "huge", too_big);
        assert!(cache.get("1", "huge").is_none());
    }
}
