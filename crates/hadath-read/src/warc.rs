//! WARC files (`.warc`, `.warc.gz`, `.warc.zst`): each `response` record holding an HTTP
//! 200 `text/html` page becomes a document through the HTML reader.
//!
//! Records are framed here, one at a time with bounded memory (the `warc` crate's own
//! reader would buffer a malformed record whole); each header block is parsed with
//! [`warc::parser::headers`]. After a malformed record the reader reports it, looks for
//! the next `WARC/1.` line and goes on. Records are numbered from 1, counting every
//! record (warcinfo and request records included).

use std::io::{self, BufRead, Read};

use hadath_model::{Document, Format};
use serde_json::Value;

use crate::error::Location;
use crate::html::{self, HtmlSource};
use crate::source::{decode_lossy, read_line_bounded, LineRead};
use crate::ReadError;

const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADER_LINES: usize = 1024;
/// How much of a record body is read to find the HTTP status and headers.
const HTTP_HEAD: usize = 64 * 1024;

pub(crate) struct WarcIter {
    name: String,
    reader: Box<dyn BufRead>,
    limit: usize,
    record: usize,
    /// A version line met while skipping a malformed record.
    pending: Option<Vec<u8>>,
    done: bool,
    line: Vec<u8>,
}

enum Step {
    End,
    Skip,
    Doc(Box<Document>),
    /// An error; `true` when reading cannot go on.
    Err(Box<ReadError>, bool),
}

impl WarcIter {
    pub(crate) fn new(name: String, reader: Box<dyn BufRead>, limit: usize) -> WarcIter {
        WarcIter {
            name,
            reader,
            limit,
            record: 0,
            pending: None,
            done: false,
            line: Vec::new(),
        }
    }

    fn malformed(&self, reason: impl Into<String>) -> ReadError {
        ReadError::Warc {
            input: self.name.clone(),
            record: self.record,
            reason: reason.into(),
        }
    }

    fn io(&self, e: io::Error) -> Step {
        Step::Err(Box::new(ReadError::from_io(&self.name, e)), true)
    }

    /// Reports `reason` for the current record and skips to the next version line.
    fn resync(&mut self, reason: impl Into<String>) -> Step {
        let err = self.malformed(reason);
        loop {
            match read_line_bounded(&mut *self.reader, &mut self.line, MAX_HEADER_LINE) {
                Err(e) => return self.io(e),
                Ok(LineRead::Eof) => return Step::Err(Box::new(err), true),
                Ok(LineRead::TooLong(_)) => {}
                Ok(LineRead::Line) => {
                    if is_version_line(&self.line) {
                        self.pending = Some(std::mem::take(&mut self.line));
                        return Step::Err(Box::new(err), false);
                    }
                }
            }
        }
    }

    fn discard(&mut self, n: u64) -> io::Result<u64> {
        io::copy(&mut Read::take(&mut *self.reader, n), &mut io::sink())
    }

    /// Reads exactly `n` more bytes onto `buf`; `Ok(false)` when the input ends first.
    fn read_n(&mut self, buf: &mut Vec<u8>, n: usize) -> io::Result<bool> {
        let got = Read::take(&mut *self.reader, n as u64).read_to_end(buf)?;
        Ok(got == n)
    }

