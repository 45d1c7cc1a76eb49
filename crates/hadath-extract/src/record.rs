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

impl Record {
    /// The record as JSON without its text (a store keeps the text apart): the same object as
    /// serialising the record with `text: None`, without copying it.
    pub fn to_json_without_text(&self) -> serde_json::Result<String> {
        // Every field but `text`, borrowed, in the record's order.
        #[derive(Serialize)]
        struct NoText<'a> {
            id: &'a String,
            date: &'a Option<String>,
            anchor_date: &'a Option<String>,
            lang: &'a String,
            languages: &'a Map<String, Value>,
            title: &'a Option<String>,
            url: &'a Option<String>,
            source: &'a Option<String>,
            format: &'a String,
            segments: &'a Vec<SegmentOut>,
            posts: &'a Vec<PostOut>,
            links: &'a Vec<LinkOut>,
            places: &'a Vec<PlaceOut>,
            events: &'a Vec<EventOut>,
            warnings: &'a Vec<String>,
            #[serde(skip_serializing_if = "Map::is_empty")]
            meta: &'a Map<String, Value>,
        }
        // Destructured so that a field added to `Record` fails to compile here.
        let Record {
            id,
            date,
            anchor_date,
            lang,
            languages,
            text: _,
            title,
            url,
            source,
            format,
            segments,
            posts,
            links,
            places,
            events,
            warnings,
            meta,
        } = self;
        serde_json::to_string(&NoText {
            id,
            date,
            anchor_date,
            lang,
            languages,
            title,
            url,
            source,
            format,
            segments,
            posts,
            links,
            places,
            events,
            warnings,
            meta,
        })
    }
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

impl QuantityOut {
    /// The people these quantities say were killed, added up: the `fatalities` of the CSV
    /// output and of the store.
    pub fn killed(quantities: &[QuantityOut]) -> u64 {
        quantities
            .iter()
            .filter(|q| q.role == "killed")
            .map(|q| q.value)
            .sum()
    }
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

#[cfg(test)]
mod tests {
    use crate::{Pipeline, PipelineOptions};
    use hadath_model::Document;

    #[test]
    fn json_without_text_is_the_record_without_its_text() {
        let p = Pipeline::new(PipelineOptions::default()).unwrap();
        let mut doc = Document::from_text(
            "t1",
            "Police detained dozens of protesters in Almaty on Monday, a local agency said.",
        );
        doc.meta.insert("desk".into(), "night".into());
        let rec = p.process(doc);
        assert!(!rec.events.is_empty() && rec.text.is_some());
        let mut expected = serde_json::to_value(&rec).unwrap();
        expected.as_object_mut().unwrap().remove("text");
        let got: serde_json::Value =
            serde_json::from_str(&rec.to_json_without_text().unwrap()).unwrap();
        assert_eq!(got, expected);
    }
}
