//! A hash table of the index's keys and of the word prefixes of its
//! multi-word keys, beside the FST: what a geoparser asks of every new
//! word ("is it a name, and does a longer name start with it?") answered
//! with one probe instead of a walk through the automaton.
//!
//! The automaton is compact, but a walk visits a node per byte, and for a
//! gazetteer of a million keys (10 MB of automaton) most of those nodes
//! are not in any cache: a walk waits on memory several times. A probe of
//! this table reads one cache line of slots and the key it finds.

use std::hash::BuildHasher;

use crate::gazetteer::prefetch::prefetch_line;

/// A slot: empty (0), or where its key's record starts in the keys' bytes
/// (low 32 bits), the entry's flags (bits 32 and 33) and the low 30 bits
/// of its string's hash (the high bits choose the slot, so the two tell
/// strings apart independently).
type Slot = u64;

/// The string is a key: the slot's record is its own.
const IS_KEY: u64 = 1 << 32;
/// Some key continues the string with a space and more words. Alone (the
/// string is no key), the slot's record is that of one such key.
const HAS_LONGER: u64 = 1 << 33;
const RECORD_BITS: u64 = u32::MAX as u64;
const TAG_SHIFT: u32 = 34;

/// A key's record in the keys' bytes: its ordinal (4 bytes, little
/// endian), its length (2 bytes), then its bytes. The ordinal and the key
/// lie together, so a probe that finds a slot reads one place in memory
/// for both, not a table of where keys start and then the key.
const RECORD_HEADER: usize = 6;

/// What the table knows of a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAnswer {
    /// The string's ordinal, when it is a key.
    pub ordinal: Option<u64>,
    /// Whether a longer key starts with the string and a space.
    pub has_longer: bool,
}

impl KeyAnswer {
    /// Neither a key nor the start of one.
    pub const NONE: KeyAnswer = KeyAnswer {
        ordinal: None,
        has_longer: false,
    };
}

/// The table. Keys' records are kept beside it, so that a probe that
/// finds its string's hash confirms the string itself: an answer is exact,
/// never a likely one.
pub struct KeyTable {
    slots: Box<[Slot]>,
    /// Every key's record (see [`RECORD_HEADER`]), one after another in
    /// ordinal order.
    records: Vec<u8>,
    hasher: foldhash::fast::FixedState,
}

/// Seed of the hash: any fixed value, so that a table is the same from run
/// to run.
const SEED: u64 = 0x5174_7265_7000_0001;

/// Errors a table can meet while it is built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyTableError {
    /// Keys must come in ordinal order, 0, 1, 2, ...
    #[error("key {got} came where key {expected} was due")]
    OutOfOrder {
        /// The ordinal that was due.
        expected: u64,
        /// The ordinal given.
        got: u64,
    },
    /// Ordinals and where records start are held in 32 bits.
    #[error("more than 4 GiB of keys or 4 billion keys")]
    TooLarge,
    /// A key's length is held in 16 bits.
    #[error("key {ordinal} is {length} bytes long, more than 65,535")]
    KeyTooLong {
        /// The key's ordinal.
        ordinal: u64,
        /// Its length in bytes.
        length: usize,
    },
}

/// Collects keys one at a time (as an FST's stream gives them, which is
/// no iterator), then hashes them all into a [`KeyTable`].
pub struct KeyTableBuilder {
    records: Vec<u8>,
    /// Where each key's record starts, in ordinal order.
    record_starts: Vec<u32>,
    /// Keys and runs of their words that a space ends.
    entries: usize,
}

impl KeyTableBuilder {
    /// A builder with room for `key_count` keys.
    pub fn with_capacity(key_count: usize) -> Self {
        KeyTableBuilder {
            records: Vec::with_capacity(key_count * (12 + RECORD_HEADER)),
            record_starts: Vec::with_capacity(key_count),
            entries: 0,
        }
    }

    /// Adds the next key, whose ordinal must be the number of keys so far.
    pub fn push(&mut self, key: &[u8], ordinal: u64) -> Result<(), KeyTableError> {
        let expected = self.record_starts.len() as u64;
        if ordinal != expected {
            return Err(KeyTableError::OutOfOrder { expected, got: ordinal });
        }
        let ordinal_bytes = u32::try_from(ordinal).map_err(|_| KeyTableError::TooLarge)?;
        let length = u16::try_from(key.len()).map_err(|_| KeyTableError::KeyTooLong {
            ordinal,
            length: key.len(),
        })?;
        let start = u32::try_from(self.records.len()).map_err(|_| KeyTableError::TooLarge)?;
        // the record must end below 4 GiB too, where a slot can point
        if u32::try_from(self.records.len() + RECORD_HEADER + key.len()).is_err() {
            return Err(KeyTableError::TooLarge);
        }
        self.record_starts.push(start);
        self.records.extend_from_slice(&ordinal_bytes.to_le_bytes());
        self.records.extend_from_slice(&length.to_le_bytes());
        self.records.extend_from_slice(key);
        self.entries += 1 + key.iter().filter(|&&b| b == b' ').count();
        Ok(())
    }

