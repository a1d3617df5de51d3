//! Who is asking: API tokens (`Authorization: Bearer`), browser sessions
//! (an HttpOnly, SameSite=Strict cookie plus a CSRF token for writes), roles,
//! and the rate limit on failed logins. Secrets are stored as argon2 hashes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{HeaderMap, Method, StatusCode};

use super::error::ApiError;
use crate::store::{Role, Store, UserRecord};

/// Failed logins allowed per name before it is locked for [`LOCKOUT`].
const MAX_FAILURES: u32 = 5;
/// How long a name stays locked after too many failures.
const LOCKOUT: Duration = Duration::from_secs(60);
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sitrep_session";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Signed in with a browser session (writes need the CSRF token).
    pub via_session: bool,
}

struct Session {
    user_id: i64,
    csrf: String,
    expires: Instant,
}

/// Sessions, token cache and login throttling, in memory.
#[derive(Default)]
pub struct AuthState {
    sessions: Mutex<HashMap<String, Session>>,
    /// sha-like digest of verified tokens -> user id, so argon2 runs once per token.
    verified_tokens: Mutex<HashMap<String, i64>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// A fresh random secret, hex, 32 bytes of entropy.
pub fn random_secret() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Argon2 hash of a secret.
pub fn hash_secret(secret: &str) -> Result<String, String> {
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify_secret(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
}

/// Creates an API token for a user: `<user id>.<secret>`, with the hash stored.
pub fn issue_token(store: &mut Store, name: &str, role: Role) -> Result<String, String> {
    let secret = random_secret().map_err(|e| e.message)?;
    let hash = hash_secret(&secret)?;
    let id = store.upsert_user(name, role, &hash).map_err(|e| e.to_string())?;
    Ok(format!("{id}.{secret}"))
}

fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .find_map(|pair| pair.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
}

fn token_digest(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AuthState {
    /// The caller of a request, if any credentials are given. Bad credentials are 401.
    pub fn identify(&self, store: &Store, headers: &HeaderMap) -> Result<Option<Caller>, ApiError> {
        let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m);
        if let Some(value) = headers.get(axum::http::header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| unauthorized("use `Authorization: Bearer <token>`"))?
                .trim();
            let digest = token_digest(token);
            let cached = self
                .verified_tokens
                .lock()
                .map_err(ApiError::internal)?
                .get(&digest)
                .copied();
            let user = match cached {
                Some(id) => store.user(id)?,
                None => {
                    let (id, secret) = token.split_once('.').ok_or_else(|| unauthorized("malformed token"))?;
                    let id: i64 = id.parse().map_err(|_| unauthorized("malformed token"))?;
                    let user = store
                        .user(id)?
                        .filter(|u| u.token_hash.as_deref().is_some_and(|h| verify_secret(secret, h)));
                    if let Some(u) = &user {
                        self.verified_tokens
                            .lock()
                            .map_err(ApiError::internal)?
                            .insert(digest, u.id);
                    }
                    user
                }
            };
            let user = user.ok_or_else(|| unauthorized("unknown or revoked token"))?;
            return Ok(Some(caller(user, false)));
        }
        if let Some(session_id) = cookie_value(headers, SESSION_COOKIE) {
            let sessions = self.sessions.lock().map_err(ApiError::internal)?;
            let session = sessions.get(session_id).filter(|s| s.expires > Instant::now());
            let Some(session) = session else {
                return Err(unauthorized("session expired; sign in again"));
            };
            let user = store
                .user(session.user_id)?
                .ok_or_else(|| unauthorized("account removed"))?;
            return Ok(Some(caller(user, true)));
        }
        Ok(None)
    }

    /// Checks that the caller may do a write needing `role`: 401 without
    /// credentials, 403 with too low a role, 403 for a cookie write without
    /// the session's CSRF token.
    pub fn require(
        &self,
        caller: Option<Caller>,
        role: Role,
        method: &Method,
        headers: &HeaderMap,
    ) -> Result<Caller, ApiError> {
        let caller = caller
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "sign in or send an API token"))?;
        if caller.role < role {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "this needs the {} role; {} is a {}",
                    role.as_str(),
                    caller.name,
                    caller.role.as_str()
                ),
            ));
        }
        if caller.via_session && !matches!(*method, Method::GET | Method::HEAD) {
            let given = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            let session_id = cookie_value(headers, SESSION_COOKIE).unwrap_or("");
            let sessions = self.sessions.lock().map_err(ApiError::internal)?;
            let ok = sessions
                .get(session_id)
                .is_some_and(|s| !given.is_empty() && s.csrf == given);
            if !ok {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong X-CSRF-Token header",
                ));
            }
        }
        Ok(caller)
    }

    /// Signs in with name and password: a new session id and its CSRF token.
    /// Failed attempts are counted per name; after [`MAX_FAILURES`] the name is locked briefly.
    pub fn login(&self, store: &Store, name: &str, password: &str) -> Result<(String, String, UserRecord), ApiError> {
        {
            let failures = self.failures.lock().map_err(ApiError::internal)?;
            if let Some((count, since)) = failures.get(name) {
                if *count >= MAX_FAILURES && since.elapsed() < LOCKOUT {
                    return Err(ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        "too many failed sign-ins; wait a minute",
                    ));
                }
            }
        }
        let user = store.user_by_name(name)?;
        let ok = user
            .as_ref()
            .and_then(|u| u.password_hash.as_deref())
            .is_some_and(|h| verify_secret(password, h));
        let Some(user) = user.filter(|_| ok) else {
            let mut failures = self.failures.lock().map_err(ApiError::internal)?;
            let entry = failures
                .entry(name.chars().take(64).collect())
                .or_insert((0, Instant::now()));
            if entry.1.elapsed() >= LOCKOUT {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
            entry.1 = Instant::now();
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "wrong name or password",
            ));
        };
        self.failures.lock().map_err(ApiError::internal)?.remove(name);
        let session_id = random_secret()?;
        let csrf = random_secret()?;
        self.sessions.lock().map_err(ApiError::internal)?.insert(
            session_id.clone(),
            Session {
                user_id: user.id,
                csrf: csrf.clone(),
                expires: Instant::now() + Duration::from_secs(12 * 3600),
            },
        );
        Ok((session_id, csrf, user))
    }

    /// The CSRF token of the request's session, if it has one.
    pub fn csrf_of(&self, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
        let Some(id) = cookie_value(headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        Ok(self
            .sessions
            .lock()
            .map_err(ApiError::internal)?
            .get(id)
            .map(|s| s.csrf.clone()))
    }

    /// Ends a session.
    pub fn logout(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        if let Some(id) = cookie_value(headers, SESSION_COOKIE) {
            self.sessions.lock().map_err(ApiError::internal)?.remove(id);
        }
        Ok(())
    }
}

fn caller(user: UserRecord, via_session: bool) -> Caller {
    Caller {
        id: user.id,
        name: user.name,
        role: user.role,
        via_session,
    }
}
