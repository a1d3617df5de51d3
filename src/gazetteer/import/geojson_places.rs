//! sitrep gazetteer GeoJSON: the format `sitrep gazetteer export` writes.

use std::io::BufRead;

use super::{ImportError, ImportRecord};
use crate::gazetteer::{feature_to_place, GazetteerError};

/// Reads a FeatureCollection of places. Errors name the feature (1-based).
pub fn read_geojson<E>(
    mut reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    let mut text = String::new();
    reader.read_to_string(&mut text).map_err(|e| {
        let message = if e.kind() == std::io::ErrorKind::InvalidData {
            "invalid UTF-8".to_string()
        } else {
            e.to_string()
        };
        GazetteerError::parse(label, 0, "file", message)
    })?;
    let collection: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .map_err(|e| GazetteerError::parse(label, 0, "file", format!("not GeoJSON: {e}")))
        .and_then(|g| {
            geojson::FeatureCollection::try_from(g)
                .map_err(|e| GazetteerError::parse(label, 0, "type", format!("expected a FeatureCollection: {e}")))
        })?;
    for (i, feature) in collection.features.iter().enumerate() {
        let place = feature_to_place(feature, label, i as u64 + 1)?;
        sink(ImportRecord::Place(Box::new(place))).map_err(ImportError::Sink)?;
    }
    Ok(())
}
