//! Serialises records: JSON Lines (the contract), one JSON array, ACLED-like CSV, GeoJSON.
//!
//! CSV and GeoJSON hold one row/feature per event; GeoJSON leaves out events with no location.

use crate::record::{ActorOut, EventOut, Record};
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

    /// The format written.
    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// Writes a record already rendered by [`jsonl_line`] (JSON Lines only: rendering is the
    /// costly part, and it can run where the record was made, in parallel).
    pub fn write_jsonl_line(&mut self, line: &[u8]) -> Result<(), WriteError> {
        match (&mut self.sink, self.format) {
            (Sink::Raw(out), OutputFormat::Jsonl) => {
                out.write_all(line)?;
                self.count += 1;
                Ok(())
            }
            _ => Err(WriteError::Io(std::io::Error::other(
                "a rendered JSON line was given to a writer of another format",
            ))),
        }
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

/// One record as a JSON line, newline included: what [`Writer::write`] writes for JSON Lines.
pub fn jsonl_line(rec: &Record) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::with_capacity(4096);
    serde_json::to_writer(&mut out, rec)?;
    out.push(b'\n');
    Ok(out)
}

/// Stable id of the `i`-th event of a document.
fn event_id(rec: &Record, i: usize) -> String {
    format!("{}#e{}", rec.id, i + 1)
}

