//! The HTTP server (axum on tokio): GeoJSON layers, the gazetteer and review
//! API with accounts and history, the change feed, and the web page. The
//! only module that speaks HTTP.

mod auth;
mod edit_reason;
mod editor_request;
mod error;
mod export;
mod layers;
mod ogc;
mod places;
mod response_cache;
mod review;
mod session;
mod state;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use auth::{hash_secret, issue_token};
pub use error::ApiError;
pub use response_cache::DEFAULT_CACHE_MB;
pub use state::AppState;

use crate::gazetteer::Gazetteer;

/// Largest request body accepted, in bytes (larger gets 413).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// SQLite database path.
    pub db: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// An online MapLibre style to use instead of the offline basemap.
    pub basemap_style: Option<String>,
    /// Bytes of whole layer answers kept in memory (0: none).
    pub cache_bytes: usize,
}

/// Errors starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The address could not be bound, or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Declares the API once: the router is built from this table and
/// `/api/openapi.json` is generated from it, so the two cannot drift.
macro_rules! api {
    ($( $method:ident $path:literal => $handler:path, $role:literal, $summary:literal; )*) => {
        fn api_routes(router: Router<Arc<AppState>>) -> Router<Arc<AppState>> {
            router $( .route($path, axum::routing::$method($handler)) )*
        }

        /// (method, path, required role, summary) of every API endpoint.
        pub const API_ENDPOINTS: &[(&str, &str, &str, &str)] = &[ $( (stringify!($method), $path, $role, $summary) ),* ];
    };
}

api! {
    get "/healthz" => health, "public", "Liveness check.";
    get "/api/layers/{file}" => layers::layer, "public", "A layer (incidents, places, roads, mentions) as GeoJSON, filtered.";
    get "/api/export/{file}" => export::export, "public", "A layer as a file: geojson, csv, kml, gpkg or fgb, filtered.";
    get "/api/places/search" => places::search, "public", "Gazetteer autocomplete, typo tolerant.";
    post "/api/places" => places::create_place, "editor", "Add a place.";
    get "/api/places/{id}" => places::get_place, "public", "A place as a GeoJSON Feature; ETag is its revision.";
    patch "/api/places/{id}" => places::patch_place, "editor", "Edit a place (If-Match required).";
    get "/api/places/{id}/history" => places::history, "public", "Every revision of a place.";
    post "/api/places/{id}/revert" => places::revert_place, "editor", "Restore an earlier revision (If-Match required).";
    post "/api/places/{id}/merge" => places::merge_place, "editor", "Merge a duplicate into another place (If-Match required).";
    get "/api/review" => review::queue, "editor", "The review queue, least certain first.";
    patch "/api/mentions/{id}" => review::patch_mention, "editor", "Accept, reject or reassign a mention (If-Match required).";
    get "/api/incidents/{id}" => review::get_incident, "public", "An incident; ETag is its revision.";
    patch "/api/incidents/{id}" => review::patch_incident, "editor", "Edit or publish an incident (If-Match required).";
    get "/api/incidents/{id}/history" => review::incident_history, "public", "Every revision of an incident.";
    post "/api/incidents/{id}/revert" => review::revert_incident, "editor", "Restore an earlier revision of an incident (If-Match required).";
    post "/api/incidents/{id}/unmerge" => review::unmerge, "editor", "Split a merged article off into its own incident.";
    get "/api/changes" => review::changes, "public", "The change feed: revisions after `since`.";
    post "/api/login" => session::login, "public", "Browser sign-in: session cookie and CSRF token.";
    post "/api/logout" => session::logout, "public", "Sign out.";
    get "/api/me" => session::me, "public", "Who is signed in.";
    get "/api/config" => config, "public", "Page configuration.";
    get "/api/openapi.json" => openapi, "public", "This API description (OpenAPI 3).";
    get "/ogc" => ogc::landing, "public", "OGC API - Features landing page.";
    get "/ogc/conformance" => ogc::conformance, "public", "OGC API - Features conformance classes.";
    get "/ogc/api" => ogc::openapi, "public", "OGC API - Features OpenAPI 3.0 definition.";
    get "/ogc/api.html" => ogc::api_doc, "public", "OGC API - Features documentation.";
    get "/ogc/collections" => ogc::collections, "public", "OGC API - Features collections.";
    get "/ogc/collections/{id}" => ogc::collection, "public", "One collection.";
    get "/ogc/collections/{id}/items" => ogc::items, "public", "Features of a collection, paged.";
    get "/ogc/collections/{id}/items/{feature}" => ogc::item, "public", "One feature.";
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /api/openapi.json`, generated from [`API_ENDPOINTS`].
async fn openapi() -> Json<serde_json::Value> {
    let mut paths = serde_json::Map::new();
    for (method, path, role, summary) in API_ENDPOINTS {
        let parameters: Vec<serde_json::Value> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut responses = json!({"200": {"description": "success"}, "400": {"$ref": "#/components/responses/Error"}});
        let mut operation = json!({"summary": summary, "parameters": parameters, "x-sitrep-role": role});
        if *role != "public" {
            operation["security"] = json!([{"bearer": []}, {"session": []}]);
            responses["401"] = json!({"$ref": "#/components/responses/Error"});
            responses["403"] = json!({"$ref": "#/components/responses/Error"});
        }
        if summary.contains("If-Match") {
            responses["412"] = json!({"$ref": "#/components/responses/Error"});
            responses["428"] = json!({"$ref": "#/components/responses/Error"});
        }
        operation["responses"] = responses;
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method.to_string()] = operation;
    }
    Json(json!({
        "openapi": "3.0.3",
        "info": {"title": "sitrep API", "version": env!("CARGO_PKG_VERSION"), "license": {"name": "MIT OR Apache-2.0"}},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": auth::SESSION_COOKIE}
            },
            "responses": {"Error": {"description": "an error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}}}
        }
    }))
}

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    api_routes(Router::new())
        .route("/ogc/", get(ogc::landing))
        .route("/", get(web::index))
        .route("/{*path}", get(web::asset))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn config(axum::extract::State(state): axum::extract::State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(json!({"basemap_style": state.basemap_style}))
}

/// Opens the database and serves until `shutdown` resolves, then finishes
/// in-flight requests and returns (the database is left clean: every write
/// is its own transaction).
pub async fn serve(
    config: ServerConfig,
    gazetteer: Gazetteer,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let state = AppState::open(&config.db, gazetteer, config.basemap_style.clone(), config.cache_bytes)?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    on_listening(listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
