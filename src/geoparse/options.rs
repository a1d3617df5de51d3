//! How a geoparse run goes: what it reports besides literal place names,
//! and how many threads it may use.

use std::num::NonZeroUsize;

/// Options of a geoparse run. The default reports places named as places,
/// on as many threads as the machine has cores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeoparseOptions {
    /// Also report places named by an adjective or demonym ("Russian
    /// officials", "Sri Lankan"), resolved to the country or continent, the
    /// way GeoWebNews and LGL annotate them. Off by default: in "Armenian
    /// forces" the word says who, not where, and an incident map should not
    /// put a pin on Armenia for it.
    pub modifiers: bool,
    /// Threads for one long text: its chunks (about 64 kB each) are
    /// geoparsed side by side and their mentions handed on in text order.
    /// `None`: one per core. A text of one chunk (most articles) uses one.
    /// The mentions are the same whatever the number.
    pub threads: Option<NonZeroUsize>,
}

impl GeoparseOptions {
    /// How many threads a text of `chunk_count` chunks gets: no more than
    /// it has chunks, and no more than the option (or the cores) allow.
    pub(super) fn threads_for(&self, chunk_count: usize) -> usize {
        let allowed = self.threads.map_or_else(core_count, NonZeroUsize::get);
        allowed.min(chunk_count).max(1)
    }
}

/// The cores this process may use, asked once: the answer reads the
/// process's CPU quota from the file system.
fn core_count() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_never_gets_more_threads_than_chunks_or_allowed() {
        let two = GeoparseOptions {
            threads: NonZeroUsize::new(2),
            ..Default::default()
        };
        assert_eq!(two.threads_for(1), 1);
        assert_eq!(two.threads_for(16), 2);
        assert_eq!(two.threads_for(0), 1);
        assert!(GeoparseOptions::default().threads_for(16) >= 1);
    }
}
