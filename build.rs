//! Embeds the demo articles of `data/demo/` (every `.txt` file, in name order)
//! so the binary can seed a new database without the source tree, and makes
//! sure MapLibre GL JS is installed in `web/node_modules` (from
//! `web/package-lock.json`, with `npm ci`) so that src/server/web.rs can embed
//! it: the release binary then serves the map page without npm or the network.
//! It also builds the bundled gazetteer's name index, so that a start reads it
//! instead of building it (a third of a second on every run).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

// The gazetteer module, compiled here too: the index is built by the very
// code that reads it. It knows nothing of the rest of the crate.
#[allow(dead_code, unused_imports)]
#[path = "src/gazetteer/mod.rs"]
mod gazetteer;

/// Stand-in for the library's module of the same name: while this script
/// runs there is no prebuilt index yet.
#[allow(dead_code)]
mod build_output {
    pub const BUNDLED_NAME_INDEX: &[u8] = &[];
}

fn main() {
    demo_articles();
    maplibre();
    bundled_name_index();
}

/// Writes the bundled gazetteer's name index to `$OUT_DIR/bundled-name-index.bin`.
fn bundled_name_index() {
    println!("cargo:rerun-if-changed=data/world");
    println!("cargo:rerun-if-changed=data/regional");
    println!("cargo:rerun-if-changed=src/gazetteer");
    let places =
        gazetteer::bundled::bundled_places().unwrap_or_else(|e| panic!("the bundled gazetteer does not load: {e}"));
    let index =
        gazetteer::NameIndex::build(&places).unwrap_or_else(|e| panic!("the bundled gazetteer cannot be indexed: {e}"));
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out).join("bundled-name-index.bin"), index.to_bytes(&places)) {
        panic!("writing bundled-name-index.bin: {e}");
    }
}

/// Runs `npm ci --prefix web` when `web/node_modules/maplibre-gl` is missing.
fn maplibre() {
    // The page itself is embedded by rust-embed: rebuild when a file of it
    // changes or is added.
    println!("cargo:rerun-if-changed=web");
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-changed=web/node_modules/maplibre-gl/package.json");
    if Path::new("web/node_modules/maplibre-gl/dist/maplibre-gl.mjs").exists() {
        return;
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args([
            "ci",
            "--prefix",
            "web",
            "--omit=dev",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "`npm ci --prefix web` failed ({s}): the map page needs MapLibre GL JS in web/node_modules \
             (see web/package.json); run it by hand to see why"
        ),
        Err(e) => panic!(
            "npm was not found ({e}): building sitrep needs Node.js and npm once, to install MapLibre GL JS \
             into web/node_modules (`npm ci --prefix web`), which the binary embeds"
        ),
    }
    if !Path::new("web/node_modules/maplibre-gl/dist/maplibre-gl.mjs").exists() {
        panic!("`npm ci --prefix web` ran but web/node_modules/maplibre-gl/dist/maplibre-gl.mjs is still missing");
    }
}

fn demo_articles() {
    let dir = Path::new("data/demo");
    println!("cargo:rerun-if-changed=data/demo");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".txt"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code =
        String::from("/// (file name, text) of every demo article.\npub const DEMO_ARTICLES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = std::fs::canonicalize(dir.join(name)).unwrap_or_else(|_| dir.join(name));
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(code, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    code.push_str("];\n");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out).join("demo_articles.rs"), code) {
        panic!("writing demo_articles.rs: {e}");
    }
}
