//! Runs the stages over one document: segment → actors → events → places, dates, counts,
//! sources → merged events, then converts every byte span to code points.

use crate::record::{
    ActorOut, DateOut, EventOut, LinkOut, MentionOut, PlaceOut, PostOut, QuantityOut, Range,
    Record, SegmentOut, SourceOut, TextSpan,
};
use hadath_code::{merge_mentions, Coder, DocEvent, EventMention, StorySentence};
use hadath_geo::{Gazetteer, Geoparser, PlaceKind, PlaceMention};
use hadath_model::{
    CharIndex, Document, Lang, LinkKind, PartialDate, Post, Segment, SegmentKind, Span,
};
use hadath_recognise::{link_names, ActorKind, ActorMention, Actors};
use hadath_resolve::date::{document_date, DateKind, DateMention};
use hadath_segment::Segmenter;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// What the pipeline does besides the defaults.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    /// Date for documents that carry none (`--date`).
    pub default_date: Option<PartialDate>,
    /// Leave `text` out of the record (`--no-text`).
    pub no_text: bool,
    /// Stop after segmentation, language identification, posts and links: no actors,
    /// events, places or dates (`--segment-only`).
    pub segment_only: bool,
    /// A directory of event lexicons that extends or replaces the embedded ones (`--lexicon`).
    pub lexicon: Option<PathBuf>,
    /// A directory of actor lexicons that extends or replaces the embedded ones (`--actors`).
    pub actors: Option<PathBuf>,
}

/// A lexicon directory that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("cannot load the event lexicons from {dir}: {source}")]
    Lexicon {
        dir: PathBuf,
        source: hadath_code::LexiconError,
    },
    #[error("cannot load the actor lexicons from {dir}: {source}")]
    Actors {
        dir: PathBuf,
        source: hadath_recognise::LexiconError,
    },
}

/// The stages, built once and shared by every thread.
pub struct Pipeline {
    opts: PipelineOptions,
    segmenter: Segmenter,
    actors: &'static Actors,
    coder: &'static Coder,
    geo: Geoparser,
}

