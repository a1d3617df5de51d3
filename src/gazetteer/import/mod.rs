//! Importers: GeoNames dumps in their native formats, sitrep's own GeoJSON,
//! and simple CSV. Each reads records one at a time, so a 1.5 GB
//! `allCountries.txt` streams in bounded memory; the caller decides where
//! the records go (an in-memory list, or one transaction in the store).

mod admin_codes;
mod alternate_names;
mod csv_places;
mod geojson_places;
mod geonames;
mod lines;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

pub use admin_codes::{read_admin_codes, read_country_info};
pub use alternate_names::read_alternate_names;
pub use csv_places::read_csv;
pub use geojson_places::read_geojson;
pub use geonames::{geonames_source, parse_geonames_line, read_geonames};

use super::{GazetteerError, Name};

/// One thing an import file says.
#[derive(Debug, Clone)]
pub enum ImportRecord {
    /// A whole place, to insert or to update the place with the same id.
    Place(Box<super::Place>),
    /// A further name for an existing place (GeoNames alternate names, admin
    /// and country names). Names of unknown places are skipped and counted.
    Name {
        /// Id of the place the name belongs to.
        place_id: String,
        /// The name.
        name: Name,
    },
}

/// The formats `sitrep gazetteer import` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// GeoNames `geoname` table: allCountries.txt, XX.txt, citiesNNNN.txt.
    GeoNames,
    /// GeoNames alternateNamesV2.txt (or alternateNames.txt).
    AlternateNames,
    /// GeoNames admin1CodesASCII.txt / admin2Codes.txt.
    AdminCodes,
    /// GeoNames countryInfo.txt.
    CountryInfo,
    /// sitrep gazetteer GeoJSON.
    GeoJson,
    /// CSV with a header: name, lat, lon[, kind, alternates, id, country, population, radius_m].
    Csv,
}

impl ImportFormat {
    /// Parses the `--format` value.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "geonames" => ImportFormat::GeoNames,
            "alternatenames" => ImportFormat::AlternateNames,
            "admincodes" => ImportFormat::AdminCodes,
            "countryinfo" => ImportFormat::CountryInfo,
            "geojson" => ImportFormat::GeoJson,
            "csv" => ImportFormat::Csv,
            _ => return None,
        })
    }

    /// Guesses the format from a GeoNames-style file name or extension.
    pub fn detect(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        Some(if name.starts_with("alternatenames") {
            ImportFormat::AlternateNames
        } else if name.starts_with("admin1codes") || name.starts_with("admin2codes") {
            ImportFormat::AdminCodes
        } else if name.starts_with("countryinfo") {
            ImportFormat::CountryInfo
        } else if name.ends_with(".geojson") || name.ends_with(".json") {
            ImportFormat::GeoJson
        } else if name.ends_with(".csv") {
            ImportFormat::Csv
        } else if name.ends_with(".txt") || name.ends_with(".tsv") {
            ImportFormat::GeoNames
        } else {
            return None;
        })
    }
}

/// Reads every record of one file, calling `sink` for each, in file order.
/// Stops at the first malformed record with an error naming file, line and
/// field; the caller keeps or discards what it received (the store discards).
pub fn read_file<E>(
    path: &Path,
    format: ImportFormat,
    sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    let file = File::open(path).map_err(|source| {
        ImportError::Gazetteer(GazetteerError::Io {
            path: path.to_path_buf(),
            source,
        })
    })?;
    read_from(BufReader::new(file), &path.display().to_string(), format, sink)
}

/// As [`read_file`], from any reader; `label` names the input in errors.
pub fn read_from<E>(
    reader: impl BufRead,
    label: &str,
    format: ImportFormat,
    sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    match format {
        ImportFormat::GeoNames => read_geonames(reader, label, sink),
        ImportFormat::AlternateNames => read_alternate_names(reader, label, sink),
        ImportFormat::AdminCodes => read_admin_codes(reader, label, sink),
        ImportFormat::CountryInfo => read_country_info(reader, label, sink),
        ImportFormat::GeoJson => read_geojson(reader, label, sink),
        ImportFormat::Csv => read_csv(reader, label, sink),
    }
}

/// A failure reading input, or a failure of the sink receiving records.
#[derive(Debug, thiserror::Error)]
pub enum ImportError<E> {
    /// The input is malformed or unreadable.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// The receiver of the records failed.
    #[error("{0}")]
    Sink(E),
}

/// Collects every record of a reader into places, attaching names to the
/// places read before them. Used for the bundled data and in tests.
pub fn collect_places(
    reader: impl BufRead,
    label: &str,
    format: ImportFormat,
    places: &mut Vec<super::Place>,
) -> Result<(), GazetteerError> {
    let mut position: std::collections::HashMap<String, usize> =
        places.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    let result = read_from(reader, label, format, |record| {
        match record {
            ImportRecord::Place(place) => match position.get(&place.id) {
                Some(&i) => places[i].merge_from(*place, true),
                None => {
                    position.insert(place.id.clone(), places.len());
                    places.push(*place);
                }
            },
            ImportRecord::Name { place_id, name } => {
                if let Some(&i) = position.get(&place_id) {
                    places[i].add_name(name);
                }
            }
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match result {
        Ok(()) => Ok(()),
        Err(ImportError::Gazetteer(e)) => Err(e),
        Err(ImportError::Sink(never)) => match never {},
    }
}
