//! Recognition: which stretches of text name places. Gazetteer names are
//! matched longest first over capitalised words; the words around a match
//! decide whether it is a place, a person, an organisation or a common word.

use std::borrow::Cow;

use compact_str::CompactString;

use super::lexicon::{
    kind_cue_after, kind_cue_before, KindCue, DOTTED_ABBREVIATIONS, INSTITUTION_NAMES, ROUTE_ADJECTIVES, ROUTE_WORDS,
    SETTLEMENT_PREFIXES, SURNAME_ENDINGS,
};
use super::mention::Reason;
use super::options::GeoparseOptions;
use super::reason_tag::tagged;
use super::tokenize::{Case, Gap, Token};
use super::unknown_name::{
    kind_word_after, locative_before, probe_reason, unknown_dateline, unknown_named_feature,
    unknown_parenthetical_alias,
};
use super::word_facts::{facts_of, WordFacts};
use super::word_lists::{demonym_place, demonym_place_of_pair};
use super::word_lookup::WordLookup;
use crate::gazetteer::index::Posting;
use crate::gazetteer::normalize::normalize_key;
use crate::gazetteer::{Gazetteer, NameKind, Place, PlaceTraits};

/// Longest name, in words, the matcher tries.
const MAX_NAME_WORDS: usize = 7;

/// Short all-capital words that are ISO codes of some country but in running
/// text are words or abbreviations of something else. A `match` on the
/// words themselves, which compiles to comparisons of integers: a list
/// scanned for every word in capitals called a string comparison per entry.
fn is_abbreviation_stop(word: &str) -> bool {
    matches!(
        word,
        "AM" | "PM"
            | "IT"
            | "IN"
            | "TO"
            | "ME"
            | "BE"
            | "NO"
            | "SO"
            | "DO"
            | "OR"
            | "AT"
            | "AS"
            | "IS"
            | "AN"
            | "BY"
            | "GO"
            | "MY"
            | "ID"
            | "OK"
            | "HE"
            | "WE"
            | "UP"
            | "ON"
            | "OF"
            | "IF"
            | "TV"
            | "CEO"
            | "AND"
            | "THE"
            | "FOR"
            | "ARE"
            | "NOT"
            | "ALL"
            | "CAN"
            | "MAN"
            | "BIG"
            | "AI"
            | "PR"
            | "VS"
            | "GDP"
            | "AFP"
            | "AP"
            | "BBC"
            | "CNN"
            | "NATO"
            | "UN"
            | "EU"
            | "MP"
            | "MPS"
            | "PA"
            | "CO"
            | "LA"
            | "FK"
    )
}

/// A recognised span of words that names a place (or a route of places).
#[derive(Debug, Clone)]
pub struct Span {
    /// First word.
    pub first: usize,
    /// Last word (inclusive).
    pub last: usize,
    /// Gazetteer entries whose names match (empty when the name is unknown).
    pub postings: Vec<Posting>,
    /// What the surrounding words say about the kind of place.
    pub cue: Option<KindCue>,
    /// Evidence, machine-readable.
    pub reasons: Vec<Reason>,
    /// For a compound route: its named parts.
    pub parts: Vec<Span>,
    /// True when the span is a route built from hyphenated parts.
    pub compound_route: bool,
    /// The full stop after the last word belongs to the name ("U.S.").
    pub trailing_stop: bool,
}

impl Span {
    /// End byte offset of the span in the chunk (exclusive).
    pub(super) fn byte_end(&self, tokens: &[Token<'_>]) -> usize {
        tokens[self.last].byte_end() + usize::from(self.trailing_stop)
    }

    /// A span of words `first..=last` the gazetteer does not know, with why
    /// it is taken for a place.
    pub(super) fn unknown(first: usize, last: usize, reasons: Vec<Reason>) -> Self {
        Span::of_words(first, last, Vec::new(), None, reasons)
    }

    /// A plain span of words `first..=last` with its postings and reasons.
    fn of_words(first: usize, last: usize, postings: Vec<Posting>, cue: Option<KindCue>, reasons: Vec<Reason>) -> Self {
        Span {
            first,
            last,
            postings,
            cue,
            reasons,
            parts: Vec::new(),
            compound_route: false,
            trailing_stop: false,
        }
    }
}

/// The keys of the three words before word `upto` in its sentence, oldest
/// first; "" where the sentence has fewer. A cue word ends its own
/// sentence's reach: in "... near the village. Traffic stopped", "village"
/// says nothing of "Traffic".
pub(super) fn lower_words<'a>(tokens: &'a [Token<'_>], upto: usize) -> [&'a str; 3] {
    // a word that opens a sentence has none before it (a third of the
    // capitalised words of news)
    if tokens.get(upto).is_some_and(|t| t.sentence_start) {
        return ["", "", ""];
    }
    // the first word of the sentence, among the three before `upto`
    let sentence_from = (upto.saturating_sub(3)..=upto)
        .rev()
        .find(|&i| tokens.get(i).is_some_and(|t| t.sentence_start))
        .unwrap_or(0);
    let key = |back: usize| {
        upto.checked_sub(back)
            .filter(|&i| i >= sentence_from)
            .map_or("", |i| tokens[i].key())
    };
    [key(3), key(2), key(1)]
}

/// Finds the longest gazetteer name starting at word `i`. Returns the last
/// word and the postings.
fn longest_name<'g>(tokens: &[Token<'_>], i: usize, words: &mut WordLookup<'g>) -> Option<(usize, Cow<'g, [Posting]>)> {
    // a name of a few short words, as most are, is kept inline: no allocation
    let mut key = CompactString::default();
    // the last word of the longest name so far and all its postings; the
    // ones written alike are copied out once, at the end
    let mut best: Option<(usize, &[Posting])> = None;
    for j in i..tokens.len().min(i + MAX_NAME_WORDS) {
        if j > i {
            let previous = &tokens[j - 1];
            if !matches!(previous.gap_after, Gap::Space | Gap::Hyphen) || previous.possessive {
                break;
            }
            let word = &tokens[j];
            let allowed = match word.case {
                Case::Title | Case::Upper => true,
                Case::Lower => {
                    word.is(WordFacts::CONNECTOR)
                        || kind_cue_after(word.key()).is_some()
                        || word.key() == "economic"
                        || word.is(WordFacts::FEATURE)
                }
                Case::Other => false,
            };
            if !allowed {
                break;
            }
        }
        let (exact, longer) = if j == i {
            words.exact_and_longer(&tokens[i])
        } else {
            if key.is_empty() {
                key.push_str(tokens[i].key());
            }
            key.push(' ');
            key.push_str(tokens[j].key());
            words.exact_and_longer(key.as_str())
        };
        // A name may end in a lower-case cue word ("Lachin road") but not in a connector.
        let may_end_here = tokens[j].case != Case::Lower
            || kind_cue_after(tokens[j].key()).is_some()
            || tokens[j].is(WordFacts::FEATURE);
        if !exact.is_empty() && may_end_here {
            let any_alike = if j == i && tokens[i].case != Case::Upper {
                words.any_written_alike(&tokens[i], |exact| written_alike(exact, &tokens[i..=i]))
            } else {
                any_written_alike(exact, &tokens[i..=j])
            };
            if any_alike {
                best = Some((j, exact));
            }
        }
        if !longer {
            break;
        }
    }
    best.map(|(j, exact)| {
        // borrowed from the index, not copied: most names found are no
        // place here, and are dropped by the recogniser's judgement
        let postings = if j == i && tokens[i].case != Case::Upper {
            words.written_alike(&tokens[i], |exact| written_alike(exact, &tokens[i..=i]))
        } else {
            written_alike(exact, &tokens[i..=j])
        };
        (j, postings)
    })
}

