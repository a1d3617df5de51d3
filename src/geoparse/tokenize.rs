//! Words of a text with their offsets, case, and what separates them.

use std::cell::Cell;

use bumpalo::Bump;

use super::word_facts::{facts_of, WordFacts};

use crate::gazetteer::normalize::normalize_key;

/// How a word is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `Baku`: upper-case first letter, not all upper.
    Title,
    /// `STEPANAKERT`, `US`: every letter upper case.
    Upper,
    /// `road`, `of`.
    Lower,
    /// Digits or mixed (`caliber.az`, `2023`).
    Other,
}

/// One word.
#[derive(Debug, Clone)]
pub struct Token<'t> {
    /// The word as written (an ending possessive `'s` is not part of it).
    pub text: &'t str,
    /// Byte offset in the text (see [`Token::byte_start`]): 32 bits, which
    /// keeps a token at 40 bytes; the tokenizer stops at 4 GiB.
    start: u32,
    /// Capitalisation.
    pub case: Case,
    /// Normalised key of the word when it differs from `text` (see
    /// [`Token::key`]): most words of a text are written in lower-case
    /// ASCII and are their own key, and need no copy. The others' keys are
    /// kept in an arena that lives as long as the text: a token owns
    /// nothing, so a chunk's tokens are dropped without a look at each.
    /// The arena holds the key's `&str` too, so that the token keeps one
    /// pointer to it, not two words: 40 bytes a token, not 48, and a
    /// sixth less memory written per word.
    own_key: Option<&'t &'t str>,
    /// First word of a sentence (or a line).
    pub sentence_start: bool,
    /// The text between this word and the next one.
    pub gap_after: Gap,
    /// The word ends in a possessive `'s` / `’s`.
    pub possessive: bool,
    /// The word lists its key is on, once asked ([`NOT_LOOKED_UP`] before).
    facts: Cell<u32>,
    /// Where the word memory keeps what the index says of its key, once
    /// asked ([`NOT_LOOKED_UP`] before; see `WordLookup`).
    pub(super) word_slot: Cell<u32>,
}

// the tokens of a chunk are written once and read by every stage: their
// size is memory traffic per word
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Token<'static>>() == 40);

/// A token's `facts` and `word_slot` before the first question: no word
/// is on every list, and no memory holds 4 billion words.
pub(super) const NOT_LOOKED_UP: u32 = u32::MAX;

impl Token<'_> {
    /// Byte offset in the text.
    pub fn byte_start(&self) -> usize {
        self.start as usize
    }

    /// End byte offset in the text (exclusive).
    pub fn byte_end(&self) -> usize {
        self.byte_start() + self.text.len()
    }

    /// Whether the word may start a name: capitalised, and so (as the
    /// tokenizer tells case) beginning with a letter.
    pub fn may_start_name(&self) -> bool {
        matches!(self.case, Case::Title | Case::Upper)
    }

    /// Normalised key of the word (lower case, no diacritics, see
    /// [`normalize_key`]).
    pub fn key(&self) -> &str {
        self.own_key.map_or(self.text, |key| key)
    }

    /// Is the word on one of the word lists `lists`? The first question
    /// looks the word up; the token remembers the answer for the rest.
    pub fn is(&self, lists: WordFacts) -> bool {
        self.facts().any(lists)
    }

    /// Whether the token knows its word's lists already.
    pub(super) fn facts_known(&self) -> bool {
        self.facts.get() != NOT_LOOKED_UP
    }

    /// Tells the token its word's lists, learnt elsewhere (see
    /// `WordLookup::share_facts`).
    pub(super) fn set_facts(&self, facts: WordFacts) {
        self.facts.set(facts.bits());
    }

    /// The word lists the word is on.
    pub fn facts(&self) -> WordFacts {
        let bits = self.facts.get();
        if bits != NOT_LOOKED_UP {
            return WordFacts::from_bits(bits);
        }
        let facts = facts_of(self.key());
        self.facts.set(facts.bits());
        facts
    }
}

