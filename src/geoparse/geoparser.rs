//! A geoparser that keeps what it learns of names from one text to the next.

use std::sync::mpsc;

use super::chunk_parser::{placed_chunks, ChunkParser, PlacedChunk};
use super::{word_lists, GeoparseOptions, Mention, CHUNK_BYTES};
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
/// A long text (over 128 kB) is cut into chunks that threads geoparse side
/// by side (see [`GeoparseOptions::threads`]), each thread with memories of
/// its own; the mentions come out in text order all the same.
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
    /// Room each chunk parser starts with, in words.
    room: usize,
    /// One per thread a text has used so far; the first serves texts of
    /// one chunk.
    parsers: Vec<ChunkParser<'g>>,
}

/// Chunks a thread may have finished ahead of the one whose mentions are
/// handed on next: enough to keep it busy, few enough that a 50 MB text
/// never holds many chunks' mentions at once.
const CHUNKS_AHEAD: usize = 2;

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

    fn with_room(gazetteer: &'g Gazetteer, options: GeoparseOptions, room: usize) -> Self {
        word_lists::load();
        // every new word of a text is looked up exactly: one probe of a
        // hash table beats a walk of the automaton
        gazetteer.index().prepare_exact_lookups();
        Geoparser {
            gazetteer,
            options,
            room,
            parsers: vec![ChunkParser::with_room(gazetteer, room)],
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
        let chunks: Vec<&str> = super::chunks(text).collect();
        let threads = self.options.threads_for(chunks.len());
        while self.parsers.len() < threads {
            self.parsers.push(ChunkParser::with_room(self.gazetteer, self.room));
        }
        if threads == 1 {
            let parser = &mut self.parsers[0];
            let mut next = PlacedChunk::first();
            for chunk in chunks {
                let placed = next.with_text(chunk);
                parser.parse(self.gazetteer, self.options, placed, &mut sink);
                // where the next chunk starts, found while this one's text
                // is still in the cache
                next = placed.next_base();
            }
        } else {
            self.parse_side_by_side(&placed_chunks(&chunks), threads, &mut sink);
        }
    }

    /// Geoparses `chunks` on `threads` threads, thread `t` taking chunks
    /// `t`, `t + threads`, ..., and hands their mentions to `sink` in text
    /// order. This thread is thread 0: it parses its own chunks when their
    /// turn comes and passes on the others' as they arrive (its allocator's
    /// memory is already warm, a new thread's is not). Each chunk's
    /// mentions depend on the chunk alone, so they are the same as one
    /// thread's.
    fn parse_side_by_side(&mut self, chunks: &[PlacedChunk<'_>], threads: usize, sink: &mut impl FnMut(Mention)) {
        let (gazetteer, options) = (self.gazetteer, self.options);
        let (own, others) = self.parsers.split_at_mut(1);
        let own = &mut own[0];
        std::thread::scope(|scope| {
            let mut finished = Vec::with_capacity(threads - 1);
            for (helper, parser) in others.iter_mut().take(threads - 1).enumerate() {
                let (done, receiver) = mpsc::sync_channel::<Vec<Mention>>(CHUNKS_AHEAD);
                finished.push(receiver);
                scope.spawn(move || {
                    for &chunk in chunks.iter().skip(helper + 1).step_by(threads) {
                        let mut mentions = Vec::new();
                        parser.parse(gazetteer, options, chunk, &mut |m| mentions.push(m));
                        if done.send(mentions).is_err() {
                            return; // the receiving side is gone: nobody wants the rest
                        }
                    }
                });
            }
            for (index, &chunk) in chunks.iter().enumerate() {
                let helper = index % threads;
                if helper == 0 {
                    own.parse(gazetteer, options, chunk, sink);
                    continue;
                }
                // an error means the helper stopped early, which only a
                // panic does; the scope passes the panic on when it ends
                let Ok(mentions) = finished[helper - 1].recv() else {
                    break;
                };
                mentions.into_iter().for_each(&mut *sink);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;

    use super::*;

    /// A long text of Karabakh news: many chunks, places in each.
    fn long_text() -> String {
        let paragraphs = [
            "Shelling was reported near Shusha on Monday, and the Lachin road was closed.",
            "Officials in Baku said talks with Yerevan would resume in Brussels.",
            "Residents of the village of Dyukyanlar left for Khankendi (Stepanakert).",
            "The Goris-Stepanakert highway reopened after a week; Ağdam stayed quiet.",
        ];
        let mut text = String::new();
        let mut n = 0;
        while text.len() < 5 * CHUNK_BYTES {
            text.push_str(paragraphs[n % paragraphs.len()]);
            text.push_str(if n % 7 == 6 { "\n\n" } else { " " });
            n += 1;
        }
        text
    }

    fn summary(mentions: &[Mention]) -> Vec<(usize, usize, usize, Option<String>)> {
        mentions
            .iter()
            .map(|m| {
                (
                    m.start,
                    m.end,
                    m.byte_start,
                    m.place.as_ref().map(|p| p.summary.id.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn threads_find_the_same_mentions_in_the_same_order() {
        let gazetteer = Gazetteer::bundled().unwrap();
        let text = long_text();
        let one = GeoparseOptions {
            threads: NonZeroUsize::new(1),
            ..Default::default()
        };
        let three = GeoparseOptions {
            threads: NonZeroUsize::new(3),
            ..Default::default()
        };
        let alone = Geoparser::with_options(&gazetteer, one).resolve_mentions(&text);
        let mut side_by_side = Geoparser::with_options(&gazetteer, three);
        let first = side_by_side.resolve_mentions(&text);
        assert!(alone.len() > 100, "{} mentions", alone.len());
        assert_eq!(summary(&alone), summary(&first));
        // a kept geoparser's second pass, with every thread's memory warm
        assert_eq!(summary(&alone), summary(&side_by_side.resolve_mentions(&text)));
        // and the offsets point at the text
        for m in &first {
            assert_eq!(&text[m.byte_start..m.byte_end], m.text);
        }
    }
}
