//! Sentences with their offsets.

/// A sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of its first character.
    pub byte_start: usize,
    /// Byte offset after its last character.
    pub byte_end: usize,
}

impl Sentence {
    /// Its text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.byte_start..self.byte_end]
    }
}

/// Splits a text into sentences: at `.`, `!` or `?` followed by a space and
/// an upper-case letter, digit or quote, and at line breaks.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let boundary_end = if c == '\n' {
            Some(at)
        } else if matches!(c, '.' | '!' | '?') {
            // include closing quotes
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            let next_is_space = j < chars.len() && chars[j].1.is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].1 == ' ' {
                k += 1;
            }
            let next_starts = k >= chars.len()
                || chars[k].1.is_uppercase()
                || chars[k].1.is_ascii_digit()
                || matches!(chars[k].1, '"' | '“' | '‘' | '\n');
            let abbreviation = is_abbreviation(&text[start..at]);
            if (next_is_space || j >= chars.len()) && next_starts && !abbreviation {
                let end = if j < chars.len() { chars[j].0 } else { text.len() };
                i = j.saturating_sub(1);
                Some(end)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(end) = boundary_end {
            push_trimmed(text, start, end, &mut sentences);
            start = end;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut sentences);
    sentences
}

/// "Mr.", "U.S." and single initials do not end sentences.
fn is_abbreviation(before: &str) -> bool {
    let last_word = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    matches!(
        last_word,
        "Mr" | "Mrs" | "Ms" | "Dr" | "Gen" | "Col" | "Lt" | "St" | "Sgt" | "Capt" | "U.S" | "U.N" | "No"
    ) || (last_word.chars().count() == 1 && last_word.chars().all(char::is_uppercase))
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let slice = &text[start..end];
    let leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if slice.trim().is_empty() {
        return;
    }
    out.push(Sentence {
        byte_start: start + leading,
        byte_end: end - trailing,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_stops_and_lines() {
        let text = "Three men were killed. One was hurt! Mr. Smith said so.\nNext line";
        let parts: Vec<&str> = split_sentences(text).iter().map(|s| s.text(text)).collect();
        assert_eq!(
            parts,
            [
                "Three men were killed.",
                "One was hurt!",
                "Mr. Smith said so.",
                "Next line"
            ]
        );
    }
}