    fn step(&mut self) -> Step {
        // 1. The version line (blank lines between records are skipped).
        let version = match self.pending.take() {
            Some(l) => l,
            None => loop {
                match read_line_bounded(&mut *self.reader, &mut self.line, MAX_HEADER_LINE) {
                    Err(e) => return self.io(e),
                    Ok(LineRead::Eof) => return Step::End,
                    Ok(LineRead::TooLong(_)) => {
                        self.record += 1;
                        return self
                            .resync("a line of more than 64 KB where a record should start");
                    }
                    Ok(LineRead::Line) if self.line.iter().all(u8::is_ascii_whitespace) => {}
                    Ok(LineRead::Line) => break std::mem::take(&mut self.line),
                }
            },
        };
        self.record += 1;
        if !version.starts_with(b"WARC/") {
            let preview: String = String::from_utf8_lossy(&version).chars().take(40).collect();
            return self.resync(format!(
                "expected a `WARC/1.x` version line, found {preview:?}"
            ));
        }

        // 2. The header block, up to its blank line.
        let mut block = version;
        block.extend_from_slice(b"\r\n");
        let mut lines = 0;
        loop {
            match read_line_bounded(&mut *self.reader, &mut self.line, MAX_HEADER_LINE) {
                Err(e) => return self.io(e),
                Ok(LineRead::Eof) => {
                    return Step::Err(
                        Box::new(self.malformed("the input ends inside the record's header")),
                        true,
                    )
                }
                Ok(LineRead::TooLong(_)) => return self.resync("a header line longer than 64 KB"),
                Ok(LineRead::Line) if self.line.is_empty() => break,
                Ok(LineRead::Line) => {
                    lines += 1;
                    if lines > MAX_HEADER_LINES {
                        return self.resync("more than 1024 header lines");
                    }
                    block.extend_from_slice(&self.line);
                    block.extend_from_slice(b"\r\n");
                }
            }
        }
        block.extend_from_slice(b"\r\n");
        let headers = match warc::parser::headers(&block) {
            Ok((_, (_, headers, _))) => headers,
            Err(_) => return self.resync("unreadable header block (expected `Name: value` lines)"),
        };
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).trim().to_string())
        };
        let Some(len) = get("Content-Length").and_then(|v| v.parse::<u64>().ok()) else {
            return self.resync("missing or non-numeric Content-Length header");
        };
        let wtype = get("WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let target = get("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty());
        let warc_date = get("WARC-Date");

        // 3. The body: only HTTP 200 HTML responses are kept.
        if wtype != "response" {
            return match self.discard(len) {
                Err(e) => self.io(e),
                Ok(got) if got < len => Step::Err(Box::new(self.truncated(len, got)), true),
                Ok(_) => Step::Skip,
            };
        }
        let head_len = len.min(HTTP_HEAD as u64) as usize;
        let mut body = Vec::with_capacity(head_len);
        match self.read_n(&mut body, head_len) {
            Err(e) => return self.io(e),
            Ok(false) => return Step::Err(Box::new(self.truncated(len, body.len() as u64)), true),
            Ok(true) => {}
        }
        let rest = len - head_len as u64;
        let http = parse_http(&body);
        let keep = http
            .as_ref()
            .is_some_and(|h| h.status == 200 && h.is_html(&body));
        if !keep || len > self.limit as u64 {
            match self.discard(rest) {
                Err(e) => return self.io(e),
                Ok(got) if got < rest => {
                    return Step::Err(Box::new(self.truncated(len, head_len as u64 + got)), true)
                }
                Ok(_) => {}
            }
            return match (http, keep) {
                (None, _) => Step::Err(
                    Box::new(self.malformed(
                        "response record without a readable HTTP status line and headers",
                    )),
                    false,
                ),
                (Some(_), false) => Step::Skip,
                (Some(_), true) => Step::Err(
                    Box::new(ReadError::TooLarge {
                        input: self.name.clone(),
                        at: Location::Record(self.record),
                        limit: self.limit,
                    }),
                    false,
                ),
            };
        }
        match self.read_n(&mut body, rest as usize) {
            Err(e) => return self.io(e),
            Ok(false) => return Step::Err(Box::new(self.truncated(len, body.len() as u64)), true),
            Ok(true) => {}
        }
        let Some(http) = http else {
            return Step::Skip;
        };
        match self.document(&http, body, target, warc_date) {
            Ok(d) => Step::Doc(Box::new(d)),
            Err(e) => Step::Err(Box::new(e), false),
        }
    }

    fn truncated(&self, want: u64, got: u64) -> ReadError {
        self.malformed(format!(
            "truncated: Content-Length says {want} bytes but only {got} remain"
        ))
    }

    fn document(
        &self,
        http: &Http,
        body: Vec<u8>,
        target: Option<String>,
        warc_date: Option<String>,
    ) -> Result<Document, ReadError> {
        let mut warnings = Vec::new();
        let mut payload = body.get(http.body_offset..).unwrap_or(&[]).to_vec();
        if http.chunked {
            match dechunk(&payload) {
                Some(p) => payload = p,
                None => warnings.push(
                    "HTTP body says chunked but the chunks are malformed; read as is".to_string(),
                ),
            }
        }
        match http.encoding.as_deref() {
            None | Some("identity") | Some("") => {}
            Some(enc @ ("gzip" | "x-gzip" | "deflate")) => {
                let mut out = Vec::new();
                let cap = self.limit as u64 + 1;
                let res = if enc == "deflate" {
                    // HTTP "deflate" is zlib-wrapped, but some servers send raw deflate.
                    Read::take(flate2::read::ZlibDecoder::new(payload.as_slice()), cap)
                        .read_to_end(&mut out)
                        .or_else(|_| {
                            out.clear();
                            Read::take(flate2::read::DeflateDecoder::new(payload.as_slice()), cap)
                                .read_to_end(&mut out)
                        })
                } else {
                    Read::take(flate2::read::MultiGzDecoder::new(payload.as_slice()), cap)
                        .read_to_end(&mut out)
                };
                if let Err(e) = res {
                    return Err(
                        self.malformed(format!("HTTP body with {enc} encoding is corrupt ({e})"))
                    );
                }
                if out.len() > self.limit {
                    return Err(ReadError::TooLarge {
                        input: self.name.clone(),
                        at: Location::Record(self.record),
                        limit: self.limit,
                    });
                }
                payload = out;
            }
            Some(other) => {
                return Err(self.malformed(format!(
                    "HTTP Content-Encoding {other:?} is not supported (gzip and deflate are)"
                )))
            }
        }
        let (text, warning) = decode_lossy(payload);
        warnings.extend(warning);
        let origin = format!("{}#{}", self.name, self.record);
        let mut d = html::document(
            HtmlSource {
                name: &self.name,
                id: target.clone().unwrap_or_else(|| origin.clone()),
                origin,
                format: Format::Warc,
                at: Location::Record(self.record),
            },
            &text,
        )?;
        if let Some(t) = target {
            if let Some(c) = d.url.take().filter(|c| *c != t) {
                d.meta.insert("canonical_url".into(), Value::String(c));
            }
            d.url = Some(t);
        }
        if d.published.is_none() {
            d.published = warc_date.as_deref().and_then(crate::text::parse_date);
        }
        warnings.append(&mut d.warnings);
        d.warnings = warnings;
        Ok(d)
    }
}

