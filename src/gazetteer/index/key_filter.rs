//! A Bloom filter of the index's keys and of the words that begin them, so
//! that a lookup of a word no name has or begins with ("The", "Monday",
//! most of a text's capitalised words) ends after one read of memory
//! instead of a walk through the key automaton.

use std::hash::BuildHasher;

/// One block: a 64-byte cache line of 512 bits. Every item sets its bits in
/// one block, so a question reads one line of memory.
type Block = [u64; 8];

/// Bits per item: with four bits set in one block, about one question in
/// fifty about an absent item is answered "maybe".
const BITS_PER_ITEM: usize = 16;

/// Seed of the filter's hash: any constant, fixed so a filter built in one
/// process answers alike in another.
const SEED: u64 = 0x5173_7265_7000_0001;

/// A set of byte strings that may answer "maybe" for a string it lacks,
/// never "no" for one it holds.
#[derive(Debug)]
pub(super) struct KeyFilter {
    blocks: Vec<Block>,
    /// `blocks.len() - 1`, a power of two less one.
    mask: usize,
}

impl KeyFilter {
    /// An empty filter sized for `expected` items (more only raise how
    /// often it answers "maybe").
    pub(super) fn with_room(expected: usize) -> Self {
        let blocks = (expected.max(1) * BITS_PER_ITEM).div_ceil(512).next_power_of_two();
        KeyFilter {
            blocks: vec![[0u64; 8]; blocks],
            mask: blocks - 1,
        }
    }

    /// Puts `item` in.
    pub(super) fn insert(&mut self, item: &[u8]) {
        let (block, bits) = self.place(item);
        for (word, bit) in self.blocks[block].iter_mut().zip(bits) {
            *word |= bit;
        }
    }

    /// False when `item` was certainly not put in; true when it may have been.
    pub(super) fn may_contain(&self, item: &[u8]) -> bool {
        let (block, bits) = self.place(item);
        let stored = &self.blocks[block];
        stored.iter().zip(bits).all(|(word, bit)| word & bit == bit)
    }

    /// The block of `item` and the bits it sets there: four positions
    /// among 512, from separate parts of one 64-bit hash.
    fn place(&self, item: &[u8]) -> (usize, Block) {
        let hash = foldhash::fast::FixedState::with_seed(SEED).hash_one(item);
        let block = (hash >> 36) as usize & self.mask;
        let mut bits = [0u64; 8];
        for slice in 0..4 {
            let position = (hash >> (slice * 9)) as usize & 511;
            bits[position >> 6] |= 1u64 << (position & 63);
        }
        (block, bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_denies_an_item_it_holds_and_seldom_admits_one_it_lacks() {
        let held: Vec<String> = (0..20_000).map(|i| format!("place {i}")).collect();
        let mut filter = KeyFilter::with_room(held.len());
        for item in &held {
            filter.insert(item.as_bytes());
        }
        assert!(held.iter().all(|s| filter.may_contain(s.as_bytes())));
        let lacked = (0..20_000)
            .map(|i| format!("word {i}"))
            .filter(|s| filter.may_contain(s.as_bytes()))
            .count();
        // about 2% expected; 5% would mean the bits are badly spread
        assert!(lacked < 1_000, "{lacked} of 20000 absent items admitted");
    }

    #[test]
    fn an_empty_filter_admits_nothing() {
        let filter = KeyFilter::with_room(0);
        assert!(!filter.may_contain(b"baku"));
        assert!(!filter.may_contain(b""));
    }
}
