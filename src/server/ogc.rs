//! OGC API – Features, Part 1 Core, at `/ogc`: landing page, conformance,
//! OpenAPI 3.0 description, collections (incidents, places, roads) and their
//! items with `limit`/`offset` paging, `bbox`, `datetime` and the layer filters.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::layers::{etag, form_pairs, parse_filter, stream_collection};
use super::state::AppState;
use crate::store::{filter, Layer};

/// Items per page when `limit` is absent.
const DEFAULT_LIMIT: usize = 10;
/// The largest `limit` honoured.
const MAX_LIMIT: usize = 10_000;

const COLLECTIONS: [(&str, &str, &str); 3] = [
    ("incidents", "Incidents", "Incidents read from news reports: what happened, when, who, casualties per source, and where (with an uncertainty radius)."),
    ("places", "Places", "The gazetteer: places with all their names (Azerbaijani, Armenian, Russian, English; current and historic)."),
    ("roads", "Roads and corridors", "Named roads and corridors as lines (the Lachin corridor, the Khankendi-Khalfali-Turshsu road, ...)."),
];

fn base(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}/ogc")
}

fn link(href: &str, rel: &str, kind: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": kind, "title": title})
}

/// `GET /ogc`
pub async fn landing(headers: axum::http::HeaderMap) -> Json<Value> {
    let b = base(&headers);
    Json(json!({
        "title": "sitrep",
        "description": "Incidents, places and roads from sitrep, as OGC API – Features.",
        "links": [
            link(&b, "self", "application/json", "this document"),
            link(&format!("{b}/api"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
            link(&format!("{b}/api.html"), "service-doc", "text/html", "the API documentation"),
            link(&format!("{b}/conformance"), "conformance", "application/json", "conformance classes"),
            link(&format!("{b}/collections"), "data", "application/json", "the collections"),
        ]
    }))
}

/// `GET /ogc/conformance`
pub async fn conformance() -> Json<Value> {
    Json(json!({"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]}))
}

async fn collection_json(
    state: &Arc<AppState>,
    b: &str,
    id: &'static str,
    title: &str,
    description: &str,
) -> Result<Value, ApiError> {
    let layer = Layer::parse(id).ok_or_else(|| ApiError::not_found(id))?;
    let (bbox, interval) = state.read(move |store| Ok(store.layer_extent(layer)?)).await?;
    let temporal = match interval {
        Some((a, b)) => json!([[format!("{a}T00:00:00Z"), format!("{b}T23:59:59Z")]]),
        None => json!([[null, null]]),
    };
    Ok(json!({
        "id": id, "title": title, "description": description, "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "extent": {"spatial": {"bbox": [bbox], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
                   "temporal": {"interval": temporal, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}},
        "links": [
            link(&format!("{b}/collections/{id}"), "self", "application/json", title),
            link(&format!("{b}/collections/{id}/items"), "items", "application/geo+json", &format!("{title} as GeoJSON")),
        ]
    }))
}

/// `GET /ogc/collections`
pub async fn collections(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let b = base(&headers);
    let mut list = Vec::new();
    for (id, title, description) in COLLECTIONS {
        list.push(collection_json(&state, &b, id, title, description).await?);
    }
    Ok(Json(
        json!({"links": [link(&format!("{b}/collections"), "self", "application/json", "collections")], "collections": list}),
    ))
}

/// `GET /ogc/collections/{id}`
pub async fn collection(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let (id, title, description) = COLLECTIONS
        .iter()
        .find(|(c, _, _)| *c == id)
        .ok_or_else(|| ApiError::not_found(format!("no collection {id:?}")))?;
    Ok(Json(
        collection_json(&state, &base(&headers), id, title, description).await?,
    ))
}

fn layer_of(id: &str) -> Result<Layer, ApiError> {
    if !COLLECTIONS.iter().any(|(c, _, _)| *c == id) {
        return Err(ApiError::not_found(format!("no collection {id:?}")));
    }
    Layer::parse(id).ok_or_else(|| ApiError::not_found(id.to_string()))
}

/// `GET /ogc/collections/{id}/items`
pub async fn items(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&id)?;
    let (mut filter, extra) = parse_filter(query.as_deref(), &["offset", "f", "limit"])?;
    let mut limit = DEFAULT_LIMIT;
    let mut offset = 0usize;
    for (name, value) in extra {
        match name.as_str() {
            "limit" => limit = filter::parse_limit(&value, MAX_LIMIT)?,
            "offset" => {
                offset = value.parse().map_err(|_| {
                    ApiError::from(filter::FilterError {
                        parameter: "offset",
                        message: format!("{value:?} is not a whole number"),
                    })
                })?
            }
            "f" if value == "json" || value == "geojson" => {}
            _ => {
                return Err(ApiError::bad_request(format!(
                    "invalid `{name}`: only f=json is served"
                )))
            }
        }
    }
    // layers default to published incidents; the OGC collection does too
    filter.limit = Some(limit);
    let b = base(&headers);
    // the page without its time stamp is cached like a layer (the links name
    // the host the client used, so it is part of the key); the time stamp
    // goes last, fresh each time
    let version = state.read(|store| Ok(store.data_version()?)).await?;
    let key = etag(&version, &format!("ogc|{b}|{id}?{}", query.as_deref().unwrap_or("")));
    let stamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let suffix = format!(",\"timeStamp\":\"{stamp}\"}}");
    if let Some(cached) = state.layer_cache.get(&version, &key) {
        let mut response = Response::new(cached.to_body(Some(suffix.into())));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
        return Ok(response);
    }
    let counted = filter.clone();
    let (matched, after) = state
        .read(move |store| {
            Ok((
                store.layer_count(layer, &counted)?,
                store.cursor_at_offset(layer, &counted, offset)?,
            ))
        })
        .await?;
    filter.after = after;
    let kept: Vec<String> = form_pairs(query.as_deref().unwrap_or(""))
        .into_iter()
        .filter(|(k, _)| k != "offset" && k != "limit")
        .map(|(k, v)| format!("{k}={}", url_escape(&v)))
        .collect();
    let page = |o: usize| {
        let mut parts = kept.clone();
        parts.push(format!("limit={limit}"));
        parts.push(format!("offset={o}"));
        format!("{b}/collections/{id}/items?{}", parts.join("&"))
    };
    let mut links = vec![link(&page(offset), "self", "application/geo+json", "this page")];
    if offset + limit < matched {
        links.push(link(&page(offset + limit), "next", "application/geo+json", "next page"));
    }
    if offset > 0 {
        links.push(link(
            &page(offset.saturating_sub(limit)),
            "prev",
            "application/geo+json",
            "previous page",
        ));
    }
    let head = format!(
        "{{\"type\":\"FeatureCollection\",\"numberMatched\":{matched},\"links\":{},\"features\":[",
        Value::Array(links)
    );
    let body = stream_collection(
        &state,
        Some((version, key)),
        suffix,
        head,
        |end| format!("],\"numberReturned\":{}", end.count),
        move |store, sink| store.layer_features(layer, &filter, sink),
    );
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    Ok(response)
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /ogc/collections/{id}/items/{featureId}`
pub async fn item(
    State(state): State<Arc<AppState>>,
    Path((id, feature_id)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let layer = layer_of(&id)?;
    let mut filter = crate::store::LayerFilter {
        id: Some(feature_id.clone()),
        ..Default::default()
    };
    filter.status = crate::store::StatusFilter::Published;
    let feature = state
        .read(move |store| {
            let mut found = None;
            store.layer_features(layer, &filter, &mut |f| {
                found = Some(f);
                Ok(())
            })?;
            Ok(found)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no feature {feature_id:?} in {id}")))?;
    let mut feature = feature;
    let b = base(&headers);
    feature["links"] = json!([
        link(
            &format!("{b}/collections/{id}/items/{}", url_escape(&feature_id)),
            "self",
            "application/geo+json",
            "this feature"
        ),
        link(
            &format!("{b}/collections/{id}"),
            "collection",
            "application/json",
            "the collection"
        ),
    ]);
    let mut response = Json(feature).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    Ok(response)
}

/// `GET /ogc/api`: the OpenAPI 3.0 definition of this service.
pub async fn openapi(headers: axum::http::HeaderMap) -> Response {
    let b = base(&headers);
    let parameter = |name: &str, description: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema, "style": "form", "explode": false});
    let item_parameters = json!([
        {"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string", "enum": ["incidents", "places", "roads"]}},
        parameter("limit", "Items per page (default 10, at most 10000).", json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT})),
        parameter("offset", "Items to skip.", json!({"type": "integer", "minimum": 0, "default": 0})),
        parameter("bbox", "minLon,minLat,maxLon,maxLat (WGS 84).", json!({"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}})),
        parameter("datetime", "RFC 3339 instant or interval (a/b, ../b, a/..).", json!({"type": "string"})),
        parameter("event_type", "ACLED event types, comma-separated.", json!({"type": "string"})),
        parameter("geo_precision", "1, 2 or 3, comma-separated.", json!({"type": "string"})),
        parameter("status", "draft, published, rejected or all (default published).", json!({"type": "string"})),
        parameter("q", "Text search.", json!({"type": "string"})),
        parameter("place", "Incidents at this place id.", json!({"type": "string"})),
        parameter("outlet", "Source outlets, comma-separated.", json!({"type": "string"})),
        parameter("f", "Output format (json).", json!({"type": "string", "enum": ["json"]})),
    ]);
    let geojson =
        |d: &str| json!({"description": d, "content": {"application/geo+json": {"schema": {"type": "object"}}}});
    let plain = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"type": "object"}}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "sitrep OGC API – Features", "version": env!("CARGO_PKG_VERSION"), "license": {"name": "MIT OR Apache-2.0"}},
        "servers": [{"url": b}],
        "paths": {
            "/": {"get": {"operationId": "getLandingPage", "responses": {"200": plain("landing page")}}},
            "/conformance": {"get": {"operationId": "getConformanceDeclaration", "responses": {"200": plain("conformance classes")}}},
            "/collections": {"get": {"operationId": "getCollections", "responses": {"200": plain("collections")}}},
            "/collections/{collectionId}": {"get": {"operationId": "describeCollection", "parameters": [item_parameters[0].clone()], "responses": {"200": plain("a collection"), "404": plain("unknown collection")}}},
            "/collections/{collectionId}/items": {"get": {"operationId": "getFeatures", "parameters": item_parameters, "responses": {"200": geojson("features"), "400": plain("invalid parameter")}}},
            "/collections/{collectionId}/items/{featureId}": {"get": {"operationId": "getFeature", "parameters": [{"name": "collectionId", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": geojson("a feature"), "404": plain("unknown feature")}}},
        }
    });
    let mut response = Json(doc).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.oai.openapi+json;version=3.0"),
    );
    response
}

/// `GET /ogc/api.html`: a readable summary pointing to the definition.
pub async fn api_doc() -> Response {
    let html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sitrep OGC API</title></head><body><h1>sitrep OGC API – Features</h1><p>Collections: incidents, places, roads. Items: <code>/ogc/collections/{id}/items?limit=&amp;offset=&amp;bbox=&amp;datetime=</code>. The machine-readable definition is at <a href=\"/ogc/api\">/ogc/api</a>. In QGIS: Layer → Add Layer → Add WFS / OGC API – Features Layer, URL <code>http://HOST:PORT/ogc</code>.</p></body></html>";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
