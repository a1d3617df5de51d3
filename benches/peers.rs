//! The in-process half of the side-by-side benchmarks in `bench/` (issue 9).
//! The Python drivers (`bash bench/run.sh ...`) call this binary for what
//! must be measured inside a Rust process, and measure the peers (geotext,
//! flashgeotext, SQLite FTS5, pygeoapi) in the same run.
//!
//! It is a `harness = false` bench so that it is built with the release
//! profile by `cargo bench --bench peers --no-run`. Modes (arguments after
//! the binary; cargo's own `--bench` flag is ignored):
//!
//! - `gazetteer CITIES500 QUERIES OUT.json` — loads the GeoNames table
//!   (names and alternate names, as `benches/gazetteer.rs` does), then runs
//!   every query of QUERIES (`kind<TAB>query<TAB>geonameid`, kind `prefix`
//!   for autocomplete or `typo` for fuzzy lookup) once untimed and then
//!   `PASSES` times timed; writes per-pass latencies and resident memory.
//! - `geoparse TEXT_DIR OUT.json [GAZETTEER=FILE]...` — for each gazetteer
//!   (`bundled`, or the bundled one plus GeoNames tables, as `sitrep eval
//!   --gazetteer` loads them) times the load, then geoparses the files
//!   `TEXT_DIR/text_<bytes>.txt` (every size with the last gazetteer, the
//!   1 MB one with the others); writes seconds per trial. `PEERS_GEOPARSE_TRIALS=n`
//!   sets the number of trials per size (for a profile of many runs);
//!   `PEERS_GEOPARSE_THREADS=n` the threads per text (default 1: the
//!   one-core figure; `0` for one per core).
//!   `PEERS_GEOPARSE_KEPT=1` keeps one geoparser for all trials of a size
//!   (warm memories) instead of a fresh one per trial.
//! - `documents DOCS OUT.json [GAZETTEER=FILE]` — DOCS is articles joined
//!   by form feeds (U+000C); each is geoparsed as its own text, as `sitrep
//!   eval` does, in `PASSES` passes over all of them: the first pass meets
//!   every article for the first time, the later ones with caches warm.
//!   Each article alone (`fresh`), then all with one `Geoparser` (`shared`);
//!   `PEERS_DOCUMENT_MODES=shared` and `PEERS_DOCUMENT_PASSES=n` change that
//!   (`per_pass`: a new `Geoparser` for each pass, kept over its articles).
//! - `make-db N PATH` — a database of N generated published incidents, the
//!   same generator as `benches/serve_load.rs`.

use std::alloc::{GlobalAlloc, Layout};
use std::collections::BTreeMap;
use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The allocator the `sitrep` binary uses, so in-process figures are its;
/// it counts the allocations of each timed geoparse.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Allocations (and reallocations) made since the count was last taken.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// mimalloc, counting.
struct CountingAllocator;

// SAFETY: every call is passed on to mimalloc unchanged.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is mimalloc's
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as above
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

use serde_json::{json, Value};
use sitrep::gazetteer::import::{collect_places, ImportFormat};
use sitrep::gazetteer::{bundled, Gazetteer, Place, SearchQuery};
use sitrep::geoparse::{for_each_mention, for_each_mention_with, GeoparseOptions, Geoparser};

#[path = "support/incidents.rs"]
mod incidents;
use incidents::{make_db, BoxError};

/// Timed passes over each query set.
const PASSES: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let result = match args.first().map(String::as_str) {
        Some("gazetteer") if args.len() == 4 => gazetteer(&args[1], &args[2], &args[3]),
        Some("geoparse") if args.len() >= 3 => geoparse(&args[1], &args[2], &args[3..]),
        Some("documents") if args.len() >= 3 => documents(&args[1], &args[2], args.get(3)),
        Some("make-db") if args.len() == 3 => args[1]
            .parse::<usize>()
            .map_err(BoxError::from)
            .and_then(|n| make_db(n, Path::new(&args[2]))),
        None => {
            eprintln!("peers: nothing to do (modes: gazetteer, geoparse, documents, make-db; see bench/run.sh)");
            Ok(())
        }
        _ => Err(format!("peers: bad arguments {args:?}").into()),
    };
    if let Err(e) = result {
        eprintln!("peers: {e}");
        std::process::exit(1);
    }
}

