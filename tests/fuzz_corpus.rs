//! The fuzz targets' seed corpus (`fuzz/corpus/<target>/`) replayed through
//! the same harnesses libFuzzer runs (`fuzz/src/harness.rs`), without
//! nightly: no input may panic, and none may take a second (a guard against
//! hangs and blow-ups, measured per input, not a benchmark).

#[path = "../fuzz/src/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::Path;
use std::time::{Duration, Instant};

/// Replays every file of `fuzz/corpus/<target>` through `run`.
fn replay(target: &str, run: fn(&[u8]), limit: Duration) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{target}: a seed corpus of {} files", files.len());
    // one-time set-up (the bundled gazetteer, the API's database) is not the input's time
    run(b"\x08");
    let mut failures = Vec::new();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&data));
        let took = started.elapsed();
        match outcome {
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: panicked: {message}", file.display()));
            }
            Ok(()) if took > limit => failures.push(format!("{}: took {took:?}", file.display())),
            Ok(()) => {}
        }
    }
    assert!(failures.is_empty(), "{target}:\n{}", failures.join("\n"));
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn geonames_line() {
    replay("geonames_line", harness::geonames_line, SECOND);
}

#[test]
fn import_geojson() {
    replay("import_geojson", harness::import_geojson, SECOND);
}

#[test]
fn import_csv() {
    replay("import_csv", harness::import_csv, SECOND);
}

#[test]
fn geoparse() {
    replay("geoparse", harness::geoparse, SECOND);
}

#[test]
fn layer_filter() {
    replay("layer_filter", harness::layer_filter, SECOND);
}

/// An accepted place edit rebuilds the whole gazetteer (38,000 places)
/// before it answers: 1-3 s on this machine, so the guard here is looser.
#[test]
fn write_bodies() {
    replay("write_bodies", harness::write_bodies, Duration::from_secs(8));
}
