//! Serialises records: JSON Lines (the contract), one JSON array, ACLED-like CSV, GeoJSON.
//!
//! CSV and GeoJSON hold one row/feature per event; GeoJSON leaves out events with no location.

use crate::record::Record;
use serde_json::{json, Value};
use std::io::Write;

/// Output format of `hadath extract --to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Jsonl,
    Json,
    Csv,
    Geojson,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" => Ok(OutputFormat::Jsonl),
            "json" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            "geojson" => Ok(OutputFormat::Geojson),
            other => Err(format!(
                "unknown output format {other:?}: use jsonl, json, csv or geojson"
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write CSV output: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot serialise a record to JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The CSV header: ACLED-like columns first, then PLOVER and evidence columns.
pub const CSV_COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_code",
    "actor2",
    "actor2_code",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "plover_type",
    "mode",
    "context",
    "confidence",
    "doc_id",
    "trigger",
    "trigger_start",
    "trigger_end",
    "sentence_start",
    "sentence_end",
];

/// Writes records in one format to a sink. Call [`Writer::finish`] at the end.
pub struct Writer<W: Write> {
    format: OutputFormat,
    sink: Sink<W>,
    count: usize,
}

enum Sink<W: Write> {
    Raw(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Writer<W> {
    pub fn new(format: OutputFormat, mut out: W) -> Result<Writer<W>, WriteError> {
        let sink = match format {
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(CSV_COLUMNS)?;
                Sink::Csv(Box::new(w))
            }
            OutputFormat::Json => {
                out.write_all(b"[\n")?;
                Sink::Raw(out)
            }
            OutputFormat::Geojson => {
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                Sink::Raw(out)
            }
            OutputFormat::Jsonl => Sink::Raw(out),
        };
        Ok(Writer {
            format,
            sink,
            count: 0,
        })
    }

    /// Writes one record (CSV and GeoJSON: one row or feature per event).
    pub fn write(&mut self, rec: &Record) -> Result<(), WriteError> {
        match (&mut self.sink, self.format) {
            (Sink::Csv(w), _) => {
                for (i, ev) in rec.events.iter().enumerate() {
                    w.write_record(csv_row(rec, i, ev))?;
                    self.count += 1;
                }
            }
            (Sink::Raw(out), OutputFormat::Jsonl) => {
                serde_json::to_writer(&mut *out, rec)?;
                out.write_all(b"\n")?;
                self.count += 1;
            }
            (Sink::Raw(out), OutputFormat::Json) => {
                if self.count > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, rec)?;
                self.count += 1;
            }
            (Sink::Raw(out), _) => {
                for (i, ev) in rec.events.iter().enumerate() {
                    if let Some(feature) = feature(rec, i, ev) {
                        if self.count > 0 {
                            out.write_all(b",\n")?;
                        }
                        serde_json::to_writer(&mut *out, &feature)?;
                        self.count += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Closes open arrays and flushes.
    pub fn finish(self) -> Result<(), WriteError> {
        match self.sink {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Raw(mut out) => {
                match self.format {
                    OutputFormat::Json => out.write_all(b"\n]\n")?,
                    OutputFormat::Geojson => out.write_all(b"\n]}\n")?,
                    _ => {}
                }
                out.flush()?;
            }
        }
        Ok(())
    }
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Stable id of the `i`-th event of a document.
fn event_id(rec: &Record, i: usize) -> String {
    format!("{}#e{}", rec.id, i + 1)
}

fn actor_list(ev: &Value, key: &str, field: &str) -> String {
    ev.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| {
                    let code = text_of(x.get("code"));
                    let sector = text_of(x.get("sector"));
                    match field {
                        "code" => format!("{code}{sector}"),
                        _ => text_of(x.get("text")),
                    }
                })
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// PLOVER type and mode → ACLED event type and sub-event type (see README).
pub fn acled_type(plover: &str, mode: &str) -> (&'static str, &'static str) {
    match (plover, mode) {
        ("PROTEST", "riot") | ("PROTEST", "vandalize") => ("Riots", "Violent demonstration"),
        ("PROTEST", _) => ("Protests", "Peaceful protest"),
        ("ASSAULT", "aerial") => ("Explosions/Remote violence", "Air/drone strike"),
        ("ASSAULT", "explosive") => (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        ("ASSAULT", "abduct") => (
            "Violence against civilians",
            "Abduction/forced disappearance",
        ),
        ("ASSAULT", "destroy") => ("Strategic developments", "Looting/property destruction"),
        ("ASSAULT", _) => ("Battles", "Armed clash"),
        ("COERCE", "arrest") => ("Strategic developments", "Arrests"),
        ("COERCE", "seize") => (
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        ("COERCE", _) => ("Strategic developments", "Other"),
        ("AGREE", _) => ("Strategic developments", "Agreement"),
        ("MOBILIZE", _) => ("Strategic developments", "Disrupted weapons use"),
        ("RETREAT", _) => ("Strategic developments", "Headquarters or base established"),
        _ => ("Strategic developments", "Other"),
    }
}

fn csv_row(rec: &Record, i: usize, ev: &Value) -> Vec<String> {
    let plover = text_of(ev.get("type"));
    let mode = text_of(ev.get("mode"));
    let (acled, sub) = acled_type(&plover, &mode);
    let date = get(ev, &["date", "value"])
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| rec.date.clone())
        .unwrap_or_default();
    let precision = get(ev, &["date", "precision"])
        .map(|v| text_of(Some(v)))
        .unwrap_or_else(|| match date.len() {
            10 => "day".into(),
            7 => "month".into(),
            4 => "year".into(),
            _ => String::new(),
        });
    let loc = ev.get("location").filter(|v| !v.is_null());
    let fatalities: u64 = ev
        .get("quantities")
        .and_then(Value::as_array)
        .map(|qs| {
            qs.iter()
                .filter(|q| q.get("role").and_then(Value::as_str) == Some("killed"))
                .filter_map(|q| q.get("value").and_then(Value::as_u64))
                .sum()
        })
        .unwrap_or(0);
    let sentence = match (
        get(ev, &["sentence", "start"]).and_then(Value::as_u64),
        get(ev, &["sentence", "end"]).and_then(Value::as_u64),
        rec.text.as_deref(),
    ) {
        (Some(s), Some(e), Some(t)) => t
            .chars()
            .skip(s as usize)
            .take(e.saturating_sub(s) as usize)
            .collect(),
        _ => String::new(),
    };
    let reported: Vec<String> = ev
        .get("reported_by")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|r| text_of(r.get("text"))).collect())
        .unwrap_or_default();
    let source = if reported.is_empty() {
        rec.source.clone().unwrap_or_default()
    } else {
        reported.join("; ")
    };
    let context = ev
        .get("context")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| text_of(Some(c)))
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default();
    vec![
        event_id(rec, i),
        date.clone(),
        date.get(..4).unwrap_or("").to_string(),
        precision,
        acled.to_string(),
        sub.to_string(),
        actor_list(ev, "actors", "text"),
        actor_list(ev, "actors", "code"),
        actor_list(ev, "recipients", "text"),
        actor_list(ev, "recipients", "code"),
        text_of(loc.and_then(|l| l.get("country"))),
        text_of(loc.and_then(|l| l.get("admin1"))),
        text_of(loc.and_then(|l| l.get("name"))),
        text_of(loc.and_then(|l| l.get("lat"))),
        text_of(loc.and_then(|l| l.get("lon"))),
        text_of(loc.and_then(|l| l.get("precision"))),
        source,
        sentence,
        fatalities.to_string(),
        plover,
        mode,
        context,
        text_of(ev.get("confidence")),
        rec.id.clone(),
        text_of(get(ev, &["trigger", "text"])),
        text_of(get(ev, &["trigger", "start"])),
        text_of(get(ev, &["trigger", "end"])),
        text_of(get(ev, &["sentence", "start"])),
        text_of(get(ev, &["sentence", "end"])),
    ]
}

fn feature(rec: &Record, i: usize, ev: &Value) -> Option<Value> {
    let loc = ev.get("location").filter(|v| !v.is_null())?;
    let lat = loc.get("lat")?.as_f64()?;
    let lon = loc.get("lon")?.as_f64()?;
    Some(json!({
        "type": "Feature",
        "id": event_id(rec, i),
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "event_id": event_id(rec, i),
            "doc_id": rec.id,
            "type": ev.get("type"),
            "mode": ev.get("mode"),
            "confidence": ev.get("confidence"),
            "date": get(ev, &["date", "value"]).cloned().or_else(|| rec.date.clone().map(Value::from)),
            "place": loc.get("name"),
            "country": loc.get("country"),
            "geo_precision": loc.get("precision"),
            "actors": actor_list(ev, "actors", "code"),
            "recipients": actor_list(ev, "recipients", "code"),
            "trigger": get(ev, &["trigger", "text"]),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn record(events: Vec<Value>) -> Record {
        Record {
            id: "doc-1".into(),
            date: Some("2022-01-05".into()),
            anchor_date: Some("2022-01-05".into()),
            lang: "en".into(),
            languages: Map::new(),
            text: Some("Crowds marched in Almaty, police said.".into()),
            title: None,
            url: None,
            source: Some("Example Wire".into()),
            format: "text".into(),
            segments: vec![],
            posts: vec![],
            links: vec![],
            places: vec![],
            events,
            warnings: vec![],
            meta: Map::new(),
        }
    }

    fn event() -> Value {
        json!({"type": "PROTEST", "mode": "demo", "confidence": 0.9,
               "trigger": {"text": "marched", "start": 7, "end": 14},
               "actors": [{"text": "Crowds", "code": "KAZ", "sector": "PRO", "start": 0, "end": 6}],
               "recipients": [],
               "sentence": {"start": 0, "end": 38},
               "location": {"name": "Almaty", "lat": 43.25, "lon": 76.92, "country": "KZ",
                            "admin1": "02", "precision": "sentence"}})
    }

    fn render(format: OutputFormat, recs: &[Record]) -> String {
        let mut buf = Vec::new();
        let mut w = Writer::new(format, &mut buf).unwrap();
        for r in recs {
            w.write(r).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let out = render(
            OutputFormat::Jsonl,
            &[record(vec![]), record(vec![event()])],
        );
        let lines: Vec<_> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        for l in lines {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["id"], "doc-1");
        }
    }

    #[test]
    fn json_is_an_array() {
        let out = render(OutputFormat::Json, &[record(vec![]), record(vec![])]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(2));
        let empty: Value = serde_json::from_str(&render(OutputFormat::Json, &[])).unwrap();
        assert_eq!(empty, json!([]));
    }

    #[test]
    fn csv_has_header_and_one_row_per_event() {
        let out = render(OutputFormat::Csv, &[record(vec![event(), event()])]);
        let mut rd = csv::Reader::from_reader(out.as_bytes());
        let header = rd.headers().unwrap().clone();
        assert_eq!(header.len(), CSV_COLUMNS.len());
        let rows: Vec<_> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][col("event_type")], "Protests");
        assert_eq!(&rows[0][col("actor1_code")], "KAZPRO");
        assert_eq!(
            &rows[0][col("notes")],
            "Crowds marched in Almaty, police said."
        );
        assert_eq!(&rows[0][col("latitude")], "43.25");
        assert_eq!(&rows[1][col("event_id")], "doc-1#e2");
        assert_eq!(&rows[0][col("source")], "Example Wire");
    }

    #[test]
    fn csv_without_events_still_has_header() {
        let out = render(OutputFormat::Csv, &[record(vec![])]);
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn geojson_skips_events_without_location() {
        let mut unplaced = event();
        unplaced["location"] = Value::Null;
        let out = render(OutputFormat::Geojson, &[record(vec![event(), unplaced])]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let f = v["features"].as_array().unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["geometry"]["coordinates"], json!([76.92, 43.25]));
    }
}
