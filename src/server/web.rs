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

fn serve_embedded(path: &str) -> Response {
    // rust-embed only knows the files it embedded: "..", "%2f" and the like
    // simply do not match one, so nothing outside web/ can be read.
    match Page::get(path) {
        Some(file) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            let mut response = (StatusCode::OK, file.data.into_owned()).into_response();
            if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            response
                .headers_mut()
                .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
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
