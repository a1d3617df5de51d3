//! The reason an editor gives for a change ("why"), as the revision log
//! keeps it: a default when none is given, and at most 500 characters, so a
//! client cannot fill the log with megabytes.

/// Longest reason kept, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// `given`, cut to [`MAX_REASON_CHARS`]; `default()` when it is blank.
pub fn edit_reason(given: &str, default: impl FnOnce() -> String) -> String {
    if given.trim().is_empty() {
        default()
    } else {
        given.chars().take(MAX_REASON_CHARS).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_reasons_get_the_default_and_long_ones_are_cut() {
        assert_eq!(edit_reason("  ", || "edited".into()), "edited");
        assert_eq!(edit_reason("surveyed", || "edited".into()), "surveyed");
        let long = "ё".repeat(2000);
        assert_eq!(edit_reason(&long, || "edited".into()).chars().count(), MAX_REASON_CHARS);
    }
}
