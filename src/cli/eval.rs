//! `sitrep eval CORPUS... [--format gwn|lgl|json] [--split all|dev|test] [--gazetteer FILE...]`.

use std::path::PathBuf;

use anyhow::{anyhow, Context};

use sitrep::eval::{evaluate, read_corpus, CorpusFormat, EvalReport, Split};
use sitrep::gazetteer::Gazetteer;
use sitrep::geoparse::GeoparseOptions;

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Corpus files: GeoWebNews XML, LGL/TR-News XML, or a `.gold.json` beside its `.txt`.
    #[arg(required = true)]
    corpora: Vec<PathBuf>,
    /// gwn | lgl | json (guessed when absent).
    #[arg(long)]
    format: Option<String>,
    /// Which documents: all, dev (even-numbered) or test (odd-numbered).
    #[arg(long, default_value = "all", value_parser = ["all", "dev", "test"])]
    split: String,
    /// Extra GeoNames tables (e.g. cities500.txt) loaded over the bundled gazetteer.
    #[arg(long)]
    gazetteer: Vec<PathBuf>,
    /// Report places named by adjectives and demonyms ("Russian"): auto
    /// follows each corpus's guidelines (on for GeoWebNews and LGL, off for
    /// the JSON gold format).
    #[arg(long, default_value = "auto", value_parser = ["auto", "on", "off"])]
    modifiers: String,
    /// Print the reports as JSON.
    #[arg(long)]
    json: bool,
    /// Write every miss (false positive, false negative, wrong place) to this
    /// file, one JSON object per line, for error analysis.
    #[arg(long)]
    misses: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let gazetteer = super::gazetteer::load_gazetteer_with(&super::DbArg { db: None }, &args.gazetteer)?;
    let result = evaluate_and_report(&args, &gazetteer);
    // The process ends next: freeing the gazetteer's million allocations one
    // by one would take longer than many evaluations.
    std::mem::forget(gazetteer);
    result
}

fn evaluate_and_report(args: &EvalArgs, gazetteer: &Gazetteer) -> anyhow::Result<()> {
    let split = match args.split.as_str() {
        "dev" => Split::Dev,
        "test" => Split::Test,
        _ => Split::All,
    };
    let mut reports: Vec<(String, EvalReport)> = Vec::new();
    for corpus in &args.corpora {
        let head: String = std::fs::read_to_string(corpus)
            .with_context(|| format!("reading {}", corpus.display()))?
            .chars()
            .take(4096)
            .collect();
        let format = match args.format.as_deref() {
            Some("gwn") => CorpusFormat::GeoWebNews,
            Some("lgl") => CorpusFormat::Lgl,
            Some("json") => CorpusFormat::Json,
            Some(other) => return Err(anyhow!("unknown --format {other:?}: use gwn, lgl or json")),
            None => CorpusFormat::detect(corpus, &head)
                .ok_or_else(|| anyhow!("cannot tell the format of {}: pass --format", corpus.display()))?,
        };
        let documents = read_corpus(corpus, format)?;
        let modifiers = match args.modifiers.as_str() {
            "on" => true,
            "off" => false,
            _ => format.annotates_modifiers(),
        };
        let report = evaluate(
            &documents,
            gazetteer,
            split,
            GeoparseOptions {
                modifiers,
                ..Default::default()
            },
        );
        reports.push((corpus.display().to_string(), report));
    }
    if let Some(path) = &args.misses {
        write_misses(path, &reports).with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = reports
            .iter()
            .map(|(name, r)| (name.clone(), serde_json::to_value(r).unwrap_or_default()))
            .collect();
        println!("{}", serde_json::to_string_pretty(&map)?);
        return Ok(());
    }
    println!("| corpus ({}) | docs | P (lenient) | R (lenient) | F1 (lenient) | F1 (strict) | acc@161 e2e | acc@prec e2e | median km e2e | AUC e2e | acc@161 gold spans | AUC gold spans | MB/s |", args.split);
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, r) in &reports {
        let short = std::path::Path::new(name)
            .file_name()
            .map_or(name.clone(), |f| f.to_string_lossy().to_string());
        println!(
            "| {short} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.1} | {:.3} | {:.3} | {:.3} | {:.1} |",
            r.documents,
            r.recognition_lenient.precision,
            r.recognition_lenient.recall,
            r.recognition_lenient.f1,
            r.recognition_strict.f1,
            r.resolution_end_to_end.accuracy_161km,
            r.resolution_end_to_end.accuracy_within_precision,
            r.resolution_end_to_end.median_km,
            r.resolution_end_to_end.auc,
            r.resolution_gold_spans.accuracy_161km,
            r.resolution_gold_spans.auc,
            r.throughput_mb_s
        );
    }
    Ok(())
}

fn write_misses(path: &std::path::Path, reports: &[(String, EvalReport)]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (corpus, report) in reports {
        for miss in &report.misses {
            let mut line = serde_json::to_value(miss)?;
            line["corpus"] = serde_json::Value::String(corpus.clone());
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(())
}