/// What lies between two words, which decides whether a name may span it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Spaces within a line.
    Space,
    /// A hyphen or dash between words (`Nagorno-Karabakh`, `Khankendi–Khalfali`).
    Hyphen,
    /// An opening parenthesis (`Khankendi (Stepanakert)`).
    OpenParen,
    /// Anything else: punctuation, line breaks, the end of the text.
    Break,
}

/// The character at byte `at` (a character boundary) and its length,
/// without decoding when it is ASCII (most of any news text).
fn char_at(text: &str, at: usize) -> (char, usize) {
    match text.as_bytes()[at] {
        byte @ 0..=0x7f => (char::from(byte), 1),
        _ => text[at..].chars().next().map_or(('\0', 1), |c| (c, c.len_utf8())),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_inner_mark(c)
}

/// Apostrophes and modifier letters that may sit inside a word (`Step'anakert`,
/// `Stepʻanakert`, `O'Hare`).
fn is_inner_mark(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʻ' | 'ʼ' | '‘')
}

fn case_of(word: &str) -> Case {
    if word.is_ascii() {
        case_of_ascii(word.as_bytes())
    } else {
        case_of_unicode(word)
    }
}

/// [`case_of`] for any word.
fn case_of_unicode(word: &str) -> Case {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else {
        return Case::Other;
    };
    if !word.chars().next().is_some_and(|c| c.is_alphabetic()) {
        return Case::Other;
    }
    let rest_upper = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase() || !c.is_lowercase());
    if first.is_uppercase() && rest_upper && word.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        Case::Upper
    } else if first.is_uppercase() || (first.is_alphabetic() && !first.is_lowercase() && !first.is_uppercase()) {
        Case::Title
    } else if word.chars().all(|c| !c.is_alphabetic() || c.is_lowercase()) {
        Case::Lower
    } else {
        Case::Other
    }
}

/// [`case_of`] for an ASCII word, in one pass.
fn case_of_ascii(word: &[u8]) -> Case {
    let Some(&first) = word.first().filter(|b| b.is_ascii_alphabetic()) else {
        return Case::Other;
    };
    let (mut letters, mut upper) = (0usize, 0usize);
    for byte in word {
        if byte.is_ascii_alphabetic() {
            letters += 1;
            upper += usize::from(byte.is_ascii_uppercase());
        }
    }
    if first.is_ascii_uppercase() {
        if upper == letters && letters > 1 {
            Case::Upper
        } else {
            Case::Title
        }
    } else if upper == 0 {
        Case::Lower
    } else {
        Case::Other
    }
}

fn classify_gap(gap: &str) -> Gap {
    if gap.contains('\n') {
        return Gap::Break;
    }
    let trimmed = gap.trim();
    match trimmed {
        "" => Gap::Space,
        "-" | "–" | "—" | "‐" | "‑" if gap.len() == trimmed.len() => Gap::Hyphen,
        "(" => Gap::OpenParen,
        _ => Gap::Break,
    }
}

/// Splits `text` into words.
pub fn tokenize<'t>(text: &'t str, keys: &'t Bump) -> Vec<Token<'t>> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    tokenize_into(text, keys, &mut tokens, &mut Vec::new());
    tokens
}

/// [`tokenize`] for a test: the keys' arena is leaked, to live as long as
/// the text.
#[cfg(test)]
pub(super) fn tokenize_for_test(text: &str) -> Vec<Token<'_>> {
    tokenize(text, Box::leak(Box::new(Bump::new())))
}

