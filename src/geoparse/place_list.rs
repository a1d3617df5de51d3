//! Unknown names listed among known places: "shelling near Chanakhchi,
//! Sghnakh, Khanabad and Khojaly" names four villages, whether or not the
//! gazetteer knows Sghnakh.

use super::lexicon::{is_calendar_word, COMMON_WORDS, TITLES};
use super::recognize::Span;
use super::tokenize::{Case, Gap, Token};
use super::word_lists::{is_census_given_name, is_common_word};

/// Most words of an unknown list member ("Nor Maragha").
const MAX_MEMBER_WORDS: usize = 3;

/// One member of a list: words `first..=last`, and the span it is if the
/// recogniser found it.
struct Member {
    first: usize,
    last: usize,
    span: Option<usize>,
}

/// Whether word `i` could begin or continue an unknown place name.
fn could_be_name(token: &Token<'_>) -> bool {
    token.case == Case::Title
        && token.text.chars().count() >= 3
        && token.text.chars().next().is_some_and(char::is_alphabetic)
        && !COMMON_WORDS.contains(token.key.as_str())
        && !is_common_word(&token.key)
        && !is_calendar_word(&token.key)
        && !TITLES.contains(token.key.as_str())
        && !is_census_given_name(&token.key)
}

/// Whether the text between two list members is a list separator: a comma,
/// "and", "or", ", and".
fn separates_members(tokens: &[Token<'_>], text: &str, left_last: usize, right_first: usize) -> bool {
    let between = |a: usize, b: usize| text.get(tokens[a].byte_end..tokens[b].byte_start).map(str::trim);
    match right_first.checked_sub(left_last) {
        Some(1) => between(left_last, right_first) == Some(","),
        Some(2) => {
            let word = &tokens[left_last + 1];
            matches!(word.key.as_str(), "and" | "or")
                && matches!(between(left_last, left_last + 1), Some("" | ","))
                && between(left_last + 1, right_first) == Some("")
        }
        _ => false,
    }
}

/// Adds a span (unresolved, `listed_with_places`) for each unknown name
/// that sits in a comma-and list whose known members are places: at least
/// two of them, and no more than one fewer than the unknown ones. Spans stay in
/// text order.
pub(super) fn add_unknown_list_members(tokens: &[Token<'_>], text: &str, spans: &mut Vec<Span>) {
    // the members in text order: the recogniser's spans, and runs of
    // capitalised words that no span covers
    let mut members: Vec<Member> = Vec::new();
    let mut next_span = 0;
    let mut i = 0;
    while i < tokens.len() {
        if let Some(span) = spans.get(next_span).filter(|s| s.first <= i) {
            members.push(Member {
                first: span.first,
                last: span.last,
                span: Some(next_span),
            });
            i = span.last + 1;
            next_span += 1;
            continue;
        }
        if could_be_name(&tokens[i]) && !tokens[i].sentence_start {
            let mut last = i;
            while last + 1 < tokens.len()
                && last + 1 - i < MAX_MEMBER_WORDS
                && tokens[last].gap_after == Gap::Space
                && !tokens[last].possessive
                && spans.get(next_span).is_none_or(|s| s.first > last + 1)
                && could_be_name(&tokens[last + 1])
            {
                last += 1;
            }
            members.push(Member {
                first: i,
                last,
                span: None,
            });
            i = last + 1;
            continue;
        }
        i += 1;
    }
    // lists: runs of members joined by separators
    let mut added = Vec::new();
    let mut start = 0;
    while start < members.len() {
        let mut end = start;
        while end + 1 < members.len() && separates_members(tokens, text, members[end].last, members[end + 1].first) {
            end += 1;
        }
        let list = &members[start..=end];
        let known = list
            .iter()
            .filter(|m| m.span.is_some_and(|s| !spans[s].postings.is_empty()))
            .count();
        let unknown = list.iter().filter(|m| m.span.is_none()).count();
        if known >= 2 && unknown > 0 && unknown <= known + 1 {
            for member in list.iter().filter(|m| m.span.is_none()) {
                added.push(Span::unknown(
                    member.first,
                    member.last,
                    vec!["listed_with_places".into(), "not_in_gazetteer".into()],
                ));
            }
        }
        start = end + 1;
    }
    if !added.is_empty() {
        spans.extend(added);
        spans.sort_by_key(|s| s.first);
    }
}
