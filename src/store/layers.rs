//! The map layers as GeoJSON features, read straight from the database in
//! id order and in chunks, so a layer of any size streams in bounded memory.
//! Every feature of a layer has the same property names and types (GIS
//! software builds one schema from them); dates are ISO 8601.

use std::collections::HashMap;

use geo::{Geometry, Point};
use rusqlite::{params_from_iter, types::Value as SqlValue};
use serde_json::{json, Map, Value};

use super::filter::{LayerFilter, StatusFilter};
use super::{Store, StoreError};
use crate::gazetteer::summary::round6;

/// The layers sitrep serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Incidents (points, with uncertainty radius).
    Incidents,
    /// Gazetteer places other than routes.
    Places,
    /// Roads and corridors (lines).
    Roads,
    /// Place mentions in articles.
    Mentions,
}

impl Layer {
    /// Parses a layer name.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "incidents" => Layer::Incidents,
            "places" => Layer::Places,
            "roads" => Layer::Roads,
            "mentions" => Layer::Mentions,
            _ => return None,
        })
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Incidents => "incidents",
            Layer::Places => "places",
            Layer::Roads => "roads",
            Layer::Mentions => "mentions",
        }
    }
}

/// A layer's bounding box `[min_lon, min_lat, max_lon, max_lat]` and, for
/// incidents, its first and last day.
pub type Extent = ([f64; 4], Option<(String, String)>);

/// Rows read per database round trip.
const CHUNK: usize = 500;

/// Where to stop and how a page ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageEnd {
    /// Features written.
    pub count: usize,
    /// Id (or rowid) of the last feature, the cursor for the next page.
    pub last_key: Option<i64>,
    /// Whether more features match after this page.
    pub more: bool,
}

fn geometry_json(geometry: &Geometry<f64>) -> Value {
    use geo::MapCoords;
    let rounded = geometry.map_coords(|c| geo::Coord {
        x: round6(c.x),
        y: round6(c.y),
    });
    serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(&rounded))).unwrap_or(Value::Null)
}

fn point_json(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [round6(lon), round6(lat)]})
}

/// The point of `line` nearest to `point` (planar, fine at road scale).
fn snap_to_line(geometry: &Geometry<f64>, point: Point<f64>) -> Option<Point<f64>> {
    use geo::{Closest, ClosestPoint};
    match geometry.closest_point(&point) {
        Closest::Intersection(p) | Closest::SinglePoint(p) => Some(p),
        Closest::Indeterminate => None,
    }
}

fn feature_geometry(feature_text: &str) -> Option<Geometry<f64>> {
    let feature: geojson::Feature = feature_text
        .parse::<geojson::GeoJson>()
        .ok()
        .and_then(|g| geojson::Feature::try_from(g).ok())?;
    Geometry::try_from(feature.geometry?.value).ok()
}

impl Store {
    /// A number that changes whenever anything the layers show changes (for
    /// ETags): a counter kept by triggers, so it costs one row read.
    pub fn data_version(&self) -> Result<String, StoreError> {
        let n: i64 = self.conn.query_row("SELECT n FROM data_version", [], |r| r.get(0))?;
        Ok(n.to_string())
    }

