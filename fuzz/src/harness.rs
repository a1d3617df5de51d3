//! One function per fuzz target: takes any bytes, must not panic, and checks
//! what it can about the result. Compiled by the fuzz crate (libFuzzer) and
//! by `tests/fuzz_corpus.rs` (the seed corpus replayed in the test suite),
//! so it only uses crates both have: sitrep, serde_json, axum, tokio, tower,
//! tempfile.

use std::io::Cursor;
use std::sync::OnceLock;

use sitrep::gazetteer::import::{parse_geonames_line, read_from, ImportFormat, ImportRecord};
use sitrep::gazetteer::{Gazetteer, Place};

fn check_place(place: &Place) {
    assert!(!place.id.is_empty(), "a place without an id");
    assert!(!place.names.is_empty(), "{}: a place without a name", place.id);
}

fn import(data: &[u8], format: ImportFormat) -> Vec<Place> {
    let mut places = Vec::new();
    let _ = read_from(Cursor::new(data), "fuzz", format, |record| {
        if let ImportRecord::Place(place) = record {
            check_place(&place);
            places.push(*place);
        }
        Ok::<(), std::convert::Infallible>(())
    });
    places
}

/// The GeoNames `geoname` table: one line, and a whole file.
pub fn geonames_line(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            if let Ok(place) = parse_geonames_line(line, "fuzz", 1) {
                check_place(&place);
                assert!(place.id.starts_with("gn:"));
                assert!((-90.0..=90.0).contains(&place.lat()) && (-180.0..=180.0).contains(&place.lon()));
            }
        }
    }
    for place in import(data, ImportFormat::GeoNames) {
        assert!((-90.0..=90.0).contains(&place.lat()), "{}", place.id);
    }
}

/// sitrep gazetteer GeoJSON; what is read exports and reads back the same.
pub fn import_geojson(data: &[u8]) {
    let places = import(data, ImportFormat::GeoJson);
    if places.is_empty() {
        return;
    }
    let mut out = Vec::new();
    sitrep::gazetteer::export::write_geojson(&places, &mut out).expect("export of imported places");
    let again = import(&out, ImportFormat::GeoJson);
    assert_eq!(again.len(), places.len(), "export then import lost places");
}

/// Simple CSV places.
pub fn import_csv(data: &[u8]) {
    for place in import(data, ImportFormat::Csv) {
        assert!((-90.0..=90.0).contains(&place.lat()) && (-180.0..=180.0).contains(&place.lon()));
    }
}

fn bundled() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::bundled().expect("the bundled gazetteer loads"))
}

/// Loads the bundled gazetteer once, before the fuzzer times inputs (its
/// index takes longer to build than the one second an input may take).
pub fn prepare_geoparse() {
    bundled();
}

/// The geoparser on arbitrary UTF-8: mentions lie inside the text, on
/// character boundaries, and say what they cover.
pub fn geoparse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for mention in sitrep::geoparse::resolve_mentions(&text, bundled()) {
        assert!(mention.byte_start <= mention.byte_end && mention.byte_end <= text.len());
        assert!(text.is_char_boundary(mention.byte_start) && text.is_char_boundary(mention.byte_end));
        assert!(mention.score.is_finite() || mention.place.is_none());
    }
}

/// The layer filter: `name=value&...` as the server and the CLI parse it.
pub fn layer_filter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut filter = sitrep::store::LayerFilter::default();
    for pair in text.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let _ = filter.set(name, value);
    }
    if let Ok([min_lon, min_lat, max_lon, max_lat]) = sitrep::store::filter::parse_bbox(&text) {
        assert!(min_lon <= max_lon && min_lat <= max_lat);
        assert!((-180.0..=180.0).contains(&min_lon) && (-90.0..=90.0).contains(&max_lat));
    }
    if let Ok((Some(start), Some(end))) = sitrep::store::filter::parse_datetime(&text) {
        assert!(start <= end);
    }
}

struct Api {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    _dir: tempfile::TempDir,
}

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("fuzz.db");
        let mut store = sitrep::store::Store::open(&db).expect("the store opens");
        let token = sitrep::server::issue_token(&mut store, "fuzzer", sitrep::store::Role::Admin).expect("a token");
        let gazetteer = Gazetteer::from_places(store.load_places().expect("places")).expect("gazetteer");
        drop(store);
        let state = sitrep::server::AppState::open(&db, gazetteer, None, 0).expect("the server state");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        Api {
            runtime,
            router: sitrep::server::router(state),
            token,
            _dir: dir,
        }
    })
}

fn call(api: &Api, method: &str, path: &str, if_match: Option<&str>, body: Vec<u8>) -> (u16, Vec<u8>, Option<String>) {
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {}", api.token));
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    let request = request.body(axum::body::Body::from(body)).expect("a request");
    api.runtime.block_on(async {
        let response = api.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let body = axum::body::to_bytes(response.into_body(), 16 << 20)
            .await
            .map(|b| b.to_vec())
            .unwrap_or_default();
        (status, body, etag)
    })
}

/// Opens the store and builds the router once, before inputs are timed.
pub fn prepare_write_bodies() {
    api();
}

/// The JSON bodies of the write endpoints, through the real router (as an
/// admin, with the current If-Match): the first byte picks the endpoint,
/// the rest is the body. No input may cause a 5xx or a non-JSON error.
pub fn write_bodies(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let api = api();
    let place = "/api/places/sr:dyukyanlar";
    let (method, path, needs_tag) = match selector % 9 {
        0 => ("PATCH", place.to_string(), true),
        1 => ("POST", "/api/places".to_string(), false),
        2 => ("POST", format!("{place}/revert"), true),
        3 => ("POST", format!("{place}/merge"), true),
        4 => ("PATCH", "/api/mentions/1".to_string(), true),
        5 => ("PATCH", "/api/incidents/1".to_string(), true),
        6 => ("POST", "/api/incidents/1/revert".to_string(), true),
        7 => ("POST", "/api/incidents/1/unmerge".to_string(), false),
        _ => ("POST", "/api/login".to_string(), false),
    };
    let tag = if needs_tag {
        let (_, _, tag) = call(api, "GET", place, None, Vec::new());
        Some(tag.unwrap_or_else(|| "\"1\"".into()))
    } else {
        None
    };
    let (status, reply, _) = call(api, method, &path, tag.as_deref(), body.to_vec());
    assert!(
        status < 500,
        "{method} {path} with {:?}: {status} {}",
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(&reply)
    );
    if status >= 400 && status != 413 {
        let error: serde_json::Value = serde_json::from_slice(&reply).expect("errors are JSON");
        assert!(error["error"]["code"].is_string(), "{error}");
    }
}
