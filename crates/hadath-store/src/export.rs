//! Exports of the merged events: ACLED-like CSV, JSON Lines (with every mention's evidence),
//! GeoJSON (QGIS, geojson.io) and Parquet (DuckDB, pandas, R arrow).
//!
//! ACLED columns come first so that ACLED tooling reads the CSV; PLOVER and hadath columns
//! follow. Codes: `time_precision` 1 = day, 3 = month or coarser (ACLED's scale);
//! `geo_precision` 1 = the place is named in the event's sentence, 2 = in its paragraph,
//! 3 = only the document's place; `inter1`/`inter2` are ACLED interaction codes derived from
//! the actor's sector (1 state forces, 2 rebels, 3 political militias/parties, 5 rioters,
//! 6 protesters, 7 civilians, 8 external/other).

use crate::ingest::country_name;
use crate::query::{EventRow, Filter};
use crate::{Store, StoreError};
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Geojson,
    #[cfg(feature = "parquet")]
    Parquet,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<ExportFormat, String> {
        Ok(match s {
            "csv" => ExportFormat::Csv,
            "jsonl" => ExportFormat::Jsonl,
            "geojson" => ExportFormat::Geojson,
            #[cfg(feature = "parquet")]
            "parquet" => ExportFormat::Parquet,
            _ => {
                return Err(format!(
                    "unknown export format {s:?}: use csv, jsonl, geojson or parquet"
                ))
            }
        })
    }
}

/// The CSV (and Parquet) columns.
pub const COLUMNS: &[&str] = &[
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "iso3",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "plover_type",
    "mode",
    "context",
    "actor1_code",
    "actor2_code",
    "confidence",
    "n_sources",
    "n_mentions",
    "n_documents",
    "first_reported",
    "last_reported",
    "date_end",
    "lang",
];

/// ACLED interaction code of a sector.
pub fn inter_code(sector: Option<&str>, riot: bool) -> Option<u8> {
    Some(match sector? {
        "GOV" | "MIL" | "COP" | "JUD" | "LEG" => 1,
        "REB" => 2,
        "PTY" | "OPP" => 3,
        "PRO" if riot => 5,
        "PRO" => 6,
        "CVL" | "MED" | "BUS" | "LAB" | "EDU" | "REL" | "NGO" => 7,
        "IGO" => 8,
        _ => return None,
    })
}

/// One event as the values of [`COLUMNS`] (empty string = missing).
pub fn csv_values(e: &EventRow) -> Vec<String> {
    let mode = e.mode.clone().unwrap_or_default();
    let (acled, sub) = hadath_extract::acled_type(&e.event_type, &mode);
    let riot = matches!(mode.as_str(), "riot" | "vandalize");
    let inter1 = inter_code(e.actor1.as_ref().and_then(|a| a.sector.as_deref()), riot);
    let inter2 = inter_code(e.actor2.as_ref().and_then(|a| a.sector.as_deref()), riot);
    let interaction = match (inter1, inter2) {
        (Some(a), Some(b)) => format!("{}{}", a.min(b), a.max(b)),
        (Some(a), None) | (None, Some(a)) => format!("{a}0"),
        _ => String::new(),
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let actor_text = |a: &Option<crate::ActorRow>| {
        a.as_ref()
            .map(|a| a.text.clone().unwrap_or_else(|| a.code.clone()))
            .unwrap_or_default()
    };
    let date = opt(&e.date);
    let new_media = e.sources.iter().any(|s| s.contains('@'));
    vec![
        e.id.to_string(),
        date.clone(),
        date.get(..4).unwrap_or("").to_string(),
        match e.date_precision.as_deref() {
            Some("day") => "1",
            Some(_) => "3",
            None => "",
        }
        .to_string(),
        acled.to_string(),
        sub.to_string(),
        actor_text(&e.actor1),
        String::new(),
        inter1.map(|i| i.to_string()).unwrap_or_default(),
        actor_text(&e.actor2),
        String::new(),
        inter2.map(|i| i.to_string()).unwrap_or_default(),
        interaction,
        e.country
            .as_deref()
            .and_then(country_name)
            .unwrap_or_default(),
        opt(&e.iso3),
        opt(&e.admin1),
        opt(&e.location),
        num(e.lat),
        num(e.lon),
        match e.geo_precision.as_deref() {
            Some("sentence") => "1",
            Some("paragraph") => "2",
            Some(_) => "3",
            None => "",
        }
        .to_string(),
        e.sources.join("; "),
        if new_media { "New media" } else { "" }.to_string(),
        e.summary.clone(),
        e.fatalities.unwrap_or(0).to_string(),
        e.event_type.clone(),
        mode,
        e.context.join(";"),
        e.actor1
            .as_ref()
            .map(|a| a.code.clone())
            .unwrap_or_default(),
        e.actor2
            .as_ref()
            .map(|a| a.code.clone())
            .unwrap_or_default(),
        format!("{:.3}", e.confidence),
        e.n_sources.to_string(),
        e.n_mentions.to_string(),
        e.n_documents.to_string(),
        opt(&e.first_reported),
        opt(&e.last_reported),
        opt(&e.date_end),
        e.lang.clone(),
    ]
}

/// A GeoJSON Feature for an event with a place.
pub fn feature(e: &EventRow) -> Option<serde_json::Value> {
    let (lat, lon) = (e.lat?, e.lon?);
    let mut props = serde_json::to_value(e).ok()?;
    if let Some(o) = props.as_object_mut() {
        o.remove("lat");
        o.remove("lon");
    }
    Some(serde_json::json!({
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }))
}

/// Writes every event matching `filter` (at most `max` when given) to `out`; returns the
/// number written.
pub fn export<W: Write + Send>(
    store: &mut Store,
    filter: &Filter,
    format: ExportFormat,
    out: W,
    max: Option<usize>,
) -> Result<usize, StoreError> {
    let max = max.unwrap_or(usize::MAX);
    let mut n = 0usize;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS)?;
            store.for_each_event(filter, |_, e| {
                if n < max {
                    w.write_record(csv_values(&e))?;
                    n += 1;
                }
                Ok(())
            })?;
            w.flush()?;
        }
        ExportFormat::Jsonl => {
            let mut out = std::io::BufWriter::new(out);
            // Consecutive events are often told by the same documents: their records (where
            // the evidence is) are read and parsed once for all of them.
            let mut records = crate::query::RecordEvents::with_capacity(1024);
            store.for_each_event(filter, |s, e| {
                if n < max {
                    if let Some(detail) = crate::query::event(s.conn.as_mut(), e.id, &mut records)?
                    {
                        serde_json::to_writer(&mut out, &detail)?;
                        out.write_all(b"\n")?;
                        n += 1;
                    }
                }
                Ok(())
            })?;
            out.flush()?;
        }
        ExportFormat::Geojson => {
            let mut out = std::io::BufWriter::new(out);
            out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
            store.for_each_event(filter, |_, e| {
                if n < max {
                    if let Some(f) = feature(&e) {
                        if n > 0 {
                            out.write_all(b",")?;
                        }
                        out.write_all(b"\n")?;
                        serde_json::to_writer(&mut out, &f)?;
                        n += 1;
                    }
                }
                Ok(())
            })?;
            out.write_all(b"\n]}\n")?;
            out.flush()?;
        }
        #[cfg(feature = "parquet")]
        ExportFormat::Parquet => {
            n = parquet_export::write(store, filter, out, max)?;
        }
    }
    Ok(n)
}

