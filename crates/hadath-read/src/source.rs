//! Opening inputs: transparent gzip/zstd decompression, the first-8-KB look used for
//! sniffing and the binary check, bounded reads, and lossy UTF-8 decoding.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::{Input, ReadError};

/// How many decompressed bytes are looked at to sniff the format and spot binary files.
pub(crate) const HEAD_LEN: usize = 8 * 1024;

/// A decoder failure, carried inside an `io::Error` so that [`ReadError::from_io`] can
/// report it as [`ReadError::Corrupt`] rather than a plain I/O error.
#[derive(Debug)]
pub(crate) struct CodecError {
    pub codec: &'static str,
    pub reason: String,
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} data: {}", self.codec, self.reason)
    }
}

impl std::error::Error for CodecError {}

/// Wraps a decoder so that its errors are tagged with the codec's name.
struct Tagged<R> {
    inner: R,
    codec: &'static str,
}

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                e
            } else {
                let reason = match e.kind() {
                    io::ErrorKind::UnexpectedEof => "the stream ends early".to_string(),
                    _ => e.to_string(),
                };
                io::Error::other(CodecError {
                    codec: self.codec,
                    reason,
                })
            }
        })
    }
}

/// An input opened and decompressed, with its first bytes already looked at.
pub(crate) struct Opened {
    /// The input's name in messages and ids: the path as given, or `-`.
    pub name: String,
    /// The decompressed bytes, from the very start (the head included).
    pub reader: Box<dyn BufRead>,
    /// Up to [`HEAD_LEN`] decompressed bytes from the start.
    pub head: Vec<u8>,
}

/// Reads up to `n` bytes (fewer only at end of input).
fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// Opens `input`, undoing gzip or zstd compression when the magic bytes say so.
pub(crate) fn open(input: &Input) -> Result<Opened, ReadError> {
    let name = input.to_string();
    let raw: Box<dyn Read> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::Path(p) => {
            let f = File::open(p).map_err(|e| ReadError::Io {
                input: name.clone(),
                source: e,
            })?;
            if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
                return Err(ReadError::Io {
                    input: name,
                    source: io::Error::other("it is a directory"),
                });
            }
            Box::new(f)
        }
    };
    open_reader(name, raw)
}

/// [`open`] for any reader (tests and stdin use it directly).
pub(crate) fn open_reader(name: String, mut raw: Box<dyn Read>) -> Result<Opened, ReadError> {
    let magic = read_head(&mut raw, 4).map_err(|e| ReadError::from_io(&name, e))?;
    let rest = Cursor::new(magic.clone()).chain(raw);
    let mut decoded: Box<dyn Read> = if magic.starts_with(GZIP_MAGIC) {
        Box::new(Tagged {
            inner: flate2::read::MultiGzDecoder::new(BufReader::with_capacity(64 * 1024, rest)),
            codec: "gzip",
        })
    } else if magic.starts_with(ZSTD_MAGIC) {
        let dec = zstd::stream::read::Decoder::new(rest).map_err(|e| ReadError::Corrupt {
            input: name.clone(),
            codec: "zstd",
            reason: e.to_string(),
        })?;
        Box::new(Tagged {
            inner: dec,
            codec: "zstd",
        })
    } else {
        Box::new(rest)
    };
    let head = read_head(&mut decoded, HEAD_LEN).map_err(|e| ReadError::from_io(&name, e))?;
    let reader = Box::new(BufReader::with_capacity(
        64 * 1024,
        Cursor::new(head.clone()).chain(decoded),
    ));
    Ok(Opened { name, reader, head })
}

/// True when the input holds nothing but whitespace (and a BOM). Only decisive when the
/// head is the whole input, that is shorter than [`HEAD_LEN`].
pub(crate) fn is_blank(head: &[u8]) -> bool {
    head.len() < HEAD_LEN && strip_bom(head).iter().all(|b| b.is_ascii_whitespace())
}

