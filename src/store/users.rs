//! Accounts: name, role, and the argon2 hashes of an API token and a password.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::revisions::now_rfc3339;
use super::{Store, StoreError};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read.
    Viewer,
    /// Edit the gazetteer and incidents, work the review queue.
    Editor,
    /// Manage accounts and settings.
    Admin,
}

impl Role {
    /// Parses `viewer`, `editor` or `admin`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// A stored account.
#[derive(Debug, Clone)]
pub struct UserRecord {
    /// Id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Argon2 hash of the API token.
    pub token_hash: Option<String>,
    /// Argon2 hash of the password.
    pub password_hash: Option<String>,
}

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRecord> {
    let role: String = r.get(2)?;
    Ok(UserRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        token_hash: r.get(3)?,
        password_hash: r.get(4)?,
    })
}

impl Store {
    /// Creates a user (or changes the role of an existing one) with a token hash; returns the id.
    pub fn upsert_user(&mut self, name: &str, role: Role, token_hash: &str) -> Result<i64, StoreError> {
        if name.trim().is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(StoreError::Invalid(
                "a user name is 1-64 characters without spaces".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO users (name, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash",
            params![name, role.as_str(), token_hash, now_rfc3339()],
        )?;
        Ok(self
            .conn
            .query_row("SELECT id FROM users WHERE name = ?1", params![name], |r| r.get(0))?)
    }

    /// Sets a user's password hash.
    pub fn set_password_hash(&mut self, name: &str, hash: &str) -> Result<(), StoreError> {
        let changed = self.conn.execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            params![name, hash],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                entity: "user",
                id: name.to_string(),
            });
        }
        Ok(())
    }

    /// A user by id.
    pub fn user(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, role, token_hash, password_hash FROM users WHERE id = ?1",
                params![id],
                user_from_row,
            )
            .optional()?)
    }

    /// A user by name.
    pub fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, role, token_hash, password_hash FROM users WHERE name = ?1",
                params![name],
                user_from_row,
            )
            .optional()?)
    }
}
