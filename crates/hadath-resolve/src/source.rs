//! Attribution: who a statement is reported by.
//!
//! Patterns, all driven by `data/sources.toml`:
//! - English source before a reporting verb: "Interfax reports", "the Interior Ministry said",
//!   "state media reported" (capitalised words, or lower-case words from the noun list, with
//!   "of"/"for"/"the" inside);
//! - English inverted order after a comma or quote: '…," said the ministry';
//! - English intros: "according to state media", "citing officials";
//! - Arabic intros followed by the source: "حسبما نقلت وسائل إعلام محلية ودولية", "بحسب …",
//!   "وفقا لـ…", "نقلا عن …" (any noun phrase);
//! - Arabic reporting verbs followed by their subject: "نقلت وكالة رويترز عن …", "أفادت …",
//!   "قال الرئيس … إن" (accepted when the first word is a source noun or a complementiser
//!   closes the phrase);
//! - a wire credit in a dateline: "ALMATY, Jan 5 (Reuters) -";
//! - a post signature line: "— Name (@handle) …".
//!
//! The span covers the source only (determiners such as a leading "the" are left out); an
//! Arabic source ends at a complementiser (أن, إن, عن), a preposition that starts the reported
//! content (إلى, على), a time word, "في بيان" and the like, or punctuation other than a
//! parenthesised part, which it keeps whole: "وكالة الأنباء الرسمية في كازاخستان (كازينفورم)".

use std::sync::OnceLock;

use hadath_model::{Lang, Span};
use serde::{Deserialize, Serialize};

use crate::text::{Openers, PhraseSet, Tokens};
use crate::{parse_toml, phrase_set, LexiconError};

