//! `sitrep gazetteer lookup | import | export`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use serde::Serialize;

use sitrep::gazetteer::export::write_geojson;
use sitrep::gazetteer::import::{collect_places, read_from, ImportError, ImportFormat};
use sitrep::gazetteer::summary::PlaceSummary;
use sitrep::gazetteer::{Gazetteer, MatchQuality, Name, SearchQuery};
use sitrep::store::{Store, StoreError};

use super::DbArg;

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Print the places a name may refer to, best first.
    Lookup {
        /// The name, in any spelling or script.
        name: String,
        /// Prefer places near this point: LON,LAT.
        #[arg(long, value_parser = parse_lon_lat)]
        near: Option<(f64, f64)>,
        /// Only places in this country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// Only places of this kind (P, P.PPL, A.ADM1, road, ...).
        #[arg(long)]
        kind: Option<String>,
        /// Complete the name as a prefix (autocomplete).
        #[arg(long)]
        prefix: bool,
        /// Most results.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DbArg,
    },
    /// Import places or names into a database (all or nothing per run).
    Import {
        /// Files to import, in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// geonames | alternatenames | admincodes | countryinfo | geojson | csv
        /// (guessed from the file name when absent).
        #[arg(long)]
        format: Option<String>,
        /// Treat the records as curated facts that later plain imports keep.
        #[arg(long)]
        curated: bool,
        /// Database to import into (default ./sitrep.db).
        #[command(flatten)]
        db: DbArg,
    },
    /// Write the whole gazetteer as sitrep gazetteer GeoJSON.
    Export {
        /// Output format (geojson).
        #[arg(long, default_value = "geojson")]
        format: String,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
}

fn parse_lon_lat(text: &str) -> Result<(f64, f64), String> {
    let (lon, lat) = text.split_once(',').ok_or("expected LON,LAT")?;
    let lon: f64 = lon.trim().parse().map_err(|_| format!("{lon:?} is not a longitude"))?;
    let lat: f64 = lat.trim().parse().map_err(|_| format!("{lat:?} is not a latitude"))?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("{lon},{lat} is outside lon [-180, 180], lat [-90, 90]"));
    }
    Ok((lon, lat))
}

/// The gazetteer to read: the database's when `--db` is given, else the bundled one.
pub fn load_gazetteer(db: &DbArg) -> anyhow::Result<Gazetteer> {
    load_gazetteer_with(db, &[])
}

/// The store's gazetteer (or the bundled one) with the places of `extra`
/// tables (GeoNames, sitrep GeoJSON) loaded over it, without storing them.
pub fn load_gazetteer_with(db: &DbArg, extra: &[std::path::PathBuf]) -> anyhow::Result<Gazetteer> {
    if db.db.is_none() && extra.is_empty() {
        return Gazetteer::bundled().context("loading the bundled gazetteer");
    }
    let mut places = match &db.db {
        Some(path) => Store::open(path)
            .with_context(|| format!("opening {}", path.display()))?
            .load_places()?,
        None => sitrep::gazetteer::bundled::bundled_places().context("loading the bundled gazetteer")?,
    };
    for file in extra {
        let format = ImportFormat::detect(file).unwrap_or(ImportFormat::GeoNames);
        let reader =
            std::io::BufReader::new(std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?);
        collect_places(reader, &file.display().to_string(), format, &mut places)?;
    }
    Ok(Gazetteer::from_places(places)?)
}

#[derive(Serialize)]
struct LookupRow<'a> {
    #[serde(flatten)]
    place: PlaceSummary,
    matched_name: &'a str,
    #[serde(rename = "match")]
    quality: MatchQuality,
    score: f64,
    population: u64,
    admin1: &'a str,
    names: &'a [Name],
    sources: &'a [std::sync::Arc<sitrep::gazetteer::Source>],
}

