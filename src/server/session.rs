//! Browser sign-in: `POST /api/login`, `POST /api/logout`, `GET /api/me`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::auth::SESSION_COOKIE;
use super::error::{json_body, ApiError};
use super::state::AppState;

/// The login form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    name: String,
    password: String,
}

/// `POST /api/login`: sets an HttpOnly, SameSite=Strict session cookie (a new
/// id every time, so a planted id is never adopted) and returns the CSRF token.
pub async fn login(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Result<Response, ApiError> {
    let form: Login = json_body(&body)?;
    if form.name.len() > 64 || form.password.len() > 1024 {
        return Err(ApiError::bad_request("name or password too long"));
    }
    let (session, csrf, user) = state
        .read({
            let state = Arc::clone(&state);
            move |store| state.auth.login(store, &form.name, &form.password)
        })
        .await?;
    let cookie = format!("{SESSION_COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({"user": user.name, "role": user.role, "csrf": csrf})),
    )
        .into_response())
}

/// `POST /api/logout`
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, ApiError> {
    state.auth.logout(&headers)?;
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({"signed_out": true}))).into_response())
}

/// `GET /api/me`: who the caller is (or `null`), and the session's CSRF token.
pub async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = state.identify(&headers).await?;
    let csrf = state.auth.csrf_of(&headers)?;
    Ok(Json(match caller {
        Some(c) => json!({"user": c.name, "role": c.role, "csrf": csrf}),
        None => json!({"user": null, "role": null, "csrf": null}),
    }))
}