/// Splits `text` into words, into `tokens` (emptied first), and lists in
/// `capitalised` (emptied first) the indices of the words that may start
/// a name ([`Token::may_start_name`]): a fifth of a news text's words,
/// which recognition visits without reading the rest. The chunks of
/// a long text reuse one buffer: a fresh one per chunk would be new memory
/// the size of the text several times over, every chunk.
pub fn tokenize_into<'t>(text: &'t str, keys: &'t Bump, tokens: &mut Vec<Token<'t>>, capitalised: &mut Vec<u32>) {
    tokens.clear();
    capitalised.clear();
    // a word per five or six bytes of news: room for them all up front, in
    // fresh memory when the buffer is too small (growing it would copy
    // all of its old room, though it holds no token)
    let room = text.len() / 5;
    if tokens.capacity() < room {
        *tokens = Vec::with_capacity(room);
    }
    let bytes = text.as_bytes();
    let mut at = 0usize;
    let mut previous_end = 0usize;
    let mut sentence_start = true;
    // index of the word that began the current sentence
    let mut sentence_first = 0usize;
    while at < bytes.len() {
        // spaces and punctuation between words, a byte at a time while ASCII
        if !STARTS_WORD[usize::from(bytes[at])] {
            at += 1;
            continue;
        }
        let start = at;
        // a token holds its offset in 32 bits: a text (a chunk, as the
        // geoparser cuts them) past 4 GiB has no words there
        let Ok(token_start) = u32::try_from(start) else {
            break;
        };
        if bytes[at] >= 0x80 {
            let (c, len) = char_at(text, at);
            if !c.is_alphanumeric() {
                at += len;
                continue;
            }
        }
        // one pass over the word learns what its case and key need
        let mut shape = AsciiShape::default();
        loop {
            at = shape.take_ascii_run(bytes, at);
            if at >= bytes.len() || bytes[at] < 0x80 {
                break;
            }
            let (next, len) = char_at(text, at);
            if !is_word_char(next) {
                break;
            }
            shape.ascii = false;
            at += len;
        }
        let end = at;
        let mut word = &text[start..end];
        // trailing apostrophes are not part of the word; most words end in
        // a letter or digit, which needs no decoding to tell
        let last_byte = bytes[end - 1];
        if !last_byte.is_ascii_alphanumeric() {
            while word.ends_with(is_inner_mark) {
                let last = word.chars().next_back().map_or(0, char::len_utf8);
                word = &word[..word.len() - last];
            }
        }
        let mut possessive = false;
        if matches!(word.as_bytes().last(), Some(b's' | b'S')) {
            for suffix in ["'s", "’s", "'S", "’S"] {
                if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
                    word = &word[..word.len() - suffix.len()];
                    possessive = true;
                    break;
                }
            }
        }
        // the shape describes the word only when nothing was cut off it
        let (case, key) = if shape.ascii && word.len() == end - start {
            (
                shape.case(word.as_bytes()[0]),
                shape.key(word).map(|k| k.into_str(keys)),
            )
        } else {
            (case_of(word), word_key(word).map(|k| k.into_str(keys)))
        };
        if start == previous_end + 1 && bytes[previous_end] == b' ' {
            // the usual gap: it neither ends a sentence nor closes a dateline
            if let Some(last) = tokens.last_mut() {
                last.gap_after = Gap::Space;
                sentence_start = false;
            }
        } else if start == previous_end + 2 && bytes[previous_end] == b',' && bytes[previous_end + 1] == b' ' {
            // the next most usual: ", " breaks a name, and likewise neither
            // ends a sentence nor closes a dateline
            if let Some(last) = tokens.last_mut() {
                last.gap_after = Gap::Break;
                sentence_start = false;
            }
        } else {
            let gap_before = &text[previous_end..start];
            let gap = classify_gap(gap_before);
            // "STEPANAKERT — Residents ...", "BAKU, March 3 – The ...": the dash
            // closing a dateline (a word in capitals, then punctuation, a few
            // words at most) starts the report's first sentence
            let dateline_leader = tokens.get(sentence_first).is_some_and(|leader| {
                let after_leader = if sentence_first + 1 == tokens.len() {
                    gap
                } else {
                    leader.gap_after
                };
                leader.case == Case::Upper && matches!(after_leader, Gap::Break | Gap::OpenParen)
            });
            let after_dateline = dateline_leader
                && tokens.len() - sentence_first <= 6
                && gap_before.starts_with(char::is_whitespace)
                && matches!(gap_before.trim(), "—" | "–" | "--" | "-");
            if let Some(last) = tokens.last_mut() {
                last.gap_after = gap;
                sentence_start = ends_sentence(gap_before, last.text) || after_dateline;
            }
        }
        if sentence_start {
            sentence_first = tokens.len();
        }
        if matches!(case, Case::Title | Case::Upper) {
            // chunks are far below 4 GiB of text; a longer text only
            // loses the list past that word, never a wrong index
            if let Ok(index) = u32::try_from(tokens.len()) {
                capitalised.push(index);
            }
        }
        tokens.push(Token {
            text: word,
            start: token_start,
            case,
            own_key: key.map(|key| &*keys.alloc(key)),
            sentence_start,
            gap_after: Gap::Break,
            possessive,
            facts: Cell::new(NOT_LOOKED_UP),
            word_slot: Cell::new(NOT_LOOKED_UP),
        });
        previous_end = end;
    }
}

