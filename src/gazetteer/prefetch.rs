//! A hint to the processor to start fetching memory that will be read
//! soon.

/// Starts fetching the cache line that holds `item` into the core's
/// caches and returns at once. A hint only: it changes nothing a program
/// sees, whatever the address. Whoever is about to read several records
/// that lie apart in a large gazetteer asks for them all first, so that
/// their fetches from memory overlap instead of coming one after another.
#[inline]
pub(crate) fn prefetch_line<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch reads nothing the program sees and never
        // faults; SSE, which it needs, is part of every x86-64 processor
        unsafe { _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}
