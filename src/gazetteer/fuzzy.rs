//! Typo-tolerant matching: a Levenshtein automaton (with transpositions)
//! walked over the key FST, so a misspelt query visits only the keys within
//! the allowed edit distance.

use std::sync::OnceLock;

use fst::Automaton;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};

/// The edit distance allowed for a query of `chars` characters: none for very
/// short queries (every short key is within 1 of many others), 1 for 4-7
/// characters, 2 from 8.
pub fn allowed_distance(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Builds the automaton for `query` at distance 1 or 2; `None` for 0.
pub fn automaton(query: &str, distance: u8) -> Option<LevenshteinDfa> {
    static BUILDERS: OnceLock<[LevenshteinAutomatonBuilder; 2]> = OnceLock::new();
    let builders = BUILDERS.get_or_init(|| {
        [
            LevenshteinAutomatonBuilder::new(1, true),
            LevenshteinAutomatonBuilder::new(2, true),
        ]
    });
    let builder = match distance {
        1 => &builders[0],
        2 => &builders[1],
        _ => return None,
    };
    Some(LevenshteinDfa(builder.build_dfa(query)))
}

/// A Levenshtein DFA usable as an [`fst::Automaton`].
pub struct LevenshteinDfa(DFA);

impl LevenshteinDfa {
    /// The edit distance at a final state, if it is a match.
    pub fn distance_at(&self, state: u32) -> Option<u8> {
        match self.0.distance(state) {
            Distance::Exact(d) => Some(d),
            Distance::AtLeast(_) => None,
        }
    }
}

impl Automaton for LevenshteinDfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        self.distance_at(*state).is_some()
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}
