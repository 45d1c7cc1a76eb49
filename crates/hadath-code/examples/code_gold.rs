//! Codes a gold-format JSONL file (one sentence per line) and writes predictions that
//! `../shared/eval/score.py` reads. Only `id` and `text` are used.
//!
//! ```text
//! cargo run --release -p hadath-code --example code_gold -- GOLD.jsonl > PRED.jsonl
//!     [--lexicon DIR] [--min-confidence X] [--debug]
//! ```
//! Each text is one sentence; it is Arabic if it has Arabic letters, else English.

use std::io::{BufRead, Write};
use std::path::Path;

use hadath_code::{CodeOptions, Coder};
use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

/// CAMEO-style actor code: inter-governmental organisations are `IGO` + their code (`IGOUN`),
/// everything else keeps the recogniser's code (ISO3).
fn actor_json(a: &hadath_recognise::ActorMention) -> serde_json::Value {
    let code = if a.sector == Some(hadath_recognise::Sector::Igo) && a.country.is_none() {
        format!("IGO{}", a.code)
    } else {
        a.code.clone()
    };
    serde_json::json!({"code": code, "text": a.text})
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut input = None;
    let mut lexicon = None;
    let mut options = CodeOptions::default();
    let mut debug = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--lexicon" => {
                i += 1;
                lexicon = args.get(i).cloned();
            }
            "--min-confidence" => {
                i += 1;
                options.min_confidence = Some(args.get(i).ok_or("missing value")?.parse()?);
            }
            "--debug" => debug = true,
            other => input = Some(other.to_string()),
        }
        i += 1;
    }
    let input = input.ok_or("usage: code_gold GOLD.jsonl [--lexicon DIR]")?;
    let coder = match lexicon {
        Some(d) => Coder::from_dir(Path::new(&d))?,
        None => Coder::try_embedded()?,
    }
    .with_options(options);
    let actors = Actors::embedded();
    let out = std::io::stdout();
    let mut out = out.lock();
    for line in std::io::BufReader::new(std::fs::File::open(&input)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: serde_json::Value = serde_json::from_str(&line)?;
        let id = rec.get("id").cloned().unwrap_or(serde_json::Value::Null);
        let text = rec.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let lang = if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            Lang::Ar
        } else {
            Lang::En
        };
        let span = Span::new(0, text.len());
        let mentions = actors.find(text, span, lang);
        let events = coder.code_sentence(text, span, lang, &mentions);
        let events: Vec<serde_json::Value> = events
            .iter()
            .map(|e| {
                let mut v = serde_json::json!({
                    "type": e.event_type,
                    "mode": e.mode,
                    "confidence": e.confidence,
                    "actors": e.actors.iter().map(actor_json).collect::<Vec<_>>(),
                    "recipients": e.recipients.iter().map(actor_json).collect::<Vec<_>>(),
                });
                if debug {
                    v["trigger"] = serde_json::json!(e.trigger.slice(text));
                }
                v
            })
            .collect();
        writeln!(out, "{}", serde_json::json!({"id": id, "events": events}))?;
    }
    Ok(())
}