/// What a tokenizer learns of an ASCII word while it finds the word's end,
/// so that neither its case nor its key takes another pass.
#[derive(Debug)]
struct AsciiShape {
    /// Every byte so far is ASCII.
    ascii: bool,
    letters: u32,
    upper: u32,
    /// An apostrophe inside the word (`O'Hare`): its key is normalised.
    apostrophe: bool,
}

impl Default for AsciiShape {
    fn default() -> Self {
        AsciiShape {
            ascii: true,
            letters: 0,
            upper: 0,
            apostrophe: false,
        }
    }
}

/// Whether each byte may start a word: an ASCII letter or digit, or the
/// first byte of a multi-byte character (which the tokenizer decodes).
const STARTS_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0usize;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b >= 0x80;
        byte += 1;
    }
    table
};

/// Eight bytes at a time (SWAR): every byte's high bit.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte of `x` (whose high bits are clear) that lies
/// in `lo..=hi`. No byte carries into the next: each is below 0x80 and
/// what is added to it below 0x80 too.
const fn bytes_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = x + LOW_BITS * (0x80 - lo as u64);
    let above_hi = x + LOW_BITS * (0x7f - hi as u64);
    at_least_lo & !above_hi & HIGH_BITS
}

/// How many bytes have their high bit set in `mask` (only high bits set):
/// a multiply adds them up in the top byte, where a `count_ones` without
/// the POPCNT instruction (not in the baseline x86-64 target) takes a
/// dozen steps.
const fn bytes_set(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(LOW_BITS) >> 56) as u32
}

/// Eight bytes of `bytes` from `at`, little-endian, zeros past the end
/// (a zero byte is never part of a word).
fn eight_bytes(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(window) => {
            let mut word = [0u8; 8];
            word.copy_from_slice(window);
            u64::from_le_bytes(word)
        }
        None => {
            let mut word = [0u8; 8];
            let rest = bytes.get(at..).unwrap_or_default();
            word[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(word)
        }
    }
}

impl AsciiShape {
    /// Takes in the run of ASCII word bytes (letters, digits, apostrophes)
    /// starting at `at`, eight bytes at a time, and returns where it ends:
    /// a word's end costs one test, not one mispredicted branch per byte.
    fn take_ascii_run(&mut self, bytes: &[u8], mut at: usize) -> usize {
        while at < bytes.len() {
            let block = eight_bytes(bytes, at);
            let ascii = !block & HIGH_BITS;
            let low7 = block & !HIGH_BITS;
            let upper = bytes_in_range(low7, b'A', b'Z') & ascii;
            let lower = bytes_in_range(low7, b'a', b'z') & ascii;
            let digit = bytes_in_range(low7, b'0', b'9') & ascii;
            let apostrophe = bytes_in_range(low7, b'\'', b'\'') & ascii;
            let stops = !(upper | lower | digit | apostrophe) & HIGH_BITS;
            // the high bits of the bytes before the first stop
            let (run, taken) = if stops == 0 {
                (HIGH_BITS, 8)
            } else {
                let before_stop = (stops & stops.wrapping_neg()).wrapping_sub(1) & HIGH_BITS;
                (before_stop, (stops.trailing_zeros() / 8) as usize)
            };
            self.letters += bytes_set((upper | lower) & run);
            self.upper += bytes_set(upper & run);
            self.apostrophe |= apostrophe & run != 0;
            at += taken;
            if taken < 8 {
                break;
            }
        }
        at.min(bytes.len())
    }