    /// When the data last changed (the latest revision or place update), as
    /// an ISO 8601 instant; exports record it, so the same data exports to
    /// the same bytes.
    pub fn last_change(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row(
            "SELECT max(coalesce((SELECT max(at) FROM revisions), ''), coalesce((SELECT max(updated_at) FROM places), ''))",
            [],
            |r| r.get(0),
        )?)
    }

    /// Writes the features of a layer matching `filter`, in id order, to
    /// `sink`; at most `filter.limit`.
    pub fn layer_features(
        &self,
        layer: Layer,
        filter: &LayerFilter,
        sink: &mut dyn FnMut(Value) -> Result<(), StoreError>,
    ) -> Result<PageEnd, StoreError> {
        match layer {
            Layer::Incidents => self.incident_features(filter, sink),
            Layer::Places => self.place_features(filter, false, sink),
            Layer::Roads => self.place_features(filter, true, sink),
            Layer::Mentions => self.mention_features(filter, sink),
        }
    }

    /// The cursor that skips the first `offset` matching features (for
    /// offset paging); `i64::MAX` when the offset is past the end.
    pub fn cursor_at_offset(
        &self,
        layer: Layer,
        filter: &LayerFilter,
        offset: usize,
    ) -> Result<Option<i64>, StoreError> {
        if offset == 0 {
            return Ok(filter.after);
        }
        let mut unpaged = filter.clone();
        unpaged.limit = None;
        let (key, (sql, args)) = match layer {
            Layer::Incidents => ("i.id", incident_query(&unpaged, "i.id", None)),
            Layer::Places | Layer::Roads => ("p.rowid", place_query(&unpaged, layer == Layer::Roads, "p.rowid", None)),
            Layer::Mentions => ("m.id", mention_query(&unpaged, "m.id", None)),
        };
        let sql = format!("{sql} ORDER BY {key} LIMIT 1 OFFSET {}", offset - 1);
        use rusqlite::OptionalExtension;
        let key: Option<i64> = self
            .conn
            .query_row(&sql, params_from_iter(args.iter()), |r| r.get(0))
            .optional()?;
        Ok(Some(key.unwrap_or(i64::MAX)))
    }

    /// The spatial extent `[min_lon, min_lat, max_lon, max_lat]` of a layer's
    /// published data, and for incidents the first and last day.
    pub fn layer_extent(&self, layer: Layer) -> Result<Extent, StoreError> {
        let (sql, args) = match layer {
            Layer::Incidents => incident_query(
                &LayerFilter::default(),
                "min(p.lon), min(p.lat), max(p.lon), max(p.lat), min(i.date_start), max(i.date_end)",
                None,
            ),
            Layer::Places | Layer::Roads => place_query(
                &LayerFilter::default(),
                layer == Layer::Roads,
                "min(p.lon), min(p.lat), max(p.lon), max(p.lat), NULL, NULL",
                None,
            ),
            Layer::Mentions => mention_query(
                &LayerFilter::default(),
                "min(p.lon), min(p.lat), max(p.lon), max(p.lat), NULL, NULL",
                None,
            ),
        };
        type Bounds = (Option<f64>, Option<f64>, Option<f64>, Option<f64>);
        let (bounds, first, last): (Bounds, Option<String>, Option<String>) =
            self.conn.query_row(&sql, params_from_iter(args.iter()), |r| {
                Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get(4)?, r.get(5)?))
            })?;
        let row = (bounds.0, bounds.1, bounds.2, bounds.3, first, last);
        let bbox = match row {
            (Some(a), Some(b), Some(c), Some(d), _, _) => [a, b, c, d],
            _ => [-180.0, -90.0, 180.0, 90.0],
        };
        let interval = match (row.4, row.5) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        Ok((bbox, interval))
    }

    /// How many features of a layer match (ignoring limit and cursor).
    pub fn layer_count(&self, layer: Layer, filter: &LayerFilter) -> Result<usize, StoreError> {
        let mut unpaged = filter.clone();
        unpaged.limit = None;
        unpaged.after = None;
        let (sql, args) = match layer {
            Layer::Incidents => incident_query(&unpaged, "count(*)", None),
            Layer::Places | Layer::Roads => place_query(&unpaged, layer == Layer::Roads, "count(*)", None),
            Layer::Mentions => mention_query(&unpaged, "count(*)", None),
        };
        Ok(self
            .conn
            .query_row(&sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? as usize)
    }

    fn incident_features(
        &self,
        filter: &LayerFilter,
        sink: &mut dyn FnMut(Value) -> Result<(), StoreError>,
    ) -> Result<PageEnd, StoreError> {
        let columns = "i.id, i.status, i.date_start, i.date_end, i.time_precision, coalesce(i.time_of_day, ''), i.event_type,
            i.sub_event_type, i.actor1, i.actor2, coalesce(i.place_id, ''), coalesce(i.road_id, ''), i.geo_precision, i.radius_m,
            i.location_name, i.notes, i.confidence, i.revision, i.updated_at, p.lon, p.lat, p.country, coalesce(p.name, ''), i.tags";
        let limit = filter.limit.unwrap_or(usize::MAX);
        let mut end = PageEnd::default();
        let mut after = filter.after;
        let mut roads: HashMap<String, Option<Geometry<f64>>> = HashMap::new();
        // A bbox is answered from the places side (few places, their
        // incidents by index); the matching ids are found once, in id order,
        // and their rows read chunk by chunk.
        let bbox_ids = match filter.bbox {
            Some(_) => {
                let (sql, args) = incident_query(filter, "i.id", Some((filter.after, limit.saturating_add(1))));
                let mut statement = self.conn.prepare_cached(&sql)?;
                let ids = statement
                    .query_map(params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?
                    .collect::<Result<Vec<i64>, _>>()?;
                Some(ids)
            }
            None => None,
        };
        let mut position = 0;
        let row = |r: &rusqlite::Row| (0..24).map(|i| r.get::<_, SqlValue>(i)).collect();
        loop {
            let want = CHUNK.min(limit.saturating_sub(end.count).saturating_add(1));
            let rows: Vec<Vec<SqlValue>> = match &bbox_ids {
                Some(ids) => {
                    let chunk = &ids[position.min(ids.len())..(position + want).min(ids.len())];
                    position += chunk.len();
                    let mut statement = self.conn.prepare_cached(&format!(
                        "SELECT {columns} FROM incidents i LEFT JOIN places p ON p.id = i.place_id
                         WHERE i.id IN (SELECT value FROM json_each(?1)) ORDER BY i.id"
                    ))?;
                    let rows = statement.query_map([id_list(chunk)], row)?.collect::<Result<_, _>>()?;
                    rows
                }
                None => {
                    let (sql, args) = incident_query(filter, columns, Some((after, want)));
                    let mut statement = self.conn.prepare_cached(&sql)?;
                    let rows = statement
                        .query_map(params_from_iter(args.iter()), row)?
                        .collect::<Result<_, _>>()?;
                    rows
                }
            };
            if rows.is_empty() {
                return Ok(end);
            }
            let ids: Vec<i64> = rows.iter().map(|r| int(&r[0])).collect();
            let mut claims = self.claims_by_incident(&ids)?;
            let mut sources = self.sources_by_incident(&ids)?;
            let fetched = rows.len();
            for row in rows {
                if end.count == limit {
                    end.more = true;
                    return Ok(end);
                }
                let id = int(&row[0]);
                let (lon, lat) = (float(&row[19]), float(&row[20]));
                let road_id = text(&row[11]);
                let geo_precision = int(&row[12]);
                let mut point = Point::new(lon, lat);
                // an incident on a road is drawn on the road's line
                if !road_id.is_empty() && geo_precision >= 2 {
                    let road = roads.entry(road_id.clone()).or_insert_with(|| {
                        self.place_feature_text(&road_id)
                            .ok()
                            .flatten()
                            .and_then(|f| feature_geometry(&f))
                    });
                    if let Some(snapped) = road.as_ref().and_then(|g| snap_to_line(g, point)) {
                        point = snapped;
                    }
                }
                let claims = claims.remove(&id).unwrap_or_default();
                let fatalities = total(&claims, "killed");
                let injuries = total(&claims, "injured");
                let sources = sources.remove(&id).unwrap_or_default();
                let outlets: Vec<String> = sources
                    .iter()
                    .filter_map(|s| s["outlet"].as_str().map(str::to_string))
                    .collect();
                let tags: Value = serde_json::from_str(&text(&row[23])).unwrap_or(json!([]));
                let mut properties = Map::new();
                properties.insert("id".into(), json!(id));
                properties.insert("status".into(), json!(text(&row[1])));
                properties.insert("date_start".into(), json!(text(&row[2])));
                properties.insert("date_end".into(), json!(text(&row[3])));
                properties.insert("time_precision".into(), json!(int(&row[4])));
                properties.insert("time_of_day".into(), json!(text(&row[5])));
                properties.insert("event_type".into(), json!(text(&row[6])));
                properties.insert("sub_event_type".into(), json!(text(&row[7])));
                properties.insert("actor1".into(), json!(text(&row[8])));
                properties.insert("actor2".into(), json!(text(&row[9])));
                properties.insert("fatalities".into(), json!(fatalities));
                properties.insert("injuries".into(), json!(injuries));
                properties.insert("claims".into(), Value::Array(claims));
                properties.insert("location_name".into(), json!(text(&row[14])));
                properties.insert("place_id".into(), json!(text(&row[10])));
                properties.insert("place_name".into(), json!(text(&row[22])));
                properties.insert("road_id".into(), json!(road_id));
                properties.insert("country".into(), json!(text(&row[21])));
                properties.insert("geo_precision".into(), json!(geo_precision));
                properties.insert("radius_m".into(), json!(float(&row[13]).round()));
                properties.insert("notes".into(), json!(text(&row[15])));
                properties.insert("tags".into(), tags);
                properties.insert("outlets".into(), json!(outlets.join("; ")));
                properties.insert("source_count".into(), json!(sources.len()));
                properties.insert("sources".into(), Value::Array(sources));
                properties.insert("confidence".into(), json!((float(&row[16]) * 100.0).round() / 100.0));
                properties.insert("revision".into(), json!(int(&row[17])));
                properties.insert("updated_at".into(), json!(text(&row[18])));
                sink(
                    json!({"type": "Feature", "id": id, "geometry": point_json(point.x(), point.y()), "properties": properties}),
                )?;
                end.count += 1;
                end.last_key = Some(id);
                after = Some(id);
            }
            if fetched < want {
                return Ok(end);
            }
        }
    }

    fn place_feature_text(&self, id: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT feature FROM places WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    fn claims_by_incident(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Value>>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        // the chunk's ids, not a range: a filtered page is scattered over the table
        // the ids as one JSON parameter: one statement, prepared once, for every chunk
        let mut statement = self.conn.prepare_cached(
            "SELECT c.incident_id, c.party, c.kind, c.low, c.best, c.high, c.quote, coalesce(s.title, ''), coalesce(s.outlet, ''), c.source_id
             FROM claims c LEFT JOIN sources s ON s.id = c.source_id
             WHERE c.incident_id IN (SELECT value FROM json_each(?1)) ORDER BY c.id",
        )?;
        let mut out: HashMap<i64, Vec<Value>> = HashMap::new();
        let rows = statement.query_map([id_list(ids)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                json!({"party": r.get::<_, String>(1)?, "kind": r.get::<_, String>(2)?, "low": r.get::<_, i64>(3)?,
                       "best": r.get::<_, i64>(4)?, "high": r.get::<_, i64>(5)?, "quote": r.get::<_, String>(6)?,
                       "source_title": r.get::<_, String>(7)?, "outlet": r.get::<_, String>(8)?, "source_id": r.get::<_, Option<i64>>(9)?}),
            ))
        })?;
        for row in rows {
            let (id, claim) = row?;
            out.entry(id).or_default().push(claim);
        }
        Ok(out)
    }

    fn sources_by_incident(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<Value>>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT l.incident_id, s.id, s.title, s.outlet, s.url, coalesce(s.published, ''), l.quote, l.merged,
                    coalesce(m.text, ''), coalesce(m.place_id, ''), coalesce(m.reason, '[]'), coalesce(m.score, 0)
             FROM incident_sources l JOIN sources s ON s.id = l.source_id
             JOIN incidents i ON i.id = l.incident_id
             LEFT JOIN mentions m ON m.id = (SELECT id FROM mentions WHERE source_id = s.id AND place_id = i.place_id ORDER BY score DESC LIMIT 1)
             WHERE l.incident_id IN (SELECT value FROM json_each(?1)) ORDER BY l.incident_id, s.id",
        )?;
        let mut out: HashMap<i64, Vec<Value>> = HashMap::new();
        let rows = statement.query_map([id_list(ids)], |r| {
            let reason: String = r.get(10)?;
            Ok((
                r.get::<_, i64>(0)?,
                json!({"source_id": r.get::<_, i64>(1)?, "title": r.get::<_, String>(2)?, "outlet": r.get::<_, String>(3)?,
                       "url": r.get::<_, String>(4)?, "published": r.get::<_, String>(5)?, "quote": r.get::<_, String>(6)?,
                       "merged": r.get::<_, bool>(7)?,
                       "why_here": {"mention": r.get::<_, String>(8)?, "place_id": r.get::<_, String>(9)?,
                                    "reason": serde_json::from_str::<Value>(&reason).unwrap_or(json!([])),
                                    "score": r.get::<_, f64>(11)?}}),
            ))
        })?;
        for row in rows {
            let (id, source) = row?;
            out.entry(id).or_default().push(source);
        }
        Ok(out)
    }

    fn place_features(
        &self,
        filter: &LayerFilter,
        routes: bool,
        sink: &mut dyn FnMut(Value) -> Result<(), StoreError>,
    ) -> Result<PageEnd, StoreError> {
        let limit = filter.limit.unwrap_or(usize::MAX);
        let mut end = PageEnd::default();
        let mut after = filter.after;
        loop {
            let want = CHUNK.min(limit.saturating_sub(end.count).saturating_add(1));
            let (sql, args) = place_query(
                filter,
                routes,
                "p.rowid, p.id, p.feature, p.revision, coalesce(p.name, p.id)",
                Some((after, want)),
            );
            let mut statement = self.conn.prepare_cached(&sql)?;
            let rows: Vec<(i64, String, String, i64, String)> = statement
                .query_map(params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<Result<_, _>>()?;
            drop(statement);
            if rows.is_empty() {
                return Ok(end);
            }
            let fetched = rows.len();
            for (rowid, id, feature_text, revision, name) in rows {
                if end.count == limit {
                    end.more = true;
                    return Ok(end);
                }
                let mut feature: Value = serde_json::from_str(&feature_text).unwrap_or(Value::Null);
                let names: Vec<Value> = self.names_json(&id)?;
                let props = &feature["properties"];
                let properties = json!({
                    "id": id, "name": name, "kind": props["kind"], "country": props["country"], "admin1": props["admin1"],
                    "population": props["population"], "radius_m": props["radius_m"], "status": props["status"],
                    "superseded_by": props["superseded_by"].as_str().unwrap_or(""),
                    "names": names, "note": props["note"], "sources": props["sources"], "revision": revision,
                });
                let geometry = feature["geometry"].take();
                sink(
                    json!({"type": "Feature", "id": id, "geometry": round_geometry_json(geometry), "properties": properties}),
                )?;
                end.count += 1;
                end.last_key = Some(rowid);
                after = Some(rowid);
            }
            if fetched < want {
                return Ok(end);
            }
        }
    }

    fn names_json(&self, id: &str) -> Result<Vec<Value>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT text, lang, script, kind, valid_from, valid_to FROM place_names WHERE place_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([id], |r| {
            Ok(json!({"text": r.get::<_, String>(0)?, "lang": r.get::<_, String>(1)?, "script": r.get::<_, String>(2)?,
                      "kind": r.get::<_, String>(3)?, "valid_from": r.get::<_, Option<String>>(4)?, "valid_to": r.get::<_, Option<String>>(5)?}))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn mention_features(
        &self,
        filter: &LayerFilter,
        sink: &mut dyn FnMut(Value) -> Result<(), StoreError>,
    ) -> Result<PageEnd, StoreError> {
        let limit = filter.limit.unwrap_or(usize::MAX);
        let mut end = PageEnd::default();
        let mut after = filter.after;
        loop {
            let want = CHUNK.min(limit.saturating_sub(end.count).saturating_add(1));
            let (sql, args) = mention_query(
                filter,
                "m.id, m.source_id, s.title, m.text, m.place_id, m.score, m.status, m.reason, p.lon, p.lat, m.start, m.end, coalesce(p.name, '')",
                Some((after, want)),
            );
            let mut statement = self.conn.prepare_cached(&sql)?;
            let rows: Vec<Vec<SqlValue>> = statement
                .query_map(params_from_iter(args.iter()), |r| {
                    (0..13).map(|i| r.get::<_, SqlValue>(i)).collect()
                })?
                .collect::<Result<_, _>>()?;
            drop(statement);
            if rows.is_empty() {
                return Ok(end);
            }
            let fetched = rows.len();
            for row in rows {
                if end.count == limit {
                    end.more = true;
                    return Ok(end);
                }
                let id = int(&row[0]);
                let properties = json!({
                    "id": id, "source_id": int(&row[1]), "source_title": text(&row[2]), "text": text(&row[3]),
                    "place_id": text(&row[4]), "place_name": text(&row[12]), "score": float(&row[5]), "status": text(&row[6]),
                    "reason": serde_json::from_str::<Value>(&text(&row[7])).unwrap_or(json!([])),
                    "start": int(&row[10]), "end": int(&row[11]),
                });
                sink(
                    json!({"type": "Feature", "id": id, "geometry": point_json(float(&row[8]), float(&row[9])), "properties": properties}),
                )?;
                end.count += 1;
                end.last_key = Some(id);
                after = Some(id);
            }
            if fetched < want {
                return Ok(end);
            }
        }
    }
}

fn round_geometry_json(geometry: Value) -> Value {
    let parsed: Option<Geometry<f64>> = serde_json::from_value::<geojson::Geometry>(geometry.clone())
        .ok()
        .and_then(|g| Geometry::try_from(g.value).ok());
    match parsed {
        Some(g) => geometry_json(&g),
        None => geometry,
    }
}

/// Integer ids as an SQL list (integers only, so nothing to escape).
/// The ids as a JSON array, for `json_each`.
fn id_list(ids: &[i64]) -> String {
    format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

fn total(claims: &[Value], kind: &str) -> i64 {
    let mut per_party: HashMap<&str, i64> = HashMap::new();
    for claim in claims.iter().filter(|c| c["kind"] == kind) {
        let best = claim["best"].as_i64().unwrap_or(0);
        let entry = per_party.entry(claim["party"].as_str().unwrap_or("")).or_default();
        *entry = (*entry).max(best);
    }
    per_party.values().sum()
}

fn int(v: &SqlValue) -> i64 {
    match v {
        SqlValue::Integer(i) => *i,
        SqlValue::Real(f) => *f as i64,
        _ => 0,
    }
}

fn float(v: &SqlValue) -> f64 {
    match v {
        SqlValue::Real(f) => *f,
        SqlValue::Integer(i) => *i as f64,
        _ => 0.0,
    }
}

fn text(v: &SqlValue) -> String {
    match v {
        SqlValue::Text(t) => t.clone(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) => f.to_string(),
        _ => String::new(),
    }
}

fn push_bbox(clauses: &mut Vec<String>, args: &mut Vec<SqlValue>, bbox: Option<[f64; 4]>) {
    if let Some([a, b, c, d]) = bbox {
        clauses.push("p.lon BETWEEN ? AND ? AND p.lat BETWEEN ? AND ?".into());
        args.extend([
            SqlValue::Real(a),
            SqlValue::Real(c),
            SqlValue::Real(b),
            SqlValue::Real(d),
        ]);
    }
}

fn like(text: &str) -> SqlValue {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    SqlValue::Text(format!("%{escaped}%"))
}

fn incident_query(filter: &LayerFilter, columns: &str, page: Option<(Option<i64>, usize)>) -> (String, Vec<SqlValue>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<SqlValue> = Vec::new();
    // With a bbox, the places in it lead and their incidents follow by the
    // place index; `+` keeps SQLite from leading with the status index,
    // which would walk every incident.
    let status = if filter.bbox.is_some() { "+i.status" } else { "i.status" };
    match filter.status {
        StatusFilter::Published => clauses.push(format!("{status} = 'published'")),
        StatusFilter::Only(value) => {
            clauses.push(format!("{status} = ?"));
            args.push(SqlValue::Text(value.as_str().into()));
        }
        StatusFilter::All => {}
    }
    push_bbox(&mut clauses, &mut args, filter.bbox);
    if let Some((start, end)) = filter.datetime {
        if let Some(start) = start {
            clauses.push("i.date_end >= ?".into());
            args.push(SqlValue::Text(start.format("%Y-%m-%d").to_string()));
        }
        if let Some(end) = end {
            clauses.push("i.date_start <= ?".into());
            args.push(SqlValue::Text(end.format("%Y-%m-%d").to_string()));
        }
    }
    if !filter.event_types.is_empty() {
        clauses.push(format!(
            "i.event_type IN ({})",
            vec!["?"; filter.event_types.len()].join(",")
        ));
        args.extend(filter.event_types.iter().map(|t| SqlValue::Text(t.clone())));
    }
    if !filter.geo_precision.is_empty() {
        clauses.push(format!(
            "i.geo_precision IN ({})",
            vec!["?"; filter.geo_precision.len()].join(",")
        ));
        args.extend(filter.geo_precision.iter().map(|g| SqlValue::Integer(i64::from(*g))));
    }
    if let Some(id) = &filter.id {
        clauses.push("i.id = ?".into());
        args.push(SqlValue::Integer(id.parse().unwrap_or(-1)));
    }
    if let Some(place) = &filter.place {
        clauses.push("(i.place_id = ? OR i.road_id = ?)".into());
        args.extend([SqlValue::Text(place.clone()), SqlValue::Text(place.clone())]);
    }
    if !filter.outlets.is_empty() {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM incident_sources l JOIN sources s ON s.id = l.source_id WHERE l.incident_id = i.id AND s.outlet IN ({}))",
            vec!["?"; filter.outlets.len()].join(",")
        ));
        args.extend(filter.outlets.iter().map(|o| SqlValue::Text(o.clone())));
    }
    if let Some(q) = &filter.q {
        clauses.push(
            "(i.location_name LIKE ?1q ESCAPE '\\' OR i.actor1 LIKE ?1q ESCAPE '\\' OR i.actor2 LIKE ?1q ESCAPE '\\' OR i.notes LIKE ?1q ESCAPE '\\'
              OR i.event_type LIKE ?1q ESCAPE '\\' OR i.sub_event_type LIKE ?1q ESCAPE '\\'
              OR EXISTS (SELECT 1 FROM incident_sources l JOIN sources s ON s.id = l.source_id WHERE l.incident_id = i.id AND (s.title LIKE ?1q ESCAPE '\\' OR l.quote LIKE ?1q ESCAPE '\\')))"
                .replace("?1q", "?"),
        );
        for _ in 0..8 {
            args.push(like(q));
        }
    }
    let mut sql = if filter.bbox.is_some() {
        format!("SELECT {columns} FROM places p CROSS JOIN incidents i ON i.place_id = p.id")
    } else {
        format!("SELECT {columns} FROM incidents i LEFT JOIN places p ON p.id = i.place_id")
    };
    if let Some((Some(after), _)) = page {
        clauses.push("i.id > ?".into());
        args.push(SqlValue::Integer(after));
    }
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    if let Some((_, limit)) = page {
        sql.push_str(&format!(" ORDER BY i.id LIMIT {}", limit.min(i64::MAX as usize)));
    }
    (sql, args)
}