/// `VmRSS` and `VmHWM` of this process, in kB.
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn load_geonames(path: &Path, places: &mut Vec<Place>) -> Result<(), BoxError> {
    let format = ImportFormat::detect(path).unwrap_or(ImportFormat::GeoNames);
    let reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    collect_places(reader, &path.display().to_string(), format, places)?;
    Ok(())
}

// --- gazetteer search ----------------------------------------------------

fn gazetteer(cities: &str, queries: &str, out: &str) -> Result<(), BoxError> {
    let (rss_start, _) = memory_kb();
    let started = Instant::now();
    let mut places = Vec::with_capacity(250_000);
    load_geonames(Path::new(cities), &mut places)?;
    let load_s = started.elapsed().as_secs_f64();
    let place_count = places.len();
    let name_count: usize = places.iter().map(|p| p.names.len()).sum();
    let started = Instant::now();
    let gazetteer = Gazetteer::from_places(places)?;
    let build_s = started.elapsed().as_secs_f64();
    let (rss_loaded, hwm_loaded) = memory_kb();

    let mut sets: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in BufReader::new(File::open(queries)?).lines() {
        let line = line?;
        let mut fields = line.split('\t');
        let (Some(kind), Some(query), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        sets.entry(kind.to_string())
            .or_default()
            .push((query.to_string(), format!("gn:{id}")));
    }

    let run = |kind: &str, text: &str| {
        let query = SearchQuery::new(text);
        let query = if kind == "prefix" { query.autocomplete() } else { query };
        gazetteer.search(&query)
    };
    let mut results = serde_json::Map::new();
    for (kind, items) in &sets {
        // quality: is the place the query was made from among the results?
        let (mut top1, mut top5, mut top10) = (0usize, 0usize, 0usize);
        for (text, id) in items {
            let hits = run(kind, text);
            let rank = hits.iter().position(|h| h.place.id == *id);
            top1 += usize::from(rank == Some(0));
            top5 += usize::from(rank.is_some_and(|r| r < 5));
            top10 += usize::from(rank.is_some_and(|r| r < 10));
        }
        let mut passes = Vec::new();
        for _ in 0..PASSES {
            let mut ns = Vec::with_capacity(items.len());
            for (text, _) in items {
                let started = Instant::now();
                black_box(run(kind, black_box(text)));
                ns.push(started.elapsed().as_nanos() as u64);
            }
            passes.push(ns);
        }
        results.insert(
            kind.clone(),
            json!({"n": items.len(), "top1": top1, "top5": top5, "top10": top10, "passes_ns": passes}),
        );
    }
    let (rss_end, hwm_end) = memory_kb();
    let report = json!({
        "places": place_count,
        "names": name_count,
        "load_s": load_s,
        "build_s": build_s,
        "rss_start_kb": rss_start,
        "rss_loaded_kb": rss_loaded,
        "hwm_loaded_kb": hwm_loaded,
        "rss_end_kb": rss_end,
        "hwm_end_kb": hwm_end,
        "results": Value::Object(results),
    });
    std::fs::write(out, serde_json::to_string(&report)?)?;
    Ok(())
}

// --- geoparse scaling ----------------------------------------------------

/// `(bytes, path)` of every `text_<bytes>.txt` in `dir`, smallest first.
fn text_files(dir: &Path) -> Result<Vec<(usize, PathBuf)>, BoxError> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let size = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("text_"))
            .and_then(|n| n.strip_suffix(".txt"))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(size) = size {
            files.push((size, path));
        }
    }
    files.sort();
    Ok(files)
}

fn trials_for(bytes: usize) -> usize {
    if let Some(trials) = std::env::var("PEERS_GEOPARSE_TRIALS").ok().and_then(|t| t.parse().ok()) {
        return trials;
    }
    match bytes {
        0..=1_000_000 => 5,
        1_000_001..=10_000_000 => 3,
        _ => 2,
    }
}

