//! sitrep: turn news text into a map of incidents.
//!
//! The modules follow the data's path: a [`gazetteer`] knows places by all
//! their names; the geoparser finds mentions of them in text; incidents link to
//! places by reference; the [`store`] keeps everything in SQLite; the server and
//! exporters hand it to browsers and GIS software. Dependencies point one way,
//! down that path.

pub mod eval;

/// What `build.rs` makes for the library. (`build.rs` compiles the gazetteer
/// module itself to build the index, with an empty stand-in for this module.)
mod build_output {
    /// The bundled gazetteer's name index, serialised: see
    /// [`crate::gazetteer::bundled::prebuilt_index`].
    pub const BUNDLED_NAME_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bundled-name-index.bin"));
}

pub mod export;
pub mod gazetteer;
pub mod geoparse;
pub mod incidents;
pub mod ingest;
pub mod server;
pub mod store;
