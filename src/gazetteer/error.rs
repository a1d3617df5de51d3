//! Errors of the gazetteer: bad places, bad import files, index failures.

use std::path::PathBuf;

/// Everything that can go wrong building, importing or exporting a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A line or record of an input file is malformed. Names file, line and field.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Parse {
        /// The file (or `-` for standard input).
        file: String,
        /// 1-based line number (record number for JSON inputs).
        line: u64,
        /// The column or property at fault.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A place breaks an invariant (coordinates out of range, no names, ...).
    #[error("place {id}: {message}")]
    InvalidPlace {
        /// The place's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// Two places claim the same id.
    #[error("duplicate place id {0}")]
    DuplicateId(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The name index could not be built.
    #[error("building the name index: {0}")]
    Index(String),
}

impl GazetteerError {
    /// Shorthand for a [`GazetteerError::Parse`].
    pub fn parse(file: &str, line: u64, field: &str, message: impl Into<String>) -> Self {
        GazetteerError::Parse {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}
