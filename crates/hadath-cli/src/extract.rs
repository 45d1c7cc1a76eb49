//! `hadath extract`.

use anyhow::{Context, Result};
use clap::Args;
use hadath_extract::{OutputFormat, Pipeline, PipelineOptions, Writer};
use hadath_model::{Document, PartialDate};
use hadath_read::{expand_inputs, read_input, FormatChoice, ReadOptions};
use rayon::prelude::*;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ExtractArgs {
    /// Files, directories (read recursively), glob patterns, or `-` for stdin.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    /// Input format: auto sniffs the extension and the content.
    #[arg(long, default_value = "auto", value_name = "FMT")]
    from: FormatChoice,
    /// Output format: jsonl, json, csv (ACLED-like columns, one row per event), geojson.
    #[arg(long, default_value = "jsonl", value_name = "FMT")]
    to: OutputFormat,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Date (YYYY-MM-DD, YYYY-MM or YYYY) for documents that carry none.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    date: Option<PartialDate>,
    /// Report bad inputs and go on; the exit status is still 1 if anything was skipped.
    #[arg(long)]
    keep_going: bool,
    /// Leave the document text out of the output (offsets still index it).
    #[arg(long)]
    no_text: bool,
    /// Only read, segment, identify languages and find posts and links: much faster, with
    /// no actors, events, places or resolved dates.
    #[arg(long)]
    segment_only: bool,
    /// A directory of event lexicons (`plover.toml`, `cues/`, `triggers/<lang>/`) that
    /// extends or replaces the embedded ones.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// A directory of actor lexicons (`countries.toml`, `organizations.toml`, `sectors.toml`)
    /// that extends or replaces the embedded ones.
    #[arg(long, value_name = "DIR")]
    actors: Option<PathBuf>,
    /// Largest document accepted, in MiB (at most 4095: offsets are 32-bit).
    #[arg(long, default_value_t = 64, value_name = "MIB",
          value_parser = clap::value_parser!(u16).range(1..=4095))]
    max_doc_mib: u16,
}

fn parse_date(s: &str) -> Result<PartialDate, String> {
    PartialDate::parse(s)
        .ok_or_else(|| format!("{s:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"))
}

/// Documents processed together: large enough to keep every core busy, small enough
/// to keep memory flat on huge inputs.
const BATCH: usize = 256;

/// An extracted document, rendered or to be written.
enum Done {
    Line(Vec<u8>),
    Record(Box<hadath_extract::Record>),
}

pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let inputs = expand_inputs(&args.inputs)?;
    let opts = ReadOptions {
        format: args.from,
        max_document_bytes: usize::from(args.max_doc_mib) << 20,
    };
    let pipeline = Pipeline::new(PipelineOptions {
        default_date: args.date,
        no_text: args.no_text,
        segment_only: args.segment_only,
        lexicon: args.lexicon.clone(),
        actors: args.actors.clone(),
    })?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create output file {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = Writer::new(args.to, BufWriter::new(sink))?;

    let mut docs = 0usize;
    let mut failed = 0usize;
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let jsonl = writer.format() == OutputFormat::Jsonl;
    let flush = |batch: &mut Vec<Document>, writer: &mut Writer<_>| -> Result<()> {
        // JSON Lines are rendered (and the records dropped) by the threads that extract them;
        // the other formats keep state across records and are written here.
        let done: Vec<Done> = batch
            .par_drain(..)
            .map(|d| {
                let r = pipeline.process(d);
                if jsonl {
                    hadath_extract::jsonl_line(&r).map(Done::Line)
                } else {
                    Ok(Done::Record(Box::new(r)))
                }
            })
            .collect::<Result<_, _>>()?;
        for d in done {
            match d {
                Done::Line(line) => writer.write_jsonl_line(&line)?,
                Done::Record(r) => writer.write(&r)?,
            }
        }
        Ok(())
    };
    'inputs: for input in &inputs {
        for item in read_input(input, &opts) {
            match item {
                Ok(doc) => {
                    docs += 1;
                    batch.push(doc);
                    if batch.len() >= BATCH {
                        flush(&mut batch, &mut writer)?;
                    }
                }
                Err(err) => {
                    failed += 1;
                    eprintln!("hadath: error: {err}");
                    if !args.keep_going {
                        break 'inputs;
                    }
                }
            }
        }
    }
    flush(&mut batch, &mut writer)?;
    writer.finish()?;
    if failed > 0 {
        if args.keep_going {
            eprintln!(
                "hadath: {docs} documents extracted from {} inputs; {failed} skipped because of errors",
                inputs.len()
            );
        } else {
            eprintln!("hadath: stopped at the first error ({docs} documents written); use --keep-going to skip bad inputs");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
