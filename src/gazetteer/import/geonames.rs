//! The GeoNames `geoname` table (allCountries.txt, XX.txt, citiesNNNN.txt):
//! 19 tab-separated columns, one place per line.

use std::io::BufRead;
use std::sync::{Arc, OnceLock};

use super::lines::{columns, for_each_line};
use super::{ImportError, ImportRecord};
use crate::gazetteer::{GazetteerError, Name, NameKind, Place, PlaceKind, Source};

const COLUMNS: usize = 19;

/// Reads a GeoNames table, one [`ImportRecord::Place`] per line.
pub fn read_geonames<E>(
    reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    for_each_line(reader, label, |line_number, line| {
        let place = parse_geonames_line(line, label, line_number)?;
        sink(ImportRecord::Place(Box::new(place))).map_err(ImportError::Sink)
    })
}

fn parse_number<T: std::str::FromStr>(text: &str, field: &str, label: &str, line: u64) -> Result<T, GazetteerError> {
    text.trim()
        .parse()
        .map_err(|_| GazetteerError::parse(label, line, field, format!("{text:?} is not a number")))
}

/// Parses one line of the GeoNames table into a place with id `gn:<geonameid>`.
///
/// ```
/// use sitrep::gazetteer::import::parse_geonames_line;
/// let line = "587084\tBaku\tBaku\tBakı,Баку\t40.37767\t49.89201\tP\tPPLC\tAZ\t\t09\t\t\t\t2351300\t\t28\tAsia/Baku\t2024-01-01";
/// let baku = parse_geonames_line(line, "AZ.txt", 1).unwrap();
/// assert_eq!(baku.id, "gn:587084");
/// assert_eq!(baku.names.len(), 3);
/// ```
pub fn parse_geonames_line(line: &str, label: &str, line_number: u64) -> Result<Place, GazetteerError> {
    let c = columns(line, COLUMNS, label, line_number)?;
    let geonameid = c[0].trim();
    if geonameid.is_empty() || !geonameid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(GazetteerError::parse(
            label,
            line_number,
            "geonameid",
            format!("{geonameid:?} is not a GeoNames id"),
        ));
    }
    let name = c[1].trim();
    if name.is_empty() {
        return Err(GazetteerError::parse(label, line_number, "name", "empty name"));
    }
    let lat: f64 = parse_number(c[4], "latitude", label, line_number)?;
    let lon: f64 = parse_number(c[5], "longitude", label, line_number)?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(GazetteerError::parse(
            label,
            line_number,
            "latitude",
            format!("{lat} is outside [-90, 90]"),
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(GazetteerError::parse(
            label,
            line_number,
            "longitude",
            format!("{lon} is outside [-180, 180]"),
        ));
    }
    let kind = geonames_kind(c[6].trim(), c[7].trim())
        .map_err(|message| GazetteerError::parse(label, line_number, "feature class", message))?;
    let population: u64 = if c[14].trim().is_empty() {
        0
    } else {
        parse_number(c[14], "population", label, line_number)?
    };

    let mut place = Place::new_point(&format!("gn:{geonameid}"), name, kind.clone(), lon, lat);
    place.country = c[8].trim().to_string();
    place.admin1 = c[10].trim().to_string();
    place.admin2 = c[11].trim().to_string();
    place.population = population;
    place.radius_m = default_radius_m(&kind, population);
    place.set_source_id("geonames", geonameid, true);
    place.sources.push(geonames_source());
    // Alternates repeat the name and each other; a set keeps this linear.
    let mut seen = std::collections::HashSet::new();
    seen.insert(name);
    let alternates = std::iter::once(c[2]).chain(c[3].split(','));
    for alternate in alternates.map(str::trim).filter(|a| !a.is_empty()) {
        if seen.insert(alternate) {
            place.names.push(Name::new(alternate, NameKind::Alternate));
        }
    }
    place.names.shrink_to_fit();
    Ok(place)
}

/// The one GeoNames source record every GeoNames place cites (the record of a
/// place is `https://www.geonames.org/<geonameid>`, from its source id).
pub fn geonames_source() -> Arc<Source> {
    static SOURCE: OnceLock<Arc<Source>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            Arc::new(Source {
                name: "GeoNames".into(),
                r#ref: "https://www.geonames.org/".into(),
                licence: "CC BY 4.0".into(),
                facts: vec!["geometry".into(), "names".into(), "population".into(), "kind".into()],
            })
        })
        .clone()
}

/// The kind from GeoNames feature class and code; an empty code (a few
/// thousand GeoNames rows) becomes `UNKN` within its class.
fn geonames_kind(class: &str, code: &str) -> Result<PlaceKind, String> {
    let class = if class.is_empty() { "L" } else { class };
    let code = if code.is_empty() { "UNKN" } else { code };
    format!("{class}.{code}")
        .parse()
        .map_err(|e: crate::gazetteer::UnknownKind| e.to_string())
}

/// An uncertainty radius for a GeoNames point of this kind, in metres: the
/// point stands for the whole feature, so larger features get larger radii.
pub fn default_radius_m(kind: &PlaceKind, population: u64) -> f64 {
    match kind {
        k if k.is_country() => 300_000.0,
        PlaceKind::GeoNames { class: 'L', code } if code == "CONT" => 2_000_000.0,
        PlaceKind::GeoNames { class: 'A', code } if code == "ADM1" => 60_000.0,
        PlaceKind::GeoNames { class: 'A', code } if code == "ADM2" => 20_000.0,
        PlaceKind::GeoNames { class: 'A', .. } => 10_000.0,
        PlaceKind::GeoNames { class: 'L', .. } => 20_000.0,
        PlaceKind::GeoNames { class: 'P', .. } => Place::settlement_radius_m(population),
        PlaceKind::GeoNames { class: 'T' | 'H', .. } => 5_000.0,
        _ => 1_000.0,
    }
}
