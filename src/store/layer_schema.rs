//! The attribute schema of each layer: every property a feature carries, in
//! order, with its type. The typed export formats (GeoPackage, FlatGeobuf)
//! build their columns from it, so a column keeps its type even when the
//! first feature written has no value for it.

use super::Layer;

/// The type of a layer property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A whole number.
    Integer,
    /// A floating-point number.
    Real,
    /// Text.
    Text,
    /// An ISO 8601 calendar date (`2023-03-05`).
    Date,
    /// A nested value (array or object), written as JSON text by flat formats.
    Json,
}

/// One property of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The property name.
    pub name: &'static str,
    /// Its type.
    pub kind: FieldType,
}

const fn field(name: &'static str, kind: FieldType) -> Field {
    Field { name, kind }
}

use FieldType::{Date, Integer, Json, Real, Text};

const INCIDENT_FIELDS: &[Field] = &[
    field("id", Integer),
    field("status", Text),
    field("date_start", Date),
    field("date_end", Date),
    field("time_precision", Integer),
    field("time_of_day", Text),
    field("event_type", Text),
    field("sub_event_type", Text),
    field("actor1", Text),
    field("actor2", Text),
    field("fatalities", Integer),
    field("injuries", Integer),
    field("claims", Json),
    field("location_name", Text),
    field("place_id", Text),
    field("place_name", Text),
    field("road_id", Text),
    field("country", Text),
    field("geo_precision", Integer),
    field("radius_m", Real),
    field("notes", Text),
    field("tags", Json),
    field("outlets", Text),
    field("source_count", Integer),
    field("sources", Json),
    field("confidence", Real),
    field("revision", Integer),
    field("updated_at", Text),
];

const PLACE_FIELDS: &[Field] = &[
    field("id", Text),
    field("name", Text),
    field("kind", Text),
    field("country", Text),
    field("admin1", Text),
    field("population", Integer),
    field("radius_m", Real),
    field("status", Text),
    field("superseded_by", Text),
    field("names", Json),
    field("note", Text),
    field("sources", Json),
    field("revision", Integer),
];

const MENTION_FIELDS: &[Field] = &[
    field("id", Integer),
    field("source_id", Integer),
    field("source_title", Text),
    field("text", Text),
    field("place_id", Text),
    field("place_name", Text),
    field("score", Real),
    field("status", Text),
    field("reason", Json),
    field("start", Integer),
    field("end", Integer),
];

impl Layer {
    /// The properties every feature of this layer carries, in a stable order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Layer::Incidents => INCIDENT_FIELDS,
            Layer::Places | Layer::Roads => PLACE_FIELDS,
            Layer::Mentions => MENTION_FIELDS,
        }
    }
}
