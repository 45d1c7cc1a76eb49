//! `hadath`: turns news and social media into a database of political events.
//!
//! This binary only parses arguments and wires the library crates together:
//! `hadath-read` (inputs → documents) → `hadath-extract` (documents → records → output).

mod eval;
mod extract;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Eval(args) => eval::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("hadath: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
