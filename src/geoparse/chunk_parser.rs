//! What geoparsing one chunk of a text needs: memories of names and
//! reusable buffers. One per thread.

use bumpalo::Bump;

use super::candidates::CandidateMemory;
use super::tokenize::Token;
use super::word_lookup::WordLookup;
use super::{recognize, resolve, tokenize, GeoparseOptions, Mention};
use crate::gazetteer::Gazetteer;

/// A chunk of a text and where it starts in the whole text, in bytes and
/// in code points.
#[derive(Debug, Clone, Copy)]
pub(super) struct PlacedChunk<'t> {
    pub text: &'t str,
    pub byte_base: usize,
    pub char_base: usize,
}

/// Notes where each of `chunks` (a text's chunks, in order) starts.
pub(super) fn placed_chunks<'t>(chunks: &[&'t str]) -> Vec<PlacedChunk<'t>> {
    let mut placed = Vec::with_capacity(chunks.len());
    let mut next = PlacedChunk::first();
    for &chunk in chunks {
        let this = next.with_text(chunk);
        next = this.next_base();
        placed.push(this);
    }
    placed
}

impl<'t> PlacedChunk<'t> {
    /// Where a text's first chunk starts, its text not yet given.
    pub fn first() -> PlacedChunk<'static> {
        PlacedChunk {
            text: "",
            byte_base: 0,
            char_base: 0,
        }
    }

    /// The chunk `text` at this chunk's place.
    pub fn with_text<'u>(self, text: &'u str) -> PlacedChunk<'u> {
        PlacedChunk {
            text,
            byte_base: self.byte_base,
            char_base: self.char_base,
        }
    }

    /// Where the chunk after this one starts (its text not yet given).
    pub fn next_base(self) -> PlacedChunk<'static> {
        PlacedChunk {
            text: "",
            byte_base: self.byte_base + self.text.len(),
            // an ASCII chunk (most news) has as many characters as bytes
            char_base: self.char_base
                + if self.text.is_ascii() {
                    self.text.len()
                } else {
                    self.text.chars().count()
                },
        }
    }
}

/// Recognises and resolves the mentions of one chunk at a time, keeping
/// what the gazetteer said of its names for the chunks (and texts) after.
pub(super) struct ChunkParser<'g> {
    words: WordLookup<'g>,
    memory: CandidateMemory,
    /// The token buffer, kept empty between chunks so that its memory
    /// serves the next one: a fresh one per text is new memory for the
    /// allocator to find, and on Linux often for the kernel to clear.
    tokens: Vec<Token<'static>>,
    /// Which of the tokens may start a name, reused likewise.
    capitalised: Vec<u32>,
    /// The keys of the chunk's words that are not their own key, freed at
    /// once when the next chunk begins.
    keys: Bump,
}

/// An empty vector with `tokens`' allocation, for the tokens of another
/// text. (Collecting a vector's own iterator into one of the same layout
/// reuses its allocation; were that ever not so, this would only cost a
/// fresh allocation.)
// (`filter` would keep the old text's lifetime: the point is to change it)
#[allow(clippy::unnecessary_filter_map)]
fn recycle<'a, 'b>(tokens: Vec<Token<'a>>) -> Vec<Token<'b>> {
    tokens.into_iter().filter_map(|_| None).collect()
}

impl<'g> ChunkParser<'g> {
    /// A parser with room for about `words` distinct words before its
    /// memory first grows.
    pub fn with_room(gazetteer: &'g Gazetteer, words: usize) -> Self {
        ChunkParser {
            words: WordLookup::with_capacity(gazetteer.index(), words),
            memory: CandidateMemory::with_capacity((words / 8).max(64)),
            tokens: Vec::new(),
            capitalised: Vec::new(),
            keys: Bump::new(),
        }
    }

    /// Finds and resolves the mentions of `chunk`, handing each to `sink`
    /// in text order, with offsets in the whole text.
    pub fn parse(
        &mut self,
        gazetteer: &'g Gazetteer,
        options: GeoparseOptions,
        chunk: PlacedChunk<'_>,
        sink: &mut impl FnMut(Mention),
    ) {
        let mut tokens = recycle(std::mem::take(&mut self.tokens));
        self.words.make_room();
        self.keys.reset();
        tokenize::tokenize_into(chunk.text, &self.keys, &mut tokens, &mut self.capitalised);
        let spans = recognize::recognize(
            &tokens,
            &self.capitalised,
            chunk.text,
            gazetteer,
            &mut self.words,
            options,
        );
        let base = (chunk.byte_base, chunk.char_base);
        for mention in resolve::resolve(&spans, &tokens, chunk.text, gazetteer, base, &mut self.memory) {
            sink(mention);
        }
        // a token owns nothing: clearing is free, with no look at each
        tokens.clear();
        self.tokens = recycle(tokens);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recycled_token_buffer_keeps_its_memory() {
        let text = String::from("Shelling near Shusha and Lachin");
        let mut tokens = Vec::with_capacity(64);
        let keys = Bump::new();
        tokenize::tokenize_into(&text, &keys, &mut tokens, &mut Vec::new());
        assert_eq!(tokens.len(), 5);
        let kept: Vec<Token<'static>> = recycle(tokens);
        assert!(kept.is_empty());
        assert!(kept.capacity() >= 64, "capacity {}", kept.capacity());
    }

    #[test]
    fn chunks_know_where_they_start_in_bytes_and_characters() {
        // three chunks' worth, with a two-byte letter in each paragraph
        let paragraph = format!("Xankəndi {}\n\n", "a".repeat(1000));
        let text = paragraph.repeat(200);
        let chunks: Vec<&str> = crate::geoparse::chunks(&text).collect();
        let placed = placed_chunks(&chunks);
        assert!(placed.len() >= 2, "{} chunks", placed.len());
        let mut rebuilt = String::new();
        for chunk in &placed {
            assert_eq!(chunk.byte_base, rebuilt.len());
            assert_eq!(chunk.char_base, rebuilt.chars().count());
            rebuilt.push_str(chunk.text);
        }
        assert_eq!(rebuilt, text);
    }
}
