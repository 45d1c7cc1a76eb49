//! The routes of the API (see `openapi.json`), their handlers, and the middleware around them.

use crate::cache;
use crate::error::{json_error, ApiError};
use crate::export::{self, Kind};
use crate::{assets, ingest, AppState, MAX_BODY_BYTES, READ_TIMEOUT, WRITE_TIMEOUT};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hadath_store::{Filter, KeyCount, Page, Stats};
use serde::Serialize;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

const OPENAPI: &str = include_str!("openapi.json");

/// Only same-origin scripts, styles, data and images (plus the `data:` favicon); no frames.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub(crate) fn routes(state: AppState) -> Router {
    let reads = Router::new()
        .route("/api/events", get(events))
        .route("/api/events.csv", get(events_csv))
        .route("/api/events.geojson", get(events_geojson))
        .route("/api/events/{id}", get(event))
        .route("/api/documents/{id}", get(document))
        .route("/api/stats", get(stats))
        .route("/api/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            READ_TIMEOUT,
        ));
    let writes = Router::new()
        .route(
            "/api/documents",
            post(post_documents)
                .route_layer(middleware::from_fn_with_state(state.clone(), require_token)),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            WRITE_TIMEOUT,
        ));
    let cors = state.inner.cors.clone();
    let mut app = reads
        .merge(writes)
        .fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(finish))
        .layer(CompressionLayer::new());
    if let Some(origin) = cors {
        let allow = if origin.as_bytes() == b"*" {
            AllowOrigin::any()
        } else {
            AllowOrigin::list([origin])
        };
        app = app.layer(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::HEAD, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .expose_headers([
                    header::HeaderName::from_static("x-hadath-total"),
                    header::HeaderName::from_static("x-hadath-truncated"),
                    header::HeaderName::from_static("x-hadath-row-limit"),
                ])
                .max_age(Duration::from_secs(600)),
        );
    }
    app
}

/// Security headers on every response, and a JSON body on every error that has none (the
/// 405, 413 and timeout answers of axum and tower-http are plain or empty).
async fn finish(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path() == "/healthz";
    let mut res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => format!(
                "the request body is larger than {} MiB: split it into several requests",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
            StatusCode::SERVICE_UNAVAILABLE => {
                "the request took too long or the server is busy; narrow the filters or retry later"
                    .to_string()
            }
            StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this path".to_string(),
            s => s
                .canonical_reason()
                .unwrap_or("request failed")
                .to_ascii_lowercase(),
        };
        let mut fresh = json_error(status, &message);
        for (name, value) in res.headers() {
            if name == header::ALLOW || name == header::WWW_AUTHENTICATE {
                fresh.headers_mut().insert(name.clone(), value.clone());
            }
        }
        res = fresh;
    }
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if is_api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

async fn not_found(req: Request) -> ApiError {
    ApiError::NotFound(format!(
        "no such path: {}; see /api/openapi.json for the API",
        req.uri().path()
    ))
}

type Pairs = Result<Query<Vec<(String, String)>>, QueryRejection>;

fn pairs_of(q: Pairs) -> Result<Vec<(String, String)>, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::BadRequest(format!("bad query string: {}", e.body_text())))
}

fn filter_of(pairs: &[(String, String)]) -> Result<(Filter, Page), ApiError> {
    Ok(Filter::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )?)
}

