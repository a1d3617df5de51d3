//! `sitrep backup PATH`, `sitrep restore PATH` and `sitrep stats`.

use std::path::PathBuf;

use anyhow::Context;

use super::DbArg;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist).
    target: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup to restore from.
    backup: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

pub fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let path = args.db.path();
    let store = sitrep::store::Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
    store.backup_to(&args.target)?;
    eprintln!("backed up {} to {}", path.display(), args.target.display());
    Ok(())
}

pub fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let path = args.db.path();
    sitrep::store::restore(&args.backup, &path)
        .with_context(|| format!("restoring {} into {}", args.backup.display(), path.display()))?;
    eprintln!("restored {} from {}", path.display(), args.backup.display());
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn stats(args: StatsArgs) -> anyhow::Result<()> {
    let path = args.db.path();
    let store = sitrep::store::Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let stats = store.stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&stats)?);
    } else {
        println!(
            "{}: {} places, {} articles, {} mentions, {} incidents ({} duplicates), {} revisions; integrity {}",
            path.display(),
            stats.places,
            stats.sources,
            stats.mentions,
            stats.incidents,
            stats.duplicate_incidents,
            stats.revisions,
            stats.integrity
        );
    }
    Ok(())
}
