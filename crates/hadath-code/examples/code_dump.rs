//! Dumps `Coder::code_sentence` output (Debug of every mention) for gold-format JSONL files,
//! to compare two builds of the coder for identical results.
//!
//! ```text
//! cargo run --release -p hadath-code --example code_dump -- A.jsonl [B.jsonl ...] > dump.txt
//! ```
//! Each line's `text` is one sentence; Arabic if it has Arabic letters, else English. Every
//! sentence is coded twice: with the default options and with every candidate kept
//! (`min_confidence` 0, negated events included), so the rules' full output is compared.

use std::io::{BufRead, Write};

use hadath_code::{CodeOptions, Coder};
use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let default = Coder::try_embedded()?;
    let all = Coder::try_embedded()?.with_options(CodeOptions {
        min_confidence: Some(0.0),
        include_negated: true,
    });
    let actors = Actors::embedded();
    let out = std::io::stdout();
    let mut out = out.lock();
    for path in std::env::args().skip(1) {
        for (n, line) in std::io::BufReader::new(std::fs::File::open(&path)?)
            .lines()
            .enumerate()
        {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: serde_json::Value = serde_json::from_str(&line)?;
            let text = rec.get("text").and_then(|t| t.as_str()).unwrap_or("");
            let lang = if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                Lang::Ar
            } else {
                Lang::En
            };
            let span = Span::new(0, text.len());
            let mentions = actors.find(text, span, lang);
            writeln!(out, "{path}:{n}")?;
            for coder in [&default, &all] {
                for e in coder.code_sentence(text, span, lang, &mentions) {
                    writeln!(out, "  {e:?}")?;
                }
                writeln!(out, "  --")?;
            }
        }
    }
    Ok(())
}
