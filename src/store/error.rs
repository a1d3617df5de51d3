//! Errors of the store.

use crate::gazetteer::GazetteerError;

/// Everything that can go wrong opening, migrating or writing the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer sitrep.
    #[error("the database {path} has schema version {found}, newer than this sitrep understands (up to {supported}); upgrade sitrep or use another database")]
    TooNew {
        /// Database file.
        path: String,
        /// Its schema version.
        found: i64,
        /// The newest version this binary knows.
        supported: i64,
    },
    /// A stored place could not be read back (the database was edited by hand?).
    #[error("stored place {id} is corrupt: {message}")]
    Corrupt {
        /// Place id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// An edit was based on an old revision: someone changed the record since.
    #[error("{entity} {id} has changed since revision {based_on}: it is now at revision {current}; reload and apply your change again")]
    Conflict {
        /// `place`, `incident` or `mention`.
        entity: &'static str,
        /// Its id.
        id: String,
        /// The revision the edit was based on.
        based_on: i64,
        /// The current revision.
        current: i64,
    },
    /// No such record.
    #[error("no {entity} with id {id}")]
    NotFound {
        /// `place`, `incident`, ...
        entity: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The edit is not valid (bad value, unknown field, ...).
    #[error("{0}")]
    Invalid(String),
    /// Gazetteer data (bundled or imported) is invalid.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
}
