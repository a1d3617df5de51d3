//! A geoparser that keeps what it learns of names from one text to the next.

use super::candidates::CandidateMemory;
use super::tokenize::Token;
use super::word_lookup::WordLookup;
use super::{chunks, recognize, resolve, tokenize, word_lists, GeoparseOptions, Mention, CHUNK_BYTES};
use crate::gazetteer::Gazetteer;

/// Words a new geoparser has room for before its memory first grows: about
/// the distinct capitalised words and word pairs of fifty news articles.
/// (Growing a table means moving it to new memory.)
const INITIAL_WORDS: usize = 16_384;

/// Finds and resolves place mentions in text after text, over one gazetteer.
///
/// What the gazetteer says of a word or a name (its postings, its
/// candidates and their priors) depends on the gazetteer alone, so a
/// geoparser remembers it for the texts that follow: news repeats its
/// names ("Monday", "President", "Baku") from article to article, and a
/// remembered answer costs a hash probe instead of a walk through the name
/// index and a look at every place a common name has. The mentions of a
/// text are the same whatever came before it. Memory is bounded.
///
/// ```
/// use sitrep::gazetteer::Gazetteer;
/// use sitrep::geoparse::Geoparser;
/// let gazetteer = Gazetteer::bundled().unwrap();
/// let mut geoparser = Geoparser::new(&gazetteer);
/// for article in ["Shelling was reported near Shusha.", "Talks resumed in Baku on Monday."] {
///     let mentions = geoparser.resolve_mentions(article);
///     assert_eq!(mentions.len(), 1);
/// }
/// ```
pub struct Geoparser<'g> {
    gazetteer: &'g Gazetteer,
    options: GeoparseOptions,
    words: WordLookup<'g>,
    memory: CandidateMemory<'g>,
    /// The token buffer, kept empty between texts so that its memory
    /// serves the next text: a fresh one per text is new memory for the
    /// allocator to find, and on Linux often for the kernel to clear.
    tokens: Vec<Token<'static>>,
    /// Which of the tokens may start a name, reused likewise.
    capitalised: Vec<u32>,
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

impl<'g> Geoparser<'g> {
    /// A geoparser over `gazetteer` with the default options.
    pub fn new(gazetteer: &'g Gazetteer) -> Self {
        Self::with_options(gazetteer, GeoparseOptions::default())
    }

    /// A geoparser over `gazetteer` with `options`.
    pub fn with_options(gazetteer: &'g Gazetteer, options: GeoparseOptions) -> Self {
        Self::with_room(gazetteer, options, INITIAL_WORDS)
    }

    /// A geoparser for one text of `bytes` bytes: room for its capitalised
    /// words and the word sequences tried after them, about one key per 40
    /// bytes of news, up to four chunks' worth.
    pub(super) fn for_one_text(gazetteer: &'g Gazetteer, options: GeoparseOptions, bytes: usize) -> Self {
        Self::with_room(gazetteer, options, bytes.min(CHUNK_BYTES * 4) / 40)
    }

    fn with_room(gazetteer: &'g Gazetteer, options: GeoparseOptions, words: usize) -> Self {
        word_lists::load();
        Geoparser {
            gazetteer,
            options,
            words: WordLookup::with_capacity(gazetteer.index(), words),
            memory: CandidateMemory::with_capacity((words / 8).max(64)),
            tokens: Vec::new(),
            capitalised: Vec::new(),
        }
    }

    /// Finds and resolves every place mention in `text`, in text order.
    pub fn resolve_mentions(&mut self, text: &str) -> Vec<Mention> {
        let mut mentions = Vec::new();
        self.for_each_mention(text, |m| mentions.push(m));
        mentions
    }

    /// As [`Geoparser::resolve_mentions`], handing each mention to `sink` as
    /// soon as its chunk is done, so a 50 MB text never holds all its
    /// mentions at once.
    pub fn for_each_mention(&mut self, text: &str, mut sink: impl FnMut(Mention)) {
        let mut byte_base = 0usize;
        let mut char_base = 0usize;
        let mut tokens = recycle(std::mem::take(&mut self.tokens));
        for chunk in chunks(text) {
            self.words.make_room();
            tokenize::tokenize_into(chunk, &mut tokens, &mut self.capitalised);
            let spans = recognize::recognize(
                &tokens,
                &self.capitalised,
                chunk,
                self.gazetteer,
                &mut self.words,
                self.options,
            );
            let base = (byte_base, char_base);
            for mention in resolve::resolve(&spans, &tokens, chunk, self.gazetteer, base, &mut self.memory) {
                sink(mention);
            }
            byte_base += chunk.len();
            // an ASCII chunk (most news) has as many characters as bytes
            char_base += if chunk.is_ascii() {
                chunk.len()
            } else {
                chunk.chars().count()
            };
        }
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
        tokenize::tokenize_into(&text, &mut tokens, &mut Vec::new());
        assert_eq!(tokens.len(), 5);
        let kept: Vec<Token<'static>> = recycle(tokens);
        assert!(kept.is_empty());
        assert!(kept.capacity() >= 64, "capacity {}", kept.capacity());
    }
}
