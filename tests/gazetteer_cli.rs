//! Black-box tests of `sitrep gazetteer`: what a user types, what they get.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn sitrep(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .env_remove("SITREP_DB")
        .output()
        .expect("the sitrep binary runs")
}

fn lookup_json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["gazetteer", "lookup", "--json"];
    all.extend_from_slice(args);
    let out = sitrep(&all);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    match serde_json::from_slice(&out.stdout).expect("lookup --json prints JSON") {
        Value::Array(rows) => rows,
        other => panic!("expected an array, got {other}"),
    }
}

fn top(name: &str) -> Value {
    lookup_json(&[name])
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no match for {name}"))
}

fn distance_km(row: &Value, lat: f64, lon: f64) -> f64 {
    let (plat, plon) = (row["lat"].as_f64().unwrap(), row["lon"].as_f64().unwrap());
    let dlat = (plat - lat).to_radians();
    let dlon = (plon - lon).to_radians();
    let a = (dlat / 2.0).sin().powi(2) + lat.to_radians().cos() * plat.to_radians().cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[test]
fn every_spelling_of_stepanakert_finds_one_place_near_its_centre() {
    let spellings = [
        "Stepanakert",
        "Khankendi",
        "Xankəndi",
        "Ханкенди",
        "Ստեփանակերտ",
        "Khankandi",
        "Stepʻanakert",
        "Step'anakert",
        "Stepanakret",
    ];
    let ids: Vec<String> = spellings
        .iter()
        .map(|s| top(s)["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.iter().all(|id| id == &ids[0]), "{spellings:?} -> {ids:?}");
    let row = top("Stepanakert");
    assert!(distance_km(&row, 39.815, 46.752) < 3.0, "{row}");
    // every contested name is kept on the record
    let names: Vec<&str> = row["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    for name in ["Stepanakert", "Xankəndi", "Ստեփանակերտ"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}

#[test]
fn historic_and_current_names_meet() {
    assert_eq!(top("Shushi")["id"], top("Shusha")["id"]);
    assert_eq!(top("Şuşa")["id"], top("Shusha")["id"]);
    assert_eq!(top("Lisagor")["id"], top("Turshsu")["id"]);
    let berdzor = top("Berdzor");
    assert_eq!(berdzor["id"], top("Lachin")["id"], "a bare Lachin is the town");
    assert!(berdzor["kind"].as_str().unwrap().starts_with("P."), "{berdzor}");
    assert_eq!(top("Parukh")["id"], top("Farukh")["id"]);
}

#[test]
fn villages_on_the_dirt_road_are_found() {
    for name in ["Dyukyanlar", "Khalfali", "Turshsu"] {
        let row = top(name);
        assert_eq!(row["country"], "AZ", "{name}: {row}");
        assert!(distance_km(&row, 39.78, 46.70) < 20.0, "{name}: {row}");
    }
}

#[test]
fn the_lachin_road_is_a_line() {
    for name in ["Lachin road", "Lachin corridor", "Berdzor corridor"] {
        let row = top(name);
        let kind = row["geometry"]["type"].as_str().unwrap();
        assert!(kind == "LineString" || kind == "MultiLineString", "{name}: {kind}");
    }
    let dirt = top("Khankendi-Khalfali-Turshsu road");
    assert_eq!(dirt["geometry"]["type"], "LineString");
}

#[test]
fn world_places_resolve() {
    for (name, lat, lon) in [
        ("Baku", 40.38, 49.89),
        ("Yerevan", 40.18, 44.51),
        ("Brussels", 50.85, 4.35),
        ("Moscow", 55.75, 37.62),
        ("Helsinki", 60.17, 24.94),
    ] {
        let row = top(name);
        assert!(distance_km(&row, lat, lon) < 25.0, "{name}: {row}");
    }
    assert_eq!(top("Azerbaijan")["kind"], "A.PCLI");
    assert_eq!(top("Europe")["kind"], "L.CONT");
}

#[test]
fn focus_point_and_filters_change_the_ranking() {
    // Two Martunis: one in Armenia (Gegharkunik), one in Karabakh (Khojavend).
    let near_lake_sevan = lookup_json(&["Martuni", "--near", "45.3,40.14"]);
    assert_eq!(near_lake_sevan[0]["country"], "AM");
    let only_az = lookup_json(&["Martuni", "--country", "AZ"]);
    assert!(only_az.iter().all(|r| r["country"] == "AZ"));
    let roads = lookup_json(&["Lachin", "--kind", "corridor", "--prefix"]);
    assert!(!roads.is_empty() && roads.iter().all(|r| r["kind"] == "corridor"));
}

#[test]
fn prefix_completes_names() {
    let rows = lookup_json(&["Stepan", "--prefix"]);
    assert_eq!(rows[0]["name"], "Khankendi", "{rows:?}");
    let rows = lookup_json(&["Yere", "--prefix"]);
    assert_eq!(rows[0]["name"], "Yerevan");
}

#[test]
fn unknown_names_fail_clearly() {
    let out = sitrep(&["gazetteer", "lookup", "Qwxzqwxz"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no place matches"));
    let out = sitrep(&["gazetteer", "lookup", "Baku", "--near", "200,10"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("outside"));
}

const GEONAMES_EXTRACT: &str = "9000001\tTestabad\tTestabad\tTestabat,Тестабад\t40.5\t47.5\tP\tPPL\tAZ\t\t01\t\t\t\t12000\t\t100\tAsia/Baku\t2024-01-01\n\
9000002\tProbeville\tProbeville\t\t41.0\t48.0\tP\tPPL\tAZ\t\t01\t\t\t\t800\t\t100\tAsia/Baku\t2024-01-01\n";

const ALTERNATE_NAMES: &str = "1\t9000001\tru\tТестабад\t\t\t\t\t\t\n\
2\t9000001\ten\tOld Testabad\t\t\t\t1\t1920\t1991\n\
3\t9000002\thy\tՓրոբվիլ\t1\t\t\t\t\t\n\
4\t9999999\ten\tNowhere\t\t\t\t\t\t\n\
5\t9000002\tlink\thttps://example.org/probeville\t\t\t\t\t\t\n";

fn write(dir: &Path, name: &str, text: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn geonames_extract_with_alternate_names_imports_and_reimports_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db").display().to_string();
    let table = write(dir.path(), "XX.txt", GEONAMES_EXTRACT.as_bytes());
    let alternates = write(dir.path(), "alternateNamesV2.txt", ALTERNATE_NAMES.as_bytes());

    let out = sitrep(&["gazetteer", "import", &table, &alternates, "--db", &db]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(report.contains("2 added"), "{report}");
    assert!(report.contains("1 skipped"), "{report}");

    let rows = lookup_json(&["Old Testabad", "--db", &db]);
    assert_eq!(rows[0]["id"], "gn:9000001");
    let historic = rows[0]["names"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["text"] == "Old Testabad")
        .unwrap()
        .clone();
    assert_eq!(historic["kind"], "historic");
    assert_eq!(historic["valid_from"], "1920");
    assert_eq!(lookup_json(&["Փրոբվիլ", "--db", &db])[0]["id"], "gn:9000002");
    // Armenian script is also reachable by its romanisation
    assert_eq!(lookup_json(&["Testabad", "--db", &db])[0]["id"], "gn:9000001");

    // the same files again: nothing new, nothing duplicated
    let again = sitrep(&["gazetteer", "import", &table, &alternates, "--db", &db]);
    assert!(again.status.success());
    let report = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(
        report.contains("0 added") && report.contains("0 names added"),
        "{report}"
    );
    assert_eq!(
        lookup_json(&["Testabad", "--db", &db, "--country", "AZ", "--limit", "10"]).len(),
        1
    );
}

#[test]
fn a_bad_line_names_file_line_and_field_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db").display().to_string();
    let bad = format!("{GEONAMES_EXTRACT}9000003\tBadplace\tBadplace\t\t95.0\t48.0\tP\tPPL\tAZ\t\t01\t\t\t\t800\t\t100\tAsia/Baku\t\n");
    let file = write(dir.path(), "XX.txt", bad.as_bytes());
    let out = sitrep(&["gazetteer", "import", &file, "--db", &db]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("XX.txt:3") && err.contains("latitude") && err.contains("95"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    // the two good lines before it did not land either
    let out = sitrep(&["gazetteer", "lookup", "Testabad", "--db", &db, "--json"]);
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert!(rows.iter().all(|r| r["id"] != "gn:9000001"), "half-imported: {rows:?}");

    let short = write(dir.path(), "short.txt", b"9000004\tShort\t40\t47\n");
    let err = String::from_utf8_lossy(&sitrep(&["gazetteer", "import", &short, "--db", &db]).stderr).to_string();
    assert!(err.contains("short.txt:1") && err.contains("expected 19"), "{err}");

    let latin1 = write(
        dir.path(),
        "latin1.txt",
        b"9000005\tS\xe3o\tSao\t\t1\t1\tP\tPPL\tBR\t\t\t\t\t\t0\t\t\t\t\n",
    );
    let err = String::from_utf8_lossy(&sitrep(&["gazetteer", "import", &latin1, "--db", &db]).stderr).to_string();
    assert!(err.contains("latin1.txt:1") && err.contains("invalid UTF-8"), "{err}");
}

#[test]
fn csv_imports_with_alternates_and_rejects_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db").display().to_string();
    let good = write(dir.path(), "p.csv", "name,lat,lon,kind,alternates\nHakari bridge post,39.55,46.53,checkpoint,Hakari checkpoint|Laçın keçid məntəqəsi\n".as_bytes());
    assert!(sitrep(&["gazetteer", "import", &good, "--db", &db]).status.success());
    let rows = lookup_json(&["Hakari checkpoint", "--db", &db]);
    assert_eq!(rows[0]["kind"], "checkpoint");
    let bad = write(dir.path(), "bad.csv", b"name,lat,lon\nX,abc,10\n");
    let err = String::from_utf8_lossy(&sitrep(&["gazetteer", "import", &bad, "--db", &db]).stderr).to_string();
    assert!(err.contains("bad.csv:2") && err.contains("`lat`"), "{err}");
}

#[test]
fn geojson_export_round_trips_through_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let bundled = dir.path().join("bundled.geojson");
    let out = sitrep(&["gazetteer", "export", "-o", &bundled.display().to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // a new database is seeded with the bundled data; importing the export
    // over it must find every place identical
    let db = dir.path().join("r.db").display().to_string();
    let reimport = sitrep(&["gazetteer", "import", &bundled.display().to_string(), "--db", &db]);
    let report = String::from_utf8_lossy(&reimport.stderr).to_string();
    assert!(reimport.status.success(), "{report}");
    assert!(report.contains(" 0 added, 0 updated"), "{report}");
    let again = dir.path().join("again.geojson");
    let out = sitrep(&["gazetteer", "export", "--db", &db, "-o", &again.display().to_string()]);
    assert!(out.status.success());
    let a = std::fs::read(&bundled).unwrap();
    let b = std::fs::read(&again).unwrap();
    assert!(a == b, "export -> import -> export changed the gazetteer");
    let parsed: Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(parsed["type"], "FeatureCollection");
    assert!(parsed["features"].as_array().unwrap().len() > 30_000);
}