fn place_query(
    filter: &LayerFilter,
    routes: bool,
    columns: &str,
    page: Option<(Option<i64>, usize)>,
) -> (String, Vec<SqlValue>) {
    let mut clauses: Vec<String> = vec![if routes {
        "p.kind IN ('road', 'corridor')".into()
    } else {
        "p.kind NOT IN ('road', 'corridor')".into()
    }];
    let mut args = Vec::new();
    push_bbox(&mut clauses, &mut args, filter.bbox);
    if let Some(q) = &filter.q {
        clauses
            .push("EXISTS (SELECT 1 FROM place_names n WHERE n.place_id = p.id AND n.text LIKE ? ESCAPE '\\')".into());
        args.push(like(q));
    }
    for id in [&filter.place, &filter.id].into_iter().flatten() {
        clauses.push("p.id = ?".into());
        args.push(SqlValue::Text(id.clone()));
    }
    if let Some((Some(after), _)) = page {
        clauses.push("p.rowid > ?".into());
        args.push(SqlValue::Integer(after));
    }
    let mut sql = format!("SELECT {columns} FROM places p WHERE {}", clauses.join(" AND "));
    if let Some((_, limit)) = page {
        sql.push_str(&format!(" ORDER BY p.rowid LIMIT {limit}"));
    }
    (sql, args)
}

