//! Unknown names listed among known places: "shelling near Chanakhchi,
//! Sghnakh, Khanabad and Khojaly" names four villages, whether or not the
//! gazetteer knows Sghnakh.

use super::recognize::Span;
use super::tokenize::{Case, Gap, Token};
use super::unknown_name::is_probe;
use super::word_facts::WordFacts;
use super::word_lists::demonym_place;

/// Most words of an unknown list member ("Nor Maragha").
const MAX_MEMBER_WORDS: usize = 3;

/// One member of a list: words `first..=last`, and the span it is if the
/// recogniser found it.
struct Member {
    first: usize,
    last: usize,
    span: Option<usize>,
}

/// Whether `token` could begin or continue an unknown place name: not a
/// common word, month, title or given name, nor a people's adjective
/// ("Barda, Tartar and Beylagan, Azerbaijani prosecutors said").
fn could_be_name(token: &Token<'_>) -> bool {
    token.case == Case::Title
        && demonym_place(token.key()).is_none()
        && token.text.chars().count() >= 3
        && token.text.chars().next().is_some_and(char::is_alphabetic)
        && !token.is(WordFacts::PLACE_LIKE_WORD
            .or(WordFacts::DICTIONARY_WORD)
            .or(WordFacts::CALENDAR)
            .or(WordFacts::TITLE)
            .or(WordFacts::CENSUS_GIVEN_NAME))
}

