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
    pub places: Vec<PlaceOut>,
    pub events: Vec<EventOut>,
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

/// Text with its code-point span.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TextSpan {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A code-point span.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Range {
    pub start: usize,
    pub end: usize,
}

/// An actor or recipient of an event.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ActorOut {
    pub text: String,
    /// ISO3 country (`KAZ`) or `IGO` + organisation (`IGOCSTO`); `None` when unknown.
    pub code: Option<String>,
    /// The organisation's own code (`CSTO`, `HAMAS`), when the actor is one.
    pub org: Option<String>,
    /// GOV MIL COP JUD LEG OPP REB PTY PRO CVL MED BUS LAB EDU REL NGO IGO.
    pub sector: Option<&'static str>,
    /// country, capital, demonym, organization, role or person.
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// A toponym resolved to a gazetteer place (document `places`, event `location`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceOut {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub name_ar: Option<String>,
    pub geonameid: u32,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2; `None` for regions that span countries.
    pub country: Option<String>,
    pub admin1: Option<String>,
    /// city, admin1, country or other.
    pub kind: &'static str,
    pub confidence: f64,
    /// For an event's location: found in its `sentence`, `paragraph` or only the `document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<&'static str>,
}

/// When an event happened (or, as `date_end`, until when it runs).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DateOut {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub value: String,
    pub precision: hadath_model::DatePrecision,
    /// absolute, relative, range_start, range_end, or document (no date in the sentence).
    pub kind: String,
    /// `text`: found in the sentence; `document`: the document's date.
    pub source: &'static str,
    pub text: Option<String>,
    pub start: Option<usize>,
    pub end: Option<usize>,
}

/// A count attached to an event.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuantityOut {
    /// participants, killed, injured, arrested, displaced, damaged, looted, other.
    pub role: String,
    /// shops, offices, restaurants, vehicles, buildings, homes; `None` for people.
    pub object: Option<String>,
    pub value: u64,
    pub approx: bool,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Who reports an event: an attribution phrase, or the author of the post it sits in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceOut {
    pub text: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
}

/// One mention of an event: the evidence in one sentence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MentionOut {
    pub confidence: f64,
    pub trigger: TextSpan,
    pub sentence: Range,
    pub actors: Vec<ActorOut>,
    pub recipients: Vec<ActorOut>,
    pub location: Option<PlaceOut>,
    pub date: Option<DateOut>,
    pub date_end: Option<DateOut>,
    pub quantities: Vec<QuantityOut>,
    pub reported_by: Vec<SourceOut>,
}

/// An event of the document: its best mention's evidence at the top, every mention below.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EventOut {
    /// The PLOVER type (`PROTEST`, `ASSAULT`, …).
    #[serde(rename = "type")]
    pub event_type: &'static str,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub confidence: f64,
    pub negated: bool,
    pub trigger: TextSpan,
    pub actors: Vec<ActorOut>,
    pub recipients: Vec<ActorOut>,
    pub sentence: Range,
    pub location: Option<PlaceOut>,
    pub date: Option<DateOut>,
    pub date_end: Option<DateOut>,
    pub quantities: Vec<QuantityOut>,
    pub reported_by: Vec<SourceOut>,
    pub n_mentions: usize,
    pub mentions: Vec<MentionOut>,
}
