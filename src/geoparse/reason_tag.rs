//! Reasons of the form `tag:value` (`chosen_of:3`, `coherence_country:AZ`,
//! `preposition:near`), each made once per process instead of formatted
//! for every mention: a text repeats a few hundred of them thousands of
//! times, and a formatted string is an allocation and a copy each time.

use std::sync::Mutex;

use compact_str::CompactString;
use foldhash::HashMap;

use super::mention::Reason;

/// Most distinct tagged reasons kept. Each is kept for the life of the
/// process, so the number is bounded (a few hundred kilobytes at most);
/// past it, reasons are formatted each time.
const MAX_KEPT: usize = 4096;

static KEPT: Mutex<Option<HashMap<(&'static str, CompactString), &'static str>>> = Mutex::new(None);

/// The reason `tag:value`.
pub fn tagged(tag: &'static str, value: &str) -> Reason {
    // a poisoned lock only means another thread panicked while holding
    // it; the map is never left half-changed, so go on with it
    let mut kept = KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let kept = kept.get_or_insert_with(HashMap::default);
    let key = (tag, CompactString::new(value));
    if let Some(&reason) = kept.get(&key) {
        return Reason::Borrowed(reason);
    }
    let reason = format!("{tag}:{value}");
    if kept.len() >= MAX_KEPT {
        return Reason::Owned(reason);
    }
    let reason: &'static str = Box::leak(reason.into_boxed_str());
    kept.insert(key, reason);
    Reason::Borrowed(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_reason_reads_tag_colon_value_and_is_made_once() {
        let first = tagged("chosen_of", "3");
        assert_eq!(first, "chosen_of:3");
        let again = tagged("chosen_of", "3");
        match (&first, &again) {
            (Reason::Borrowed(a), Reason::Borrowed(b)) => assert!(std::ptr::eq(*a, *b)),
            _ => panic!("kept reasons are shared, not copied"),
        }
        assert_eq!(tagged("preposition", "near"), "preposition:near");
        assert_eq!(tagged("coherence_country", "AZ"), "coherence_country:AZ");
    }
}
