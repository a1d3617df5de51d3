//! A place as a GeoJSON Feature: the one format sitrep writes and reads back
//! without loss (see `data/README.md`).

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{Geometry, Point};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{GazetteerError, Name, Place, PlaceKind, PlaceStatus, Source};

/// The properties of a place feature, in file order.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceProperties {
    id: String,
    kind: PlaceKind,
    point: Option<[f64; 2]>,
    radius_m: f64,
    #[serde(default)]
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    admin2: String,
    #[serde(default)]
    population: u64,
    #[serde(default = "current")]
    status: String,
    #[serde(default)]
    superseded_by: Option<String>,
    #[serde(default)]
    source_ids: BTreeMap<String, String>,
    #[serde(default)]
    sources: Vec<Arc<Source>>,
    names: Vec<Name>,
    #[serde(default)]
    note: String,
}

fn current() -> String {
    "current".to_string()
}

/// Rounds to 7 decimals (about 1 cm), enough for any gazetteer point and
/// stable across round trips.
fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// The GeoJSON Feature for a place.
pub fn place_to_feature(place: &Place) -> geojson::Feature {
    let props = PlaceProperties {
        id: place.id.clone(),
        kind: place.kind.clone(),
        point: Some([round7(place.lon()), round7(place.lat())]),
        radius_m: place.radius_m,
        country: place.country.clone(),
        admin1: place.admin1.clone(),
        admin2: place.admin2.clone(),
        population: place.population,
        status: place.status.as_str().to_string(),
        superseded_by: match &place.status {
            PlaceStatus::Superseded { by } => Some(by.clone()),
            _ => None,
        },
        source_ids: place.source_ids.iter().cloned().collect(),
        sources: place.sources.clone(),
        names: place.names.clone(),
        note: place.note.clone(),
    };
    let properties = match serde_json::to_value(props) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::GeometryValue::from(&round_geometry(
            &place.geometry,
        )))),
        id: Some(geojson::feature::Id::String(place.id.clone())),
        properties: Some(properties),
        foreign_members: None,
    }
}

fn round_geometry(geometry: &Geometry<f64>) -> Geometry<f64> {
    use geo::MapCoords;
    geometry.map_coords(|c| geo::Coord {
        x: round7(c.x),
        y: round7(c.y),
    })
}

/// Reads a place back from a Feature. `file` and `record` locate errors.
pub fn feature_to_place(feature: &geojson::Feature, file: &str, record: u64) -> Result<Place, GazetteerError> {
    let err = |field: &str, message: String| GazetteerError::parse(file, record, field, message);
    let properties = feature
        .properties
        .clone()
        .ok_or_else(|| err("properties", "a place feature needs properties".into()))?;
    let props: PlaceProperties =
        serde_json::from_value(Value::Object(properties)).map_err(|e| err("properties", e.to_string()))?;
    let geometry_json = feature
        .geometry
        .as_ref()
        .ok_or_else(|| err("geometry", "a place feature needs a geometry".into()))?;
    let geometry: Geometry<f64> =
        Geometry::try_from(geometry_json.value.clone()).map_err(|e| err("geometry", e.to_string()))?;
    let point = match props.point {
        Some([lon, lat]) => Point::new(lon, lat),
        None => representative_point(&geometry).ok_or_else(|| err("point", "empty geometry".into()))?,
    };
    let status = match (props.status.as_str(), props.superseded_by) {
        ("current", _) => PlaceStatus::Current,
        ("deprecated", _) => PlaceStatus::Deprecated,
        ("superseded", Some(by)) => PlaceStatus::Superseded { by },
        ("superseded", None) => {
            return Err(err(
                "superseded_by",
                "a superseded place must name its successor".into(),
            ))
        }
        (other, _) => return Err(err("status", format!("unknown status {other:?}"))),
    };
    let place = Place {
        id: props.id,
        kind: props.kind,
        geometry,
        point,
        radius_m: props.radius_m,
        country: props.country,
        admin1: props.admin1,
        admin2: props.admin2,
        population: props.population,
        status,
        source_ids: props.source_ids.into_iter().collect(),
        sources: props.sources.into_iter().map(share_known_source).collect(),
        names: props.names,
        note: props.note,
    };
    place.validate().map_err(|e| err("place", e.to_string()))?;
    Ok(place)
}

/// Replaces a copy of the common GeoNames source record by the shared one.
fn share_known_source(source: Arc<Source>) -> Arc<Source> {
    let shared = super::import::geonames_source();
    if *source == *shared {
        shared
    } else {
        source
    }
}

/// A point on or inside the geometry for labels: the middle vertex of a line,
/// the centroid of a polygon.
pub fn representative_point(geometry: &Geometry<f64>) -> Option<Point<f64>> {
    use geo::{Centroid, InteriorPoint};
    match geometry {
        Geometry::Point(p) => Some(*p),
        Geometry::LineString(line) => line.0.get(line.0.len() / 2).map(|c| Point::from(*c)),
        Geometry::MultiLineString(lines) => lines
            .0
            .iter()
            .max_by_key(|l| l.0.len())
            .and_then(|l| l.0.get(l.0.len() / 2))
            .map(|c| Point::from(*c)),
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => geometry.interior_point(),
        other => other.centroid(),
    }
}
