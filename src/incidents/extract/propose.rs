//! From an article to draft incidents: find the sentences that describe
//! events, group them by the day they describe, and read each group's type,
//! place, actors, casualties and time, keeping the span each came from.

use chrono::{Duration, NaiveDate};

use super::actors::actors_in;
use super::casualties::find_casualties;
use super::dates::{find_dates, find_time_of_day, FoundDate};
use super::event_type::{classify, contains_phrase, EventTypeGuess};
use super::sentences::{split_sentences, Sentence};
use crate::gazetteer::haversine_m;
use crate::geoparse::Mention;
use crate::incidents::{CasualtyClaim, Evidence, Location, ProposedIncident};

/// Events older than this before publication are background, not news
/// (a follow-up report may come months after the event).
const BACKGROUND_DAYS: i64 = 180;

struct EventSentence {
    sentence: Sentence,
    guess: Option<EventTypeGuess>,
    /// Byte position (in the text) of the cue that made it an event sentence.
    cue_at: usize,
    date: Option<(FoundDate, usize)>,
}

fn char_index(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

fn evidence(text: &str, start: usize, end: usize) -> Evidence {
    Evidence {
        start: char_index(text, start),
        end: char_index(text, end),
        quote: text[start..end].to_string(),
    }
}

/// Where in a lower-cased sentence an event is named: a type cue, a casualty
/// figure or the word "incident".
fn event_cue(lower: &str, guess: &Option<EventTypeGuess>) -> Option<usize> {
    if let Some(g) = guess {
        return lower.find(g.cue);
    }
    if let Some(c) = find_casualties(lower).first() {
        return Some(c.byte_start);
    }
    ["incident", "attack", "attacked"]
        .iter()
        .filter(|w| contains_phrase(lower, w))
        .find_map(|w| lower.find(w))
}

/// Is the date at `at` the day a statement was made ("said on Monday") or
/// the dateline of the report ("YEREVAN, 23 December 2023 - ...")?
fn is_reporting_date(sentence: &str, at: usize) -> bool {
    let lower = sentence.to_lowercase();
    let at = at.min(lower.len());
    let start = lower.floor_char_boundary(at.saturating_sub(24));
    let before = &lower[start..at];
    let said = [
        "said",
        "reported",
        "announced",
        "told",
        "stated",
        "added",
        "wrote",
        "declared",
    ]
    .iter()
    .any(|verb| before.contains(verb));
    said || is_dateline(&sentence[..sentence.floor_char_boundary(at)])
}

/// Is the date at `at` attached to a noun ("the offensive of 19-20
/// September", "the statement of 10 November") rather than to the sentence's
/// own event?
fn names_another_event(sentence: &str, at: usize) -> bool {
    let before = &sentence[..sentence.floor_char_boundary(at)];
    // the start of a range ("of 19-20 September") is part of the date
    before
        .trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '–' | '—'))
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|word| word.eq_ignore_ascii_case("of"))
}

/// Text before a date that is only a dateline place: "STEPANAKERT, ".
fn is_dateline(before: &str) -> bool {
    let head = before.trim_end().trim_end_matches(',').trim();
    !head.is_empty()
        && head.split_whitespace().count() <= 3
        && head.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        && head.chars().any(char::is_alphabetic)
}

