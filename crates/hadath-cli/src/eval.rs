//! `hadath eval`.

use anyhow::{bail, Context, Result};
use clap::Args;
use hadath_extract::eval::{Evaluation, GoldItem};
use hadath_extract::{OutputFormat, Pipeline, PipelineOptions, Writer};
use hadath_model::{Document, Format, PartialDate};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalArgs {
    /// Gold file: JSON Lines of {"id", "date", "text", "gold": {"task", ...}}.
    #[arg(value_name = "GOLD")]
    gold: PathBuf,
    /// How many of the worst misses to list.
    #[arg(long, default_value_t = 15, value_name = "N")]
    worst: usize,
    /// Also write the predictions (extract records, without text) to FILE.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Event lexicon directory, as for `hadath extract --lexicon`.
    #[arg(long, value_name = "DIR")]
    lexicon: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let file = std::fs::File::open(&args.gold)
        .with_context(|| format!("cannot open gold file {}", args.gold.display()))?;
    let mut items = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", args.gold.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let item: GoldItem = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: not a gold line ({{\"id\", \"text\", \"gold\": {{\"task\", …}}}})",
                args.gold.display(),
                n + 1
            )
        })?;
        items.push(item);
    }
    if items.is_empty() {
        bail!("{} holds no gold lines", args.gold.display());
    }
    let pipeline = Pipeline::new(PipelineOptions {
        no_text: true,
        lexicon: args.lexicon.clone(),
        ..PipelineOptions::default()
    })?;
    // Extraction sees only id, text and date, as score.py's protocol says.
    let records: Vec<_> = items
        .par_iter()
        .map(|g| {
            let mut doc = Document::from_text(g.id_string(), g.text.clone());
            doc.format = Format::Jsonl;
            doc.published = g.date.as_deref().and_then(PartialDate::parse);
            pipeline.process(doc)
        })
        .collect();
    if let Some(path) = &args.output {
        let f = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let mut w = Writer::new(OutputFormat::Jsonl, BufWriter::new(f))?;
        for r in &records {
            w.write(r)?;
        }
        w.finish()?;
    }
    let mut eval = Evaluation::new();
    for (g, r) in items.iter().zip(&records) {
        eval.add(g, r);
    }
    print!("{}", eval.report(args.worst));
    println!("{}", eval.summary(0));
    Ok(ExitCode::SUCCESS)
}
