//! The review API: the queue, decisions on mentions, incident edits and history.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::edit_reason::edit_reason;
use super::editor_request::{Edit, EditorWrite};
use super::error::ApiError;
use super::layers::form_pairs;
use super::places::Revert;
use super::state::AppState;
use crate::incidents::{CasualtyClaim, CasualtyKind, Evidence, IncidentStatus, MAX_CLAIM_CASUALTIES};
use crate::store::{filter, MentionDecision, Role, StoreError};

/// `GET /api/review?limit=`: mentions and draft incidents, least certain first (editor).
pub async fn queue(
    State(state): State<Arc<AppState>>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    state.require_role(Role::Editor, &method, &headers).await?;
    let mut limit = 50i64;
    for (name, value) in form_pairs(query.as_deref().unwrap_or("")) {
        match name.as_str() {
            "limit" => limit = filter::parse_limit(&value, 500)? as i64,
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{}`",
                    other.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    let body = state
        .read(move |store| {
            let mentions = store.mentions_to_review(limit)?;
            let incidents = store.drafts_to_review(limit)?;
            let progress = store.review_progress()?;
            Ok(json!({"mentions": mentions, "incidents": incidents, "progress": progress}))
        })
        .await?;
    Ok(Json(body))
}

/// The body of `PATCH /api/mentions/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionPatch {
    action: String,
    place_id: Option<String>,
}

/// `PATCH /api/mentions/{id}` (editor; `If-Match`).
pub async fn patch_mention(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Edit {
        caller,
        based_on,
        body: patch,
    }: Edit<MentionPatch>,
) -> Result<Response, ApiError> {
    let decision = match (patch.action.as_str(), patch.place_id) {
        ("accept", None) => MentionDecision::Accept,
        ("reject", None) => MentionDecision::Reject,
        ("reassign", Some(place)) => MentionDecision::Reassign(place),
        ("reassign", None) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_value",
                "`place_id`: reassign needs the new place",
            ))
        }
        (other, _) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_value",
                format!(
                    "`action`: {:?}: use accept, reject or reassign",
                    other.chars().take(40).collect::<String>()
                ),
            ))
        }
    };
    let revision = state
        .write(move |store| Ok(store.decide_mention(id, based_on, &decision, caller.id)?))
        .await?;
    Ok((
        [(header::ETAG, format!("\"{revision}\""))],
        Json(json!({"id": id, "revision": revision})),
    )
        .into_response())
}

/// The body of `PATCH /api/incidents/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentPatch {
    #[serde(default)]
    why: String,
    status: Option<String>,
    event_type: Option<String>,
    sub_event_type: Option<String>,
    actor1: Option<String>,
    actor2: Option<String>,
    date_start: Option<String>,
    date_end: Option<String>,
    time_precision: Option<u8>,
    notes: Option<String>,
    tags: Option<Vec<String>>,
    place_id: Option<String>,
    geo_precision: Option<u8>,
    /// Replaces every casualty claim of the incident (in this order).
    claims: Option<Vec<ClaimInput>>,
}

/// One casualty claim in `PATCH /api/incidents/{id}`: `party`, `kind`
/// (`killed` or `injured`), `best`, optionally `low` and `high` (default:
/// `best`), `source_id` (one of the incident's articles, or null) and the
/// `evidence` quote it was read from (kept as the client sends it back).
/// Values are taken loosely typed so that a wrong one is refused with a
/// message naming its field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    #[serde(default)]
    party: Value,
    #[serde(default)]
    kind: Value,
    #[serde(default)]
    low: Value,
    #[serde(default)]
    best: Value,
    #[serde(default)]
    high: Value,
    #[serde(default)]
    source_id: Value,
    #[serde(default)]
    evidence: Option<Evidence>,
}

