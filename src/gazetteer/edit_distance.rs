//! Edit distance between two short keys, counted in characters: the
//! distance the name index's Levenshtein automata accept (insertions,
//! deletions, substitutions, and a swap of two neighbouring letters as one
//! edit), computed directly for when a few keys are compared with a few
//! others and building an automaton per query would cost more than the
//! comparisons.

/// The edit distance between `a` and `b` if it is at most `max`, else
/// `None`. A swap of two neighbouring characters counts as one edit
/// (optimal string alignment distance).
///
/// ```
/// use sitrep::gazetteer::edit_distance::edit_distance_within;
/// assert_eq!(edit_distance_within("mkhitarashen", "mkhitarishen", 2), Some(1));
/// assert_eq!(edit_distance_within("shusha", "shsuha", 1), Some(1)); // one swap
/// assert_eq!(edit_distance_within("shusha", "lachin", 2), None);
/// ```
pub fn edit_distance_within(a: &str, b: &str, max: u8) -> Option<u8> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // three rows of the alignment table: two back (for swaps), one back, this one
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_min = row_min.min(best);
        }
        // every later cell is at least this row's least: past `max`, no alignment is within it
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then(|| u8::try_from(distance).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance_within("lachin", "lachin", 2), Some(0));
        assert_eq!(edit_distance_within("lachin", "lachinn", 2), Some(1));
        assert_eq!(edit_distance_within("lachin", "lachn", 2), Some(1));
        assert_eq!(edit_distance_within("lachin", "lachyn", 2), Some(1));
        assert_eq!(edit_distance_within("stepanakert", "stepanakertt", 1), Some(1));
        assert_eq!(edit_distance_within("parukh", "farukh", 1), Some(1));
        assert_eq!(edit_distance_within("nakhijevan", "nakhichevan", 2), Some(2));
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(edit_distance_within("ab", "ba", 1), Some(1));
        assert_eq!(edit_distance_within("agdam", "agadm", 1), Some(1));
    }

    #[test]
    fn beyond_the_limit_is_none() {
        assert_eq!(edit_distance_within("nakhijevan", "nakhichevan", 1), None);
        assert_eq!(edit_distance_within("abc", "abcdef", 2), None);
        assert_eq!(edit_distance_within("kelbajar", "zangilan", 2), None);
    }

    #[test]
    fn counts_characters_not_bytes() {
        // one letter with a diacritic for one without: one edit, though two bytes differ
        assert_eq!(edit_distance_within("şuşa", "şusa", 1), Some(1));
        assert_eq!(edit_distance_within("", "ab", 2), Some(2));
    }

    #[test]
    fn agrees_with_the_index_automaton() {
        use crate::gazetteer::fuzzy::automaton;
        use fst::Automaton;
        let words = [
            "shusha",
            "shushi",
            "susha",
            "shsuha",
            "shushaa",
            "hush\u{430}",
            "khankendi",
            "xankendi",
            "hankendi",
            "khankend",
            "khnkendi",
            "kankhendi",
        ];
        for query in words {
            for distance in [1u8, 2] {
                let Some(dfa) = automaton(query, distance) else {
                    continue;
                };
                for key in words {
                    let mut state = dfa.start();
                    for byte in key.bytes() {
                        state = dfa.accept(&state, byte);
                    }
                    assert_eq!(
                        dfa.distance_at(state),
                        edit_distance_within(query, key, distance),
                        "{query} / {key} within {distance}"
                    );
                }
            }
        }
    }
}
