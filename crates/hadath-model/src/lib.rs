//! The data model that every hadath stage shares.
//!
//! A reader (`hadath-read`) turns an input into [`Document`]s. Each later stage looks at
//! `Document::text` and adds annotations that point back into it with a [`Span`]:
//! the segmenter adds [`Segment`]s and [`Post`]s, later stages add events and places.
//!
//! **Invariant:** inside the pipeline every [`Span`] holds *byte* offsets into
//! `Document::text`, always on `char` boundaries. Output formats convert them to Unicode
//! code-point offsets (what Python's `str` slicing uses) with a [`CharIndex`], once, at the edge.
//! Stages never mutate an earlier stage's output.
//!
//! ```
//! use hadath_model::{CharIndex, Span};
//! let text = "قال Tokayev";
//! let span = Span::new(text.find("Tokayev").unwrap(), text.len());
//! let idx = CharIndex::new(text);
//! assert_eq!(idx.span(span), (4, 11));
//! ```

mod date;
mod lang;

pub use date::{DatePrecision, PartialDate};
pub use lang::Lang;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into a document's text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The text this span covers. Returns "" when the span does not fit `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// The input format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Jsonl,
    Html,
    Rss,
    Atom,
    Warc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Warc => "warc",
        }
    }
}

/// A social-media post that a reader found in the markup (an HTML
/// `blockquote.twitter-tweet`, say). The segmenter merges these with the posts it finds
/// in plain text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PostHint {
    /// Where the post's text lies in `Document::text`.
    pub span: Span,
    pub platform: Option<String>,
    pub author: Option<String>,
    pub handle: Option<String>,
    pub date: Option<PartialDate>,
    pub url: Option<String>,
    pub links: Vec<String>,
}

/// One news article, post, feed item or line of a JSONL file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the JSONL `id`, else the URL, else `path#record`.
    pub id: String,
    /// The text every offset indexes (metadata header lines and markup removed).
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// Who published it (outlet, feed title, domain).
    pub source: Option<String>,
    /// Publication date with the precision it was given in.
    pub published: Option<PartialDate>,
    pub format: Format,
    /// Where it came from: a path (plus record number) or `-` for stdin.
    pub origin: String,
    /// Metadata the reader did not map to a field, kept as given.
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// Posts the reader saw in markup.
    pub post_hints: Vec<PostHint>,
    /// Non-fatal problems found while reading (lossy decoding, dropped markup ...).
    pub warnings: Vec<String>,
}

impl Document {
    /// A bare document holding `text`, for tests and programmatic use.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Document {
        let id = id.into();
        Document {
            origin: id.clone(),
            id,
            text: text.into(),
            title: None,
            url: None,
            source: None,
            published: None,
            format: Format::Text,
            meta: serde_json::Map::new(),
            post_hints: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// What a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Title,
    Paragraph,
    Sentence,
    Post,
}

/// A paragraph, sentence, title or post of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub kind: SegmentKind,
    pub span: Span,
    pub lang: Lang,
    /// True when the segment is only links, handles, hashtags or a post signature:
    /// noise that event coding must skip.
    pub noise: bool,
}

/// What sort of link a [`Link`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A web address (`https://t.co/...`, `www.example.org/...`).
    Url,
    /// A platform picture link such as `pic.twitter.com/...`.
    Media,
    /// An `@handle`.
    Handle,
    /// A `#hashtag`.
    Hashtag,
}

/// A link, handle or hashtag in the text: never prose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    pub span: Span,
}

/// A social-media post found in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    pub platform: String,
    pub author: Option<String>,
    pub handle: Option<String>,
    pub date: Option<PartialDate>,
    /// The post's text (without the signature line).
    pub span: Span,
    /// The signature line (`— Name (@handle) January 5, 2022`), when there is one.
    pub signature: Option<Span>,
    pub links: Vec<String>,
}

/// Maps byte offsets of one text to Unicode code-point offsets.
///
/// Built once per document in O(n): one bit per byte says where a char starts, and the
/// number of chars before every 64-byte block is kept, so a lookup is a table read and a
/// population count.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Bit `i` of word `k`: byte `64k + i` starts a char.
    starts: Vec<u64>,
    /// Chars before block `k`.
    before: Vec<usize>,
    len_bytes: usize,
    len_chars: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
        let mut before = Vec::with_capacity(bytes.len() / 64 + 1);
        let mut chars = 0usize;
        for chunk in bytes.chunks(64) {
            let mut word = 0u64;
            for (i, &b) in chunk.iter().enumerate() {
                // Not a UTF-8 continuation byte (0b10xx_xxxx).
                if (b as i8) >= -0x40 {
                    word |= 1 << i;
                }
            }
            starts.push(word);
            before.push(chars);
            chars += word.count_ones() as usize;
        }
        CharIndex {
            starts,
            before,
            len_bytes: bytes.len(),
            len_chars: chars,
        }
    }

    /// The code-point offset of byte offset `byte` (clamped to the text's length).
    pub fn char_of(&self, byte: usize) -> usize {
        if byte >= self.len_bytes {
            return self.len_chars;
        }
        let (k, bit) = (byte / 64, byte % 64);
        match (self.before.get(k), self.starts.get(k)) {
            (Some(&n), Some(&w)) => n + (w & ((1u64 << bit) - 1)).count_ones() as usize,
            _ => self.len_chars,
        }
    }

    /// `(start, end)` in code points.
    pub fn span(&self, span: Span) -> (usize, usize) {
        (self.char_of(span.start), self.char_of(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_index_matches_char_counting() {
        let text = "a ب c — دَ e 😀 f";
        let idx = CharIndex::new(text);
        for (b, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            assert_eq!(idx.char_of(b), text[..b].chars().count(), "byte {b}");
        }
    }

    #[test]
    fn span_slice_is_safe() {
        let s = Span::new(1, 99);
        assert_eq!(s.slice("abc"), "");
        assert_eq!(Span::new(0, 2).slice("abc"), "ab");
    }
}
