//! Writing places as the sitrep gazetteer GeoJSON (see `data/README.md`).

use std::io::Write;

use super::{place_to_feature, GazetteerError, Place};

/// Writes `places` as one FeatureCollection named `sitrep-gazetteer`, one
/// feature per line, sorted by id so the same gazetteer always gives the same
/// bytes. Streams: memory does not grow with the number of places.
pub fn write_geojson<'a, W: Write>(
    places: impl IntoIterator<Item = &'a Place>,
    mut out: W,
) -> Result<(), GazetteerError> {
    let io = |source| GazetteerError::Io {
        path: "<output>".into(),
        source,
    };
    let mut sorted: Vec<&Place> = places.into_iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    out.write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"sitrep-gazetteer\",\"features\":[\n")
        .map_err(io)?;
    for (i, place) in sorted.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n").map_err(io)?;
        }
        let feature = place_to_feature(place);
        serde_json::to_writer(&mut out, &feature).map_err(|e| io(e.into()))?;
    }
    out.write_all(b"\n]}\n").map_err(io)?;
    out.flush().map_err(io)
}
