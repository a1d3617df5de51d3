//! Persistent storage in one SQLite file: WAL mode, foreign keys on, schema
//! migrations versioned in the code. The store knows nothing of HTTP.

mod articles;
mod backup;
mod error;
pub mod filter;
mod incidents;
mod layer_schema;
mod layers;
mod migrations;
mod places;
pub mod revisions;
mod users;

use std::path::{Path, PathBuf};

use rusqlite::Connection;

pub use articles::{content_hash, sentence_around, MentionDecision, MentionRecord, NewSource, SourceRecord};
pub use backup::{check_backup, restore};
pub use error::StoreError;
pub use filter::{FilterError, LayerFilter, StatusFilter};
pub use incidents::{IngestOutcome, PlaceEdit, StoreStats};
pub use layer_schema::{Field, FieldType};
pub use layers::{Layer, PageEnd};
pub use migrations::SCHEMA_VERSION;
pub use places::ImportReport;
pub use revisions::Revision;
pub use users::{Role, UserRecord};

/// An open sitrep database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// What opening the database changed to bring its places up to this
    /// build's bundled gazetteer, if it did.
    bundled_refresh: Option<ImportReport>,
}

impl Store {
    /// Opens the database at `path`, creating it and seeding it with the
    /// bundled gazetteer when it is new, and upgrading an older schema.
    ///
    /// A database seeded by an older build is brought up to this build's
    /// bundled gazetteer: new places are added, and places still as a
    /// bundled layer wrote them are updated; a place an editor changed or
    /// a user imported keeps its facts. See [`Store::bundled_refresh`].
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let label = path.display().to_string();
        migrations::migrate(&mut conn, &label)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            bundled_refresh: None,
        };
        if store.place_count()? == 0 {
            store.seed_bundled()?;
        } else if !store.has_current_bundled_data()? {
            store.bundled_refresh = Some(store.refresh_bundled()?);
        }
        Ok(store)
    }

    /// What opening the database did to bring its places up to this
    /// build's bundled gazetteer: `None` when it was new or already up to
    /// date.
    pub fn bundled_refresh(&self) -> Option<&ImportReport> {
        self.bundled_refresh.as_ref()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
