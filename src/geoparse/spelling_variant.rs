//! Spelling variants near the story: a name the gazetteer lacks that is an
//! edit or two from the name of a village close to the text's other places
//! ("Mkhitarashen", beside Karin Tak and Shusha, is Mkhitarishen).
//!
//! Armenian and Azerbaijani names reach English through several
//! transliterations (a or i, j or ch, kh or h, doubled letters), and no
//! gazetteer lists every spelling a newsroom may use. A near spelling alone
//! proves little: across a world gazetteer most words are an edit away
//! from some village. Together with the story's own geography it does, so a
//! match must lie close to a settlement the text names unambiguously, and
//! only inside the gazetteer's area of interest, whose villages the curated
//! data covers densely enough for the nearest near-spelling to be the one.

use fst::Automaton;
use geo::Point;

use crate::gazetteer::fuzzy::{allowed_distance, anchored_automaton};
use crate::gazetteer::haversine_m;
use crate::gazetteer::name::Name;
use crate::gazetteer::normalize::normalize_key;
use crate::gazetteer::Gazetteer;

/// Farthest a variant's place may lie from one of the story's settlements:
/// a day's walk, the distance between the villages one report covers.
const NEAR_STORY_M: f64 = 30_000.0;
/// Shorter names are not matched: every short key is within an edit of
/// many others.
const MIN_CHARS: usize = 5;

/// A settlement the text names and resolution placed with confidence.
#[derive(Debug, Clone, Copy)]
pub(super) struct StoryPlace {
    /// Index of the place in the gazetteer.
    pub(super) place: u32,
    /// Its point, lon/lat.
    pub(super) point: Point<f64>,
}

/// The place a spelling variant is taken for.
#[derive(Debug, Clone)]
pub(super) struct VariantMatch {
    /// Index of the place in the gazetteer.
    pub(super) place: u32,
    /// Edits between the text's spelling and the place's name.
    pub(super) edits: u8,
    /// The place's name the spelling is near.
    pub(super) name: String,
    /// The story place it lies near (gazetteer index) and how far, in metres.
    pub(super) near: u32,
    pub(super) distance_m: f64,
}

impl VariantMatch {
    /// The confidence of the match: lower than a listed name's, and lower
    /// again for two edits than for one.
    pub(super) fn confidence(&self) -> f64 {
        if self.edits <= 1 {
            0.45
        } else {
            0.3
        }
    }
}

/// A settlement near the story.
#[derive(Debug, Clone, Copy)]
pub(super) struct NearbyPlace {
    /// Index of the place in the gazetteer.
    place: u32,
    /// The story place it lies nearest (gazetteer index) and how far, in metres.
    near: u32,
    distance_m: f64,
}

/// The area of interest's settlements within [`NEAR_STORY_M`] of a story
/// place (other than that place itself): the only places a spelling
/// variant is matched against, so a text's unknown words are compared with
/// a few hundred village names, not a world of them.
pub(super) fn places_near_story(story: &[StoryPlace], gazetteer: &Gazetteer) -> Vec<NearbyPlace> {
    let places = gazetteer.places();
    gazetteer
        .settlements_in_area_of_interest()
        .iter()
        .filter_map(|&index| {
            let place = places.get(index as usize)?;
            let (near, distance_m) = story
                .iter()
                .filter(|s| s.place != index)
                .map(|s| (s.place, haversine_m(s.point, place.point)))
                .min_by(|a, b| a.1.total_cmp(&b.1))?;
            (distance_m <= NEAR_STORY_M).then_some(NearbyPlace {
                place: index,
                near,
                distance_m,
            })
        })
        .collect()
}

/// Could `name` normalise to a key starting with `first`, within `slack`
/// characters of `chars` long? A cheap test before normalising: the name
/// is in Latin letters (an English text's spelling varies the Latin
/// transliterations), about as long, and starts with the letter unless
/// its first letter has a diacritic (`Şuşa`), which normalising decides.
fn may_match(name: &Name, first: char, chars: usize, slack: usize) -> bool {
    if name.script != "Latn" || name.text.chars().count().abs_diff(chars) > slack + 2 {
        return false;
    }
    name.text
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_ascii() || c.to_ascii_lowercase() == first)
}

/// The settlement among `nearby` (see [`places_near_story`]) with a name
/// nearest in spelling to `surface` (fewest edits, then nearest the story),
/// if any is within the edits the name index allows a query of its length
/// (one up to seven letters, two from eight, first letter fixed):
/// "Mkhitarashen" in a story placed at Shusha is Mkhitarishen, one edit
/// from it and about 2 km from Shusha.
pub(super) fn spelling_variant(surface: &str, nearby: &[NearbyPlace], gazetteer: &Gazetteer) -> Option<VariantMatch> {
    let key = normalize_key(surface);
    let chars = key.chars().count();
    let first = key.chars().next()?;
    if nearby.is_empty() || chars < MIN_CHARS {
        return None;
    }
    let distance = allowed_distance(chars);
    let automaton = anchored_automaton(&key, distance)?;
    let places = gazetteer.places();
    let mut best: Option<VariantMatch> = None;
    for candidate in nearby {
        let Some(place) = places.get(candidate.place as usize) else {
            continue;
        };
        for name in &place.names {
            if !may_match(name, first, chars, usize::from(distance)) {
                continue;
            }
            let mut state = automaton.start();
            for byte in normalize_key(&name.text).bytes() {
                state = automaton.accept(&state, byte);
                if !automaton.can_match(&state) {
                    break;
                }
            }
            // an exact key is the gazetteer's own name, resolved the usual way
            let Some(edits) = automaton.distance_at(state).filter(|&e| e > 0) else {
                continue;
            };
            let better = best
                .as_ref()
                .is_none_or(|b| (edits, candidate.distance_m) < (b.edits, b.distance_m));
            if better {
                best = Some(VariantMatch {
                    place: candidate.place,
                    edits,
                    name: name.text.clone(),
                    near: candidate.near,
                    distance_m: candidate.distance_m,
                });
            }
        }
    }
    best
}
