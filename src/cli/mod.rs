//! Command definitions and dispatch.

mod backup;
mod eval;
mod export;
mod gazetteer;
mod geoparse;
mod ingest;
mod review;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// sitrep: geospatial incident mapping from news text.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Look up, import and export gazetteer places.
    #[command(subcommand)]
    Gazetteer(gazetteer::GazetteerCommand),
    /// Find and resolve the place mentions in a text.
    Geoparse(geoparse::GeoparseArgs),
    /// Score the geoparser against annotated corpora.
    Eval(eval::EvalArgs),
    /// Read articles (text, Markdown, HTML), geoparse them and propose incidents.
    Ingest(ingest::IngestArgs),
    /// List machine-placed mentions and draft incidents, least certain first.
    Review(review::ReviewArgs),
    /// Make a consistent copy of the database (safe while the server runs).
    Backup(backup::BackupArgs),
    /// Replace the database with a checked backup.
    Restore(backup::RestoreArgs),
    /// Counts of what the database holds, and its integrity check.
    Stats(backup::StatsArgs),
    /// Export a layer as GeoJSON, CSV, KML or GeoPackage, with the map's filters.
    Export(export::ExportArgs),
    /// Serve the map, the GeoJSON layers and the editing API.
    Serve(serve::ServeArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(serve::UserCommand),
}

/// The database option shared by commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArg {
    /// SQLite database; created and seeded from the bundled data on first use.
    #[arg(long, env = "SITREP_DB")]
    pub db: Option<PathBuf>,
}

impl DbArg {
    /// The database path: `--db`, `SITREP_DB`, or `./sitrep.db`.
    pub fn path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(|| PathBuf::from("sitrep.db"))
    }
}

/// Opens (creating and seeding on first use) the database, loads its
/// gazetteer, and ingests the demo articles into a new database (unless
/// `SITREP_NO_DEMO` is set, for an empty incident store).
pub fn open_store(db: &DbArg) -> anyhow::Result<(sitrep::store::Store, sitrep::gazetteer::Gazetteer)> {
    use anyhow::Context;
    let path = db.path();
    let mut store = sitrep::store::Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
    if let Some(report) = store.bundled_refresh() {
        eprintln!(
            "{}: brought up to this build's bundled gazetteer ({} places added, {} updated; places edited or imported kept)",
            path.display(),
            report.added,
            report.updated
        );
    }
    let gazetteer = sitrep::gazetteer::Gazetteer::from_places(store.load_places()?)?;
    if std::env::var_os("SITREP_NO_DEMO").is_none() {
        sitrep::ingest::demo::seed_demo(&mut store, &gazetteer).context("ingesting the demo articles")?;
    }
    Ok((store, gazetteer))
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Gazetteer(command) => gazetteer::run(command),
        Command::Geoparse(args) => geoparse::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Review(args) => review::run(args),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
        Command::Stats(args) => backup::stats(args),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
        Command::User(command) => serve::user(command),
    }
}