/// A source a statement is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Byte span of the source's name in the text.
    pub span: Span,
    /// The text of that span.
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    english: English,
    arabic: Arabic,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct English {
    verbs: Vec<String>,
    intros: Vec<String>,
    nouns: Vec<String>,
    connectors: Vec<String>,
    determiners: Vec<String>,
    pronouns: Vec<String>,
    stops: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Arabic {
    intros: Vec<String>,
    verbs: Vec<String>,
    nouns: Vec<String>,
    complementisers: Vec<String>,
    stops: Vec<String>,
    l_stops: Vec<String>,
    b_verbs: Vec<String>,
    trailing: Vec<String>,
    glued_prepositions: Vec<String>,
    max_open_words: usize,
    max_words: usize,
}

/// The compiled attribution lexicon.
#[derive(Debug, Clone)]
pub struct SourceLexicon {
    en_verbs: PhraseSet<()>,
    en_intros: PhraseSet<()>,
    en_nouns: PhraseSet<()>,
    en_connectors: PhraseSet<()>,
    en_determiners: PhraseSet<()>,
    en_pronouns: PhraseSet<()>,
    en_stops: PhraseSet<()>,
    ar_intros: PhraseSet<()>,
    ar_verbs: PhraseSet<()>,
    ar_nouns: PhraseSet<()>,
    ar_complementisers: PhraseSet<()>,
    ar_stops: PhraseSet<()>,
    ar_l_stops: Vec<String>,
    ar_b_verbs: PhraseSet<()>,
    ar_trailing: PhraseSet<()>,
    ar_glued: PhraseSet<()>,
    max_open_words: usize,
    max_words: usize,
    /// First words of intros and verbs in both languages, plus "(" and dashes.
    openers: Openers,
}

/// The default lexicon's source (`data/sources.toml`).
pub const DEFAULT_LEXICON: &str = include_str!("../data/sources.toml");

impl SourceLexicon {
    /// Parses and validates a lexicon in the format of `data/sources.toml`.
    pub fn from_toml(src: &str) -> Result<SourceLexicon, LexiconError> {
        const NAME: &str = "sources";
        let f: File = parse_toml(NAME, src)?;
        if !(1..=30).contains(&f.arabic.max_words) {
            return Err(LexiconError::invalid(
                NAME,
                format!("arabic.max_words {} is not in 1..=30", f.arabic.max_words),
            ));
        }
        if f.english.verbs.is_empty() && f.arabic.verbs.is_empty() {
            return Err(LexiconError::invalid(NAME, "no reporting verbs at all"));
        }
        let set = |field: &str, v: &[String]| phrase_set(NAME, field, v, ());
        let (e, a) = (&f.english, &f.arabic);
        let mut lex = SourceLexicon {
            en_verbs: set("english.verbs", &e.verbs)?,
            en_intros: set("english.intros", &e.intros)?,
            en_nouns: set("english.nouns", &e.nouns)?,
            en_connectors: set("english.connectors", &e.connectors)?,
            en_determiners: set("english.determiners", &e.determiners)?,
            en_pronouns: set("english.pronouns", &e.pronouns)?,
            en_stops: set("english.stops", &e.stops)?,
            ar_intros: set("arabic.intros", &a.intros)?,
            ar_verbs: set("arabic.verbs", &a.verbs)?,
            ar_nouns: set("arabic.nouns", &a.nouns)?,
            ar_complementisers: set("arabic.complementisers", &a.complementisers)?,
            ar_stops: set("arabic.stops", &a.stops)?,
            ar_l_stops: a.l_stops.iter().map(|w| hadath_normalize::key(w)).collect(),
            ar_b_verbs: set("arabic.b_verbs", &a.b_verbs)?,
            ar_trailing: set("arabic.trailing", &a.trailing)?,
            ar_glued: set("arabic.glued_prepositions", &a.glued_prepositions)?,
            max_open_words: a.max_open_words,
            max_words: a.max_words,
            openers: Openers::default(),
        };
        let mut o = Openers::default();
        for set in [
            &lex.en_verbs,
            &lex.en_intros,
            &lex.ar_intros,
            &lex.ar_verbs,
            &lex.ar_glued,
        ] {
            o.add(set);
        }
        let marks: Vec<String> = ["(", "—", "-", "–"].map(String::from).to_vec();
        o.add(&phrase_set(NAME, "marks", &marks, ())?);
        lex.openers = o;
        Ok(lex)
    }

    /// The built-in lexicon (`data/sources.toml`), parsed once.
    pub fn builtin() -> Result<&'static SourceLexicon, &'static LexiconError> {
        static LEX: OnceLock<Result<SourceLexicon, LexiconError>> = OnceLock::new();
        LEX.get_or_init(|| SourceLexicon::from_toml(DEFAULT_LEXICON))
            .as_ref()
    }
}

/// Attribution phrases in `span` of `text`, with the built-in lexicon; returns the spans of the
/// sources, in text order, without overlaps. `lang` is a hint only.
pub fn find_attributions(text: &str, span: Span, lang: Lang) -> Vec<Attribution> {
    match SourceLexicon::builtin() {
        Ok(lex) => find_attributions_with(lex, text, span, lang),
        Err(_) => Vec::new(),
    }
}

/// [`find_attributions`] with a lexicon of your own.
pub fn find_attributions_with(
    lex: &SourceLexicon,
    text: &str,
    span: Span,
    _lang: Lang,
) -> Vec<Attribution> {
    match Tokens::new(text, span) {
        Some(t) => attributions_in(lex, &t, text),
        None => Vec::new(),
    }
}

/// The attributions in tokens already made from `text`.
pub(crate) fn attributions_in(lex: &SourceLexicon, t: &Tokens, text: &str) -> Vec<Attribution> {
    let f = Finder { lex, t };
    let mut spans: Vec<Span> = Vec::new();
    for i in 0..t.len() {
        if !lex.openers.may_start(t, i) {
            continue;
        }
        let found = f
            .arabic_at(i)
            .or_else(|| f.english_intro_at(i))
            .or_else(|| f.english_verb_at(i))
            .or_else(|| f.wire_credit_at(i))
            .or_else(|| f.signature_at(i));
        if let Some(s) = found.filter(|s| !s.is_empty()) {
            if !spans.iter().any(|o| o.overlaps(s)) {
                spans.push(s);
            }
        }
    }
    spans.sort();
    spans
        .into_iter()
        .map(|s| Attribution {
            span: s,
            text: s.slice(text).to_string(),
        })
        .collect()
}

struct Finder<'a> {
    lex: &'a SourceLexicon,
    t: &'a Tokens,
}

