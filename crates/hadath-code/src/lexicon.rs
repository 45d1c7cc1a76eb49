//! Trigger lexicons and cue lists: the file formats, validation, and the compiled tables the
//! coder matches against.
//!
//! A trigger file (`data/triggers/<lang>/<family>.toml`) holds `[[trigger]]` entries:
//!
//! ```toml
//! lang = "en"
//! [[trigger]]
//! pattern = "call for|on|upon"   # tokens; `a|b` alternatives; `...` a gap of up to 4 words
//! type = "REQUEST"               # a PLOVER type from plover.toml
//! mode = "appeal"                # optional; must be one of the type's modes
//! context = []                   # optional PLOVER contexts
//! weight = 0.9                   # trigger strength in [0, 1]
//! block = ["statement"]          # optional: words that cancel the trigger within 3 words
//! note = "why this entry exists"
//! ```
//!
//! English pattern words are lemmas: `arrest` matches arrests/arrested/arresting; `=word`
//! matches only that spelling. Arabic pattern words are base forms (perfect verb, singular
//! noun) in ordinary spelling, folded at load time; `word:v` expands as a verb only, `word:n`
//! as a noun only, `=word` only as written (proclitics are always allowed).

use std::collections::HashMap;
use std::path::Path;

use hadath_model::Lang;
use serde::Deserialize;

use crate::morph::{arabic_forms, english_forms, ArPos, Form};
use crate::ontology::{EventType, Ontology};

/// A problem with a lexicon, cue or ontology file.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error(
        "cannot read lexicon file {path}: {source} (check the path given as the lexicon directory)"
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a valid lexicon file: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: entry {entry:?}: {message}")]
    Invalid {
        file: String,
        entry: String,
        message: String,
    },
}

/// The trigger files compiled into the binary: (relative path, contents).
pub(crate) const EMBEDDED_TRIGGERS: &[(&str, &str)] = &[
    (
        "triggers/en/cooperation.toml",
        include_str!("../data/triggers/en/cooperation.toml"),
    ),
    (
        "triggers/en/yield.toml",
        include_str!("../data/triggers/en/yield.toml"),
    ),
    (
        "triggers/en/verbal_conflict.toml",
        include_str!("../data/triggers/en/verbal_conflict.toml"),
    ),
    (
        "triggers/en/protest.toml",
        include_str!("../data/triggers/en/protest.toml"),
    ),
    (
        "triggers/en/material_conflict.toml",
        include_str!("../data/triggers/en/material_conflict.toml"),
    ),
    (
        "triggers/en/assault.toml",
        include_str!("../data/triggers/en/assault.toml"),
    ),
    (
        "triggers/ar/cooperation.toml",
        include_str!("../data/triggers/ar/cooperation.toml"),
    ),
    (
        "triggers/ar/verbal_conflict.toml",
        include_str!("../data/triggers/ar/verbal_conflict.toml"),
    ),
    (
        "triggers/ar/protest.toml",
        include_str!("../data/triggers/ar/protest.toml"),
    ),
    (
        "triggers/ar/material_conflict.toml",
        include_str!("../data/triggers/ar/material_conflict.toml"),
    ),
    (
        "triggers/ar/assault.toml",
        include_str!("../data/triggers/ar/assault.toml"),
    ),
];

