//! What the geoparser reports for each place mention.

use std::borrow::Cow;
use std::sync::Arc;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::gazetteer::summary::{round6, PlaceSummary};
use crate::gazetteer::Place;

/// The place a mention was resolved to.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedPlace {
    /// The gazetteer entry (or, for a derived route, the line made from its
    /// parts); shared by the mentions of one place in a text.
    #[serde(flatten)]
    pub summary: Arc<PlaceSummary>,
    /// True when the geometry was derived from the mention's parts, not taken
    /// from the gazetteer.
    pub derived: bool,
}

/// Another place the mention might mean. It shares the gazetteer's
/// record of the place rather than copying its names: a text has a few
/// candidates for every mention, most of which nobody reads. Serialised
/// as `{"id","name","kind","lon","lat","country","score"}`.
#[derive(Debug, Clone)]
pub struct Candidate {
    place: Arc<Place>,
    /// Probability-like score among the candidates, in `[0, 1]`.
    pub score: f64,
}

impl Candidate {
    /// `place` as a candidate with confidence `score`.
    pub fn of(place: &Arc<Place>, score: f64) -> Self {
        Candidate {
            place: Arc::clone(place),
            score,
        }
    }

    /// The gazetteer's record of the place.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// Place id.
    pub fn id(&self) -> &str {
        &self.place.id
    }

    /// Display name.
    pub fn name(&self) -> &str {
        self.place.primary_name()
    }
}

impl Serialize for Candidate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let place = &*self.place;
        let mut fields = serializer.serialize_struct("Candidate", 7)?;
        fields.serialize_field("id", &place.id)?;
        fields.serialize_field("name", place.primary_name())?;
        fields.serialize_field("kind", &place.kind.label())?;
        fields.serialize_field("lon", &round6(place.lon()))?;
        fields.serialize_field("lat", &round6(place.lat()))?;
        fields.serialize_field("country", &place.country)?;
        fields.serialize_field("score", &self.score)?;
        fields.end()
    }
}

/// One piece of a mention's evidence (`gazetteer_name`, `cue_before:settlement`,
/// `chosen_of:3`): most are fixed words, kept without a copy.
pub type Reason = Cow<'static, str>;

/// One place mention in a text.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    /// Start offset in Unicode code points.
    pub start: usize,
    /// End offset in code points (exclusive).
    pub end: usize,
    /// Start offset in bytes of the UTF-8 text.
    pub byte_start: usize,
    /// End offset in bytes (exclusive).
    pub byte_end: usize,
    /// The text as written.
    pub text: String,
    /// The chosen place, or `null` when unknown or too ambiguous.
    pub place: Option<ResolvedPlace>,
    /// Confidence in the choice, in `[0, 1]` (0 when unresolved).
    pub score: f64,
    /// The best candidates, best first, with their scores.
    pub candidates: Vec<Candidate>,
    /// Machine-readable evidence: which cues and features decided.
    pub reason: Vec<Reason>,
    /// Named parts of a compound route ("Khankendi", "Khalfali", "Turshsu").
    pub parts: Vec<Mention>,
}
