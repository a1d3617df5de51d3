//! Which of the recogniser's word lists a word is on, learnt with one
//! lookup. Recognition asks a dozen questions of every capitalised word and
//! of the words around it ("a title?", "a given name?", "a verb of
//! saying?"); one table holding every listed word with the lists it is on
//! answers them all with a single hash probe, remembered by the token (see
//! `Token::is`), instead of a probe or a scan per list.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::lexicon::{
    COMMON_WORDS, CONNECTORS, FEATURE_WORDS, GIVEN_NAMES, LOCATIVE_BEFORE, MONTH_NAMES, NATURAL_FEATURE_WORDS,
    ORGANISATION_WORDS, OTHER_CALENDAR_WORDS, SPEECH_VERBS, STREET_WORDS, TITLES,
};
use super::word_lists;

/// A set of word lists, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordFacts(u32);

impl WordFacts {
    /// On no list.
    pub const NONE: WordFacts = WordFacts(0);
    /// A title before a person's name ("president", "mr").
    pub const TITLE: WordFacts = WordFacts(1);
    /// A word of organisations and offices ("ministry", "university").
    pub const ORGANISATION: WordFacts = WordFacts(1 << 1);
    /// A common word that is also a place name somewhere (the hand-kept list).
    pub const PLACE_LIKE_WORD: WordFacts = WordFacts(1 << 2);
    /// A frequent given name (the hand-kept list).
    pub const GIVEN_NAME: WordFacts = WordFacts(1 << 3);
    /// An English word dictionaries write in lower case (SCOWL).
    pub const DICTIONARY_WORD: WordFacts = WordFacts(1 << 4);
    /// A given name in the US Census list.
    pub const CENSUS_GIVEN_NAME: WordFacts = WordFacts(1 << 5);
    /// One of the most frequent Census surnames.
    pub const COMMON_SURNAME: WordFacts = WordFacts(1 << 6);
    /// A verb of saying ("said", "told").
    pub const SPEECH_VERB: WordFacts = WordFacts(1 << 7);
    /// A preposition or verb that puts a place after it ("in", "near").
    pub const LOCATIVE: WordFacts = WordFacts(1 << 8);
    /// A word ending a street's name ("road", "avenue").
    pub const STREET: WordFacts = WordFacts(1 << 9);
    /// A word ending a feature's name ("airport", "reservoir").
    pub const FEATURE: WordFacts = WordFacts(1 << 10);
    /// A lower-case word allowed inside a name ("of", "and").
    pub const CONNECTOR: WordFacts = WordFacts(1 << 11);
    /// A word for a natural feature ("river", "mountain").
    pub const NATURAL_FEATURE: WordFacts = WordFacts(1 << 12);
    /// A month or a weekday.
    pub const CALENDAR: WordFacts = WordFacts(1 << 13);
    /// A demonym or adjective of a place ("russian"; see
    /// [`word_lists::demonym_place`]).
    pub const DEMONYM: WordFacts = WordFacts(1 << 14);
    /// The first word of a two-word demonym ("sri" of "sri lankan").
    pub const DEMONYM_FIRST: WordFacts = WordFacts(1 << 15);

    /// Is the word on any of the lists of `lists`?
    pub fn any(self, lists: WordFacts) -> bool {
        self.0 & lists.0 != 0
    }

    /// The lists of both.
    pub const fn or(self, other: WordFacts) -> WordFacts {
        WordFacts(self.0 | other.0)
    }

    /// What a word the gazetteer does not know must not be to be taken for
    /// the name of a place it lacks: a common word, given name, surname,
    /// title, organisation word, date word or word for a kind of place.
    pub const NOT_A_PLACE_NAME: WordFacts = WordFacts::DICTIONARY_WORD
        .or(WordFacts::GIVEN_NAME)
        .or(WordFacts::CENSUS_GIVEN_NAME)
        .or(WordFacts::COMMON_SURNAME)
        .or(WordFacts::TITLE)
        .or(WordFacts::ORGANISATION)
        .or(WordFacts::CALENDAR)
        .or(WordFacts::PLACE_LIKE_WORD);

    /// The bits, for a token to keep.
    pub(super) fn bits(self) -> u32 {
        self.0
    }

