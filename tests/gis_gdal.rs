//! GIS interoperability checked with GDAL (gdal-bin, installed by the test
//! command): the OGC API – Features endpoint through GDAL's OAPIF driver
//! (what QGIS uses), and every export format through ogrinfo and ogr2ogr.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

fn sitrep(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .env_remove("SITREP_DB")
        .env("SITREP_NO_DEMO", "1")
        .output()
        .expect("sitrep runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn gdal(program: &str, args: &[&str]) -> (String, String) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (gdal-bin): {e}"));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{program} {args:?}: {stderr}");
    (stdout, stderr)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A database with 23 published incidents on distinct days around the region.
fn database(dir: &Path) -> String {
    let articles = dir.join("articles");
    std::fs::create_dir(&articles).unwrap();
    let places = [
        "Shusha",
        "Goris",
        "Jermuk",
        "Sotk",
        "Aghdam",
        "Fuzuli",
        "Lachin",
        "Kalbajar",
        "Kapan",
        "Martakert",
    ];
    for i in 0..23 {
        let day = format!("2022-{:02}-{:02}", i % 12 + 1, i % 27 + 1);
        let month = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][i % 12];
        let text = format!(
            "Title: Report {i} on {place}\nOutlet: Wire {w}\nPublished: {day}\n\nOn {month} {d}, 2022, artillery shelled the outskirts of {place}. Officials said {k} residents were wounded.\n",
            place = places[i % places.len()],
            w = i % 3,
            d = i % 27 + 1,
            k = i % 4 + 1
        );
        std::fs::write(articles.join(format!("{i:02}.txt")), text).unwrap();
    }
    let db = dir.join("gis.db").display().to_string();
    sitrep(&["ingest", &articles.display().to_string(), "--publish", "--db", &db]);
    db
}

fn features(path: &Path) -> Vec<Value> {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json["features"].as_array().unwrap().clone()
}

