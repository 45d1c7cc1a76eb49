//! Sentence scanning: words with their offsets, the lexicon terms each word realises, the cue
//! categories that start at it, and the clause boundaries between words.

use hadath_model::{Lang, Span};

use crate::lexicon::{Cue, LangTable};
use crate::morph::{arabic_splits_into, Form, Splits};

/// A term a word realises: (term id, form, irrealis proclitic).
pub(crate) type TermHit = (u32, Form, bool);

/// Terms kept inline before spilling to the heap: most words realise none or a few.
const INLINE_TERMS: usize = 6;

/// The terms of one word: a small vector that only allocates past [`INLINE_TERMS`] entries.
#[derive(Debug, Clone)]
pub(crate) struct Terms {
    len: usize,
    inline: [TermHit; INLINE_TERMS],
    heap: Vec<TermHit>,
}

impl Default for Terms {
    fn default() -> Terms {
        Terms {
            len: 0,
            inline: [(0, Form::Plain, false); INLINE_TERMS],
            heap: Vec::new(),
        }
    }
}

impl Terms {
    fn push(&mut self, hit: TermHit) {
        if !self.heap.is_empty() {
            self.heap.push(hit);
        } else if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = hit;
            self.len += 1;
        } else {
            self.heap.reserve(INLINE_TERMS * 2);
            self.heap.extend_from_slice(&self.inline);
            self.heap.push(hit);
        }
    }
}

impl std::ops::Deref for Terms {
    type Target = [TermHit];
    fn deref(&self) -> &[TermHit] {
        if self.heap.is_empty() {
            self.inline.get(..self.len).unwrap_or(&[])
        } else {
            &self.heap
        }
    }
}

/// One word of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Byte span in the document text.
    pub span: Span,
    /// Lexicon terms this word realises, with the form, and whether an Arabic proclitic made it
    /// irrealis (future سـ, purpose لـ before an imperfect verb).
    pub terms: Terms,
    /// A clause boundary (comma, semicolon, colon, bracket, quote, dash) precedes this word.
    pub brk: bool,
    /// Bit set of [`Cue`] categories whose phrase starts at this word.
    pub cues: u32,
    /// The word's match key is at most four ASCII digits: it may be a year.
    maybe_year: bool,
}

impl Tok {
    pub fn has_term(&self, t: u32) -> bool {
        self.terms.iter().any(|(x, _, _)| *x == t)
    }
    pub fn has_any(&self, ts: &[u32]) -> bool {
        self.terms.iter().any(|(x, _, _)| ts.contains(x))
    }
    pub fn has_cue(&self, c: Cue) -> bool {
        self.cues & (c as u32) != 0
    }
    /// The form through which the word realises term `t`, and whether it carried سـ.
    pub fn form_of(&self, t: &[u32]) -> Option<(Form, bool)> {
        self.terms
            .iter()
            .find(|(x, _, _)| t.contains(x))
            .map(|(_, f, fut)| (*f, *fut))
    }
}

/// Buffers reused from sentence to sentence, so that scanning allocates nothing in the
/// common case.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The normalised sentence.
    norm: hadath_normalize::Normalized,
    /// The normalised text of one word (for the year check).
    word: hadath_normalize::Normalized,
    /// The words of the sentence being coded.
    pub toks: Vec<Tok>,
}

fn is_boundary(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '«'
            | '»'
            | '“'
            | '”'
            | '—'
            | '–'
            | '.'
            | '!'
            | '?'
            | '…'
    )
}

fn is_word_char(c: char, lang: Lang) -> bool {
    match lang {
        Lang::Ar => {
            ('\u{0621}'..='\u{064A}').contains(&c)
                || ('\u{0671}'..='\u{06D3}').contains(&c)
                || c.is_ascii_alphanumeric()
        }
        _ => c.is_alphanumeric() || c == '\'',
    }
}