    /// Facts from [`WordFacts::bits`].
    pub(super) fn from_bits(bits: u32) -> Self {
        WordFacts(bits)
    }
}

fn table() -> &'static foldhash::HashMap<&'static str, WordFacts> {
    static TABLE: OnceLock<foldhash::HashMap<&'static str, WordFacts>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: foldhash::HashMap<&'static str, WordFacts> = foldhash::HashMap::default();
        let mut add = |words: &mut dyn Iterator<Item = &'static str>, fact: WordFacts| {
            for word in words {
                let entry = table.entry(word).or_insert(WordFacts::NONE);
                *entry = entry.or(fact);
            }
        };
        add(&mut TITLES.iter().copied(), WordFacts::TITLE);
        add(&mut ORGANISATION_WORDS.iter().copied(), WordFacts::ORGANISATION);
        add(&mut COMMON_WORDS.iter().copied(), WordFacts::PLACE_LIKE_WORD);
        add(&mut GIVEN_NAMES.iter().copied(), WordFacts::GIVEN_NAME);
        add(&mut word_lists::dictionary_words(), WordFacts::DICTIONARY_WORD);
        add(&mut word_lists::census_given_names(), WordFacts::CENSUS_GIVEN_NAME);
        add(&mut word_lists::common_surnames(), WordFacts::COMMON_SURNAME);
        add(&mut SPEECH_VERBS.iter().copied(), WordFacts::SPEECH_VERB);
        add(&mut LOCATIVE_BEFORE.iter().copied(), WordFacts::LOCATIVE);
        add(&mut STREET_WORDS.iter().copied(), WordFacts::STREET);
        add(&mut FEATURE_WORDS.iter().copied(), WordFacts::FEATURE);
        add(&mut CONNECTORS.iter().copied(), WordFacts::CONNECTOR);
        add(&mut NATURAL_FEATURE_WORDS.iter().copied(), WordFacts::NATURAL_FEATURE);
        add(
            &mut MONTH_NAMES.iter().chain(OTHER_CALENDAR_WORDS).copied(),
            WordFacts::CALENDAR,
        );
        add(&mut word_lists::demonym_keys(), WordFacts::DEMONYM);
        add(
            &mut word_lists::demonym_keys().filter_map(|k| k.split_once(' ').map(|(first, _)| first)),
            WordFacts::DEMONYM_FIRST,
        );
        table
    })
}

/// Builds the table now, if not yet done (a geoparser does it when it is
/// made, so that its first text does not pay for it).
pub fn load() {
    table();
}

/// Most words a thread remembers the lists of before it starts again.
const MAX_RECENT_WORDS: usize = 1 << 15;

thread_local! {
    /// The words this thread asked about lately, with their lists. The
    /// table of every listed word (74,000 of them, some megabytes) does
    /// not stay in a core's cache while a text is geoparsed, so each
    /// question of it waits on memory; the few thousand distinct words of
    /// the texts at hand, their keys held inline, do stay.
    static RECENT_WORDS: RefCell<foldhash::HashMap<ShortKey, WordFacts>> = RefCell::new(
        foldhash::HashMap::with_capacity_and_hasher(4096, foldhash::fast::RandomState::default()),
    );
}

/// A word of 15 bytes or fewer (nearly every word) as two machine words:
/// its bytes, zero-padded, and its length in the last byte. Compared and
/// hashed as two integers, with no call to compare strings.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ShortKey(u64, u64);

impl ShortKey {
    /// Reads the word in at most two overlapping loads per machine word,
    /// not a byte at a time (or a call to copy them).
    fn of(key: &str) -> Option<Self> {
        let bytes = key.as_bytes();
        let n = bytes.len();
        let load8 = |at: usize| {
            bytes
                .get(at..at + 8)
                .and_then(|b| b.try_into().ok())
                .map(u64::from_le_bytes)
        };
        let load4 = |at: usize| {
            bytes
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map(|b| u64::from(u32::from_le_bytes(b)))
        };
        let (low, high) = match n {
            16.. => return None,
            // bytes 8.. of the word are the top ones of its last eight
            9..=15 => (load8(0)?, load8(n - 8)? >> ((16 - n) * 8)),
            8 => (load8(0)?, 0),
            // the first four and the last four, which overlap by 8 - n
            4..=7 => (load4(0)? | load4(n - 4)? << ((n - 4) * 8), 0),
            _ => (
                bytes
                    .iter()
                    .enumerate()
                    .fold(0u64, |word, (at, &b)| word | u64::from(b) << (at * 8)),
                0,
            ),
        };
        Some(ShortKey(low, high | (n as u64) << 56))
    }
}