/// True when the bytes look binary: a NUL byte, or more than 30% control bytes
/// (tab, newlines, form feed and escape do not count).
pub fn looks_binary(head: &[u8]) -> bool {
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b)) || b == 0x7f
        })
        .count();
    control * 10 > head.len() * 3
}

/// The bytes without a leading UTF-8 byte-order mark.
pub(crate) fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

/// Reads everything, failing with `Ok(None)` when there is more than `limit` bytes.
pub(crate) fn read_all_bounded(r: &mut dyn BufRead, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    r.take(limit as u64 + 1).read_to_end(&mut buf)?;
    Ok((buf.len() <= limit).then_some(buf))
}

/// Reads a whole input for the readers that need all of it (plain text, HTML, feeds, JSON
/// arrays): an I/O error or more than `limit` bytes is a [`ReadError`] naming the input.
pub(crate) fn read_whole(
    name: &str,
    r: &mut dyn BufRead,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    match read_all_bounded(r, limit) {
        Err(e) => Err(ReadError::from_io(name, e)),
        Ok(None) => Err(ReadError::TooLarge {
            input: name.to_string(),
            at: crate::Location::Whole,
            limit,
        }),
        Ok(Some(b)) => Ok(b),
    }
}

/// Decodes UTF-8 (dropping a BOM), replacing invalid sequences with U+FFFD. Returns the
/// text and, when something was replaced, a warning naming the first bad byte offset.
pub(crate) fn decode_lossy(bytes: Vec<u8>) -> (String, Option<String>) {
    let mut bytes = bytes;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (
                text,
                Some(format!(
                    "invalid UTF-8 at byte {at} replaced with U+FFFD; the file may not be UTF-8 \
                     (convert it, e.g. with iconv, for exact text)"
                )),
            )
        }
    }
}

/// What [`read_line_bounded`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// End of input; nothing was read.
    Eof,
    /// A line (now in the buffer, without its `\n` or `\r\n`).
    Line,
    /// A line longer than the limit, consumed without keeping it; holds its length.
    TooLong(usize),
}

/// Reads one line into `buf` keeping at most `limit` bytes in memory: a longer line is
/// skipped to its end and reported as [`LineRead::TooLong`].
pub(crate) fn read_line_bounded(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<LineRead> {
    buf.clear();
    let mut total = 0usize;
    let mut overflow = false;
    let mut any = false;
    loop {
        let (used, found) = {
            let avail = match r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let (chunk, found) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (&avail[..i], true),
                None => (avail, false),
            };
            total = total.saturating_add(chunk.len());
            if !overflow {
                if buf.len() + chunk.len() > limit {
                    overflow = true;
                    buf.clear();
                    buf.shrink_to_fit();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            (chunk.len(), found)
        };
        r.consume(used + usize::from(found));
        if found {
            break;
        }
    }
    if !any {
        return Ok(LineRead::Eof);
    }
    if overflow {
        return Ok(LineRead::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(LineRead::Line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_check() {
        let table: &[(&[u8], bool)] = &[
            (b"plain text\n", false),
            ("نص عربي\r\n".as_bytes(), false),
            (b"a\0b", true),
            (b"\x01\x02\x03abc", true),
            (b"\x01abcdefghij", false),
            (b"", false),
        ];
        for (input, want) in table {
            assert_eq!(looks_binary(input), *want, "{input:?}");
        }
    }

    #[test]
    fn lossy_decoding_warns_with_offset() {
        let (s, w) = decode_lossy(b"ab\xffcd".to_vec());
        assert_eq!(s, "ab\u{FFFD}cd");
        assert!(w.unwrap().contains("byte 2"));
        let (s, w) = decode_lossy(b"\xEF\xBB\xBFabc".to_vec());
        assert_eq!((s.as_str(), w), ("abc", None));
    }

    #[test]
    fn bounded_lines() {
        let data = b"short\r\nthis line is long\nok";
        let mut r: &[u8] = data;
        let mut buf = Vec::new();
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 8).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 8).unwrap(),
            LineRead::TooLong(17)
        );
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 8).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"ok");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 8).unwrap(),
            LineRead::Eof
        );
    }
}
