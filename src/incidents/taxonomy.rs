//! Event types and sub-types, following the ACLED taxonomy analysts know.

/// The six ACLED event types with their sub-types.
pub const EVENT_TYPES: &[(&str, &[&str])] = &[
    (
        "Battles",
        &[
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ],
    ),
    (
        "Explosions/Remote violence",
        &[
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    (
        "Violence against civilians",
        &["Sexual violence", "Attack", "Abduction/forced disappearance"],
    ),
    (
        "Protests",
        &[
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ],
    ),
    ("Riots", &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// Is `event_type` an ACLED event type, and `sub_event_type` (if not empty) one of its sub-types?
pub fn is_valid(event_type: &str, sub_event_type: &str) -> bool {
    EVENT_TYPES
        .iter()
        .find(|(t, _)| *t == event_type)
        .is_some_and(|(_, subs)| sub_event_type.is_empty() || subs.contains(&sub_event_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_type_and_sub_type_pairs() {
        assert!(is_valid("Battles", "Armed clash"));
        assert!(is_valid("Protests", ""));
        assert!(!is_valid("Battles", "Peaceful protest"));
        assert!(!is_valid("Skirmish", ""));
    }
}
