//! `hadath serve`: the HTTP API and the embedded web dashboard over a hadath store.
//!
//! Principal types: [`ServeOptions`] (what `hadath serve` was asked for), [`AppState`] (a
//! [`StorePool`] of open [`hadath_store::Store`]s, the write token, the CORS origin and a
//! short-lived response cache) and [`router`], the axum [`Router`] with every route of
//! the API (published as OpenAPI 3.1 at `/api/openapi.json`).
//!
//! Data flow: request → security/JSON-error middleware → (CORS) → gzip → timeout → handler.
//! A handler validates the query string with [`hadath_store::Filter::from_pairs`] (bad or
//! unknown parameters are `400` with the store's message), then borrows a `Store` from the
//! pool and runs the query on a blocking thread (`Store` is `Send`, not `Sync`); the result
//! goes out as JSON. CSV and GeoJSON exports stream from the blocking thread through a
//! bounded channel (at most [`EXPORT_MAX_ROWS`] rows). `POST /api/documents` needs a bearer
//! token: the body (a JSON object, a JSON array or JSON Lines) is read by
//! [`hadath_read::read_reader`], run through [`hadath_extract::Pipeline`] and ingested in one
//! transaction. The dashboard (`/`, `/assets/{file}`) is compiled into the binary.
//!
//! Errors are always `{"error": "..."}` with a 4xx/5xx status; store failures are logged to
//! stderr and answered with a generic message, so no SQL ever reaches a client.
//!
//! ```no_run
//! use hadath_serve::{run_blocking, ServeOptions};
//! let opts = ServeOptions {
//!     db: "./hadath.db".into(),
//!     bind: "127.0.0.1:8080".parse().unwrap(),
//!     ..ServeOptions::default()
//! };
//! run_blocking(opts).unwrap(); // prints the URL; Ctrl-C stops it gracefully
//! ```
//!
//! In tests, drive [`router`] directly with `tower::ServiceExt::oneshot`:
//!
//! ```no_run
//! # async fn f() {
//! use hadath_serve::{router, AppState, ServeOptions};
//! let state = AppState::open(&ServeOptions { db: "/tmp/t.db".into(), ..Default::default() }).unwrap();
//! let app = router(state);
//! # }
//! ```

mod api;
mod assets;
mod cache;
mod error;
mod export;
mod ingest;
mod pool;

use axum::http::HeaderValue;
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use error::{ApiError, ServeError};
pub use pool::{Lease, StorePool};

/// Largest request body (POST /api/documents): 8 MiB; larger bodies get `413`.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Most documents in one POST.
pub const MAX_DOCUMENTS_PER_POST: usize = 10_000;
/// Most rows in one CSV or GeoJSON export (said in the `X-Hadath-Row-Limit` header).
pub const EXPORT_MAX_ROWS: usize = 100_000;
/// Time allowed to produce a response to a read (the export stream itself may run longer).
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for a POST (extraction of up to 8 MiB of text, then one transaction).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(120);

/// How often the server asks the store whether anything was ingested (by any process), to
/// drop cached answers when so.
pub const STORE_WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// What `hadath serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The store: a SQLite path or `postgres://…` URL.
    pub db: String,
    /// Address to listen on (`127.0.0.1:8080`; port 0 picks a free one).
    pub bind: SocketAddr,
    /// Bearer token that allows `POST /api/documents`; `None` makes the server read-only.
    pub token: Option<String>,
    /// Origin allowed by CORS (`https://example.org`, or `*`); CORS is off when `None`.
    pub cors: Option<String>,
    /// Store connections, i.e. queries that can run at once (1 to 64).
    pub pool: usize,
    /// Longest time identical `/api/events` and `/api/stats` answers are reused (zero: never).
    /// They are dropped sooner when the store changes: a POST that ingests anything clears the
    /// cache at once, and an ingest by another process within [`STORE_WATCH_INTERVAL`].
    pub cache_ttl: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            db: "./hadath.db".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            cors: None,
            pool: default_pool_size(),
            cache_ttl: Duration::from_secs(60),
        }
    }
}

/// One store connection per core, at least 2 and at most 16.
pub fn default_pool_size() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 16)
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Arc<StorePool>,
    token: Option<String>,
    cors: Option<HeaderValue>,
    cache: cache::Cache<axum::body::Bytes>,
    /// Totals of `/api/events` filters (paging and sorting left out), for the same time: paging
    /// through one filter counts it once.
    totals: cache::Cache<i64>,
    pipeline: OnceLock<Result<Arc<hadath_extract::Pipeline>, String>>,
    db: String,
}

