//! FlatGeobuf export: a binary, streamable format with a packed Hilbert
//! R-tree, for large layers. Columns come from the layer's schema; nested
//! values are JSON columns; the header's title and description carry the
//! attribution and the filters. Features are in the index's (Hilbert) order,
//! which depends only on the data, so the same filters give the same bytes.

use std::io::Write;

use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::geojson::GeoJson;
use geozero::{ColumnValue, PropertyProcessor};
use serde_json::Value;

use super::{ExportError, ATTRIBUTION};
use crate::store::{FieldType, Layer, LayerFilter, Store, StoreError};

fn column_type(kind: FieldType) -> ColumnType {
    match kind {
        FieldType::Integer => ColumnType::Long,
        FieldType::Real => ColumnType::Double,
        FieldType::Text | FieldType::Date => ColumnType::String,
        FieldType::Json => ColumnType::Json,
    }
}

/// Writes one property in its column's type; a missing value writes nothing
/// (FlatGeobuf's null).
fn write_property(
    sink: &mut dyn PropertyProcessor,
    index: usize,
    name: &str,
    kind: FieldType,
    value: &Value,
) -> geozero::error::Result<()> {
    match (kind, value) {
        (_, Value::Null) => {}
        (FieldType::Integer, Value::Number(n)) => {
            if let Some(v) = n.as_i64() {
                sink.property(index, name, &ColumnValue::Long(v))?;
            }
        }
        (FieldType::Real, Value::Number(n)) => {
            if let Some(v) = n.as_f64() {
                sink.property(index, name, &ColumnValue::Double(v))?;
            }
        }
        (FieldType::Json, other) => {
            sink.property(index, name, &ColumnValue::Json(&other.to_string()))?;
        }
        (_, Value::String(text)) => {
            sink.property(index, name, &ColumnValue::String(text))?;
        }
        (_, other) => {
            sink.property(index, name, &ColumnValue::String(&other.to_string()))?;
        }
    }
    Ok(())
}

pub fn write(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let fgb_error = |e: flatgeobuf::Error| ExportError::FlatGeobuf(e.to_string());
    let geometry_type = match layer {
        Layer::Incidents | Layer::Mentions => GeometryType::Point,
        // points, lines and areas side by side: each feature says which
        Layer::Places | Layer::Roads => GeometryType::Unknown,
    };
    let title = format!("sitrep {}", layer.name());
    let description = format!("{ATTRIBUTION} Filters: {}", super::describe_filters(filters_text));
    // GDAL refuses an index over no features, so an empty layer has none
    let write_index = store.layer_count(layer, filter)? > 0;
    let mut writer = FgbWriter::create_with_options(
        &format!("sitrep-{}", layer.name()),
        geometry_type,
        FgbWriterOptions {
            write_index,
            crs: FgbCrs {
                org: Some("EPSG"),
                code: 4326,
                ..Default::default()
            },
            title: Some(&title),
            description: Some(&description),
            ..Default::default()
        },
    )
    .map_err(fgb_error)?;
    let fields = layer.fields();
    for field in fields {
        writer.add_column(field.name, column_type(field.kind), |_, column| {
            column.nullable = true;
        });
    }
    let end = store.layer_features(layer, filter, &mut |feature| {
        let geometry = feature["geometry"].to_string();
        let properties = &feature["properties"];
        let mut failure = None;
        writer
            .add_feature_geom(GeoJson(&geometry), |sink| {
                for (index, field) in fields.iter().enumerate() {
                    if let Err(e) = write_property(sink, index, field.name, field.kind, &properties[field.name]) {
                        failure = Some(e);
                    }
                }
            })
            .map_err(|e| StoreError::Invalid(format!("FlatGeobuf feature {}: {e}", feature["id"])))?;
        match failure {
            Some(e) => Err(StoreError::Invalid(format!(
                "FlatGeobuf feature {}: {e}",
                feature["id"]
            ))),
            None => Ok(()),
        }
    })?;
    writer.write(out).map_err(fgb_error)?;
    Ok(end.count)
}