/// The lists `key` (a normalised word) is on.
pub fn facts_of(key: &str) -> WordFacts {
    let from_table = || table().get(key).copied().unwrap_or(WordFacts::NONE);
    // a long word is rare: it is looked up in the table each time
    let Some(short) = ShortKey::of(key) else {
        return from_table();
    };
    RECENT_WORDS.with_borrow_mut(|recent| {
        if let Some(&facts) = recent.get(&short) {
            return facts;
        }
        if recent.len() >= MAX_RECENT_WORDS {
            recent.clear();
        }
        let facts = from_table();
        recent.insert(short, facts);
        facts
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lookup_answers_for_every_list() {
        let said = facts_of("said");
        assert!(said.any(WordFacts::SPEECH_VERB));
        assert!(!said.any(WordFacts::TITLE.or(WordFacts::LOCATIVE)));
        let president = facts_of("president");
        assert!(president.any(WordFacts::TITLE));
        assert!(facts_of("near").any(WordFacts::LOCATIVE));
        assert!(facts_of("allison").any(WordFacts::CENSUS_GIVEN_NAME));
        assert!(facts_of("martin").any(WordFacts::COMMON_SURNAME));
        assert!(facts_of("snow").any(WordFacts::DICTIONARY_WORD));
        assert!(facts_of("monday").any(WordFacts::CALENDAR));
        assert!(facts_of("august").any(WordFacts::CALENDAR));
        assert!(facts_of("road").any(WordFacts::STREET));
        assert!(facts_of("of").any(WordFacts::CONNECTOR.and_locative()));
        assert_eq!(facts_of("stepanakert"), WordFacts::NONE);
        assert!(facts_of("russian").any(WordFacts::DEMONYM));
        // words too long to be remembered inline are still looked up
        assert!(facts_of("responsibilities").any(WordFacts::DICTIONARY_WORD));
        assert_eq!(facts_of("responsibilitiesx"), WordFacts::NONE);
        assert!(facts_of("sri").any(WordFacts::DEMONYM_FIRST));
        assert!(!facts_of("russia").any(WordFacts::DEMONYM.or(WordFacts::DEMONYM_FIRST)));
    }

    #[test]
    fn a_short_key_holds_the_word_and_its_length() {
        for word in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmno",
        ] {
            let mut packed = [0u8; 16];
            packed[..word.len()].copy_from_slice(word.as_bytes());
            packed[15] = word.len() as u8;
            let expected = ShortKey(
                u64::from_le_bytes(packed[..8].try_into().unwrap()),
                u64::from_le_bytes(packed[8..].try_into().unwrap()),
            );
            assert!(ShortKey::of(word) == Some(expected), "{word:?}");
        }
        assert!(ShortKey::of("abcdefghijklmnop").is_none());
        // words that differ only past their eighth byte, or in length
        assert!(ShortKey::of("mountainside") != ShortKey::of("mountainsides"));
        assert!(ShortKey::of("ab") != ShortKey::of("ab\0"));
    }

    #[test]
    fn the_table_agrees_with_every_list() {
        for word in TITLES {
            assert!(facts_of(word).any(WordFacts::TITLE), "{word}");
        }
        for word in GIVEN_NAMES {
            assert!(facts_of(word).any(WordFacts::GIVEN_NAME), "{word}");
        }
        for word in SPEECH_VERBS.iter().chain(STREET_WORDS) {
            assert!(
                facts_of(word).any(WordFacts::SPEECH_VERB.or(WordFacts::STREET)),
                "{word}"
            );
        }
        for word in MONTH_NAMES.iter().chain(OTHER_CALENDAR_WORDS) {
            assert!(facts_of(word).any(WordFacts::CALENDAR), "{word}");
        }
    }

    impl WordFacts {
        fn and_locative(self) -> WordFacts {
            self.or(WordFacts::LOCATIVE)
        }
    }
}
