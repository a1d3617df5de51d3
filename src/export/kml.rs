//! KML export for Google Earth: a styled placemark per feature, the
//! attribution and filters in the document's description.

use std::io::Write;

use serde_json::Value;

use super::{ExportError, ATTRIBUTION};
use crate::store::{Layer, LayerFilter, Store, StoreError};

/// Event types and their colours (KML colours are aabbggrr).
const STYLES: &[(&str, &str)] = &[
    ("Battles", "ff3c14dc"),
    ("Explosions/Remote violence", "ff0080ff"),
    ("Violence against civilians", "ff8b008b"),
    ("Protests", "ff32cd32"),
    ("Riots", "ff00d7ff"),
    ("Strategic developments", "ff808080"),
];

/// Escapes text for XML.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn style_id(event_type: &str) -> String {
    format!("t{}", STYLES.iter().position(|(t, _)| *t == event_type).unwrap_or(5))
}

fn coordinates(geometry: &Value) -> Option<String> {
    let pair = |c: &Value| Some(format!("{},{}", c[0].as_f64()?, c[1].as_f64()?));
    match geometry["type"].as_str()? {
        "Point" => Some(format!(
            "<Point><coordinates>{}</coordinates></Point>",
            pair(&geometry["coordinates"])?
        )),
        "LineString" => {
            let line: Vec<String> = geometry["coordinates"].as_array()?.iter().filter_map(pair).collect();
            Some(format!(
                "<LineString><coordinates>{}</coordinates></LineString>",
                line.join(" ")
            ))
        }
        "MultiLineString" => {
            let lines: Vec<String> = geometry["coordinates"]
                .as_array()?
                .iter()
                .filter_map(|l| {
                    l.as_array()
                        .map(|pts| pts.iter().filter_map(pair).collect::<Vec<_>>().join(" "))
                })
                .map(|c| format!("<LineString><coordinates>{c}</coordinates></LineString>"))
                .collect();
            Some(format!("<MultiGeometry>{}</MultiGeometry>", lines.join("")))
        }
        _ => None,
    }
}

pub fn write(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>sitrep {}</name>\n<description>{}\nFilters: {}</description>\n",
        layer.name(),
        xml_escape(ATTRIBUTION),
        xml_escape(&super::describe_filters(filters_text))
    )?;
    for (i, (_, colour)) in STYLES.iter().enumerate() {
        writeln!(out, "<Style id=\"t{i}\"><IconStyle><color>{colour}</color></IconStyle><LineStyle><color>{colour}</color><width>3</width></LineStyle></Style>")?;
    }
    let end = store.layer_features(layer, filter, &mut |feature| {
        let p = &feature["properties"];
        let io = |e: std::io::Error| StoreError::Invalid(e.to_string());
        let Some(geometry) = coordinates(&feature["geometry"]) else {
            return Ok(());
        };
        let name = match layer {
            Layer::Incidents => format!(
                "{} {}, {}",
                p["date_start"].as_str().unwrap_or(""),
                p["event_type"].as_str().unwrap_or(""),
                p["location_name"].as_str().unwrap_or("")
            ),
            Layer::Mentions => p["text"].as_str().unwrap_or("").to_string(),
            _ => p["name"].as_str().unwrap_or("").to_string(),
        };
        let mut data = String::new();
        if let Some(props) = p.as_object() {
            for (key, value) in props {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                data.push_str(&format!(
                    "<Data name=\"{}\"><value>{}</value></Data>",
                    xml_escape(key),
                    xml_escape(&text)
                ));
            }
        }
        writeln!(
            out,
            "<Placemark id=\"{}\"><name>{}</name><styleUrl>#{}</styleUrl><ExtendedData>{}</ExtendedData>{}</Placemark>",
            xml_escape(&feature_id(&feature)),
            xml_escape(&name),
            style_id(p["event_type"].as_str().unwrap_or("")),
            data,
            geometry
        )
        .map_err(io)
    })?;
    out.write_all(b"</Document>\n</kml>\n")?;
    Ok(end.count)
}

/// The feature id as text.
pub fn feature_id(feature: &Value) -> String {
    match &feature["id"] {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