fn json_bytes(body: Bytes) -> Response {
    let mut res = Body::from(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

fn to_json<T: Serialize>(v: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec(v).map(Bytes::from).map_err(|e| {
        eprintln!("hadath serve: cannot serialise an answer: {e}");
        ApiError::Internal
    })
}

/// Answers from the cache, or computes with a store (the query `prepare` makes, only on a
/// miss), caches and answers.
async fn cached<T, F>(
    state: &AppState,
    path: &str,
    pairs: &[(String, String)],
    prepare: impl FnOnce() -> F,
) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&mut hadath_store::Store) -> Result<T, ApiError> + Send + 'static,
{
    let key = cache::key(path, pairs);
    if let Some(hit) = state.inner.cache.get(&key) {
        return Ok(json_bytes(hit));
    }
    let epoch = state.inner.cache.epoch();
    let value = state.pool().run(prepare()).await??;
    let body = to_json(&value)?;
    state.inner.cache.put(key, body.clone(), epoch);
    Ok(json_bytes(body))
}

async fn events(State(state): State<AppState>, q: Pairs) -> Result<Response, ApiError> {
    let pairs = pairs_of(q)?;
    let (filter, page) = filter_of(&pairs)?;
    // The total depends on the filter only: pages of one filter share it.
    let filter_pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "limit" | "offset" | "sort"))
        .cloned()
        .collect();
    let totals = state.clone();
    cached(&state, "/api/events", &pairs, move || {
        let total_key = cache::key("/api/events", &filter_pairs);
        let known = totals.inner.totals.get(&total_key);
        let epoch = totals.inner.totals.epoch();
        move |s| match known {
            Some(total) => Ok(s.events_counted(&filter, &page, total)?),
            None => {
                let page = s.events(&filter, &page)?;
                totals.inner.totals.put(total_key, page.total, epoch);
                Ok(page)
            }
        }
    })
    .await
}

/// The contract's shape of `/api/stats` (`{"type", "n"}` and `{"country", "n"}` rows).
#[derive(Serialize)]
struct StatsOut {
    total: i64,
    by_day: Vec<hadath_store::DayCount>,
    by_type: Vec<TypeCount>,
    by_country: Vec<CountryCount>,
    min_date: Option<String>,
    max_date: Option<String>,
}

#[derive(Serialize)]
struct TypeCount {
    #[serde(rename = "type")]
    event_type: String,
    n: i64,
}

#[derive(Serialize)]
struct CountryCount {
    country: String,
    n: i64,
}

impl From<Stats> for StatsOut {
    fn from(s: Stats) -> StatsOut {
        let rows = |v: Vec<KeyCount>| v.into_iter().map(|k| (k.key, k.n));
        StatsOut {
            total: s.total,
            by_day: s.by_day,
            by_type: rows(s.by_type)
                .map(|(event_type, n)| TypeCount { event_type, n })
                .collect(),
            by_country: rows(s.by_country)
                .map(|(country, n)| CountryCount { country, n })
                .collect(),
            min_date: s.min_date,
            max_date: s.max_date,
        }
    }
}

async fn stats(State(state): State<AppState>, q: Pairs) -> Result<Response, ApiError> {
    let pairs = pairs_of(q)?;
    let (filter, _) = filter_of(&pairs)?;
    cached(&state, "/api/stats", &pairs, move || {
        move |s| Ok(StatsOut::from(s.stats(&filter)?))
    })
    .await
}

fn id_of(what: &str, p: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(raw) = p.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    raw.parse::<i64>().map_err(|_| {
        ApiError::BadRequest(format!(
            "{what} id {raw:?} is not a number; ids are integers such as 17"
        ))
    })
}

async fn event(
    State(state): State<AppState>,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = id_of("event", p)?;
    let found = state.pool().run(move |s| s.event(id)).await??;
    match found {
        Some(e) => Ok(json_bytes(to_json(&e)?)),
        None => Err(ApiError::NotFound(format!("no event {id} in this store"))),
    }
}

async fn document(
    State(state): State<AppState>,
    p: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = id_of("document", p)?;
    let found = state.pool().run(move |s| s.document(id)).await??;
    match found {
        Some(d) => Ok(json_bytes(to_json(&d)?)),
        None => Err(ApiError::NotFound(format!(
            "no document {id} in this store"
        ))),
    }
}

async fn events_csv(State(state): State<AppState>, q: Pairs) -> Result<Response, ApiError> {
    let pairs = pairs_of(q)?;
    let (filter, _) = filter_of(&pairs)?;
    export::respond(state, filter, Kind::Csv).await
}

