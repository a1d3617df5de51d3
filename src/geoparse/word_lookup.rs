//! The name index's answers for the words of one text, remembered.

use std::borrow::Cow;
use std::cell::Cell;

use compact_str::CompactString;

use super::tokenize::{Token, NOT_LOOKED_UP};
use super::word_facts::{facts_of, WordFacts};
use crate::gazetteer::index::{NameIndex, Posting};

/// What the name index says of one word, and what the recogniser has
/// concluded from it so far. Small (32 bytes), so that the table of a
/// long text's words stays in a core's cache.
#[derive(Clone)]
struct WordEntry<'g> {
    /// The places of which the word is a whole name.
    exact: &'g [Posting],
    /// `exact` less the names written otherwise, for the word not in
    /// capitals (see [`WordLookup::written_alike`]): [`ALIKE_UNKNOWN`],
    /// [`ALIKE_ALL`], or where in [`WordLookup::filtered`] it is.
    alike: u32,
    /// Whether longer names start with the word.
    longer: bool,
    /// Whether one of `exact` is a major place.
    major: Option<bool>,
    /// Whether one of the postings written alike is a major place.
    major_alike: Option<bool>,
    /// The word lists the word is on ([`WordFacts`] bits), once a token
    /// asked ([`NOT_LOOKED_UP`] before).
    facts: u32,
}

/// `alike` before it is first asked for.
const ALIKE_UNKNOWN: u32 = u32::MAX;
/// `alike` when it is all of `exact` (for nearly every word).
const ALIKE_ALL: u32 = u32::MAX - 1;

/// The name index's answers for the words and word sequences of one text,
/// and the recogniser's conclusions from them. A text repeats its names and
/// its sentence openers ("The", "He", "Baku" again); a hash probe costs a
/// fraction of a walk through the index and of a look at every place a
/// common name has. One memory serves all the chunks of a long text, and a
/// token remembers where its word is kept, so the recogniser's later
/// questions of the same word cost no probe at all.
pub struct WordLookup<'g> {
    index: &'g NameIndex,
    /// Key → where its entry is in `entries`. Keys up to 24 bytes (nearly
    /// all) sit in the table itself, so a probe reads one place in memory,
    /// not a key's own allocation.
    known: hashbrown::HashMap<WordKey, u32, foldhash::fast::RandomState>,
    entries: Vec<WordEntry<'g>>,
    /// The `alike` postings that are fewer than the word's `exact` ones.
    filtered: Vec<Box<[Posting]>>,
}

/// A key the memory keeps, up to 24 bytes inline. Told from an asked key
/// by [`same_bytes`]: a text's words are short, and a call to compare
/// memory for each probe cost more than the comparison.
#[derive(PartialEq, Eq)]
struct WordKey(CompactString);

impl std::hash::Hash for WordKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // as the asked `str` hashes
        self.0.as_str().hash(state)
    }
}

impl From<&str> for WordKey {
    fn from(key: &str) -> Self {
        WordKey(CompactString::new(key))
    }
}

impl hashbrown::Equivalent<WordKey> for str {
    fn equivalent(&self, key: &WordKey) -> bool {
        same_bytes(self.as_bytes(), key.0.as_bytes())
    }
}

/// `a == b`, with words of up to 16 bytes compared as two pairs of
/// overlapping 8-byte (or 4-byte) loads.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let load8 = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|w| w.try_into().ok())
            .map(u64::from_le_bytes)
    };
    let load4 = |s: &[u8], at: usize| {
        s.get(at..at + 4)
            .and_then(|w| w.try_into().ok())
            .map(u32::from_le_bytes)
    };
    match n {
        8..=16 => load8(a, 0) == load8(b, 0) && load8(a, n - 8) == load8(b, n - 8),
        4..=7 => load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4),
        _ => a == b,
    }
}

/// A word the memory can be asked about: a key, or a token, which
/// remembers where the memory keeps its key.
pub trait AskedWord {
    /// The normalised key.
    fn key(&self) -> &str;
    /// Where the token keeps its slot, if it is a token.
    fn slot_cell(&self) -> Option<&Cell<u32>>;
}

impl AskedWord for str {
    fn key(&self) -> &str {
        self
    }
    fn slot_cell(&self) -> Option<&Cell<u32>> {
        None
    }
}

impl AskedWord for Token<'_> {
    fn key(&self) -> &str {
        Token::key(self)
    }
    fn slot_cell(&self) -> Option<&Cell<u32>> {
        Some(&self.word_slot)
    }
}