/// Draft incidents described by `text`, published on `published`.
pub fn propose_incidents(text: &str, published: NaiveDate, mentions: &[Mention]) -> Vec<ProposedIncident> {
    let sentences = split_sentences(text);
    let mut events: Vec<EventSentence> = Vec::new();
    let mut recent_dates: Vec<(usize, NaiveDate)> = Vec::new();
    for (k, sentence) in sentences.iter().enumerate() {
        let body = sentence.text(text);
        // relative dates count from the latest date the text gave just before
        let anchor = recent_dates
            .iter()
            .rev()
            .find(|(at, d)| k - at <= 3 && *d <= published)
            .map_or(published, |(_, d)| *d);
        let dates: Vec<FoundDate> = find_dates(body, anchor, published)
            .into_iter()
            .filter(|d| d.start <= published)
            .collect();
        let lower = body.to_lowercase();
        let guess = classify(body);
        let cue = event_cue(&lower, &guess);
        // a day named in a sentence about a statement (or a dateline, or
        // "said on Monday") is when later relative dates are counted from;
        // a day in an event sentence is the event's, not the speaker's
        let anchoring = dates
            .iter()
            .filter(|d| cue.is_none() || is_reporting_date(body, d.byte_start))
            .max_by_key(|d| d.byte_start);
        if let Some(day) = anchoring {
            recent_dates.push((k, day.start));
        }
        let Some(cue) = cue else {
            continue;
        };
        // the date nearest the event cue, not counting the day something was
        // said ("officials said on Monday") or the date of another event
        // named in passing ("after the offensive of 19-20 September")
        let date = dates
            .iter()
            .filter(|d| !is_reporting_date(body, d.byte_start) && !names_another_event(body, d.byte_start))
            .min_by_key(|d| d.byte_start.abs_diff(cue))
            .map(|d| (*d, k));
        events.push(EventSentence {
            sentence: *sentence,
            guess,
            cue_at: sentence.byte_start + cue,
            date,
        });
    }
    // "the same day" in a later paragraph points back to the article's lead
    // event, not to whatever background date was named just before
    let lead_date = events.iter().find_map(|e| e.date);
    for event in events.iter_mut() {
        if event.date.is_none() && refers_to_lead_day(event.sentence.text(text)) {
            event.date = lead_date;
        }
    }
    // sentences without a date of their own belong to the event just before
    let mut last_dated: Option<(FoundDate, usize)> = None;
    let mut sentence_ix = 0usize;
    for event in events.iter_mut() {
        while sentence_ix < sentences.len() && sentences[sentence_ix] != event.sentence {
            sentence_ix += 1;
        }
        match event.date {
            Some(d) => last_dated = Some((d.0, sentence_ix)),
            None => {
                if let Some((d, at)) = last_dated {
                    if sentence_ix - at <= 2 {
                        event.date = Some((d, at));
                    }
                }
            }
        }
    }
    let mut days: Vec<NaiveDate> = events.iter().filter_map(|e| e.date.map(|d| d.0.start)).collect();
    days.sort();
    days.dedup();
    days.retain(|d| *d >= published - Duration::days(BACKGROUND_DAYS));
    let mut proposals = Vec::new();
    for day in days {
        let same_day: Vec<&EventSentence> = events
            .iter()
            .filter(|e| e.date.is_some_and(|d| d.0.start == day))
            .collect();
        for group in split_by_place(text, &same_day, mentions) {
            if let Some(p) = proposal_for_group(text, &sentences, &group, mentions) {
                proposals.push(p);
            }
        }
    }
    proposals
}

/// Does the sentence place itself on the day of the story's main event?
fn refers_to_lead_day(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "the same day",
        "that same day",
        "on the same day",
        "earlier that day",
        "later that day",
    ]
    .iter()
    .any(|phrase| lower.contains(phrase))
}

/// Events of one day farther apart than this are separate incidents.
const SAME_PLACE_M: f64 = 25_000.0;

/// The settlement (or checkpoint, bridge) a sentence itself names, as a point.
fn own_place(text: &str, sentence: &Sentence, mentions: &[Mention]) -> Option<geo::Point<f64>> {
    mentions
        .iter()
        .filter(|m| m.byte_start >= sentence.byte_start && m.byte_end <= sentence.byte_end)
        .filter(|m| is_event_place(text, m))
        .filter_map(|m| m.place.as_ref())
        .find(|p| specificity(&p.summary.kind) == 0)
        .map(|p| geo::Point::new(p.summary.lon, p.summary.lat))
}

/// Words before a capital that make it the place of an event, not its
/// government ("in Baku", but "Baku denied", "which Yerevan rejected").
const LOCATIVE: &[&str] = &["in", "near", "at", "outside", "of", "from", "to", "into", "around"];

