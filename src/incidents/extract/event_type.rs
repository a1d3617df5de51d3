//! The ACLED event type and sub-type a passage describes, from its words.

/// An event type decision with the word that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTypeGuess {
    /// ACLED event type.
    pub event_type: &'static str,
    /// ACLED sub-event type.
    pub sub_event_type: &'static str,
    /// The word or phrase that decided (lower case), to locate the evidence.
    pub cue: &'static str,
    /// Higher for more specific cues; used to pick among sentences.
    pub strength: u8,
}

/// Cues in priority order: the first one found decides.
const RULES: &[(&[&str], &str, &str, u8)] = &[
    (
        &[
            "drone strike",
            "drone attack",
            "drone hit",
            "by a drone",
            "kamikaze drone",
            "uav",
        ],
        "Explosions/Remote violence",
        "Air/drone strike",
        5,
    ),
    (
        &["airstrike", "air strike", "bombed"],
        "Explosions/Remote violence",
        "Air/drone strike",
        5,
    ),
    (
        &[
            "shelling",
            "shelled",
            "artillery",
            "mortar",
            "rocket fire",
            "missile",
            "shells",
        ],
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        5,
    ),
    (
        &[
            "landmine",
            "land mine",
            "mine explosion",
            "stepped on a mine",
            "improvised explosive",
        ],
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        5,
    ),
    (
        &[
            "shootout",
            "exchange of fire",
            "firefight",
            "gunfight",
            "clashes",
            "clashed",
            "fighting",
            "offensive",
            "military operation",
        ],
        "Battles",
        "Armed clash",
        4,
    ),
    (
        &[
            "fired at",
            "fired on",
            "opened fire",
            "under fire",
            "by fire from",
            "shooting",
            "shot at",
            "shot dead",
            "sniper",
        ],
        "Battles",
        "Armed clash",
        4,
    ),
    (
        &["explosion", "exploded", "blast"],
        "Strategic developments",
        "Other",
        3,
    ),
    (
        &[
            "blockade",
            "blocked the road",
            "blocking the road",
            "blocked the corridor",
            "blocked it",
            "closed the road",
            "closure of the",
            "sit-in",
        ],
        "Protests",
        "Peaceful protest",
        3,
    ),
    (
        &[
            "checkpoint was set up",
            "set up a checkpoint",
            "established a checkpoint",
            "installed a checkpoint",
            "checkpoint at",
            "border checkpoint",
        ],
        "Strategic developments",
        "Headquarters or base established",
        3,
    ),
    (
        &["arrested", "detained", "arrest of", "detention of"],
        "Strategic developments",
        "Arrests",
        3,
    ),
    (
        &["protest", "rally", "demonstration", "demonstrators", "protesters"],
        "Protests",
        "Peaceful protest",
        2,
    ),
];

/// Words whose presence makes an armed clash an attack on civilians.
const CIVILIAN_TARGETS: &[&str] = &[
    "civilian",
    "civilians",
    "residents",
    "farmer",
    "farmers",
    "shepherd",
    "villagers",
    "children",
];

/// Words that say the armed side met armed resistance.
const ARMED_BOTH_SIDES: &[&str] = &[
    "soldiers",
    "servicemen",
    "troops",
    "police",
    "officers",
    "armed forces",
    "military",
];

/// Guesses the event type of a sentence (lower-cased inside).
pub fn classify(sentence: &str) -> Option<EventTypeGuess> {
    let lower = sentence.to_lowercase();
    for (cues, event_type, sub_event_type, strength) in RULES {
        if let Some(cue) = cues.iter().find(|c| contains_phrase(&lower, c)) {
            let (event_type, sub_event_type) = if *event_type == "Battles"
                && CIVILIAN_TARGETS.iter().any(|w| contains_phrase(&lower, w))
                && ARMED_BOTH_SIDES.iter().filter(|w| contains_phrase(&lower, w)).count() < 2
            {
                ("Violence against civilians", "Attack")
            } else {
                (*event_type, *sub_event_type)
            };
            return Some(EventTypeGuess {
                event_type,
                sub_event_type,
                cue,
                strength: *strength,
            });
        }
    }
    None
}

/// Whole-word phrase search in lower-case text.
pub fn contains_phrase(lower: &str, phrase: &str) -> bool {
    lower.match_indices(phrase).any(|(i, _)| {
        let before = lower[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = lower[i + phrase.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_acled_types() {
        let shot = classify("Soldiers fired at a car with police officers").unwrap();
        assert_eq!((shot.event_type, shot.sub_event_type), ("Battles", "Armed clash"));
        let shelled = classify("Jermuk was shelled overnight").unwrap();
        assert_eq!(shelled.sub_event_type, "Shelling/artillery/missile attack");
        let civilians = classify("Troops opened fire on civilians in the village").unwrap();
        assert_eq!(civilians.event_type, "Violence against civilians");
        assert!(classify("The minister met his counterpart").is_none());
        assert!(!contains_phrase("unshelled", "shelled"));
    }
}
