//! The HTTP server (axum on tokio): GeoJSON layers, the gazetteer and review
//! API with accounts and history, the change feed, and the web page. The
//! only module that speaks HTTP.

mod auth;
mod error;
mod export;
mod layers;
mod ogc;
mod places;
mod review;
mod session;
mod state;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use auth::{hash_secret, issue_token};
pub use error::ApiError;
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

/// The routes.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/api/layers/{file}", get(layers::layer))
        .route("/api/places/search", get(places::search))
        .route("/api/places", post(places::create_place))
        .route("/api/places/{id}", get(places::get_place).patch(places::patch_place))
        .route("/api/places/{id}/history", get(places::history))
        .route("/api/review", get(review::queue))
        .route("/api/mentions/{id}", axum::routing::patch(review::patch_mention))
        .route(
            "/api/incidents/{id}",
            get(review::get_incident).patch(review::patch_incident),
        )
        .route("/api/incidents/{id}/history", get(review::incident_history))
        .route("/api/changes", get(review::changes))
        .route("/api/login", post(session::login))
        .route("/api/logout", post(session::logout))
        .route("/api/me", get(session::me))
        .route("/api/config", get(config))
        .route("/api/export/{file}", get(export::export))
        .route("/ogc", get(ogc::landing))
        .route("/ogc/", get(ogc::landing))
        .route("/ogc/conformance", get(ogc::conformance))
        .route("/ogc/api", get(ogc::openapi))
        .route("/ogc/api.html", get(ogc::api_doc))
        .route("/ogc/collections", get(ogc::collections))
        .route("/ogc/collections/{id}", get(ogc::collection))
        .route("/ogc/collections/{id}/items", get(ogc::items))
        .route("/ogc/collections/{id}/items/{feature}", get(ogc::item))
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
    let state = AppState::open(&config.db, gazetteer, config.basemap_style.clone())?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    on_listening(listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
