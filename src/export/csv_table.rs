//! CSV export, RFC 4180, UTF-8. Incidents use ACLED's column names where a
//! concept matches, then sitrep's own; nested values are JSON text. A CSV
//! file has no place for metadata, so the last two columns of every row state
//! the attribution and the filters the export was made with: they survive
//! any sorting or copying of rows.

use std::io::Write;

use serde_json::Value;

use super::{ExportError, ATTRIBUTION};
use crate::store::{Layer, LayerFilter, Store, StoreError};

const INCIDENT_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "event_date_end",
    "time_precision",
    "time_of_day",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "radius_m",
    "place_id",
    "road_id",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injuries",
    "status",
    "tags",
    "claims_json",
    "sources_json",
    "revision",
];

const PLACE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "population",
    "latitude",
    "longitude",
    "radius_m",
    "names_json",
    "status",
    "revision",
];

const MENTION_COLUMNS: &[&str] = &[
    "id",
    "source_id",
    "source_title",
    "text",
    "place_id",
    "place_name",
    "score",
    "status",
    "latitude",
    "longitude",
];

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn claims_range(claims: &Value, kind: &str, pick: &str) -> i64 {
    let mut per_party: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for claim in claims.as_array().into_iter().flatten().filter(|c| c["kind"] == kind) {
        let v = claim[pick].as_i64().unwrap_or(0);
        let entry = per_party
            .entry(cell(&claim["party"]))
            .or_insert(if pick == "low" { i64::MAX } else { 0 });
        *entry = if pick == "low" {
            (*entry).min(v)
        } else {
            (*entry).max(v)
        };
    }
    per_party.values().map(|v| if *v == i64::MAX { 0 } else { *v }).sum()
}

fn incident_row(feature: &Value) -> Vec<String> {
    let p = &feature["properties"];
    let coordinates = &feature["geometry"]["coordinates"];
    let sources: Vec<String> = p["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| cell(&s["outlet"]))
        .filter(|s| !s.is_empty())
        .collect();
    vec![
        format!("{}{}", cell(&p["country"]), cell(&p["id"])),
        cell(&p["date_start"]),
        cell(&p["date_end"]),
        cell(&p["time_precision"]),
        cell(&p["time_of_day"]),
        cell(&p["event_type"]),
        cell(&p["sub_event_type"]),
        cell(&p["actor1"]),
        cell(&p["actor2"]),
        cell(&p["country"]),
        String::new(),
        cell(&p["location_name"]),
        cell(&coordinates[1]),
        cell(&coordinates[0]),
        cell(&p["geo_precision"]),
        cell(&p["radius_m"]),
        cell(&p["place_id"]),
        cell(&p["road_id"]),
        sources.join("; "),
        String::new(),
        cell(&p["notes"]),
        cell(&p["fatalities"]),
        claims_range(&p["claims"], "killed", "low").to_string(),
        claims_range(&p["claims"], "killed", "high").to_string(),
        cell(&p["injuries"]),
        cell(&p["status"]),
        p["tags"]
            .as_array()
            .map(|t| t.iter().map(cell).collect::<Vec<_>>().join(";"))
            .unwrap_or_default(),
        p["claims"].to_string(),
        p["sources"].to_string(),
        cell(&p["revision"]),
    ]
}

fn place_row(feature: &Value) -> Vec<String> {
    let p = &feature["properties"];
    let point = &p["point"];
    let (lon, lat) = match (&feature["geometry"]["type"], point) {
        (Value::String(t), _) if t == "Point" => (
            cell(&feature["geometry"]["coordinates"][0]),
            cell(&feature["geometry"]["coordinates"][1]),
        ),
        _ => (String::new(), String::new()),
    };
    vec![
        cell(&p["id"]),
        cell(&p["name"]),
        cell(&p["kind"]),
        cell(&p["country"]),
        cell(&p["admin1"]),
        cell(&p["population"]),
        lat,
        lon,
        cell(&p["radius_m"]),
        p["names"].to_string(),
        cell(&p["status"]),
        cell(&p["revision"]),
    ]
}

fn mention_row(feature: &Value) -> Vec<String> {
    let p = &feature["properties"];
    vec![
        cell(&p["id"]),
        cell(&p["source_id"]),
        cell(&p["source_title"]),
        cell(&p["text"]),
        cell(&p["place_id"]),
        cell(&p["place_name"]),
        cell(&p["score"]),
        cell(&p["status"]),
        cell(&feature["geometry"]["coordinates"][1]),
        cell(&feature["geometry"]["coordinates"][0]),
    ]
}

/// Turns a feature into a CSV row.
type RowWriter = fn(&Value) -> Vec<String>;

pub fn write(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let (columns, row): (&[&str], RowWriter) = match layer {
        Layer::Incidents => (INCIDENT_COLUMNS, incident_row),
        Layer::Places | Layer::Roads => (PLACE_COLUMNS, place_row),
        Layer::Mentions => (MENTION_COLUMNS, mention_row),
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let filters = super::describe_filters(filters_text);
    writer
        .write_record(columns.iter().chain(&["attribution", "filters"]))
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let end = store.layer_features(layer, filter, &mut |feature| {
        let mut cells = row(&feature);
        cells.push(ATTRIBUTION.to_string());
        cells.push(filters.clone());
        writer
            .write_record(&cells)
            .map_err(|e| StoreError::Invalid(e.to_string()))
    })?;
    writer.flush()?;
    Ok(end.count)
}
