//! `sitrep ingest FILE|DIR...`.

use std::path::PathBuf;

use anyhow::bail;

use sitrep::geoparse::Geoparser;
use sitrep::incidents::IncidentStatus;
use sitrep::ingest::{article_files, ingest_article_with, parse_day, read_with_defaults, ArticleDefaults};

use super::{open_store, DbArg};

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Article files (.txt, .md, .html) or directories of them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// URL of the article (single files).
    #[arg(long)]
    url: Option<String>,
    /// Title, when the file does not give one.
    #[arg(long)]
    title: Option<String>,
    /// Outlet.
    #[arg(long)]
    outlet: Option<String>,
    /// Publication date, YYYY-MM-DD (relative dates count from it).
    #[arg(long)]
    published: Option<String>,
    /// Publish the proposed incidents instead of leaving them as drafts.
    #[arg(long)]
    publish: bool,
    /// Print one JSON line per article.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: IngestArgs) -> anyhow::Result<()> {
    let published = match &args.published {
        Some(text) => match parse_day(text) {
            Some(day) => Some(day),
            None => bail!("--published {text:?} is not a date: use YYYY-MM-DD"),
        },
        None => None,
    };
    let defaults = ArticleDefaults {
        url: args.url.clone(),
        title: args.title.clone(),
        outlet: args.outlet.clone(),
        published,
    };
    let files = article_files(&args.paths)?;
    if files.is_empty() {
        bail!("no article files (.txt, .md, .html) under the given paths");
    }
    let (mut store, gazetteer) = open_store(&args.db)?;
    let status = if args.publish {
        IncidentStatus::Published
    } else {
        IncidentStatus::Draft
    };
    let bar = indicatif::ProgressBar::new(files.len() as u64).with_style(
        indicatif::ProgressStyle::with_template("ingesting [{bar:40}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // one geoparser for the batch: articles repeat their names
    let mut geoparser = Geoparser::new(&gazetteer);
    let (mut stored, mut duplicates, mut failed, mut created, mut merged) = (0, 0, 0, 0, 0);
    for file in &files {
        bar.set_message(file.display().to_string());
        let result = read_with_defaults(file, &defaults).and_then(|article| {
            ingest_article_with(
                &mut store,
                &mut geoparser,
                &article,
                &file.display().to_string(),
                status,
            )
        });
        match result {
            Ok(outcome) => {
                if outcome.new_source {
                    stored += 1;
                } else {
                    duplicates += 1;
                }
                created += outcome.created.len();
                merged += outcome.merged.len();
                if args.json {
                    bar.suspend(|| {
                        println!(
                            "{}",
                            serde_json::json!({"file": file.display().to_string(), "outcome": outcome})
                        )
                    });
                }
            }
            Err(error) => {
                failed += 1;
                bar.suspend(|| eprintln!("skipped {}: {error}", file.display()));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!(
        "{stored} articles stored, {duplicates} already present, {failed} skipped; {created} incidents proposed, {merged} merged into existing ones"
    );
    Ok(())
}