/// Splits the sentence `span` of `text` into words (`scratch.toks`) and looks each one up in
/// `table`.
pub(crate) fn scan(text: &str, span: Span, lang: Lang, table: &LangTable, scratch: &mut Scratch) {
    let Scratch { norm, word, toks } = scratch;
    toks.clear();
    let sent = span.slice(text);
    if sent.is_empty() {
        return;
    }
    hadath_normalize::normalize_into(sent, norm);
    let key = norm.key.as_str();
    let mut pending_brk = false;
    let mut start: Option<usize> = None;
    let push_word = |ks: usize, ke: usize, brk: bool, toks: &mut Vec<Tok>| {
        let word = key.get(ks..ke).unwrap_or("");
        let (os, oe) = norm.original_span(ks, ke);
        let span = Span::new(span.start + os, span.start + oe.max(os));
        // The word's key is a substring of the key of its span, so a span whose key is a
        // four-digit year has a word key of at most four ASCII digits.
        let maybe_year =
            !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit());
        // Each word's terms are filled in place: a token is large enough that moving costs.
        let tok = |brk: bool| Tok {
            span,
            terms: Terms::default(),
            brk,
            cues: 0,
            maybe_year,
        };
        if lang == Lang::En {
            // "didn't" -> "did" + "n't"; possessive "'s" is dropped.
            let w = word.trim_matches('\'');
            let w = w.strip_suffix("'s").unwrap_or(w);
            if let Some(stem) = w.strip_suffix("n't") {
                lookup_en(table, stem, push_tok(toks, tok(brk)));
                lookup_en(table, "n't", push_tok(toks, tok(false)));
            } else if !w.is_empty() {
                lookup_en(table, w, push_tok(toks, tok(brk)));
            }
        } else {
            lookup_ar(table, word, push_tok(toks, tok(brk)));
        }
    };
    let bytes = key.as_bytes();
    for (i, c) in key.char_indices() {
        // A decimal point or thousands separator inside a number: "352.5", "1,000".
        let in_number = matches!(c, '.' | ',')
            && i > 0
            && bytes.get(i - 1).is_some_and(u8::is_ascii_digit)
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if is_word_char(c, lang) || (in_number && start.is_some()) {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            push_word(s, i, pending_brk, toks);
            pending_brk = false;
        }
        if is_boundary(c) {
            pending_brk = true;
        }
    }
    if let Some(s) = start {
        push_word(s, key.len(), pending_brk, toks);
    }
    mark_cues(toks, table, text);
    for t in toks.iter_mut() {
        if !t.maybe_year {
            continue;
        }
        hadath_normalize::normalize_into(t.span.slice(text), word);
        let w = word.key.as_str();
        if w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.bytes().all(|b| b.is_ascii_digit())
        {
            t.cues |= Cue::History as u32;
        }
    }
}

/// [`scan`] into fresh buffers.
#[cfg(test)]
pub(crate) fn scan_vec(text: &str, span: Span, lang: Lang, table: &LangTable) -> Vec<Tok> {
    let mut scratch = Scratch::default();
    scan(text, span, lang, table, &mut scratch);
    scratch.toks
}

/// Appends `tok` and returns its (empty) terms to fill.
fn push_tok(toks: &mut Vec<Tok>, tok: Tok) -> &mut Terms {
    toks.push(tok);
    let i = toks.len() - 1;
    &mut toks[i].terms
}

/// A word made only of digits and decimal or thousands separators: a count.
fn is_number(w: &str) -> bool {
    // Arabic letters are not numeric: answer them without the Unicode table.
    !w.is_empty()
        && w.chars().all(|c| match c {
            '\u{0621}'..='\u{064A}' => false,
            _ => c.is_numeric() || c == '.' || c == ',',
        })
}

fn lookup_en(table: &LangTable, word: &str, out: &mut Terms) {
    if let Some(v) = table.forms.get(word) {
        for (t, f) in v {
            out.push((*t, *f, false));
        }
    }
}

fn lookup_ar(table: &LangTable, word: &str, out: &mut Terms) {
    let mut splits = Splits::default();
    arabic_splits_into(word, &mut splits);
    for split in splits.iter() {
        if let Some(v) = table.forms.get(split.stem) {
            for (t, f) in v {
                let verb = table.verb_only.contains(t);
                // سـ only makes sense before an imperfect verb; a verb takes no article or ب/ك.
                if (split.future && *f != Form::Imperfect) || (verb && split.nominal) {
                    continue;
                }
                // لـ before an imperfect verb: "in order to" (not a reported fact).
                if verb && split.purpose && *f != Form::Imperfect {
                    continue;
                }
                let irrealis = split.future || (verb && split.purpose);
                if !out.iter().any(|(x, _, _)| x == t) {
                    out.push((*t, *f, irrealis));
                }
            }
        }
    }
}