async fn events_geojson(State(state): State<AppState>, q: Pairs) -> Result<Response, ApiError> {
    let pairs = pairs_of(q)?;
    let (filter, _) = filter_of(&pairs)?;
    export::respond(state, filter, Kind::Geojson).await
}

async fn openapi() -> Response {
    json_bytes(Bytes::from_static(OPENAPI.as_bytes()))
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.pool().run(|s| s.counts()).await {
        Ok(Ok(c)) => Json(serde_json::json!({
            "status": "ok",
            "events": c.events,
            "documents": c.documents,
            "mentions": c.mentions,
            "cache": {
                "answers": state.inner.cache.counters(),
                "totals": state.inner.totals.counters(),
            },
        }))
        .into_response(),
        Ok(Err(e)) => {
            eprintln!("hadath serve: health check failed: {e}");
            unavailable()
        }
        Err(_) => unavailable(),
    }
}

fn unavailable() -> Response {
    let mut res = Json(serde_json::json!({
        "status": "unavailable",
        "error": "the store does not answer; the server log has the details",
    }))
    .into_response();
    *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    res
}

/// Equal in time independent of where the first difference is.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Writes need `Authorization: Bearer TOKEN` with the configured token; without one
/// configured the server is read-only. Checked before the body is read.
async fn require_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Request,
    next: Next,
) -> Response {
    let Some(token) = state.inner.token.as_deref() else {
        return ApiError::Forbidden(
            "this server is read-only: start hadath serve with --token (or HADATH_TOKEN) to allow POST /api/documents"
                .into(),
        )
        .into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match given {
        None => ApiError::Unauthorized(
            "POST /api/documents needs an Authorization: Bearer TOKEN header".into(),
        )
        .into_response(),
        Some(g) if !same_secret(g.as_bytes(), token.as_bytes()) => {
            ApiError::Unauthorized("the bearer token is wrong".into()).into_response()
        }
        Some(_) => next.run(req).await,
    }
}

#[derive(Serialize)]
struct IngestOut {
    ingested: usize,
    skipped: usize,
    events: usize,
    new_events: usize,
    merged_events: usize,
    mentions: usize,
    errors: Vec<String>,
}

async fn post_documents(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!(
                "the request body is larger than {} MiB: split it into several requests",
                MAX_BODY_BYTES / (1024 * 1024)
            ))
        } else {
            ApiError::BadRequest(format!("cannot read the request body: {}", e.body_text()))
        }
    })?;
    let parsed = ingest::parse_documents(&body)?;
    drop(body);
    // Extraction first, without holding a store; then one transaction.
    let st = state.clone();
    let records = tokio::task::spawn_blocking(move || {
        let pipeline = st.pipeline()?;
        Ok::<_, ApiError>(
            parsed
                .documents
                .into_iter()
                .map(|d| pipeline.process(d))
                .collect::<Vec<_>>(),
        )
    })
    .await
    .map_err(|e| {
        eprintln!("hadath serve: extraction failed: {e}");
        ApiError::Internal
    })??;
    let stats = state.pool().run(move |s| s.ingest(&records)).await??;
    if stats.documents > 0 {
        state.clear_caches();
    }
    let out = IngestOut {
        ingested: stats.documents,
        skipped: stats.skipped + parsed.errors.len(),
        events: stats.new_events + stats.merged_events,
        new_events: stats.new_events,
        merged_events: stats.merged_events,
        mentions: stats.mentions,
        errors: parsed.errors,
    };
    Ok(json_bytes(to_json(&out)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abcdefgh", b"abcdefgh"));
        assert!(!same_secret(b"abcdefgh", b"abcdefgX"));
        assert!(!same_secret(b"abcdefgh", b"abcdefg"));
        assert!(!same_secret(b"", b"x"));
    }

    #[test]
    fn the_openapi_document_lists_every_route() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for path in [
            "/api/events",
            "/api/events/{id}",
            "/api/documents/{id}",
            "/api/documents",
            "/api/stats",
            "/api/events.geojson",
            "/api/events.csv",
            "/api/openapi.json",
            "/healthz",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path}");
        }
    }
}
