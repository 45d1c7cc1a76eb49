//! Runs the geoparser over a gold JSONL file (`id`, `text`) and writes one prediction line per
//! document with `places: [{start, end, lat, lon, ...}]` in code points, as
//! `shared/eval/score.py` reads them.
//!
//! `cargo run --release -p hadath-geo --example geo_gold -- GOLD.jsonl > PRED.jsonl`

use hadath_geo::{Gazetteer, Geoparser};
use hadath_model::{CharIndex, Lang, Span};
use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: geo_gold GOLD.jsonl > PRED.jsonl")?;
    let t0 = std::time::Instant::now();
    let gaz = Gazetteer::embedded();
    eprintln!(
        "gazetteer: {} places, {} keys, loaded in {:?}",
        gaz.len(),
        gaz.name_count(),
        t0.elapsed()
    );
    let gp = Geoparser::new(gaz);
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut bytes = 0usize;
    let t1 = std::time::Instant::now();
    for line in std::io::BufReader::new(std::fs::File::open(&path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: serde_json::Value = serde_json::from_str(&line)?;
        let id = rec.get("id").cloned().unwrap_or(serde_json::Value::Null);
        let text = rec.get("text").and_then(|t| t.as_str()).unwrap_or("");
        bytes += text.len();
        let found = gp.places(text, &[(Span::new(0, text.len()), Lang::En)], None);
        let idx = CharIndex::new(text);
        let places: Vec<serde_json::Value> = found
            .iter()
            .map(|m| {
                let (s, e) = idx.span(m.span);
                serde_json::json!({"text": m.text, "start": s, "end": e, "name": m.place.name,
                    "geonameid": m.place.geonameid, "lat": m.place.lat, "lon": m.place.lon,
                    "country": m.place.country, "kind": m.place.kind, "confidence": m.confidence})
            })
            .collect();
        writeln!(out, "{}", serde_json::json!({"id": id, "places": places}))?;
    }
    let secs = t1.elapsed().as_secs_f64();
    eprintln!(
        "{bytes} bytes in {secs:.3} s = {:.1} MB/s",
        bytes as f64 / secs / 1e6
    );
    Ok(())
}
