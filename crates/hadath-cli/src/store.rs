//! `hadath ingest`, `hadath query`, `hadath export`, `hadath check`: thin shells around
//! `hadath-store`.

use anyhow::{bail, Context, Result};
use clap::Args;
use hadath_extract::{Pipeline, PipelineOptions};
use hadath_model::{Document, PartialDate};
use hadath_read::{expand_inputs, read_input, FormatChoice, ReadOptions};
use hadath_store::{
    content_hash, export, BatchStats, Dialect, ExportFormat, Filter, MergeOptions, Prepared, Store,
};
use rayon::prelude::*;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Documents extracted together and handed to the writer at a time (at most `--batch`).
const CHUNK: usize = 256;
/// Extracted chunks waiting for the writer, at most: extraction goes on while the writer
/// commits (a commit of 4 096 documents takes a quarter of a second, in which both cores
/// extract several chunks; with room for one, they waited: 5 % of an ingest's time). About
/// 2.5 MB each for news articles.
const WRITER_QUEUE: usize = 8;
/// A transaction commits when it holds `--batch` documents, or when it has been open this long
/// and the next chunk is not ready: stored documents become visible to readers within seconds
/// of a slow input's arrival.
const COMMIT_AFTER: Duration = Duration::from_secs(2);

#[derive(Args)]
pub struct DbArg {
    /// The store: a SQLite file (created if missing) or postgres://user@host/db.
    #[arg(
        long,
        default_value = "./hadath.db",
        env = "HADATH_DB",
        value_name = "URL"
    )]
    pub db: String,
}

#[derive(Args)]
pub struct IngestArgs {
    /// Files, directories (read recursively), glob patterns, or `-` for stdin.
    #[arg(value_name = "INPUT", default_value = "-")]
    inputs: Vec<String>,
    #[command(flatten)]
    db: DbArg,
    /// Input format: auto sniffs the extension and the content.
    #[arg(long, default_value = "auto", value_name = "FMT")]
    from: FormatChoice,
    /// Date (YYYY-MM-DD, YYYY-MM or YYYY) for documents that carry none.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    date: Option<PartialDate>,
    /// Report bad inputs and go on; the exit status is still 1 if anything was skipped.
    #[arg(long)]
    keep_going: bool,
    /// Documents per transaction, at most [default: 4096 on SQLite, 1024 on PostgreSQL]: a
    /// killed run loses at most the transaction in flight, which a re-run stores. A
    /// transaction also commits after two seconds when the input is slower. (Each SQLite commit
    /// rewrites every index page its transaction touched: 4 096 write half as much as 1 024;
    /// on PostgreSQL, whose workers take turns at the write lock, 4 096 measured slower.)
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch: Option<u32>,
    /// Events of different documents within this distance (km) can be the same event.
    #[arg(long, default_value_t = 25.0, value_name = "KM")]
    radius_km: f64,
    /// ... and within this many days.
    #[arg(long, default_value_t = 2, value_name = "DAYS")]
    window_days: i64,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// A directory of event lexicons that extends or replaces the embedded ones.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
    /// A directory of actor lexicons that extends or replaces the embedded ones.
    #[arg(long, value_name = "DIR")]
    actors: Option<PathBuf>,
    /// Largest document accepted, in MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB",
          value_parser = clap::value_parser!(u16).range(1..=4095))]
    max_doc_mib: u16,
}

fn parse_date(s: &str) -> Result<PartialDate, String> {
    PartialDate::parse(s)
        .ok_or_else(|| format!("{s:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"))
}