/// Seconds to geoparse `text`, how many mentions it found and how many
/// allocations it made.
/// With `kept`, the text goes to that geoparser (whose memories the
/// texts before it warmed); otherwise to a fresh one.
fn geoparse_once(text: &str, gazetteer: &Gazetteer, kept: Option<&mut Geoparser<'_>>) -> (f64, usize, usize) {
    let allocations_before = ALLOCATIONS.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut count = 0usize;
    let sink = |m| {
        black_box(&m);
        count += 1;
    };
    match kept {
        Some(geoparser) => geoparser.for_each_mention(text, sink),
        None => for_each_mention_with(text, gazetteer, geoparse_options(), sink),
    }
    let seconds = started.elapsed().as_secs_f64();
    (seconds, count, ALLOCATIONS.load(Ordering::Relaxed) - allocations_before)
}

/// The options of every timed geoparse: threads as
/// [`geoparse_threads`] says.
fn geoparse_options() -> GeoparseOptions {
    GeoparseOptions {
        threads: geoparse_threads(),
        ..Default::default()
    }
}

/// Threads per text, from `PEERS_GEOPARSE_THREADS`: one unless told
/// otherwise, `None` (one per core) for `0`.
fn geoparse_threads() -> Option<NonZeroUsize> {
    match std::env::var("PEERS_GEOPARSE_THREADS") {
        Ok(n) => NonZeroUsize::new(n.parse().unwrap_or(1)),
        Err(_) => NonZeroUsize::new(1),
    }
}

/// The bundled gazetteer, plus a GeoNames table when a file is given; with
/// the table a geoparser asks for first, which a geoparser builds in the
/// background, there (counted in the load): the trials measure the
/// geoparser of a process that has been up for a moment.
fn load_gazetteer(file: Option<&Path>) -> Result<Gazetteer, BoxError> {
    let gazetteer = match file {
        None => Gazetteer::bundled()?,
        Some(file) => {
            let mut places = bundled::bundled_places()?;
            load_geonames(file, &mut places)?;
            Gazetteer::from_places(places)?
        }
    };
    gazetteer
        .index()
        .wait_for_exact_lookups(std::time::Duration::from_secs(600));
    Ok(gazetteer)
}

/// Time for a profiler to attach after the load (`valgrind
/// --instr-atstart=no` then `callgrind_control -i on`) when
/// `PEERS_PAUSE_AFTER_LOAD` gives seconds, with the word lists parsed
/// first, as a geoparser does once per process.
fn pause_after_load(gazetteer: &Gazetteer) {
    if let Some(pause) = std::env::var("PEERS_PAUSE_AFTER_LOAD")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        drop(Geoparser::new(gazetteer));
        std::thread::sleep(std::time::Duration::from_secs(pause));
    }
}

