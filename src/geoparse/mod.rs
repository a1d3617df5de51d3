//! The geoparser: finds the place mentions in a text and resolves each to a
//! gazetteer entry, with the evidence. Pure: text and gazetteer in, mentions
//! out; no storage, no I/O.
//!
//! ```
//! use sitrep::gazetteer::Gazetteer;
//! use sitrep::geoparse::resolve_mentions;
//! let gazetteer = Gazetteer::bundled().unwrap();
//! let mentions = resolve_mentions("Shelling was reported near Shusha on Monday.", &gazetteer);
//! assert_eq!(mentions[0].text, "Shusha");
//! assert_eq!(mentions[0].place.as_ref().unwrap().summary.country, "AZ");
//! ```

mod candidates;
mod chunk_parser;
mod geoparser;
mod lexicon;
mod mention;
mod options;
mod place_list;
mod reason_tag;
mod recognize;
mod resolve;
mod route;
mod spelling_variant;
mod tokenize;
mod unknown_name;
mod word_facts;
mod word_lists;
mod word_lookup;

pub use geoparser::Geoparser;
pub use lexicon::MONTH_NAMES;
pub use mention::{Candidate, Mention, Reason, ResolvedPlace};
pub use options::GeoparseOptions;

use crate::gazetteer::Gazetteer;

/// Texts are resolved in chunks of about this many bytes, cut at paragraph
/// breaks, so that coherence stays local and memory stays bounded for huge inputs.
const CHUNK_BYTES: usize = 64 * 1024;

/// Finds and resolves every place mention in `text`, in text order.
pub fn resolve_mentions(text: &str, gazetteer: &Gazetteer) -> Vec<Mention> {
    resolve_mentions_with(text, gazetteer, GeoparseOptions::default())
}

/// As [`resolve_mentions`], with options.
pub fn resolve_mentions_with(text: &str, gazetteer: &Gazetteer, options: GeoparseOptions) -> Vec<Mention> {
    let mut mentions = Vec::new();
    for_each_mention_with(text, gazetteer, options, |m| mentions.push(m));
    mentions
}

/// As [`resolve_mentions`], handing each mention to `sink` as soon as its
/// chunk is done, so a 50 MB text never holds all its mentions at once.
pub fn for_each_mention(text: &str, gazetteer: &Gazetteer, sink: impl FnMut(Mention)) {
    for_each_mention_with(text, gazetteer, GeoparseOptions::default(), sink)
}

/// As [`for_each_mention`], with options. To geoparse many texts, keep one
/// [`Geoparser`]: it remembers what it learnt of names for the next text.
pub fn for_each_mention_with(text: &str, gazetteer: &Gazetteer, options: GeoparseOptions, sink: impl FnMut(Mention)) {
    Geoparser::for_one_text(gazetteer, options, text.len()).for_each_mention(text, sink)
}

/// Resolves given spans (byte ranges of `text`, e.g. an annotator's) instead
/// of recognising them: each span's words are looked up as one name and the
/// spans are resolved together, as in a document. Spans that fall outside
/// word boundaries are widened to the words they touch.
pub fn resolve_spans(text: &str, spans: &[(usize, usize)], gazetteer: &Gazetteer) -> Vec<Mention> {
    let keys = bumpalo::Bump::new();
    let tokens = tokenize::tokenize(text, &keys);
    let recognized: Vec<recognize::Span> = spans
        .iter()
        .filter_map(|&(start, end)| recognize::given_span(&tokens, text, start, end, gazetteer))
        .collect();
    resolve::resolve(
        &recognized,
        &tokens,
        text,
        gazetteer,
        (0, 0),
        &mut candidates::CandidateMemory::new(),
    )
}

/// Splits a text into chunks of about [`CHUNK_BYTES`], at a blank line where
/// possible, else at a line break, else at a space.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= CHUNK_BYTES * 2 {
            let all = rest;
            rest = "";
            return Some(all);
        }
        let mut limit = CHUNK_BYTES;
        while !rest.is_char_boundary(limit) {
            limit += 1;
        }
        let window = &rest[..limit];
        let cut = window
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| window.rfind('\n').map(|i| i + 1))
            .or_else(|| window.rfind(' ').map(|i| i + 1))
            .filter(|&i| i > 0)
            .unwrap_or(limit);
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}