impl ClaimInput {
    /// The claim, or [`StoreError::Invalid`] naming `claims[index].field`.
    fn into_claim(self, index: usize) -> Result<CasualtyClaim, StoreError> {
        let refuse =
            |field: &str, problem: String| StoreError::Invalid(format!("`claims[{index}].{field}`: {problem}"));
        let party = match self.party {
            Value::String(text) => short_text(&format!("claims[{index}].party"), text.trim().to_string(), 200)?,
            Value::Null => String::new(),
            _ => return Err(refuse("party", "a string: whose casualties these are".into())),
        };
        let kind = self.kind.as_str().and_then(CasualtyKind::parse).ok_or_else(|| {
            let given: String = self.kind.to_string().chars().take(40).collect();
            refuse("kind", format!("{given}: use killed or injured"))
        })?;
        let count = |field: &str, value: &Value| -> Result<Option<u32>, StoreError> {
            if value.is_null() {
                return Ok(None);
            }
            value
                .as_u64()
                .filter(|n| *n <= u64::from(MAX_CLAIM_CASUALTIES))
                .map(|n| Some(n as u32))
                .ok_or_else(|| refuse(field, format!("a whole number from 0 to {MAX_CLAIM_CASUALTIES}")))
        };
        let best = count("best", &self.best)?.ok_or_else(|| refuse("best", "the best figure is required".into()))?;
        let low = count("low", &self.low)?.unwrap_or(best);
        let high = count("high", &self.high)?.unwrap_or(best);
        let source_id = match &self.source_id {
            Value::Null => None,
            value => Some(
                value
                    .as_i64()
                    .ok_or_else(|| refuse("source_id", "the id of one of the incident's sources, or null".into()))?,
            ),
        };
        Ok(CasualtyClaim {
            party,
            kind,
            low,
            best,
            high,
            evidence: self.evidence.unwrap_or(Evidence {
                start: 0,
                end: 0,
                quote: String::new(),
            }),
            source_id,
        })
    }
}

fn short_text(field: &str, value: String, max: usize) -> Result<String, StoreError> {
    if value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(StoreError::Invalid(format!(
            "`{field}`: at most {max} characters, without control characters"
        )));
    }
    Ok(value)
}

/// `PATCH /api/incidents/{id}` (editor; `If-Match`).
pub async fn patch_incident(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Edit {
        caller,
        based_on,
        body: patch,
    }: Edit<IncidentPatch>,
) -> Result<Response, ApiError> {
    let why = edit_reason(&patch.why, || "edited".to_string());
    let updated = state
        .write(move |store| {
            let place_exists = match &patch.place_id {
                Some(p) => store.place_revision(p)?.is_some(),
                None => true,
            };
            let result = store.update_incident(id, based_on, caller.id, &why, move |incident| {
                let day = |field: &str, v: &str| {
                    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map_err(|_| StoreError::Invalid(format!("`{field}`: {v:?} is not YYYY-MM-DD")))
                };
                if let Some(s) = patch.status {
                    incident.status = IncidentStatus::parse(&s)
                        .ok_or_else(|| StoreError::Invalid("`status`: use draft, published or rejected".into()))?;
                }
                if let Some(v) = patch.event_type {
                    incident.event_type = short_text("event_type", v, 60)?;
                }
                if let Some(v) = patch.sub_event_type {
                    incident.sub_event_type = short_text("sub_event_type", v, 60)?;
                }
                if let Some(v) = patch.actor1 {
                    incident.actor1 = short_text("actor1", v, 200)?;
                }
                if let Some(v) = patch.actor2 {
                    incident.actor2 = short_text("actor2", v, 200)?;
                }
                if let Some(v) = patch.date_start {
                    incident.date_start = day("date_start", &v)?;
                }
                if let Some(v) = patch.date_end {
                    incident.date_end = day("date_end", &v)?;
                }
                if incident.date_end < incident.date_start {
                    return Err(StoreError::Invalid("`date_end` is before `date_start`".into()));
                }
                if let Some(p) = patch.time_precision {
                    if !(1..=3).contains(&p) {
                        return Err(StoreError::Invalid("`time_precision`: 1, 2 or 3".into()));
                    }
                    incident.time_precision = p;
                }
                if let Some(v) = patch.notes {
                    incident.notes = short_text("notes", v, 5_000)?;
                }
                if let Some(tags) = patch.tags {
                    incident.tags = tags
                        .into_iter()
                        .map(|t| short_text("tags", t, 60))
                        .collect::<Result<_, _>>()?;
                }
                if let Some(place) = patch.place_id {
                    if !place_exists {
                        return Err(StoreError::Invalid(format!("`place_id`: no place {place}")));
                    }
                    if let Some(location) = incident.location.as_mut() {
                        location.place_id = place;
                    }
                }
                if let Some(claims) = patch.claims {
                    // checked against the incident's sources by the store
                    incident.claims = claims
                        .into_iter()
                        .enumerate()
                        .map(|(index, claim)| claim.into_claim(index))
                        .collect::<Result<_, _>>()?;
                }
                if let Some(g) = patch.geo_precision {
                    if !(1..=3).contains(&g) {
                        return Err(StoreError::Invalid("`geo_precision`: 1, 2 or 3".into()));
                    }
                    if let Some(location) = incident.location.as_mut() {
                        location.geo_precision = g;
                    }
                }
                Ok(())
            });
            match result {
                Err(StoreError::Conflict { current, .. }) => {
                    let now = store.incident(id)?;
                    let mut error = ApiError::new(
                        StatusCode::PRECONDITION_FAILED,
                        "conflict",
                        format!("incident {id} has changed since revision {based_on}: it is now at revision {current}"),
                    );
                    error.detail = now.and_then(|i| serde_json::to_value(i).ok());
                    Err(error)
                }
                other => Ok(other?),
            }
        })
        .await?;
    Ok(([(header::ETAG, format!("\"{}\"", updated.revision))], Json(updated)).into_response())
}