    /// The table of the keys pushed.
    pub fn finish(mut self) -> Result<KeyTable, KeyTableError> {
        // kept as long as the index: no room to spare
        self.records.shrink_to_fit();
        // two thirds full: a probe that misses, as most words of a text
        // do, then reads five slots on average, in one or two cache lines.
        // Not rounded up to a power of two, which for some counts would
        // double the table (a slot is found by multiplying, not masking,
        // the hash).
        let capacity = (self.entries + self.entries / 2).max(8);
        let mut table = KeyTable {
            slots: vec![0; capacity].into_boxed_slice(),
            records: self.records,
            hasher: foldhash::fast::FixedState::with_seed(SEED),
        };
        for &start in &self.record_starts {
            let Some((_, key)) = table.record(start) else {
                continue; // every start was pushed with its record
            };
            let key = key.len();
            let from = start as usize + RECORD_HEADER;
            table.insert(from..from + key, start, IS_KEY);
            let mut word_end = from;
            while let Some(at) = table.records[word_end..from + key].iter().position(|&b| b == b' ') {
                table.insert(from..word_end + at, start, HAS_LONGER);
                word_end += at + 1;
            }
        }
        Ok(table)
    }
}

impl KeyTable {
    /// The ordinal and bytes of the key whose record starts at `start`.
    fn record(&self, start: u32) -> Option<(u64, &[u8])> {
        let start = start as usize;
        let header = self.records.get(start..start + RECORD_HEADER)?;
        let ordinal = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let length = usize::from(u16::from_le_bytes([header[4], header[5]]));
        let key = self
            .records
            .get(start + RECORD_HEADER..start + RECORD_HEADER + length)?;
        Some((u64::from(ordinal), key))
    }

    fn hash(&self, bytes: &[u8]) -> u64 {
        self.hasher.hash_one(bytes)
    }

    /// The tag a slot keeps of `hash` (its low bits, in the slot's top
    /// bits), and the slot a probe starts at (from its high bits: the
    /// hash scaled to the table's length).
    fn tag_and_home(&self, hash: u64) -> (u64, usize) {
        let tag = hash << TAG_SHIFT;
        let home = ((u128::from(hash) * self.slots.len() as u128) >> 64) as usize;
        (tag, home)
    }

    /// The ordinal of `slot`'s key when `slot` holds `string`.
    fn holding(&self, slot: Slot, string: &[u8]) -> Option<u64> {
        let (ordinal, key) = self.record((slot & RECORD_BITS) as u32)?;
        let holds = if slot & IS_KEY != 0 {
            key == string
        } else {
            key.len() > string.len() && key.starts_with(string) && key[string.len()] == b' '
        };
        holds.then_some(ordinal)
    }

