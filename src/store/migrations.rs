//! Schema migrations, versioned in the code. `PRAGMA user_version` records
//! the version a database is at; opening it applies the missing steps in one
//! transaction each, and refuses a database newer than the binary.

use rusqlite::Connection;

use super::StoreError;

/// The schema, one step per version; step `i` brings a database to version `i + 1`.
const STEPS: &[&str] = &[
    // 1: the gazetteer
    "CREATE TABLE places (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        curated INTEGER NOT NULL,
        origin TEXT NOT NULL,
        kind TEXT NOT NULL,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        country TEXT NOT NULL,
        status TEXT NOT NULL,
        feature TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE place_names (
        place_id TEXT NOT NULL REFERENCES places(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        lang TEXT NOT NULL,
        script TEXT NOT NULL,
        kind TEXT NOT NULL,
        valid_from TEXT,
        valid_to TEXT,
        PRIMARY KEY (place_id, position)
    ) STRICT;
    CREATE INDEX place_names_text ON place_names(place_id, text);
    CREATE INDEX places_lon_lat ON places(lon, lat);",
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// Brings the database to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection, path: &str) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, step) in STEPS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
