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

use geo::Point;

use crate::gazetteer::edit_distance::edit_distance_within;
use crate::gazetteer::fuzzy::allowed_distance;
use crate::gazetteer::haversine_m;
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

/// A Latin name of a settlement near the story, normalised once for all
/// the text's unknown words.
#[derive(Debug, Clone)]
pub(super) struct NearbyName<'g> {
    /// Index of the place in the gazetteer.
    place: u32,
    /// The name as the gazetteer writes it.
    name: &'g str,
    /// Its normalised key, and that key's length in characters.
    key: String,
    chars: usize,
    /// The story place it lies nearest (gazetteer index) and how far, in metres.
    near: u32,
    distance_m: f64,
}

/// Degrees of latitude in [`NEAR_STORY_M`], with room: a cheap test that
/// skips the distance to places far north or south of a story place.
const NEAR_STORY_LAT_DEG: f64 = NEAR_STORY_M / 100_000.0;

/// The Latin names of the area of interest's settlements within
/// [`NEAR_STORY_M`] of a story place (other than that place itself) that
/// start with one of the letters `initials` (the first letters of the
/// text's unknown keys): the only names a spelling variant is matched
/// against, so a text's unknown words are compared with a few dozen
/// village names, not a world of them.
pub(super) fn names_near_story<'g>(
    story: &[StoryPlace],
    initials: &[char],
    gazetteer: &'g Gazetteer,
) -> Vec<NearbyName<'g>> {
    let places = gazetteer.places();
    let mut names = Vec::new();
    for &index in gazetteer.settlements_in_area_of_interest() {
        let Some(place) = places.get(index as usize) else {
            continue;
        };
        let nearest = story
            .iter()
            .filter(|s| s.place != index && (s.point.y() - place.point.y()).abs() <= NEAR_STORY_LAT_DEG)
            .map(|s| (s.place, haversine_m(s.point, place.point)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let Some((near, distance_m)) = nearest.filter(|&(_, d)| d <= NEAR_STORY_M) else {
            continue;
        };
        for name in place.names.iter().filter(|n| n.script == "Latn") {
            // a name starting with a plain letter no unknown word starts
            // with needs no normalising; one with a diacritic (Şuşa) does
            if name
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() && !initials.contains(&c.to_ascii_lowercase()))
            {
                continue;
            }
            let key = normalize_key(&name.text);
            let chars = key.chars().count();
            if chars + 2 >= MIN_CHARS && key.chars().next().is_some_and(|c| initials.contains(&c)) {
                names.push(NearbyName {
                    place: index,
                    name: &name.text,
                    key,
                    chars,
                    near,
                    distance_m,
                });
            }
        }
    }
    names
}

/// The settlement among `nearby` (see [`names_near_story`]) with a name
/// nearest in spelling to `surface` (fewest edits, then nearest the story),
/// if any is within the edits the name index allows a query of its length
/// (one up to seven letters, two from eight, first letter fixed):
/// "Mkhitarashen" in a story placed at Shusha is Mkhitarishen, one edit
/// from it and about 2 km from Shusha.
pub(super) fn spelling_variant(surface: &str, nearby: &[NearbyName<'_>]) -> Option<VariantMatch> {
    let key = normalize_key(surface);
    let chars = key.chars().count();
    let first = key.chars().next()?;
    if chars < MIN_CHARS {
        return None;
    }
    let distance = allowed_distance(chars);
    let rest = &key[first.len_utf8()..];
    let mut best: Option<&NearbyName> = None;
    let mut best_edits = u8::MAX;
    for candidate in nearby {
        if candidate.chars.abs_diff(chars) > usize::from(distance) {
            continue;
        }
        let Some(candidate_rest) = candidate.key.strip_prefix(first) else {
            continue;
        };
        // an exact key is the gazetteer's own name, resolved the usual way
        let Some(edits) = edit_distance_within(rest, candidate_rest, distance).filter(|&e| e > 0) else {
            continue;
        };
        let better = best.is_none_or(|b| (edits, candidate.distance_m) < (best_edits, b.distance_m));
        if better {
            best = Some(candidate);
            best_edits = edits;
        }
    }
    best.map(|b| VariantMatch {
        place: b.place,
        edits: best_edits,
        name: b.name.to_string(),
        near: b.near,
        distance_m: b.distance_m,
    })
}
