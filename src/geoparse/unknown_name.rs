//! Names the gazetteer lacks that the text's own words mark as places:
//! "Gapanli village", "Lake Sev Lich", "the Ishkhanasar heights", and the
//! lone unknown word after "in", "near" or a place's possessive ("in
//! Mkhitarashen", "Jabrayil's Sirik") that resolution probes as a spelling
//! variant. The rule holds for all of them: an unknown name is
//! reported unresolved, never silently dropped.

use super::lexicon::{kind_cue_after, KindCue};
use super::recognize::{is_contraction, looks_like_surname, Span};
use super::tokenize::{Case, Gap, Token};
use super::word_facts::WordFacts;
use crate::gazetteer::Gazetteer;

/// The reason of a span recognised only as an unknown word after "in",
/// "near" or "from" (a probe): it is reported only when it proves to be a
/// spelling variant of a place near the story, a member of a list of
/// places, or in a story among the curated area's villages.
pub(super) const AFTER_LOCATIVE_PROBE: &str = "unknown_after_locative";
/// The reason of a probe after a place's possessive ("Jabrayil's Sirik").
pub(super) const AFTER_POSSESSIVE_PROBE: &str = "unknown_after_place_possessive";

/// The reason of a probe of a word shaped like a surname ("near Sisyan"):
/// kept only where resolution finds it a spelling of a nearby village.
pub(super) const SURNAME_LIKE_PROBE: &str = "unknown_after_locative_surname_like";

/// Is `reason` that of a probe (see [`AFTER_LOCATIVE_PROBE`])?
pub(super) fn is_probe(reason: &str) -> bool {
    reason == AFTER_LOCATIVE_PROBE || reason == AFTER_POSSESSIVE_PROBE || reason == SURNAME_LIKE_PROBE
}

