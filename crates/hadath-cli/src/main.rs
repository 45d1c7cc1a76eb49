//! `hadath`: turns news and social media into a database of political events.
//!
//! This binary only parses arguments and wires the library crates together:
//! `hadath-read` (inputs → documents) → `hadath-extract` (documents → records → output)
//! → `hadath-store` (records → merged events → queries and exports) → `hadath-serve`.

mod eval;
mod extract;
mod serve;
mod store;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: extraction allocates and frees many small strings and vectors per sentence, where
/// it is markedly faster than the system allocator (`scripts/bench-extract.py`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hadath",
    version,
    about = "Political events from news and social media, with evidence for every field"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract documents into records (JSON Lines by default), one per document, in input order.
    Extract(extract::ExtractArgs),
    /// Score extraction against a gold file (the format of shared/gold): the metrics of
    /// score.py, a confusion table and the worst misses.
    Eval(eval::EvalArgs),
    /// Extract documents and store their events (SQLite file by default, or PostgreSQL):
    /// idempotent, resumable, near-duplicates linked, events merged across documents.
    Ingest(store::IngestArgs),
    /// List stored events matching filters, as a table, JSON Lines or CSV.
    Query(store::QueryArgs),
    /// Export stored events as CSV (ACLED-like), JSON Lines, GeoJSON or Parquet.
    Export(store::ExportArgs),
    /// Check a store's consistency and print its size.
    Check(store::CheckArgs),
    /// Serve the HTTP API and the web dashboard over a store.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Ingest(args) => store::ingest(args),
        Command::Query(args) => store::query(args),
        Command::Export(args) => store::export_cmd(args),
        Command::Check(args) => store::check(args),
        Command::Serve(args) => serve::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("hadath: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