/// The cue files compiled into the binary.
pub(crate) const EMBEDDED_CUES: &[(&str, &str)] = &[
    ("cues/en.toml", include_str!("../data/cues/en.toml")),
    ("cues/ar.toml", include_str!("../data/cues/ar.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerFile {
    lang: String,
    #[serde(default, rename = "trigger")]
    triggers: Vec<TriggerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerEntry {
    pattern: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default = "default_weight")]
    weight: f32,
    #[serde(default)]
    block: Vec<String>,
    note: String,
}

fn default_weight() -> f32 {
    0.7
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CueFile {
    lang: String,
    #[serde(default)]
    negation: Vec<String>,
    #[serde(default)]
    negation_exceptions: Vec<String>,
    #[serde(default)]
    denial: Vec<String>,
    #[serde(default)]
    modal: Vec<String>,
    #[serde(default)]
    promise_modal: Vec<String>,
    #[serde(default)]
    modal_before_imperfect: Vec<String>,
    #[serde(default)]
    future: Vec<String>,
    #[serde(default)]
    conditional: Vec<String>,
    #[serde(default)]
    question: Vec<String>,
    #[serde(default)]
    subordinate: Vec<String>,
    #[serde(default)]
    preposition: Vec<String>,
    #[serde(default)]
    determiner: Vec<String>,
    #[serde(default)]
    history: Vec<String>,
    #[serde(default)]
    report_time: Vec<String>,
    #[serde(default)]
    casualty: Vec<String>,
    #[serde(default)]
    background_frame: Vec<String>,
    #[serde(default)]
    min_confidence: Option<f32>,
    #[serde(default)]
    story_min_confidence: Option<f32>,
    #[serde(default)]
    infinitive: Vec<String>,
    #[serde(default)]
    reporting: Vec<String>,
    #[serde(default)]
    passive_aux: Vec<String>,
    #[serde(default)]
    agent: Vec<String>,
    #[serde(default)]
    sports: Vec<String>,
    #[serde(default)]
    metaphor_after: Vec<String>,
    #[serde(default)]
    relative: Vec<String>,
    #[serde(default)]
    demand: Vec<String>,
    #[serde(default)]
    month: Vec<String>,
    #[serde(default)]
    demonstrative: Vec<String>,
    #[serde(default)]
    event_noun: Vec<String>,
    #[serde(default)]
    possibility: Vec<String>,
    #[serde(default)]
    during: Vec<String>,
    #[serde(default)]
    irregular: HashMap<String, Vec<String>>,
}

/// Categories of cue words; a token carries a bit set of the cues that start at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub(crate) enum Cue {
    Negation = 1,
    NegationException = 1 << 1,
    Denial = 1 << 2,
    Modal = 1 << 3,
    PromiseModal = 1 << 4,
    ModalBeforeImperfect = 1 << 5,
    Future = 1 << 6,
    Conditional = 1 << 7,
    Question = 1 << 8,
    Subordinate = 1 << 9,
    Infinitive = 1 << 10,
    Reporting = 1 << 11,
    PassiveAux = 1 << 12,
    Agent = 1 << 13,
    Sports = 1 << 14,
    MetaphorAfter = 1 << 15,
    Preposition = 1 << 16,
    ReportTime = 1 << 17,
    /// Casualty and count words; the scanner also sets it on numbers.
    Casualty = 1 << 18,
    BackgroundFrame = 1 << 19,
    Determiner = 1 << 20,
    /// Past-time frames; the scanner also sets it on years (1900-2099).
    History = 1 << 21,
    /// Relative pronouns: a trigger verb right after one describes its noun (background).
    Relative = 1 << 22,
    /// Verbs of wanting or demanding that take an object and an infinitive ("want the
    /// government to resign"): the yielding act is what is demanded, not an event.
    Demand = 1 << 23,
    /// Month names: a sentence opening with a day and a month is a dated timeline entry.
    Month = 1 << 24,
    /// Demonstratives: "هذه المظاهرات", "ذلك الهجوم" refer back to an event already reported.
    Demonstrative = 1 << 25,
    /// Generic event nouns ("العملية", "الحادث") that a demonstrative can point back with.
    EventNoun = 1 << 26,
    /// Words of possibility that can follow their subject ("ضربات جوية يمكن أن تستهدف").
    Possibility = 1 << 27,
    /// Prepositions of time ("خلال", "أثناء"): before a definite event noun they point back at
    /// an event already reported.
    During = 1 << 28,
}

/// One token of a compiled pattern.
#[derive(Debug, Clone)]
pub(crate) enum PatTok {
    /// Any of these terms.
    Terms(Vec<u32>),
    /// Up to four words of any kind (not across a clause boundary).
    Gap,
}

/// Lexicon keys are short and looked up several times per word: FxHash, not SipHash
/// (keys come from lexicons, never from untrusted input).
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// A compiled trigger entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub pattern: Vec<PatTok>,
    pub event_type: EventType,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub weight: f32,
    pub block: Vec<u32>,
    /// Number of word tokens in the pattern (gaps not counted): longer patterns win overlaps.
    pub words: usize,
}

