//! Large word lists shipped in `data/lexicon/` (derived by
//! `data/scripts/build_lexicon.py`): given names and surnames from the US
//! Census, common English words from SCOWL. Recognition uses them to tell a
//! place from a person ("Allison Martin") or a capitalised word ("Snow").

use std::sync::OnceLock;

const GIVEN_NAMES: &str = include_str!("../../data/lexicon/given_names.txt");
const SURNAMES: &str = include_str!("../../data/lexicon/surnames.txt");
const COMMON_WORDS: &str = include_str!("../../data/lexicon/common_words.txt");
const DEMONYMS: &str = include_str!("../../data/lexicon/demonyms.tsv");

/// The words of a shipped list, one per line; `#` starts a comment line.
fn words_of(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Given names in the US Census list.
pub fn census_given_names() -> impl Iterator<Item = &'static str> {
    words_of(GIVEN_NAMES)
}

/// The 5,000 most frequent Census surnames.
pub fn common_surnames() -> impl Iterator<Item = &'static str> {
    words_of(SURNAMES)
}

/// English words that dictionaries write in lower case (SCOWL).
pub fn dictionary_words() -> impl Iterator<Item = &'static str> {
    words_of(COMMON_WORDS)
}

/// Parses every list now, if not yet done: a geoparser does it when it is
/// made, so its first text does not pay for it (some tens of milliseconds).
pub fn load() {
    super::word_facts::load();
    demonyms();
}

/// Demonyms by their lower-case text, and the first words of the two-word
/// ones ("sri" of "sri lankan"), so a lookup of a pair is only tried when
/// it can succeed.
struct Demonyms {
    places: foldhash::HashMap<&'static str, &'static str>,
    first_words: foldhash::HashSet<&'static str>,
}

fn demonyms() -> &'static Demonyms {
    static CELL: OnceLock<Demonyms> = OnceLock::new();
    CELL.get_or_init(|| {
        let places: foldhash::HashMap<&str, &str> = DEMONYMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .collect();
        let first_words = places
            .keys()
            .filter_map(|k| k.split_once(' ').map(|(first, _)| first))
            .collect();
        Demonyms { places, first_words }
    })
}

/// The gazetteer name a demonym or adjective stands for ("russian" →
/// "Russia", "americans" → "United States").
pub fn demonym_place(key: &str) -> Option<&'static str> {
    let table = &demonyms().places;
    table
        .get(key)
        .or_else(|| key.strip_suffix('s').and_then(|singular| table.get(singular)))
        .copied()
}

/// Every demonym's key, as [`demonym_place`] knows it ("russian", "sri
/// lankan").
pub fn demonym_keys() -> impl Iterator<Item = &'static str> {
    demonyms().places.keys().copied()
}

/// As [`demonym_place`] for two words ("sri", "lankan").
pub fn demonym_place_of_pair(first: &str, second: &str) -> Option<&'static str> {
    if !demonyms().first_words.contains(first) {
        return None;
    }
    demonym_place(&format!("{first} {second}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_know_people_and_words_but_not_karabakh_places() {
        use super::super::word_facts::{facts_of, WordFacts};
        assert!(census_given_names().any(|w| w == "allison"));
        assert!(common_surnames().any(|w| w == "martin"));
        assert!(dictionary_words().any(|w| w == "snow"));
        assert_eq!(demonym_place("americans"), Some("United States"));
        assert_eq!(demonym_place_of_pair("sri", "lankan"), Some("Sri Lanka"));
        assert_eq!(demonym_place_of_pair("new", "york"), None);
        assert_eq!(demonym_place("shusha"), None);
        let person_or_word = WordFacts::DICTIONARY_WORD.or(WordFacts::COMMON_SURNAME);
        for place in ["shusha", "stepanakert", "lachin", "dyukyanlar", "baku"] {
            assert!(!facts_of(place).any(person_or_word), "{place}");
        }
    }
}
