//! The common front of every editor write: the body (within the size
//! limit), then who sends it (an editor, with the CSRF token when signed in
//! by cookie), then the revision it is based on (`If-Match`), then the JSON
//! body. Each handler takes one extractor instead of repeating the steps,
//! so every write answers the same errors in the same order:
//! 413, 401/403, 428, 400.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::auth::Caller;
use super::error::{json_body, ApiError};
use super::state::AppState;
use crate::store::Role;

/// An editor's write with its JSON body; no `If-Match` (it creates, or
/// touches no single revision).
pub struct EditorWrite<T> {
    /// The editor.
    pub caller: Caller,
    /// The parsed body.
    pub body: T,
}

/// An editor's change to a record, based on the revision named by `If-Match`.
pub struct Edit<T> {
    /// The editor.
    pub caller: Caller,
    /// The revision the editor read (428 when `If-Match` is missing).
    pub based_on: i64,
    /// The parsed body.
    pub body: T,
}

/// The body bytes and the caller, in the order of the module's contract.
async fn bytes_from_editor(req: Request, state: &Arc<AppState>) -> Result<(Bytes, HeaderMap, Caller), Response> {
    let method = req.method().clone();
    let headers = req.headers().clone();
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let caller = state
        .require_role(Role::Editor, &method, &headers)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((bytes, headers, caller))
}

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for EditorWrite<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (bytes, _, caller) = bytes_from_editor(req, state).await?;
        let body = json_body(&bytes).map_err(IntoResponse::into_response)?;
        Ok(EditorWrite { caller, body })
    }
}

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for Edit<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Response> {
        let (bytes, headers, caller) = bytes_from_editor(req, state).await?;
        let based_on = if_match(&headers).map_err(IntoResponse::into_response)?;
        let body = json_body(&bytes).map_err(IntoResponse::into_response)?;
        Ok(Edit { caller, based_on, body })
    }
}

/// The revision an edit is based on, from `If-Match`: 428 when missing.
fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let value = headers.get(header::IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "send If-Match with the ETag you read (the revision)",
        )
    })?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ApiError::bad_request("If-Match must be the ETag of the record, e.g. \"3\""))
}