/// Everything compiled for one language.
#[derive(Debug, Clone, Default)]
pub(crate) struct LangTable {
    /// Surface form (folded; for Arabic without proclitics) -> terms it realises.
    pub forms: FastMap<String, Vec<(u32, Form)>>,
    pub entries: Vec<Entry>,
    /// Term -> entries whose first pattern token includes it.
    pub by_first: FastMap<u32, Vec<u32>>,
    /// Term -> cue phrases starting with it: (category, phrase terms).
    pub cue_first: FastMap<u32, Vec<(Cue, Vec<u32>)>>,
    /// Events of this language below this confidence are dropped (the cue file's
    /// `min_confidence`; precision matters more in some languages' data).
    pub min_confidence: f32,
    /// The floor for a sentence of a document whose other sentences already report an event
    /// at `min_confidence` (the cue file's `story_min_confidence`; at most `min_confidence`).
    pub story_min_confidence: f32,
    /// Arabic terms that are verbs only (`word:v`): never read through an article or ب/ك.
    pub verb_only: rustc_hash::FxHashSet<u32>,
    terms: HashMap<String, u32>,
    irregular: HashMap<String, Vec<String>>,
}

impl LangTable {
    fn term(&mut self, key: String, expand: impl FnOnce() -> Vec<(String, Form)>) -> u32 {
        if let Some(&id) = self.terms.get(&key) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.insert(key, id);
        for (form, kind) in expand() {
            let v = self.forms.entry(form).or_default();
            if !v.iter().any(|(t, _)| *t == id) {
                v.push((id, kind));
            }
        }
        id
    }

    /// The term for one pattern word.
    fn word_term(&mut self, lang: Lang, word: &str) -> Option<u32> {
        let word = word.trim();
        if word.is_empty() {
            return None;
        }
        match lang {
            Lang::Ar => {
                let (w, pos) = if let Some(w) = word.strip_prefix('=') {
                    (w, ArPos::Exact)
                } else if let Some(w) = word.strip_suffix(":v") {
                    (w, ArPos::Verb)
                } else if let Some(w) = word.strip_suffix(":n") {
                    (w, ArPos::Noun)
                } else {
                    (word, ArPos::Any)
                };
                let k = hadath_normalize::key(w);
                let tag = match pos {
                    ArPos::Exact => "=",
                    ArPos::Verb => "v:",
                    ArPos::Noun => "n:",
                    ArPos::Any => "a:",
                };
                let id = self.term(format!("{tag}{k}"), || arabic_forms(&k, pos));
                if pos == ArPos::Verb {
                    self.verb_only.insert(id);
                }
                Some(id)
            }
            _ => {
                if let Some(w) = word.strip_prefix('=') {
                    let k = hadath_normalize::key(w);
                    Some(self.term(format!("={k}"), || vec![(k.clone(), Form::Plain)]))
                } else {
                    let k = hadath_normalize::key(word);
                    let irr = self.irregular.get(&k).cloned().unwrap_or_default();
                    Some(self.term(k.clone(), || {
                        english_forms(&k, &irr)
                            .into_iter()
                            .map(|f| (f, Form::Plain))
                            .collect()
                    }))
                }
            }
        }
    }

    /// The terms of a cue phrase: each word exactly as written (folded).
    fn cue_phrase(&mut self, phrase: &str) -> Vec<u32> {
        phrase
            .split_whitespace()
            .map(|w| {
                let k = hadath_normalize::key(w);
                self.term(format!("={k}"), || vec![(k.clone(), Form::Plain)])
            })
            .collect()
    }
}

/// Parses a trigger-file pattern into tokens, interning terms.
fn compile_pattern(
    table: &mut LangTable,
    lang: Lang,
    pattern: &str,
) -> Result<Vec<PatTok>, String> {
    let mut out = Vec::new();
    for word in pattern.split_whitespace() {
        if word == "..." {
            if out.is_empty() {
                return Err("a pattern cannot start with a gap `...`".into());
            }
            out.push(PatTok::Gap);
            continue;
        }
        let mut terms = Vec::new();
        for alt in word.split('|') {
            if let Some(t) = table.word_term(lang, alt) {
                terms.push(t);
            }
        }
        if terms.is_empty() {
            return Err(format!("empty alternative in {word:?}"));
        }
        out.push(PatTok::Terms(terms));
    }
    match out.last() {
        None => Err("empty pattern".into()),
        Some(PatTok::Gap) => Err("a pattern cannot end with a gap `...`".into()),
        _ => Ok(out),
    }
}

