//! The compact JSON form of a place that the CLI, the geoparser and the API
//! hand out: enough to draw it and to say what it is.

use serde::Serialize;

use super::{Name, Place};

/// A place as JSON: id, display name, kind, point, GeoJSON geometry,
/// uncertainty radius and country.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceSummary {
    /// Stable place id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind (`P.PPLC`, `road`, ...).
    pub kind: String,
    /// Longitude of the representative point.
    pub lon: f64,
    /// Latitude of the representative point.
    pub lat: f64,
    /// The place's geometry as a GeoJSON geometry object.
    pub geometry: geojson::Geometry,
    /// Uncertainty radius in metres.
    pub radius_m: f64,
    /// ISO country code.
    pub country: String,
}

impl PlaceSummary {
    /// Summarises a place.
    pub fn of(place: &Place) -> Self {
        PlaceSummary {
            id: place.id.clone(),
            name: place.primary_name().to_string(),
            kind: place.kind.label(),
            lon: round6(place.lon()),
            lat: round6(place.lat()),
            geometry: geojson::Geometry::new(geojson::GeometryValue::from(&place.geometry)),
            radius_m: place.radius_m.round(),
            country: place.country.clone(),
        }
    }
}

/// All names of a place, for JSON output.
pub fn names_json(place: &Place) -> Vec<&Name> {
    place.names.iter().collect()
}

/// Rounds a coordinate to 6 decimals (about 10 cm).
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}
