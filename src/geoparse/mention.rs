//! What the geoparser reports for each place mention.

use serde::Serialize;

use crate::gazetteer::summary::{round6, PlaceSummary};
use crate::gazetteer::Place;

/// The place a mention was resolved to.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedPlace {
    /// The gazetteer entry (or, for a derived route, the line made from its parts).
    #[serde(flatten)]
    pub summary: PlaceSummary,
    /// True when the geometry was derived from the mention's parts, not taken
    /// from the gazetteer.
    pub derived: bool,
}

/// Another place the mention might mean.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Place id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Country code.
    pub country: String,
    /// Probability-like score among the candidates, in `[0, 1]`.
    pub score: f64,
}

impl Candidate {
    /// `place` as a candidate with confidence `score`.
    pub fn of(place: &Place, score: f64) -> Self {
        Candidate {
            id: place.id.clone(),
            name: place.primary_name().to_string(),
            kind: place.kind.label(),
            lon: round6(place.lon()),
            lat: round6(place.lat()),
            country: place.country.clone(),
            score,
        }
    }
}

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
    pub reason: Vec<String>,
    /// Named parts of a compound route ("Khankendi", "Khalfali", "Turshsu").
    pub parts: Vec<Mention>,
}
