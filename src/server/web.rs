//! The web page and its assets, embedded in the binary from `web/` (the
//! page) and `web/node_modules/maplibre-gl/dist` (MapLibre), so the release
//! binary serves the map without npm or the network.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// The page: `web/` without `node_modules`.
#[derive(RustEmbed)]
#[folder = "web/"]
#[exclude = "node_modules/*"]
#[exclude = "package*.json"]
#[exclude = "tests/*"]
#[exclude = "*.md"]
struct Page;

/// MapLibre GL JS (npm `maplibre-gl`, installed by build.rs): only the
/// module, its worker and its stylesheet, served under `/vendor/maplibre/`.
/// The module finds its worker next to itself (`import.meta.url`).
#[derive(RustEmbed)]
#[folder = "web/node_modules/maplibre-gl/dist/"]
#[include = "maplibre-gl.mjs"]
#[include = "maplibre-gl-worker.mjs"]
#[include = "maplibre-gl.css"]
struct MapLibre;

/// Where the MapLibre files are served.
const VENDOR_PREFIX: &str = "vendor/maplibre/";

fn serve_embedded(path: &str) -> Response {
    // rust-embed only knows the files it embedded: "..", "%2f" and the like
    // simply do not match one, so nothing outside web/ can be read.
    let file = match path.strip_prefix(VENDOR_PREFIX) {
        Some(rest) => MapLibre::get(rest),
        None => Page::get(path),
    };
    match file {
        Some(file) => {
            let mime = if path.ends_with(".mjs") || path.ends_with(".js") {
                mime_guess::mime::TEXT_JAVASCRIPT
            } else if path.ends_with(".geojson") {
                "application/geo+json"
                    .parse()
                    .unwrap_or(mime_guess::mime::APPLICATION_JSON)
            } else {
                mime_guess::from_path(path).first_or_octet_stream()
            };
            let mut response = (StatusCode::OK, file.data.into_owned()).into_response();
            if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            let headers = response.headers_mut();
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            // The page may only talk to its own origin (MapLibre needs blob:
            // workers and data: images; WebGL needs nothing more).
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; \
                     img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; \
                     object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
                ),
            );
            response
        }
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": {"code": "not_found", "message": format!("no file {path}")}})),
        )
            .into_response(),
    }
}

/// `GET /`
pub async fn index() -> Response {
    serve_embedded("index.html")
}

/// `GET /{*path}` for the page's files.
pub async fn asset(Path(path): Path<String>) -> Response {
    serve_embedded(&path)
}
