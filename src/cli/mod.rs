//! Command definitions and dispatch.

mod eval;
mod gazetteer;
mod geoparse;

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
}

/// The database option shared by commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArg {
    /// SQLite database; created and seeded from the bundled data on first use.
    #[arg(long, env = "SITREP_DB")]
    pub db: Option<PathBuf>,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Gazetteer(command) => gazetteer::run(command),
        Command::Geoparse(args) => geoparse::run(args),
        Command::Eval(args) => eval::run(args),
    }
}
