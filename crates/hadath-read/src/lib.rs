//! The "read" stage of hadath: inputs in, [`Document`]s out.
//!
//! [`expand_inputs`] turns command-line arguments (files, directories, glob patterns, `-`)
//! into [`Input`]s. [`read_input`] opens one input, undoes gzip or zstd compression (by
//! magic bytes), picks a format ([`FormatChoice`], or [`sniff_format`] for `auto`), and
//! yields documents lazily, in input order, one `Result` each, so one bad record does not
//! stop the rest. Each format has its own module:
//!
//! | format | module | one document per | id |
//! |---|---|---|---|
//! | text | `text` ([`split_header`] takes `date:`/`title:`/... lines off the top) | file | the path as given |
//! | JSON Lines (or a JSON array) | `jsonl`, streamed line by line | line | `id` field, else `path#line` |
//! | HTML | `html` ([`html_to_text`]) | file | the path as given |
//! | RSS / Atom | `feed` (feed-rs) | item | guid / id, else link, else `path#N` |
//! | WARC | `warc`, streamed record by record | HTTP 200 HTML response | `WARC-Target-URI` |
//!
//! Errors are [`ReadError`]s whose messages name the input (and line or record) and say
//! what to do.
//!
//! Choices worth knowing:
//! - **Invalid UTF-8 is decoded lossily**: bad bytes become U+FFFD and the document gets a
//!   warning `invalid UTF-8 at byte N replaced ...`. Dropping the input would lose whole
//!   archives over one bad byte; the warning keeps the loss visible. Other encodings
//!   (windows-1256, UTF-16) are not converted: UTF-16 is refused as binary.
//! - **Binary input** (a NUL byte, or more than 30% control bytes in the first 8 KB after
//!   decompression) is refused with [`ReadError::Binary`]; WARC is exempt (its records may
//!   hold images).
//! - **Size limit**: a document larger than [`ReadOptions::max_document_bytes`] is refused
//!   with [`ReadError::TooLarge`]. JSONL lines and WARC records over the limit are skipped
//!   without being held in memory, and reading goes on.
//! - Compression is detected from magic bytes, not the extension (which only serves
//!   format sniffing once `.gz`/`.zst` is stripped).
//!
//! ```
//! use hadath_read::{read_input, Input, ReadOptions};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("news.txt");
//! std::fs::write(&path, "date: 2022-01-05\ntitle: Talks\n\nبدأت المحادثات في الدوحة.\n").unwrap();
//! let docs: Vec<_> = read_input(&Input::Path(path), &ReadOptions::default())
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! assert_eq!(docs[0].text, "بدأت المحادثات في الدوحة.");
//! assert_eq!(docs[0].published.unwrap().to_string(), "2022-01-05");
//! assert_eq!(docs[0].title.as_deref(), Some("Talks"));
//! ```

mod error;
mod feed;
mod html;
mod input;
mod jsonl;
mod sniff;
mod source;
mod text;
mod warc;

use std::io::Read;

pub use error::{Location, ReadError};
pub use hadath_model::{Document, Format};
pub use html::{html_to_text, Extracted};
pub use input::{expand_inputs, Input};
pub use sniff::sniff_format;
pub use source::looks_binary;
pub use text::{split_header, TextHeader};

use error::Location as Loc;

/// Which reader to use: a fixed one, or `Auto` to sniff each input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormatChoice {
    #[default]
    Auto,
    Text,
    Jsonl,
    Html,
    /// RSS or Atom (the feed says which).
    Rss,
    Warc,
}

impl std::str::FromStr for FormatChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<FormatChoice, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => FormatChoice::Auto,
            "text" | "txt" => FormatChoice::Text,
            "jsonl" | "ndjson" | "json" => FormatChoice::Jsonl,
            "html" | "htm" => FormatChoice::Html,
            "rss" | "atom" | "feed" => FormatChoice::Rss,
            "warc" => FormatChoice::Warc,
            _ => {
                return Err(format!(
                    "unknown input format {s:?}; use one of auto, text, jsonl, html, rss, warc"
                ))
            }
        })
    }
}

