//! Shared server state: a writer and a few reader connections to the store,
//! the gazetteer (rebuilt and swapped after edits), and the auth state.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use super::auth::AuthState;
use super::error::ApiError;
use super::response_cache::ResponseCache;
use crate::gazetteer::Gazetteer;
use crate::store::{Store, StoreError};

/// Reader connections (WAL lets them read while the writer writes).
const READERS: usize = 4;

/// A turn at a reader connection, held while a blocking task reads.
pub type ReaderSlot = tokio::sync::OwnedSemaphorePermit;

/// Everything handlers share.
pub struct AppState {
    writer: Mutex<Store>,
    readers: Vec<Mutex<Store>>,
    next_reader: AtomicUsize,
    /// One permit per reader connection, and one for the writer. A request
    /// waits for its turn here, as a task, before it takes a thread of the
    /// blocking pool: fifty requests queued behind four readers then cost
    /// fifty small futures, not fifty parked threads, each of which would
    /// keep its own allocator heap (about 8 MB apiece, measured).
    reader_slots: Arc<tokio::sync::Semaphore>,
    writer_slot: Arc<tokio::sync::Semaphore>,
    gazetteer: RwLock<Arc<Gazetteer>>,
    /// Held while an edit's places are patched into the gazetteer, so two
    /// saves at once each build on the other's result.
    gazetteer_refresh: Mutex<()>,
    /// Sessions, tokens, login throttling.
    pub auth: AuthState,
    /// Optional online basemap style URL for the page.
    pub basemap_style: Option<String>,
    /// Whole layer responses, by ETag.
    pub layer_cache: ResponseCache,
    /// The data version last seen and when it changed (for Last-Modified).
    seen_version: Mutex<(String, chrono::DateTime<chrono::Utc>)>,
}

impl AppState {
    /// Opens the database (creating and seeding it) and loads the gazetteer;
    /// whole layer answers up to `cache_bytes` in all are kept in memory.
    pub fn open(
        db: &std::path::Path,
        gazetteer: Gazetteer,
        basemap_style: Option<String>,
        cache_bytes: usize,
    ) -> Result<Arc<Self>, StoreError> {
        let writer = Store::open(db)?;
        // at start, the data's own last change; later, when a change is seen
        let changed_at = chrono::DateTime::parse_from_rfc3339(&writer.last_change()?)
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_else(|_| chrono::Utc::now());
        let seen_version = Mutex::new((writer.data_version()?, changed_at));
        let readers = (0..READERS)
            .map(|_| Store::open(db).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(AppState {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
            reader_slots: Arc::new(tokio::sync::Semaphore::new(READERS)),
            writer_slot: Arc::new(tokio::sync::Semaphore::new(1)),
            gazetteer: RwLock::new(Arc::new(gazetteer)),
            gazetteer_refresh: Mutex::new(()),
            auth: AuthState::default(),
            basemap_style,
            layer_cache: ResponseCache::with_capacity(cache_bytes),
            seen_version,
        }))
    }

    /// When the data at `version` was last modified: for the version the
    /// server opened with, the data's own last change; for a newer one, when
    /// a request first saw it (writes by this server are seen at once;
    /// another process's at the next request).
    pub fn modified_at(&self, version: &str) -> chrono::DateTime<chrono::Utc> {
        let mut seen = match self.seen_version.lock() {
            Ok(seen) => seen,
            Err(poisoned) => poisoned.into_inner(),
        };
        if seen.0 != version {
            *seen = (version.to_string(), chrono::Utc::now());
        }
        seen.1
    }

    /// Waits, without holding a thread, for a turn at a reader connection;
    /// take the connection with [`AppState::reader_guard`] while holding it.
    pub async fn reader_slot(&self) -> Result<ReaderSlot, ApiError> {
        Arc::clone(&self.reader_slots)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)
    }

    /// A reader connection, held until the guard drops (for streams). Call
    /// it holding a [`ReaderSlot`], so that a free connection is waiting.
    pub fn reader_guard(&self) -> Result<std::sync::MutexGuard<'_, Store>, ApiError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        // a free reader if there is one, else wait for the next in turn
        for k in 0..self.readers.len() {
            if let Ok(guard) = self.readers[(start + k) % self.readers.len()].try_lock() {
                return Ok(guard);
            }
        }
        self.readers[start % self.readers.len()]
            .lock()
            .map_err(ApiError::internal)
    }

    /// Runs `f` with a reader connection on the blocking pool.
    pub async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = Arc::clone(self);
        let slot = self.reader_slot().await?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let store = state.reader_guard()?;
            f(&store)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Runs `f` with the writer connection on the blocking pool.
    pub async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = Arc::clone(self);
        let slot = Arc::clone(&self.writer_slot)
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let mut store = state.writer.lock().map_err(ApiError::internal)?;
            f(&mut store)
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// The caller of a request (`None` without credentials; bad credentials are 401).
    pub async fn identify(
        self: &Arc<Self>,
        headers: &axum::http::HeaderMap,
    ) -> Result<Option<super::auth::Caller>, ApiError> {
        let state = Arc::clone(self);
        let headers = headers.clone();
        self.read(move |store| state.auth.identify(store, &headers)).await
    }

    /// The caller, who must hold `role` (401 / 403; cookie writes need the CSRF token).
    pub async fn require_role(
        self: &Arc<Self>,
        role: crate::store::Role,
        method: &axum::http::Method,
        headers: &axum::http::HeaderMap,
    ) -> Result<super::auth::Caller, ApiError> {
        let caller = self.identify(headers).await?;
        self.auth.require(caller, role, method, headers)
    }

    /// The current gazetteer.
    pub fn gazetteer(&self) -> Arc<Gazetteer> {
        match self.gazetteer.read() {
            Ok(g) => Arc::clone(&g),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Rebuilds the gazetteer after an edit of the places `changed` and swaps
    /// it in; searches keep using the old one until the new one is ready. Only
    /// the changed places are read from the store (the rest are the current
    /// gazetteer's), which makes a save about twice as fast as reloading all.
    /// The edit's response waits for it, so what an editor saved is what they
    /// then find.
    pub async fn refresh_gazetteer(self: &Arc<Self>, changed: Vec<String>) {
        let state = Arc::clone(self);
        let Ok(slot) = self.reader_slot().await else { return };
        let rebuilt = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let _one_at_a_time = match state.gazetteer_refresh.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            let fresh: Result<Vec<(String, Option<crate::gazetteer::Place>)>, String> = match state.reader_guard() {
                Ok(store) => changed
                    .into_iter()
                    .map(|id| store.place(&id).map(|p| (id, p)).map_err(|e| e.to_string()))
                    .collect(),
                Err(_) => return,
            };
            let current = state.gazetteer();
            match fresh.and_then(|fresh| current.with_changes(fresh).map_err(|e| e.to_string())) {
                Ok(gazetteer) => {
                    if let Ok(mut slot) = state.gazetteer.write() {
                        *slot = Arc::new(gazetteer);
                    }
                }
                Err(e) => tracing::error!(error = %e, "rebuilding the gazetteer failed"),
            }
        })
        .await;
        if let Err(e) = rebuilt {
            tracing::error!(error = %e, "rebuilding the gazetteer panicked");
        }
    }
}