/// Most keys remembered; past it the memory starts again (at the next
/// chunk, see [`WordLookup::make_room`]), so a text of endless distinct
/// words cannot grow it without bound.
const MAX_REMEMBERED: usize = 1 << 20;

impl<'g> WordLookup<'g> {
    /// An empty memory over `index`, with room for about `words` keys.
    pub fn with_capacity(index: &'g NameIndex, words: usize) -> Self {
        WordLookup {
            index,
            known: hashbrown::HashMap::with_capacity_and_hasher(words, foldhash::fast::RandomState::default()),
            entries: Vec::with_capacity(words),
            filtered: Vec::new(),
        }
    }

    /// Forgets everything once the memory is full. Called before the
    /// tokens of a new chunk are made: the slots older tokens remember are
    /// not to be asked about after it.
    pub fn make_room(&mut self) {
        if self.known.len() >= MAX_REMEMBERED {
            self.known.clear();
            self.entries.clear();
            self.filtered.clear();
        }
    }

    fn slot(&mut self, word: &(impl AskedWord + ?Sized)) -> usize {
        let cell = word.slot_cell();
        if let Some(slot) = cell.map(Cell::get).filter(|&s| s != NOT_LOOKED_UP) {
            return slot as usize;
        }
        let (index, entries) = (self.index, &mut self.entries);
        // most words are met again: a key is made only for a new one
        let slot = *self.known.entry_ref(word.key()).or_insert_with(|| {
            let (exact, longer) = index.exact_and_longer(word.key());
            entries.push(WordEntry {
                exact,
                alike: ALIKE_UNKNOWN,
                longer,
                major: None,
                major_alike: None,
                facts: NOT_LOOKED_UP,
            });
            (entries.len() - 1) as u32
        });
        if let Some(cell) = cell {
            cell.set(slot);
        }
        slot as usize
    }

    /// Gets ready for a coming question of `token`: a word met before
    /// gets its slot now, and for a new word the name index starts
    /// fetching what its probe reads. Asked a few words ahead of the
    /// questions, the new words' waits on memory overlap.
    pub fn prefetch(&mut self, token: &Token<'_>) {
        if token.word_slot.get() != NOT_LOOKED_UP {
            return;
        }
        match self.known.get(token.key()) {
            Some(&slot) => token.word_slot.set(slot),
            None => self.index.prefetch_exact_and_longer(token.key()),
        }
    }

    /// Tells `token` the word lists its word is on, kept here once per
    /// word: a text repeats its capitalised words, and every token of them
    /// would otherwise ask the lists on its own.
    pub fn share_facts(&mut self, token: &Token<'_>) {
        if token.facts_known() {
            return;
        }
        let slot = self.slot(token);
        let entry = &mut self.entries[slot];
        if entry.facts == NOT_LOOKED_UP {
            entry.facts = facts_of(token.key()).bits();
        }
        token.set_facts(WordFacts::from_bits(entry.facts));
    }

