//! Tokens over the match key of a slice of text, each with its original byte span, and
//! phrase sets that match lexicon entries against them (Arabic proclitics and tanween alef
//! tolerated).

use std::collections::{HashMap, HashSet};

use hadath_model::Span;
use hadath_normalize::{normalize, Normalized};

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters.
    Word,
    /// A run of ASCII digits (Arabic-Indic digits are folded to ASCII first).
    Num,
    /// One other visible char, or a line break.
    Punct,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok {
    /// Byte range in the key.
    ks: usize,
    ke: usize,
    pub kind: Kind,
    /// The original text of this token starts with an upper-case letter.
    pub upper: bool,
}

/// The tokens of `text[span]`.
pub(crate) struct Tokens {
    base: usize,
    norm: Normalized,
    pub toks: Vec<Tok>,
    /// [`variants`] of each token's key, computed once.
    vars: Vec<Vec<String>>,
}

fn classify(c: char) -> Option<Kind> {
    if c.is_ascii_digit() {
        Some(Kind::Num)
    } else if c.is_alphabetic() {
        Some(Kind::Word)
    } else if c == '\n' || !c.is_whitespace() {
        Some(Kind::Punct)
    } else {
        None
    }
}

impl Tokens {
    /// Tokenises `text[span]`; `None` when the span does not fit `text` on char boundaries.
    pub fn new(text: &str, span: Span) -> Option<Tokens> {
        let slice = text.get(span.start..span.end)?;
        let norm = normalize(slice);
        let mut toks: Vec<Tok> = Vec::new();
        let mut it = norm.key.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            let Some(kind) = classify(c) else { continue };
            let mut end = i + c.len_utf8();
            if kind != Kind::Punct {
                while let Some(&(j, d)) = it.peek() {
                    if classify(d) != Some(kind) {
                        break;
                    }
                    end = j + d.len_utf8();
                    it.next();
                }
            }
            let (os, _) = norm.original_span(i, end);
            let upper = slice
                .get(os..)
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_uppercase);
            toks.push(Tok {
                ks: i,
                ke: end,
                kind,
                upper,
            });
        }
        let vars = toks
            .iter()
            .map(|t| {
                let k = norm.key.get(t.ks..t.ke).unwrap_or("");
                if t.kind == Kind::Word {
                    variants(k)
                } else {
                    vec![k.to_string()]
                }
            })
            .collect();
        Some(Tokens {
            base: span.start,
            norm,
            toks,
            vars,
        })
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The key text of token `i` ("" past the end).
    pub fn key(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.norm.key.get(t.ks..t.ke))
            .unwrap_or("")
    }

    /// The forms token `i` may match (see [`variants`]); empty past the end.
    pub fn variants(&self, i: usize) -> &[String] {
        self.vars.get(i).map_or(&[], Vec::as_slice)
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    pub fn is_num(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Num)
    }

    pub fn is_punct(&self, i: usize, p: &str) -> bool {
        self.kind(i) == Some(Kind::Punct) && self.key(i) == p
    }

    pub fn upper(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.upper)
    }

    /// Tokens `i` and `i + 1` touch (no space between them in the key).
    pub fn touches_next(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.ke == b.ks,
            _ => false,
        }
    }

    /// Original byte span in the full text of tokens `first..last_excl`.
    pub fn span(&self, first: usize, last_excl: usize) -> Span {
        let ks = self.toks.get(first).map_or(self.norm.key.len(), |t| t.ks);
        let ke = last_excl
            .checked_sub(1)
            .and_then(|l| self.toks.get(l))
            .map_or(ks, |t| t.ke);
        let (s, e) = self.norm.original_span(ks, ke.max(ks));
        Span::new(self.base + s, self.base + e.max(s))
    }

    /// Original byte span of the key range `ks..ke` (used to drop a proclitic from a token).
    pub fn key_span(&self, ks: usize, ke: usize) -> Span {
        let (s, e) = self.norm.original_span(ks, ke.max(ks));
        Span::new(self.base + s, self.base + e.max(s))
    }

    /// The span of tokens `first..end`, less one or two leading Arabic proclitics (و ف ب ل ك)
    /// on the first token when `known` accepts the rest of it but not the whole token:
    /// "وقرابة 200" → "قرابة 200".
    pub fn span_trimmed(&self, first: usize, end: usize, known: impl Fn(&str) -> bool) -> Span {
        let key = self.key(first);
        if key.chars().next().is_some_and(is_arabic_letter) && !known(key) {
            let mut rest = key;
            for _ in 0..2 {
                let Some(c) = rest.chars().next() else { break };
                if !matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك') {
                    break;
                }
                rest = rest.get(c.len_utf8()..).unwrap_or("");
                if !rest.is_empty() && known(rest) {
                    let cut = key.len() - rest.len();
                    let (ks, _) = self.key_range(first);
                    let (_, ke) = self.key_range(end.saturating_sub(1).max(first));
                    return self.key_span(ks + cut, ke);
                }
            }
        }
        self.span(first, end)
    }

    /// Key byte range of token `i`.
    pub fn key_range(&self, i: usize) -> (usize, usize) {
        self.toks.get(i).map_or((0, 0), |t| (t.ks, t.ke))
    }

    /// True when token `i` is a sentence or line boundary.
    pub fn is_boundary(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Punct)
            && matches!(self.key(i), "." | "!" | "?" | ";" | "\n" | "\u{06D4}")
    }
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0620}'..='\u{064A}').contains(&c) || ('\u{066E}'..='\u{06D3}').contains(&c)
}

