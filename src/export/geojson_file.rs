//! GeoJSON export: the layer's FeatureCollection with a top-level `name`,
//! `attribution` and `filters`.

use std::io::Write;

use super::{ExportError, ATTRIBUTION};
use crate::store::{Layer, LayerFilter, Store, StoreError};

pub fn write(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    writeln!(
        out,
        "{{\"type\":\"FeatureCollection\",\"name\":{},\"attribution\":{},\"filters\":{},\"features\":[",
        serde_json::Value::from(format!("sitrep-{}", layer.name())),
        serde_json::Value::from(ATTRIBUTION),
        serde_json::Value::from(super::describe_filters(filters_text))
    )?;
    let mut first = true;
    // serialised into a buffer first: serde_json's many small writes are
    // slow through a `dyn Write`
    let mut buffer = Vec::with_capacity(4096);
    let end = store.layer_features(layer, filter, &mut |feature| {
        buffer.clear();
        if !first {
            buffer.extend_from_slice(b",\n");
        }
        first = false;
        serde_json::to_writer(&mut buffer, &feature).map_err(|e| StoreError::Invalid(e.to_string()))?;
        out.write_all(&buffer).map_err(|e| StoreError::Invalid(e.to_string()))
    })?;
    out.write_all(b"\n]}\n")?;
    Ok(end.count)
}