impl Pipeline {
    /// A pipeline on the embedded lexicons (and the user's, if the options name them).
    pub fn new(opts: PipelineOptions) -> Result<Pipeline, PipelineError> {
        // User lexicons are loaded once per process and live as long as it does.
        let coder: &'static Coder = match &opts.lexicon {
            Some(dir) => Box::leak(Box::new(Coder::from_dir(dir).map_err(|source| {
                PipelineError::Lexicon {
                    dir: dir.clone(),
                    source,
                }
            })?)),
            None => Coder::embedded(),
        };
        let actors: &'static Actors = match &opts.actors {
            Some(dir) => Box::leak(Box::new(Actors::from_dir(dir).map_err(|source| {
                PipelineError::Actors {
                    dir: dir.clone(),
                    source,
                }
            })?)),
            None => Actors::embedded(),
        };
        Ok(Pipeline {
            opts,
            segmenter: Segmenter::new(),
            actors,
            coder,
            geo: Geoparser::new(Gazetteer::embedded()),
        })
    }

    /// Runs every stage over `doc` and builds its record.
    pub fn process(&self, doc: Document) -> Record {
        let analysis = self.segmenter.analyze(&doc);
        let text = doc.text.as_str();
        let idx = CharIndex::new(text);
        let meta_date = doc.published.or(self.opts.default_date);
        if self.opts.segment_only {
            return self.record(doc, analysis, &idx, meta_date, None, Vec::new(), Vec::new());
        }

        let post_dates: Vec<PartialDate> = analysis.posts.iter().filter_map(|p| p.date).collect();
        let anchor = document_date(text, meta_date, doc.url.as_deref(), &post_dates);

        let sentences: Vec<&Segment> = analysis
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Sentence && !s.noise)
            .collect();
        let sentence_spans: Vec<(Span, Lang)> =
            sentences.iter().map(|s| (s.span, s.lang)).collect();
        // Actors first: a place name inside an organisation's or a person's name ("مجلس
        // الأمن", "President Nursultan ...") is not a place, unless it is a country.
        let mut actors_by_sentence: Vec<Vec<ActorMention>> = sentences
            .iter()
            .map(|s| match s.lang {
                Lang::Ar | Lang::En => self.actors.find(text, s.span, s.lang),
                _ => Vec::new(),
            })
            .collect();
        // "وناشد توكاييف" after "الرئيس الكازاخستاني قاسم جومارت توكاييف": the same actor.
        let spans: Vec<Span> = sentences.iter().map(|s| s.span).collect();
        link_names(text, &spans, &mut actors_by_sentence);
        let acting: Vec<&ActorMention> = actors_by_sentence
            .iter()
            .flatten()
            .filter(|a| !a.locative)
            .collect();
        let places: Vec<PlaceMention> = self
            .geo
            .places(text, &sentence_spans, None)
            .into_iter()
            .filter(|p| {
                p.place.kind == PlaceKind::Country
                    || !acting.iter().any(|a| {
                        a.span.overlaps(p.span)
                            && matches!(
                                a.kind,
                                ActorKind::Organization | ActorKind::Person | ActorKind::Role
                            )
                    })
            })
            .collect();
        let country3 = main_country(&places)
            .and_then(|iso2| self.actors.country_by_iso2(&iso2))
            .map(|c| c.iso3.clone());

        let ctx = DocContext {
            facts: Default::default(),
            main_place: main_place(&places),
            text,
            idx: &idx,
            anchor,
            places: &places,
            paragraphs: analysis
                .segments
                .iter()
                .filter(|s| matches!(s.kind, SegmentKind::Paragraph | SegmentKind::Title))
                .map(|s| s.span)
                .collect(),
            posts: &analysis.posts,
            acting: acting.iter().map(|a| a.span).collect(),
        };

        let mut coded: Vec<(Span, Lang, Vec<ActorMention>)> = Vec::new();
        for (s, mut found) in sentences.iter().zip(actors_by_sentence.iter().cloned()) {
            if !matches!(s.lang, Lang::Ar | Lang::En) {
                continue;
            }
            if let Some(iso3) = &country3 {
                inherit_country(&mut found, iso3);
            }
            coded.push((s.span, s.lang, found));
        }
        // Sentences and paragraphs are both in text order: one pass pairs them. A sentence
        // outside every paragraph is a paragraph of its own.
        let mut para = 0usize;
        let mentions: Vec<EventMention> = self.coder.code_story(
            text,
            coded.iter().map(|(span, lang, found)| {
                while ctx
                    .paragraphs
                    .get(para)
                    .is_some_and(|p| p.end <= span.start)
                {
                    para += 1;
                }
                let inside = ctx.paragraphs.get(para).is_some_and(|p| p.contains(*span));
                StorySentence {
                    paragraph: if inside {
                        para
                    } else {
                        usize::MAX - span.start
                    },
                    span: *span,
                    lang: *lang,
                    actors: found.as_slice(),
                }
            }),
        );
        let events = merge_mentions(mentions)
            .iter()
            .map(|e| ctx.event(e))
            .collect();

        let places = places.iter().map(|p| place_out(&idx, p)).collect();
        self.record(doc, analysis, &idx, meta_date, anchor, places, events)
    }

    /// Assembles the record, converting byte spans to code points.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        doc: Document,
        analysis: hadath_segment::Analysis,
        idx: &CharIndex,
        date: Option<PartialDate>,
        anchor: Option<PartialDate>,
        places: Vec<PlaceOut>,
        events: Vec<EventOut>,
    ) -> Record {
        let text = doc.text.as_str();
        let mut languages = Map::new();
        for (lang, share) in &analysis.languages {
            let rounded = (f64::from(*share) * 100.0).round() / 100.0;
            languages.insert(lang.code().to_string(), Value::from(rounded));
        }
        let links = analysis
            .links
            .iter()
            .map(|l| {
                let (start, end) = idx.span(l.span);
                LinkOut {
                    kind: link_kind(l.kind),
                    text: l.span.slice(text).to_string(),
                    start,
                    end,
                }
            })
            .collect();
        Record {
            date: date.map(|d| d.to_string()),
            anchor_date: anchor.map(|d| d.to_string()),
            lang: analysis.lang.code().to_string(),
            languages,
            segments: analysis
                .segments
                .iter()
                .map(|s| segment_out(idx, s))
                .collect(),
            posts: analysis.posts.iter().map(|p| post_out(idx, p)).collect(),
            links,
            places,
            events,
            id: doc.id,
            title: doc.title,
            url: doc.url,
            source: doc.source,
            format: doc.format.as_str().to_string(),
            warnings: doc.warnings,
            meta: doc.meta,
            text: (!self.opts.no_text).then_some(doc.text),
        }
    }
}