pub fn ingest(args: IngestArgs) -> Result<ExitCode> {
    let inputs = expand_inputs(&args.inputs)?;
    let opts = ReadOptions {
        format: args.from,
        max_document_bytes: usize::from(args.max_doc_mib) << 20,
    };
    let pipeline = Pipeline::new(PipelineOptions {
        default_date: args.date,
        lexicon: args.lexicon.clone(),
        actors: args.actors.clone(),
        ..PipelineOptions::default()
    })?;
    let mut store = Store::open(&args.db.db)
        .with_context(|| format!("cannot open the store {}", args.db.db))?;
    store.set_merge_options(MergeOptions {
        radius_km: args.radius_km,
        window_days: args.window_days,
    });
    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} {pos} docs ({per_sec}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(200));
        b
    };
    // Extraction and writing overlap: this thread reads, claims and extracts a batch while a
    // writer thread stores the one before (on its own connection).
    let mut writer_store = Store::open(&args.db.db)
        .with_context(|| format!("cannot open the store {}", args.db.db))?;
    writer_store.set_merge_options(MergeOptions {
        radius_km: args.radius_km,
        window_days: args.window_days,
    });
    let started = Instant::now();
    let batch_size = args.batch.map_or(
        match writer_store.dialect() {
            Dialect::Sqlite => 4096,
            Dialect::Postgres => 1024,
        },
        |b| b as usize,
    );
    // Documents are extracted in chunks of at most CHUNK, and written a chunk at a time in
    // transactions of up to `--batch` documents: the writer starts on the first chunk at
    // once, and commits, which rewrite every page their transaction touched, stay few.
    let chunk_size = batch_size.min(CHUNK);
    // Three stages overlap: a reader thread reads, hashes and claims the next chunk while this
    // thread extracts one on every core and a writer thread stores the one before. (Reading and
    // claiming on this thread left the cores idle meanwhile, a twentieth of the run.)
    let (chunk_tx, chunk_rx) = std::sync::mpsc::sync_channel::<(Vec<Document>, usize)>(1);
    let reader = {
        let url = args.db.db.clone();
        let bar = bar.clone();
        let keep_going = args.keep_going;
        std::thread::spawn(move || {
            read_chunks(&url, &inputs, &opts, chunk_size, keep_going, &bar, chunk_tx)
        })
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Prepared>, usize)>(WRITER_QUEUE);
    let writer_bar = bar.clone();
    let total = std::thread::scope(|scope| -> Result<BatchStats> {
        let writer = scope.spawn(move || -> Result<BatchStats> {
            let mut total = BatchStats::default();
            let mut next = rx.recv().ok();
            while let Some(first) = next.take() {
                let url = writer_store.url().to_string();
                let began = Instant::now();
                let mut open = writer_store
                    .begin_ingest()
                    .with_context(|| format!("cannot write to the store {url}"))?;
                let mut in_tx = 0usize;
                let mut chunk = Some(first);
                while let Some((records, n)) = chunk.take() {
                    let mut stats = open
                        .add(&records)
                        .with_context(|| format!("cannot write to the store {url}"))?;
                    stats.skipped += n - records.len();
                    total.add(&stats);
                    in_tx += n;
                    writer_bar.inc(n as u64);
                    writer_bar.set_message(format!(
                        "{} stored, {} skipped, {} events ({} merged)",
                        total.documents,
                        total.skipped,
                        total.new_events + total.merged_events,
                        total.merged_events
                    ));
                    if in_tx + chunk_size <= batch_size {
                        // The next chunk joins the transaction unless it comes too late (or
                        // the input has ended).
                        let left = COMMIT_AFTER.saturating_sub(began.elapsed());
                        chunk = rx.recv_timeout(left).ok();
                    }
                }
                open.commit()
                    .with_context(|| format!("cannot commit to the store {url}"))?;
                next = rx.recv().ok();
            }
            Ok(total)
        });
        // Owned here: returning early drops it, which ends the writer's loop.
        let tx = tx;
        for (docs, n) in chunk_rx {
            // Extracted and prepared for the store (hash, signature, JSON) in parallel.
            let records: Vec<Prepared> = docs
                .into_par_iter()
                .map(|d| Prepared::new(pipeline.process(d)))
                .collect::<Result<_, _>>()
                .with_context(|| format!("cannot prepare documents for {}", store.url()))?;
            if tx.send((records, n)).is_err() {
                // The writer has stopped: its error is the one to report.
                break;
            }
        }
        drop(tx);
        match writer.join() {
            Ok(total) => total,
            Err(_) => anyhow::bail!("the store writer thread failed"),
        }
    })?;
    // The writer stored every chunk sent, so the reader has ended (or failed).
    let Read { read, failed } = match reader.join() {
        Ok(read) => read?,
        Err(_) => anyhow::bail!("the input reader thread failed"),
    };
    if total.documents > 0 {
        store
            .optimize()
            .with_context(|| format!("cannot refresh the query statistics of {}", store.url()))?;
    }
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let counts = store.counts()?;
    eprintln!(
        "hadath: {read} documents read in {secs:.1} s ({:.0} docs/s): {} stored, {} already stored, \
         {} near-duplicates; {} new events, {} merged into events of other documents, {} mentions",
        read as f64 / secs.max(1e-9),
        total.documents,
        total.skipped,
        total.near_duplicates,
        total.new_events,
        total.merged_events,
        total.mentions
    );
    eprintln!(
        "hadath: store {}: {} documents ({} clusters), {} events, {} mentions",
        store.url(),
        counts.documents,
        counts.clusters,
        counts.events,
        counts.mentions
    );
    if failed > 0 {
        if args.keep_going {
            eprintln!("hadath: {failed} inputs skipped because of errors");
        } else {
            eprintln!("hadath: stopped at the first error; everything read before it is stored; use --keep-going to skip bad inputs");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// What the reader of `hadath ingest` got through: documents read, inputs that failed.
struct Read {
    read: usize,
    failed: usize,
}

/// Reads the inputs in chunks of `chunk_size` documents and sends on each chunk's documents
/// that the store does not hold and that this process has claimed (on its own connection),
/// with the number read. Stops at the first bad input unless `keep_going`, and when the
/// receiver is gone.
fn read_chunks(
    url: &str,
    inputs: &[hadath_read::Input],
    opts: &ReadOptions,
    chunk_size: usize,
    keep_going: bool,
    bar: &indicatif::ProgressBar,
    out: std::sync::mpsc::SyncSender<(Vec<Document>, usize)>,
) -> Result<Read> {
    let mut store = Store::open(url).with_context(|| format!("cannot open the store {url}"))?;
    let mut totals = Read { read: 0, failed: 0 };
    let mut batch: Vec<Document> = Vec::with_capacity(chunk_size);
    // Claims a chunk and sends it on; false when nobody receives any more.
    let mut send = |batch: &mut Vec<Document>| -> Result<bool> {
        if batch.is_empty() {
            return Ok(true);
        }
        let hashes: Vec<String> = batch.iter().map(|d| content_hash(&d.text)).collect();
        let todo: std::collections::HashSet<String> = store
            .claim(&hashes)
            .with_context(|| format!("cannot claim documents in {}", store.url()))?
            .into_iter()
            .collect();
        let n = batch.len();
        let docs: Vec<Document> = batch
            .drain(..)
            .zip(hashes)
            .filter(|(_, h)| todo.contains(h))
            .map(|(d, _)| d)
            .collect();
        Ok(out.send((docs, n)).is_ok())
    };
    'inputs: for input in inputs {
        for item in read_input(input, opts) {
            match item {
                Ok(doc) => {
                    totals.read += 1;
                    batch.push(doc);
                    if batch.len() >= chunk_size && !send(&mut batch)? {
                        return Ok(totals);
                    }
                }
                Err(err) => {
                    totals.failed += 1;
                    bar.suspend(|| eprintln!("hadath: error: {err}"));
                    if !keep_going {
                        break 'inputs;
                    }
                }
            }
        }
    }
    send(&mut batch)?;
    Ok(totals)
}

/// Filters shared by `query` and `export`.
#[derive(Args)]
pub struct FilterArgs {
    /// PLOVER types, comma-separated (PROTEST,ASSAULT).
    #[arg(long = "type", value_name = "TYPES")]
    types: Option<String>,
    /// PLOVER modes, comma-separated (riot,arrest).
    #[arg(long, value_name = "MODES")]
    mode: Option<String>,
    /// ISO 3166-1 alpha-2 countries of the event's place, comma-separated (KZ,EG).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// First-level admin code of the event's place.
    #[arg(long)]
    admin1: Option<String>,
    /// Actor code prefix on either side (KAZ, KAZGOV, IGOCSTO).
    #[arg(long)]
    actor: Option<String>,
    /// Actor sector on either side (PRO, GOV, COP, ...).
    #[arg(long)]
    sector: Option<String>,
    /// Language of a mention (ar, en).
    #[arg(long)]
    lang: Option<String>,
    /// Substring of a reporting source.
    #[arg(long)]
    source: Option<String>,
    /// Free-text search in the documents (Arabic and English, normalised).
    #[arg(short = 'q', long = "text", value_name = "WORDS")]
    q: Option<String>,
    /// Events on or after this date (YYYY-MM-DD, YYYY-MM, YYYY).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Events on or before this date.
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// LAT,LON: events near this point (with --radius-km, default 50).
    #[arg(long, value_name = "LAT,LON", allow_hyphen_values = true)]
    near: Option<String>,
    #[arg(long, value_name = "KM")]
    radius_km: Option<String>,
    /// Only events at least this confident (0..1).
    #[arg(long, value_name = "C")]
    min_confidence: Option<String>,
}

impl FilterArgs {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let fields: [(&'static str, &Option<String>); 14] = [
            ("type", &self.types),
            ("mode", &self.mode),
            ("country", &self.country),
            ("admin1", &self.admin1),
            ("actor", &self.actor),
            ("sector", &self.sector),
            ("lang", &self.lang),
            ("source", &self.source),
            ("q", &self.q),
            ("from", &self.since),
            ("to", &self.until),
            ("near", &self.near),
            ("radius_km", &self.radius_km),
            ("min_confidence", &self.min_confidence),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                out.push((k, v.clone()));
            }
        }
        out
    }
}