#[cfg(feature = "parquet")]
mod parquet_export {
    use super::*;
    use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder};
    use arrow_array::{ArrayRef, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    /// Columns stored as numbers; the rest are strings.
    fn kind(col: &str) -> DataType {
        match col {
            "event_id" | "year" | "time_precision" | "inter1" | "inter2" | "geo_precision"
            | "fatalities" | "n_sources" | "n_mentions" | "n_documents" => DataType::Int64,
            "latitude" | "longitude" | "confidence" => DataType::Float64,
            _ => DataType::Utf8,
        }
    }

    fn schema() -> Arc<Schema> {
        Arc::new(Schema::new(
            COLUMNS
                .iter()
                .map(|c| Field::new(*c, kind(c), true))
                .collect::<Vec<_>>(),
        ))
    }

    fn batch(rows: &[Vec<String>], schema: &Arc<Schema>) -> Result<RecordBatch, StoreError> {
        let mut cols: Vec<ArrayRef> = Vec::with_capacity(COLUMNS.len());
        for (i, c) in COLUMNS.iter().enumerate() {
            let cell = |r: &Vec<String>| r.get(i).cloned().unwrap_or_default();
            match kind(c) {
                DataType::Int64 => {
                    let mut b = Int64Builder::with_capacity(rows.len());
                    for r in rows {
                        b.append_option(cell(r).parse::<i64>().ok());
                    }
                    cols.push(Arc::new(b.finish()));
                }
                DataType::Float64 => {
                    let mut b = Float64Builder::with_capacity(rows.len());
                    for r in rows {
                        b.append_option(cell(r).parse::<f64>().ok());
                    }
                    cols.push(Arc::new(b.finish()));
                }
                _ => {
                    let mut b = StringBuilder::new();
                    for r in rows {
                        let v = cell(r);
                        if v.is_empty() {
                            b.append_null();
                        } else {
                            b.append_value(v);
                        }
                    }
                    cols.push(Arc::new(b.finish()));
                }
            }
        }
        RecordBatch::try_new(schema.clone(), cols).map_err(|e| StoreError::Parquet(e.to_string()))
    }

    pub fn write<W: Write + Send>(
        store: &mut Store,
        filter: &Filter,
        out: W,
        max: usize,
    ) -> Result<usize, StoreError> {
        let schema = schema();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
            .build();
        let perr = |e: parquet::errors::ParquetError| StoreError::Parquet(e.to_string());
        let mut writer =
            parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(perr)?;
        let mut rows: Vec<Vec<String>> = Vec::with_capacity(8192);
        let mut n = 0usize;
        store.for_each_event(filter, |_, e| {
            if n < max {
                rows.push(csv_values(&e));
                n += 1;
                if rows.len() == 8192 {
                    writer.write(&batch(&rows, &schema)?).map_err(perr)?;
                    rows.clear();
                }
            }
            Ok(())
        })?;
        if !rows.is_empty() {
            writer.write(&batch(&rows, &schema)?).map_err(perr)?;
        }
        writer.close().map_err(perr)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inter_codes() {
        assert_eq!(inter_code(Some("COP"), false), Some(1));
        assert_eq!(inter_code(Some("PRO"), true), Some(5));
        assert_eq!(inter_code(Some("PRO"), false), Some(6));
        assert_eq!(inter_code(None, false), None);
    }

    #[test]
    fn formats_parse() {
        assert_eq!("csv".parse::<ExportFormat>(), Ok(ExportFormat::Csv));
        assert!("xlsx".parse::<ExportFormat>().is_err());
    }
}
