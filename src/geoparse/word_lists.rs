//! Large word lists shipped in `data/lexicon/` (derived by
//! `data/scripts/build_lexicon.py`): given names and surnames from the US
//! Census, common English words from SCOWL. Recognition uses them to tell a
//! place from a person ("Allison Martin") or a capitalised word ("Snow").

use std::sync::OnceLock;

const GIVEN_NAMES: &str = include_str!("../../data/lexicon/given_names.txt");
const SURNAMES: &str = include_str!("../../data/lexicon/surnames.txt");
const COMMON_WORDS: &str = include_str!("../../data/lexicon/common_words.txt");
const DEMONYMS: &str = include_str!("../../data/lexicon/demonyms.tsv");

/// A list of lower-case words in a hash set.
struct WordList(foldhash::HashSet<&'static str>);

impl WordList {
    fn parse(text: &'static str) -> Self {
        WordList(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect(),
        )
    }

    fn contains(&self, key: &str) -> bool {
        self.0.contains(key)
    }
}

fn list(cell: &'static OnceLock<WordList>, text: &'static str) -> &'static WordList {
    cell.get_or_init(|| WordList::parse(text))
}

static GIVEN_NAME_LIST: OnceLock<WordList> = OnceLock::new();
static SURNAME_LIST: OnceLock<WordList> = OnceLock::new();
static COMMON_WORD_LIST: OnceLock<WordList> = OnceLock::new();

/// Parses every list now, if not yet done: a geoparser does it when it is
/// made, so its first text does not pay for it (some tens of milliseconds).
pub fn load() {
    list(&GIVEN_NAME_LIST, GIVEN_NAMES);
    list(&SURNAME_LIST, SURNAMES);
    list(&COMMON_WORD_LIST, COMMON_WORDS);
    demonyms();
}

/// Is `key` (a normalised, lower-case word) a given name in the Census list?
pub fn is_census_given_name(key: &str) -> bool {
    list(&GIVEN_NAME_LIST, GIVEN_NAMES).contains(key)
}

/// Is `key` one of the 5,000 most frequent Census surnames?
pub fn is_common_surname(key: &str) -> bool {
    list(&SURNAME_LIST, SURNAMES).contains(key)
}

/// Is `key` an English word that dictionaries write in lower case?
pub fn is_common_word(key: &str) -> bool {
    list(&COMMON_WORD_LIST, COMMON_WORDS).contains(key)
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
        assert!(is_census_given_name("allison"));
        assert!(is_common_surname("martin"));
        assert!(is_common_word("snow"));
        assert_eq!(demonym_place("americans"), Some("United States"));
        assert_eq!(demonym_place_of_pair("sri", "lankan"), Some("Sri Lanka"));
        assert_eq!(demonym_place_of_pair("new", "york"), None);
        assert_eq!(demonym_place("shusha"), None);
        for place in ["shusha", "stepanakert", "lachin", "dyukyanlar", "baku"] {
            assert!(!is_common_word(place), "{place}");
            assert!(!is_common_surname(place), "{place}");
        }
    }
}
