//! The place record.

use std::sync::Arc;

use geo::{Geometry, Point};
use serde::{Deserialize, Serialize};

use super::{GazetteerError, Name, NameKind, PlaceKind};

/// Mean Earth radius used for distances, in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Whether a place is in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceStatus {
    /// The place is current.
    Current,
    /// A duplicate merged into another place, which now stands for it.
    Superseded {
        /// The id of the place that replaces this one.
        by: String,
    },
    /// Withdrawn (kept so that its id is never reused).
    Deprecated,
}

impl PlaceStatus {
    /// `current`, `superseded` or `deprecated`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PlaceStatus::Current => "current",
            PlaceStatus::Superseded { .. } => "superseded",
            PlaceStatus::Deprecated => "deprecated",
        }
    }
}

/// Where a fact about a place came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Who published it ("GeoNames", "Wikipedia", "sitrep editors").
    pub name: String,
    /// A URL or reference to the record.
    #[serde(default)]
    pub r#ref: String,
    /// The licence of the fact, if any.
    #[serde(default)]
    pub licence: String,
    /// Which facts it supports: `geometry`, `names`, `population`, `kind`.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// A place: one stable id, a kind, a geometry, names and sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id, never reused: `gn:<geonameid>` or `sr:<slug>`.
    pub id: String,
    /// What sort of place it is.
    pub kind: PlaceKind,
    /// Point, line(s) for routes, polygon where known. WGS84 lon/lat.
    pub geometry: Geometry<f64>,
    /// Representative point (lon/lat) for labels and distances.
    pub point: Point<f64>,
    /// Uncertainty radius of `point`, in metres.
    pub radius_m: f64,
    /// ISO 3166-1 alpha-2 country code, empty when none.
    pub country: String,
    /// First-level division code (GeoNames admin1), empty when unknown.
    pub admin1: String,
    /// Second-level division code, empty when unknown.
    pub admin2: String,
    /// Population, 0 when unknown.
    pub population: u64,
    /// Current, superseded or deprecated.
    pub status: PlaceStatus,
    /// Ids of this place in other gazetteers (`geonames` -> `146970`), sorted
    /// by gazetteer. (A list, not a map: almost every place has one entry,
    /// and a map node would cost half a kilobyte per place.)
    pub source_ids: Vec<(String, String)>,
    /// Where the facts came from. Shared: a quarter of a million GeoNames
    /// places cite the same source record.
    pub sources: Vec<Arc<Source>>,
    /// All names, none preferred over another except by `kind`.
    pub names: Vec<Name>,
    /// Free-text remark, e.g. why a radius is large.
    pub note: String,
}

impl Place {
    /// A point place with one official name and sensible defaults; callers
    /// fill the rest.
    pub fn new_point(id: &str, name: &str, kind: PlaceKind, lon: f64, lat: f64) -> Self {
        let point = Point::new(lon, lat);
        Place {
            id: id.to_string(),
            kind,
            geometry: Geometry::Point(point),
            point,
            radius_m: 1_000.0,
            country: String::new(),
            admin1: String::new(),
            admin2: String::new(),
            population: 0,
            status: PlaceStatus::Current,
            source_ids: Vec::new(),
            sources: Vec::new(),
            names: vec![Name::new(name, NameKind::Official)],
            note: String::new(),
        }
    }