/// "protesters" in a report on Kazakhstan are Kazakh protesters: actors with a sector but no
/// country take the document's country.
fn inherit_country(actors: &mut [ActorMention], iso3: &str) {
    for a in actors.iter_mut() {
        if a.code.is_empty() && a.sector.is_some() {
            a.code = iso3.to_string();
            a.country = Some(iso3.to_string());
        }
    }
}

/// The story's country: the country most places in it belong to (first seen wins ties).
fn main_country(places: &[PlaceMention]) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in places {
        let c = &p.place.country;
        if c.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(k, _)| k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.clone(), 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(c, _)| c)
}

/// Dates, counts and sources of one sentence, found once however many events it holds.
struct SentenceFacts {
    dates: Vec<DateMention>,
    quantities: Vec<QuantityOut>,
    attributions: Vec<SourceOut>,
}

/// The document's most mentioned place (the finest kind, then the first, on ties).
fn main_place(places: &[PlaceMention]) -> Option<&PlaceMention> {
    let mut counts: HashMap<u32, (usize, &PlaceMention)> = HashMap::new();
    for p in places.iter().filter(|p| p.place.kind != PlaceKind::Former) {
        counts.entry(p.place.geonameid).or_insert((0, p)).0 += 1;
    }
    counts
        .into_values()
        .max_by_key(|(n, p)| {
            (
                *n,
                std::cmp::Reverse(kind_rank(p.place.kind)),
                std::cmp::Reverse(p.span.start),
            )
        })
        .map(|(_, p)| p)
}

/// What every event of one document is resolved against.
struct DocContext<'a> {
    /// Facts per sentence (keyed by its start), filled on first use.
    facts: std::cell::RefCell<HashMap<usize, std::rc::Rc<SentenceFacts>>>,
    /// The document's most mentioned place, for events with no place nearer.
    main_place: Option<&'a PlaceMention>,
    text: &'a str,
    idx: &'a CharIndex,
    anchor: Option<PartialDate>,
    places: &'a [PlaceMention],
    paragraphs: Vec<Span>,
    posts: &'a [Post],
    /// Spans of actors that act (not "in Kazakhstan"): never an event's location.
    acting: Vec<Span>,
}

/// How precise a location or date is, finest first.
fn place_rank(p: &Option<PlaceOut>) -> u8 {
    match p.as_ref().and_then(|p| p.precision) {
        Some("sentence") => 0,
        Some("paragraph") => 1,
        Some(_) => 2,
        None => 3,
    }
}

fn date_rank(d: &Option<DateOut>) -> u8 {
    match d.as_ref().map(|d| d.source) {
        Some("text") => 0,
        Some(_) => 1,
        None => 2,
    }
}