/// The forms a key word may take once Arabic proclitics (و ف, then ب ل ك), the article ال
/// (لل → ال) and a tanween alef are removed, the word itself first. Latin words have only
/// themselves. Stems shorter than two letters are not produced.
pub(crate) fn variants(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    if !w.chars().next().is_some_and(is_arabic_letter) {
        return out;
    }
    let n = |s: &str| s.chars().count();
    let mut bases: Vec<String> = vec![w.to_string()];
    if let Some(r) = w.strip_prefix('و').or_else(|| w.strip_prefix('ف')) {
        if n(r) >= 2 {
            bases.push(r.to_string());
        }
    }
    for b in bases.clone() {
        if let Some(r) = b.strip_prefix("لل") {
            if n(r) >= 2 {
                bases.push(format!("ال{r}"));
            }
        }
        for p in ['ب', 'ل', 'ك'] {
            if let Some(r) = b.strip_prefix(p) {
                if n(r) >= 2 {
                    bases.push(r.to_string());
                }
            }
        }
    }
    for b in bases {
        if let Some(r) = b.strip_prefix("ال") {
            if n(r) >= 2 && !out.iter().any(|o| o == r) {
                out.push(r.to_string());
            }
        }
        if !out.contains(&b) {
            out.push(b);
        }
    }
    let with_alef: Vec<String> = out
        .iter()
        .filter(|x| x.ends_with('ا') && n(x) >= 4)
        .map(|x| x.trim_end_matches('ا').to_string())
        .collect();
    for x in with_alef {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// The key tokens of a lexicon phrase (same classification as [`Tokens`]).
pub(crate) fn phrase_words(phrase: &str) -> Vec<String> {
    let Some(t) = Tokens::new(phrase, Span::new(0, phrase.len())) else {
        return Vec::new();
    };
    (0..t.len()).map(|i| t.key(i).to_string()).collect()
}

/// A set of phrases (one or more words) with a value each, matched longest first.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            by_first: HashMap::new(),
        }
    }
}

