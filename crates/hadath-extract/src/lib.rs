//! The hadath pipeline and the `hadath extract` contract.
//!
//! A [`Pipeline`] takes a [`hadath_model::Document`] through every stage (segment, actors,
//! events, places, dates, quantities, sources; events merged per document) and
//! returns a [`Record`]: the JSON object `hadath extract` writes for that document, with every
//! offset converted from internal byte offsets to Unicode code points of `Record::text`.
//! A [`Writer`] then serialises records as JSON Lines, one JSON array, CSV or GeoJSON.
//!
//! ```
//! use hadath_extract::{Pipeline, PipelineOptions};
//! use hadath_model::Document;
//! let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
//! let rec = pipeline.process(Document::from_text("d1", "Protesters gathered in the square."));
//! assert_eq!(rec.id, "d1");
//! assert_eq!(rec.lang, "en");
//! ```

pub mod eval;
mod pipeline;
mod record;
mod write;

pub use pipeline::{Pipeline, PipelineError, PipelineOptions};
pub use record::{
    ActorOut, DateOut, EventOut, LinkOut, MentionOut, PlaceOut, PostOut, QuantityOut, Range,
    Record, SegmentOut, SourceOut, TextSpan,
};
pub use write::{acled_type, jsonl_line, OutputFormat, WriteError, Writer};
