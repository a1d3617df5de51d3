//! `sitrep export --layer L --format F [filters] -o FILE`.

use std::path::PathBuf;

use anyhow::{anyhow, Context};

use sitrep::export::{write_export, write_geopackage, Format};
use sitrep::store::{Layer, LayerFilter, Store};

use super::DbArg;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// incidents, places, roads or mentions.
    #[arg(long, default_value = "incidents")]
    layer: String,
    /// geojson, csv, kml, gpkg or fgb.
    #[arg(long, default_value = "geojson")]
    format: String,
    /// Output file.
    #[arg(short, long)]
    output: PathBuf,
    /// minLon,minLat,maxLon,maxLat
    #[arg(long)]
    bbox: Option<String>,
    /// RFC 3339 instant or interval a/b, ../b, a/..
    #[arg(long)]
    datetime: Option<String>,
    /// draft, published, rejected or all.
    #[arg(long)]
    status: Option<String>,
    /// ACLED event types, comma-separated.
    #[arg(long)]
    event_type: Option<String>,
    /// 1, 2, 3 (comma-separated).
    #[arg(long)]
    geo_precision: Option<String>,
    /// Text search.
    #[arg(long)]
    q: Option<String>,
    /// Incidents at this place id.
    #[arg(long)]
    place: Option<String>,
    /// Source outlets, comma-separated.
    #[arg(long)]
    outlet: Option<String>,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let layer = Layer::parse(&args.layer).ok_or_else(|| {
        anyhow!(
            "unknown --layer {:?}: use incidents, places, roads or mentions",
            args.layer
        )
    })?;
    let format = Format::parse(&args.format)
        .ok_or_else(|| anyhow!("unknown --format {:?}: use geojson, csv, kml, gpkg or fgb", args.format))?;
    let mut filter = LayerFilter::default();
    let mut described = Vec::new();
    let given = [
        ("bbox", &args.bbox),
        ("datetime", &args.datetime),
        ("status", &args.status),
        ("event_type", &args.event_type),
        ("geo_precision", &args.geo_precision),
        ("q", &args.q),
        ("place", &args.place),
        ("outlet", &args.outlet),
    ];
    for (name, value) in given {
        if let Some(value) = value {
            filter
                .set(name, value)
                .map_err(|e| anyhow!("--{}: {}", name.replace('_', "-"), e.message))?;
            described.push(format!("{name}={value}"));
        }
    }
    let filters_text = described.join("&");
    let path = args.db.path();
    let store = Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let count = if format == Format::GeoPackage {
        write_geopackage(&store, layer, &filter, &filters_text, &args.output)?
    } else {
        // write to a temporary file and rename, so a failed export leaves no half file
        let partial = args.output.with_extension(format!("{}.partial", format.extension()));
        let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
        let mut out = std::io::BufWriter::new(file);
        let count = write_export(&store, layer, &filter, format, &filters_text, &mut out);
        let count = count.and_then(|c| {
            use std::io::Write;
            out.flush()?;
            Ok(c)
        });
        match count {
            Ok(c) => {
                std::fs::rename(&partial, &args.output)?;
                c
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e.into());
            }
        }
    };
    eprintln!(
        "exported {count} {} features to {}",
        layer.name(),
        args.output.display()
    );
    Ok(())
}