fn mention_query(filter: &LayerFilter, columns: &str, page: Option<(Option<i64>, usize)>) -> (String, Vec<SqlValue>) {
    let mut clauses: Vec<String> = vec![
        "m.place_id IS NOT NULL".into(),
        "m.parent_id IS NULL".into(),
        "m.status != 'rejected'".into(),
    ];
    let mut args = Vec::new();
    push_bbox(&mut clauses, &mut args, filter.bbox);
    if let Some(q) = &filter.q {
        clauses.push("(m.text LIKE ? ESCAPE '\\' OR s.title LIKE ? ESCAPE '\\')".into());
        args.extend([like(q), like(q)]);
    }
    if let Some(place) = &filter.place {
        clauses.push("m.place_id = ?".into());
        args.push(SqlValue::Text(place.clone()));
    }
    if let Some(id) = &filter.id {
        clauses.push("m.id = ?".into());
        args.push(SqlValue::Integer(id.parse().unwrap_or(-1)));
    }
    if let Some((Some(after), _)) = page {
        clauses.push("m.id > ?".into());
        args.push(SqlValue::Integer(after));
    }
    let mut sql = format!(
        "SELECT {columns} FROM mentions m JOIN sources s ON s.id = m.source_id JOIN places p ON p.id = m.place_id WHERE {}",
        clauses.join(" AND ")
    );
    if let Some((_, limit)) = page {
        sql.push_str(&format!(" ORDER BY m.id LIMIT {limit}"));
    }
    (sql, args)
}