/// Is unknown word `i` a name the next word calls a village, a division, a
/// road or a bridge ("Gapanli village", "Qwerbad district", "the
/// Khudaferin bridge")? It is one capitalised word, not part of a longer
/// name, and no common word, given name, title, organisation or month
/// ("Central district", "Global village"). "City" is left out: "Sin
/// City", "Emerald City" are rarely places; so is "border", which follows
/// a country's name more often than a crossing's.
pub(super) fn kind_word_after(tokens: &[Token<'_>], i: usize) -> Option<KindCue> {
    let token = &tokens[i];
    let next = tokens.get(i + 1)?;
    let cue = kind_cue_after(next.key())?;
    let not_a_name = WordFacts::DICTIONARY_WORD
        .or(WordFacts::GIVEN_NAME)
        .or(WordFacts::TITLE)
        .or(WordFacts::ORGANISATION)
        .or(WordFacts::CALENDAR)
        .or(WordFacts::PLACE_LIKE_WORD);
    // ("The" opening a sentence is no part of a name)
    let after_a_name = i
        .checked_sub(1)
        .is_some_and(|p| tokens[p].gap_after != Gap::Break && tokens[p].may_start_name() && tokens[p].key() != "the");
    let named = token.case == Case::Title
        && token.key().len() >= 3
        && token.gap_after == Gap::Space
        && next.case == Case::Lower
        && !matches!(next.key(), "city" | "border")
        && !after_a_name
        && !token.facts().any(not_a_name)
        && !is_contraction(token.key());
    named.then_some(cue)
}

/// Most words of a dateline's place name ("NOR SHEN, Armenia —").
const DATELINE_WORDS: usize = 3;

/// "GARAGASHLI, Azerbaijan — ...", "KHEYRIMLI — ...": words in capitals
/// that open a line, then a comma and a capitalised word (the country or
/// province) or a dash, name where a report was filed, whether or not the
/// gazetteer knows them. The last word of the name, if word `i` starts
/// one. Words that are a common word, a title, an organisation or a month
/// in capitals ("UPDATE —", "EXCLUSIVE —", "NATO —") are no dateline.
pub(super) fn unknown_dateline(tokens: &[Token<'_>], text: &str, i: usize) -> Option<usize> {
    let opens_line = match i.checked_sub(1) {
        None => true,
        Some(p) => text.get(tokens[p].byte_end()..tokens[i].byte_start())?.contains('\n'),
    };
    if !opens_line {
        return None;
    }
    let not_a_name = WordFacts::DICTIONARY_WORD
        .or(WordFacts::TITLE)
        .or(WordFacts::ORGANISATION)
        .or(WordFacts::CALENDAR)
        .or(WordFacts::PLACE_LIKE_WORD);
    let name_word = |t: &Token<'_>| t.case == Case::Upper && !t.possessive && !t.facts().any(not_a_name);
    let mut last = i;
    while tokens[last].gap_after != Gap::Break && last + 1 < i + DATELINE_WORDS {
        match tokens.get(last + 1) {
            Some(next) if matches!(tokens[last].gap_after, Gap::Space | Gap::Hyphen) && name_word(next) => last += 1,
            _ => break,
        }
    }
    let words = &tokens[i..=last];
    if !words.iter().all(name_word) {
        return None;
    }
    // an acronym before a dash is more often a source than a place
    let letters: usize = words.iter().map(|t| t.text.chars().count()).sum();
    let after = tokens.get(last + 1)?;
    let gap = text.get(tokens[last].byte_end()..after.byte_start())?;
    let closed = match gap.trim() {
        "," => letters >= 4 && after.may_start_name() && dash_follows(tokens, text, last + 1),
        "—" | "–" | "--" | "-" => letters >= 5 && gap.starts_with(' '),
        _ => false,
    };
    closed.then_some(last)
}

/// Is word `k` (after a dateline's comma: "Azerbaijan", "Syunik Province",
/// "March 3") followed, within three words, by the dash that closes the
/// dateline?
fn dash_follows(tokens: &[Token<'_>], text: &str, k: usize) -> bool {
    (k..tokens.len().min(k + 3)).any(|j| {
        tokens.get(j + 1).is_some_and(|next| {
            text.get(tokens[j].byte_end()..next.byte_start())
                .is_some_and(|gap| matches!(gap.trim(), "—" | "–" | "--" | "-") && gap.starts_with(' '))
        })
    })
}

/// Words before "to" that make what follows a source or a person, not a
/// destination ("according to Interfax", "spoke to Hartley").
const NOT_A_PLACE_AFTER_TO: &[&str] = &[
    "according",
    "thanks",
    "due",
    "owing",
    "prior",
    "compared",
    "contrary",
    "addition",
    "response",
    "regard",
    "relation",
    "spoke",
    "speaking",
    "talked",
    "talking",
    "told",
    "wrote",
    "writing",
    "said",
    "explained",
    "replied",
    "listened",
    "appealed",
    "married",
    "letter",
    "message",
];

/// Could word `i`, which no gazetteer name starts, be a place's name in a
/// spelling the gazetteer lacks? It stands alone after "in", "near" or
/// "from", after a place's possessive (`after_place`: "Jabrayil's
/// Sirik"), or after "and" closing a pair whose first is a place after
/// such a word (`paired_with_place`: "near Voskepar and Kirants"), and is
/// no word, given name, surname, title or month.
/// Resolution places it if it is a near spelling of a village close to the
/// story, and reports it unresolved only in a story among the curated
/// area's villages. Gives the probe's reason.
pub(super) fn probe_reason(
    tokens: &[Token<'_>],
    i: usize,
    after_place: bool,
    paired_with_place: bool,
) -> Option<&'static str> {
    let token = &tokens[i];
    let previous = i.checked_sub(1).map(|p| &tokens[p])?;
    let not_a_name = WordFacts::NOT_A_PLACE_NAME;
    let reason = if after_place && previous.possessive {
        AFTER_POSSESSIVE_PROBE
    } else if (paired_with_place && previous.key() == "and")
        || (locative_before(tokens, i)
            && !(previous.key() == "to" && i >= 2 && NOT_A_PLACE_AFTER_TO.contains(&tokens[i - 2].key())))
    {
        AFTER_LOCATIVE_PROBE
    } else {
        return None;
    };
    let probe = token.case == Case::Title
        && !token.sentence_start
        && token.key().len() >= 5
        && previous.gap_after == Gap::Space
        && !token.facts().any(not_a_name)
        && tokens
            .get(i + 1)
            .is_none_or(|next| !next.may_start_name() || token.gap_after != Gap::Space);
    // "reached Goris and Sisyan": Armenian villages end as Armenian
    // surnames do; such a word stays only as a spelling of a nearby village
    let reason = match reason {
        AFTER_LOCATIVE_PROBE if looks_like_surname(token) => SURNAME_LIKE_PROBE,
        _ if looks_like_surname(token) => return None,
        reason => reason,
    };
    probe.then_some(reason)
}

/// Whether a preposition that puts a place after it comes right before
/// word `i` ("near X", "in nearby X"). Not "of", which is too often an
/// organisation's or a title's ("Bank of", "son of"), unless its residents
/// come before it: "residents of X", "villagers of nearby X".
pub(super) fn locative_before(tokens: &[Token<'_>], i: usize) -> bool {
    let Some(mut before) = i.checked_sub(1) else {
        return false;
    };
    if matches!(tokens[before].key(), "nearby" | "neighbouring" | "neighboring") {
        let Some(earlier) = before.checked_sub(1) else {
            return false;
        };
        before = earlier;
    }
    let word = &tokens[before];
    if word.gap_after != Gap::Space || !word.is(WordFacts::LOCATIVE) {
        return false;
    }
    word.key() != "of"
        || before.checked_sub(1).is_some_and(|b| {
            tokens[b].gap_after == Gap::Space
                && matches!(
                    tokens[b].key(),
                    "residents" | "villagers" | "inhabitants" | "natives" | "people"
                )
        })
}

/// "Lake Sev Lich", "Mount Ishkhanasar": a feature word the name begins
/// with, then one or two capitalised words the gazetteer does not know
/// with it, in the same sentence (the caller checks the words are no name
/// it knows on their own: "Mount Mrav" is Murovdag). An unresolved span
/// of them all, which says what it is (`natural_feature:lake`).
pub(super) fn unknown_named_feature(tokens: &[Token<'_>], i: usize) -> Option<Span> {
    let word = &tokens[i];
    if word.case != Case::Title || !matches!(word.key(), "lake" | "mount") || word.gap_after != Gap::Space {
        return None;
    }
    let name_word = |t: &Token<'_>| t.case == Case::Title && !t.sentence_start && !t.is(WordFacts::CALENDAR);
    let first = tokens.get(i + 1).filter(|t| name_word(t))?;
    let last = match tokens.get(i + 2) {
        Some(second) if first.gap_after == Gap::Space && !first.possessive && name_word(second) => i + 2,
        _ => i + 1,
    };
    Some(Span::unknown(
        i,
        last,
        vec![
            format!("natural_feature:{}", word.key()).into(),
            "not_in_gazetteer".into(),
        ],
    ))
}

/// "the village of Chankatagh (Janyataq)": a word the gazetteer does not
/// know, alone in the parentheses right after a small place's name, is
/// another spelling of that place. The span is unknown here; linking the
/// parenthetical aliases gives it the outer name's candidates. Not after a
/// country or a capital ("Yerevan (Armenpress)" names the source, and
/// agencies and other organisation words are refused anyway), and not a
/// common word, person's name, title or month.
pub(super) fn unknown_parenthetical_alias(
    tokens: &[Token<'_>],
    text: &str,
    i: usize,
    outer: Option<&Span>,
    gazetteer: &Gazetteer,
) -> Option<Span> {
    let outer = outer.filter(|s| s.last + 1 == i && !s.postings.is_empty())?;
    let token = &tokens[i];
    let closes_after = text
        .get(token.byte_end()..)
        .is_some_and(|rest| rest.trim_start_matches([' ', '\u{a0}']).starts_with(')'));
    let small_places = outer.postings.iter().all(|&posting| {
        gazetteer.resolve_posting(posting).is_some_and(|(place, _)| {
            !place.kind.is_country() && !place.kind.is_capital() && gazetteer.in_area_of_interest(place)
        })
    });
    let word_ok = token.case == Case::Title
        && token.key().chars().count() >= 4
        && !token.facts().any(WordFacts::NOT_A_PLACE_NAME)
        && !looks_like_surname(token);
    (tokens[outer.last].gap_after == Gap::OpenParen && closes_after && small_places && word_ok)
        .then(|| Span::unknown(i, i, vec!["unknown_spelling_in_parentheses".into()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geoparse::tokenize::tokenize_for_test;
    use crate::geoparse::Reason;

    fn at<'t>(tokens: &[Token<'t>], word: &str) -> usize {
        tokens.iter().position(|t| t.text == word).unwrap_or(usize::MAX)
    }

    #[test]
    fn a_cue_word_after_an_unknown_name_says_what_it_is() {
        let tokens = tokenize_for_test("Shells hit Gapanli village and the Central district near Qwerbad district.");
        assert_eq!(
            kind_word_after(&tokens, at(&tokens, "Gapanli")),
            Some(KindCue::Settlement)
        );
        assert_eq!(
            kind_word_after(&tokens, at(&tokens, "Qwerbad")),
            Some(KindCue::Division)
        );
        assert_eq!(kind_word_after(&tokens, at(&tokens, "Central")), None);
        let tokens = tokenize_for_test("The Khudaferin bridge and the Zorbaq road were shelled near the Iran border.");
        assert_eq!(at(&tokens, "Khudaferin"), 1, "after the sentence's first word");
        assert_eq!(
            kind_word_after(&tokens, at(&tokens, "Khudaferin")),
            Some(KindCue::Checkpoint)
        );
        assert_eq!(kind_word_after(&tokens, at(&tokens, "Zorbaq")), Some(KindCue::Route));
        assert_eq!(kind_word_after(&tokens, at(&tokens, "Iran")), None);
    }

    #[test]
    fn probes_follow_places_and_locatives_but_not_sources() {
        let tokens =
            tokenize_for_test("Shells hit Jabrayil's Sirik, fell in Qwertzuiop and, according to Interfax, in March.");
        let sirik = at(&tokens, "Sirik");
        assert_eq!(probe_reason(&tokens, sirik, true, false), Some(AFTER_POSSESSIVE_PROBE));
        // a possessive probes only after a place
        assert_eq!(probe_reason(&tokens, sirik, false, false), None);
        assert_eq!(
            probe_reason(&tokens, at(&tokens, "Qwertzuiop"), false, false),
            Some(AFTER_LOCATIVE_PROBE)
        );
        assert_eq!(probe_reason(&tokens, at(&tokens, "Interfax"), false, false), None);
        assert_eq!(probe_reason(&tokens, at(&tokens, "March"), false, false), None);
        assert!(is_probe(AFTER_LOCATIVE_PROBE) && !is_probe("not_in_gazetteer"));
        // the second of a pair whose first is a place after "near"
        let tokens = tokenize_for_test("Fire was reported near Voskepar and Kirants, and Hughes and Watkins said so.");
        assert_eq!(
            probe_reason(&tokens, at(&tokens, "Kirants"), false, true),
            Some(AFTER_LOCATIVE_PROBE)
        );
        assert_eq!(probe_reason(&tokens, at(&tokens, "Kirants"), false, false), None);
        // a surname-shaped word after "near" is probed, saying so
        let tokens = tokenize_for_test("Shelling went on near Sisyan overnight.");
        assert_eq!(
            probe_reason(&tokens, at(&tokens, "Sisyan"), false, false),
            Some(SURNAME_LIKE_PROBE)
        );
        assert!(is_probe(SURNAME_LIKE_PROBE));
    }

    #[test]
    fn a_lake_or_mount_opens_an_unknown_name() {
        let tokens = tokenize_for_test("Troops reached Lake Sev Lich. Mount Ishkhanasar was quiet.");
        let lake = unknown_named_feature(&tokens, at(&tokens, "Lake")).map(|s| (s.first, s.last));
        assert_eq!(lake, Some((at(&tokens, "Lake"), at(&tokens, "Lich"))));
        let mount = unknown_named_feature(&tokens, at(&tokens, "Mount")).map(|s| s.reasons);
        assert_eq!(
            mount,
            Some(vec![
                Reason::from("natural_feature:mount"),
                Reason::from("not_in_gazetteer")
            ])
        );
        assert!(unknown_named_feature(&tokens, at(&tokens, "Troops")).is_none());
    }
}