#[derive(Args)]
pub struct QueryArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    filter: FilterArgs,
    /// Output: table (for people), jsonl or csv (for programs).
    #[arg(long, default_value = "table", value_name = "FMT")]
    format: String,
    /// Events to show (at most 1000).
    #[arg(long, default_value = "20")]
    limit: String,
    #[arg(long, default_value = "0")]
    offset: String,
    /// date, -date, confidence, -confidence, n_sources, -n_sources.
    #[arg(long, default_value = "-date", allow_hyphen_values = true)]
    sort: String,
}

fn truncate(s: &str, n: usize) -> String {
    let s = s.replace(['\n', '\r', '\t'], " ");
    if s.chars().count() <= n {
        s
    } else {
        s.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}

pub fn query(args: QueryArgs) -> Result<ExitCode> {
    let mut pairs = args.filter.pairs();
    pairs.push(("limit", args.limit.clone()));
    pairs.push(("offset", args.offset.clone()));
    pairs.push(("sort", args.sort.clone()));
    let (filter, page) = Filter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))?;
    let mut store = Store::open(&args.db.db)?;
    let result = store.events(&filter, &page)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format.as_str() {
        "jsonl" => {
            for e in &result.events {
                serde_json::to_writer(&mut out, e)?;
                out.write_all(b"\n")?;
            }
        }
        "csv" => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(hadath_store::export::COLUMNS)?;
            for e in &result.events {
                w.write_record(hadath_store::export::csv_values(e))?;
            }
            w.flush()?;
        }
        "table" => {
            writeln!(
                out,
                "{:>7}  {:<10}  {:<17}  {:<10}  {:<10}  {:<16}  {:>3}  {:>4}  evidence",
                "id", "date", "type", "actor1", "actor2", "place", "src", "conf"
            )?;
            for e in &result.events {
                let typ = match &e.mode {
                    Some(m) => format!("{}/{m}", e.event_type),
                    None => e.event_type.clone(),
                };
                let place = match (&e.location, &e.country) {
                    (Some(l), Some(c)) => format!("{l}, {c}"),
                    (Some(l), None) => l.clone(),
                    (None, Some(c)) => c.clone(),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "{:>7}  {:<10}  {:<17}  {:<10}  {:<10}  {:<16}  {:>3}  {:>4.2}  {}",
                    e.id,
                    e.date.as_deref().unwrap_or("?"),
                    truncate(&typ, 17),
                    truncate(e.actor1.as_ref().map_or("", |a| a.code.as_str()), 10),
                    truncate(e.actor2.as_ref().map_or("", |a| a.code.as_str()), 10),
                    truncate(&place, 16),
                    e.n_sources,
                    e.confidence,
                    truncate(&e.summary, 70)
                )?;
            }
            writeln!(
                out,
                "{} of {} events (offset {}; --limit/--offset for more, --format jsonl for everything about them)",
                result.events.len(),
                result.total,
                result.offset
            )?;
        }
        other => bail!("unknown --format {other:?}: use table, jsonl or csv"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    filter: FilterArgs,
    /// csv (ACLED-like columns + PLOVER), jsonl (events with every mention's evidence),
    /// geojson, parquet.
    #[arg(long, default_value = "csv", value_name = "FMT")]
    to: ExportFormat,
    /// Write to FILE instead of stdout (required for parquet).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn export_cmd(args: ExportArgs) -> Result<ExitCode> {
    let pairs = args.filter.pairs();
    let (filter, _) = Filter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))?;
    let mut store = Store::open(&args.db.db)?;
    let n = match &args.output {
        Some(path) => {
            // Write next to the target and rename, so a failed export never leaves half a file.
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            let n = export(&mut store, &filter, args.to, BufWriter::new(file), None)
                .with_context(|| format!("cannot export to {}", path.display()))?;
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot move the export to {}", path.display()))?;
            n
        }
        None => {
            if args.to == ExportFormat::Parquet {
                bail!("parquet is binary: give an output file with -o FILE.parquet");
            }
            export(
                &mut store,
                &filter,
                args.to,
                BufWriter::new(std::io::stdout()),
                None,
            )?
        }
    };
    eprintln!("hadath: exported {n} events from {}", store.url());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    db: DbArg,
    /// Also check every index entry against its row (SQLite `integrity_check`; without it,
    /// `quick_check` checks the file's structure): half a minute on a million events
    #[arg(long)]
    full: bool,
}

pub fn check(args: CheckArgs) -> Result<ExitCode> {
    let mut store = Store::open(&args.db.db)?;
    let counts = store.counts()?;
    let problems = if args.full {
        store.check()?
    } else {
        store.quick_check()?
    };
    println!(
        "{}: {} documents ({} clusters), {} events, {} mentions",
        store.url(),
        counts.documents,
        counts.clusters,
        counts.events,
        counts.mentions
    );
    if problems.is_empty() {
        println!("consistent");
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            println!("problem: {p}");
        }
        Ok(ExitCode::from(1))
    }
}