    /// The name to show: the first official name in Latin script, else the
    /// first official name, else the first name.
    pub fn primary_name(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Official && n.script == "Latn")
            .or_else(|| self.names.iter().find(|n| n.kind == NameKind::Official))
            .or_else(|| self.names.first())
            .map(|n| n.text.as_str())
            .unwrap_or(self.id.as_str())
    }

    /// Longitude of the representative point.
    pub fn lon(&self) -> f64 {
        self.point.x()
    }

    /// Latitude of the representative point.
    pub fn lat(&self) -> f64 {
        self.point.y()
    }

    /// How likely a bare mention of one of its names means this place, in
    /// `[0, 1]`: the kind's prior raised by population (log scale). A
    /// small town's importance may fall below its kind's prior; a
    /// division's does not, since its population (often a sum over its
    /// towns) says how big it is, not whether it is a division.
    ///
    /// ```
    /// use sitrep::gazetteer::{Place, PlaceKind};
    /// let kind = PlaceKind::GeoNames { class: 'A', code: "ADM1".into() };
    /// let mut state = Place::new_point("gn:1", "Ohio", kind, -82.7, 40.4);
    /// let bare = state.importance();
    /// state.population = 11_000_000;
    /// assert!(state.importance() > bare);
    /// state.population = 900;
    /// assert_eq!(state.importance(), bare);
    /// ```
    pub fn importance(&self) -> f64 {
        let base = self.kind.base_importance();
        if self.population == 0 {
            return base;
        }
        // log10 of 1e3 -> 0.0, 1e7 -> 1.0
        let pop = ((self.population as f64).log10() - 3.0) / 4.0;
        let floor = if self.kind.is_admin_division() {
            base
        } else {
            base * 0.8
        };
        (base * 0.6 + pop.clamp(0.0, 1.0) * 0.4).max(floor).min(1.0)
    }

    /// A default uncertainty radius for a settlement of `population` people,
    /// in metres: the rough half-extent of a town that size (1 km for a village,
    /// about 20 km for a city of a few million).
    pub fn settlement_radius_m(population: u64) -> f64 {
        ((population as f64).sqrt() * 15.0).clamp(1_000.0, 30_000.0).round()
    }

    /// Checks the invariants every stored place keeps: coordinates in range and
    /// finite, a positive radius, at least one non-empty name, an id.
    pub fn validate(&self) -> Result<(), GazetteerError> {
        let invalid = |message: String| GazetteerError::InvalidPlace {
            id: self.id.clone(),
            message,
        };
        if self.id.trim().is_empty() {
            return Err(invalid("empty id".into()));
        }
        check_lon_lat(self.lon(), self.lat()).map_err(invalid)?;
        for coord in geometry_coords(&self.geometry) {
            check_lon_lat(coord.x, coord.y).map_err(invalid)?;
        }
        if !(self.radius_m.is_finite() && self.radius_m > 0.0) {
            return Err(invalid(format!("radius_m must be positive, got {}", self.radius_m)));
        }
        if self.names.is_empty() {
            return Err(invalid("a place needs at least one name".into()));
        }
        if let Some(empty) = self.names.iter().find(|n| n.text.trim().is_empty()) {
            return Err(invalid(format!("empty {} name", empty.kind.as_str())));
        }
        Ok(())
    }

    /// Folds `other`, the same place as read from another file, into this one.
    /// Names, sources and source ids are united; none is removed. With
    /// `overwrite_facts` (a newer import of the same source, or a curated
    /// layer) the other's geometry, kind, radius, codes and population
    /// replace these, and so do its language, kind and dates of a name both
    /// have (a curated `Qafan` in Azerbaijani over GeoNames' untagged one);
    /// without it (this place was curated or edited) they are only filled
    /// where missing.
    pub fn merge_from(&mut self, other: Place, overwrite_facts: bool) {
        if overwrite_facts {
            self.kind = other.kind;
            self.geometry = other.geometry;
            self.point = other.point;
            self.radius_m = other.radius_m;
            self.country = other.country;
            self.admin1 = other.admin1;
            self.admin2 = other.admin2;
            self.population = other.population;
        } else {
            let fill = |mine: &mut String, theirs: String| {
                if mine.is_empty() {
                    *mine = theirs;
                }
            };
            fill(&mut self.country, other.country);
            fill(&mut self.admin1, other.admin1);
            fill(&mut self.admin2, other.admin2);
            if self.population == 0 {
                self.population = other.population;
            }
        }
        for name in other.names {
            match self.names.iter_mut().find(|n| n.text == name.text) {
                Some(mine) if overwrite_facts => *mine = name,
                Some(_) => {}
                None => self.names.push(name),
            }
        }
        for source in other.sources {
            if !self
                .sources
                .iter()
                .any(|s| s.name == source.name && s.r#ref == source.r#ref)
            {
                self.sources.push(source);
            }
        }
        for (key, value) in other.source_ids {
            self.set_source_id(&key, &value, false);
        }
        if self.note.is_empty() {
            self.note = other.note;
        }
    }

    /// The id of this place in another gazetteer.
    pub fn source_id(&self, gazetteer: &str) -> Option<&str> {
        self.source_ids
            .iter()
            .find(|(k, _)| k == gazetteer)
            .map(|(_, v)| v.as_str())
    }

    /// Records the id of this place in another gazetteer; an existing entry is
    /// kept unless `replace`.
    pub fn set_source_id(&mut self, gazetteer: &str, id: &str, replace: bool) {
        match self.source_ids.iter_mut().find(|(k, _)| k == gazetteer) {
            Some(entry) if replace => entry.1 = id.to_string(),
            Some(_) => {}
            None => {
                self.source_ids.push((gazetteer.to_string(), id.to_string()));
                self.source_ids.sort();
            }
        }
    }

    /// Adds `name` unless a name with the same text is already there.
    /// Returns whether it was added.
    pub fn add_name(&mut self, name: Name) -> bool {
        if self.names.iter().any(|n| n.text == name.text) {
            return false;
        }
        self.names.push(name);
        true
    }
}

