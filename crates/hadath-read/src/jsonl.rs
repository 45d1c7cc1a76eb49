//! JSON Lines: one JSON object per line, streamed with a bounded line reader. A file
//! holding one JSON array of such objects is read whole instead.

use std::io::BufRead;

use hadath_model::{Document, Format};
use serde_json::{Map, Value};

use crate::error::Location;
use crate::source::{decode_lossy, read_line_bounded, read_whole, LineRead};
use crate::ReadError;

/// Streams the records of a JSON Lines input.
pub(crate) struct JsonlIter {
    name: String,
    reader: Box<dyn BufRead>,
    limit: usize,
    line: usize,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlIter {
    pub(crate) fn new(name: String, reader: Box<dyn BufRead>, limit: usize) -> JsonlIter {
        JsonlIter {
            name,
            reader,
            limit,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for JsonlIter {
    type Item = Result<Document, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line += 1;
            let read = read_line_bounded(&mut *self.reader, &mut self.buf, self.limit);
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadError::from_io(&self.name, e)));
                }
                Ok(LineRead::Eof) => self.done = true,
                Ok(LineRead::TooLong(_)) => {
                    return Some(Err(ReadError::TooLarge {
                        input: self.name.clone(),
                        at: Location::Line(self.line),
                        limit: self.limit,
                    }))
                }
                Ok(LineRead::Line) => {
                    let bytes = std::mem::take(&mut self.buf);
                    let (line, warning) = decode_lossy(bytes);
                    if line.trim().is_empty() {
                        continue;
                    }
                    let id = format!("{}#{}", self.name, self.line);
                    let parsed = serde_json::from_str::<Value>(&line).map_err(|e| e.to_string());
                    return Some(record(&self.name, self.line, parsed, id).map(|mut d| {
                        d.warnings.extend(warning);
                        d
                    }));
                }
            }
        }
        None
    }
}

/// Reads a file holding one JSON array of record objects.
pub(crate) fn read_array(
    name: &str,
    reader: &mut dyn BufRead,
    limit: usize,
) -> Vec<Result<Document, ReadError>> {
    let bytes = match read_whole(name, reader, limit) {
        Ok(b) => b,
        Err(e) => return vec![Err(e)],
    };
    let (text, warning) = decode_lossy(bytes);
    let items = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            return vec![Err(ReadError::Json {
                input: name.to_string(),
                line: 1,
                reason: "the file starts with `[` but is not a JSON array".to_string(),
            })]
        }
        Err(e) => {
            return vec![Err(ReadError::Json {
                input: name.to_string(),
                line: e.line(),
                reason: e.to_string(),
            })]
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            record(name, i + 1, Ok(v), format!("{name}#{}", i + 1)).map(|mut d| {
                d.warnings.extend(warning.clone());
                d
            })
        })
        .collect()
}

/// Turns one parsed record (line `line`, or array item `line`) into a document.
fn record(
    name: &str,
    line: usize,
    parsed: Result<Value, String>,
    fallback_id: String,
) -> Result<Document, ReadError> {
    let obj = match parsed {
        Ok(Value::Object(o)) => o,
        Ok(other) => {
            return Err(ReadError::Json {
                input: name.to_string(),
                line,
                reason: format!("found {}", kind(&other)),
            })
        }
        Err(reason) => {
            return Err(ReadError::Json {
                input: name.to_string(),
                line,
                reason,
            })
        }
    };
    let mut meta = Map::new();
    let mut doc = Document::from_text(fallback_id.clone(), String::new());
    doc.format = Format::Jsonl;
    doc.origin = fallback_id;
    let mut has_text = false;
    for (k, v) in obj {
        match (k.as_str(), v) {
            ("text", Value::String(s)) if !s.trim().is_empty() => {
                doc.text = s;
                has_text = true;
            }
            ("id", Value::String(s)) if !s.is_empty() => doc.id = s,
            ("id", Value::Number(n)) => doc.id = n.to_string(),
            ("date" | "published", Value::String(s)) => match crate::text::parse_date(&s) {
                Some(d) if doc.published.is_none() => doc.published = Some(d),
                Some(_) => {
                    meta.insert(k, Value::String(s));
                }
                None => {
                    doc.warnings.push(format!(
                        "{k} {s:?} is not YYYY, YYYY-MM, YYYY-MM-DD or an ISO timestamp; \
                         kept in meta, publication date left empty"
                    ));
                    meta.insert(k, Value::String(s));
                }
            },
            ("date" | "published", Value::Number(n))
                if doc.published.is_none()
                    && n.as_u64().is_some_and(|y| (1..=9999).contains(&y)) =>
            {
                doc.published = n
                    .as_u64()
                    .and_then(|y| i32::try_from(y).ok())
                    .map(hadath_model::PartialDate::year);
            }
            ("title", Value::String(s)) => doc.title = Some(s),
            ("url", Value::String(s)) => doc.url = Some(s),
            ("source", Value::String(s)) => doc.source = Some(s),
            (_, v) => {
                meta.insert(k, v);
            }
        }
    }
    if !has_text {
        return Err(ReadError::MissingText {
            input: name.to_string(),
            line,
        });
    }
    doc.meta = meta;
    Ok(doc)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Vec<Result<Document, ReadError>> {
        JsonlIter::new(
            "t.jsonl".into(),
            Box::new(std::io::Cursor::new(s.to_string())),
            1024,
        )
        .collect()
    }

    #[test]
    fn fields_and_meta() {
        let docs = read(
            "{\"id\":7,\"text\":\"قصف\",\"date\":\"2022-01\",\"title\":\"T\",\"lang\":\"ar\"}\n\n{\"text\":\"b\"}\n",
        );
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.id, "7");
        assert_eq!(a.published.unwrap().to_string(), "2022-01");
        assert_eq!(a.meta["lang"], "ar");
        assert_eq!(a.origin, "t.jsonl#1");
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.id, "t.jsonl#3");
    }

    #[test]
    fn per_record_errors() {
        let docs = read("{\"id\":\"x\"}\nnot json\n[1]\n{\"text\":\"ok\",\"date\":\"soon\"}\n");
        assert!(matches!(
            docs[0],
            Err(ReadError::MissingText { line: 1, .. })
        ));
        assert!(matches!(docs[1], Err(ReadError::Json { line: 2, .. })));
        assert!(matches!(docs[2], Err(ReadError::Json { line: 3, .. })));
        let d = docs[3].as_ref().unwrap();
        assert!(d.published.is_none());
        assert_eq!(d.warnings.len(), 1);
        assert_eq!(d.meta["date"], "soon");
    }
}
