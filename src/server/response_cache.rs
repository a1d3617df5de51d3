//! A bounded cache of whole layer responses, keyed by ETag (which already
//! folds in the data version and the query). Map pages ask for the same
//! views again and again; a cached answer is a reference-counted copy of
//! bytes instead of a database walk. Any change to the data changes the
//! version, and the first request that sees the new version empties the
//! cache, so a stale body is never served.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use bytes::Bytes;

/// Megabytes the cache holds by default before it drops its least recently
/// used entries: room for the full incidents layer of 100,000 incidents
/// (about 105 MB), which GIS users download again and again.
pub const DEFAULT_CACHE_MB: usize = 256;

/// Cached bodies up to this size are joined into one piece.
const JOIN_BELOW_BYTES: usize = 8 * 1024 * 1024;

/// A cached answer: the chunks it was streamed in, shared as they are (a
/// 100 MB layer is not copied again to join them).
#[derive(Clone, Debug)]
pub struct CachedBody {
    chunks: Arc<[Bytes]>,
    len: usize,
}

impl CachedBody {
    /// The body made of these chunks, in order. A body of a few megabytes
    /// is joined into one piece (copied once, when cached), which is served
    /// faster than a stream of chunks; a big one keeps its chunks.
    pub fn from_chunks(chunks: Vec<Bytes>) -> Self {
        let len = chunks.iter().map(Bytes::len).sum();
        let chunks: Arc<[Bytes]> = if chunks.len() > 1 && len <= JOIN_BELOW_BYTES {
            Arc::new([Bytes::from(chunks.concat())])
        } else {
            chunks.into()
        };
        CachedBody { chunks, len }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunks, in order.
    pub fn chunks(&self) -> &[Bytes] {
        &self.chunks
    }

    /// A response body sending the chunks, then `suffix`: one piece when it
    /// is small enough (hyper sends a whole body faster than a stream).
    pub fn to_body(&self, suffix: Option<Bytes>) -> Body {
        let mut chunks: Vec<Bytes> = self.chunks.to_vec();
        chunks.extend(suffix);
        if chunks.len() == 1 {
            return Body::from(chunks.remove(0));
        }
        if chunks.iter().map(Bytes::len).sum::<usize>() <= JOIN_BELOW_BYTES {
            return Body::from(chunks.concat());
        }
        Body::from_stream(futures_util::stream::iter(
            chunks.into_iter().map(Ok::<_, std::convert::Infallible>),
        ))
    }
}

impl From<Bytes> for CachedBody {
    fn from(bytes: Bytes) -> Self {
        CachedBody::from_chunks(vec![bytes])
    }
}

#[derive(Default)]
struct Entries {
    version: String,
    bodies: HashMap<String, (CachedBody, u64)>,
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
pub struct ResponseCache {
    entries: Mutex<Entries>,
    capacity_bytes: usize,
}

impl Default for ResponseCache {
    fn default() -> Self {
        ResponseCache::with_capacity(DEFAULT_CACHE_MB * 1024 * 1024)
    }
}

impl ResponseCache {
    /// A cache holding at most `capacity_bytes` of bodies (0 turns it off).
    pub fn with_capacity(capacity_bytes: usize) -> Self {
        ResponseCache {
            entries: Mutex::new(Entries::default()),
            capacity_bytes,
        }
    }

    /// Bodies larger than this are streamed every time, never cached: half
    /// the capacity, so one big layer cannot push out everything else.
    pub fn max_entry_bytes(&self) -> usize {
        self.capacity_bytes / 2
    }

    /// The body cached under `key` for data `version`, if any.
    pub fn get(&self, version: &str, key: &str) -> Option<CachedBody> {
        let mut entries = self.entries.lock().ok()?;
        entries.align(version);
        entries.clock += 1;
        let now = entries.clock;
        let (body, used) = entries.bodies.get_mut(key)?;
        *used = now;
        Some(body.clone())
    }

    /// Caches `body` under `key` for data `version` (ignored when too big).
    pub fn put(&self, version: &str, key: &str, body: CachedBody) {
        if body.len() > self.max_entry_bytes() {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else { return };
        entries.align(version);
        while entries.bytes + body.len() > self.capacity_bytes {
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
        cache.put("1", "incidents?bbox=1,2,3,4", Bytes::from_static(b"old").into());
        let cached = cache.get("1", "incidents?bbox=1,2,3,4").map(|b| b.chunks().concat());
        assert_eq!(cached.as_deref(), Some(&b"old"[..]));
        assert!(cache.get("2", "incidents?bbox=1,2,3,4").is_none());
        // and the old version's entry does not come back
        assert!(cache.get("1", "incidents?bbox=1,2,3,4").is_none());
    }

    #[test]
    fn the_least_recently_used_body_goes_first() {
        // room for four 10-byte bodies; one body may take up to half of it
        let cache = ResponseCache::with_capacity(40);
        let big = CachedBody::from_chunks(vec![Bytes::from(vec![b'x'; 4]), Bytes::from(vec![b'x'; 6])]);
        assert_eq!(big.len(), 10);
        assert_eq!(big.chunks().len(), 1, "a small body is joined");
        for i in 0..4 {
            cache.put("1", &format!("k{i}"), big.clone());
        }
        assert!(cache.get("1", "k0").is_some()); // k0 is now the freshest
        cache.put("1", "new", big.clone());
        assert!(cache.get("1", "k0").is_some());
        assert!(cache.get("1", "k1").is_none(), "k1 was the least recently used");
        assert!(cache.get("1", "new").is_some());
        cache.put("1", "half", Bytes::from(vec![b'x'; 20]).into());
        assert!(cache.get("1", "half").is_some(), "half the capacity still fits");
        cache.put("1", "huge", Bytes::from(vec![b'x'; 21]).into());
        assert!(cache.get("1", "huge").is_none());
    }

    #[test]
    fn a_cache_of_no_bytes_keeps_nothing() {
        let cache = ResponseCache::with_capacity(0);
        cache.put("1", "incidents", Bytes::from_static(b"{}").into());
        assert!(cache.get("1", "incidents").is_none());
    }
}