impl DocContext<'_> {
    fn text_span(&self, span: Span) -> TextSpan {
        let (start, end) = self.idx.span(span);
        TextSpan {
            text: span.slice(self.text).to_string(),
            start,
            end,
        }
    }

    fn range(&self, span: Span) -> Range {
        let (start, end) = self.idx.span(span);
        Range { start, end }
    }

    fn actor(&self, a: &ActorMention) -> ActorOut {
        let (start, end) = self.idx.span(a.span);
        ActorOut {
            text: a.span.slice(self.text).to_string(),
            code: actor_code(a),
            org: a.org.clone(),
            sector: a.sector.map(|s| s.as_str()),
            kind: a.kind.as_str(),
            start,
            end,
        }
    }

    fn actors(&self, list: &[ActorMention]) -> Vec<ActorOut> {
        list.iter().map(|a| self.actor(a)).collect()
    }

    /// The merged event: evidence of its best mention at the top, every mention below.
    fn event(&self, e: &DocEvent) -> EventOut {
        let mentions: Vec<MentionOut> = e.mentions.iter().map(|m| self.mention(m)).collect();
        // Location and date: the most precise one, from the most confident mention on ties
        // (mentions come most confident first, and min_by_key keeps the first).
        let location = mentions
            .iter()
            .map(|m| &m.location)
            .min_by_key(|l| place_rank(l))
            .cloned()
            .flatten();
        let date = mentions
            .iter()
            .map(|m| &m.date)
            .min_by_key(|d| date_rank(d))
            .cloned()
            .flatten();
        let date_end = mentions.iter().find_map(|m| m.date_end.clone());
        let mut quantities: Vec<QuantityOut> = Vec::new();
        let mut reported: Vec<SourceOut> = Vec::new();
        for m in &mentions {
            for q in &m.quantities {
                if !quantities
                    .iter()
                    .any(|x| x.start == q.start && x.end == q.end)
                {
                    quantities.push(q.clone());
                }
            }
            for r in &m.reported_by {
                if !reported.contains(r) {
                    reported.push(r.clone());
                }
            }
        }
        let (trigger, sentence) = match mentions.first() {
            Some(m) => (m.trigger.clone(), m.sentence),
            None => (
                TextSpan {
                    text: String::new(),
                    start: 0,
                    end: 0,
                },
                Range { start: 0, end: 0 },
            ),
        };
        EventOut {
            event_type: e.event_type.as_str(),
            mode: e.mode.clone(),
            context: e.context.clone(),
            confidence: round3(e.confidence),
            negated: e.negated,
            trigger,
            actors: self.actors(&e.actors),
            recipients: self.actors(&e.recipients),
            sentence,
            location,
            date,
            date_end,
            quantities,
            reported_by: reported,
            n_mentions: mentions.len(),
            mentions,
        }
    }

    /// One mention's evidence: trigger, sentence, actors, and what resolves around it.
    fn mention(&self, m: &EventMention) -> MentionOut {
        let facts = self.facts(m.sentence);
        let (date, date_end) = self.dates(m, &facts.dates);
        MentionOut {
            confidence: round3(m.confidence),
            trigger: self.text_span(m.trigger),
            sentence: self.range(m.sentence),
            actors: self.actors(&m.actors),
            recipients: self.actors(&m.recipients),
            location: self.location(m),
            date,
            date_end,
            quantities: facts.quantities.clone(),
            reported_by: self.reported_by(m, &facts.attributions),
        }
    }

    fn facts(&self, sentence: Span) -> std::rc::Rc<SentenceFacts> {
        if let Some(f) = self.facts.borrow().get(&sentence.start) {
            return f.clone();
        }
        let lang = if sentence.slice(self.text).chars().any(is_arabic) {
            Lang::Ar
        } else {
            Lang::En
        };
        let found = hadath_resolve::analyze_sentence(self.text, sentence, lang, self.anchor);
        let facts = std::rc::Rc::new(SentenceFacts {
            dates: found.dates,
            quantities: found
                .quantities
                .iter()
                .map(|q| {
                    let (start, end) = self.idx.span(q.span);
                    QuantityOut {
                        role: serde_plain(&q.role),
                        object: q.object.clone(),
                        value: q.value,
                        approx: q.approx,
                        text: q.span.slice(self.text).to_string(),
                        start,
                        end,
                    }
                })
                .collect(),
            attributions: found
                .attributions
                .iter()
                .map(|a| {
                    let t = self.text_span(a.span);
                    SourceOut {
                        text: t.text,
                        start: Some(t.start),
                        end: Some(t.end),
                        platform: None,
                    }
                })
                .collect(),
        });
        self.facts
            .borrow_mut()
            .insert(sentence.start, facts.clone());
        facts
    }

    fn dates(&self, m: &EventMention, dates: &[DateMention]) -> (Option<DateOut>, Option<DateOut>) {
        let near = |d: &&DateMention| distance(d.span, m.trigger);
        let date_out = |d: &DateMention| {
            let (start, end) = self.idx.span(d.span);
            DateOut {
                value: d.value.to_string(),
                precision: d.value.precision(),
                kind: serde_plain(&d.kind),
                source: "text",
                text: Some(d.span.slice(self.text).to_string()),
                start: Some(start),
                end: Some(end),
            }
        };
        let at = dates
            .iter()
            .filter(|d| d.kind != DateKind::RangeEnd)
            .min_by_key(near)
            .map(date_out)
            .or_else(|| {
                self.anchor.map(|a| DateOut {
                    value: a.to_string(),
                    precision: a.precision(),
                    kind: "document".into(),
                    source: "document",
                    text: None,
                    start: None,
                    end: None,
                })
            });
        let until = dates
            .iter()
            .filter(|d| d.kind == DateKind::RangeEnd)
            .min_by_key(near)
            .map(date_out);
        (at, until)
    }

    /// Where the event happened: a place in its sentence (a city before a region before a
    /// country, then the nearest to the trigger), else in its paragraph, else the document's
    /// main place.
    fn location(&self, m: &EventMention) -> Option<PlaceOut> {
        let best_in = |scope: Span| {
            self.places
                .iter()
                .filter(|p| scope.contains(p.span) && p.place.kind != PlaceKind::Former)
                .filter(|p| !self.acting.iter().any(|a| a.overlaps(p.span)))
                .min_by_key(|p| (kind_rank(p.place.kind), distance(p.span, m.trigger)))
        };
        if let Some(p) = best_in(m.sentence) {
            return Some(self.located(p, "sentence"));
        }
        if let Some(par) = self.paragraphs.iter().find(|p| p.contains(m.sentence)) {
            if let Some(p) = best_in(*par) {
                return Some(self.located(p, "paragraph"));
            }
        }
        self.main_place.map(|p| self.located(p, "document"))
    }

    fn located(&self, p: &PlaceMention, precision: &'static str) -> PlaceOut {
        PlaceOut {
            precision: Some(precision),
            ..place_out(self.idx, p)
        }
    }

    /// Who reports the event: attribution phrases in its sentence, else the author of the
    /// post it sits in.
    fn reported_by(&self, m: &EventMention, found: &[SourceOut]) -> Vec<SourceOut> {
        if !found.is_empty() {
            return found.to_vec();
        }
        self.posts
            .iter()
            .filter(|p| p.span.contains(m.sentence) || m.sentence.contains(p.span))
            .filter_map(|p| {
                let who = match (&p.author, &p.handle) {
                    (Some(a), Some(h)) => format!("{a} (@{h})"),
                    (Some(a), None) => a.clone(),
                    (None, Some(h)) => format!("@{h}"),
                    (None, None) => return None,
                };
                let (start, end) = p.signature.map(|s| self.idx.span(s)).unzip();
                Some(SourceOut {
                    text: who,
                    start,
                    end,
                    platform: Some(p.platform.clone()),
                })
            })
            .collect()
    }
}

