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
    // 2: articles, mentions, incidents, users and the revision log
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        token_hash TEXT,
        password_hash TEXT,
        created_at TEXT NOT NULL
    ) STRICT;
    INSERT INTO users (id, name, role, created_at) VALUES (1, 'sitrep', 'admin', '1970-01-01T00:00:00Z');
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        outlet TEXT NOT NULL,
        published TEXT,
        retrieved TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL
    ) STRICT;
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        byte_start INTEGER NOT NULL,
        byte_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        place_id TEXT REFERENCES places(id),
        score REAL NOT NULL,
        candidates TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('auto', 'confirmed', 'rejected', 'reassigned')),
        decided_by INTEGER REFERENCES users(id),
        revision INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX mentions_source ON mentions(source_id);
    CREATE INDEX mentions_place ON mentions(place_id);
    CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        revision INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'rejected')),
        date_start TEXT NOT NULL,
        date_end TEXT NOT NULL,
        time_precision INTEGER NOT NULL CHECK (time_precision BETWEEN 1 AND 3),
        time_of_day TEXT,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        actor1 TEXT NOT NULL,
        actor2 TEXT NOT NULL,
        place_id TEXT REFERENCES places(id),
        road_id TEXT REFERENCES places(id),
        geo_precision INTEGER NOT NULL CHECK (geo_precision BETWEEN 1 AND 3),
        radius_m REAL NOT NULL,
        location_name TEXT NOT NULL,
        notes TEXT NOT NULL,
        tags TEXT NOT NULL,
        confidence REAL NOT NULL,
        field_evidence TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX incidents_place ON incidents(place_id);
    CREATE INDEX incidents_date ON incidents(date_start, date_end);
    CREATE TABLE incident_sources (
        incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        quote TEXT NOT NULL,
        quote_start INTEGER NOT NULL,
        quote_end INTEGER NOT NULL,
        proposal TEXT NOT NULL,
        merged INTEGER NOT NULL,
        PRIMARY KEY (incident_id, source_id)
    ) STRICT;
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
        party TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('killed', 'injured')),
        low INTEGER NOT NULL,
        best INTEGER NOT NULL,
        high INTEGER NOT NULL,
        quote TEXT NOT NULL,
        quote_start INTEGER NOT NULL,
        quote_end INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX claims_incident ON claims(incident_id);
    CREATE TABLE revisions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entity TEXT NOT NULL CHECK (entity IN ('place', 'mention', 'incident')),
        entity_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        user_id INTEGER REFERENCES users(id),
        at TEXT NOT NULL,
        why TEXT NOT NULL,
        before TEXT,
        after TEXT
    ) STRICT;
    CREATE INDEX revisions_entity ON revisions(entity, entity_id, revision);",
    // 3: the display name on the place row, so layers need no per-row lookup
    "ALTER TABLE places ADD COLUMN name TEXT;
    UPDATE places SET name = (SELECT x.text FROM place_names x WHERE x.place_id = places.id
        ORDER BY (x.kind = 'official' AND x.script = 'Latn') DESC, (x.kind = 'official') DESC, x.position LIMIT 1);
    CREATE INDEX incidents_status_id ON incidents(status, id);",
    // 4: a counter bumped by every change to what the layers show, by any
    // writer (server, CLI, another process): ETags read one row
    "CREATE TABLE data_version (n INTEGER NOT NULL) STRICT;
    INSERT INTO data_version VALUES (0);
    CREATE TRIGGER places_insert_version AFTER INSERT ON places BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER places_update_version AFTER UPDATE ON places BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER places_delete_version AFTER DELETE ON places BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER place_names_insert_version AFTER INSERT ON place_names BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER place_names_update_version AFTER UPDATE ON place_names BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER place_names_delete_version AFTER DELETE ON place_names BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER sources_insert_version AFTER INSERT ON sources BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER sources_update_version AFTER UPDATE ON sources BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER sources_delete_version AFTER DELETE ON sources BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER mentions_insert_version AFTER INSERT ON mentions BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER mentions_update_version AFTER UPDATE ON mentions BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER mentions_delete_version AFTER DELETE ON mentions BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incidents_insert_version AFTER INSERT ON incidents BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incidents_update_version AFTER UPDATE ON incidents BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incidents_delete_version AFTER DELETE ON incidents BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER claims_insert_version AFTER INSERT ON claims BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER claims_update_version AFTER UPDATE ON claims BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER claims_delete_version AFTER DELETE ON claims BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incident_sources_insert_version AFTER INSERT ON incident_sources BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incident_sources_update_version AFTER UPDATE ON incident_sources BEGIN UPDATE data_version SET n = n + 1; END;
    CREATE TRIGGER incident_sources_delete_version AFTER DELETE ON incident_sources BEGIN UPDATE data_version SET n = n + 1; END;",
    // 5: which build's bundled gazetteer the places were last brought up to
    // (empty before any: a database seeded before this step is refreshed once)
    "CREATE TABLE bundled_data (fingerprint TEXT NOT NULL) STRICT;",
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
