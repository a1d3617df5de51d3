//! OGC GeoPackage export: an SQLite file with the standard tables
//! (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns), one
//! feature table with typed columns, geometries in GeoPackage binary
//! (header + WKB), and an R-tree spatial index.

use std::path::Path;

use rusqlite::{params, params_from_iter, types::Value as SqlValue, Connection};
use serde_json::Value;

use super::{ExportError, ATTRIBUTION};
use crate::store::{FieldType, Layer, LayerFilter, Store, StoreError};

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

/// WKB (little endian) of a GeoJSON geometry, and its envelope.
fn wkb(geometry: &Value) -> Option<(Vec<u8>, [f64; 4])> {
    let mut out = Vec::new();
    let mut env = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
    fn point(out: &mut Vec<u8>, env: &mut [f64; 4], c: &Value) -> Option<()> {
        let (x, y) = (c[0].as_f64()?, c[1].as_f64()?);
        env[0] = env[0].min(x);
        env[1] = env[1].max(x);
        env[2] = env[2].min(y);
        env[3] = env[3].max(y);
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
        Some(())
    }
    fn line(out: &mut Vec<u8>, env: &mut [f64; 4], coords: &Value) -> Option<()> {
        let points = coords.as_array()?;
        out.extend_from_slice(&(points.len() as u32).to_le_bytes());
        for c in points {
            point(out, env, c)?;
        }
        Some(())
    }
    let header = |out: &mut Vec<u8>, kind: u32| {
        out.push(1);
        out.extend_from_slice(&kind.to_le_bytes());
    };
    let coords = &geometry["coordinates"];
    match geometry["type"].as_str()? {
        "Point" => {
            header(&mut out, 1);
            point(&mut out, &mut env, coords)?;
        }
        "LineString" => {
            header(&mut out, 2);
            line(&mut out, &mut env, coords)?;
        }
        "Polygon" => {
            header(&mut out, 3);
            let rings = coords.as_array()?;
            out.extend_from_slice(&(rings.len() as u32).to_le_bytes());
            for ring in rings {
                line(&mut out, &mut env, ring)?;
            }
        }
        "MultiLineString" => {
            header(&mut out, 5);
            let lines = coords.as_array()?;
            out.extend_from_slice(&(lines.len() as u32).to_le_bytes());
            for l in lines {
                header(&mut out, 2);
                line(&mut out, &mut env, l)?;
            }
        }
        _ => return None,
    }
    Some((out, env))
}

/// GeoPackage binary: "GP", version 0, flags (little endian, xy envelope), srs 4326, envelope, WKB.
fn gpkg_geometry(geometry: &Value) -> Option<(Vec<u8>, [f64; 4])> {
    let (body, env) = wkb(geometry)?;
    let mut out = Vec::with_capacity(8 + 32 + body.len());
    out.extend_from_slice(b"GP");
    out.push(0);
    out.push(0b0000_0011);
    out.extend_from_slice(&4326i32.to_le_bytes());
    for v in env {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&body);
    Some((out, env))
}

fn column_type(kind: FieldType) -> &'static str {
    match kind {
        FieldType::Integer => "INTEGER",
        FieldType::Real => "DOUBLE",
        FieldType::Date => "DATE",
        FieldType::Text | FieldType::Json => "TEXT",
    }
}

fn sql_value(value: &Value, kind: FieldType) -> SqlValue {
    match (value, kind) {
        (Value::Null, _) => SqlValue::Null,
        (Value::Number(n), FieldType::Integer) => n.as_i64().map(SqlValue::Integer).unwrap_or(SqlValue::Null),
        (Value::Number(n), FieldType::Real) => n.as_f64().map(SqlValue::Real).unwrap_or(SqlValue::Null),
        (Value::String(s), _) => SqlValue::Text(s.clone()),
        (other, _) => SqlValue::Text(other.to_string()),
    }
}

