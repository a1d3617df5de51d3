//! The layering the code promises: dependencies point one way along the
//! data's path (gazetteer → geoparse → incidents → store → server/export),
//! SQL stays in `store/` (so another backend, such as PostGIS, replaces
//! `store/` alone), HTTP stays in `server/`, and `anyhow` stays at the CLI
//! edge. A new `use` that breaks a rule fails here with the file and line.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of code (comments skipped) under `src/<module>` naming any of `forbidden`.
fn offences(module: &str, forbidden: &[&str], allowed_files: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let start = root.join(module);
    if start.is_dir() {
        rust_files(&start, &mut files);
    } else {
        files.push(start.with_extension("rs"));
    }
    let mut found = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().display().to_string();
        if allowed_files.contains(&relative.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for word in forbidden {
                if code.contains(word) {
                    found.push(format!("src/{relative}:{}: {word}: {}", n + 1, code));
                }
            }
        }
    }
    found
}

const LATER_THAN_GAZETTEER: &[&str] = &[
    "crate::geoparse",
    "crate::incidents",
    "crate::ingest",
    "crate::store",
    "crate::server",
    "crate::export",
];

#[test]
fn dependencies_point_down_the_data_path() {
    let mut problems = Vec::new();
    // the gazetteer knows nothing of text, storage or HTTP
    problems.extend(offences("gazetteer", LATER_THAN_GAZETTEER, &[]));
    // the geoparser is pure: text and gazetteer in, mentions out
    problems.extend(offences("geoparse", &LATER_THAN_GAZETTEER[1..], &[]));
    problems.extend(offences(
        "incidents",
        &["crate::ingest", "crate::store", "crate::server", "crate::export"],
        &[],
    ));
    // the store knows no HTTP and no export format
    problems.extend(offences(
        "store",
        &["crate::server", "crate::export", "crate::ingest"],
        &[],
    ));
    problems.extend(offences("export", &["crate::server"], &[]));
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

#[test]
fn sql_stays_in_the_store_and_http_in_the_server() {
    let mut problems = Vec::new();
    for module in ["gazetteer", "geoparse", "incidents", "ingest", "server", "eval", "cli"] {
        problems.extend(offences(module, &["rusqlite", "Connection::open"], &[]));
    }
    // a GeoPackage is itself an SQLite file: the exporter writes one
    problems.extend(offences("export", &["rusqlite"], &["export/gpkg.rs", "export/mod.rs"]));
    for module in [
        "gazetteer",
        "geoparse",
        "incidents",
        "ingest",
        "store",
        "export",
        "eval",
    ] {
        problems.extend(offences(module, &["axum", "tower_http", "hyper"], &[]));
    }
    assert!(
        problems.is_empty(),
        "a concern outside its module:\n{}",
        problems.join("\n")
    );
}

#[test]
fn anyhow_only_at_the_cli_edge() {
    let mut problems = Vec::new();
    for module in [
        "gazetteer",
        "geoparse",
        "incidents",
        "ingest",
        "store",
        "server",
        "export",
        "eval",
    ] {
        problems.extend(offences(module, &["anyhow"], &[]));
    }
    assert!(
        problems.is_empty(),
        "library code uses anyhow:\n{}",
        problems.join("\n")
    );
}
