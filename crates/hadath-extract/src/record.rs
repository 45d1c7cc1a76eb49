//! The `hadath extract` record: the JSON contract, one object per document.
//!
//! Field names and shapes here are a public contract (`../shared/eval/score.py` and outside
//! tools read them): add fields, never rename or remove them.

use serde::Serialize;
use serde_json::{Map, Value};

/// One document's extraction result. Offsets are code points into `text`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    pub id: String,
    /// Document date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), from metadata or `--date`.
    pub date: Option<String>,
    /// The day (or month) relative dates resolve against: `date` refined by internal
    /// evidence such as a dated post or a dateline.
    pub anchor_date: Option<String>,
    /// Main language (ISO 639-1, `und` when unknown).
    pub lang: String,
    /// Language mix: share of letters per language.
    pub languages: Map<String, Value>,
    /// The text every offset indexes; `None` with `--no-text` (the key is then left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// Input format the document came from (`text`, `jsonl`, `html`, `rss`, `atom`, `warc`).
    pub format: String,
    pub segments: Vec<SegmentOut>,
    pub posts: Vec<PostOut>,
    /// URLs, media links, handles and hashtags: never prose.
    pub links: Vec<LinkOut>,
    pub places: Vec<Value>,
    pub events: Vec<Value>,
    pub warnings: Vec<String>,
    /// Metadata the reader kept but did not map (JSONL keys, unknown header lines).
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub meta: Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SegmentOut {
    /// `title`, `paragraph`, `sentence` or `post`.
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub lang: &'static str,
    /// Only links, handles or a post signature: later stages skip it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub noise: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PostOut {
    pub platform: String,
    pub author: Option<String>,
    pub handle: Option<String>,
    pub date: Option<String>,
    pub start: usize,
    pub end: usize,
    /// The signature line (`— Name (@handle) Month D, YYYY`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<[usize; 2]>,
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkOut {
    /// `url`, `media`, `handle` or `hashtag`.
    pub kind: &'static str,
    pub text: String,
    pub start: usize,
    pub end: usize,
}