impl AppState {
    /// Opens `opts.pool` connections to `opts.db` (creating and migrating a new SQLite store).
    pub fn open(opts: &ServeOptions) -> Result<AppState, ServeError> {
        if !(1..=64).contains(&opts.pool) {
            return Err(ServeError::Pool(opts.pool));
        }
        let cors = match &opts.cors {
            None => None,
            Some(o) => {
                Some(HeaderValue::from_str(o.trim()).map_err(|_| ServeError::Cors(o.clone()))?)
            }
        };
        if let Some(t) = &opts.token {
            if t.trim().len() < 8 {
                return Err(ServeError::Token);
            }
        }
        let pool = StorePool::open(&opts.db, opts.pool).map_err(|source| ServeError::Open {
            db: opts.db.clone(),
            source,
        })?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db: pool.url().to_string(),
                pool: Arc::new(pool),
                token: opts.token.as_ref().map(|t| t.trim().to_string()),
                cors,
                cache: cache::Cache::new(opts.cache_ttl),
                totals: cache::Cache::new(opts.cache_ttl),
                pipeline: OnceLock::new(),
            }),
        })
    }

    /// Drops every cached answer and total.
    fn clear_caches(&self) {
        self.inner.cache.clear();
        self.inner.totals.clear();
    }

    /// Watches the store's generation every `interval` and clears the caches when it moves
    /// (another process ingested). Runs until the runtime stops.
    pub fn watch_store(&self, interval: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut seen: Option<i64> = None;
            let mut failing = false;
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match state.pool().run(|s| s.generation()).await {
                    Ok(Ok(g)) => {
                        if seen.is_some_and(|s| s != g) {
                            state.clear_caches();
                        }
                        seen = Some(g);
                        failing = false;
                    }
                    // Not knowing is treated as a change: answers may be stale. Said once per
                    // run of failures, not twice a second.
                    Ok(Err(e)) => {
                        if !failing {
                            eprintln!("hadath serve: cannot read the store's generation: {e}");
                        }
                        failing = true;
                        state.clear_caches();
                    }
                    Err(_) => state.clear_caches(),
                }
            }
        })
    }

    /// The store connections.
    pub fn pool(&self) -> &Arc<StorePool> {
        &self.inner.pool
    }

    /// Whether `POST /api/documents` is allowed at all.
    pub fn writable(&self) -> bool {
        self.inner.token.is_some()
    }

    /// The extraction pipeline, built on first use (on a blocking thread).
    fn pipeline(&self) -> Result<Arc<hadath_extract::Pipeline>, ApiError> {
        self.inner
            .pipeline
            .get_or_init(|| {
                hadath_extract::Pipeline::new(hadath_extract::PipelineOptions::default())
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| {
                eprintln!("hadath serve: cannot build the extraction pipeline: {e}");
                ApiError::Internal
            })
    }
}

/// The axum router: every API route, the dashboard, and the middleware.
pub fn router(state: AppState) -> Router {
    api::routes(state)
}

/// Opens the store, binds `opts.bind`, prints the URL, and serves until Ctrl-C or SIGTERM
/// (in-flight requests finish first).
pub async fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    let open_opts = opts.clone();
    let state = tokio::task::spawn_blocking(move || AppState::open(&open_opts))
        .await
        .map_err(|e| ServeError::Runtime(std::io::Error::other(e.to_string())))??;
    let listener = tokio::net::TcpListener::bind(opts.bind)
        .await
        .map_err(|source| ServeError::Bind {
            addr: opts.bind,
            source,
        })?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    println!(
        "hadath serve: listening on http://{addr}/ (store {}, {} connection{}, {})",
        state.inner.db,
        opts.pool,
        if opts.pool == 1 { "" } else { "s" },
        if state.writable() {
            "POST /api/documents allowed with the bearer token"
        } else {
            "read-only"
        }
    );
    if !addr.ip().is_loopback() {
        println!(
            "hadath serve: note: {} is reachable from other machines; anyone who can reach it can read the store",
            addr.ip()
        );
    }
    let watcher = state.watch_store(STORE_WATCH_INTERVAL);
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Serve);
    watcher.abort();
    served?;
    println!("hadath serve: stopped");
    Ok(())
}

/// [`serve`] on a new multi-threaded tokio runtime (for the CLI).
pub fn run_blocking(opts: ServeOptions) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(opts.pool.clamp(1, 64) * 2 + 8)
        .thread_name("hadath-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    rt.block_on(serve(opts))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    println!("hadath serve: shutting down (finishing requests in flight)");
}