    /// The case of the word, whose first byte is `first`: what
    /// [`case_of_ascii`] gives.
    fn case(&self, first: u8) -> Case {
        if !first.is_ascii_alphabetic() {
            Case::Other
        } else if first.is_ascii_uppercase() {
            if self.upper == self.letters && self.letters > 1 {
                Case::Upper
            } else {
                Case::Title
            }
        } else if self.upper == 0 {
            Case::Lower
        } else {
            Case::Other
        }
    }

    /// The key of the word when it is not the word itself: what
    /// [`word_key`] gives.
    fn key<'w>(&self, word: &'w str) -> Option<NewKey<'w>> {
        if self.apostrophe {
            Some(NewKey::Normalised(normalize_key(word)))
        } else if self.upper == 0 {
            None
        } else {
            Some(NewKey::Lowered(word))
        }
    }
}

/// A key a word needs of its own, before it is put in the arena.
enum NewKey<'w> {
    /// The word, an ASCII one, in lower case ("Baku", "NATO": that is all
    /// normalisation does to them).
    Lowered(&'w str),
    /// What [`normalize_key`] made of the word.
    Normalised(String),
}

impl NewKey<'_> {
    /// The key, kept in `keys`.
    fn into_str(self, keys: &Bump) -> &str {
        match self {
            NewKey::Lowered(word) => {
                let key = keys.alloc_str(word);
                key.make_ascii_lowercase();
                key
            }
            NewKey::Normalised(key) => keys.alloc_str(&key),
        }
    }
}

/// A word's normalised key, when it is not the word itself.
fn word_key(word: &str) -> Option<NewKey<'_>> {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        None
    } else if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Some(NewKey::Lowered(word))
    } else {
        let key = normalize_key(word);
        (key != word).then_some(NewKey::Normalised(key))
    }
}

/// Does the gap after `previous` word start a new sentence?
fn ends_sentence(gap: &str, previous: &str) -> bool {
    if gap.contains('\n') {
        return true;
    }
    let trimmed = gap.trim_start_matches(['"', '”', '’', '\'', ')']);
    let starts_with_stop = trimmed.starts_with(['.', '!', '?', '•', ':']);
    if !starts_with_stop {
        return false;
    }
    // "Mr. Smith", "U.S. officials", "Mobile, Ala. Officials": an initial or
    // a short capitalised abbreviation does not end a sentence; a short
    // name does ("Troops reached Sos. Residents of Kapan said")
    let abbreviation = previous.chars().next().is_some_and(char::is_uppercase)
        && gap.starts_with('.')
        && (previous.chars().count() == 1 || is_short_abbreviation(previous));
    !abbreviation || gap.trim().len() > 1
}