/// The postings whose stored name could be what the text wrote: a name
/// stored all in capitals ("TOM", an airport code of Timbuktu) only matches
/// capitals, so "Tom" is not Timbuktu.
fn written_alike<'g>(postings: &'g [Posting], words: &[Token<'_>]) -> Cow<'g, [Posting]> {
    if only_names_not_in_capitals(words) && postings.iter().any(|p| p.in_capitals) {
        Cow::Owned(postings.iter().filter(|p| !p.in_capitals).copied().collect())
    } else {
        Cow::Borrowed(postings)
    }
}

/// Whether [`written_alike`] would keep any of `postings`, without the copy.
fn any_written_alike(postings: &[Posting], words: &[Token<'_>]) -> bool {
    if only_names_not_in_capitals(words) {
        postings.iter().any(|p| !p.in_capitals)
    } else {
        !postings.is_empty()
    }
}

/// Whether `words` could not be a code stored in capitals: one short word
/// (IATA codes have three letters, ICAO four) not written in capitals.
fn only_names_not_in_capitals(words: &[Token<'_>]) -> bool {
    let surface_upper = words.iter().all(|t| t.case == Case::Upper);
    let could_be_code = words.len() == 1 && words[0].key().len() <= 5;
    could_be_code && !surface_upper
}

/// A place that is known in its own right, whose name beats the reading of
/// the same word as a person or a common word: a country, first-level
/// division, continent or region, a city of 100,000 people or more, or any
/// place in the area the gazetteer was curated for.
fn names_major_place(gazetteer: &Gazetteer, postings: &[Posting]) -> bool {
    let major = PlaceTraits::POPULATION_100K
        .or(PlaceTraits::COUNTRY)
        .or(PlaceTraits::LARGE_REGION)
        .or(PlaceTraits::IN_AREA_OF_INTEREST);
    postings.iter().any(|p| gazetteer.traits_of(p.place).any(major))
}

/// Whether a common word in a headline in capitals names a place a
/// headline would: a country, a city of 100,000 or a place of the curated
/// area ("TURKEY", "KARABAKH"), not a province sharing the word
/// ("KARABAKH'S RIVERS" is no Rivers State).
fn names_major_place_in_headline(gazetteer: &Gazetteer, postings: &[Posting]) -> bool {
    postings.iter().any(|p| {
        let traits = gazetteer.traits_of(p.place);
        traits.any(PlaceTraits::COUNTRY.or(PlaceTraits::IN_AREA_OF_INTEREST))
            || (traits.any(PlaceTraits::SETTLEMENT) && traits.any(PlaceTraits::POPULATION_100K))
    })
}

/// "Gyumri asked for funds", "Martuni said": a city or a town of the
/// curated area speaks for its council, as a capital does for its
/// government, unless the word is also a given name or a common surname
/// ("Lincoln said").
fn speaks_for_major_place(word: &Token<'_>, gazetteer: &Gazetteer, postings: &[Posting]) -> bool {
    let personal = WordFacts::COMMON_SURNAME
        .or(WordFacts::CENSUS_GIVEN_NAME)
        .or(WordFacts::GIVEN_NAME);
    !word.is(personal) && names_major_place(gazetteer, postings)
}

/// Do the postings include a country, or a country's capital, under a name
/// written as the text writes it? (Metonymy: "Azerbaijan said", "Moscow
/// said".)
fn names_country_or_capital(gazetteer: &Gazetteer, postings: &[Posting]) -> bool {
    postings.iter().any(|p| {
        gazetteer
            .traits_of(p.place)
            .any(PlaceTraits::COUNTRY.or(PlaceTraits::CAPITAL))
    })
}

/// Are `words` one of the [`INSTITUTION_NAMES`]?
fn names_an_institution(words: &[Token<'_>]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let first_byte = first.key().as_bytes().first();
    INSTITUTION_NAMES.iter().any(|name| {
        // (asked of every name found: the cheap tests first)
        if name.as_bytes().first() != first_byte || !name.starts_with(first.key()) {
            return false;
        }
        let mut parts = name.split(' ');
        words.iter().all(|word| parts.next() == Some(word.key())) && parts.next().is_none()
    })
}

/// Do the postings include a country?
fn names_a_country(gazetteer: &Gazetteer, postings: &[Posting]) -> bool {
    postings.iter().any(|p| {
        gazetteer
            .resolve_posting(*p)
            .is_some_and(|(place, _)| place.kind.is_country())
    })
}

/// "Syunik's Goris said": a word after the possessive of a province or a
/// town (not a country: "Britain's Johnson said" is a person) is that
/// place's place, unless it is a common surname or given name.
fn owned_by_region(tokens: &[Token<'_>], i: usize, gazetteer: &Gazetteer, words: &mut WordLookup<'_>) -> bool {
    let Some(owner) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return false;
    };
    if !owner.possessive || owner.gap_after != Gap::Space || owner.case != Case::Title {
        return false;
    }
    if tokens[i].is(WordFacts::COMMON_SURNAME
        .or(WordFacts::CENSUS_GIVEN_NAME)
        .or(WordFacts::GIVEN_NAME))
    {
        return false;
    }
    let (postings, _) = words.exact_and_longer(owner);
    !postings.is_empty() && !names_a_country(gazetteer, postings)
}

/// Is this word a given name that, in front of another capitalised word,
/// starts a person's name? The Census list holds "Georgia" and "Austin"
/// too, so a word that names a major place is only a given name when the
/// hand-kept list says so.
fn is_person_given_name(token: &Token<'_>, gazetteer: &Gazetteer, words: &mut WordLookup<'_>) -> bool {
    let facts = token.facts();
    if facts.any(WordFacts::GIVEN_NAME) {
        return true;
    }
    // "An", "Will", "Grant" open sentences as words far more often than as names
    let word_here =
        facts.any(WordFacts::PLACE_LIKE_WORD) || (token.sentence_start && facts.any(WordFacts::DICTIONARY_WORD));
    token.case == Case::Title
        && !word_here
        && facts.any(WordFacts::CENSUS_GIVEN_NAME)
        && !words.names_major_place(token, |postings| names_major_place(gazetteer, postings))
}

/// Has the word the form of an Armenian, Azerbaijani, Russian or Georgian
/// surname ("Grigoryan", "Aliyeva", "Petrov", "Beridze")? News from the
/// region names its people so, and such a word after a given name makes
/// the pair a person.
pub(super) fn looks_like_surname(token: &Token<'_>) -> bool {
    token.case == Case::Title
        && token.key().len() >= 5
        && SURNAME_ENDINGS.iter().any(|ending| token.key().ends_with(ending))
}

/// Do the postings include an abbreviation written exactly like `text`: a
/// name of kind abbreviation, or an all-capital name of a country or region?
/// (Airport codes stored as alternate names of cities do not count: "BTR-82A"
/// is an armoured vehicle, not Baton Rouge.)
fn known_abbreviation(gazetteer: &Gazetteer, postings: &[Posting], text: &str) -> bool {
    postings.iter().any(|p| {
        gazetteer.resolve_posting(*p).is_some_and(|(place, name)| {
            name.text == text && (name.kind == NameKind::Abbreviation || place.kind.is_area())
        })
    })
}

/// Surnames of the people a text names ("Michel" after "Charles Michel",
/// "Lavrov" after "Minister Lavrov"): later, bare, they are still people.
fn people_named(
    tokens: &[Token<'_>],
    capitalised: &[u32],
    gazetteer: &Gazetteer,
    words: &mut WordLookup<'_>,
) -> foldhash::HashSet<String> {
    let mut people = foldhash::HashSet::default();
    for &at in capitalised {
        let at = at as usize;
        let (Some(first), Some(second)) = (tokens.get(at), tokens.get(at + 1)) else {
            continue;
        };
        // the cheap tests first: most pairs are not two capitalised words
        let two_names = first.case == Case::Title
            && first.gap_after == Gap::Space
            && second.case == Case::Title
            && !second.sentence_start;
        if two_names
            && (first.is(WordFacts::TITLE)
                || (looks_like_surname(second) && first.is(WordFacts::CENSUS_GIVEN_NAME))
                || is_person_given_name(first, gazetteer, words))
        {
            people.insert(second.key().to_string());
        }
    }
    people
}

/// How many capitalised words ahead of the one asked about the name
/// index is told to fetch a new word's entry (see [`WordLookup::prefetch`]):
/// far enough for the fetches to overlap, near enough that they are still
/// in the core's cache when asked.
const PREFETCH_AHEAD: usize = 8;

/// Recognises place spans in tokenised text. `capitalised` lists the
/// words that may start a name, in order (as [`tokenize_into`] gives
/// them): only those are visited.
///
/// [`tokenize_into`]: super::tokenize::tokenize_into
pub fn recognize(
    tokens: &[Token<'_>],
    capitalised: &[u32],
    text: &str,
    gazetteer: &Gazetteer,
    words: &mut WordLookup<'_>,
    options: GeoparseOptions,
) -> Vec<Span> {
    // every question below starts from a capitalised word's lists: learnt
    // once per word of the text, not once per token
    for (n, &at) in capitalised.iter().enumerate() {
        if let Some(ahead) = capitalised
            .get(n + PREFETCH_AHEAD)
            .and_then(|&a| tokens.get(a as usize))
        {
            words.prefetch(ahead);
        }
        if let Some(token) = tokens.get(at as usize) {
            words.share_facts(token);
        }
    }
    let people = people_named(tokens, capitalised, gazetteer, words);
    // about one capitalised word in six begins a place's name in news
    let mut spans = Vec::with_capacity(capitalised.len() / 4 + 8);
    let mut starts = capitalised.iter().map(|&at| at as usize).peekable();
    let mut i = 0;
    loop {
        // on to the next word that may start a name, past the last span
        while starts.next_if(|&at| at < i).is_some() {}
        match starts.peek() {
            Some(&at) if at < tokens.len() => i = at,
            _ => break,
        }
        if let Some(span) = dotted_abbreviation(tokens, text, i, gazetteer) {
            i = span.last + 1;
            spans.push(span);
            continue;
        }
        if let Some(span) = the_states(tokens, i, gazetteer) {
            i = span.last + 1;
            spans.push(span);
            continue;
        }
        if let Some((last, place_name)) = demonym_at(tokens, i) {
            if options.modifiers {
                spans.push(Span::of_words(
                    i,
                    last,
                    area_postings(gazetteer, place_name, |_| true),
                    None,
                    vec!["demonym".into()],
                ));
            }
            i = last + 1;
            continue;
        }
        if let Some(route) = super::route::compound_route(tokens, i, gazetteer) {
            i = route.last + 1;
            spans.push(route);
            continue;
        }
        if let Some(route) = super::route::route_between(tokens, i, gazetteer)
            .filter(|route| spans.last().is_none_or(|s: &Span| s.last < route.first))
        {
            i = route.last + 1;
            spans.push(route);
            continue;
        }
        if let Some(span) = unknown_two_word_name(tokens, i, gazetteer, words) {
            i = span.last + 1;
            spans.push(span);
            continue;
        }
        match longest_name(tokens, i, words) {
            Some((last, postings)) => {
                // the span takes its postings and its first reason only if
                // judged a place: most are not, and cost no allocation
                let mut span = Span::of_words(i, last, Vec::new(), None, Vec::new());
                if judge(tokens, text, &mut span, &postings, gazetteer, &people, words) {
                    span.reasons.insert(0, "gazetteer_name".into());
                    // "the cities of Ganja, Goranboy and Agjabadi": each is a city
                    if span.cue.is_none() {
                        if let Some(cue) = listed_after_cue(tokens, text, &spans, i) {
                            span.cue = Some(cue);
                            span.reasons.push(tagged("cue_of_list", cue.as_str()));
                        }
                    }
                    take_natural_feature_word(tokens, &mut span);
                    take_autonomy_words(tokens, &mut span);
                    take_mount_before(tokens, &spans, &mut span);
                    i = span.last + 1;
                    spans.push(span);
                } else {
                    i = last + 1;
                }
            }
            None => {
                // An unknown name the text itself calls a place: "the village
                // of Foo", and the names listed after it ("the villages of
                // Foo, Bar and Baz").
                let (cue, reason) = match kind_cue_before(&lower_words(tokens, i)) {
                    Some(cue) => (Some(cue), "cue_before"),
                    None => (listed_after_cue(tokens, text, &spans, i), "cue_of_list"),
                };
                // "the districts of Soviet Azerbaijan": a word before a known
                // name is that name's modifier, not a place of its own
                let modifies_known_name = tokens[i].gap_after == Gap::Space
                    && tokens
                        .get(i + 1)
                        .is_some_and(|next| next.may_start_name() && !words.exact_and_longer(next).0.is_empty());
                let unknown_ok = cue.is_some()
                    && tokens[i].case == Case::Title
                    && !tokens[i].is(WordFacts::PLACE_LIKE_WORD)
                    && !modifies_known_name;
                // "pass" and "mountain" after an unknown word are more often a
                // verb or a common noun ("Don't pass up") than a feature
                let unknown_feature_ok = tokens[i].case == Case::Title
                    && !tokens[i].is(WordFacts::DICTIONARY_WORD)
                    && !is_contraction(tokens[i].key())
                    && tokens
                        .get(i + 1)
                        .is_some_and(|next| !matches!(next.key(), "pass" | "mountain"));
                // made only when a feature word may follow, and its reasons
                // only if it is kept: most such words are neither
                let feature = unknown_feature_ok
                    .then(|| {
                        let mut feature = Span::of_words(i, i, Vec::new(), None, Vec::new());
                        take_natural_feature_word(tokens, &mut feature);
                        feature
                    })
                    .filter(|feature| feature.last > i);
                if let Some(lake) =
                    unknown_named_feature(tokens, i).filter(|_| longest_name(tokens, i + 1, words).is_none())
                {
                    // "Lake Sev Lich", "Mount Ishkhanasar"
                    i = lake.last + 1;
                    spans.push(lake);
                    continue;
                }
                if let Some(mut feature) = feature {
                    // "the Araz river": a feature the gazetteer does not know
                    i = feature.last + 1;
                    feature.reasons.insert(0, "not_in_gazetteer".into());
                    spans.push(feature);
                    continue;
                }
                if unknown_ok {
                    spans.push(Span::of_words(
                        i,
                        i,
                        Vec::new(),
                        cue,
                        vec![
                            tagged(reason, cue.map_or("", KindCue::as_str)),
                            "not_in_gazetteer".into(),
                        ],
                    ));
                } else if let Some(cue) = kind_word_after(tokens, i) {
                    // "Gapanli village", "Qwerbad district": the text says
                    // what it is; "the Khudaferin bridge" is the bridge, so
                    // the word joins the name
                    let last = if matches!(cue, KindCue::Route | KindCue::Checkpoint) {
                        i + 1
                    } else {
                        i
                    };
                    spans.push(Span::of_words(
                        i,
                        last,
                        Vec::new(),
                        Some(cue),
                        vec![tagged("cue_after", cue.as_str()), "not_in_gazetteer".into()],
                    ));
                } else if let Some(last) = unknown_dateline(tokens, text, i) {
                    spans.push(Span::of_words(
                        i,
                        last,
                        Vec::new(),
                        Some(KindCue::Settlement),
                        vec!["dateline".into(), "not_in_gazetteer".into()],
                    ));
                    i = last;
                } else if let Some(alias) = unknown_parenthetical_alias(tokens, text, i, spans.last(), gazetteer)
                    .filter(|_| !people.contains(tokens[i].key()))
                {
                    spans.push(alias);
                } else if let Some(reason) = probe_reason(
                    tokens,
                    i,
                    // "Syunik's Kajaran" may be a village the gazetteer
                    // lacks; "Turkey's Erdogan" is a country's leader
                    spans.last().is_some_and(|s| {
                        s.last + 1 == i && !s.postings.is_empty() && !names_a_country(gazetteer, &s.postings)
                    }),
                    // "near Voskepar and Kirants": paired with a place that
                    // follows "near", "in" or "from"
                    spans
                        .last()
                        .is_some_and(|s| s.last + 2 == i && !s.postings.is_empty() && locative_before(tokens, s.first)),
                ) {
                    // "a letter to Pashinyan" after "Nikol Pashinyan said": a person
                    if !people.contains(tokens[i].key()) {
                        spans.push(Span::unknown(i, i, vec![reason.into(), "not_in_gazetteer".into()]));
                    }
                }
                i += 1;
            }
        }
    }
    super::place_list::add_unknown_list_members(tokens, text, &mut spans);
    share_plural_cue_with_list(tokens, text, &mut spans);
    share_plural_feature_with_list(tokens, text, &mut spans);
    super::place_list::give_listed_towns_their_kind(tokens, text, gazetteer, &mut spans);
    link_parenthetical_aliases(tokens, gazetteer, &mut spans);
    share_cue_after_parenthesis(tokens, text, &mut spans);
    join_routes_named_with_aliases(tokens, text, gazetteer, &mut spans);
    for span in &mut spans {
        add_divisions_named_after(gazetteer, span);
    }
    spans
}

/// "Kubatly and Zangelan districts": the text calls the names divisions,
/// but the gazetteer knows the divisions only as "Gubadli District" and
/// "Zangilan District", under their towns' other spellings. A division
/// named "<a name of the place> district" (or rayon, province, region)
/// joins the span's candidates, for the cue to choose. Asked of places in
/// the curated area only, whose divisions the curated layer names so; a
/// world town has dozens of names to try.
fn add_divisions_named_after(gazetteer: &Gazetteer, span: &mut Span) {
    if span.cue != Some(KindCue::Division) || span.postings.is_empty() {
        return;
    }
    let is_division = |p: &Posting| {
        gazetteer.resolve_posting(*p).is_some_and(|(place, _)| {
            place.kind.is_admin_division() || place.kind == crate::gazetteer::PlaceKind::Region
        })
    };
    if span.postings.iter().any(is_division) {
        return;
    }
    let in_area = |place: &Place| gazetteer.in_area_of_interest(place);
    let words = ["district", "rayon", "province", "region"];
    if let Some((divisions, name)) = named_after_another_name(gazetteer, span, &words, in_area, is_division) {
        span.postings.extend(divisions);
        span.reasons.push(format!("division_named_after:{name}").into());
    }
}

/// "Nakhijevan, the Azerbaijani exclave": a phrase after the name's comma,
/// "the" and at most two more words, that ends in a word saying what kind
/// of place it is (a division or a settlement). The last word decides:
/// "Khojavend, the district centre" is a town, "the regional capital" too.
fn cue_in_apposition(tokens: &[Token<'_>], last: usize) -> Option<KindCue> {
    if !separated_by_comma(tokens, last) {
        return None;
    }
    // "Nakhchivan, which borders Iran and Turkey", "Syunik, bordering
    // Iran": what has borders is a country or a division, not a town
    let next_key = |k: usize| tokens.get(last + k).map(|t| t.key());
    // the neighbour named right after ("bordering the river" is no border)
    let neighbour_at = |k: usize| tokens.get(last + k).is_some_and(Token::may_start_name);
    if (next_key(1) == Some("bordering") && neighbour_at(2))
        || (next_key(1) == Some("which") && matches!(next_key(2), Some("borders" | "border")) && neighbour_at(3))
    {
        return Some(KindCue::Division);
    }
    if next_key(1) != Some("the") {
        return None;
    }
    let division_or_settlement = |key: &str| match key {
        "capital" | "centre" | "center" => Some(KindCue::Settlement),
        key => kind_cue_after(key).filter(|c| matches!(c, KindCue::Division | KindCue::Settlement)),
    };
    for (k, word) in tokens.iter().enumerate().take(last + 5).skip(last + 2) {
        if word.gap_after == Gap::Space {
            // "Nakhchivan, the exclave separated from ...", "the Azerbaijani
            // exclave bordering Turkey": the noun before a participle, a
            // relative or a preposition ends the phrase too (not "of": "In
            // Tavush, the village of Berkaber" names another place)
            let ends_phrase = tokens.get(k + 1).is_some_and(|next| {
                next.case == Case::Lower
                    && (matches!(
                        next.key(),
                        "which" | "that" | "where" | "whose" | "in" | "on" | "between"
                    ) || ((next.key().ends_with("ed") || next.key().ends_with("ing")) && next.key().len() > 4))
            });
            if word.case == Case::Lower && ends_phrase {
                return division_or_settlement(word.key());
            }
            continue;
        }
        // the phrase's last word
        if word.case != Case::Lower {
            return None;
        }
        return division_or_settlement(word.key());
    }
    None
}

/// "Kalbajar, Lachin and Gubadly districts": a plural cue word after the
/// last of a list names what every member is; the members before it that
/// carry no cue of their own take it.
fn share_plural_cue_with_list(tokens: &[Token<'_>], text: &str, spans: &mut [Span]) {
    for k in (1..spans.len()).rev() {
        let plural_after = tokens.get(spans[k].last + 1).is_some_and(|w| {
            w.case == Case::Lower && w.key().ends_with('s') && tokens[spans[k].last].gap_after == Gap::Space
        });
        let Some(cue) = spans[k]
            .cue
            .filter(|c| matches!(c, KindCue::Division | KindCue::Settlement))
        else {
            continue;
        };
        if !plural_after || kind_cue_after(tokens[spans[k].last + 1].key()) != Some(cue) {
            continue;
        }
        let mut member = k;
        // "the villages of Aghdara and Tartar districts": the villages lie
        // in the districts, which the list names; the plural before the
        // first member yields to the one after the last
        let yields = |span: &Span| {
            cue == KindCue::Division
                && span.cue == Some(KindCue::Settlement)
                && matches!(
                    lower_words(tokens, span.first),
                    [_, "villages" | "settlements" | "towns" | "cities", "of"]
                )
        };
        while member > 0
            && (spans[member - 1].cue.is_none() || yields(&spans[member - 1]))
            && super::place_list::separates_members(tokens, text, spans[member - 1].last, spans[member].first)
        {
            member -= 1;
            let settlement_cue = tagged("cue_before", KindCue::Settlement.as_str());
            spans[member].reasons.retain(|r| *r != settlement_cue);
            spans[member].cue = Some(cue);
            spans[member].reasons.push(tagged("cue_of_list", cue.as_str()));
        }
    }
}

/// "the Khachen and Tartar rivers": a plural feature word after the last
/// name of a list is said of every name listed before it.
fn share_plural_feature_with_list(tokens: &[Token<'_>], text: &str, spans: &mut [Span]) {
    for k in (1..spans.len()).rev() {
        let Some(feature) = spans[k]
            .reasons
            .iter()
            .find(|r| matches!(r.as_ref(), "natural_feature:rivers" | "natural_feature:lakes"))
            .cloned()
        else {
            continue;
        };
        let mut member = k;
        while member > 0
            && !spans[member - 1]
                .reasons
                .iter()
                .any(|r| r.starts_with("natural_feature:"))
            && super::place_list::separates_members(tokens, text, spans[member - 1].last, spans[member].first)
        {
            member -= 1;
            spans[member].reasons.push(feature.clone());
        }
    }
}

/// "the Berdzor (Lachin) corridor": a name, its alias in parentheses, then
/// a route word. When the gazetteer has the route under either name, the
/// three make one mention of it; otherwise the names stay places.
fn join_routes_named_with_aliases(tokens: &[Token<'_>], text: &str, gazetteer: &Gazetteer, spans: &mut Vec<Span>) {
    let mut k = 1;
    while k < spans.len() {
        let (outer, inner) = (&spans[k - 1], &spans[k]);
        let route_word = inner.last + 1;
        let joined = inner.first == outer.last + 1
            && tokens[outer.last].gap_after == Gap::OpenParen
            && tokens.get(route_word).is_some_and(|w| {
                w.case == Case::Lower
                    && kind_cue_after(w.key()) == Some(KindCue::Route)
                    && text.get(tokens[inner.last].byte_end()..w.byte_start()).map(str::trim) == Some(")")
            });
        if !joined {
            k += 1;
            continue;
        }
        let mut route = Span::of_words(
            outer.first,
            inner.last,
            outer.postings.iter().chain(&inner.postings).copied().collect(),
            Some(KindCue::Route),
            vec![
                "gazetteer_name".into(),
                "parenthetical_alias".into(),
                "cue_after:route".into(),
            ],
        );
        take_route_named_otherwise(gazetteer, &mut route, tokens[route_word].key(), 1);
        if route.last == route_word {
            spans[k - 1] = route;
            spans.remove(k);
        }
        k += 1;
    }
}

/// Most places of a name whose other names are tried for a route.
const ROUTE_NAME_PLACES: usize = 5;

/// "the Laçın corridor": the gazetteer has no route by these words, but
/// the place the name means has another name ("Lachin") under which it
/// has one ("Lachin corridor"). The route word, `words_after` words after
/// the span (2 past an adjective: "Lachin humanitarian corridor"), joins
/// the span, whose postings become the route's. A road is named after a
/// town in any of the town's spellings; the gazetteer cannot list every
/// pairing.
fn take_route_named_otherwise(gazetteer: &Gazetteer, span: &mut Span, route_word: &str, words_after: usize) {
    let is_route = |p: &Posting| {
        gazetteer
            .resolve_posting(*p)
            .is_some_and(|(place, _)| place.kind.is_route())
    };
    if span.postings.iter().any(is_route) {
        return;
    }
    if let Some((routes, name)) = named_after_another_name(gazetteer, span, &[route_word], |_| true, is_route) {
        span.postings = routes;
        span.last += words_after;
        span.reasons.push(format!("route_named_after:{name}").into());
    }
}

/// "the Hakari crossing": the gazetteer knows the crossing as "Hakari
/// checkpoint" or "Hakari bridge", not by the word the text uses; the span
/// takes the word and becomes that crossing, as it does for routes.
fn take_crossing_named_otherwise(gazetteer: &Gazetteer, span: &mut Span) {
    let is_crossing = |p: &Posting| {
        gazetteer.resolve_posting(*p).is_some_and(|(place, _)| {
            place.kind == crate::gazetteer::PlaceKind::Checkpoint
                || matches!(&place.kind, crate::gazetteer::PlaceKind::GeoNames { code, .. } if code == "BDG")
        })
    };
    if span.postings.iter().any(is_crossing) {
        return;
    }
    let words = ["checkpoint", "bridge", "border crossing"];
    if let Some((crossings, name)) = named_after_another_name(gazetteer, span, &words, |_| true, is_crossing) {
        span.postings = crossings;
        span.last += 1;
        span.reasons.push(format!("crossing_named_after:{name}").into());
    }
}

/// The places called "<name> <word>", `word` one of `words` and `<name>`
/// any name of one of the span's first [`ROUTE_NAME_PLACES`] places that
/// `consider` accepts, as `keep` picks them among that name's postings:
/// those of the first name that gives any, and the name.
fn named_after_another_name<'g>(
    gazetteer: &'g Gazetteer,
    span: &Span,
    words: &[&str],
    consider: impl Fn(&Place) -> bool,
    keep: impl Fn(&Posting) -> bool,
) -> Option<(Vec<Posting>, &'g str)> {
    let mut places: Vec<u32> = span.postings.iter().map(|p| p.place).collect();
    places.dedup();
    for &place in places.iter().take(ROUTE_NAME_PLACES) {
        let record = &gazetteer.places()[place as usize];
        if !consider(record) {
            continue;
        }
        for name in &record.names {
            let name_key = normalize_key(&name.text);
            let found: Vec<Posting> = words
                .iter()
                .flat_map(|word| gazetteer.index().exact(&format!("{name_key} {word}")))
                .filter(|p| keep(p))
                .copied()
                .collect();
            if !found.is_empty() {
                return Some((found, name.text.as_str()));
            }
        }
    }
    None
}

/// "the Aras river": a name the gazetteer knows, then a word naming a
/// natural feature that the gazetteer's name lacks. The word joins the
/// span, which says so (`natural_feature:river`): resolution then keeps a
/// town of that name only if the text is about the town's region.
fn take_natural_feature_word(tokens: &[Token<'_>], span: &mut Span) {
    let (last, next) = (&tokens[span.last], tokens.get(span.last + 1));
    let feature_word = |t: &&Token<'_>| {
        matches!(t.case, Case::Lower | Case::Title) && !t.sentence_start && t.is(WordFacts::NATURAL_FEATURE)
    };
    let Some(next) = next.filter(feature_word) else {
        return;
    };
    if last.gap_after == Gap::Space && !last.possessive && last.case != Case::Lower {
        span.last += 1;
        span.reasons.push(tagged("natural_feature", next.key()));
    }
}

/// "the Nakhijevan Autonomous Republic", "Nakhchivan AR": words after a
/// name that make it an autonomous division join the span, which is then a
/// division (the exclave, not its capital; and "AR" is not Argentina).
fn take_autonomy_words(tokens: &[Token<'_>], span: &mut Span) {
    let joined = |k: usize| tokens[k].gap_after == Gap::Space && !tokens[k].possessive;
    if !joined(span.last) || tokens[span.last].case == Case::Lower {
        return;
    }
    let Some(next) = tokens.get(span.last + 1) else {
        return;
    };
    let words = if next.text == "AR" {
        1
    } else if next.key() == "autonomous"
        && joined(span.last + 1)
        && tokens
            .get(span.last + 2)
            .is_some_and(|t| matches!(t.key(), "republic" | "region" | "oblast" | "okrug"))
    {
        2
    } else {
        return;
    };
    span.last += words;
    span.cue = Some(KindCue::Division);
    span.reasons.push(tagged("cue_after", KindCue::Division.as_str()));
}

/// "Mount Aragats": "Mount" before a name the gazetteer knows only as
/// something else (villages called Aragats) joins the span, which says so
/// (`natural_feature:mount`): resolution then keeps a mountain of the name
/// if the gazetteer has one, and a namesake town only if the text is about
/// the town's region. "Mount Vernon", a name of its own, never gets here.
fn take_mount_before(tokens: &[Token<'_>], spans: &[Span], span: &mut Span) {
    let Some(before) = span.first.checked_sub(1) else {
        return;
    };
    let mount = &tokens[before];
    let free = spans.last().is_none_or(|previous| previous.last < before);
    if free
        && mount.case == Case::Title
        && mount.key() == "mount"
        && mount.gap_after == Gap::Space
        && !span.reasons.iter().any(|r| r.starts_with("natural_feature:"))
    {
        span.first = before;
        span.reasons.push("natural_feature:mount".into());
    }
}

/// "the village of Nor Maragha", "the villages of Karmir Shuka": after a
/// settlement cue, two capitalised words that the gazetteer does not know
/// together, the first only as a minor place ("Nor", a name of Niort), are
/// one unknown name, not that place. A word that begins village names
/// ("Hin Shen", "Nerkin Sus": see [`SETTLEMENT_PREFIXES`]) makes such a
/// pair one name without a cue.
fn unknown_two_word_name(
    tokens: &[Token<'_>],
    i: usize,
    gazetteer: &Gazetteer,
    words: &mut WordLookup<'_>,
) -> Option<Span> {
    let (first, second) = (&tokens[i], tokens.get(i + 1)?);
    let joined = first.gap_after == Gap::Space && !first.possessive;
    // a word that begins village names ("Hin Shen") needs no cue
    let prefixed = SETTLEMENT_PREFIXES.contains(&first.key());
    // the cue must be in the same sentence ("in the town. Gary Matson" is not one)
    if !joined || (first.sentence_start && !prefixed) || first.case != Case::Title || second.case != Case::Title {
        return None;
    }
    let cue = kind_cue_before(&lower_words(tokens, i)).filter(|c| *c == KindCue::Settlement);
    if cue.is_none() && !prefixed {
        return None;
    }
    // after "Nerkin" (Lower) or "Yukhari" (Upper) even an English word is
    // the village's name ("Nerkin Hand"); "Mets" and "Nor" are also words
    // of other languages, so they need a name after them
    let only_a_prefix = matches!(
        first.key(),
        "nerkin" | "verin" | "ashaghy" | "ashagy" | "ashagi" | "yukhari" | "yukhary"
    );
    let word_like = |t: &Token<'_>| t.is(WordFacts::PLACE_LIKE_WORD.or(WordFacts::DICTIONARY_WORD));
    if (word_like(second) && !only_a_prefix) || second.is(WordFacts::CALENDAR) || second.is(WordFacts::ORGANISATION) {
        return None;
    }
    // the gazetteer knows a name of two words or more starting here ("Yukhari
    // Govhar Agha mosque")
    let (_, longer) = words.exact_and_longer(first);
    let pair_known = longer && longest_name(tokens, i, words).is_some_and(|(last, _)| last > i);
    // the places the first word could name as written ("Nor", not NOR, Norway)
    let first_places = words.written_alike(first, |exact| written_alike(exact, &tokens[i..=i]));
    if pair_known || (!prefixed && (first_places.is_empty() || names_major_place(gazetteer, &first_places))) {
        return None;
    }
    let reason = match cue {
        Some(cue) => format!("cue_before:{}", cue.as_str()),
        None => "settlement_prefix".to_string(),
    };
    Some(Span::of_words(
        i,
        i + 1,
        Vec::new(),
        Some(KindCue::Settlement),
        vec![reason.into(), "not_in_gazetteer".into()],
    ))
}

/// The cue of a list that word `i` continues: "the villages of Foo, Bar
/// and Baz" calls Bar and Baz villages too. The span before `i` must carry
/// a cue and be separated from `i` by a comma, "and" or "or".
fn listed_after_cue(tokens: &[Token<'_>], text: &str, spans: &[Span], i: usize) -> Option<KindCue> {
    let previous = spans.last()?;
    // a cue before the list ("the villages of"), not after a name ("Foo road")
    let listed = previous
        .reasons
        .iter()
        .any(|r| r.starts_with("cue_before:") || r.starts_with("cue_of_list:"));
    let cue = previous.cue.filter(|_| listed)?;
    super::place_list::separates_members(tokens, text, previous.last, i).then_some(cue)
}

/// The postings of `name` that are areas (countries, continents, divisions)
/// passing `keep`.
fn area_postings(gazetteer: &Gazetteer, name: &str, keep: impl Fn(&crate::gazetteer::Place) -> bool) -> Vec<Posting> {
    gazetteer
        .index()
        .exact(&normalize_key(name))
        .iter()
        .filter(|p| {
            gazetteer
                .resolve_posting(**p)
                .is_some_and(|(place, _)| place.kind.is_area() && keep(place))
        })
        .copied()
        .collect()
}

/// "Russian", "Sri Lankan", "Americans" at word `i`: the last word and the
/// place the demonym stands for.
fn demonym_at(tokens: &[Token<'_>], i: usize) -> Option<(usize, &'static str)> {
    let first = &tokens[i];
    // the word's lists, which the token keeps, say whether the demonym
    // table can know it: most capitalised words cost it no probe
    let facts = first.facts();
    if facts.any(WordFacts::DEMONYM_FIRST) {
        if let Some(second) = tokens.get(i + 1) {
            if first.gap_after == Gap::Space && second.case == Case::Title {
                if let Some(place) = demonym_place_of_pair(first.key(), second.key()) {
                    return Some((i + 1, place));
                }
            }
        }
    }
    let plural_of_demonym = || {
        first
            .key()
            .strip_suffix('s')
            .is_some_and(|singular| facts_of(singular).any(WordFacts::DEMONYM))
    };
    if !facts.any(WordFacts::DEMONYM) && !plural_of_demonym() {
        return None;
    }
    demonym_place(first.key()).map(|place| (i, place))
}

/// "the States" for the United States: "States" after a lower-case "the"
/// and not followed by a capitalised word ("the States Parties", "the States
/// of Jersey" are something else).
fn the_states(tokens: &[Token<'_>], i: usize, gazetteer: &Gazetteer) -> Option<Span> {
    let word = &tokens[i];
    let after_the = i
        .checked_sub(1)
        .is_some_and(|p| tokens[p].text == "the" && tokens[p].gap_after == Gap::Space);
    let named_after = word.gap_after == Gap::Space
        && tokens
            .get(i + 1)
            .is_some_and(|n| matches!(n.case, Case::Title | Case::Upper) || n.key() == "of");
    if word.text != "States" || !after_the || named_after {
        return None;
    }
    Some(Span::of_words(
        i,
        i,
        area_postings(gazetteer, "United States", |place| place.kind.is_country()),
        None,
        vec!["colloquial_name".into()],
    ))
}

/// "the Council of Europe", "the Ministry of Defence of Azerbaijan": a
/// place that ends the name of an organisation or a title, reached from
/// word `first` back through "of" and capitalised words. Not "the State
/// of Israel" or "the Federation of Bosnia and Herzegovina", which are
/// places themselves.
fn ends_organisation_name(tokens: &[Token<'_>], first: usize) -> bool {
    let mut at = first;
    // a name of an organisation has a few "of"s at most
    for _ in 0..3 {
        let Some(of) = at.checked_sub(1).filter(|&of| tokens[of].key() == "of") else {
            return false;
        };
        let Some(head) = of.checked_sub(1) else {
            return false;
        };
        let word = &tokens[head];
        if word.gap_after != Gap::Space
            || tokens[of].gap_after != Gap::Space
            || !matches!(word.case, Case::Title | Case::Upper)
        {
            return false;
        }
        if word.is(WordFacts::ORGANISATION.or(WordFacts::TITLE)) {
            return !matches!(word.key(), "state" | "federation" | "union" | "republic" | "kingdom");
        }
        at = head;
    }
    false
}

/// "U.S.", "D.C.", "W.Va.", ", Calif.": an abbreviation written with full
/// stops, looked up in [`DOTTED_ABBREVIATIONS`].
fn dotted_abbreviation(tokens: &[Token<'_>], text: &str, i: usize, gazetteer: &Gazetteer) -> Option<Span> {
    let (last, name, country) = dotted_form(tokens, text, i)?;
    let after_comma = tokens[i].byte_start() > 0
        && text
            .get(..tokens[i].byte_start())
            .is_some_and(|before| before.trim_end().ends_with(','));
    // single-word state abbreviations are words too ("Del.", "Miss."): only after a comma
    if last == i && !country && !after_comma {
        return None;
    }
    let mut span = abbreviation_span(i, last, name, country, gazetteer);
    // "U.S. Secretary of State", "U.S. Army": as for "US Secretary"
    let opens_title = tokens.get(last + 1).is_some_and(|next| {
        next.case == Case::Title
            && next.is(WordFacts::ORGANISATION)
            && text.get(tokens[last].byte_end()..next.byte_start()) == Some(". ")
    });
    if opens_title {
        span.reasons.push("inside_organisation_or_title".into());
    }
    Some(span)
}

/// The dotted abbreviation starting at token `i`, if it is one: its last
/// token, the name it stands for, and whether that is a country.
fn dotted_form(tokens: &[Token<'_>], text: &str, i: usize) -> Option<(usize, &'static str, bool)> {
    let followed_by_stop = |k: usize| {
        text.get(tokens[k].byte_end()..)
            .is_some_and(|rest| rest.starts_with('.'))
    };
    if !followed_by_stop(i) || tokens[i].text.chars().count() > 5 {
        return None;
    }
    let mut last = i;
    // kept inline: most words before a stop are no abbreviation
    let mut written = CompactString::default();
    written.push_str(tokens[i].key());
    written.push('.');
    while let Some(next) = tokens.get(last + 1) {
        let adjacent = next.byte_start() == tokens[last].byte_end() + 1;
        if !adjacent || next.text.chars().count() > 3 || !followed_by_stop(last + 1) {
            break;
        }
        last += 1;
        written.push_str(next.key());
        written.push('.');
    }
    let &(name, country) = dotted_forms().get(written.as_str())?;
    Some((last, name, country))
}

/// [`DOTTED_ABBREVIATIONS`] by their written form, for one probe per
/// word before a stop instead of a scan of the list.
fn dotted_forms() -> &'static foldhash::HashMap<&'static str, (&'static str, bool)> {
    static FORMS: std::sync::OnceLock<foldhash::HashMap<&'static str, (&'static str, bool)>> =
        std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        let mut forms = foldhash::HashMap::default();
        for &(form, name, country) in DOTTED_ABBREVIATIONS {
            // the first of a form listed twice wins, as the scan's did
            forms.entry(form).or_insert((name, country));
        }
        forms
    })
}

/// The span of an abbreviation of a country or a US state.
fn abbreviation_span(first: usize, last: usize, name: &str, country: bool, gazetteer: &Gazetteer) -> Span {
    let postings = area_postings(gazetteer, name, |place| {
        if country {
            place.kind.is_country()
        } else {
            place.country == "US" && place.kind.is_admin_division()
        }
    });
    Span {
        // the stop after the last letter is the abbreviation's own
        trailing_stop: true,
        ..Span::of_words(first, last, postings, None, vec!["abbreviation".into()])
    }
}

/// Decides whether a gazetteer match is a place mention, adding the cues
/// found around it. Returns false for persons, common words and the like.
fn judge(
    tokens: &[Token<'_>],
    text: &str,
    span: &mut Span,
    postings: &[Posting],
    gazetteer: &Gazetteer,
    people: &foldhash::HashSet<String>,
    words: &mut WordLookup<'_>,
) -> bool {
    let first = &tokens[span.first];
    let single = span.first == span.last;
    // titles and their abbreviations are never places on their own ("Mr", "St", "Rep")
    if single && (first.is(WordFacts::TITLE) || matches!(first.key(), "mrs" | "ms" | "sr" | "jr" | "co" | "inc")) {
        return false;
    }
    // "the White House" is the American presidency, not Casablanca
    if names_an_institution(&tokens[span.first..=span.last]) {
        return false;
    }
    // "the Tartar Central District Hospital": common words inside an
    // organisation's name, after the place that names it, are part of the
    // name ("Central District" is also a province of Israel)
    let inside_name = span
        .first
        .checked_sub(1)
        .is_some_and(|p| matches!(tokens[p].case, Case::Title | Case::Upper) && tokens[p].gap_after == Gap::Space)
        && tokens[span.last].gap_after == Gap::Space
        && tokens
            .get(span.last + 1)
            .is_some_and(|n| n.case == Case::Title && n.is(WordFacts::ORGANISATION));
    if !single
        && inside_name
        && tokens[span.first..=span.last]
            .iter()
            .all(|t| t.is(WordFacts::DICTIONARY_WORD.or(WordFacts::PLACE_LIKE_WORD)))
    {
        return false;
    }
    // a word for a kind of place is no place on its own, even where a
    // gazetteer lists it as some place's other name: "the Garabagh
    // Economic Region", "the Southern District", "at the Crossing"
    if single && kind_cue_after(first.key()).is_some() {
        return false;
    }
    // people the text has already named, unless the text plainly puts the
    // word on the map: "Armen Sotk said ... the village of Sotk", "Foreign
    // Minister Ararat Mirzoyan ... a school in Ararat"
    if single && first.case == Case::Title && people.contains(first.key()) && !plainly_placed(tokens, span.first) {
        return false;
    }
    // "Hughes said" (but "residents of Shushi said", and "in Khankendi and
    // Agdam said", are places, and so are "Azerbaijan said" and "Baku
    // said": a country or a capital speaking is its government)
    if single
        && !placed_by_preposition(tokens, span.first)
        && first.case == Case::Title
        && tokens[span.last].gap_after == Gap::Space
        && tokens.get(span.last + 1).is_some_and(|n| n.is(WordFacts::SPEECH_VERB))
        && !names_country_or_capital(gazetteer, postings)
        && !owned_by_region(tokens, span.first, gazetteer, words)
        && !speaks_for_major_place(first, gazetteer, postings)
    {
        return false;
    }
    // contractions and two-letter words that are not known abbreviations ("I'm" -> "im")
    if single && first.key().chars().count() <= 2 && first.case != Case::Upper {
        return false;
    }
    let surface_upper = tokens[span.first..=span.last]
        .iter()
        .all(|t| matches!(t.case, Case::Upper));

    // Short all-capital words: only known abbreviations written that way.
    if single && first.case == Case::Upper && first.text.chars().count() <= 3 {
        let part_of_code = first.gap_after == Gap::Hyphen;
        // "APA.AZ", "Caliber.AZ": a country code ending a web address
        let part_of_domain = span.first.checked_sub(1).is_some_and(|p| {
            let before = &tokens[p];
            before.text.chars().count() >= 3 && text.get(before.byte_end()..first.byte_start()) == Some(".")
        });
        if part_of_code
            || part_of_domain
            || is_abbreviation_stop(first.text)
            || !known_abbreviation(gazetteer, postings, first.text)
        {
            return false;
        }
        span.reasons.push("abbreviation".into());
    }
    // One- or two-letter words are never names on their own.
    if single && first.text.chars().count() <= 1 {
        return false;
    }
    // a headline in capitals ("ARMENIA MARKS REMEMBRANCE DAY"): a common
    // word in it is the word, unless it names a major place ("TURKEY")
    let in_capitals = |k: Option<usize>| k.and_then(|k| tokens.get(k)).is_some_and(|t| t.case == Case::Upper);
    if single
        && first.case == Case::Upper
        && (in_capitals(span.first.checked_sub(1)) || in_capitals(Some(span.last + 1)))
        && first.is(WordFacts::DICTIONARY_WORD.or(WordFacts::PLACE_LIKE_WORD))
        && !names_major_place_in_headline(gazetteer, postings)
    {
        return false;
    }
    // a headline in title case ("Mountains, Rivers and Corridors", "Both
    // Sides Trade Blame") likewise
    if single
        && first.case == Case::Title
        && first.is(WordFacts::DICTIONARY_WORD)
        && in_title_case_line(tokens, text, span.first)
        && !names_major_place_in_headline(gazetteer, postings)
    {
        return false;
    }
    let previous = span.first.checked_sub(1).map(|p| &tokens[p]);
    let joined_to_previous = previous.is_some_and(|p| p.gap_after == Gap::Space && !p.possessive);
    let previous_key = previous.map(|p| p.key()).unwrap_or("");

    // People: "Charles Michel", "President Aliyev", "Mr Lavrov".
    if joined_to_previous {
        let p = previous.map(|p| p.case);
        if matches!(p, Some(Case::Title))
            && previous.is_some_and(|t| t.is(WordFacts::TITLE) || is_person_given_name(t, gazetteer, words))
        {
            return false;
        }
        if matches!(p, Some(Case::Lower))
            && previous.is_some_and(|t| t.is(WordFacts::TITLE))
            && single
            && first.case == Case::Title
        {
            // "adviser Bono", "minister Lavrov"
            let named_like_place = kind_cue_before(&lower_words(tokens, span.first)).is_some();
            if !named_like_place {
                return false;
            }
        }
    }
    // A person's given name followed by a surname: "Luis Bono" (Bono is a town).
    let next = tokens.get(span.last + 1);
    let joined_to_next = tokens[span.last].gap_after == Gap::Space && !tokens[span.last].possessive;
    // "South Ossetia", "North Ossetia": a compass word before a name the
    // gazetteer does not know with it is the start of that name, not a
    // province called "South" somewhere else
    if single
        && joined_to_next
        && matches!(first.key(), "north" | "south" | "east" | "west" | "central")
        && next.is_some_and(|n| matches!(n.case, Case::Title | Case::Upper) && kind_cue_after(n.key()).is_none())
    {
        return false;
    }
    // "Marina Grigoryan", "Leyla Aliyeva", "Sevan Nishanyan": before a
    // surname of the region's forms, a single capitalised word is a given
    // name even where it is also a word or a town ("the Karabakh Armenian
    // leaders": a demonym is not a surname)
    if single
        && joined_to_next
        && first.case == Case::Title
        && next.is_some_and(|n| looks_like_surname(n) && demonym_place(n.key()).is_none())
    {
        return false;
    }
    if single && joined_to_next && is_person_given_name(first, gazetteer, words) {
        if let Some(n) = next {
            if n.case == Case::Title && !n.is(WordFacts::ORGANISATION) && kind_cue_after(n.key()).is_none() {
                return false;
            }
        }
    }

    // Common words capitalised at the start of a sentence, and capitalised
    // common words that only look like names ("Police", "Mission").
    if single && first.case == Case::Title && first.is(WordFacts::PLACE_LIKE_WORD) {
        let locative = previous.is_some_and(|p| p.is(WordFacts::LOCATIVE)) && !first.sentence_start;
        if !locative {
            return false;
        }
    }

    // Dates: "Thursday", "August".
    if single && first.is(WordFacts::CALENDAR) {
        return false;
    }
    // Contractions: "I'll", "I've".
    if single && is_contraction(first.text) {
        return false;
    }
    // (a look at every posting's place: asked only when a rule needs it,
    // and for a lone capitalised word, whose postings are the ones written
    // alike, once per word of the text)
    let major = |words: &mut WordLookup<'_>| {
        if single && first.case == Case::Title {
            words.alike_names_major_place(
                first,
                |exact| written_alike(exact, &tokens[span.first..=span.first]),
                |postings| names_major_place(gazetteer, postings),
            )
        } else {
            names_major_place(gazetteer, postings)
        }
    };
    // "The city" is not a name; "The Hague" is, but not "The City" of a
    // small town that GeoNames records by that nickname.
    if first.key() == "the"
        && (tokens.get(span.first + 1).is_some_and(|t| t.case == Case::Lower)
            || (tokens[span.first + 1..=span.last]
                .iter()
                .all(|t| t.is(WordFacts::DICTIONARY_WORD))
                && !major(words)))
    {
        return false;
    }
    // A town's name in front of a street word names the street: "Marystown Road".
    // (In the curated area a road is named after the town it leads to.)
    let curated = || {
        postings.iter().any(|p| {
            gazetteer
                .resolve_posting(*p)
                .is_some_and(|(place, _)| gazetteer.in_area_of_interest(place))
        })
    };
    if joined_to_next && next.is_some_and(|n| n.case != Case::Lower && n.is(WordFacts::STREET)) && !curated() {
        return false;
    }
    // "Kirov street in Stepanakert": in lower case too, these words name a
    // street of the town the text is in, not the town ("the Lachin road" is
    // a route, and "a Baku court" is in Baku: those words stay out)
    if joined_to_next && next.is_some_and(|n| matches!(n.key(), "street" | "avenue" | "boulevard" | "lane")) {
        return false;
    }
    // A bare capitalised word that is also a frequent surname, a given name
    // or an ordinary English word ("Martin said", "residents like Aram",
    // "Thunder Snow") is a place only when the text puts it somewhere ("in
    // Martin") or the place is a major one.
    let placed = placed_by_preposition(tokens, span.first)
        || kind_cue_before(&lower_words(tokens, span.first)).is_some()
        || (joined_to_next && next.is_some_and(|n| kind_cue_after(n.key()).is_some()));
    if single
        && first.case == Case::Title
        && !placed
        && first.is(WordFacts::COMMON_SURNAME
            .or(WordFacts::DICTIONARY_WORD)
            .or(WordFacts::GIVEN_NAME))
        && !major(words)
    {
        return false;
    }

    // A place: the span keeps its postings.
    span.postings = postings.to_vec();

    // Cues around the name.
    if let Some(cue) = kind_cue_before(&lower_words(tokens, span.first)) {
        span.cue = Some(cue);
        span.reasons.push(tagged("cue_before", cue.as_str()));
    }
    if joined_to_next {
        if let Some(n) = next {
            // "the Lachin humanitarian corridor": the route word after an adjective
            let (cue_word, words_after) = match tokens.get(span.last + 2) {
                Some(route)
                    if n.case == Case::Lower
                        && n.gap_after == Gap::Space
                        && ROUTE_ADJECTIVES.contains(&n.key())
                        && route.case == Case::Lower
                        && kind_cue_after(route.key()) == Some(KindCue::Route) =>
                {
                    (route, 2)
                }
                _ => (n, 1),
            };
            if let Some(cue) = kind_cue_after(cue_word.key()) {
                if cue_word.case == Case::Lower {
                    span.cue = Some(cue);
                    span.reasons.push(tagged("cue_after", cue.as_str()));
                    if cue == KindCue::Route {
                        take_route_named_otherwise(gazetteer, span, cue_word.key(), words_after);
                    }
                    // (not "border", which follows a country's name far more
                    // often than a crossing's, nor the words the gazetteer's
                    // crossings are named with)
                    if cue_word.key() == "crossing" {
                        take_crossing_named_otherwise(gazetteer, span);
                    }
                }
            }
            if matches!(n.case, Case::Title | Case::Upper) && n.is(WordFacts::ORGANISATION) {
                span.reasons.push("inside_organisation_or_title".into());
            }
        }
    }
    if span.cue.is_none() {
        if let Some(cue) = cue_in_apposition(tokens, span.last) {
            span.cue = Some(cue);
            span.reasons.push(tagged("cue_apposition", cue.as_str()));
        }
    }
    if (previous.is_some_and(|p| p.case == Case::Title && p.is(WordFacts::ORGANISATION)) && joined_to_previous)
        || ends_organisation_name(tokens, span.first)
    {
        span.reasons.push("inside_organisation_or_title".into());
    }
    if previous.is_some_and(|p| p.is(WordFacts::LOCATIVE)) {
        span.reasons.push(tagged("preposition", previous_key));
    }
    if first.possessive || tokens[span.last].possessive {
        span.reasons.push("possessive".into());
    }
    if surface_upper && first.text.chars().count() > 3 && in_leading_capitals(tokens, span.first) {
        span.reasons.push("dateline".into());
    }
    true
}

/// Is word `i` after a preposition that places it ("in Martin"), alone or
/// as the second of a pair ("in Khankendi and Agdam")? "of" only counts when
/// it does not join two parts of a name ("Chamber of Commerce").
fn placed_by_preposition(tokens: &[Token<'_>], i: usize) -> bool {
    if directly_after_preposition(tokens, i) {
        return true;
    }
    // "<preposition> Name [Name...] and|or <i>": walk back over the first name
    let Some(conjunction) = i.checked_sub(1) else {
        return false;
    };
    if !matches!(tokens[conjunction].key(), "and" | "or") || tokens[conjunction].gap_after != Gap::Space {
        return false;
    }
    // ... and over a list's earlier members, names of up to four words:
    // "from Askeran, Hadrut and <i>"
    let mut first_of_list = conjunction;
    let mut member_words = 0;
    for _ in 0..12 {
        let Some(k) = first_of_list.checked_sub(1) else {
            break;
        };
        let comma = separated_by_comma(tokens, k);
        let joined = (tokens[k].gap_after == Gap::Space && !tokens[k].possessive) || comma;
        member_words = if comma { 1 } else { member_words + 1 };
        if !joined || member_words > 4 || !matches!(tokens[k].case, Case::Title | Case::Upper) {
            break;
        }
        first_of_list = k;
    }
    first_of_list < conjunction && directly_after_preposition(tokens, first_of_list)
}

/// Does the text plainly say word `i` is a place, whatever else the word
/// names in it: a kind of place before it ("the village of", "the town"),
/// a preposition of position ("in", "near", "outside"), or "residents of"?
fn plainly_placed(tokens: &[Token<'_>], i: usize) -> bool {
    if kind_cue_before(&lower_words(tokens, i)).is_some() {
        return true;
    }
    let before = |back: usize| {
        i.checked_sub(back)
            .map(|k| &tokens[k])
            .filter(|t| t.gap_after == Gap::Space && !t.possessive)
            .map_or("", |t| t.key())
    };
    match before(1) {
        "in" | "near" | "outside" | "inside" | "around" => true,
        "of" => matches!(
            before(2),
            "residents" | "inhabitants" | "outskirts" | "centre" | "center"
        ),
        _ => false,
    }
}

/// Is word `k` followed by a comma (or semicolon) and a space, within the
/// sentence, as a list's members are?
fn separated_by_comma(tokens: &[Token<'_>], k: usize) -> bool {
    tokens[k].gap_after == Gap::Break
        && tokens
            .get(k + 1)
            .is_some_and(|next| !next.sentence_start && next.byte_start() - tokens[k].byte_end() == 2)
}

/// [`placed_by_preposition`] without pairs.
fn directly_after_preposition(tokens: &[Token<'_>], i: usize) -> bool {
    let Some(previous) = i.checked_sub(1).map(|p| &tokens[p]) else {
        return false;
    };
    if !previous.is(WordFacts::LOCATIVE) || previous.gap_after != Gap::Space {
        return false;
    }
    if previous.key() == "of" {
        let before = i.checked_sub(2).map(|p| &tokens[p]);
        return !before.is_some_and(|b| {
            b.gap_after == Gap::Space
                && b.case == Case::Title
                // a common word is capitalised at a sentence's start anyway:
                // "Residents of Shushi", unlike "Chamber of Commerce"
                && (b.is(WordFacts::ORGANISATION) || (b.is(WordFacts::DICTIONARY_WORD) && !b.sentence_start))
        });
    }
    true
}

/// "I'll", "we've", "they're": a word with a contracted ending.
pub(super) fn is_contraction(word: &str) -> bool {
    word.rfind(['\'', '’']).is_some_and(|at| {
        let ending = &word[at..].trim_start_matches(['\'', '’']);
        matches!(*ending, "ll" | "ve" | "re" | "d" | "m" | "t")
    })
}

/// Is word `i` part of the all-capital run that opens its sentence (a
/// dateline: "STEPANAKERT —", "MOSCOW/STEPANAKERT, 6 March")?
fn in_leading_capitals(tokens: &[Token<'_>], i: usize) -> bool {
    let mut k = i;
    let opening = loop {
        if tokens[k].case != Case::Upper {
            return false;
        }
        if tokens[k].sentence_start {
            break k;
        }
        match k.checked_sub(1) {
            Some(previous) => k = previous,
            None => break k,
        }
    };
    // a headline in capitals ("ARMENIA CLOSES BORDER CROSSING NEAR SOTK") is
    // no dateline: a dateline's capitals stop within a few words
    let run = tokens[opening..]
        .iter()
        .take_while(|t| t.case == Case::Upper || t.case == Case::Other)
        .count();
    run <= MAX_DATELINE_CAPITALS
}

/// Is word `i` on a line written as a headline in title case: a short line
/// whose every word of four letters or more is capitalised, four of them
/// at least, and no full stop inside?
fn in_title_case_line(tokens: &[Token<'_>], text: &str, i: usize) -> bool {
    let at = tokens[i].byte_start();
    let counts = |t: &Token<'_>| t.text.chars().count() >= 4 && t.text.chars().next().is_some_and(char::is_alphabetic);
    // prose, nearly always, is told by the next word that counts: in lower
    // case on the same line
    let next_counted = tokens.iter().skip(i + 1).take(8).find(|t| counts(t));
    if let Some(next) = next_counted {
        if !matches!(next.case, Case::Title | Case::Upper)
            && text
                .get(at..next.byte_start())
                .is_some_and(|between| !between.contains('\n'))
        {
            return false;
        }
    }
    // the line's ends are looked for no further than a headline reaches:
    // a word in a paragraph of prose costs no walk to the paragraph's ends
    let bytes = text.as_bytes();
    let from = at.saturating_sub(MAX_HEADLINE_BYTES + 1);
    let line_start = match bytes.get(from..at).and_then(|b| memchr::memrchr(b'\n', b)) {
        Some(n) => from + n + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let to = (at + MAX_HEADLINE_BYTES + 1).min(text.len());
    let line_end = match bytes.get(at..to).and_then(|b| memchr::memchr(b'\n', b)) {
        Some(n) => at + n,
        None if to == text.len() => text.len(),
        None => return false,
    };
    let line = text.get(line_start..line_end).unwrap_or("");
    if line.len() > MAX_HEADLINE_BYTES || line.trim_end().trim_end_matches(['.', '!', '?']).contains(". ") {
        return false;
    }
    let first = (0..=i)
        .rev()
        .take_while(|&j| tokens[j].byte_start() >= line_start)
        .last()
        .unwrap_or(i);
    let long_words = tokens[first..]
        .iter()
        .take_while(|t| t.byte_start() < line_end)
        .filter(|t| counts(t));
    let mut count = 0;
    for word in long_words {
        if !matches!(word.case, Case::Title | Case::Upper) {
            return false;
        }
        count += 1;
    }
    count >= 4
}

/// Longest line taken for a headline, in bytes.
const MAX_HEADLINE_BYTES: usize = 160;

/// Most words in capitals a dateline opens with ("YEREVAN/BAKU, March 3").
const MAX_DATELINE_CAPITALS: usize = 4;

/// "Khankendi (Stepanakert)": two names of one place. Each span learns the
/// other's postings so resolution can pick their common place. A village
/// the gazetteer lacks keeps its own (lack of) place when the parentheses
/// name a division or its seat: "Dovlatyarli (Fuzuli)" says where the
/// village lies, not that it is Fuzuli.
fn link_parenthetical_aliases(tokens: &[Token<'_>], gazetteer: &Gazetteer, spans: &mut [Span]) {
    let names_division = |postings: &[Posting]| {
        postings.iter().any(|p| {
            gazetteer.resolve_posting(*p).is_some_and(|(place, _)| {
                place.kind.is_admin_division() || place.kind.is_division_seat() || place.kind.is_country()
            })
        })
    };
    for k in 1..spans.len() {
        if !is_alias_of_previous(tokens, spans, k) {
            continue;
        }
        let (before, after) = spans.split_at_mut(k);
        let outer = &mut before[k - 1];
        let inner = &mut after[0];
        let common: Vec<Posting> = outer
            .postings
            .iter()
            .filter(|p| inner.postings.iter().any(|q| q.place == p.place))
            .copied()
            .collect();
        if !common.is_empty() {
            outer.postings = common.clone();
            inner.postings = common;
            outer.reasons.push("parenthetical_alias".into());
            inner.reasons.push("parenthetical_alias".into());
        } else if inner.postings.is_empty() {
            inner.postings = outer.postings.clone();
            inner.reasons.push("parenthetical_alias".into());
        } else if outer.postings.is_empty() && !names_division(&inner.postings) {
            outer.postings = inner.postings.clone();
            outer.reasons.push("parenthetical_alias".into());
        }
    }
}

/// Is span `k` the alias in parentheses of span `k - 1` ("Kalbajar
/// (Karvachar)")?
fn is_alias_of_previous(tokens: &[Token<'_>], spans: &[Span], k: usize) -> bool {
    k > 0 && spans[k].first == spans[k - 1].last + 1 && tokens[spans[k - 1].last].gap_after == Gap::OpenParen
}

/// "the Kalbajar (Karvachar) district": a kind word after the closing
/// parenthesis is said of both names; a plural one ("the Kalbajar
/// (Karvachar) and Aghdara (Martakert) districts") of the names listed
/// before them too, with their own aliases.
fn share_cue_after_parenthesis(tokens: &[Token<'_>], text: &str, spans: &mut [Span]) {
    let between = |a: usize, b: usize| text.get(tokens[a].byte_end()..tokens[b].byte_start()).map(str::trim);
    fn give(span: &mut Span, cue: KindCue, reason: &'static str) {
        if span.cue.is_none() {
            span.cue = Some(cue);
            span.reasons.push(tagged(reason, cue.as_str()));
        }
    }
    for k in 1..spans.len() {
        if !is_alias_of_previous(tokens, spans, k) {
            continue;
        }
        let last = spans[k].last;
        let Some(next) = tokens.get(last + 1).filter(|t| t.case == Case::Lower) else {
            continue;
        };
        let Some(cue) = kind_cue_after(next.key()).filter(|c| matches!(c, KindCue::Division | KindCue::Settlement))
        else {
            continue;
        };
        if between(last, last + 1) != Some(")") {
            continue;
        }
        give(&mut spans[k - 1], cue, "cue_after");
        give(&mut spans[k], cue, "cue_after");
        if !next.key().ends_with('s') {
            continue;
        }
        // back along the list: "X (Y) and", "X, "
        let mut member = k - 1;
        while member > 0 {
            let (left_last, right_first) = (spans[member - 1].last, spans[member].first);
            let separated = match right_first.checked_sub(left_last) {
                Some(1) => matches!(between(left_last, right_first), Some("," | "),")),
                Some(2) => {
                    matches!(tokens[left_last + 1].key(), "and" | "or")
                        && matches!(between(left_last, left_last + 1), Some("" | "," | ")" | "),"))
                }
                _ => false,
            };
            if !separated {
                break;
            }
            member -= 1;
            give(&mut spans[member], cue, "cue_of_list");
            if is_alias_of_previous(tokens, spans, member) {
                member -= 1;
                give(&mut spans[member], cue, "cue_of_list");
            }
        }
    }
}

/// A span given from outside (a gold annotation), over the words touching
/// bytes `start..end`, looked up as one name.
pub fn given_span(tokens: &[Token<'_>], text: &str, start: usize, end: usize, gazetteer: &Gazetteer) -> Option<Span> {
    let first = tokens.iter().position(|t| t.byte_end() > start)?;
    let last = tokens.iter().rposition(|t| t.byte_start() < end)?;
    if last < first {
        return None;
    }
    // The annotator has said it is a place: an abbreviation ("W.Va.") or a
    // demonym ("Georgian") stands for its place without the cues the
    // recogniser needs to tell them from words.
    let mut span = if let Some((_, name, country)) = dotted_form(tokens, text, first).filter(|f| f.0 == last) {
        abbreviation_span(first, last, name, country, gazetteer)
    } else if let Some((_, name)) = demonym_at(tokens, first).filter(|d| d.0 == last) {
        Span::of_words(
            first,
            last,
            area_postings(gazetteer, name, |_| true),
            None,
            vec!["demonym".into()],
        )
    } else {
        let mut words: Vec<&str> = tokens[first..=last].iter().map(|t| t.key()).collect();
        let mut postings = gazetteer.index().exact(&words.join(" ")).to_vec();
        if postings.is_empty() && words.len() > 1 && words[0] == "the" {
            words.remove(0);
            postings = gazetteer.index().exact(&words.join(" ")).to_vec();
        }
        let cue = kind_cue_before(&lower_words(tokens, first));
        // "Khankendi-Khalfali-Turshsu" after "the dirt road": the route
        // through its parts, as recognition would make it
        let route = (postings.is_empty() && last > first)
            .then(|| super::route::compound_route(tokens, first, gazetteer))
            .flatten()
            .filter(|route| route.first == first && route.last == last);
        match route {
            Some(route) => route,
            None => Span::of_words(first, last, postings, cue, Vec::new()),
        }
    };
    span.reasons.insert(0, "given_span".into());
    Some(span)
}

/// True for route words ("road", "highway").
pub fn is_route_word(key: &str) -> bool {
    ROUTE_WORDS.contains(&key)
}
