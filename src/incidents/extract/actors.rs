//! Known actors of the region and how texts refer to them.

/// (actor name, phrases that refer to it, lower case). Order matters: more
/// specific phrases first.
pub const KNOWN_ACTORS: &[(&str, &[&str])] = &[
    (
        "Russian peacekeepers",
        &["russian peacekeep", "peacekeeping contingent", "peacekeepers"],
    ),
    (
        "Nagorno-Karabakh police",
        &[
            "law enforcement officers of nagorno-karabakh",
            "nagorno-karabakh police",
            "karabakh police",
            "artsakh police",
            "police officers",
            "policemen",
            "police",
        ],
    ),
    (
        "Nagorno-Karabakh Defence Army",
        &[
            "defence army",
            "defense army",
            "artsakh defence",
            "karabakh armenian forces",
            "karabakh forces",
            "ethnic armenian forces",
        ],
    ),
    (
        "Azerbaijani armed forces",
        &[
            "armed forces of the republic of azerbaijan",
            "azerbaijani armed forces",
            "azerbaijani soldiers",
            "azerbaijani servicemen",
            "azerbaijani troops",
            "azerbaijani army",
            "azerbaijani forces",
            "azerbaijani side",
            "azerbaijani military",
        ],
    ),
    (
        "Armenian armed forces",
        &[
            "armenian armed forces",
            "armenian soldiers",
            "armenian servicemen",
            "armenian troops",
            "armenian army",
            "armenian forces",
            "armenian side",
            "armenian military",
        ],
    ),
    (
        "Azerbaijani activists",
        &[
            "eco-activists",
            "environmental activists",
            "so-called activists",
            "activists",
            "protesters",
        ],
    ),
    (
        "Civilians",
        &[
            "civilians",
            "residents",
            "villagers",
            "refugees",
            "people queuing",
            "local people",
        ],
    ),
];

/// Every known actor mentioned in `lower` (lower-cased text), with the
/// position of its first mention, in order of appearance.
pub fn actors_in(lower: &str) -> Vec<(usize, &'static str)> {
    let mut found: Vec<(usize, &'static str)> = Vec::new();
    for (actor, phrases) in KNOWN_ACTORS {
        let first = phrases.iter().filter_map(|p| lower.find(p)).min();
        if let Some(position) = first {
            found.push((position, actor));
        }
    }
    found.sort();
    found
}

/// The actor a phrase right before `position` refers to (the nearest one
/// mentioned before it in the same text), if any.
pub fn nearest_actor_before(lower: &str, position: usize) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for (actor, phrases) in KNOWN_ACTORS {
        for phrase in *phrases {
            if let Some(at) = lower[..position.min(lower.len())].rfind(phrase) {
                if best.is_none_or(|(b, _)| at > b) {
                    best = Some((at, actor));
                }
            }
        }
    }
    best.map(|(_, actor)| actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_actors_in_order() {
        let text = "soldiers of the armed forces of the republic of azerbaijan fired at a car with law enforcement officers of nagorno-karabakh";
        let actors: Vec<&str> = actors_in(text).into_iter().map(|(_, a)| a).collect();
        assert_eq!(actors, ["Azerbaijani armed forces", "Nagorno-Karabakh police"]);
    }
}