    fn entry(&mut self, word: &(impl AskedWord + ?Sized)) -> &mut WordEntry<'g> {
        let slot = self.slot(word);
        &mut self.entries[slot]
    }

    /// The postings of the names that are exactly `word` (a normalised
    /// key), and whether a longer name starts with it: what
    /// [`NameIndex::exact_and_longer`] answers.
    pub fn exact_and_longer(&mut self, word: &(impl AskedWord + ?Sized)) -> (&'g [Posting], bool) {
        let entry = self.entry(word);
        (entry.exact, entry.longer)
    }

    /// The postings of `word` whose names could be what a text wrote in
    /// lower or title case, as `filter` (the recogniser's rule, which keeps
    /// some of the postings given, in order) picks them from all its
    /// postings; computed once per word.
    pub fn written_alike(
        &mut self,
        word: &(impl AskedWord + ?Sized),
        filter: impl FnOnce(&'g [Posting]) -> Cow<'g, [Posting]>,
    ) -> Cow<'g, [Posting]> {
        let slot = self.slot(word);
        self.alike(word, filter);
        match self.entries[slot].alike {
            // nearly every word: the index's own postings, not a copy
            ALIKE_ALL => Cow::Borrowed(self.entries[slot].exact),
            at => Cow::Owned(
                self.filtered
                    .get(at as usize)
                    .map_or_else(Vec::new, |kept| kept.to_vec()),
            ),
        }
    }

    /// Whether [`WordLookup::written_alike`] would give any posting,
    /// without the copy.
    pub fn any_written_alike(
        &mut self,
        word: &(impl AskedWord + ?Sized),
        filter: impl FnOnce(&'g [Posting]) -> Cow<'g, [Posting]>,
    ) -> bool {
        !self.alike(word, filter).is_empty()
    }

    fn alike(
        &mut self,
        word: &(impl AskedWord + ?Sized),
        filter: impl FnOnce(&'g [Posting]) -> Cow<'g, [Posting]>,
    ) -> &[Posting] {
        let slot = self.slot(word);
        let entry = &self.entries[slot];
        let (exact, mut alike) = (entry.exact, entry.alike);
        if alike == ALIKE_UNKNOWN {
            alike = match filter(exact) {
                // the filter kept them all: nothing to copy or keep
                Cow::Borrowed(_) => ALIKE_ALL,
                Cow::Owned(kept) if kept.len() == exact.len() => ALIKE_ALL,
                Cow::Owned(kept) => {
                    // one at most per remembered word: far below ALIKE_ALL
                    self.filtered.push(kept.into_boxed_slice());
                    (self.filtered.len() - 1) as u32
                }
            };
            self.entries[slot].alike = alike;
        }
        match alike {
            ALIKE_ALL => exact,
            at => self.filtered.get(at as usize).map_or(&[], |kept| kept),
        }
    }

    /// Whether one of the postings of `word` written alike (as `filter`
    /// picks them, see [`WordLookup::written_alike`]) names a major place,
    /// as `test` decides; computed once per word.
    pub fn alike_names_major_place(
        &mut self,
        word: &(impl AskedWord + ?Sized),
        filter: impl FnOnce(&'g [Posting]) -> Cow<'g, [Posting]>,
        test: impl FnOnce(&[Posting]) -> bool,
    ) -> bool {
        let slot = self.slot(word);
        if let Some(major) = self.entries[slot].major_alike {
            return major;
        }
        let major = test(self.alike(word, filter));
        self.entries[slot].major_alike = Some(major);
        major
    }

    /// Whether `word` names a major place, as `test` (the recogniser's
    /// rule) decides from all its postings; computed once per word.
    pub fn names_major_place(
        &mut self,
        word: &(impl AskedWord + ?Sized),
        test: impl FnOnce(&'g [Posting]) -> bool,
    ) -> bool {
        let entry = self.entry(word);
        let exact = entry.exact;
        *entry.major.get_or_insert_with(|| test(exact))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Gazetteer, Place, PlaceKind};
    use hashbrown::Equivalent;

    #[test]
    fn keys_are_told_apart_by_every_byte_at_every_length() {
        let word = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..=word.len() {
            let a = &word.as_bytes()[..n];
            assert!(same_bytes(a, a), "{n}");
            // a different byte at each place
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] = b'#';
                assert!(!same_bytes(a, &b), "{n} {at}");
            }
            // one byte longer or shorter
            assert!(!same_bytes(a, &word.as_bytes()[..(n + 1).min(word.len())]) || n == word.len());
            if n > 0 {
                assert!(!same_bytes(a, &a[..n - 1]));
            }
        }
        // as the table uses it: an asked key against a kept one
        assert!("stepanakert".equivalent(&WordKey::from("stepanakert")));
        assert!(!"stepanakert".equivalent(&WordKey::from("stepanakerd")));
    }

    #[test]
    fn remembered_answers_are_the_index_answers_and_conclusions_are_drawn_once() {
        let town = PlaceKind::populated("PPL");
        let gazetteer = Gazetteer::from_places(vec![
            Place::new_point("t:1", "New York", town.clone(), -74.0, 40.7),
            Place::new_point("t:2", "York", town.clone(), -1.08, 53.96),
            Place::new_point("t:3", "New", town, 0.0, 0.0),
        ])
        .expect("a valid gazetteer");
        let index = gazetteer.index();
        let mut words = WordLookup::with_capacity(index, 4);
        for word in ["new", "york", "paris", "new", "york"] {
            assert_eq!(words.exact_and_longer(word), index.exact_and_longer(word), "{word}");
        }
        assert!(words.exact_and_longer("new").1, "a longer name starts with new");
        assert!(!words.exact_and_longer("york").1);
        let mut asked = 0;
        for _ in 0..3 {
            assert!(words.names_major_place("york", |postings| {
                asked += 1;
                postings.len() == 1
            }));
        }
        assert_eq!(asked, 1);
        let mut asked_alike = 0;
        for _ in 0..3 {
            let keep_none = |_: &[Posting]| Cow::Owned(Vec::new());
            assert!(!words.alike_names_major_place("york", keep_none, |postings| {
                asked_alike += 1;
                !postings.is_empty()
            }));
        }
        assert_eq!(asked_alike, 1, "asked once, of the postings written alike");
        assert_eq!(words.written_alike("new", Cow::Borrowed).len(), 1);
        assert!(words.written_alike("paris", Cow::Borrowed).is_empty());
        // a filter that drops some: its answer is what it kept
        let keep_first = |postings: &[Posting]| Cow::Owned(postings.iter().take(1).copied().collect());
        let two = Gazetteer::from_places(vec![
            Place::new_point("t:4", "Lachin", PlaceKind::populated("PPL"), 46.55, 39.64),
            Place::new_point("t:5", "Lachin", PlaceKind::populated("PPL"), 47.0, 40.0),
        ])
        .expect("a valid gazetteer");
        let mut words = WordLookup::with_capacity(two.index(), 2);
        assert_eq!(words.exact_and_longer("lachin").0.len(), 2);
        assert_eq!(words.written_alike("lachin", keep_first).len(), 1);
        assert_eq!(words.written_alike("lachin", |_| unreachable!("asked once")).len(), 1);
    }

    #[test]
    fn a_token_remembers_where_its_word_is_kept() {
        let town = PlaceKind::populated("PPL");
        let gazetteer = Gazetteer::from_places(vec![Place::new_point("t:1", "Shusha", town, 46.75, 39.76)])
            .expect("a valid gazetteer");
        let mut words = WordLookup::with_capacity(gazetteer.index(), 4);
        let tokens = crate::geoparse::tokenize::tokenize_for_test("Shusha and Shusha");
        assert_eq!(tokens[0].word_slot.get(), NOT_LOOKED_UP);
        let first = words.exact_and_longer(&tokens[0]);
        assert_eq!(first.0.len(), 1);
        assert_ne!(tokens[0].word_slot.get(), NOT_LOOKED_UP);
        // the same word elsewhere shares the entry; a plain key gets the same answer
        assert_eq!(words.exact_and_longer(&tokens[2]), first);
        assert_eq!(tokens[2].word_slot.get(), tokens[0].word_slot.get());
        assert_eq!(words.exact_and_longer("shusha"), first);
        assert_eq!(words.exact_and_longer(&tokens[1]), (&[][..], false));
    }

    #[test]
    fn a_prefetch_gives_a_known_word_its_slot_and_changes_no_answer() {
        let town = PlaceKind::populated("PPL");
        let gazetteer = Gazetteer::from_places(vec![
            Place::new_point("t:1", "Shusha", town.clone(), 46.75, 39.76),
            Place::new_point("t:2", "New Shusha", town, 46.7, 39.7),
        ])
        .expect("a valid gazetteer");
        gazetteer
            .index()
            .wait_for_exact_lookups(std::time::Duration::from_secs(30));
        let tokens = crate::geoparse::tokenize::tokenize_for_test("Shusha and New Shusha");
        let mut plain = WordLookup::with_capacity(gazetteer.index(), 4);
        let mut prefetched = WordLookup::with_capacity(gazetteer.index(), 4);
        // a new word: a hint to the index only, nothing remembered
        prefetched.prefetch(&tokens[0]);
        assert_eq!(tokens[0].word_slot.get(), NOT_LOOKED_UP);
        let answer = prefetched.exact_and_longer(&tokens[0]);
        assert_eq!(answer.0.len(), 1);
        // a word met before gets its slot from the prefetch
        prefetched.prefetch(&tokens[3]);
        assert_eq!(tokens[3].word_slot.get(), tokens[0].word_slot.get());
        assert_eq!(prefetched.exact_and_longer(&tokens[3]), answer);
        let fresh = crate::geoparse::tokenize::tokenize_for_test("Shusha and New Shusha");
        for (token, again) in tokens.iter().zip(&fresh) {
            prefetched.prefetch(token);
            assert_eq!(
                prefetched.exact_and_longer(token),
                plain.exact_and_longer(again),
                "{}",
                token.text
            );
        }
        assert!(prefetched.exact_and_longer("new").1, "a longer name starts with new");
    }
}