fn is_arabic(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

impl Finder<'_> {
    fn latin_word(&self, k: usize) -> bool {
        self.t.is_word(k) && !is_arabic(self.t.key(k))
    }

    fn arabic_at(&self, i: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        if !is_arabic(t.key(i)) {
            return None;
        }
        let intro = lex.ar_intros.end_at(t, i);
        let verb = lex.ar_verbs.end_at(t, i);
        let (e, strong) = match (intro, verb) {
            (Some(a), Some(b)) if b > a => (b, false),
            (Some(a), _) => (a, true),
            (None, Some(b)) => (b, false),
            (None, None) => {
                return self.glued_at(i);
            }
        };
        let b_stop = lex.ar_b_verbs.end_at(t, i) == Some(e);
        let (first, last, closed) = self.arabic_phrase(e, b_stop, false)?;
        let plausible =
            lex.ar_nouns.end_at(t, first).is_some() && last - first <= lex.max_open_words;
        (strong || plausible || closed).then(|| t.span(first, last))
    }

    /// "وفقا للوكالة": the source starts after the glued ل.
    fn glued_at(&self, i: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        let e = lex.ar_glued.end_at(t, i)?;
        let key = t.key(e);
        if !key.starts_with('ل') || key.chars().count() < 3 {
            return None;
        }
        let (first, last, _) = self.arabic_phrase(e, false, true)?;
        let (ks, _) = t.key_range(first);
        let (_, ke) = t.key_range(last - 1);
        // "لوزارة الداخلية" → "وزارة الداخلية"; "للوكالة" keeps its ل: the article's alef is
        // not written, so no clean span exists without it.
        let cut = if key.starts_with("لل") {
            0
        } else {
            'ل'.len_utf8()
        };
        Some(t.key_span(ks + cut, ke))
    }

    /// The noun phrase starting at token `e`: (first, end exclusive, closed by a complementiser).
    /// `b_stop`: a ب-word ends it; `glued`: the first word carries a glued ل that is no stop.
    fn arabic_phrase(&self, e: usize, b_stop: bool, glued: bool) -> Option<(usize, usize, bool)> {
        let (lex, t) = (self.lex, self.t);
        let mut k = e;
        let mut end = e;
        let mut words = 0;
        let mut closed = false;
        while k < t.len() {
            if t.is_punct(k, "(") {
                let close = (k + 1..t.len().min(k + 8)).find(|&c| t.is_punct(c, ")"));
                match close {
                    Some(c) if words > 0 => {
                        (k, end) = (c + 1, c + 1);
                        continue;
                    }
                    _ => break,
                }
            }
            if !t.is_word(k) {
                break;
            }
            if lex.ar_complementisers.end_at(t, k).is_some() {
                closed = true;
                break;
            }
            if lex.ar_stops.end_at(t, k).is_some()
                || (self.l_stop(k) && !(glued && k == e))
                || (b_stop && words > 0 && t.key(k).starts_with('ب'))
            {
                break;
            }
            words += 1;
            if words > lex.max_words {
                return None;
            }
            k += 1;
            end = k;
        }
        while end > e && lex.ar_trailing.end_at(t, end - 1) == Some(end) {
            end -= 1;
        }
        (end > e).then_some((e, end, closed))
    }

    fn l_stop(&self, k: usize) -> bool {
        let key = self.t.key(k);
        key.starts_with('ل')
            && self
                .t
                .variants(k)
                .skip(1)
                .any(|v| self.lex.ar_l_stops.iter().any(|s| s == v))
    }

    fn english_intro_at(&self, i: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        if !self.latin_word(i) {
            return None;
        }
        let e = lex.en_intros.end_at(t, i)?;
        self.latin_phrase(e)
    }

    fn english_verb_at(&self, i: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        if !self.latin_word(i) || t.upper(i) || lex.en_verbs.end_at(t, i).is_none() {
            return None;
        }
        let part = |k: usize| {
            (self.latin_word(k)
                && (t.upper(k)
                    || lex.en_nouns.end_at(t, k).is_some()
                    || lex.en_connectors.end_at(t, k).is_some()))
                || (lex.en_connectors.end_at(t, k).is_some()
                    && t.touches_next(k)
                    && k > 0
                    && t.touches_next(k - 1))
        };
        // "… in Kazakhstan and says": a verb after a connector has a shared subject further back.
        if i > 0 && lex.en_connectors.end_at(t, i - 1) == Some(i) {
            return None;
        }
        let mut first = i;
        while first > 0 && i - first < 7 && part(first - 1) {
            first -= 1;
        }
        if let Some(s) = self.trimmed(first, i) {
            return Some(s);
        }
        // '…," said the ministry'
        let prev = i.checked_sub(1)?;
        if !matches!(t.key(prev), "," | "\"" | "”" | "'" | "“") {
            return None;
        }
        let start = lex.en_verbs.end_at(t, i)?;
        self.latin_phrase(start)
    }

    /// Latin words from `e` up to a stop word or punctuation (at most 8), trimmed.
    fn latin_phrase(&self, e: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        let mut k = e;
        while k < t.len() && k < e + 8 && self.latin_word(k) {
            if lex.en_stops.end_at(t, k).is_some()
                && !(k == e && lex.en_determiners.end_at(t, k).is_some())
            {
                break;
            }
            k += 1;
        }
        self.trimmed(e, k)
    }

    /// Tokens `first..end` less connectors at the edges and leading determiners; `None` when
    /// nothing is left or only a pronoun.
    fn trimmed(&self, mut first: usize, mut end: usize) -> Option<Span> {
        let (lex, t) = (self.lex, self.t);
        let edge = |k: usize| {
            lex.en_connectors.end_at(t, k) == Some(k + 1)
                || lex.en_determiners.end_at(t, k) == Some(k + 1)
                || !t.is_word(k)
        };
        while first < end && edge(first) {
            first += 1;
        }
        while end > first && edge(end - 1) {
            end -= 1;
        }
        if first >= end {
            return None;
        }
        if end - first == 1 && lex.en_pronouns.end_at(t, first).is_some() {
            return None;
        }
        Some(t.span(first, end))
    }

    /// "(Reuters) -" in a dateline.
    fn wire_credit_at(&self, i: usize) -> Option<Span> {
        let t = self.t;
        if !t.is_punct(i, "(") {
            return None;
        }
        let close = (i + 2..t.len().min(i + 5)).find(|&c| t.is_punct(c, ")"))?;
        let dash = matches!(t.key(close + 1), "-" | "—" | "–");
        let names = (i + 1..close).all(|k| self.latin_word(k) && t.upper(k));
        (dash && names).then(|| t.span(i + 1, close))
    }

    /// "— Name (@handle)", a post's signature.
    fn signature_at(&self, i: usize) -> Option<Span> {
        let t = self.t;
        // An em dash anywhere (flattened embeds put the signature inline); a hyphen or en dash
        // only at the start of a line.
        let line_start = i == 0 || t.is_punct(i - 1, "\n");
        if !(t.key(i) == "—" || (matches!(t.key(i), "-" | "–") && line_start)) {
            return None;
        }
        let open = (i + 2..t.len().min(i + 8)).find(|&c| t.is_punct(c, "("))?;
        let names = (i + 1..open).all(|k| t.is_word(k) || t.is_punct(k, "."));
        if !names || !t.is_punct(open + 1, "@") {
            return None;
        }
        let close = (open + 2..t.len().min(open + 6)).find(|&c| t.is_punct(c, ")"))?;
        Some(t.span(i + 1, close + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(text: &str) -> Vec<String> {
        find_attributions(text, Span::new(0, text.len()), Lang::Und)
            .into_iter()
            .map(|a| a.text)
            .collect()
    }

    /// before → sources found
    #[test]
    fn table() {
        let table: &[(&str, &[&str])] = &[
            ("Troops opened fire on the crowd, Tass reports.", &["Tass"]),
            ("The Interior Ministry said 40 people were held.", &["Interior Ministry"]),
            ("Fuel prices doubled, according to state media.", &["state media"]),
            ("\"Order will be restored,\" said the regional governor.", &["regional governor"]),
            ("He said the talks had failed.", &[]),
            ("The United States imposed sanctions.", &[]),
            ("\"We are ready,\" the envoy said Monday.", &["envoy"]),
            ("\"We are ready,\" said Monday the envoy.", &[]),
            ("Local officials told reporters the road was closed.", &["Local officials"]),
            ("A spokesman for the army said no shots were fired.", &["spokesman for the army"]),
            ("ASTANA, Jan 6 (Wire) - Banks closed early.", &["Wire"]),
            ("Stay safe everyone\n— Jane Roe (@janeroe) January 6, 2022", &["Jane Roe (@janeroe)"]),
            ("وأغلقت المحال أبوابها، حسبما نقلت وسائل إعلام رسمية وخاصة.", &["وسائل إعلام رسمية وخاصة"]),
            ("وطالب المحتجون بالإفراج عن الموقوفين، حسبما ذكرت وكالة الأنباء المحلية في أستانا (بالتا).", &["وكالة الأنباء المحلية في أستانا (بالتا)"]),
            ("ونقلت وكالة رويترز عن شهود أن الشرطة انسحبت.", &["وكالة رويترز"]),
            ("وأفادت مصادر طبية بوقوع إصابات.", &["مصادر طبية"]),
            ("وقال الرئيس الكازاخي إن الوضع تحت السيطرة.", &["الرئيس الكازاخي"]),
            ("وقالت إن المتظاهرين انسحبوا.", &[]),
            ("ونقل المسعفون المصابين إلى المستشفى.", &[]),
            ("وقالت الشرطة لرويترز إن الطريق مغلق.", &["الشرطة"]),
            ("بحسب المرصد السوري لحقوق الإنسان، قتل شخصان.", &["المرصد السوري لحقوق الإنسان"]),
            ("وفقاً للوكالة الرسمية، عاد الهدوء.", &["للوكالة الرسمية"]),
            ("وفقا لوزارة الداخلية، عاد الهدوء.", &["وزارة الداخلية"]),
            ("وأشارت وسائل إعلام محلية إلى توقف الرحلات.", &["وسائل إعلام محلية"]),
            ("وقال أيضا إن المفاوضات مستمرة.", &[]),
            ("ونقلت الوكالة قوله إن الوضع هادئ.", &["الوكالة"]),
            ("Crowds filled the square and says nothing", &[]),
            ("قال مصدر أمني لـ\"الوكالة\" إن الطريق مغلق.", &["مصدر أمني"]),
        ];
        for (text, want) in table {
            assert_eq!(a(text), *want, "{text:?}");
        }
    }

    #[test]
    fn builtin_lexicon_loads_and_bad_ones_are_refused() {
        assert!(SourceLexicon::builtin().is_ok());
        let bad = DEFAULT_LEXICON.replace("max_words = 9", "max_words = 0");
        assert!(SourceLexicon::from_toml(&bad).is_err());
        assert!(SourceLexicon::from_toml("[english]").is_err());
    }
}
