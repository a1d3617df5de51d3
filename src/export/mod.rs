//! Exports of the layers for GIS software and spreadsheets: GeoJSON, CSV
//! (ACLED-compatible column names), KML, GeoPackage and FlatGeobuf. Each export uses the
//! same filters as the map, orders features by id (so the same filters give
//! the same bytes), and states its licence, attribution and filters.

mod csv_table;
mod fgb;
mod geojson_file;
mod gpkg;
mod kml;

use std::io::Write;
use std::path::Path;

use crate::store::{Layer, LayerFilter, Store, StoreError};

/// Attribution every export carries.
pub const ATTRIBUTION: &str = "sitrep export. Incident data: sitrep users (see each source). Gazetteer: GeoNames (CC BY 4.0, https://www.geonames.org/) and sitrep curated data (see data/ATTRIBUTION.md). Basemap: Natural Earth (public domain).";

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 7946 GeoJSON.
    GeoJson,
    /// RFC 4180 CSV.
    Csv,
    /// KML 2.2.
    Kml,
    /// OGC GeoPackage.
    GeoPackage,
    /// FlatGeobuf, with a spatial index.
    FlatGeobuf,
}

impl Format {
    /// Parses a format name or file extension.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "geojson" | "json" => Format::GeoJson,
            "csv" => Format::Csv,
            "kml" => Format::Kml,
            "gpkg" | "geopackage" => Format::GeoPackage,
            "fgb" | "flatgeobuf" => Format::FlatGeobuf,
            _ => return None,
        })
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::Kml => "kml",
            Format::GeoPackage => "gpkg",
            Format::FlatGeobuf => "fgb",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::GeoPackage => "application/geopackage+sqlite3",
            Format::FlatGeobuf => "application/flatgeobuf",
        }
    }
}

/// Errors writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed.
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// Building the GeoPackage failed.
    #[error("writing the GeoPackage: {0}")]
    GeoPackage(#[from] rusqlite::Error),
    /// Building the FlatGeobuf file failed.
    #[error("writing the FlatGeobuf file: {0}")]
    FlatGeobuf(String),
}

/// A human-readable statement of the filters, for the export's metadata.
pub fn describe_filters(query: &str) -> String {
    if query.is_empty() {
        "no filters (published incidents)".to_string()
    } else {
        query.to_string()
    }
}

/// Writes a layer in a streamable format (GeoJSON, CSV, KML, FlatGeobuf) to `out`.
pub fn write_export(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    format: Format,
    filters_text: &str,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    match format {
        Format::GeoJson => geojson_file::write(store, layer, filter, filters_text, out),
        Format::Csv => csv_table::write(store, layer, filter, filters_text, out),
        Format::Kml => kml::write(store, layer, filter, filters_text, out),
        Format::FlatGeobuf => fgb::write(store, layer, filter, filters_text, out),
        Format::GeoPackage => Err(ExportError::Io(std::io::Error::other(
            "a GeoPackage is written to a file: use write_geopackage",
        ))),
    }
}

/// Writes a layer as a GeoPackage file at `path` (which must not exist).
pub fn write_geopackage(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    path: &Path,
) -> Result<usize, ExportError> {
    gpkg::write(store, layer, filter, filters_text, path)
}