/// `text1; text2` or `KAZPRO; IGOCSTO`.
fn actor_list(actors: &[ActorOut], codes: bool) -> String {
    actors
        .iter()
        .map(|a| {
            if codes {
                format!(
                    "{}{}",
                    a.code.as_deref().unwrap_or(""),
                    a.sector.unwrap_or("")
                )
            } else {
                a.text.clone()
            }
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
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
        ("ASSAULT", "shell") => (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        ("ASSAULT", "suicide") => ("Explosions/Remote violence", "Suicide bomb"),
        ("ASSAULT", "chemical") | ("ASSAULT", "wmd") => {
            ("Explosions/Remote violence", "Chemical weapon")
        }
        ("ASSAULT", "sexual") => ("Violence against civilians", "Sexual violence"),
        ("ASSAULT", "beat") | ("ASSAULT", "torture") => ("Violence against civilians", "Attack"),
        ("ASSAULT", _) => ("Battles", "Armed clash"),
        ("COERCE", "arrest") => ("Strategic developments", "Arrests"),
        ("COERCE", "seize") => (
            "Strategic developments",
            "Non-violent transfer of territory",
        ),
        ("COERCE", _) => ("Strategic developments", "Other"),
        ("AGREE", _) => ("Strategic developments", "Agreement"),
        _ => ("Strategic developments", "Other"),
    }
}

fn csv_row(rec: &Record, i: usize, ev: &EventOut) -> Vec<String> {
    let mode = ev.mode.clone().unwrap_or_default();
    let (acled, sub) = acled_type(ev.event_type, &mode);
    let date = ev
        .date
        .as_ref()
        .map(|d| d.value.clone())
        .or_else(|| rec.date.clone())
        .unwrap_or_default();
    let precision = match date.len() {
        10 => "day",
        7 => "month",
        4 => "year",
        _ => "",
    };
    let loc = ev.location.as_ref();
    let fatalities = crate::QuantityOut::killed(&ev.quantities);
    let sentence: String = rec
        .text
        .as_deref()
        .map(|t| {
            t.chars()
                .skip(ev.sentence.start)
                .take(ev.sentence.end.saturating_sub(ev.sentence.start))
                .collect()
        })
        .unwrap_or_default();
    let source = if ev.reported_by.is_empty() {
        rec.source.clone().unwrap_or_default()
    } else {
        ev.reported_by
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let opt = |v: Option<String>| v.unwrap_or_default();
    vec![
        event_id(rec, i),
        date.clone(),
        date.get(..4).unwrap_or("").to_string(),
        precision.to_string(),
        acled.to_string(),
        sub.to_string(),
        actor_list(&ev.actors, false),
        actor_list(&ev.actors, true),
        actor_list(&ev.recipients, false),
        actor_list(&ev.recipients, true),
        opt(loc.and_then(|l| l.country.clone())),
        opt(loc.and_then(|l| l.admin1.clone())),
        opt(loc.map(|l| l.name.clone())),
        opt(loc.map(|l| l.lat.to_string())),
        opt(loc.map(|l| l.lon.to_string())),
        opt(loc.and_then(|l| l.precision.map(str::to_string))),
        source,
        sentence,
        fatalities.to_string(),
        ev.event_type.to_string(),
        mode,
        ev.context.join(";"),
        ev.confidence.to_string(),
        rec.id.clone(),
        ev.trigger.text.clone(),
        ev.trigger.start.to_string(),
        ev.trigger.end.to_string(),
        ev.sentence.start.to_string(),
        ev.sentence.end.to_string(),
    ]
}

fn feature(rec: &Record, i: usize, ev: &EventOut) -> Option<Value> {
    let loc = ev.location.as_ref()?;
    Some(json!({
        "type": "Feature",
        "id": event_id(rec, i),
        "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
        "properties": {
            "event_id": event_id(rec, i),
            "doc_id": rec.id,
            "type": ev.event_type,
            "mode": ev.mode,
            "confidence": ev.confidence,
            "date": ev.date.as_ref().map(|d| d.value.clone()).or_else(|| rec.date.clone()),
            "place": loc.name,
            "country": loc.country,
            "geo_precision": loc.precision,
            "actors": actor_list(&ev.actors, true),
            "recipients": actor_list(&ev.recipients, true),
            "trigger": ev.trigger.text,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn record(events: Vec<EventOut>) -> Record {
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

    fn event() -> EventOut {
        use crate::record::{PlaceOut, Range, TextSpan};
        EventOut {
            event_type: "PROTEST",
            mode: Some("demo".into()),
            context: vec![],
            confidence: 0.9,
            negated: false,
            trigger: TextSpan {
                text: "marched".into(),
                start: 7,
                end: 14,
            },
            actors: vec![ActorOut {
                text: "Crowds".into(),
                code: Some("KAZ".into()),
                org: None,
                sector: Some("PRO"),
                kind: "role",
                start: 0,
                end: 6,
            }],
            recipients: vec![],
            sentence: Range { start: 0, end: 38 },
            location: Some(PlaceOut {
                text: "Almaty".into(),
                start: 18,
                end: 24,
                name: "Almaty".into(),
                name_ar: None,
                geonameid: 1526384,
                lat: 43.25,
                lon: 76.92,
                country: Some("KZ".into()),
                admin1: Some("02".into()),
                kind: "city",
                confidence: 0.9,
                precision: Some("sentence"),
            }),
            date: None,
            date_end: None,
            quantities: vec![],
            reported_by: vec![],
            n_mentions: 1,
            mentions: vec![],
        }
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
    fn rendered_lines_are_what_the_writer_writes() {
        let recs = [record(vec![]), record(vec![event()])];
        let mut buf = Vec::new();
        let mut w = Writer::new(OutputFormat::Jsonl, &mut buf).unwrap();
        for r in &recs {
            w.write_jsonl_line(&jsonl_line(r).unwrap()).unwrap();
        }
        w.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            render(OutputFormat::Jsonl, &recs)
        );
        // Only a JSON Lines writer takes rendered lines.
        let mut other = Writer::new(OutputFormat::Csv, Vec::new()).unwrap();
        assert!(other.write_jsonl_line(b"{}\n").is_err());
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
        unplaced.location = None;
        let out = render(OutputFormat::Geojson, &[record(vec![event(), unplaced])]);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let f = v["features"].as_array().unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["geometry"]["coordinates"], json!([76.92, 43.25]));
    }
}