pub fn write(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    path: &Path,
) -> Result<usize, ExportError> {
    if path.exists() {
        return Err(ExportError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists", path.display()),
        )));
    }
    // build beside the target and rename, so a failure leaves no half file
    let partial = path.with_extension("gpkg.partial");
    let _ = std::fs::remove_file(&partial);
    let result = build(store, layer, filter, filters_text, &partial);
    match result {
        Ok(count) => {
            std::fs::rename(&partial, path)?;
            Ok(count)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn build(
    store: &Store,
    layer: Layer,
    filter: &LayerFilter,
    filters_text: &str,
    path: &Path,
) -> Result<usize, ExportError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "application_id", 0x4750_4B47)?;
    conn.pragma_update(None, "user_version", 10300)?;
    conn.pragma_update(None, "journal_mode", "OFF")?;
    let table = layer.name();
    let geometry_type = match layer {
        Layer::Incidents | Layer::Mentions => "POINT",
        Layer::Places | Layer::Roads => "GEOMETRY",
    };
    // the data's own time, not the clock's: the same data gives the same file
    let last_change = Some(store.last_change()?)
        .filter(|at| !at.is_empty())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
            description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
            scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));",
    )?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
            ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
            ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')",
        params![WGS84_WKT],
    )?;
    let fields = layer.fields();
    let definitions: Vec<String> = fields
        .iter()
        .map(|f| format!("\"{}\" {}", f.name, column_type(f.kind)))
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE \"{table}\" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {geometry_type}, {});",
        definitions.join(", ")
    ))?;
    let names: Vec<String> = fields.iter().map(|f| format!("\"{}\"", f.name)).collect();
    let placeholders = vec!["?"; fields.len() + 2].join(", ");
    let insert_sql = format!(
        "INSERT INTO \"{table}\" (fid, geom, {}) VALUES ({placeholders})",
        names.join(", ")
    );
    let mut extent = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
    let mut rtree_rows: Vec<(i64, [f64; 4])> = Vec::new();
    let mut fid = 0i64;
    let end = store.layer_features(layer, filter, &mut |feature| {
        let Some((blob, env)) = gpkg_geometry(&feature["geometry"]) else {
            return Ok(());
        };
        fid += 1;
        extent = [
            extent[0].min(env[0]),
            extent[1].max(env[1]),
            extent[2].min(env[2]),
            extent[3].max(env[3]),
        ];
        rtree_rows.push((fid, env));
        let properties = &feature["properties"];
        let mut values: Vec<SqlValue> = vec![SqlValue::Integer(fid), SqlValue::Blob(blob)];
        values.extend(fields.iter().map(|f| sql_value(&properties[f.name], f.kind)));
        tx.prepare_cached(&insert_sql)
            .and_then(|mut s| s.execute(params_from_iter(values.iter())))
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        Ok(())
    })?;
    let (min_x, max_x, min_y, max_y) = if fid > 0 {
        (extent[0], extent[1], extent[2], extent[3])
    } else {
        (-180.0, 180.0, -90.0, 90.0)
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?2, ?3, ?4, ?5, ?6, ?7, ?8, 4326)",
        params![
            table,
            format!("sitrep {table}"),
            format!("{ATTRIBUTION} Filters: {}", super::describe_filters(filters_text)),
            last_change,
            min_x,
            min_y,
            max_x,
            max_y
        ],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        params![table, geometry_type],
    )?;
    tx.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        params![table],
    )?;
    tx.execute_batch(&format!(
        "CREATE VIRTUAL TABLE \"rtree_{table}_geom\" USING rtree(id, minx, maxx, miny, maxy);"
    ))?;
    {
        let mut insert = tx.prepare(&format!(
            "INSERT INTO \"rtree_{table}_geom\" VALUES (?1, ?2, ?3, ?4, ?5)"
        ))?;
        for (id, env) in &rtree_rows {
            insert.execute(params![id, env[0], env[1], env[2], env[3]])?;
        }
    }
    tx.commit()?;
    Ok(end.count)
}