/// The source texts of a lexicon: ontology, cue files and trigger files, by relative path.
#[derive(Debug, Clone)]
pub(crate) struct Sources {
    pub ontology: (String, String),
    pub cues: Vec<(String, String)>,
    pub triggers: Vec<(String, String)>,
}

impl Sources {
    pub fn embedded() -> Sources {
        Sources {
            ontology: (
                "plover.toml".into(),
                include_str!("../data/plover.toml").into(),
            ),
            cues: EMBEDDED_CUES
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
            triggers: EMBEDDED_TRIGGERS
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// The embedded sources overlaid with a user directory: `DIR/plover.toml` replaces the
    /// ontology; `DIR/cues/*.toml` and `DIR/triggers/<lang>/*.toml` replace the embedded file of
    /// the same relative path or add a new one.
    pub fn overlay_dir(mut self, dir: &Path) -> Result<Sources, LexiconError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| LexiconError::Io {
                path: p.display().to_string(),
                source,
            })
        };
        if !dir.is_dir() {
            return Err(LexiconError::Io {
                path: dir.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory"),
            });
        }
        let onto = dir.join("plover.toml");
        if onto.is_file() {
            self.ontology = ("plover.toml".into(), read(&onto)?);
        }
        let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
        let cues = dir.join("cues");
        if cues.is_dir() {
            for f in list_toml(&cues)? {
                files.push((format!("cues/{}", file_name(&f)), f));
            }
        }
        let trig = dir.join("triggers");
        if trig.is_dir() {
            let mut langs: Vec<_> = std::fs::read_dir(&trig)
                .map_err(|source| LexiconError::Io {
                    path: trig.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            langs.sort();
            for l in langs {
                for f in list_toml(&l)? {
                    files.push((format!("triggers/{}/{}", file_name(&l), file_name(&f)), f));
                }
            }
        }
        for (rel, path) in files {
            let text = read(&path)?;
            let list = if rel.starts_with("cues/") {
                &mut self.cues
            } else {
                &mut self.triggers
            };
            match list.iter_mut().find(|(p, _)| *p == rel) {
                Some(slot) => slot.1 = text,
                None => list.push((rel, text)),
            }
        }
        Ok(self)
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn list_toml(dir: &Path) -> Result<Vec<std::path::PathBuf>, LexiconError> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map_err(|source| LexiconError::Io {
            path: dir.display().to_string(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    Ok(v)
}

/// Compiled lexicons for every language the coder handles.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub ontology: Ontology,
    pub en: LangTable,
    pub ar: LangTable,
}

fn parse_lang(file: &str, lang: &str) -> Result<Lang, LexiconError> {
    match Lang::from_code(lang) {
        Some(l @ (Lang::En | Lang::Ar)) => Ok(l),
        _ => Err(LexiconError::Invalid {
            file: file.to_string(),
            entry: format!("lang = {lang:?}"),
            message: "only \"en\" and \"ar\" lexicons are supported".into(),
        }),
    }
}

impl Compiled {
    pub fn build(src: &Sources) -> Result<Compiled, LexiconError> {
        let ontology = Ontology::parse(&src.ontology.0, &src.ontology.1)?;
        let mut en = LangTable::default();
        let mut ar = LangTable::default();
        // Cue files first: English irregular forms must be known before lemmas expand.
        let mut cue_files = Vec::new();
        for (file, text) in &src.cues {
            let cf: CueFile = toml::from_str(text).map_err(|e| LexiconError::Parse {
                file: file.clone(),
                message: e.to_string(),
            })?;
            let lang = parse_lang(file, &cf.lang)?;
            let table = if lang == Lang::Ar { &mut ar } else { &mut en };
            for (lemma, forms) in &cf.irregular {
                table.irregular.insert(
                    hadath_normalize::key(lemma),
                    forms.iter().map(|f| hadath_normalize::key(f)).collect(),
                );
            }
            cue_files.push((lang, cf));
        }
        for (lang, cf) in &cue_files {
            let table = if *lang == Lang::Ar { &mut ar } else { &mut en };
            table.min_confidence = cf.min_confidence.unwrap_or(0.0);
            table.story_min_confidence = cf.story_min_confidence.unwrap_or(table.min_confidence);
            for (key, v) in [
                ("min_confidence", table.min_confidence),
                ("story_min_confidence", table.story_min_confidence),
            ] {
                if !(0.0..=1.0).contains(&v) {
                    return Err(LexiconError::Parse {
                        file: format!("cues/{}.toml", lang.code()),
                        message: format!("{key} = {v} is outside 0..=1"),
                    });
                }
            }
            if table.story_min_confidence > table.min_confidence {
                return Err(LexiconError::Parse {
                    file: format!("cues/{}.toml", lang.code()),
                    message: format!(
                        "story_min_confidence = {} is above min_confidence = {}: the floor inside a reported story can only be lower",
                        table.story_min_confidence, table.min_confidence
                    ),
                });
            }
            let lists: [(Cue, &Vec<String>); 29] = [
                (Cue::History, &cf.history),
                (Cue::Determiner, &cf.determiner),
                (Cue::ReportTime, &cf.report_time),
                (Cue::Casualty, &cf.casualty),
                (Cue::BackgroundFrame, &cf.background_frame),
                (Cue::Preposition, &cf.preposition),
                (Cue::Negation, &cf.negation),
                (Cue::NegationException, &cf.negation_exceptions),
                (Cue::Denial, &cf.denial),
                (Cue::Modal, &cf.modal),
                (Cue::PromiseModal, &cf.promise_modal),
                (Cue::ModalBeforeImperfect, &cf.modal_before_imperfect),
                (Cue::Future, &cf.future),
                (Cue::Conditional, &cf.conditional),
                (Cue::Question, &cf.question),
                (Cue::Subordinate, &cf.subordinate),
                (Cue::Infinitive, &cf.infinitive),
                (Cue::Reporting, &cf.reporting),
                (Cue::PassiveAux, &cf.passive_aux),
                (Cue::Agent, &cf.agent),
                (Cue::Sports, &cf.sports),
                (Cue::MetaphorAfter, &cf.metaphor_after),
                (Cue::Relative, &cf.relative),
                (Cue::Demand, &cf.demand),
                (Cue::Month, &cf.month),
                (Cue::Demonstrative, &cf.demonstrative),
                (Cue::EventNoun, &cf.event_noun),
                (Cue::Possibility, &cf.possibility),
                (Cue::During, &cf.during),
            ];
            for (cue, words) in lists {
                for w in words {
                    let phrase = table.cue_phrase(w);
                    if let Some(&first) = phrase.first() {
                        table
                            .cue_first
                            .entry(first)
                            .or_default()
                            .push((cue, phrase));
                    }
                }
            }
        }
        for (file, text) in &src.triggers {
            let tf: TriggerFile = toml::from_str(text).map_err(|e| LexiconError::Parse {
                file: file.clone(),
                message: e.to_string(),
            })?;
            let lang = parse_lang(file, &tf.lang)?;
            let table = if lang == Lang::Ar { &mut ar } else { &mut en };
            for t in tf.triggers {
                let invalid = |message: String| LexiconError::Invalid {
                    file: file.clone(),
                    entry: t.pattern.clone(),
                    message,
                };
                let event_type = EventType::parse(&t.event_type).ok_or_else(|| {
                    invalid(format!(
                        "unknown type {:?}: use one of the 16 PLOVER types in plover.toml",
                        t.event_type
                    ))
                })?;
                if let Some(m) = &t.mode {
                    if !ontology.has_mode(event_type, m) {
                        return Err(invalid(format!(
                            "mode {m:?} is not a mode of {event_type} in plover.toml"
                        )));
                    }
                }
                if let Some(c) = t.context.iter().find(|c| !ontology.has_context(c)) {
                    return Err(invalid(format!("unknown context {c:?}")));
                }
                if !(0.0..=1.0).contains(&t.weight) {
                    return Err(invalid(format!("weight {} is not in [0, 1]", t.weight)));
                }
                if t.note.trim().is_empty() {
                    return Err(invalid(
                        "every entry needs a note saying why it exists".into(),
                    ));
                }
                let pattern = compile_pattern(table, lang, &t.pattern).map_err(invalid)?;
                let mut block = Vec::new();
                for b in &t.block {
                    if let Some(id) = table.word_term(lang, b) {
                        block.push(id);
                    }
                }
                let words = pattern
                    .iter()
                    .filter(|p| matches!(p, PatTok::Terms(_)))
                    .count();
                let idx = table.entries.len() as u32;
                if let Some(PatTok::Terms(first)) = pattern.first() {
                    for &f in first {
                        table.by_first.entry(f).or_default().push(idx);
                    }
                }
                table.entries.push(Entry {
                    pattern,
                    event_type,
                    mode: t.mode,
                    context: t.context,
                    weight: t.weight,
                    block,
                    words,
                });
            }
        }
        Ok(Compiled { ontology, en, ar })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_trigger(file: &str, body: &str) -> Sources {
        let mut s = Sources::embedded();
        s.triggers.push((file.to_string(), body.to_string()));
        s
    }

    #[test]
    fn embedded_lexicons_compile() {
        let c = Compiled::build(&Sources::embedded()).unwrap();
        assert!(c.en.entries.len() > 100, "{}", c.en.entries.len());
        assert!(c.ar.entries.len() > 60, "{}", c.ar.entries.len());
    }

    #[test]
    fn unknown_type_names_file_and_entry() {
        let s = with_trigger(
            "triggers/en/x.toml",
            "lang = \"en\"\n[[trigger]]\npattern = \"skirmish\"\ntype = \"FIGHT\"\nnote = \"n\"\n",
        );
        let e = Compiled::build(&s).unwrap_err().to_string();
        assert!(
            e.contains("triggers/en/x.toml") && e.contains("skirmish"),
            "{e}"
        );
        assert!(e.contains("FIGHT"), "{e}");
    }

    #[test]
    fn unknown_mode_and_bad_weight_are_errors() {
        let s = with_trigger(
            "triggers/en/y.toml",
            "lang = \"en\"\n[[trigger]]\npattern = \"march\"\ntype = \"PROTEST\"\nmode = \"aerial\"\nnote = \"n\"\n",
        );
        let e = Compiled::build(&s).unwrap_err().to_string();
        assert!(e.contains("aerial") && e.contains("PROTEST"), "{e}");
        let s = with_trigger(
            "triggers/en/z.toml",
            "lang = \"en\"\n[[trigger]]\npattern = \"march\"\ntype = \"PROTEST\"\nweight = 2.0\nnote = \"n\"\n",
        );
        assert!(Compiled::build(&s).is_err());
        let s = with_trigger(
            "triggers/en/g.toml",
            "lang = \"en\"\n[[trigger]]\npattern = \"... march\"\ntype = \"PROTEST\"\nnote = \"n\"\n",
        );
        assert!(Compiled::build(&s).is_err());
        let s = with_trigger("triggers/fr/g.toml", "lang = \"fr\"\n");
        assert!(Compiled::build(&s).is_err());
    }

    proptest::proptest! {
        // Each case compiles the whole lexicon: a few dozen cases are plenty.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Arbitrary file contents never panic the loader: they load or give an error.
        #[test]
        fn arbitrary_trigger_files_never_panic(body in "\\PC{0,200}") {
            let s = with_trigger("triggers/en/p.toml", &body);
            let _ = Compiled::build(&s);
        }

        #[test]
        fn arbitrary_patterns_never_panic(pat in "[a-z|.= ]{0,40}", ar in "[\u{0621}-\u{064A} |:]{0,30}") {
            let body = format!(
                "lang = \"en\"\n[[trigger]]\npattern = {pat:?}\ntype = \"PROTEST\"\nnote = \"n\"\n"
            );
            let _ = Compiled::build(&with_trigger("triggers/en/p.toml", &body));
            let body = format!(
                "lang = \"ar\"\n[[trigger]]\npattern = {ar:?}\ntype = \"PROTEST\"\nnote = \"n\"\n"
            );
            let _ = Compiled::build(&with_trigger("triggers/ar/p.toml", &body));
        }
    }
}
