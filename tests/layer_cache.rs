//! The server keeps whole layer answers in memory (keyed by ETag, dropped at
//! any data change). What users rely on: a repeated view is the same bytes,
//! its gzip copy decodes to them, and an edit is visible at once, never a
//! stale cached answer.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

use common::{add_user, bearer, get, send, Server};
use serde_json::{json, Value};

/// A raw `GET` with `Accept-Encoding: gzip`: (headers, body bytes).
fn get_gzip(server: &Server, path: &str) -> (String, Vec<u8>) {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    (head, raw[split + 4..].to_vec())
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).unwrap();
    text
}

fn point_of(layer: &Value, id: &Value) -> [f64; 2] {
    let feature = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| &f["id"] == id)
        .unwrap_or_else(|| panic!("incident {id} in the layer"));
    let c = &feature["geometry"]["coordinates"];
    [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]
}

#[test]
fn cached_layers_are_identical_and_never_stale() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.db").display().to_string();
    let editor = add_user(&db, "ed", "editor");
    // a new database with the demo incidents
    let server = Server::start_with(&db, true);
    let path = "/api/layers/incidents.geojson?bbox=44,38,48,41";

    let first = get(&server.url(path));
    assert_eq!(first.status, 200);
    let second = get(&server.url(path));
    assert_eq!(second.body, first.body, "a repeated view is the same answer");
    assert_eq!(second.etag(), first.etag());
    // twice with gzip: compressed once, then from memory; both decode to the answer
    for _ in 0..2 {
        let (head, body) = get_gzip(&server, path);
        assert!(head.contains("content-encoding: gzip"), "{head}");
        assert_eq!(gunzip(&body), first.body);
    }

    // move the place of the first incident that is not on a road
    let layer: Value = first.json();
    let incident = layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["road_id"] == "" && f["properties"]["place_id"] != "")
        .expect("an incident at a place")
        .clone();
    let place_id = incident["properties"]["place_id"].as_str().unwrap();
    let place = get(&server.url(&format!("/api/places/{place_id}")));
    let [lon, lat] = [
        place.json()["properties"]["point"][0].as_f64().unwrap(),
        place.json()["properties"]["point"][1].as_f64().unwrap(),
    ];
    // an OGC items page is cached too, all but its time stamp
    let ogc_path = "/ogc/collections/incidents/items?limit=100";
    let ogc_first = get(&server.url(ogc_path)).json();
    let ogc_again = get(&server.url(ogc_path)).json();
    assert_eq!(ogc_again["features"], ogc_first["features"]);
    assert_eq!(ogc_again["numberMatched"], ogc_first["numberMatched"]);
    assert!(ogc_first["timeStamp"].is_string());
    let moved = json!({"point": [lon + 0.05, lat], "why": "cache test"}).to_string();
    // HTTP dates have whole seconds: let one pass, so the edit's date is later
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let edit = send(
        "PATCH",
        &server.url(&format!("/api/places/{place_id}")),
        &[("authorization", &bearer(&editor)), ("if-match", &place.etag())],
        Some(moved.as_bytes()),
    );
    assert_eq!(edit.status, 200, "{}", edit.body);

    let after = get(&server.url(path));
    assert_ne!(after.etag(), first.etag(), "an edit changes the ETag");
    let modified = |reply: &common::Reply| {
        let text = reply.header("last-modified").expect("Last-Modified").to_string();
        chrono::NaiveDateTime::parse_from_str(&text, "%a, %d %b %Y %H:%M:%S GMT")
            .unwrap_or_else(|e| panic!("{text:?} is not an HTTP date: {e}"))
    };
    assert_eq!(modified(&second), modified(&first), "the same data, the same date");
    assert!(modified(&after) > modified(&first), "an edit moves Last-Modified on");
    let [new_lon, _] = point_of(&after.json(), &incident["id"]);
    assert!(
        (new_lon - (lon + 0.05)).abs() < 1e-6,
        "the incident moved with its place: {new_lon} vs {}",
        lon + 0.05
    );
    let (_, body) = get_gzip(&server, path);
    assert_eq!(gunzip(&body), after.body, "the gzip copy is not stale either");
    let ogc_after = get(&server.url(ogc_path)).json();
    let [ogc_lon, _] = point_of(&ogc_after, &incident["id"]);
    assert!(
        (ogc_lon - (lon + 0.05)).abs() < 1e-6,
        "the OGC page is not stale: {ogc_lon}"
    );
    assert!(
        ogc_after["timeStamp"].as_str() > ogc_first["timeStamp"].as_str(),
        "each OGC page has its own time stamp"
    );
}
