//! `GET /api/layers/{layer}.geojson`: RFC 7946 FeatureCollections, filtered,
//! streamed in chunks, with ETags.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::error::ApiError;
use super::response_cache::CachedBody;
use super::state::AppState;
use crate::store::{Layer, LayerFilter, StoreError};

/// Bytes buffered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;

/// Parses a query string into a filter; unknown parameters are refused.
pub fn parse_filter(
    query: Option<&str>,
    allowed_extra: &[&str],
) -> Result<(LayerFilter, Vec<(String, String)>), ApiError> {
    let mut filter = LayerFilter::default();
    let mut extra = Vec::new();
    for (name, value) in form_pairs(query.unwrap_or("")) {
        if allowed_extra.contains(&name.as_str()) {
            extra.push((name, value));
            continue;
        }
        filter.set(&name, &value)?;
    }
    Ok((filter, extra))
}

/// Decodes `a=b&c=d` (percent-encoding and `+`).
pub fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A weak ETag from the data version and the query.
pub fn etag(version: &str, query: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{version}|{query}").as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// Does `If-None-Match` name this ETag?
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// Streams a FeatureCollection built by `write_features` (run on the
/// blocking pool) with `head` (the JSON before the features) and `tail`.
/// With `cache_as` (data version, key), a complete body small enough is
/// kept in the layer cache; `suffix` is sent last and never cached (an OGC
/// page's time stamp).
pub fn stream_collection(
    state: &Arc<AppState>,
    cache_as: Option<(String, String)>,
    suffix: String,
    head: String,
    tail: impl FnOnce(crate::store::PageEnd) -> String + Send + 'static,
    produce: impl FnOnce(
            &crate::store::Store,
            &mut dyn FnMut(serde_json::Value) -> Result<(), StoreError>,
        ) -> Result<crate::store::PageEnd, StoreError>
        + Send
        + 'static,
) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let state = Arc::clone(state);
    // the turn at a reader is awaited as a task, the thread taken after
    tokio::spawn(async move {
        let Ok(slot) = state.reader_slot().await else { return };
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            let Ok(store) = state.reader_guard() else { return };
            let mut buffer = head.into_bytes();
            let mut first = true;
            // the chunks sent so far (shared, not copied), while the body may
            // still fit the cache
            let max_entry_bytes = state.layer_cache.max_entry_bytes();
            let mut sent: Option<Vec<Bytes>> = cache_as.as_ref().map(|_| Vec::new());
            let mut sent_bytes = 0;
            let mut keep = |chunk: &Bytes| {
                sent_bytes += chunk.len();
                if sent_bytes > max_entry_bytes {
                    sent = None;
                } else if let Some(chunks) = sent.as_mut() {
                    chunks.push(chunk.clone());
                }
            };
            let mut sink = |feature: serde_json::Value| -> Result<(), StoreError> {
                if !first {
                    buffer.push(b',');
                }
                first = false;
                serde_json::to_writer(&mut buffer, &feature).map_err(|e| StoreError::Invalid(e.to_string()))?;
                if buffer.len() >= CHUNK_BYTES {
                    // a copy of exactly the bytes (a taken buffer would keep its
                    // doubled capacity, twice the memory in the layer cache)
                    let chunk = Bytes::copy_from_slice(&buffer);
                    buffer.clear();
                    keep(&chunk);
                    // a closed channel means the client went away: stop
                    tx.blocking_send(Ok(chunk))
                        .map_err(|_| StoreError::Invalid("client disconnected".into()))?;
                }
                Ok(())
            };
            match produce(&store, &mut sink) {
                Ok(end) => {
                    buffer.extend_from_slice(tail(end).as_bytes());
                    let chunk = Bytes::from(buffer);
                    keep(&chunk);
                    let _ = tx.blocking_send(Ok(chunk));
                    if let (Some((version, key)), Some(chunks)) = (cache_as, sent) {
                        state.layer_cache.put(&version, &key, CachedBody::from_chunks(chunks));
                    }
                    if !suffix.is_empty() {
                        let _ = tx.blocking_send(Ok(Bytes::from(suffix)));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "streaming a layer failed");
                    let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                }
            }
        });
    });
    // fused: the compression layer may poll again after the end
    let stream = futures_util::StreamExt::fuse(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    }));
    Body::from_stream(stream)
}

/// The handler.
pub async fn layer(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let name = file
        .strip_suffix(".geojson")
        .ok_or_else(|| ApiError::not_found("layers are at /api/layers/{name}.geojson"))?;
    let layer = Layer::parse(name)
        .ok_or_else(|| ApiError::not_found(format!("no layer {name:?}: use incidents, places, roads or mentions")))?;
    let (filter, _) = parse_filter(query.as_deref(), &[])?;
    let version = state.read(|store| Ok(store.data_version()?)).await?;
    let tag = etag(&version, &format!("{name}?{}", query.as_deref().unwrap_or("")));
    let last_modified = state
        .modified_at(&version)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if not_modified(&headers, &tag) {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag), (header::LAST_MODIFIED, last_modified)],
        )
            .into_response());
    }
    // a gzip copy of a cached body is made once and cached beside it
    let gzip_key = format!("{tag}+gzip");
    let wants_gzip = accepts_gzip(&headers);
    let mut gzipped = false;
    let cached_gzip = if wants_gzip {
        state.layer_cache.get(&version, &gzip_key)
    } else {
        None
    };
    let cached = match cached_gzip {
        Some(compressed) => {
            gzipped = true;
            Some(compressed)
        }
        None => match state.layer_cache.get(&version, &tag) {
            Some(plain) if wants_gzip => {
                let compressed: CachedBody = tokio::task::spawn_blocking(move || gzip(&plain))
                    .await
                    .map_err(ApiError::internal)?
                    .map_err(ApiError::internal)?
                    .into();
                state.layer_cache.put(&version, &gzip_key, compressed.clone());
                gzipped = true;
                Some(compressed)
            }
            plain => plain,
        },
    };
    let mut response = match &cached {
        Some(body) => Response::new(body.to_body(None)),
        None => Response::new(layer_body(&state, layer, filter, (version, tag.clone()))),
    };
    let headers = response.headers_mut();
    // a cached answer's length is known: clients can show progress
    if let Some(body) = &cached {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    if gzipped {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&last_modified) {
        headers.insert(header::LAST_MODIFIED, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// Does the client take gzip (`Accept-Encoding: gzip`, not refused with `q=0`)?
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && parts.all(|p| !matches!(p.replace(' ', "").as_str(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
        })
}

fn gzip(body: &CachedBody) -> std::io::Result<Bytes> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 8), flate2::Compression::default());
    for chunk in body.chunks() {
        encoder.write_all(chunk)?;
    }
    Ok(Bytes::from(encoder.finish()?))
}

/// The layer's FeatureCollection, streamed from the store and cached.
fn layer_body(state: &Arc<AppState>, layer: Layer, filter: LayerFilter, cache_as: (String, String)) -> Body {
    let name = layer.name();
    let head = format!("{{\"type\":\"FeatureCollection\",\"name\":\"sitrep-{name}\",\"features\":[");
    stream_collection(
        state,
        Some(cache_as),
        String::new(),
        head,
        |end| match end.last_key.filter(|_| end.more) {
            Some(cursor) => format!("],\"next_cursor\":\"{cursor}\"}}"),
            None => "]}".to_string(),
        },
        move |store, sink| store.layer_features(layer, &filter, sink),
    )
}