fn documents(docs: &str, out: &str, gazetteer: Option<&String>) -> Result<(), BoxError> {
    let text = std::fs::read_to_string(docs)?;
    let articles: Vec<&str> = text.split('\u{c}').filter(|a| !a.trim().is_empty()).collect();
    let bytes: usize = articles.iter().map(|a| a.len()).sum();
    let file = gazetteer.map(|g| PathBuf::from(g.split_once('=').map_or(g.as_str(), |(_, f)| f)));
    let gazetteer = load_gazetteer(file.as_deref())?;
    eprintln!("  loaded: resident {} MB", memory_kb().0 / 1024);
    pause_after_load(&gazetteer);
    let mut report = serde_json::Map::new();
    // "fresh": each article on its own (`for_each_mention`); "shared": one
    // `Geoparser` for them all, as ingestion uses it; "per_pass": a new one
    // for each pass, kept over its articles, as `sitrep eval` uses one per
    // corpus (its later passes: in a process that has geoparsed before)
    let modes = std::env::var("PEERS_DOCUMENT_MODES").unwrap_or_else(|_| "fresh,shared".into());
    let pass_count: usize = std::env::var("PEERS_DOCUMENT_PASSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(PASSES);
    for mode in modes.split(',') {
        let mut geoparser = Geoparser::new(&gazetteer);
        let mut passes = Vec::new();
        for pass in 0..pass_count {
            if mode == "per_pass" {
                geoparser = Geoparser::new(&gazetteer);
            }
            let mut seconds = 0.0;
            let mut mentions = 0;
            for article in &articles {
                let started = Instant::now();
                let mut count = 0usize;
                let sink = |m| {
                    black_box(&m);
                    count += 1;
                };
                if mode == "fresh" {
                    for_each_mention(article, &gazetteer, sink);
                } else {
                    geoparser.for_each_mention(article, sink);
                }
                seconds += started.elapsed().as_secs_f64();
                mentions += count;
            }
            let mb_s = bytes as f64 / 1e6 / seconds;
            let (rss_kb, _) = memory_kb();
            eprintln!(
                "  {mode} pass {pass}: {} articles, {bytes} bytes, {seconds:.4} s, {mb_s:.2} MB/s, {mentions} mentions, resident {} MB",
                articles.len(),
                rss_kb / 1024
            );
            passes.push(json!({"seconds": seconds, "mentions": mentions}));
        }
        report.insert(mode.to_string(), json!(passes));
    }
    report.insert("articles".into(), json!(articles.len()));
    report.insert("bytes".into(), json!(bytes));
    std::fs::write(out, serde_json::to_string(&report)?)?;
    // the process ends here: freeing 240,000 places would only blur a profile
    std::mem::forget(gazetteer);
    Ok(())
}

fn geoparse(dir: &str, out: &str, gazetteers: &[String]) -> Result<(), BoxError> {
    let files = text_files(Path::new(dir))?;
    if files.is_empty() {
        return Err(format!("no text_<bytes>.txt files in {dir}").into());
    }
    let reference = files
        .iter()
        .min_by_key(|(size, _)| size.abs_diff(1_000_000))
        .map(|(size, _)| *size)
        .unwrap_or(0);
    let configs: Vec<(String, Option<PathBuf>)> = if gazetteers.is_empty() {
        vec![("bundled".to_string(), None)]
    } else {
        gazetteers
            .iter()
            .map(|g| match g.split_once('=') {
                Some((name, file)) => (name.to_string(), Some(PathBuf::from(file))),
                None => (g.clone(), None),
            })
            .collect()
    };
    let mut report = Vec::new();
    for (index, (name, file)) in configs.iter().enumerate() {
        let last = index + 1 == configs.len();
        let (rss_before, _) = memory_kb();
        let started = Instant::now();
        // the bundled gazetteer alone comes with its index prebuilt, as
        // `sitrep geoparse` loads it; with a table added, all is indexed
        let gazetteer = load_gazetteer(file.as_deref())?;
        let place_count = gazetteer.len();
        let load_s = started.elapsed().as_secs_f64();
        let (rss_loaded, _) = memory_kb();
        eprintln!("  {name}: {place_count} places, loaded in {load_s:.2} s");
        pause_after_load(&gazetteer);
        let mut runs = Vec::new();
        for (size, path) in &files {
            if !last && *size != reference {
                continue;
            }
            let text = std::fs::read_to_string(path)?;
            // `PEERS_GEOPARSE_KEPT=1`: one geoparser for every trial of a
            // size, as a process that geoparses text after text keeps it
            // (its memories warm after the warm-up); otherwise each trial
            // meets the text's names for the first time
            let mut kept = (std::env::var("PEERS_GEOPARSE_KEPT").as_deref() == Ok("1"))
                .then(|| Geoparser::with_options(&gazetteer, geoparse_options()));
            // one untimed warm-up on the small texts
            if text.len() <= 1_000_000 {
                geoparse_once(&text, &gazetteer, kept.as_mut());
            }
            let mut seconds = Vec::new();
            let (mut mentions, mut allocations) = (0, 0);
            for _ in 0..trials_for(*size) {
                let (s, n, a) = geoparse_once(&text, &gazetteer, kept.as_mut());
                seconds.push(s);
                (mentions, allocations) = (n, a);
            }
            eprintln!("    {size} bytes: {seconds:?} s, {mentions} mentions, {allocations} allocations");
            runs.push(
                json!({"bytes": text.len(), "seconds": seconds, "mentions": mentions, "allocations": allocations}),
            );
        }
        let (rss_end, hwm_end) = memory_kb();
        report.push(json!({
            "gazetteer": name,
            "places": place_count,
            "load_s": load_s,
            "rss_before_kb": rss_before,
            "rss_loaded_kb": rss_loaded,
            "rss_end_kb": rss_end,
            "hwm_end_kb": hwm_end,
            "runs": runs,
        }));
    }
    std::fs::write(out, serde_json::to_string(&json!({"configs": report}))?)?;
    Ok(())
}
