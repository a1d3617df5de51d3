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

/// Builds the automaton for `query` at distance 1 or 2 (`None` for 0), with
/// the first letter fixed: typos rarely hit the first letter, and fixing it
/// lets the search skip all keys that start differently (Lucene's "prefix
/// length" of 1).
pub fn anchored_automaton(query: &str, distance: u8) -> Option<AnchoredDfa> {
    let first = query.chars().next()?;
    let rest = &query[first.len_utf8()..];
    let dfa = automaton(rest, distance)?;
    let mut prefix = [0u8; 4];
    Some(AnchoredDfa {
        prefix: first.encode_utf8(&mut prefix).as_bytes().to_vec(),
        dfa,
    })
}

/// A Levenshtein DFA behind a fixed prefix that must match exactly.
pub struct AnchoredDfa {
    prefix: Vec<u8>,
    dfa: LevenshteinDfa,
}

/// Where an [`AnchoredDfa`] is: still in the prefix, in the DFA, or failed.
#[derive(Debug, Clone, Copy)]
pub enum AnchoredState {
    /// This many prefix bytes matched.
    Prefix(usize),
    /// Past the prefix, at this DFA state.
    Dfa(u32),
    /// A prefix byte differed.
    Dead,
}

impl AnchoredDfa {
    /// The edit distance at a final state, if it is a match.
    pub fn distance_at(&self, state: AnchoredState) -> Option<u8> {
        match state {
            AnchoredState::Dfa(s) => self.dfa.distance_at(s),
            _ => None,
        }
    }
}

impl Automaton for AnchoredDfa {
    type State = AnchoredState;

    fn start(&self) -> AnchoredState {
        if self.prefix.is_empty() {
            AnchoredState::Dfa(self.dfa.start())
        } else {
            AnchoredState::Prefix(0)
        }
    }

    fn is_match(&self, state: &AnchoredState) -> bool {
        self.distance_at(*state).is_some()
    }

    fn can_match(&self, state: &AnchoredState) -> bool {
        match state {
            AnchoredState::Dead => false,
            AnchoredState::Prefix(_) => true,
            AnchoredState::Dfa(s) => self.dfa.can_match(s),
        }
    }

    fn accept(&self, state: &AnchoredState, byte: u8) -> AnchoredState {
        match *state {
            AnchoredState::Prefix(i) if self.prefix.get(i) == Some(&byte) => {
                if i + 1 == self.prefix.len() {
                    AnchoredState::Dfa(self.dfa.start())
                } else {
                    AnchoredState::Prefix(i + 1)
                }
            }
            AnchoredState::Dfa(s) => AnchoredState::Dfa(self.dfa.accept(&s, byte)),
            _ => AnchoredState::Dead,
        }
    }
}

/// Builds the plain automaton for `query` at distance 1 or 2; `None` for 0.
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
