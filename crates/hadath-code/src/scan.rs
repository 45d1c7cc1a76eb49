//! Sentence scanning: words with their offsets, the lexicon terms each word realises, the cue
//! categories that start at it, and the clause boundaries between words.

use hadath_model::{Lang, Span};

use crate::lexicon::{Cue, LangTable};
use crate::morph::{arabic_splits, Form};

/// One word of a sentence.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Byte span in the document text.
    pub span: Span,
    /// Lexicon terms this word realises, with the form, and whether an Arabic proclitic made it
    /// irrealis (future سـ, purpose لـ before an imperfect verb).
    pub terms: Vec<(u32, Form, bool)>,
    /// A clause boundary (comma, semicolon, colon, bracket, quote, dash) precedes this word.
    pub brk: bool,
    /// Bit set of [`Cue`] categories whose phrase starts at this word.
    pub cues: u32,
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

/// Splits the sentence `span` of `text` into words and looks each one up in `table`.
pub(crate) fn scan(text: &str, span: Span, lang: Lang, table: &LangTable) -> Vec<Tok> {
    let sent = span.slice(text);
    if sent.is_empty() {
        return Vec::new();
    }
    let norm = hadath_normalize::normalize(sent);
    let key = norm.key.as_str();
    let mut toks: Vec<Tok> = Vec::new();
    let mut pending_brk = false;
    let mut start: Option<usize> = None;
    let push_word = |ks: usize, ke: usize, brk: bool, toks: &mut Vec<Tok>| {
        let word = key.get(ks..ke).unwrap_or("");
        let (os, oe) = norm.original_span(ks, ke);
        let span = Span::new(span.start + os, span.start + oe.max(os));
        if lang == Lang::En {
            // "didn't" -> "did" + "n't"; possessive "'s" is dropped.
            let w = word.trim_matches('\'');
            let w = w.strip_suffix("'s").unwrap_or(w);
            if let Some(stem) = w.strip_suffix("n't") {
                toks.push(Tok {
                    span,
                    terms: lookup_en(table, stem),
                    brk,
                    cues: 0,
                });
                toks.push(Tok {
                    span,
                    terms: lookup_en(table, "n't"),
                    brk: false,
                    cues: 0,
                });
            } else if !w.is_empty() {
                toks.push(Tok {
                    span,
                    terms: lookup_en(table, w),
                    brk,
                    cues: 0,
                });
            }
        } else {
            toks.push(Tok {
                span,
                terms: lookup_ar(table, word),
                brk,
                cues: 0,
            });
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
            push_word(s, i, pending_brk, &mut toks);
            pending_brk = false;
        }
        if is_boundary(c) {
            pending_brk = true;
        }
    }
    if let Some(s) = start {
        push_word(s, key.len(), pending_brk, &mut toks);
    }
    let numbers: Vec<bool> = toks
        .iter()
        .map(|t| {
            let w = t.span.slice(text);
            !w.is_empty() && w.chars().all(|c| c.is_numeric() || c == '.' || c == ',')
        })
        .collect();
    mark_cues(&mut toks, table, &numbers);
    for t in toks.iter_mut() {
        let w = hadath_normalize::key(t.span.slice(text));
        if w.len() == 4
            && (w.starts_with("19") || w.starts_with("20"))
            && w.bytes().all(|b| b.is_ascii_digit())
        {
            t.cues |= Cue::History as u32;
        }
    }
    toks
}

fn lookup_en(table: &LangTable, word: &str) -> Vec<(u32, Form, bool)> {
    table
        .forms
        .get(word)
        .map(|v| v.iter().map(|(t, f)| (*t, *f, false)).collect())
        .unwrap_or_default()
}

fn lookup_ar(table: &LangTable, word: &str) -> Vec<(u32, Form, bool)> {
    let mut out: Vec<(u32, Form, bool)> = Vec::new();
    for split in arabic_splits(word) {
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
    out
}

fn mark_cues(toks: &mut [Tok], table: &LangTable, key_words: &[bool]) {
    for i in 0..toks.len() {
        let mut bits = 0u32;
        if key_words.get(i).copied().unwrap_or(false) {
            bits |= Cue::Casualty as u32;
        }
        for (t, _, _) in &toks[i].terms {
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
        scan(text, Span::new(0, text.len()), lang, table)
            .iter()
            .map(|t| (t.span.slice(text).to_string(), t.brk))
            .collect()
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
            let t = scan(w, Span::new(0, w.len()), Lang::Ar, &c.ar);
            t.first().is_some_and(|t| !t.terms.is_empty())
        };
        // "تظاهر:v" matches the verb, not the masdar "التظاهر" read through the article.
        assert!(has_terms("تظاهروا"));
        let t = scan("للتظاهر", Span::new(0, "للتظاهر".len()), Lang::Ar, &c.ar);
        let verb_only: Vec<_> = t[0]
            .terms
            .iter()
            .filter(|(id, _, _)| c.ar.verb_only.contains(id))
            .collect();
        assert!(verb_only.is_empty(), "{verb_only:?}");
    }
}
