//! Casualty claims in a sentence: "Three men were killed and one ... was
//! injured", "the losses were two dead, one wounded", "killed 12 people".

use std::sync::OnceLock;

use regex::Regex;

use super::actors::{actors_in, nearest_actor_before};
use crate::incidents::CasualtyKind;

/// One casualty figure found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundCasualties {
    /// Byte offsets within the sentence.
    pub byte_start: usize,
    /// End byte offset.
    pub byte_end: usize,
    /// Killed or injured.
    pub kind: CasualtyKind,
    /// Lowest figure.
    pub low: u32,
    /// Best figure.
    pub best: u32,
    /// Highest figure.
    pub high: u32,
    /// Whose casualties, when the sentence says.
    pub party: Option<&'static str>,
}

const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

fn parse_number(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    if let Ok(n) = lower.replace(',', "").parse::<u32>() {
        return Some(n);
    }
    if let Some(i) = NUMBER_WORDS.iter().position(|w| *w == lower) {
        return Some(i as u32);
    }
    match lower.as_str() {
        "thirty" => Some(30),
        "forty" => Some(40),
        "fifty" => Some(50),
        "a dozen" | "dozen" => Some(12),
        "a hundred" | "hundred" => Some(100),
        _ => None,
    }
}

fn patterns() -> &'static (Regex, Regex) {
    static PATTERNS: OnceLock<(Regex, Regex)> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let number = r"\d[\d,]*|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a dozen|a hundred";
        let build = |p: String| Regex::new(&p).unwrap_or_else(|_| Regex::new("$^").expect("trivial regex"));
        (
            build(format!(
                r"(?i)\b(?P<q>at least|more than|over|up to|nearly|almost|about|around|some)?\s*\b(?P<n>{number})\b(?P<gap>[^.;:!?\d]{{0,60}}?)\b(?P<k>killed|dead|died|deaths|wounded|injured|hurt)\b"
            )),
            build(format!(r"(?i)\b(?P<k>killed|wounded|injured)\s+(?P<q>at least|more than|over|some)?\s*(?P<n>{number})\b")),
        )
    })
}

fn kind_of(word: &str) -> CasualtyKind {
    match word.to_lowercase().as_str() {
        "wounded" | "injured" | "hurt" => CasualtyKind::Injured,
        _ => CasualtyKind::Killed,
    }
}

/// Casualty figures in one sentence.
pub fn find_casualties(sentence: &str) -> Vec<FoundCasualties> {
    let (number_first, verb_first) = patterns();
    let lower = sentence.to_lowercase();
    let mut found: Vec<FoundCasualties> = Vec::new();
    let mut add = |caps: regex::Captures<'_>| {
        let (Some(whole), Some(n), Some(k)) = (caps.get(0), caps.name("n"), caps.name("k")) else {
            return;
        };
        // "March 5 ... killed": numbers right after a month are dates
        let before = &lower[..n.start()];
        if before.trim_end().ends_with(|c: char| c.is_alphabetic())
            && is_month_word(before.split_whitespace().last().unwrap_or(""))
        {
            return;
        }
        let Some(best) = parse_number(n.as_str()) else { return };
        if best > 100_000 {
            return;
        }
        let qualifier = caps.name("q").map(|q| q.as_str().to_lowercase()).unwrap_or_default();
        let low = if qualifier == "up to" { 0 } else { best };
        let gap = caps.name("gap").map(|g| g.as_str().to_lowercase()).unwrap_or_default();
        let party = actors_in(&gap)
            .first()
            .map(|(_, a)| *a)
            .or_else(|| nearest_actor_before(&lower, whole.start() + 1).filter(|_| true));
        let candidate = FoundCasualties {
            byte_start: whole.start(),
            byte_end: whole.end(),
            kind: kind_of(k.as_str()),
            low,
            best,
            high: best,
            party,
        };
        if !found
            .iter()
            .any(|f| f.byte_start < candidate.byte_end && candidate.byte_start < f.byte_end)
        {
            found.push(candidate);
        }
    };
    for caps in number_first.captures_iter(sentence) {
        add(caps);
    }
    for caps in verb_first.captures_iter(sentence) {
        add(caps);
    }
    found.sort_by_key(|f| f.byte_start);
    found
}

fn is_month_word(word: &str) -> bool {
    matches!(
        word.trim_matches(|c: char| !c.is_alphabetic()),
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_kinds_and_parties() {
        let found = find_casualties("Three men were killed and one who was in the car was injured.");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].kind, found[0].best), (CasualtyKind::Killed, 3));
        assert_eq!((found[1].kind, found[1].best), (CasualtyKind::Injured, 1));

        let found = find_casualties("On the Azerbaijani side, the losses were two dead, one wounded.");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].party, Some("Azerbaijani armed forces"));
        assert_eq!((found[1].kind, found[1].best), (CasualtyKind::Injured, 1));

        let found = find_casualties("The strike killed at least 12 civilians on March 5.");
        assert_eq!(found[0].best, 12);
        assert!(find_casualties("On March 5 two reports were published").is_empty());
    }
}
