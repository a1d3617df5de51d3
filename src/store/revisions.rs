//! The append-only revision log: every change to a place, mention or
//! incident, with who, when, why, and the record before and after. Its
//! sequence numbers are the change feed.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::StoreError;

/// The current time in RFC 3339, UTC, seconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One entry of the log.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// Position in the log (the change feed's cursor).
    pub seq: i64,
    /// `place`, `mention` or `incident`.
    pub entity: String,
    /// Id of the changed record.
    pub entity_id: String,
    /// The record's revision after the change.
    pub revision: i64,
    /// Who made it (user id; 1 is sitrep itself).
    pub user_id: Option<i64>,
    /// User name, when known.
    pub user: Option<String>,
    /// When, RFC 3339.
    pub at: String,
    /// Why, in words.
    pub why: String,
    /// The record before (JSON), absent on creation.
    pub before: Option<serde_json::Value>,
    /// The record after (JSON), absent on deletion.
    pub after: Option<serde_json::Value>,
}

/// Appends a revision.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    revision: i64,
    user_id: Option<i64>,
    why: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO revisions (entity, entity_id, revision, user_id, at, why, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entity,
            entity_id,
            revision,
            user_id,
            now_rfc3339(),
            why,
            before.map(|v| v.to_string()),
            after.map(|v| v.to_string())
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn revision_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    Ok(Revision {
        seq: row.get(0)?,
        entity: row.get(1)?,
        entity_id: row.get(2)?,
        revision: row.get(3)?,
        user_id: row.get(4)?,
        user: row.get(5)?,
        at: row.get(6)?,
        why: row.get(7)?,
        before: parse(row.get(8)?),
        after: parse(row.get(9)?),
    })
}

const SELECT: &str =
    "SELECT r.seq, r.entity, r.entity_id, r.revision, r.user_id, u.name, r.at, r.why, r.before, r.after
     FROM revisions r LEFT JOIN users u ON u.id = r.user_id";

/// Every revision of one record, oldest first.
pub fn history(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<Revision>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "{SELECT} WHERE r.entity = ?1 AND r.entity_id = ?2 ORDER BY r.seq"
    ))?;
    let rows = statement.query_map(params![entity, entity_id], revision_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Revisions after `since`, in order, at most `limit`.
pub fn changes_since(conn: &Connection, since: i64, limit: i64) -> Result<Vec<Revision>, StoreError> {
    let mut statement = conn.prepare(&format!("{SELECT} WHERE r.seq > ?1 ORDER BY r.seq LIMIT ?2"))?;
    let rows = statement.query_map(params![since, limit], revision_from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
