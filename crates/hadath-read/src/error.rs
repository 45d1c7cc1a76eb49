//! The one error type every reader returns.

use std::fmt;

/// Why an input (or one record of it) could not be read.
///
/// Every message names the input (`-` for stdin), the line or record where that applies,
/// the reason, and what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is missing, unreadable, or reading it failed.
    #[error("cannot read {input}: {source}; check that the path exists and is readable")]
    Io {
        input: String,
        #[source]
        source: std::io::Error,
    },

    /// A command-line argument matched no file.
    #[error("no input files match {pattern:?}; check the path or the glob pattern")]
    NoMatch { pattern: String },

    /// A glob pattern could not be parsed.
    #[error("bad glob pattern {pattern:?}: {reason}; fix the pattern or quote it for the shell")]
    BadPattern { pattern: String, reason: String },

    /// A compressed input is truncated or corrupt.
    #[error(
        "{input}: the {codec} data is truncated or corrupt ({reason}); \
         re-download the file or re-compress it"
    )]
    Corrupt {
        input: String,
        codec: &'static str,
        reason: String,
    },

    /// The input looks like a binary file (NUL bytes or many control bytes).
    #[error(
        "{input} looks like a binary file (NUL or control bytes in its first 8 KB); \
         give hadath text, JSONL, HTML, RSS/Atom or WARC files (plain, .gz or .zst)"
    )]
    Binary { input: String },

    /// The input holds no bytes (or only whitespace).
    #[error("{input} is empty; remove it from the inputs")]
    Empty { input: String },

    /// One document (a file, a JSONL line, a WARC record) exceeds the size limit.
    #[error(
        "{input}{at}: the document is larger than the limit of {limit} bytes; \
         split it, or raise the limit (ReadOptions::max_document_bytes)"
    )]
    TooLarge {
        input: String,
        at: Location,
        limit: usize,
    },

    /// A JSON Lines record is not a JSON object.
    #[error(
        "{input} line {line}: not a JSON object ({reason}); \
         each line must hold one JSON object with a string \"text\" field"
    )]
    Json {
        input: String,
        line: usize,
        reason: String,
    },

    /// A JSON Lines record has no string `text` field.
    #[error("{input} line {line}: no string \"text\" field; add one or drop the line")]
    MissingText { input: String, line: usize },

    /// An HTML page (or WARC response) holds no visible text.
    #[error(
        "{input}{at}: no text found in the HTML (only markup, scripts or navigation); \
         check that this is the article page and not a redirect or a script-rendered shell"
    )]
    NoText { input: String, at: Location },

    /// An RSS/Atom feed could not be parsed.
    #[error("{input}: not a readable RSS or Atom feed ({reason}); check that the XML is complete and well-formed")]
    Feed { input: String, reason: String },

    /// A WARC record is malformed or truncated.
    #[error(
        "{input} record {record}: malformed WARC ({reason}); \
         the file may be truncated or not WARC 1.0/1.1"
    )]
    Warc {
        input: String,
        record: usize,
        reason: String,
    },
}

/// Where inside an input something happened; displays as `""`, `" line 3"` or `" record 2"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The input as a whole.
    Whole,
    /// A 1-based line number (JSON Lines).
    Line(usize),
    /// A 1-based record or item number (WARC, feeds).
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Whole => Ok(()),
            Location::Line(n) => write!(f, " line {n}"),
            Location::Record(n) => write!(f, " record {n}"),
        }
    }
}

impl ReadError {
    /// The input (path or `-`) this error is about, when it is about one.
    pub fn input(&self) -> Option<&str> {
        match self {
            ReadError::Io { input, .. }
            | ReadError::Corrupt { input, .. }
            | ReadError::Binary { input }
            | ReadError::Empty { input }
            | ReadError::TooLarge { input, .. }
            | ReadError::Json { input, .. }
            | ReadError::MissingText { input, .. }
            | ReadError::NoText { input, .. }
            | ReadError::Feed { input, .. }
            | ReadError::Warc { input, .. } => Some(input),
            ReadError::NoMatch { .. } | ReadError::BadPattern { .. } => None,
        }
    }

    /// Turns an I/O error met while reading `input` into a [`ReadError`], recognising the
    /// decoder failures that [`crate::source`] tags.
    pub(crate) fn from_io(input: &str, e: std::io::Error) -> ReadError {
        if let Some(c) = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<crate::source::CodecError>())
        {
            return ReadError::Corrupt {
                input: input.to_string(),
                codec: c.codec,
                reason: c.reason.clone(),
            };
        }
        ReadError::Io {
            input: input.to_string(),
            source: e,
        }
    }
}