impl std::fmt::Display for FormatChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FormatChoice::Auto => "auto",
            FormatChoice::Text => "text",
            FormatChoice::Jsonl => "jsonl",
            FormatChoice::Html => "html",
            FormatChoice::Rss => "rss",
            FormatChoice::Warc => "warc",
        })
    }
}

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    pub format: FormatChoice,
    /// Largest document accepted, in bytes (default 64 MiB): a text or HTML file, a JSONL
    /// line, a WARC record, a whole feed.
    pub max_document_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: FormatChoice::Auto,
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The documents of one input, lazily.
pub type Documents = Box<dyn Iterator<Item = Result<Document, ReadError>>>;

/// Reads one input; yields its documents lazily in input order. Errors that concern the
/// whole input (missing file, binary, empty, broken feed) come as a single `Err` item;
/// errors in one record (a JSONL line, a WARC record, a feed item) come in its place and
/// reading goes on where it can.
pub fn read_input(input: &Input, opts: &ReadOptions) -> Documents {
    match source::open(input) {
        Ok(opened) => read_opened(opened, input, opts),
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

/// [`read_input`] over any reader (compressed or not), named `name` in ids and messages.
/// Used for stdin-like sources and tests; the format is sniffed from `name` and content.
pub fn read_reader(name: &str, reader: Box<dyn Read>, opts: &ReadOptions) -> Documents {
    match source::open_reader(name.to_string(), reader) {
        Ok(opened) => {
            let input = if name == "-" {
                Input::Stdin
            } else {
                Input::Path(name.into())
            };
            read_opened(opened, &input, opts)
        }
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

fn once(e: ReadError) -> Documents {
    Box::new(std::iter::once(Err(e)))
}

fn read_opened(opened: source::Opened, input: &Input, opts: &ReadOptions) -> Documents {
    let source::Opened {
        name,
        mut reader,
        head,
    } = opened;
    let limit = opts.max_document_bytes;
    let hint = match input {
        Input::Stdin => None,
        Input::Path(_) => Some(name.as_str()),
    };
    let format = match opts.format {
        FormatChoice::Auto => sniff_format(hint, &head),
        FormatChoice::Text => Format::Text,
        FormatChoice::Jsonl => Format::Jsonl,
        FormatChoice::Html => Format::Html,
        FormatChoice::Rss => Format::Rss,
        FormatChoice::Warc => Format::Warc,
    };
    if source::is_blank(&head) {
        return once(ReadError::Empty { input: name });
    }
    if format != Format::Warc && looks_binary(&head) {
        return once(ReadError::Binary { input: name });
    }
    match format {
        Format::Jsonl => {
            let first = source::strip_bom(&head)
                .iter()
                .find(|b| !b.is_ascii_whitespace());
            if first == Some(&b'[') {
                Box::new(jsonl::read_array(&name, &mut reader, limit).into_iter())
            } else {
                Box::new(jsonl::JsonlIter::new(name, reader, limit))
            }
        }
        Format::Warc => Box::new(warc::WarcIter::new(name, reader, limit)),
        Format::Rss | Format::Atom => Box::new(feed::read(&name, &mut reader, limit).into_iter()),
        Format::Text | Format::Html => {
            let bytes = match source::read_whole(&name, &mut reader, limit) {
                Ok(b) => b,
                Err(e) => return once(e),
            };
            let (text, warning) = source::decode_lossy(bytes);
            let warnings: Vec<String> = warning.into_iter().collect();
            let doc = if format == Format::Text {
                let d = text::document(&name, text, warnings);
                if d.text.is_empty() {
                    Err(ReadError::Empty { input: name })
                } else {
                    Ok(d)
                }
            } else {
                html::document(
                    html::HtmlSource {
                        name: &name,
                        id: name.clone(),
                        origin: name.clone(),
                        format: Format::Html,
                        at: Loc::Whole,
                    },
                    &text,
                )
                .map(|mut d| {
                    let mut w = warnings;
                    w.append(&mut d.warnings);
                    d.warnings = w;
                    d
                })
            };
            Box::new(std::iter::once(doc))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_choice_round_trips() {
        for s in ["auto", "text", "jsonl", "html", "rss", "warc"] {
            let c: FormatChoice = s.parse().unwrap();
            assert_eq!(c.to_string(), s);
        }
        assert_eq!("ATOM".parse::<FormatChoice>(), Ok(FormatChoice::Rss));
        assert!("pdf".parse::<FormatChoice>().unwrap_err().contains("pdf"));
    }
}