#[test]
fn gdal_reads_the_ogc_api_and_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let export = |format: &str, file: &Path| {
        sitrep(&[
            "export",
            "--layer",
            "incidents",
            "--format",
            format,
            "--db",
            &db,
            "-o",
            &file.display().to_string(),
        ]);
    };
    let reference = dir.path().join("reference.geojson");
    export("geojson", &reference);
    let expected = features(&reference);
    assert_eq!(expected.len(), 23, "every article proposed its incident");

    // exports: each opens without warnings and round-trips
    let by_id = |f: &Value| f["properties"]["id"].as_i64().unwrap_or(0);
    for format in ["geojson", "csv", "kml", "gpkg", "fgb"] {
        let file = dir.path().join(format!("incidents.{format}"));
        export(format, &file);
        let mut info = vec!["-ro", "-al", "-so"];
        if format == "csv" {
            info.extend([
                "-oo",
                "X_POSSIBLE_NAMES=longitude",
                "-oo",
                "Y_POSSIBLE_NAMES=latitude",
                "-oo",
                "KEEP_GEOM_COLUMNS=NO",
            ]);
        }
        let path = file.display().to_string();
        // the same filters give the same bytes, so releases can be diffed
        let again = dir.path().join(format!("again.{format}"));
        export(format, &again);
        assert!(
            std::fs::read(&file).unwrap() == std::fs::read(&again).unwrap(),
            "{format}: two exports of the same data differ"
        );
        info.push(&path);
        let (stdout, stderr) = gdal("ogrinfo", &info);
        assert!(
            !stderr.to_lowercase().contains("warning") && !stderr.to_lowercase().contains("error"),
            "{format}: {stderr}"
        );
        assert!(stdout.contains("Feature Count: 23"), "{format}: {stdout}");
        // round trip to GeoJSON through GDAL
        let back = dir.path().join(format!("back-{format}.geojson"));
        let mut convert = vec!["-f", "GeoJSON", back.to_str().unwrap()];
        convert.extend(&info[3..]);
        gdal("ogr2ogr", &convert);
        let mut got = features(&back);
        assert_eq!(got.len(), expected.len(), "{format}");
        // FlatGeobuf stores features in its spatial index's order
        if format == "fgb" {
            got.sort_by_key(by_id);
        }
        for (a, b) in expected.iter().zip(&got) {
            let (ax, ay) = (
                a["geometry"]["coordinates"][0].as_f64().unwrap(),
                a["geometry"]["coordinates"][1].as_f64().unwrap(),
            );
            let (bx, by) = (
                b["geometry"]["coordinates"][0].as_f64().unwrap(),
                b["geometry"]["coordinates"][1].as_f64().unwrap(),
            );
            assert!((ax - bx).abs() < 1e-6 && (ay - by).abs() < 1e-6, "{format}: {a} vs {b}");
            let pick = |f: &Value, key: &str| -> String {
                let v = &f["properties"][key];
                v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
            };
            match format {
                "csv" => assert_eq!(pick(b, "event_date"), pick(a, "date_start")),
                _ => {
                    assert_eq!(pick(b, "date_start"), pick(a, "date_start"), "{format}");
                    assert_eq!(pick(b, "location_name"), pick(a, "location_name"), "{format}");
                    assert_eq!(
                        b["properties"]["injuries"].to_string().trim_matches('"'),
                        a["properties"]["injuries"].to_string(),
                        "{format}"
                    );
                }
            }
        }
    }

    // the OGC API through GDAL's OAPIF driver
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let _server = Server(child);
    let source = format!("OAPIF:{base}/ogc");
    let (listing, _) = gdal("ogrinfo", &["-ro", &source]);
    for collection in ["incidents", "places", "roads"] {
        assert!(listing.contains(&format!(": {collection} ")), "{listing}");
    }
    // page size 5 forces GDAL through five pages of next links
    let (summary, stderr) = gdal(
        "ogrinfo",
        &["-ro", "-al", "-so", "-oo", "PAGE_SIZE=5", &source, "incidents"],
    );
    assert!(summary.contains("Feature Count: 23"), "{summary}\n{stderr}");
    for field in [
        "date_start: Date",
        "fatalities: Integer",
        "event_type: String",
        "radius_m: Real",
        "geo_precision: Integer",
    ] {
        assert!(summary.contains(field), "{field} missing from {summary}");
    }
    let copied = dir.path().join("ogc.geojson");
    gdal(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            copied.to_str().unwrap(),
            "-oo",
            "PAGE_SIZE=7",
            &source,
            "incidents",
        ],
    );
    let got = features(&copied);
    assert_eq!(got.len(), 23);
    let mut ids: Vec<i64> = got.iter().map(|f| f["properties"]["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 23, "no feature twice, none missing, across pages");
}

#[test]
fn exports_honour_filters_and_state_attribution_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let export = |format: &str| {
        let file = dir.path().join(format!("q1.{format}"));
        sitrep(&[
            "export",
            "--layer",
            "incidents",
            "--format",
            format,
            "--datetime",
            "2022-01-01/2022-03-31",
            "--db",
            &db,
            "-o",
            &file.display().to_string(),
        ]);
        file
    };
    // the articles fall on 2022-01..12; those of January to March are 6 of 23
    let geojson: Value = serde_json::from_str(&std::fs::read_to_string(export("geojson")).unwrap()).unwrap();
    let dates: Vec<&str> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["date_start"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 6, "{dates:?}");
    assert!(dates.iter().all(|d| &d[..7] <= "2022-03"), "{dates:?}");
    assert!(geojson["attribution"].as_str().unwrap().contains("GeoNames"));
    assert_eq!(geojson["filters"], "datetime=2022-01-01/2022-03-31");

    // CSV: every row ends with the attribution and the filters
    let mut csv = csv::Reader::from_path(export("csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let names: Vec<&str> = headers.iter().collect();
    assert_eq!(&names[names.len() - 2..], &["attribution", "filters"]);
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        assert!(row[headers.len() - 2].contains("CC BY 4.0"), "{row:?}");
        assert_eq!(&row[headers.len() - 1], "datetime=2022-01-01/2022-03-31");
    }

    // FlatGeobuf: the header's description
    let mut file = std::io::BufReader::new(std::fs::File::open(export("fgb")).unwrap());
    let reader = flatgeobuf::FgbReader::open(&mut file).unwrap();
    let header = reader.header();
    let description = header.description().unwrap_or_default();
    assert!(description.contains("GeoNames"), "{description}");
    assert!(description.contains("datetime=2022-01-01/2022-03-31"), "{description}");
    assert_eq!(header.features_count(), 6);

    // GeoPackage and KML: the attribution and filters in their metadata
    let (info, _) = gdal(
        "ogrinfo",
        &["-ro", "-so", export("gpkg").to_str().unwrap(), "incidents"],
    );
    assert!(
        info.contains("datetime=2022-01-01/2022-03-31") && info.contains("GeoNames"),
        "{info}"
    );
    let kml = std::fs::read_to_string(export("kml")).unwrap();
    assert!(kml.contains("datetime=2022-01-01/2022-03-31") && kml.contains("GeoNames"));
    assert_eq!(kml.matches("<Placemark").count(), 6);
}

/// GIS software builds one schema per layer: every feature carries exactly
/// the layer's declared properties (which the typed formats make columns
/// of), each of its declared type or null.
#[test]
fn every_feature_carries_exactly_its_layers_schema() {
    use sitrep::store::{FieldType, Layer};
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for layer in [Layer::Incidents, Layer::Places, Layer::Roads, Layer::Mentions] {
        let file = dir.path().join(format!("{}.geojson", layer.name()));
        sitrep(&[
            "export",
            "--layer",
            layer.name(),
            "--format",
            "geojson",
            "--db",
            &db,
            "-o",
            &file.display().to_string(),
        ]);
        let mut declared: Vec<&str> = layer.fields().iter().map(|f| f.name).collect();
        declared.sort_unstable();
        let features = features(&file);
        assert!(!features.is_empty(), "{} is empty", layer.name());
        for feature in &features {
            let properties = feature["properties"].as_object().unwrap();
            let mut keys: Vec<&str> = properties.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, declared, "{} feature {}", layer.name(), feature["id"]);
            for field in layer.fields() {
                let value = &properties[field.name];
                let fits = value.is_null()
                    || match field.kind {
                        FieldType::Integer => value.is_i64() || value.is_u64(),
                        FieldType::Real => value.is_number(),
                        FieldType::Text | FieldType::Date => value.is_string(),
                        FieldType::Json => value.is_array() || value.is_object(),
                    };
                assert!(fits, "{}.{}: {value} is not {:?}", layer.name(), field.name, field.kind);
            }
        }
    }
}