/// `Ok` when `lon` is in [-180, 180] and `lat` in [-90, 90], else a message
/// saying which is wrong.
pub fn check_lon_lat(lon: f64, lat: f64) -> Result<(), String> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside [-90, 90]"));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside [-180, 180]"));
    }
    Ok(())
}

/// Every coordinate of a geometry.
fn geometry_coords(geometry: &Geometry<f64>) -> Vec<geo::Coord<f64>> {
    use geo::CoordsIter;
    geometry.coords_iter().collect()
}

/// Great-circle distance between two lon/lat points, in metres.
///
/// ```
/// use geo::Point;
/// use sitrep::gazetteer::haversine_m;
/// // Baku to Yerevan is about 460 km.
/// let d = haversine_m(Point::new(49.892, 40.378), Point::new(44.513, 40.178));
/// assert!((d - 456_000.0).abs() < 10_000.0);
/// ```
pub fn haversine_m(a: Point<f64>, b: Point<f64>) -> f64 {
    let (lat1, lat2) = (a.y().to_radians(), b.y().to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x() - a.x()).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_bad_coordinate() {
        let place = Place::new_point("t:1", "Nowhere", PlaceKind::populated("PPL"), 10.0, 95.0);
        let err = place.validate().unwrap_err().to_string();
        assert!(err.contains("latitude 95"), "{err}");
        let ok = Place::new_point("t:2", "Somewhere", PlaceKind::populated("PPL"), 10.0, 45.0);
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn a_curated_layer_tags_the_names_it_shares_and_keeps_the_rest() {
        let mut world = Place::new_point("gn:174875", "Kapan", PlaceKind::populated("PPL"), 46.4, 39.2);
        world.names.push(Name::new("Qafan", NameKind::Alternate));
        world.names.push(Name::new("Ghapan", NameKind::Alternate));
        let mut curated = world.clone();
        curated.names = vec![Name::new("Qafan", NameKind::Alternate).with_lang("az")];
        let mut edited = world.clone();
        edited.merge_from(curated.clone(), false);
        assert_eq!(edited.names[1].lang, "", "an edited place keeps its own tags");
        world.merge_from(curated, true);
        let qafan = world.names.iter().find(|n| n.text == "Qafan").map(|n| n.lang.as_str());
        assert_eq!(qafan, Some("az"));
        assert_eq!(world.names.len(), 3, "no name is removed or doubled");
    }

    #[test]
    fn bigger_places_matter_more() {
        let mut village = Place::new_point("t:1", "V", PlaceKind::populated("PPL"), 0.0, 0.0);
        village.population = 800;
        let mut city = village.clone();
        city.population = 2_000_000;
        assert!(city.importance() > village.importance());
        assert!(Place::settlement_radius_m(2_000_000) > Place::settlement_radius_m(800));
    }
}