pub fn run(command: GazetteerCommand) -> anyhow::Result<()> {
    match command {
        GazetteerCommand::Lookup {
            name,
            near,
            country,
            kind,
            prefix,
            limit,
            json,
            db,
        } => {
            let gazetteer = load_gazetteer(&db)?;
            let mut query = SearchQuery::new(&name).limit(limit);
            query.autocomplete = prefix;
            query.country = country;
            query.kind = kind;
            if let Some((lon, lat)) = near {
                query = query.near(lon, lat);
            }
            let hits = gazetteer.search(&query);
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            if json {
                let rows: Vec<LookupRow<'_>> = hits
                    .iter()
                    .map(|hit| LookupRow {
                        place: PlaceSummary::of(hit.place),
                        matched_name: &hit.name.text,
                        quality: hit.quality,
                        score: (hit.score * 1e4).round() / 1e4,
                        population: hit.place.population,
                        admin1: &hit.place.admin1,
                        names: &hit.place.names,
                        sources: &hit.place.sources,
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else if hits.is_empty() {
                bail!("no place matches {name:?}");
            } else {
                for hit in &hits {
                    writeln!(
                        out,
                        "{:.3}  {:<14} {:<28} {:<10} {:>10.5} {:>10.5}  {}  (matched {:?})",
                        hit.score,
                        hit.place.id,
                        hit.place.primary_name(),
                        hit.place.kind.to_string(),
                        hit.place.lat(),
                        hit.place.lon(),
                        hit.place.country,
                        hit.name.text
                    )?;
                }
            }
            Ok(())
        }
        GazetteerCommand::Import {
            files,
            format,
            curated,
            db,
        } => {
            let path = db.db.unwrap_or_else(|| PathBuf::from("sitrep.db"));
            let mut store = Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
            let forced = match format.as_deref() {
                Some(text) => Some(ImportFormat::parse(text).ok_or_else(|| {
                    anyhow!("unknown --format {text:?}: use geonames, alternatenames, admincodes, countryinfo, geojson or csv")
                })?),
                None => None,
            };
            let mut plan = Vec::new();
            for file in &files {
                let format = match forced {
                    Some(f) => f,
                    None => ImportFormat::detect(file)
                        .ok_or_else(|| anyhow!("cannot tell the format of {}: pass --format", file.display()))?,
                };
                plan.push((file.clone(), format));
            }
            let origin = format!(
                "import:{}",
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let report = store.import(&origin, curated, |sink| -> anyhow::Result<()> {
                for (file, format) in &plan {
                    import_one(file, *format, sink)?;
                }
                Ok(())
            })?;
            eprintln!(
                "imported into {}: {} added, {} updated, {} unchanged, {} names added, {} skipped (unknown place)",
                path.display(),
                report.added,
                report.updated,
                report.unchanged,
                report.names_added,
                report.skipped
            );
            Ok(())
        }
        GazetteerCommand::Export { format, output, db } => {
            if format != "geojson" {
                bail!("unknown --format {format:?}: the gazetteer exports as geojson");
            }
            let gazetteer = load_gazetteer(&db)?;
            match output {
                Some(path) => {
                    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
                    write_geojson(gazetteer.places().iter().map(|p| &**p), BufWriter::new(file))?;
                }
                None => write_geojson(
                    gazetteer.places().iter().map(|p| &**p),
                    BufWriter::new(std::io::stdout().lock()),
                )?,
            }
            Ok(())
        }
    }
}

/// Streams one file into the import sink, with a progress bar on a terminal.
fn import_one(
    file: &Path,
    format: ImportFormat,
    sink: &mut dyn FnMut(sitrep::gazetteer::import::ImportRecord) -> Result<(), StoreError>,
) -> anyhow::Result<()> {
    let handle = File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(file.display().to_string());
    let reader = BufReader::with_capacity(1 << 20, bar.wrap_read(handle));
    let label = file.display().to_string();
    let result = read_from(reader, &label, format, sink);
    bar.finish_and_clear();
    match result {
        Ok(()) => Ok(()),
        Err(ImportError::Gazetteer(e)) => Err(anyhow!(e).context("nothing was imported")),
        Err(ImportError::Sink(e)) => Err(anyhow!(e).context("nothing was imported")),
    }
}
