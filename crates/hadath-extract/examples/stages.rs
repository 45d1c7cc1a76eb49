//! Time spent per stage on a JSON Lines corpus, single-threaded:
//! `cargo run --release -p hadath-extract --example stages -- corpus.jsonl`
//! (`scripts/bench-extract.py --keep DIR` writes such a corpus).

use hadath_model::{Document, Lang, SegmentKind, Span};
use std::time::{Duration, Instant};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stages CORPUS.jsonl");
        std::process::exit(2);
    };
    let body = match std::fs::read_to_string(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let docs: Vec<Document> = body
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| Some(Document::from_text(v["id"].as_str()?, v["text"].as_str()?)))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let seg = hadath_segment::Segmenter::new();
    let actors = hadath_recognise::Actors::embedded();
    let coder = hadath_code::Coder::embedded();
    let geo = hadath_geo::Geoparser::new(hadath_geo::Gazetteer::embedded());
    let pipeline = hadath_extract::Pipeline::new(hadath_extract::PipelineOptions::default())
        .expect("lexicons");
    let mut t = [Duration::ZERO; 6];
    for d in &docs {
        let t0 = Instant::now();
        let a = seg.analyze(d);
        t[0] += t0.elapsed();
        let sents: Vec<(Span, Lang)> = a
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Sentence && !s.noise)
            .map(|s| (s.span, s.lang))
            .collect();
        let t0 = Instant::now();
        let found: Vec<_> = sents
            .iter()
            .map(|(s, l)| actors.find(&d.text, *s, *l))
            .collect();
        t[1] += t0.elapsed();
        let t0 = Instant::now();
        for ((s, l), f) in sents.iter().zip(&found) {
            coder.code_sentence(&d.text, *s, *l, f);
        }
        t[2] += t0.elapsed();
        let t0 = Instant::now();
        geo.places(&d.text, &sents, None);
        t[3] += t0.elapsed();
        let t0 = Instant::now();
        for (s, l) in &sents {
            hadath_resolve::date::find_dates(&d.text, *s, *l, None);
            hadath_resolve::quantity::find_quantities(&d.text, *s, *l);
            hadath_resolve::source::find_attributions(&d.text, *s, *l);
        }
        t[4] += t0.elapsed();
        let t0 = Instant::now();
        let rec = pipeline.process(d.clone());
        let _ = serde_json::to_string(&rec);
        t[5] += t0.elapsed();
    }
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB of text", docs.len());
    for (name, d) in [
        "segment+langid",
        "actors",
        "coder",
        "geo",
        "resolve (all sentences)",
        "whole pipeline+json",
    ]
    .iter()
    .zip(t)
    {
        println!(
            "{name:<24} {:>7.2} s {:>8.1} MB/s",
            d.as_secs_f64(),
            mb / d.as_secs_f64()
        );
    }
}
