//! `hadath serve`: a thin shell around `hadath-serve` (the HTTP API and the dashboard).

use anyhow::Result;
use clap::Args;
use hadath_serve::{default_pool_size, run_blocking, ServeOptions};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct ServeArgs {
    /// The store: a SQLite file (created if missing) or postgres://user@host/db.
    #[arg(
        long,
        default_value = "./hadath.db",
        env = "HADATH_DB",
        value_name = "URL"
    )]
    pub db: String,
    /// Address and port to listen on; 127.0.0.1 keeps it to this machine, port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: SocketAddr,
    /// Bearer token that allows POST /api/documents (at least 8 characters); without it the
    /// server is read-only. Prefer the environment variable: flags show up in `ps`.
    #[arg(
        long,
        env = "HADATH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Allow this origin (https://example.org, or *) to call the API from a browser; CORS is
    /// off by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Store connections, i.e. queries that run at once (default: one per core, 2 to 16).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub pool: Option<u16>,
    /// Longest time in seconds an identical /api/events or /api/stats answer is reused (0:
    /// never); answers are dropped as soon as anything is ingested into the store.
    #[arg(long, default_value_t = 60, value_name = "SECS",
          value_parser = clap::value_parser!(u16).range(0..=3600))]
    pub cache_secs: u16,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let opts = ServeOptions {
        db: args.db,
        bind: args.bind,
        token: args.token.filter(|t| !t.is_empty()),
        cors: args.cors,
        pool: args.pool.map(usize::from).unwrap_or_else(default_pool_size),
        cache_ttl: Duration::from_secs(u64::from(args.cache_secs)),
    };
    run_blocking(opts)?;
    Ok(ExitCode::SUCCESS)
}
