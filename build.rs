//! Embeds the demo articles of `data/demo/` (every `.txt` file, in name order)
//! so the binary can seed a new database without the source tree.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
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
