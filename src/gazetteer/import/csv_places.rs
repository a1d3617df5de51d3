//! Simple CSV: a header row with at least `name`, `lat`, `lon`; optional
//! `id`, `kind`, `alternates` (separated by `|` or `;`), `country`,
//! `population`, `radius_m`.

use std::collections::HashMap;
use std::io::BufRead;

use super::geonames::default_radius_m;
use super::{ImportError, ImportRecord};
use crate::gazetteer::normalize::normalize_key;
use crate::gazetteer::{GazetteerError, Name, NameKind, Place, PlaceKind, Source};

/// Reads places from CSV. Rows without an `id` get a stable one made from
/// the name and the coordinates, so importing the same file twice updates
/// rather than duplicates.
pub fn read_csv<E>(
    reader: impl BufRead,
    label: &str,
    mut sink: impl FnMut(ImportRecord) -> Result<(), E>,
) -> Result<(), ImportError<E>> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header_error = |message: String| GazetteerError::parse(label, 1, "header", message);
    let headers = csv.headers().map_err(|e| header_error(e.to_string()))?.clone();
    let column: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_ascii_lowercase(), i))
        .collect();
    for required in ["name", "lat", "lon"] {
        if !column.contains_key(required) {
            return Err(header_error(format!("missing column `{required}`")).into());
        }
    }
    for (row_index, row) in csv.records().enumerate() {
        let line = row_index as u64 + 2;
        let row = row.map_err(|e| {
            let message = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                _ => e.to_string(),
            };
            GazetteerError::parse(label, line, "row", message)
        })?;
        let place = csv_row_to_place(
            &Row {
                row: &row,
                column: &column,
            },
            label,
            line,
        )?;
        sink(ImportRecord::Place(Box::new(place))).map_err(ImportError::Sink)?;
    }
    Ok(())
}

/// A CSV row read by column name.
struct Row<'a> {
    row: &'a csv::StringRecord,
    column: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        self.column.get(name).and_then(|&i| self.row.get(i)).unwrap_or("")
    }
}

fn csv_row_to_place(row: &Row<'_>, label: &str, line: u64) -> Result<Place, GazetteerError> {
    let field = |name: &str| row.get(name);
    let err = |name: &str, message: String| GazetteerError::parse(label, line, name, message);
    let name = field("name");
    if name.is_empty() {
        return Err(err("name", "empty name".into()));
    }
    let number = |name: &str| -> Result<f64, GazetteerError> {
        field(name)
            .parse::<f64>()
            .map_err(|_| err(name, format!("{:?} is not a number", field(name))))
    };
    let lat = number("lat")?;
    let lon = number("lon")?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(err("lat", format!("{lat} is outside [-90, 90]")));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(err("lon", format!("{lon} is outside [-180, 180]")));
    }
    let kind: PlaceKind = match field("kind") {
        "" => PlaceKind::populated("PPL"),
        text => text
            .parse()
            .map_err(|e: crate::gazetteer::UnknownKind| err("kind", e.to_string()))?,
    };
    let id = match field("id") {
        "" => format!("csv:{}@{:.4},{:.4}", normalize_key(name).replace(' ', "-"), lat, lon),
        id => id.to_string(),
    };
    let mut place = Place::new_point(&id, name, kind.clone(), lon, lat);
    place.country = field("country").to_ascii_uppercase();
    if !field("population").is_empty() {
        place.population = field("population")
            .parse()
            .map_err(|_| err("population", format!("{:?} is not a whole number", field("population"))))?;
    }
    place.radius_m = if field("radius_m").is_empty() {
        default_radius_m(&kind, place.population)
    } else {
        let radius = number("radius_m")?;
        if !(radius.is_finite() && radius > 0.0) {
            return Err(err("radius_m", format!("{radius} is not a positive radius")));
        }
        radius
    };
    for alternate in field("alternates")
        .split(['|', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        place.add_name(Name::new(alternate, NameKind::Alternate));
    }
    place.sources.push(std::sync::Arc::new(Source {
        name: label.to_string(),
        r#ref: format!("line {line}"),
        licence: String::new(),
        facts: vec!["geometry".into(), "names".into()],
    }));
    Ok(place)
}
