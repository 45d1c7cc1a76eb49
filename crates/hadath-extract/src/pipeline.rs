//! Runs the stages over one document.

use crate::record::{LinkOut, PostOut, Record, SegmentOut};
use hadath_model::{CharIndex, Document, LinkKind, PartialDate, SegmentKind};
use hadath_segment::Segmenter;
use serde_json::{Map, Value};

/// What the pipeline does besides the defaults.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    /// Date for documents that carry none (`--date`).
    pub default_date: Option<PartialDate>,
    /// Leave `text` out of the record (`--no-text`).
    pub no_text: bool,
}

/// The stages, built once and shared by every thread.
pub struct Pipeline {
    opts: PipelineOptions,
    segmenter: Segmenter,
}

impl Pipeline {
    pub fn new(opts: PipelineOptions) -> Pipeline {
        Pipeline {
            opts,
            segmenter: Segmenter::new(),
        }
    }

    /// Runs every stage over `doc` and builds its record.
    pub fn process(&self, doc: Document) -> Record {
        let analysis = self.segmenter.analyze(&doc);
        let idx = CharIndex::new(&doc.text);
        let date = doc.published.or(self.opts.default_date);

        let segments = analysis
            .segments
            .iter()
            .map(|s| {
                let (start, end) = idx.span(s.span);
                SegmentOut {
                    kind: segment_kind(s.kind),
                    start,
                    end,
                    lang: s.lang.code(),
                    noise: s.noise,
                }
            })
            .collect();
        let posts = analysis
            .posts
            .iter()
            .map(|p| {
                let (start, end) = idx.span(p.span);
                PostOut {
                    platform: p.platform.clone(),
                    author: p.author.clone(),
                    handle: p.handle.clone(),
                    date: p.date.map(|d| d.to_string()),
                    start,
                    end,
                    signature: p.signature.map(|s| {
                        let (a, b) = idx.span(s);
                        [a, b]
                    }),
                    links: p.links.clone(),
                }
            })
            .collect();
        let links = analysis
            .links
            .iter()
            .map(|l| {
                let (start, end) = idx.span(l.span);
                LinkOut {
                    kind: link_kind(l.kind),
                    text: l.span.slice(&doc.text).to_string(),
                    start,
                    end,
                }
            })
            .collect();
        let mut languages = Map::new();
        for (lang, share) in &analysis.languages {
            let rounded = (f64::from(*share) * 100.0).round() / 100.0;
            languages.insert(lang.code().to_string(), Value::from(rounded));
        }

        Record {
            id: doc.id,
            date: date.map(|d| d.to_string()),
            lang: analysis.lang.code().to_string(),
            languages,
            text: (!self.opts.no_text).then_some(doc.text),
            title: doc.title,
            url: doc.url,
            source: doc.source,
            format: doc.format.as_str().to_string(),
            segments,
            posts,
            links,
            places: Vec::new(),
            events: Vec::new(),
            warnings: doc.warnings,
            meta: doc.meta,
        }
    }
}

fn segment_kind(k: SegmentKind) -> &'static str {
    match k {
        SegmentKind::Title => "title",
        SegmentKind::Paragraph => "paragraph",
        SegmentKind::Sentence => "sentence",
        SegmentKind::Post => "post",
    }
}

fn link_kind(k: LinkKind) -> &'static str {
    match k {
        LinkKind::Url => "url",
        LinkKind::Media => "media",
        LinkKind::Handle => "handle",
        LinkKind::Hashtag => "hashtag",
    }
}
