//! The gazetteer API: search, read, history, and edits guarded by `If-Match`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::edit_reason::edit_reason;
use super::editor_request::{Edit, EditorWrite};
use super::error::ApiError;
use super::layers::form_pairs;
use super::state::AppState;
use crate::gazetteer::summary::PlaceSummary;
use crate::gazetteer::{check_lon_lat, Name, NameKind, Place, PlaceKind, PlaceStatus, SearchQuery};
use crate::store::{filter, StoreError};

/// Longest accepted name, in characters.
const MAX_NAME_CHARS: usize = 200;

/// `GET /api/places/search?q=&near=&bbox=&kind=&country=&limit=`
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Result<Json<Value>, ApiError> {
    let mut search = SearchQuery::new("").autocomplete().limit(10);
    for (name, value) in form_pairs(query.as_deref().unwrap_or("")) {
        match name.as_str() {
            "q" => search.text = filter::parse_text("q", &value)?,
            "near" => {
                let (lon, lat) = value
                    .split_once(',')
                    .ok_or_else(|| ApiError::bad_request("invalid `near`: expected LON,LAT"))?;
                let (lon, lat): (f64, f64) = (
                    lon.trim()
                        .parse()
                        .map_err(|_| ApiError::bad_request("invalid `near`: not a number"))?,
                    lat.trim()
                        .parse()
                        .map_err(|_| ApiError::bad_request("invalid `near`: not a number"))?,
                );
                check_lon_lat(lon, lat).map_err(|m| ApiError::bad_request(format!("invalid `near`: {m}")))?;
                search = search.near(lon, lat);
            }
            "bbox" => search.bbox = Some(filter::parse_bbox(&value)?),
            "kind" => search.kind = Some(filter::parse_text("kind", &value)?),
            "country" => search.country = Some(filter::parse_text("country", &value)?),
            "limit" => search.limit = filter::parse_limit(&value, 50)?,
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{}`",
                    other.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    if search.text.trim().is_empty() {
        return Err(ApiError::bad_request("invalid `q`: give some text to search for"));
    }
    let gazetteer = state.gazetteer();
    let hits: Vec<Value> = gazetteer
        .search(&search)
        .iter()
        .map(|hit| {
            let mut row = serde_json::to_value(PlaceSummary::of(hit.place)).unwrap_or(Value::Null);
            row["matched_name"] = json!(hit.name.text);
            row["score"] = json!((hit.score * 1e4).round() / 1e4);
            row
        })
        .collect();
    Ok(Json(json!({"results": hits})))
}

fn place_json(place: &Place, revision: i64) -> Value {
    let mut feature = serde_json::to_value(crate::gazetteer::place_to_feature(place)).unwrap_or(Value::Null);
    feature["properties"]["revision"] = json!(revision);
    feature["properties"]["name"] = json!(place.primary_name());
    feature
}

/// `GET /api/places/{id}`: the place as a GeoJSON Feature, ETag = its revision.
pub async fn get_place(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (place, revision) = state
        .read(move |store| {
            let place = store
                .place(&id)?
                .ok_or_else(|| ApiError::not_found(format!("no place with id {id}")))?;
            let revision = store.place_revision(&id)?.unwrap_or(1);
            Ok((place, revision))
        })
        .await?;
    Ok((
        [(header::ETAG, format!("\"{revision}\""))],
        Json(place_json(&place, revision)),
    )
        .into_response())
}

/// `GET /api/places/{id}/history`
pub async fn history(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let revisions = state.read(move |store| Ok(store.place_history(&id)?)).await?;
    Ok(Json(json!({"revisions": revisions})))
}

/// A name as sent by an editor.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameInput {
    text: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_to: Option<String>,
}

impl NameInput {
    fn into_name(self) -> Result<Name, ApiError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(invalid("names[].text", "a name cannot be empty"));
        }
        if text.chars().count() > MAX_NAME_CHARS || text.chars().any(char::is_control) {
            return Err(invalid(
                "names[].text",
                format!("a name is at most {MAX_NAME_CHARS} characters, without control characters"),
            ));
        }
        if self.lang.len() > 8 {
            return Err(invalid("names[].lang", "use an ISO 639 code"));
        }
        let kind = match self.kind.as_deref() {
            None => NameKind::Alternate,
            Some(k) => NameKind::parse(k).ok_or_else(|| {
                invalid(
                    "names[].kind",
                    format!("{k:?}: use official, alternate, historic, colloquial or abbreviation"),
                )
            })?,
        };
        for (field, value) in [("valid_from", &self.valid_from), ("valid_to", &self.valid_to)] {
            if let Some(v) = value {
                let ok = (v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()))
                    || chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok();
                if !ok {
                    return Err(invalid(field, format!("{v:?}: use YYYY or YYYY-MM-DD")));
                }
            }
        }
        let mut name = Name::new(text, kind).with_lang(&self.lang);
        name.valid_from = self.valid_from;
        name.valid_to = self.valid_to;
        Ok(name)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_value",
        format!("`{field}`: {}", message.into()),
    )
}

/// The body of `PATCH /api/places/{id}`; every field optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacePatch {
    /// Why (recorded in the history).
    #[serde(default)]
    why: String,
    point: Option<[f64; 2]>,
    geometry: Option<Value>,
    kind: Option<String>,
    radius_m: Option<f64>,
    status: Option<String>,
    add_names: Option<Vec<NameInput>>,
    remove_names: Option<Vec<String>>,
    names: Option<Vec<NameInput>>,
}

/// Checks a GeoJSON geometry from a client: parseable, coordinates in range,
/// polygons simple (not self-intersecting).
pub fn checked_geometry(value: Value) -> Result<geo::Geometry<f64>, ApiError> {
    use geo::{CoordsIter, Validation};
    let parsed: geojson::Geometry =
        serde_json::from_value(value).map_err(|e| invalid("geometry", format!("not a GeoJSON geometry: {e}")))?;
    let geometry = geo::Geometry::<f64>::try_from(parsed.value).map_err(|e| invalid("geometry", e.to_string()))?;
    for c in geometry.coords_iter() {
        check_lon_lat(c.x, c.y).map_err(|m| invalid("geometry", m))?;
    }
    if matches!(geometry, geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)) && !geometry.is_valid() {
        return Err(invalid(
            "geometry",
            "the polygon is not valid (self-intersecting or badly closed ring)",
        ));
    }
    if geometry.coords_count() == 0 {
        return Err(invalid("geometry", "empty geometry"));
    }
    Ok(geometry)
}

impl PlacePatch {
    fn apply(self, place: &mut Place) -> Result<(), ApiError> {
        if let Some(geometry) = self.geometry {
            let geometry = checked_geometry(geometry)?;
            place.point = crate::gazetteer::representative_point(&geometry)
                .ok_or_else(|| invalid("geometry", "empty geometry"))?;
            place.geometry = geometry;
        }
        if let Some([lon, lat]) = self.point {
            check_lon_lat(lon, lat).map_err(|m| invalid("point", m))?;
            place.point = geo::Point::new(lon, lat);
            if matches!(place.geometry, geo::Geometry::Point(_)) {
                place.geometry = geo::Geometry::Point(place.point);
            }
        }
        if let Some(kind) = self.kind {
            place.kind = kind.parse::<PlaceKind>().map_err(|e| invalid("kind", e.to_string()))?;
        }
        if let Some(radius) = self.radius_m {
            if !(radius.is_finite() && radius > 0.0 && radius <= 5_000_000.0) {
                return Err(invalid("radius_m", "a radius in metres between 0 and 5,000,000"));
            }
            place.radius_m = radius;
        }
        if let Some(status) = self.status {
            place.status = match status.as_str() {
                "current" => PlaceStatus::Current,
                "deprecated" => PlaceStatus::Deprecated,
                other => {
                    return Err(invalid(
                        "status",
                        format!("{other:?}: use current or deprecated (merge to supersede)"),
                    ))
                }
            };
        }
        if let Some(names) = self.names {
            place.names = names.into_iter().map(NameInput::into_name).collect::<Result<_, _>>()?;
        }
        if let Some(remove) = self.remove_names {
            place.names.retain(|n| !remove.contains(&n.text));
        }
        if let Some(add) = self.add_names {
            for name in add {
                let name = name.into_name()?;
                // an existing name with the same text is replaced (e.g. marked historic)
                place.names.retain(|n| n.text != name.text);
                place.names.push(name);
            }
        }
        if place.names.is_empty() {
            return Err(invalid("names", "a place keeps at least one name"));
        }
        Ok(())
    }
}

fn conflict_with_current(error: ApiError, current: Option<Value>) -> ApiError {
    ApiError {
        detail: current,
        ..error
    }
}

/// `PATCH /api/places/{id}` (editor; `If-Match` required).
pub async fn patch_place(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Edit {
        caller,
        based_on,
        body: patch,
    }: Edit<PlacePatch>,
) -> Result<Response, ApiError> {
    let why = edit_reason(&patch.why, || "edited".to_string());
    let place_id = id.clone();
    let result = state
        .write(move |store| {
            let mut apply_error = None;
            let edit = store.edit_place(&place_id, based_on, caller.id, &why, |place| {
                patch.apply(place).map_err(|e| {
                    let message = e.message.clone();
                    apply_error = Some(e);
                    StoreError::Invalid(message)
                })
            });
            match edit {
                Ok(edit) => {
                    let place = store
                        .place(&place_id)?
                        .ok_or_else(|| ApiError::not_found("place vanished"))?;
                    Ok(Ok((edit, place)))
                }
                Err(StoreError::Conflict { current, .. }) => {
                    let place = store.place(&place_id)?;
                    Ok(Err((current, place)))
                }
                Err(e) => Err(apply_error.unwrap_or_else(|| ApiError::from(e))),
            }
        })
        .await?;
    match result {
        Ok((edit, place)) => {
            state.refresh_gazetteer(vec![id.clone()]).await;
            let reresolved = reresolve(&state, &id).await?;
            let body = json!({"place": place_json(&place, edit.revision), "changed": edit, "reresolved": reresolved});
            Ok(([(header::ETAG, format!("\"{}\"", edit.revision))], Json(body)).into_response())
        }
        Err((current, place)) => {
            let error = ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "conflict",
                format!("place {id} has changed since revision {based_on}: it is now at revision {current}"),
            );
            Err(conflict_with_current(error, place.map(|p| place_json(&p, current))))
        }
    }
}

/// The body of `POST /api/places`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPlace {
    name: String,
    kind: String,
    point: Option<[f64; 2]>,
    geometry: Option<Value>,
    #[serde(default)]
    radius_m: Option<f64>,
    #[serde(default)]
    country: String,
    #[serde(default)]
    names: Vec<NameInput>,
    #[serde(default)]
    why: String,
}

/// `POST /api/places` (editor): a new curated place with id `sr:<slug>`.
pub async fn create_place(
    State(state): State<Arc<AppState>>,
    EditorWrite { caller, body: input }: EditorWrite<NewPlace>,
) -> Result<Response, ApiError> {
    let kind: PlaceKind = input
        .kind
        .parse()
        .map_err(|e: crate::gazetteer::UnknownKind| invalid("kind", e.to_string()))?;
    let main = NameInput {
        text: input.name,
        lang: String::new(),
        kind: Some("official".into()),
        valid_from: None,
        valid_to: None,
    }
    .into_name()?;
    let geometry = match (input.geometry, input.point) {
        (Some(g), _) => checked_geometry(g)?,
        (None, Some([lon, lat])) => {
            check_lon_lat(lon, lat).map_err(|m| invalid("point", m))?;
            geo::Geometry::Point(geo::Point::new(lon, lat))
        }
        (None, None) => return Err(invalid("point", "give a point or a geometry")),
    };
    let point =
        crate::gazetteer::representative_point(&geometry).ok_or_else(|| invalid("geometry", "empty geometry"))?;
    let slug: String = crate::gazetteer::normalize::normalize_key(&main.text)
        .replace(' ', "-")
        .chars()
        .take(60)
        .collect();
    let mut place = Place::new_point("", &main.text, kind, point.x(), point.y());
    place.geometry = geometry;
    place.names = vec![main];
    for name in input.names {
        place.add_name(name.into_name()?);
    }
    place.country = input.country.chars().take(2).collect::<String>().to_uppercase();
    place.radius_m = input.radius_m.unwrap_or(1_000.0);
    place.sources.push(Arc::new(crate::gazetteer::Source {
        name: "sitrep editors".into(),
        r#ref: format!("user {}", caller.name),
        licence: String::new(),
        facts: vec!["geometry".into(), "names".into()],
    }));
    let why = edit_reason(&input.why, || "added".to_string());
    let created = state
        .write(move |store| {
            let mut id = format!("sr:{slug}");
            let mut n = 2;
            while store.place_revision(&id)?.is_some() {
                id = format!("sr:{slug}-{n}");
                n += 1;
            }
            place.id = id;
            place.validate().map_err(|e| invalid("place", e.to_string()))?;
            store.create_place(&place, caller.id, &why)?;
            Ok(place)
        })
        .await?;
    state.refresh_gazetteer(vec![created.id.clone()]).await;
    Ok((
        StatusCode::CREATED,
        [(header::ETAG, "\"1\"".to_string())],
        Json(place_json(&created, 1)),
    )
        .into_response())
}

/// The body of `POST /api/places/{id}/revert` and `/api/incidents/{id}/revert`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revert {
    /// The revision to restore.
    pub revision: i64,
    #[serde(default)]
    why: String,
}

impl Revert {
    /// The reason logged: the editor's, or "restored revision N".
    pub fn reason(&self) -> String {
        edit_reason(&self.why, || format!("restored revision {}", self.revision))
    }
}

/// `POST /api/places/{id}/revert` (editor; `If-Match`): restore an earlier revision.
pub async fn revert_place(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Edit {
        caller,
        based_on,
        body: input,
    }: Edit<Revert>,
) -> Result<Response, ApiError> {
    let why = input.reason();
    let (edit, place) = state
        .write(move |store| {
            let edit = store.revert_place(&id, input.revision, based_on, caller.id, &why)?;
            let place = store.place(&id)?.ok_or_else(|| ApiError::not_found("place vanished"))?;
            Ok((edit, place))
        })
        .await?;
    state.refresh_gazetteer(vec![place.id.clone()]).await;
    Ok((
        [(header::ETAG, format!("\"{}\"", edit.revision))],
        Json(json!({"place": place_json(&place, edit.revision), "changed": edit})),
    )
        .into_response())
}

/// The body of `POST /api/places/{id}/merge`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merge {
    into: String,
    #[serde(default)]
    why: String,
}

/// `POST /api/places/{id}/merge` (editor; `If-Match` of `{id}`): `{id}` is a
/// duplicate of `into`; its incidents and mentions follow.
pub async fn merge_place(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Edit {
        caller,
        based_on,
        body: input,
    }: Edit<Merge>,
) -> Result<Json<Value>, ApiError> {
    let why = edit_reason(&input.why, || "duplicate".to_string());
    let into = input.into.clone();
    let changed = vec![id.clone(), into.clone()];
    let moved = state
        .write(move |store| Ok(store.merge_place(&id, &into, based_on, caller.id, &why)?))
        .await?;
    state.refresh_gazetteer(changed).await;
    Ok(Json(json!({"merged_into": input.into, "incidents_moved": moved})))
}

/// Re-reads the articles affected by an edit of `place_id` with the new gazetteer.
async fn reresolve(state: &Arc<AppState>, place_id: &str) -> Result<crate::ingest::Reresolved, ApiError> {
    let gazetteer = state.gazetteer();
    let place_id = place_id.to_string();
    state
        .write(move |store| crate::ingest::reresolve_place(store, &gazetteer, &place_id).map_err(ApiError::internal))
        .await
}