/// The name a unit enum variant serialises to (`Role::Looted` → `looted`).
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The actor's code, CAMEO style: the ISO3 country (`KAZ`), or `IGO` followed by the
/// organisation for inter-governmental bodies (`IGOCSTO`, `IGOUN`); `None` when unknown.
fn actor_code(a: &ActorMention) -> Option<String> {
    if a.sector == Some(hadath_recognise::Sector::Igo) && a.country.is_none() {
        let org = a.org.as_deref().unwrap_or(a.code.as_str());
        return Some(format!("IGO{org}"));
    }
    (!a.code.is_empty()).then(|| a.code.clone())
}

fn is_arabic(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

fn kind_rank(k: PlaceKind) -> u8 {
    match k {
        PlaceKind::City => 0,
        PlaceKind::Admin1 => 1,
        PlaceKind::Country => 2,
        PlaceKind::Other => 3,
        PlaceKind::Former => 4,
    }
}

fn distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn place_out(idx: &CharIndex, p: &PlaceMention) -> PlaceOut {
    let (start, end) = idx.span(p.span);
    PlaceOut {
        text: p.text.clone(),
        start,
        end,
        name: p.place.name.clone(),
        name_ar: p.place.name_ar.clone(),
        geonameid: p.place.geonameid,
        lat: p.place.lat,
        lon: p.place.lon,
        country: (!p.place.country.is_empty()).then(|| p.place.country.clone()),
        admin1: p.place.admin1.clone(),
        kind: p.place.kind.as_str(),
        confidence: round3(p.confidence),
        precision: None,
    }
}

fn segment_out(idx: &CharIndex, s: &Segment) -> SegmentOut {
    let (start, end) = idx.span(s.span);
    SegmentOut {
        kind: match s.kind {
            SegmentKind::Title => "title",
            SegmentKind::Paragraph => "paragraph",
            SegmentKind::Sentence => "sentence",
            SegmentKind::Post => "post",
        },
        start,
        end,
        lang: s.lang.code(),
        noise: s.noise,
    }
}

fn post_out(idx: &CharIndex, p: &Post) -> PostOut {
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
}

fn link_kind(k: LinkKind) -> &'static str {
    match k {
        LinkKind::Url => "url",
        LinkKind::Media => "media",
        LinkKind::Handle => "handle",
        LinkKind::Hashtag => "hashtag",
    }
}