impl Iterator for WarcIter {
    type Item = Result<Document, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.step() {
                Step::End => self.done = true,
                Step::Skip => {}
                Step::Doc(d) => return Some(Ok(*d)),
                Step::Err(e, fatal) => {
                    self.done = fatal;
                    return Some(Err(*e));
                }
            }
        }
        None
    }
}

fn is_version_line(l: &[u8]) -> bool {
    l.starts_with(b"WARC/1.") || l.starts_with(b"WARC/0.")
}

/// The parts of an HTTP response head we use.
#[derive(Debug, PartialEq)]
struct Http {
    status: u16,
    content_type: Option<String>,
    chunked: bool,
    encoding: Option<String>,
    /// Where the body starts in the record's payload.
    body_offset: usize,
}

impl Http {
    fn is_html(&self, payload: &[u8]) -> bool {
        match &self.content_type {
            Some(ct) => ct.contains("text/html") || ct.contains("application/xhtml"),
            None => {
                let start = payload.get(self.body_offset..).unwrap_or(&[]);
                let head =
                    String::from_utf8_lossy(&start[..start.len().min(1024)]).to_ascii_lowercase();
                head.contains("<html") || head.contains("<!doctype html")
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_http(payload: &[u8]) -> Option<Http> {
    if !payload.starts_with(b"HTTP/") {
        return None;
    }
    let (head_end, body_offset) = match (find(payload, b"\r\n\r\n"), find(payload, b"\n\n")) {
        (Some(a), Some(b)) if b + 1 < a => (b, b + 2),
        (Some(a), _) => (a, a + 4),
        (None, Some(b)) => (b, b + 2),
        (None, None) => return None,
    };
    let head = String::from_utf8_lossy(payload.get(..head_end)?);
    let mut lines = head.lines();
    let status = lines
        .next()?
        .split_whitespace()
        .nth(1)?
        .parse::<u16>()
        .ok()?;
    let mut h = Http {
        status,
        content_type: None,
        chunked: false,
        encoding: None,
        body_offset,
    };
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => h.content_type = Some(v),
            "transfer-encoding" => h.chunked = v.contains("chunked"),
            "content-encoding" => h.encoding = Some(v),
            _ => {}
        }
    }
    Some(h)
}

/// Undoes HTTP chunked transfer encoding; `None` when the chunk sizes are unreadable.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let nl = b.iter().position(|&c| c == b'\n')?;
        let size_line = String::from_utf8_lossy(b.get(..nl)?);
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        b = b.get(nl + 1..)?;
        if size == 0 {
            return Some(out);
        }
        let take = size.min(b.len());
        out.extend_from_slice(b.get(..take)?);
        b = b.get(take..)?;
        if take < size {
            return Some(out);
        }
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
        if b.is_empty() {
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_heads() {
        let p: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\nbody";
        let h = parse_http(p).unwrap();
        assert_eq!(h.status, 200);
        assert!(h.chunked && h.is_html(p));
        assert_eq!(&p[h.body_offset..], b"body");
        assert_eq!(
            parse_http(b"HTTP/1.1 404 Not Found\n\n").unwrap().status,
            404
        );
        assert!(parse_http(b"GET / HTTP/1.1\r\n\r\n").is_none());
        assert!(parse_http(b"HTTP/1.1 200 OK\r\nno end").is_none());
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert_eq!(dechunk(b"ff\r\nshort").unwrap(), b"short");
        assert!(dechunk(b"zz\r\nx").is_none());
    }
}