/// `GET /api/incidents/{id}`
pub async fn get_incident(State(state): State<Arc<AppState>>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let incident = state
        .read(move |store| {
            store
                .incident(id)?
                .ok_or_else(|| ApiError::not_found(format!("no incident {id}")))
        })
        .await?;
    Ok(([(header::ETAG, format!("\"{}\"", incident.revision))], Json(incident)).into_response())
}

/// `GET /api/incidents/{id}/history`
pub async fn incident_history(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let revisions = state.read(move |store| Ok(store.incident_history(id)?)).await?;
    Ok(Json(json!({"revisions": revisions})))
}

/// `GET /api/changes?since=SEQ&limit=`: the change feed.
pub async fn changes(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Result<Json<Value>, ApiError> {
    let (mut since, mut limit) = (0i64, 1000i64);
    for (name, value) in form_pairs(query.as_deref().unwrap_or("")) {
        match name.as_str() {
            "since" => {
                since = value
                    .parse()
                    .map_err(|_| ApiError::bad_request("invalid `since`: a sequence number from a previous response"))?
            }
            "limit" => limit = filter::parse_limit(&value, 10_000)? as i64,
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{}`",
                    other.chars().take(40).collect::<String>()
                )))
            }
        }
    }
    let changes = state.read(move |store| Ok(store.changes_since(since, limit)?)).await?;
    let next = changes.last().map_or(since, |c| c.seq);
    Ok(Json(json!({"changes": changes, "next": next})))
}

/// `POST /api/incidents/{id}/revert` (editor; `If-Match`): restore an earlier revision.
pub async fn revert_incident(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Edit {
        caller,
        based_on,
        body: input,
    }: Edit<Revert>,
) -> Result<Response, ApiError> {
    let why = input.reason();
    let incident = state
        .write(move |store| Ok(store.revert_incident(id, input.revision, based_on, caller.id, &why)?))
        .await?;
    Ok(([(header::ETAG, format!("\"{}\"", incident.revision))], Json(incident)).into_response())
}

/// The body of `POST /api/incidents/{id}/unmerge`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unmerge {
    source_id: i64,
}

/// `POST /api/incidents/{id}/unmerge` (editor): split a merged article off
/// into the incident it proposed.
pub async fn unmerge(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    EditorWrite { caller, body: input }: EditorWrite<Unmerge>,
) -> Result<Json<Value>, ApiError> {
    let created = state
        .write(move |store| Ok(store.unmerge_source(id, input.source_id, caller.id)?))
        .await?;
    Ok(Json(json!({"incident": id, "split_into": created})))
}
