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

use crate::gazetteer::normalize::normalize_key;
use crate::gazetteer::{haversine_m, Gazetteer, PlaceStatus};

/// The reason of a span recognised only as an unknown word after "in",
/// "near" or "from": it is reported only when it proves to be a spelling
/// variant of a place near the story, or a member of a list of places.
pub(super) const VARIANT_PROBE: &str = "unknown_after_locative";
/// Farthest a variant's place may lie from one of the story's settlements:
/// a day's walk, the distance between the villages one report covers.
const NEAR_STORY_M: f64 = 30_000.0;
/// Shorter names are not matched: every short key is within an edit of
/// many others.
const MIN_CHARS: usize = 5;
/// Most index keys looked at for one name.
const MAX_KEYS: usize = 64;

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

/// The settlement within [`NEAR_STORY_M`] of one of `story` whose name is
/// nearest in spelling to `surface` (fewest edits, then nearest), if any:
/// "Mkhitarashen" in a story placed at Shusha is Mkhitarishen, one edit
/// from it and about 8 km from Shusha.
pub(super) fn spelling_variant(surface: &str, story: &[StoryPlace], gazetteer: &Gazetteer) -> Option<VariantMatch> {
    if story.is_empty() {
        return None;
    }
    let key = normalize_key(surface);
    // (the index allows one edit up to seven letters, two from eight)
    let chars = key.chars().count();
    if chars < MIN_CHARS {
        return None;
    }
    let mut best: Option<VariantMatch> = None;
    for (posting, edits) in gazetteer.index().fuzzy(&key, MAX_KEYS) {
        // an exact key is the gazetteer's own name, resolved the usual way
        if edits == 0 {
            continue;
        }
        let Some((place, name)) = gazetteer.resolve_posting(posting) else {
            continue;
        };
        if place.status != PlaceStatus::Current || !place.kind.is_settlement() || !gazetteer.in_area_of_interest(place)
        {
            continue;
        }
        let Some((near, distance_m)) = story
            .iter()
            .filter(|s| s.place != posting.place)
            .map(|s| (s.place, haversine_m(s.point, place.point)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        if distance_m > NEAR_STORY_M {
            continue;
        }
        let better = best
            .as_ref()
            .is_none_or(|b| (edits, distance_m) < (b.edits, b.distance_m));
        if better {
            best = Some(VariantMatch {
                place: posting.place,
                edits,
                name: name.text.clone(),
                near,
                distance_m,
            });
        }
    }
    best
}
