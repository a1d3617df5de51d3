//! `sitrep geoparse [FILE|-] [--format json|geojson]`.

use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;

use anyhow::{bail, Context};
use serde_json::json;

use sitrep::geoparse::{for_each_mention_with, GeoparseOptions, Mention};

use super::gazetteer::load_gazetteer_with;
use super::DbArg;

#[derive(Debug, clap::Args)]
pub struct GeoparseArgs {
    /// UTF-8 text file, or `-` (the default) for standard input.
    #[arg(default_value = "-")]
    input: PathBuf,
    /// json (mentions with offsets, place, candidates, reasons) or geojson
    /// (one feature per resolved mention).
    #[arg(long, default_value = "json", value_parser = ["json", "geojson"])]
    format: String,
    #[command(flatten)]
    db: DbArg,
    /// Also report places named by adjectives and demonyms ("Russian
    /// officials" -> Russia), as GeoWebNews and LGL annotate them.
    #[arg(long)]
    modifiers: bool,
    /// Extra gazetteer tables (GeoNames `cities500.txt`, sitrep GeoJSON)
    /// loaded over the store's or the bundled gazetteer for this run.
    #[arg(long)]
    gazetteer: Vec<PathBuf>,
    /// Threads for a long text (over 128 kB), which is geoparsed in chunks
    /// side by side; the default is one per core. The output is the same
    /// whatever the number.
    #[arg(long, value_parser = clap::value_parser!(NonZeroUsize))]
    threads: Option<NonZeroUsize>,
}

/// Reads the whole input as UTF-8, refusing empty or invalid input clearly.
pub fn read_text(input: &PathBuf) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    if input.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    }
    let label = input.display();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            bail!("{label} is not valid UTF-8 (first bad byte at offset {at}); convert it to UTF-8 first")
        }
    };
    if text.trim().is_empty() {
        bail!("{label} is empty: there is no text to geoparse");
    }
    Ok(text)
}

pub fn run(args: GeoparseArgs) -> anyhow::Result<()> {
    let text = read_text(&args.input)?;
    let gazetteer = load_gazetteer_with(&args.db, &args.gazetteer)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Stream mention by mention so memory does not grow with the text.
    let geojson = args.format == "geojson";
    if geojson {
        out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    } else {
        out.write_all(b"{\"mentions\":[")?;
    }
    let mut first = true;
    let mut failure: Option<std::io::Error> = None;
    for_each_mention_with(
        &text,
        &gazetteer,
        GeoparseOptions {
            modifiers: args.modifiers,
            threads: args.threads,
        },
        |mention| {
            if failure.is_some() || (geojson && mention.place.is_none()) {
                return;
            }
            let result = (|| -> std::io::Result<()> {
                if !first {
                    out.write_all(b",\n")?;
                }
                first = false;
                if geojson {
                    serde_json::to_writer(&mut out, &feature(&mention))?;
                } else {
                    serde_json::to_writer(&mut out, &mention)?;
                }
                Ok(())
            })();
            if let Err(e) = result {
                failure = Some(e);
            }
        },
    );
    if let Some(e) = failure {
        return Err(e).context("writing the output");
    }
    out.write_all(b"]}\n")?;
    out.flush()?;
    // The process ends next; handing the gazetteer's hundreds of thousands of
    // allocations back one by one would add about 50 ms to every run.
    std::mem::forget(gazetteer);
    Ok(())
}

/// One resolved mention as a GeoJSON feature: the place's geometry, the
/// mention's fields as properties.
fn feature(mention: &Mention) -> serde_json::Value {
    let place = mention.place.as_ref();
    json!({
        "type": "Feature",
        "geometry": place.map(|p| &p.summary.geometry),
        "properties": {
            "text": mention.text,
            "start": mention.start,
            "end": mention.end,
            "byte_start": mention.byte_start,
            "byte_end": mention.byte_end,
            "place_id": place.map(|p| &p.summary.id),
            "place_name": place.map(|p| &p.summary.name),
            "kind": place.map(|p| &p.summary.kind),
            "country": place.map(|p| &p.summary.country),
            "radius_m": place.map(|p| p.summary.radius_m),
            "derived": place.map(|p| p.derived),
            "score": mention.score,
            "reason": mention.reason,
            "candidates": mention.candidates,
            "parts": mention.parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        }
    })
}