impl<T: Clone> PhraseSet<T> {
    /// Adds `phrase`; an error message when it has no tokens.
    pub fn insert(&mut self, phrase: &str, value: T) -> Result<(), String> {
        let mut words = phrase_words(phrase);
        if words.is_empty() {
            return Err(format!("the phrase {phrase:?} has no words"));
        }
        let first = words.remove(0);
        let list = self.by_first.entry(first).or_default();
        list.push((words, value));
        list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        Ok(())
    }

    pub fn insert_all(&mut self, phrases: &[String], value: T) -> Result<(), String> {
        phrases
            .iter()
            .try_for_each(|p| self.insert(p, value.clone()))
    }

    /// The longest phrase starting at token `i`: the end (exclusive) and its value.
    pub fn match_at(&self, t: &Tokens, i: usize) -> Option<(usize, T)> {
        if i >= t.len() {
            return None;
        }
        let mut best: Option<(usize, T)> = None;
        for v in t.variants(i) {
            let Some(list) = self.by_first.get(v) else {
                continue;
            };
            for (rest, val) in list {
                let end = i + 1 + rest.len();
                if end > t.len() || best.as_ref().is_some_and(|(e, _)| *e >= end) {
                    continue;
                }
                let ok = rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| t.variants(i + 1 + k).iter().any(|x| x == w));
                if ok {
                    best = Some((end, val.clone()));
                }
            }
        }
        best
    }

    /// The first words of all phrases.
    pub fn first_keys(&self) -> impl Iterator<Item = &String> {
        self.by_first.keys()
    }

    /// True when some phrase starts with exactly this key word.
    pub fn has_first(&self, key: &str) -> bool {
        self.by_first.contains_key(key)
    }

    /// The end of the longest phrase at `i`.
    pub fn end_at(&self, t: &Tokens, i: usize) -> Option<usize> {
        self.match_at(t, i).map(|(e, _)| e)
    }
}

/// First words of several phrase sets: a cheap test that nothing can start at a token.
#[derive(Debug, Clone, Default)]
pub(crate) struct Openers(HashSet<String>);

impl Openers {
    pub fn add<T: Clone>(&mut self, set: &PhraseSet<T>) {
        self.0.extend(set.first_keys().cloned());
    }

    /// True when a phrase of the added sets may start at token `i`.
    pub fn may_start(&self, t: &Tokens, i: usize) -> bool {
        t.variants(i).iter().any(|v| self.0.contains(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_original_spans() {
        let text = "وقالتْ ١٢٠ متجرًا, G20";
        let t = Tokens::new(text, Span::new(0, text.len())).unwrap();
        let keys: Vec<&str> = (0..t.len()).map(|i| t.key(i)).collect();
        assert_eq!(keys, ["وقالت", "120", "متجرا", ",", "g", "20"]);
        assert_eq!(t.span(0, 1).slice(text), "وقالتْ");
        assert_eq!(t.span(1, 3).slice(text), "١٢٠ متجرًا");
        assert!(t.touches_next(4));
        assert!(t.upper(4));
    }

    /// before → forms tried
    #[test]
    fn variants_table() {
        let table: &[(&str, &str)] = &[
            ("والمتاجر", "متاجر"),
            ("متجرا", "متجر"),
            ("للنهب", "نهب"),
            ("وبحوالي", "حوالي"),
            ("بالاحد", "الاحد"),
            ("shops", "shops"),
        ];
        for (w, want) in table {
            assert!(variants(w).iter().any(|v| v == want), "{w} -> {want}");
        }
        assert_eq!(variants("shops"), ["shops"]);
    }

    #[test]
    fn phrases_match_longest_first() {
        let mut p = PhraseSet::default();
        p.insert("كانون", 0).unwrap();
        p.insert("كانون الثاني", 1).unwrap();
        let text = "وكانون الثاني";
        let t = Tokens::new(text, Span::new(0, text.len())).unwrap();
        assert_eq!(p.match_at(&t, 0), Some((2, 1)));
        assert!(p.insert(" , ", 2).is_ok());
        assert!(p.insert("  ", 2).is_err());
    }
}
