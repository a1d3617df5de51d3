//! Consistent copies of a live database, and checked restores.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, MAIN_DB};

use super::migrations::SCHEMA_VERSION;
use super::{Store, StoreError};

impl Store {
    /// Copies the database to `target` with SQLite's online backup: the copy
    /// is consistent even while a server writes to the database.
    pub fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; choose a new file",
                target.display()
            )));
        }
        self.conn.backup(MAIN_DB, target, None)?;
        Ok(())
    }
}

/// Checks that `backup` is a sitrep database this binary can use: SQLite
/// integrity check passes and its schema version is not newer than ours.
pub fn check_backup(backup: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(StoreError::Invalid(format!(
            "{} fails the integrity check: {integrity}",
            backup.display()
        )));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == 0 {
        return Err(StoreError::Invalid(format!(
            "{} is not a sitrep database",
            backup.display()
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: backup.display().to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let places: i64 = conn.query_row("SELECT count(*) FROM places", [], |r| r.get(0))?;
    if places == 0 {
        return Err(StoreError::Invalid(format!("{} has no places", backup.display())));
    }
    Ok(())
}

/// Replaces the database at `target` with `backup`, after checking the
/// backup; on a failed check nothing is touched.
pub fn restore(backup: &Path, target: &Path) -> Result<(), StoreError> {
    check_backup(backup)?;
    let mut conn = Connection::open(target)?;
    conn.restore(MAIN_DB, backup, None::<fn(rusqlite::backup::Progress)>)?;
    Ok(())
}