fn mark_cues(toks: &mut [Tok], table: &LangTable, text: &str) {
    for i in 0..toks.len() {
        let mut bits = 0u32;
        if is_number(toks[i].span.slice(text)) {
            bits |= Cue::Casualty as u32;
        }
        for (t, _, _) in toks[i].terms.iter() {
            if let Some(phrases) = table.cue_first.get(t) {
                for (cue, phrase) in phrases {
                    let ok = phrase.iter().enumerate().skip(1).all(|(k, pt)| {
                        toks.get(i + k)
                            .is_some_and(|tok| !tok.brk && tok.has_term(*pt))
                    });
                    if ok {
                        bits |= *cue as u32;
                    }
                }
            }
        }
        toks[i].cues = bits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Compiled, Sources};

    fn words(text: &str, lang: Lang) -> Vec<(String, bool)> {
        let c = Compiled::build(&Sources::embedded()).unwrap();
        let table = if lang == Lang::Ar { &c.ar } else { &c.en };
        scan_vec(text, Span::new(0, text.len()), lang, table)
            .iter()
            .map(|t| (t.span.slice(text).to_string(), t.brk))
            .collect()
    }

    #[test]
    fn terms_spill_to_the_heap_in_order() {
        let mut t = Terms::default();
        assert!(t.is_empty());
        let want: Vec<TermHit> = (0..20u32)
            .map(|i| {
                (
                    i,
                    if i % 2 == 0 { Form::Plain } else { Form::Verb },
                    i % 3 == 0,
                )
            })
            .collect();
        for (n, h) in want.iter().enumerate() {
            t.push(*h);
            assert_eq!(&t[..], &want[..=n]);
        }
    }

    #[test]
    fn years_are_history_cues_other_numbers_not() {
        let c = Compiled::build(&Sources::embedded()).unwrap();
        // before -> after (word, is a History cue)
        let text = "In 1999 and ٢٠٢٠ 12 people, 20199 and 2020's cases";
        let toks = scan_vec(text, Span::new(0, text.len()), Lang::En, &c.en);
        let hist: Vec<(&str, bool)> = toks
            .iter()
            .map(|t| (t.span.slice(text), t.has_cue(Cue::History)))
            .collect();
        assert!(hist.contains(&("1999", true)), "{hist:?}");
        assert!(hist.contains(&("٢٠٢٠", true)), "{hist:?}");
        assert!(hist.contains(&("12", false)), "{hist:?}");
        assert!(hist.contains(&("20199", false)), "{hist:?}");
        assert!(hist.contains(&("2020's", false)), "{hist:?}");
    }

    #[test]
    fn english_words_offsets_and_boundaries() {
        // before -> after (word, clause boundary before it)
        let w = words("They didn't march, police said; 1,000.5 people", Lang::En);
        let got: Vec<(&str, bool)> = w.iter().map(|(s, b)| (s.as_str(), *b)).collect();
        assert_eq!(
            got,
            [
                ("They", false),
                ("didn't", false),
                ("didn't", false),
                ("march", false),
                ("police", true),
                ("said", false),
                ("1,000.5", true),
                ("people", false),
            ]
        );
    }

    #[test]
    fn arabic_words_keep_diacritics_in_evidence() {
        let w = words("وَتَظاهَرَ الطلابُ، أمس", Lang::Ar);
        let got: Vec<(&str, bool)> = w.iter().map(|(s, b)| (s.as_str(), *b)).collect();
        assert_eq!(got, [("وَتَظاهَرَ", false), ("الطلابُ", false), ("أمس", true)]);
    }

    #[test]
    fn arabic_verbs_do_not_take_the_article() {
        let c = Compiled::build(&Sources::embedded()).unwrap();
        let has_terms = |w: &str| {
            let t = scan_vec(w, Span::new(0, w.len()), Lang::Ar, &c.ar);
            t.first().is_some_and(|t| !t.terms.is_empty())
        };
        // "تظاهر:v" matches the verb, not the masdar "التظاهر" read through the article.
        assert!(has_terms("تظاهروا"));
        let t = scan_vec("للتظاهر", Span::new(0, "للتظاهر".len()), Lang::Ar, &c.ar);
        let verb_only: Vec<_> = t[0]
            .terms
            .iter()
            .filter(|(id, _, _)| c.ar.verb_only.contains(id))
            .collect();
        assert!(verb_only.is_empty(), "{verb_only:?}");
    }
}