/// Whether the text between two list members (the last word of one, the
/// first of the next) is a list separator: a comma, "and", "or", ", and".
pub(super) fn separates_members(tokens: &[Token<'_>], text: &str, left_last: usize, right_first: usize) -> bool {
    let between = |a: usize, b: usize| text.get(tokens[a].byte_end()..tokens[b].byte_start()).map(str::trim);
    match right_first.checked_sub(left_last) {
        Some(1) => between(left_last, right_first) == Some(","),
        Some(2) => {
            let word = &tokens[left_last + 1];
            matches!(word.key(), "and" | "or")
                && matches!(between(left_last, left_last + 1), Some("" | ","))
                && between(left_last + 1, right_first) == Some("")
        }
        _ => false,
    }
}

/// The unknown run of capitalised words that starts at word `at` (at most
/// [`MAX_MEMBER_WORDS`], none of them the start of a span at or after
/// `next_span_first`), as its last word.
fn unknown_run_from(tokens: &[Token<'_>], at: usize, next_span_first: usize) -> Option<usize> {
    let starts_name = |i: usize| i < next_span_first && could_be_name(&tokens[i]) && !tokens[i].sentence_start;
    if at >= tokens.len() || !starts_name(at) {
        return None;
    }
    let mut last = at;
    while last + 1 < tokens.len()
        && last + 1 - at < MAX_MEMBER_WORDS
        && tokens[last].gap_after == Gap::Space
        && !tokens[last].possessive
        && last + 1 < next_span_first
        && could_be_name(&tokens[last + 1])
    {
        last += 1;
    }
    Some(last)
}

/// The unknown run of capitalised words that ends at word `at`, as its
/// first word; it must not reach back into the span ending at
/// `previous_span_last`.
fn unknown_run_to(tokens: &[Token<'_>], at: usize, previous_span_last: Option<usize>) -> Option<usize> {
    let free = |i: usize| previous_span_last.is_none_or(|p| i > p);
    if !free(at) || !could_be_name(&tokens[at]) {
        return None;
    }
    let mut first = at;
    while first > 0
        && at - first + 1 < MAX_MEMBER_WORDS
        && free(first - 1)
        && tokens[first - 1].gap_after == Gap::Space
        && !tokens[first - 1].possessive
        && could_be_name(&tokens[first - 1])
        && !tokens[first].sentence_start
    {
        first -= 1;
    }
    (!tokens[first].sentence_start).then_some(first)
}

/// Adds a span (unresolved, `listed_with_places`) for each unknown name
/// that sits in a comma-and list whose known members are places: at least
/// two of them, and no more than one fewer than the unknown ones. Spans
/// stay in text order. Lists are followed out from the recogniser's spans,
/// so a text's other capitalised words are never looked at.
pub(super) fn add_unknown_list_members(tokens: &[Token<'_>], text: &str, spans: &mut Vec<Span>) {
    let mut added = Vec::new();
    let mut k = 0;
    while k < spans.len() {
        let mut members = vec![Member {
            first: spans[k].first,
            last: spans[k].last,
            span: Some(k),
        }];
        // unknown members before the list's first span ("Sghnakh, Khanabad")
        let previous_span_last = k.checked_sub(1).map(|p| spans[p].last);
        loop {
            let head = members[0].first;
            let before = [head.checked_sub(1), head.checked_sub(2)]
                .into_iter()
                .flatten()
                .filter(|&end| separates_members(tokens, text, end, head))
                .find_map(|end| unknown_run_to(tokens, end, previous_span_last).map(|first| (first, end)));
            match before {
                Some((first, last)) => members.insert(
                    0,
                    Member {
                        first,
                        last,
                        span: None,
                    },
                ),
                None => break,
            }
        }
        // then along the list to its end
        let mut next_k = k + 1;
        loop {
            let tail = members[members.len() - 1].last;
            let next_span_first = spans.get(next_k).map_or(usize::MAX, |s| s.first);
            let Some(at) = [tail + 1, tail + 2]
                .into_iter()
                .find(|&at| at < tokens.len() && separates_members(tokens, text, tail, at))
            else {
                break;
            };
            if at == next_span_first {
                members.push(Member {
                    first: at,
                    last: spans[next_k].last,
                    span: Some(next_k),
                });
                next_k += 1;
            } else if let Some(last) = unknown_run_from(tokens, at, next_span_first) {
                members.push(Member {
                    first: at,
                    last,
                    span: None,
                });
            } else {
                break;
            }
        }
        let known = members
            .iter()
            .filter(|m| m.span.is_some_and(|s| !spans[s].postings.is_empty()))
            .count();
        // a lone unknown word after "near" is already a span, kept only if
        // it proves a spelling variant; in such a list it is a member too
        let probe_at = |spans: &[Span], s: usize| spans[s].reasons.iter().any(|r| is_probe(r));
        let unknown = members
            .iter()
            .filter(|m| m.span.is_none_or(|s| probe_at(spans, s)))
            .count();
        if known >= 2 && unknown > 0 && unknown <= known + 1 {
            for member in &members {
                match member.span {
                    None => added.push(Span::unknown(
                        member.first,
                        member.last,
                        vec!["listed_with_places".into(), "not_in_gazetteer".into()],
                    )),
                    Some(s) if probe_at(spans, s) => {
                        for reason in spans[s].reasons.iter_mut().filter(|r| is_probe(r)) {
                            *reason = "listed_with_places".into();
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        k = next_k;
    }
    if !added.is_empty() {
        spans.extend(added);
        spans.sort_by_key(|s| s.first);
    }
}

/// "Refugees in Masis, Artashat, Vedi and Ararat": a name listed among
/// towns, with no cue of its own, is a town too, not the province the
/// listed towns lie in and share its name with. Lists of three names or
/// more, whose other members name towns and no division.
pub(super) fn give_listed_towns_their_kind(
    tokens: &[Token<'_>],
    text: &str,
    gazetteer: &crate::gazetteer::Gazetteer,
    spans: &mut [Span],
) {
    // (whether the span names a town, a division, a country)
    let kind_of = |span: &Span| {
        let (mut town, mut division, mut country) = (false, false, false);
        for posting in &span.postings {
            if let Some((place, _)) = gazetteer.resolve_posting(*posting) {
                town |= place.kind.is_settlement();
                division |= place.kind.is_admin_division();
                country |= place.kind.is_country();
            }
        }
        (town, division, country)
    };
    let mut start = 0;
    while start < spans.len() {
        let mut end = start;
        while end + 1 < spans.len()
            && !spans[end].compound_route
            && separates_members(tokens, text, spans[end].last, spans[end + 1].first)
        {
            end += 1;
        }
        // "Sotk and Kut in Gegharkunik, and Goris, Kapan ...": a name put
        // after "in" a place is that place's division, not a list member
        let mut first = start;
        if first > 0 {
            let before = text.get(tokens[spans[first - 1].last].byte_end()..tokens[spans[first].first].byte_start());
            if matches!(before, Some(" in " | " in the " | " of " | " of the ")) {
                first += 1;
            }
        }
        // only a member with two candidates or more can be both a town and
        // a division: most lists have none, and their places are not read
        let ambiguous_member = (first..=end).any(|k| spans[k].cue.is_none() && spans[k].postings.len() > 1);
        if end >= first + 2 && ambiguous_member {
            let start = first;
            let kinds: Vec<(bool, bool, bool)> = (start..=end).map(|k| kind_of(&spans[k])).collect();
            for (offset, k) in (start..=end).enumerate() {
                let others_are_towns = kinds
                    .iter()
                    .enumerate()
                    .filter(|(o, _)| *o != offset)
                    .all(|(_, &(town, division, country))| town && !division && !country);
                // a country after a town is its apposition ("Nanjing, China"),
                // not a town of the list
                let (town, division, country) = kinds[offset];
                let span = &mut spans[k];
                if others_are_towns && span.cue.is_none() && town && division && !country {
                    span.cue = Some(super::lexicon::KindCue::Settlement);
                    span.reasons.push("listed_with_towns".into());
                }
            }
        }
        start = end + 1;
    }
}
