//! `GET /api/export/{layer}.{ext}?filters`: the map's "download this view".

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::layers::parse_filter;
use super::state::AppState;
use crate::export::{write_export, write_geopackage, Format};
use crate::store::Layer;

/// The handler.
pub async fn export(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (name, extension) = file
        .rsplit_once('.')
        .ok_or_else(|| ApiError::not_found("exports are at /api/export/{layer}.{geojson|csv|kml|gpkg|fgb}"))?;
    let layer = Layer::parse(name).ok_or_else(|| ApiError::not_found(format!("no layer {name:?}")))?;
    let format = Format::parse(extension).ok_or_else(|| {
        ApiError::not_found(format!(
            "no export format {extension:?}: use geojson, csv, kml, gpkg or fgb"
        ))
    })?;
    let (filter, _) = parse_filter(query.as_deref(), &[])?;
    let filters_text = query.clone().unwrap_or_default();
    let bytes = state
        .read(move |store| {
            if format == Format::GeoPackage {
                let dir = tempfile_dir()?;
                let path = dir.join(format!("{}.gpkg", layer.name()));
                write_geopackage(store, layer, &filter, &filters_text, &path).map_err(ApiError::internal)?;
                let bytes = std::fs::read(&path).map_err(ApiError::internal);
                let _ = std::fs::remove_dir_all(&dir);
                bytes
            } else {
                let mut out = Vec::new();
                write_export(store, layer, &filter, format, &filters_text, &mut out).map_err(ApiError::internal)?;
                Ok(out)
            }
        })
        .await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"sitrep-{}.{}\"",
        layer.name(),
        format.extension()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// A fresh private directory for a GeoPackage being built.
fn tempfile_dir() -> Result<std::path::PathBuf, ApiError> {
    let name = format!("sitrep-export-{}", super::auth::random_secret()?);
    let dir = std::env::temp_dir().join(name);
    std::fs::create_dir(&dir).map_err(ApiError::internal)?;
    Ok(dir)
}