/// Capitalised abbreviations of three letters or fewer written with a stop:
/// titles, months, and the postal style of American states.
fn is_short_abbreviation(word: &str) -> bool {
    const SHORT_ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "col", "lt", "sgt", "gov", "sen", "rep", "rev", "jr", "sr",
        "no", "nos", "vol", "pp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "inc",
        "ltd", "co", "ave", "rd", "ala", "ark", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la", "md", "mo", "neb",
        "nev", "ore", "pa", "tex", "vt", "va", "wis", "wyo",
    ];
    word.len() <= 3 && SHORT_ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Code-point offsets of the byte offsets a caller hands out (the ends of
/// its mentions), computed in one pass over the text; nothing to compute
/// when the text is ASCII, where the two are the same.
pub struct CharOffsets {
    /// (byte offset, char offset) at every wanted boundary, sorted; `None`
    /// for an ASCII text.
    pairs: Option<Vec<(usize, usize)>>,
}

impl CharOffsets {
    /// Prepares the code-point offsets of `boundaries` (byte offsets at
    /// character boundaries of `text`).
    pub fn new(text: &str, boundaries: impl IntoIterator<Item = usize>) -> Self {
        if text.is_ascii() {
            return CharOffsets { pairs: None };
        }
        let mut wanted: Vec<usize> = boundaries.into_iter().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut pairs = Vec::with_capacity(wanted.len());
        let mut chars_so_far = 0usize;
        let mut last_byte = 0usize;
        for byte in wanted {
            chars_so_far += text.get(last_byte..byte).map_or(0, |s| s.chars().count());
            last_byte = byte;
            pairs.push((byte, chars_so_far));
        }
        CharOffsets { pairs: Some(pairs) }
    }

    /// The code-point offset of a boundary given to [`CharOffsets::new`].
    pub fn char_at(&self, byte: usize) -> usize {
        let Some(pairs) = &self.pairs else {
            return byte;
        };
        match pairs.binary_search_by_key(&byte, |p| p.0) {
            Ok(i) => pairs[i].1,
            Err(_) => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_gaps_and_possessives() {
        let tokens = tokenize_for_test("Baku’s view: Khankendi (Stepanakert) on the Khankendi-Khalfali road.");
        let words: Vec<&str> = tokens.iter().map(|t| t.text).collect();
        assert_eq!(
            words,
            [
                "Baku",
                "view",
                "Khankendi",
                "Stepanakert",
                "on",
                "the",
                "Khankendi",
                "Khalfali",
                "road"
            ]
        );
        assert!(tokens[0].possessive);
        assert_eq!(tokens[2].gap_after, Gap::OpenParen);
        assert_eq!(tokens[6].gap_after, Gap::Hyphen);
        assert_eq!(tokens[1].gap_after, Gap::Break);
        assert!(tokens[2].sentence_start, "after a colon");
    }

    #[test]
    fn ascii_words_get_the_case_the_unicode_rules_give() {
        for (word, case) in [
            ("Baku", Case::Title),
            ("STEPANAKERT", Case::Upper),
            ("US", Case::Upper),
            ("A", Case::Title),
            ("road", Case::Lower),
            ("2023", Case::Other),
            ("eBay", Case::Other),
            ("O'Hare", Case::Title),
            ("B2B", Case::Upper),
            ("x1", Case::Lower),
        ] {
            assert_eq!(case_of(word), case, "{word}");
            assert_eq!(case_of_unicode(word), case, "{word} by the general rules");
        }
    }

    #[test]
    fn a_word_key_is_what_normalising_gives() {
        let keys = Bump::new();
        for word in [
            "road",
            "2023",
            "of",
            "Baku",
            "STEPANAKERT",
            "Step'anakert",
            "Şuşa",
            "x1",
        ] {
            let key = word_key(word).map(|k| k.into_str(&keys));
            assert_eq!(key.unwrap_or(word), normalize_key(word), "{word}");
        }
        assert!(
            word_key("road").is_none(),
            "a lower-case word is its own key, not copied"
        );
    }

    #[test]
    fn a_word_gets_the_case_and_key_of_the_general_rules_from_one_pass() {
        for word in [
            "road",
            "2023",
            "Baku",
            "STEPANAKERT",
            "US",
            "A",
            "eBay",
            "O'Hare",
            "B2B",
            "x1",
            "3rd",
            "Şuşa",
            "MP3",
            "iPhone",
            "rock'n'roll",
            "Xankəndi",
            "ÇAY",
        ] {
            let tokens = tokenize_for_test(word);
            assert_eq!(tokens.len(), 1, "{word}");
            assert_eq!(tokens[0].case, case_of_unicode(word), "{word}");
            assert_eq!(tokens[0].key(), normalize_key(word), "{word}");
        }
    }

    #[test]
    fn words_of_any_length_at_any_offset_end_where_they_end() {
        // the word scanner reads eight bytes at a time: words shorter and
        // longer than that, starting anywhere, and ending the text
        let letters = "StepanakertKHANKENDIshusha0123O'Hare";
        for length in 1..=letters.len() {
            let word = &letters[..length];
            for pad in 0..9 {
                let text = format!("{}{word}, Lachin", " ".repeat(pad));
                let tokens = tokenize_for_test(&text);
                let trimmed = word.trim_end_matches('\'');
                assert_eq!(tokens[0].text, trimmed, "{text:?}");
                assert_eq!(tokens[0].byte_start(), pad, "{text:?}");
                assert_eq!(tokens[0].case, case_of_unicode(trimmed), "{text:?}");
                assert_eq!(tokens[0].key(), normalize_key(trimmed), "{text:?}");
                assert_eq!(tokens[1].text, "Lachin", "{text:?}");
                let at_end = tokenize_for_test(&text[..pad + length]);
                assert_eq!(
                    at_end.last().map(|t| t.text),
                    Some(trimmed),
                    "{text:?} cut after the word"
                );
            }
        }
        let mixed = tokenize_for_test("Xankəndi-Şuşa yolu ÇAYLI 12km");
        let words: Vec<&str> = mixed.iter().map(|t| t.text).collect();
        assert_eq!(words, ["Xankəndi", "Şuşa", "yolu", "ÇAYLI", "12km"]);
        assert_eq!(mixed[3].case, Case::Upper);
    }

    #[test]
    fn gaps_of_any_length_and_kind_lie_between_the_words() {
        // gaps short and long, of spaces, punctuation and line breaks,
        // before a word in Latin or in another script, and at the end
        let fillers = [" ", ", ", " - ", ".\n\n", "  \t (", "\"...\" ", "—", "!?;:/ "];
        for filler in fillers {
            for repeat in 1..=6 {
                let gap = filler.repeat(repeat);
                for second in ["Lachin", "Շուշի", "9km"] {
                    let text = format!("Shusha{gap}{second}{gap}");
                    let tokens = tokenize_for_test(&text);
                    let words: Vec<(&str, usize)> = tokens.iter().map(|t| (t.text, t.byte_start())).collect();
                    assert_eq!(words, [("Shusha", 0), (second, 6 + gap.len())], "{text:?}");
                    assert_eq!(tokens[0].gap_after, classify_gap(&gap), "{text:?}");
                }
            }
        }
        // the possessive is cut off after either apostrophe, in any case
        let possessive = tokenize_for_test("Baku's Shusha’s ARMENIA'S boss as");
        let cut: Vec<(&str, bool)> = possessive.iter().map(|t| (t.text, t.possessive)).collect();
        assert_eq!(
            cut,
            [
                ("Baku", true),
                ("Shusha", true),
                ("ARMENIA", true),
                ("boss", false),
                ("as", false)
            ]
        );
    }

    #[test]
    fn char_offsets_count_code_points_only_where_asked() {
        let text = "Şuşa and Xankəndi";
        let offsets = CharOffsets::new(text, [0, 6, 11, text.len()]);
        assert_eq!(offsets.char_at(6), 4, "Ş and ş take two bytes each");
        assert_eq!(offsets.char_at(11), 9);
        assert_eq!(offsets.char_at(text.len()), 17);
        let ascii = CharOffsets::new("Baku and Ganja", [9]);
        assert_eq!(ascii.char_at(9), 9);
    }

    #[test]
    fn case_and_sentences() {
        let tokens = tokenize_for_test("STEPANAKERT — Police said. The US and Step'anakert agreed");
        assert_eq!(tokens[0].case, Case::Upper);
        assert_eq!(tokens[1].case, Case::Title);
        assert!(tokens[3].sentence_start);
        assert_eq!(tokens[4].case, Case::Upper);
        assert_eq!(tokens[6].text, "Step'anakert");
        assert_eq!(tokens[6].key(), "stepanakert");
        let tokens =
            tokenize_for_test("BAKU, March 3 — Residents of Agdam. NATO-led troops came — Residents. NATO — Agdam");
        assert!(tokens[3].sentence_start, "after a dateline's dash");
        assert!(!tokens[7].sentence_start, "a hyphen inside a word is no dateline");
        assert!(!tokens[10].sentence_start, "nor is a dash later in a sentence");
        assert!(tokens[12].sentence_start, "a lone word in capitals is a dateline");
        let tokens =
            tokenize_for_test("Troops reached Sos. Residents of Kapan met Mr. Lee in Mobile, Ala. and J. Smith.");
        let starts: Vec<&str> = tokens.iter().filter(|t| t.sentence_start).map(|t| t.text).collect();
        assert_eq!(
            starts,
            ["Troops", "Residents"],
            "a short name ends a sentence, an abbreviation does not"
        );
    }
}