/// Can this mention be where an event happened? Not a place inside an
/// organisation's name or a title, not a dateline, and not a capital used for
/// its government.
fn is_event_place(text: &str, mention: &Mention) -> bool {
    if mention
        .reason
        .iter()
        .any(|r| r == "inside_organisation_or_title" || r == "dateline")
    {
        return false;
    }
    let capital = mention.place.as_ref().is_some_and(|p| p.summary.kind == "P.PPLC");
    if !capital {
        return true;
    }
    let before = &text[..mention.byte_start];
    let previous_word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    LOCATIVE.contains(&previous_word.as_str())
}

/// Splits one day's event sentences into incidents by place: a sentence
/// naming a settlement more than [`SAME_PLACE_M`] from every incident so far
/// starts a new one ("the same day, a soldier was killed near Sotk" is not
/// the checkpoint at the Hakari bridge); a sentence naming none belongs to
/// the incident before it.
fn split_by_place<'a>(text: &str, same_day: &[&'a EventSentence], mentions: &[Mention]) -> Vec<Vec<&'a EventSentence>> {
    let mut groups: Vec<(Option<geo::Point<f64>>, Vec<&'a EventSentence>)> = Vec::new();
    for event in same_day {
        let place = own_place(text, &event.sentence, mentions);
        let home = match place {
            Some(point) => groups.iter().position(|(at, _)| match at {
                Some(at) => haversine_m(*at, point) <= SAME_PLACE_M,
                None => true,
            }),
            None => groups.len().checked_sub(1),
        };
        match home {
            Some(i) => {
                let group = &mut groups[i];
                if group.0.is_none() {
                    group.0 = place;
                }
                group.1.push(event);
            }
            None => groups.push((place, vec![event])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

fn proposal_for_group(
    text: &str,
    sentences: &[Sentence],
    group: &[&EventSentence],
    mentions: &[Mention],
) -> Option<ProposedIncident> {
    let main = group.iter().filter(|e| e.guess.is_some()).max_by_key(|e| {
        (
            e.guess.as_ref().map_or(0, |g| g.strength),
            std::cmp::Reverse(e.sentence.byte_start),
        )
    })?;
    let guess = main.guess.as_ref()?;
    let (date, owner) = group
        .iter()
        .filter_map(|e| e.date)
        .find(|(d, _)| d.explicit)
        .or(main.date)?;
    let mut field_evidence = Vec::new();
    // the sentence that names the date, which may precede the group's own
    let date_owner = sentences.get(owner).copied().unwrap_or(main.sentence);
    field_evidence.push((
        "event_date".to_string(),
        evidence(
            text,
            date_owner.byte_start + date.byte_start,
            date_owner.byte_start + date.byte_end,
        ),
    ));
    field_evidence.push((
        "event_type".to_string(),
        evidence(text, main.sentence.byte_start, main.sentence.byte_end),
    ));

    // actors: around the main cue
    let main_text = main.sentence.text(text).to_lowercase();
    let cue_in_main = main.cue_at - main.sentence.byte_start;
    let actors = actors_in(&main_text);
    let actor1 = actors
        .iter()
        .filter(|(at, _)| *at < cue_in_main)
        .map(|(_, a)| *a)
        .next_back();
    let actor2 = actors
        .iter()
        .filter(|(at, _)| *at > cue_in_main)
        .map(|(_, a)| *a)
        .next();
    let actor1 = actor1.unwrap_or("").to_string();
    let actor2 = actor2.unwrap_or("").to_string();

    // casualties: every figure in the group's sentences
    let mut claims: Vec<CasualtyClaim> = Vec::new();
    for event in group {
        let body = event.sentence.text(text);
        for found in find_casualties(body) {
            let party = found.party.map(str::to_string).unwrap_or_else(|| {
                if actor2.is_empty() {
                    "unspecified".to_string()
                } else {
                    actor2.clone()
                }
            });
            if claims
                .iter()
                .any(|c| c.party == party && c.kind == found.kind && c.best == found.best)
            {
                continue;
            }
            claims.push(CasualtyClaim {
                party,
                kind: found.kind,
                low: found.low,
                best: found.best,
                high: found.high,
                evidence: evidence(text, event.sentence.byte_start, event.sentence.byte_end),
                source_id: None,
            });
        }
    }

    let location = locate(text, group, mentions, &mut field_evidence);
    let time_of_day = group.iter().find_map(|e| {
        find_time_of_day(e.sentence.text(text)).map(|(s, en, t)| {
            field_evidence.push((
                "time_of_day".to_string(),
                evidence(text, e.sentence.byte_start + s, e.sentence.byte_start + en),
            ));
            t
        })
    });
    let confidence: f64 = 0.4
        + if claims.is_empty() { 0.0 } else { 0.2 }
        + if date.explicit { 0.15 } else { 0.05 }
        + match &location {
            Some(l) if l.geo_precision <= 2 => 0.2,
            Some(_) => 0.1,
            None => 0.0,
        };
    Some(ProposedIncident {
        date_start: date.start,
        date_end: date.end,
        time_precision: date.precision,
        time_of_day,
        event_type: guess.event_type.to_string(),
        sub_event_type: guess.sub_event_type.to_string(),
        actor1,
        actor2,
        location,
        claims,
        evidence: evidence(text, main.sentence.byte_start, main.sentence.byte_end),
        field_evidence,
        confidence: confidence.min(1.0),
    })
}

/// How specific a resolved place is: lower is better.
fn specificity(kind: &str) -> u8 {
    match kind {
        k if k.starts_with("P.") || k == "checkpoint" || k.starts_with("S.") => 0,
        "road" | "corridor" => 1,
        k if k.starts_with("A.ADM2") => 2,
        k if k.starts_with("A.ADM") || k == "region" || k.starts_with("L.") => 3,
        _ => 4,
    }
}

/// The most specific place named in the group's sentences, the road if one
/// is named, and how precisely the text places the event there.
fn locate(
    text: &str,
    group: &[&EventSentence],
    mentions: &[Mention],
    field_evidence: &mut Vec<(String, Evidence)>,
) -> Option<Location> {
    let inside = |m: &Mention| {
        group
            .iter()
            .any(|e| m.byte_start >= e.sentence.byte_start && m.byte_end <= e.sentence.byte_end)
    };
    let candidates: Vec<&Mention> = mentions
        .iter()
        .filter(|m| inside(m) && m.place.is_some())
        .filter(|m| is_event_place(text, m))
        .collect();
    let road = candidates.iter().find(|m| {
        m.place
            .as_ref()
            .is_some_and(|p| p.summary.kind == "road" || p.summary.kind == "corridor")
    });
    let best = candidates
        .iter()
        .filter_map(|m| {
            m.place
                .as_ref()
                .map(|p| (specificity(&p.summary.kind), p.summary.radius_m, *m))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))?;
    let (rank, _, mention) = best;
    let place = mention.place.as_ref()?;
    let before = &text[mention.byte_start.saturating_sub(40)..mention.byte_start].to_lowercase();
    let near = [
        "near",
        "area of",
        "outskirts",
        "vicinity",
        "around",
        "close to",
        "not far from",
    ]
    .iter()
    .any(|w| before.contains(w));
    let geo_precision = match rank {
        0 if !near => 1,
        0..=2 => 2,
        _ => 3,
    };
    field_evidence.push((
        "location".to_string(),
        evidence(text, mention.byte_start, mention.byte_end),
    ));
    let road_id = road
        .and_then(|r| r.place.as_ref())
        .map(|p| p.summary.id.clone())
        .filter(|id| *id != place.summary.id);
    if let Some(r) = road {
        field_evidence.push(("road".to_string(), evidence(text, r.byte_start, r.byte_end)));
    }
    Some(Location {
        place_id: place.summary.id.clone(),
        road_id: road_id.filter(|id| !id.starts_with("derived:")),
        geo_precision,
        radius_m: place.summary.radius_m,
        name: mention.text.clone(),
    })
}