    /// Records `flag` for the string at `range` of the records' bytes (a
    /// key, or the first words of the key whose record starts at `start`).
    fn insert(&mut self, range: std::ops::Range<usize>, start: u32, flag: u64) {
        let string = &self.records[range];
        let hash = self.hash(string);
        let (tag, mut at) = self.tag_and_home(hash);
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                self.slots[at] = tag | flag | u64::from(start);
                return;
            }
            if slot & !(RECORD_BITS | IS_KEY | HAS_LONGER) == tag && self.holding(slot, string).is_some() {
                // a key keeps its own record when it is a prefix too
                self.slots[at] = if flag == IS_KEY {
                    tag | IS_KEY | (slot & HAS_LONGER) | u64::from(start)
                } else {
                    slot | flag
                };
                return;
            }
            at = if at + 1 == self.slots.len() { 0 } else { at + 1 };
        }
    }

    /// Starts fetching the slot a [`KeyTable::find`] of `string` reads
    /// first, and returns at once (see [`prefetch_line`]).
    pub fn prefetch(&self, string: &[u8]) {
        let (_, home) = self.tag_and_home(self.hash(string));
        if let Some(slot) = self.slots.get(home) {
            prefetch_line(slot);
        }
    }

    /// What the table knows of `string`: whether it is a key (and its
    /// ordinal) and whether a longer key starts with it and a space.
    pub fn find(&self, string: &[u8]) -> KeyAnswer {
        let hash = self.hash(string);
        let (tag, mut at) = self.tag_and_home(hash);
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return KeyAnswer::NONE;
            }
            if slot & !(RECORD_BITS | IS_KEY | HAS_LONGER) == tag {
                if let Some(ordinal) = self.holding(slot, string) {
                    return KeyAnswer {
                        ordinal: (slot & IS_KEY != 0).then_some(ordinal),
                        has_longer: slot & HAS_LONGER != 0,
                    };
                }
            }
            at = if at + 1 == self.slots.len() { 0 } else { at + 1 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build<'k>(key_count: usize, keys: impl IntoIterator<Item = (&'k [u8], u64)>) -> Result<KeyTable, KeyTableError> {
        let mut builder = KeyTableBuilder::with_capacity(key_count);
        for (key, ordinal) in keys {
            builder.push(key, ordinal)?;
        }
        builder.finish()
    }

    fn table_of(keys: &[&str]) -> KeyTable {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let result = build(
            sorted.len(),
            sorted.iter().enumerate().map(|(i, k)| (k.as_bytes(), i as u64)),
        );
        match result {
            Ok(table) => table,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_key_is_found_with_its_ordinal() {
        let table = table_of(&["baku", "ganja", "shusha"]);
        assert_eq!(
            table.find(b"ganja"),
            KeyAnswer {
                ordinal: Some(1),
                has_longer: false
            }
        );
        assert_eq!(table.find(b"gan"), KeyAnswer::NONE);
        assert_eq!(table.find(b"ganjaa"), KeyAnswer::NONE);
        assert_eq!(table.find(b""), KeyAnswer::NONE);
    }

    #[test]
    fn the_words_a_longer_key_starts_with_say_so() {
        let table = table_of(&["nagorno karabakh republic", "nagorno karabakh", "lachin corridor"]);
        // a key that is also the start of a longer one keeps its ordinal
        // (in order: "lachin corridor", "nagorno karabakh", ...)
        assert_eq!(
            table.find(b"nagorno karabakh"),
            KeyAnswer {
                ordinal: Some(1),
                has_longer: true
            }
        );
        // the first words of a longer key, not themselves a key
        assert_eq!(
            table.find(b"nagorno"),
            KeyAnswer {
                ordinal: None,
                has_longer: true
            }
        );
        assert_eq!(
            table.find(b"lachin"),
            KeyAnswer {
                ordinal: None,
                has_longer: true
            }
        );
        // a prefix that stops inside a word starts no longer name
        assert_eq!(table.find(b"lach"), KeyAnswer::NONE);
        assert_eq!(table.find(b"nagorno karabakh republic x"), KeyAnswer::NONE);
    }

    #[test]
    fn many_keys_are_all_found() {
        let keys: Vec<String> = (0..5000)
            .flat_map(|i| {
                [
                    format!("place{i}"),
                    format!("place{i} river"),
                    format!("old place{i} road"),
                ]
            })
            .collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut sorted = refs.clone();
        sorted.sort_unstable();
        // told of fewer keys than it gets
        let table = match build(10, sorted.iter().enumerate().map(|(i, k)| (k.as_bytes(), i as u64))) {
            Ok(table) => table,
            Err(e) => panic!("{e}"),
        };
        for (ordinal, key) in sorted.iter().enumerate() {
            assert_eq!(table.find(key.as_bytes()).ordinal, Some(ordinal as u64), "{key}");
        }
        assert!(table.find(b"place17").has_longer);
        assert!(table.find(b"old place17").has_longer);
        assert!(table.find(b"old").has_longer);
        assert!(!table.find(b"place17 river").has_longer);
        assert_eq!(table.find(b"place5000"), KeyAnswer::NONE);
    }

    #[test]
    fn keys_out_of_order_are_refused() {
        let keys = [("a".as_bytes(), 0u64), ("b".as_bytes(), 2)];
        assert_eq!(
            build(2, keys).err(),
            Some(KeyTableError::OutOfOrder { expected: 1, got: 2 })
        );
    }

    #[test]
    fn keys_in_any_script_are_bytes_like_any_other() {
        let table = table_of(&["ստեփանակերտ", "степанакерт", "xankəndi"]);
        assert!(table.find("степанакерт".as_bytes()).ordinal.is_some());
        assert!(table.find("xankəndi".as_bytes()).ordinal.is_some());
        assert_eq!(table.find("xankəndı".as_bytes()), KeyAnswer::NONE);
    }

    #[test]
    fn a_key_too_long_for_its_record_is_refused() {
        let long = vec![b'a'; 70_000];
        assert_eq!(
            build(1, [(&long[..], 0u64)]).err(),
            Some(KeyTableError::KeyTooLong {
                ordinal: 0,
                length: 70_000
            })
        );
    }
}
