//! The "code events" stage: finds PLOVER events in Arabic and English sentences, with their
//! type, mode, context, actors, recipients, confidence and character evidence.
//!
//! Principal types:
//! - [`Coder`] holds the compiled lexicons: the [`Ontology`] (`data/plover.toml`), trigger
//!   lexicons (`data/triggers/<lang>/<family>.toml`) and cue lists (`data/cues/<lang>.toml`),
//!   all embedded with `include_str!` and validated at load; [`Coder::from_dir`] overlays a
//!   user directory of the same layout.
//! - [`Coder::code_sentence`] turns one sentence plus the actor mentions that
//!   `hadath-recognise` found in it into [`EventMention`]s, most confident first.
//! - [`merge_mentions`] merges a document's mentions into [`DocEvent`]s.
//!
//! Data flow for one sentence: normalise (`hadath_normalize`, keeping the offset map) → split
//! into words, look each word up in the expanded lexicon (English inflections, Arabic
//! proclitics, verb prefixes/suffixes, plurals) → match trigger patterns (phrasal verbs,
//! gaps) → rules (negation, denial, modality, conditionals, infinitive complements, background
//! clauses, sports and metaphor frames) → attach actors from word order → one event per type.
//!
//! **Confidence** starts at the trigger's weight (lexicon data) and is lowered or raised by
//! the rules: hedges and promises (English "will attack" → THREATEN, "will not release" →
//! REJECT), background clauses, prepositional phrases and objects of an earlier trigger
//! (English ranking), and for Arabic the evidence that the sentence reports an event (a recent
//! time, a count of people, several triggers, a perfect verb; against: a framing noun, a
//! year, a masdar reading, a sentence far longer than a report's). Each language's cue file sets a floor (`min_confidence`), overridable with
//! [`CodeOptions`]. Negated, denied, conditional and most hypothetical events are dropped.
//!
//! **Merging**: see [`merge_mentions`]; the merged [`DocEvent`] keeps every mention.
//!
//! ```
//! use hadath_code::{Coder, EventType};
//! use hadath_model::{Lang, Span};
//! let text = "Thousands of workers went on strike in the capital on Monday.";
//! let events = Coder::embedded().code_sentence(text, Span::new(0, text.len()), Lang::En, &[]);
//! assert_eq!(events[0].event_type, EventType::Protest);
//! assert_eq!(events[0].mode.as_deref(), Some("strike"));
//! assert_eq!(events[0].trigger.slice(text), "on strike");
//!
//! let text = "لم يتظاهر أحد في المدينة أمس.";
//! assert!(Coder::embedded().code_sentence(text, Span::new(0, text.len()), Lang::Ar, &[]).is_empty());
//! ```

mod attach;
mod lexicon;
mod merge;
mod morph;
mod ontology;
mod rules;
mod scan;

use std::path::Path;
use std::sync::OnceLock;

use hadath_model::{Lang, Span};
use hadath_recognise::ActorMention;
use serde::Serialize;

pub use lexicon::LexiconError;
pub use merge::{merge_mentions, DocEvent};
pub use ontology::{EventType, Ontology, TypeInfo};

use lexicon::{Compiled, LangTable, Sources};

/// One event found in one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct EventMention {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub mode: Option<String>,
    pub context: Vec<String>,
    /// In [0, 1]: trigger strength, lowered by hedges, background clauses and distance.
    pub confidence: f32,
    /// True only when negated events are asked for ([`CodeOptions::include_negated`]).
    pub negated: bool,
    /// The trigger words (byte offsets into the document text).
    pub trigger: Span,
    pub actors: Vec<ActorMention>,
    pub recipients: Vec<ActorMention>,
    pub sentence: Span,
}

/// One sentence of a document for [`Coder::code_story`].
#[derive(Debug, Clone, Copy)]
pub struct StorySentence<'a> {
    /// Index of the paragraph the sentence belongs to (any numbering that is equal for the
    /// sentences of one paragraph).
    pub paragraph: usize,
    /// The sentence (byte offsets into the document text).
    pub span: Span,
    pub lang: Lang,
    /// The actor mentions found in the sentence.
    pub actors: &'a [ActorMention],
}

/// Knobs for [`Coder::code_sentence`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CodeOptions {
    /// Events below this confidence are not returned. `None` uses each language's floor from
    /// its cue file (`min_confidence` in `cues/<lang>.toml`: 0.2 for English, where a
    /// sentence's best guess is useful; 0.85 for Arabic, tuned for sentence-level precision).
    pub min_confidence: Option<f32>,
    /// Return negated and denied events too, with `negated: true` and a third of their
    /// confidence. Off by default: scorers count any returned event as a detection.
    pub include_negated: bool,
}

