//! Large word lists shipped in `data/lexicon/` (derived by
//! `data/scripts/build_lexicon.py`): given names and surnames from the US
//! Census, common English words from SCOWL. Recognition uses them to tell a
//! place from a person ("Allison Martin") or a capitalised word ("Snow").

use std::sync::OnceLock;

const GIVEN_NAMES: &str = include_str!("../../data/lexicon/given_names.txt");
const SURNAMES: &str = include_str!("../../data/lexicon/surnames.txt");
const COMMON_WORDS: &str = include_str!("../../data/lexicon/common_words.txt");
const DEMONYMS: &str = include_str!("../../data/lexicon/demonyms.tsv");

/// A sorted list of lower-case words, searched by bisection.
struct WordList(Vec<&'static str>);

impl WordList {
    fn parse(text: &'static str) -> Self {
        let mut words: Vec<&'static str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        // the files are sorted, but a hand edit must not break the search
        words.sort_unstable();
        WordList(words)
    }

    fn contains(&self, key: &str) -> bool {
        self.0.binary_search(&key).is_ok()
    }
}

fn list(cell: &'static OnceLock<WordList>, text: &'static str) -> &'static WordList {
    cell.get_or_init(|| WordList::parse(text))
}

/// Is `key` (a normalised, lower-case word) a given name in the Census list?
pub fn is_census_given_name(key: &str) -> bool {
    static CELL: OnceLock<WordList> = OnceLock::new();
    list(&CELL, GIVEN_NAMES).contains(key)
}

/// Is `key` one of the 5,000 most frequent Census surnames?
pub fn is_common_surname(key: &str) -> bool {
    static CELL: OnceLock<WordList> = OnceLock::new();
    list(&CELL, SURNAMES).contains(key)
}

/// Is `key` an English word that dictionaries write in lower case?
pub fn is_common_word(key: &str) -> bool {
    static CELL: OnceLock<WordList> = OnceLock::new();
    list(&CELL, COMMON_WORDS).contains(key)
}

/// The gazetteer name a demonym or adjective stands for ("russian" →
/// "Russia", "americans" → "United States"); `key` may be two words.
pub fn demonym_place(key: &str) -> Option<&'static str> {
    static CELL: OnceLock<std::collections::HashMap<&'static str, &'static str>> = OnceLock::new();
    let table = CELL.get_or_init(|| {
        DEMONYMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect()
    });
    table
        .get(key)
        .or_else(|| key.strip_suffix('s').and_then(|singular| table.get(singular)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_know_people_and_words_but_not_karabakh_places() {
        assert!(is_census_given_name("allison"));
        assert!(is_common_surname("martin"));
        assert!(is_common_word("snow"));
        assert_eq!(demonym_place("americans"), Some("United States"));
        assert_eq!(demonym_place("sri lankan"), Some("Sri Lanka"));
        assert_eq!(demonym_place("shusha"), None);
        for place in ["shusha", "stepanakert", "lachin", "dyukyanlar", "baku"] {
            assert!(!is_common_word(place), "{place}");
            assert!(!is_common_surname(place), "{place}");
        }
    }
}