/// The event coder: compiled lexicons plus options. `Send + Sync`; share one per process.
#[derive(Debug, Clone)]
pub struct Coder {
    compiled: Compiled,
    options: CodeOptions,
}

static EMBEDDED: OnceLock<Coder> = OnceLock::new();

thread_local! {
    /// Per-thread buffers for [`Coder::code_sentence`]: the normalised sentence and its words.
    static SCRATCH: std::cell::RefCell<scan::Scratch> =
        std::cell::RefCell::new(scan::Scratch::default());
}

impl Coder {
    /// The coder built from the embedded lexicons, compiled once per process.
    pub fn embedded() -> &'static Coder {
        EMBEDDED.get_or_init(|| {
            // The embedded data is validated by this crate's tests; failure here is a build bug.
            Coder::try_embedded().unwrap_or_else(|e| panic!("embedded lexicon is invalid: {e}"))
        })
    }

    /// Builds a coder from the embedded lexicons, reporting any validation error.
    pub fn try_embedded() -> Result<Coder, LexiconError> {
        Ok(Coder {
            compiled: Compiled::build(&Sources::embedded())?,
            options: CodeOptions::default(),
        })
    }

    /// The embedded lexicons overlaid with `dir`: `dir/plover.toml`, `dir/cues/*.toml` and
    /// `dir/triggers/<lang>/*.toml` replace the embedded file with the same relative path, or
    /// add to the defaults when the name is new.
    pub fn from_dir(dir: &Path) -> Result<Coder, LexiconError> {
        Ok(Coder {
            compiled: Compiled::build(&Sources::embedded().overlay_dir(dir)?)?,
            options: CodeOptions::default(),
        })
    }

    /// The same coder with other options.
    pub fn with_options(mut self, options: CodeOptions) -> Coder {
        self.options = options;
        self
    }

    pub fn options(&self) -> CodeOptions {
        self.options
    }

    pub fn ontology(&self) -> &Ontology {
        &self.compiled.ontology
    }

    fn table(&self, lang: Lang) -> Option<&LangTable> {
        match lang {
            Lang::En => Some(&self.compiled.en),
            Lang::Ar => Some(&self.compiled.ar),
            _ => None,
        }
    }

    /// The language's table, if it has one and `sentence` fits `text` on char boundaries.
    fn table_for(&self, text: &str, sentence: Span, lang: Lang) -> Option<&LangTable> {
        text.get(sentence.start..sentence.end)?;
        self.table(lang)
    }

    /// Codes the events of the sentence `sentence` of `text` (byte offsets), given the actor
    /// mentions found in it. Returns at most one event per type, most confident first.
    /// Languages without a lexicon give no events.
    pub fn code_sentence(
        &self,
        text: &str,
        sentence: Span,
        lang: Lang,
        actors: &[ActorMention],
    ) -> Vec<EventMention> {
        let Some(table) = self.table_for(text, sentence, lang) else {
            return Vec::new();
        };
        let floor = self.options.min_confidence.unwrap_or(table.min_confidence);
        self.code_with_floor(text, sentence, lang, actors, table, floor)
    }

    /// Codes every sentence of one document, in text order, and returns their mentions in
    /// sentence order.
    ///
    /// Unlike coding each sentence alone, a story lowers the floor: where a sentence of
    /// another paragraph reports an event at the language's `min_confidence`, a sentence's
    /// events down to its `story_min_confidence` are kept. A lone sentence or paragraph that
    /// mentions a riot is often commentary or background (hence the high Arabic floor); the
    /// follow-up paragraphs of a report ("they set fire to ...", "they chanted ...") add
    /// events to the story its lead reports. An explicit [`CodeOptions::min_confidence`]
    /// applies to every sentence instead.
    pub fn code_story<'a, I>(&self, text: &str, sentences: I) -> Vec<EventMention>
    where
        I: IntoIterator<Item = StorySentence<'a>>,
    {
        // Per sentence: its paragraph and its mentions, each with whether it clears the
        // strict floor.
        let mut coded: Vec<(usize, Vec<(EventMention, bool)>)> = Vec::new();
        for StorySentence {
            paragraph,
            span: sentence,
            lang,
            actors,
        } in sentences
        {
            let Some(table) = self.table_for(text, sentence, lang) else {
                continue;
            };
            let (floor, strict) = match self.options.min_confidence {
                Some(f) => (f, f),
                None => (table.story_min_confidence, table.min_confidence),
            };
            let found = self.code_with_floor(text, sentence, lang, actors, table, floor);
            coded.push((
                paragraph,
                found
                    .into_iter()
                    .map(|m| {
                        let strong = m.negated || m.confidence >= strict;
                        (m, strong)
                    })
                    .collect(),
            ));
        }
        // Paragraphs that report an event on their own.
        let anchors: Vec<usize> = coded
            .iter()
            .filter(|(_, ms)| ms.iter().any(|(m, strong)| *strong && !m.negated))
            .map(|(p, _)| *p)
            .collect();
        let mut out: Vec<EventMention> = Vec::new();
        for (paragraph, mentions) in coded {
            let in_story = anchors.iter().any(|&k| k != paragraph);
            for (m, strong) in mentions {
                if !strong {
                    // A definite event noun of a type the story has already reported points
                    // back at it ("ولم تعلق الوزارة على الإضراب"): no new event.
                    let back_reference = rules::is_definite(m.trigger.slice(text))
                        && out.iter().any(|o| o.event_type == m.event_type);
                    if !in_story || back_reference {
                        continue;
                    }
                }
                out.push(m);
            }
        }
        out
    }

    /// [`Coder::code_sentence`] with an explicit confidence floor.
    fn code_with_floor(
        &self,
        text: &str,
        sentence: Span,
        lang: Lang,
        actors: &[ActorMention],
        table: &LangTable,
        floor: f32,
    ) -> Vec<EventMention> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                self.code_scanned(text, sentence, lang, actors, table, floor, &mut scratch)
            }
            // Only reachable if coding re-enters itself on this thread: use fresh buffers.
            Err(_) => {
                let mut scratch = scan::Scratch::default();
                self.code_scanned(text, sentence, lang, actors, table, floor, &mut scratch)
            }
        })
    }

    /// [`Coder::code_sentence`] after the checks, with reusable buffers.
    #[allow(clippy::too_many_arguments)]
    fn code_scanned(
        &self,
        text: &str,
        sentence: Span,
        lang: Lang,
        actors: &[ActorMention],
        table: &LangTable,
        floor: f32,
        scratch: &mut scan::Scratch,
    ) -> Vec<EventMention> {
        scan::scan(text, sentence, lang, table, scratch);
        let toks = scratch.toks.as_slice();
        let matches = rules::find_matches(table, toks, lang);
        let cands = rules::candidates(text, table, toks, &matches, lang);
        let mut out: Vec<EventMention> = Vec::new();
        for c in cands {
            let mut confidence = c.confidence;
            if c.negated {
                if !self.options.include_negated {
                    continue;
                }
                confidence /= 3.0;
            } else if confidence < floor {
                continue;
            }
            let (Some(a), Some(b)) = (toks.get(c.first), toks.get(c.last)) else {
                continue;
            };
            let trigger = Span::new(a.span.start, b.span.end.max(a.span.start));
            let (ev_actors, recipients) = attach::attach(toks, &c, actors, lang);
            let m = EventMention {
                event_type: c.event_type,
                mode: c.mode,
                context: c.context,
                confidence: (confidence * 1000.0).round() / 1000.0,
                negated: c.negated,
                trigger,
                actors: ev_actors,
                recipients,
                sentence,
            };
            // One event per type (and negation) per sentence: keep the strongest.
            match out
                .iter_mut()
                .find(|o| o.event_type == m.event_type && o.negated == m.negated)
            {
                Some(o) if o.confidence >= m.confidence => {}
                Some(o) => *o = m,
                None => out.push(m),
            }
        }
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.trigger.start.cmp(&b.trigger.start))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn coder_is_send_sync() {
        assert_send_sync::<Coder>();
    }

    #[test]
    fn bad_spans_and_other_languages_give_nothing() {
        let c = Coder::embedded();
        let text = "Protesters marched.";
        assert!(c
            .code_sentence(text, Span::new(3, 99), Lang::En, &[])
            .is_empty());
        assert!(c
            .code_sentence(text, Span::new(0, text.len()), Lang::Ru, &[])
            .is_empty());
        let ar = "تظاهر";
        assert!(c
            .code_sentence(ar, Span::new(1, 3), Lang::Ar, &[])
            .is_empty());
    }
}
