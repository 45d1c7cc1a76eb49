//! Tokens over the match key of a slice of text, each with its original byte span, and
//! phrase sets that match lexicon entries against them (Arabic proclitics and tanween alef
//! tolerated).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use hadath_model::Span;

use crate::fold::{fold, KeyMap};

/// A 64-bit hash of a key word (Fx multiply-rotate over 8-byte words, then the murmur3
/// finaliser so that every bit is mixed). Tokens hash each of their forms once; lexicon tables
/// are keyed by it. Not DoS-resistant: a collision only costs a string comparison.
pub(crate) fn str_hash(s: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = s.len() as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(SEED);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        if let Some(d) = w.get_mut(..rest.len()) {
            d.copy_from_slice(rest);
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(SEED);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A hasher for keys that are already [`str_hash`] values.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type IdBuild = BuildHasherDefault<IdHasher>;

const FILTER_WORDS: usize = 64;

/// A table from key words to values, looked up by a word and its [`str_hash`]. A 4096-bit
/// filter on the hashes answers most misses (most words of a text are in no lexicon) with
/// one bit test.
#[derive(Debug, Clone)]
pub(crate) struct KeyTable<V> {
    filter: Box<[u64; FILTER_WORDS]>,
    map: HashMap<u64, Vec<(Box<str>, V)>, IdBuild>,
}

impl<V> Default for KeyTable<V> {
    fn default() -> Self {
        KeyTable {
            filter: Box::new([0; FILTER_WORDS]),
            map: HashMap::default(),
        }
    }
}

#[inline]
fn filter_bit(h: u64) -> (usize, u64) {
    let b = (h >> 52) as usize; // 12 bits: 0..4096
    (b >> 6, 1u64 << (b & 63))
}

impl<V> KeyTable<V> {
    #[inline]
    pub fn may_contain(&self, h: u64) -> bool {
        let (w, bit) = filter_bit(h);
        self.filter.get(w).is_some_and(|x| x & bit != 0)
    }

    /// The value of `key`, whose hash is `h`.
    #[inline]
    pub fn get(&self, h: u64, key: &str) -> Option<&V> {
        if !self.may_contain(h) {
            return None;
        }
        self.map
            .get(&h)?
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(str_hash(key), key).is_some()
    }

    /// Applies `f` to the value of `key`, made with `V::default()` when it is new.
    pub fn update(&mut self, key: &str, f: impl FnOnce(&mut V))
    where
        V: Default,
    {
        let h = str_hash(key);
        let (w, bit) = filter_bit(h);
        if let Some(x) = self.filter.get_mut(w) {
            *x |= bit;
        }
        let list = self.map.entry(h).or_default();
        match list.iter_mut().find(|(k, _)| &**k == key) {
            Some((_, v)) => f(v),
            None => {
                let mut v = V::default();
                f(&mut v);
                list.push((Box::from(key), v));
            }
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.values().flatten().map(|(k, _)| &**k)
    }
}

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
    /// Range of this token's forms in `Tokens::vars`.
    vs: u32,
    ve: u32,
}

/// The tokens of `text[span]`.
pub(crate) struct Tokens {
    base: usize,
    norm: KeyMap,
    pub toks: Vec<Tok>,
    /// The key followed by forms that are no slice of it ("للنهب" → "النهب").
    buf: String,
    /// Byte ranges in `buf` of the [`variants`] of every token, token after token.
    vars: Vec<(u32, u32)>,
    /// [`str_hash`] of each of `vars`.
    vhash: Vec<u64>,
}

/// `char::is_alphabetic` for the Arabic block, computed once (the general lookup is slow).
fn arabic_alphabetic(c: char) -> bool {
    static TABLE: OnceLock<[bool; 256]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [false; 256];
        for (k, slot) in t.iter_mut().enumerate() {
            *slot = char::from_u32(0x0600 + k as u32).is_some_and(char::is_alphabetic);
        }
        t
    });
    table
        .get((c as usize).wrapping_sub(0x0600))
        .copied()
        .unwrap_or(false)
}

#[inline]
fn classify(c: char) -> Option<Kind> {
    if c.is_ascii() {
        return if c.is_ascii_digit() {
            Some(Kind::Num)
        } else if c.is_ascii_alphabetic() {
            Some(Kind::Word)
        } else if c == '\n' || !(c.is_ascii_whitespace() || c == '\u{0B}') {
            // ASCII whitespace for `char::is_whitespace`: \t \n \x0B \x0C \r and space.
            Some(Kind::Punct)
        } else {
            None
        };
    }
    let alpha = if ('\u{0600}'..='\u{06FF}').contains(&c) {
        arabic_alphabetic(c)
    } else {
        c.is_alphabetic()
    };
    if alpha {
        Some(Kind::Word)
    } else if !c.is_whitespace() {
        Some(Kind::Punct)
    } else {
        None
    }
}

impl Tokens {
    /// Tokenises `text[span]`; `None` when the span does not fit `text` on char boundaries.
    pub fn new(text: &str, span: Span) -> Option<Tokens> {
        let slice = text.get(span.start..span.end)?;
        let norm = fold(slice);
        let mut toks: Vec<Tok> = Vec::with_capacity(norm.key.len() / 4 + 1);
        let mut buf = String::with_capacity(norm.key.len() + 16);
        buf.push_str(&norm.key);
        let mut vars: Vec<(u32, u32)> = Vec::with_capacity(norm.key.len() / 3 + 1);
        let mut scratch = Scratch::default();
        let key = norm.key.as_str();
        let mut it = key.char_indices().peekable();
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
            let os = norm.original_offset(i);
            let upper = slice
                .get(os..)
                .and_then(|s| s.chars().next())
                .is_some_and(|c| {
                    if c.is_ascii() {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_uppercase()
                    }
                });
            let vs = vars.len() as u32;
            if kind == Kind::Word {
                push_variants(&mut buf, &mut vars, &mut scratch, i, end);
            } else {
                vars.push((i as u32, end as u32));
            }
            toks.push(Tok {
                ks: i,
                ke: end,
                kind,
                upper,
                vs,
                ve: vars.len() as u32,
            });
        }
        let vhash = vars
            .iter()
            .map(|&(s, e)| str_hash(buf.get(s as usize..e as usize).unwrap_or("")))
            .collect();
        Some(Tokens {
            base: span.start,
            norm,
            toks,
            buf,
            vars,
            vhash,
        })
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// The key text of token `i` ("" past the end).
    #[inline]
    pub fn key(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.norm.key.get(t.ks..t.ke))
            .unwrap_or("")
    }

    /// The forms token `i` may match (see [`variants`]), the token itself first; none past the
    /// end.
    #[inline]
    pub fn variants(&self, i: usize) -> impl Iterator<Item = &str> + Clone + '_ {
        let r = self
            .toks
            .get(i)
            .map_or(0..0, |t| t.vs as usize..t.ve as usize);
        self.vars
            .get(r)
            .unwrap_or(&[])
            .iter()
            .map(|&(s, e)| self.buf.get(s as usize..e as usize).unwrap_or(""))
    }

    /// [`Self::variants`] with the [`str_hash`] of each.
    #[inline]
    pub fn hashed_variants(&self, i: usize) -> impl Iterator<Item = (u64, &str)> + Clone + '_ {
        let r = self
            .toks
            .get(i)
            .map_or(0..0, |t| t.vs as usize..t.ve as usize);
        let hs = self.vhash.get(r.clone()).unwrap_or(&[]);
        let vs = self.vars.get(r).unwrap_or(&[]);
        hs.iter()
            .zip(vs)
            .map(|(&h, &(s, e))| (h, self.buf.get(s as usize..e as usize).unwrap_or("")))
    }

    #[inline]
    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Word)
    }

    #[inline]
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

/// Work lists reused across the words of one text.
#[derive(Default)]
struct Scratch {
    bases: Vec<(u32, u32)>,
}

/// Appends to `vars` the [`variants`] of the word `buf[ws..we]` as ranges in `buf`, adding to
/// `buf` the forms that are no slice of it. Same forms, same order as [`variants`].
fn push_variants(
    buf: &mut String,
    vars: &mut Vec<(u32, u32)>,
    sc: &mut Scratch,
    ws: usize,
    we: usize,
) {
    let first = vars.len();
    vars.push((ws as u32, we as u32));
    let Some(w) = buf.get(ws..we) else { return };
    let Some(c0) = w.chars().next().filter(|c| is_arabic_letter(*c)) else {
        return;
    };
    // No proclitic, no article and no tanween alef possible: the word alone.
    if !matches!(c0, 'و' | 'ف' | 'ب' | 'ل' | 'ك' | 'ا') && !w.ends_with('ا') {
        return;
    }
    let n = |s: &str| s.chars().count();
    sc.bases.clear();
    sc.bases.push((ws as u32, we as u32));
    if let Some(r) = w.strip_prefix('و').or_else(|| w.strip_prefix('ف')) {
        if n(r) >= 2 {
            sc.bases.push(((we - r.len()) as u32, we as u32));
        }
    }
    let nb = sc.bases.len();
    for bi in 0..nb {
        let Some(&(bs, be)) = sc.bases.get(bi) else {
            break;
        };
        let (bs, be) = (bs as usize, be as usize);
        let b = buf.get(bs..be).unwrap_or("");
        if let Some(r) = b.strip_prefix("لل") {
            if n(r) >= 2 {
                // "ال" + r: "ل" + r is the tail of b; put "ا" before a copy of it.
                let tail_start = be - r.len() - 'ل'.len_utf8();
                let at = buf.len();
                let tail = buf
                    .get(tail_start..be)
                    .map(str::to_owned)
                    .unwrap_or_default();
                buf.push('ا');
                buf.push_str(&tail);
                sc.bases.push((at as u32, buf.len() as u32));
            }
        }
        let b = buf.get(bs..be).unwrap_or("");
        for p in ['ب', 'ل', 'ك'] {
            if let Some(r) = b.strip_prefix(p) {
                if n(r) >= 2 {
                    sc.bases.push(((be - r.len()) as u32, be as u32));
                }
            }
        }
    }
    // The forms so far (`vars[first..]`) start with the word itself.
    let contains = |buf: &String, vars: &Vec<(u32, u32)>, x: &str| {
        vars.get(first..)
            .unwrap_or(&[])
            .iter()
            .any(|&(s, e)| buf.get(s as usize..e as usize) == Some(x))
    };
    for bi in 0..sc.bases.len() {
        let Some(&(bs, be)) = sc.bases.get(bi) else {
            break;
        };
        let b = buf.get(bs as usize..be as usize).unwrap_or("");
        if let Some(r) = b.strip_prefix("ال") {
            if n(r) >= 2 && !contains(buf, vars, r) {
                vars.push((be - r.len() as u32, be));
            }
        }
        let b = buf.get(bs as usize..be as usize).unwrap_or("");
        if !contains(buf, vars, b) {
            vars.push((bs, be));
        }
    }
    let out_len = vars.len();
    for k in first..out_len {
        let Some(&(s, e)) = vars.get(k) else { break };
        let x = buf.get(s as usize..e as usize).unwrap_or("");
        if x.ends_with('ا') && n(x) >= 4 {
            let t = x.trim_end_matches('ا');
            let te = s + t.len() as u32;
            if !contains(buf, vars, t) {
                vars.push((s, te));
            }
        }
    }
}

/// The forms a key word may take once Arabic proclitics (و ف, then ب ل ك), the article ال
/// (لل → ال) and a tanween alef are removed, the word itself first. Latin words have only
/// themselves. Stems shorter than two letters are not produced.
#[cfg(test)]
pub(crate) fn variants(w: &str) -> Vec<String> {
    let mut buf = w.to_string();
    let mut vars = Vec::new();
    push_variants(&mut buf, &mut vars, &mut Scratch::default(), 0, w.len());
    vars.iter()
        .map(|&(s, e)| buf.get(s as usize..e as usize).unwrap_or("").to_string())
        .collect()
}

/// The key tokens of a lexicon phrase (same classification as [`Tokens`]).
pub(crate) fn phrase_words(phrase: &str) -> Vec<Box<str>> {
    let Some(t) = Tokens::new(phrase, Span::new(0, phrase.len())) else {
        return Vec::new();
    };
    (0..t.len()).map(|i| Box::from(t.key(i))).collect()
}

/// The words after the first of a phrase, with their hashes.
type Rest = Vec<(u64, Box<str>)>;

/// A set of phrases (one or more words) with a value each, matched longest first.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet<T> {
    by_first: KeyTable<Vec<(Rest, T)>>,
}

impl<T> Default for PhraseSet<T> {
    fn default() -> Self {
        PhraseSet {
            by_first: KeyTable::default(),
        }
    }
}

impl<T: Clone> PhraseSet<T> {
    /// Adds `phrase`; an error message when it has no tokens.
    pub fn insert(&mut self, phrase: &str, value: T) -> Result<(), String> {
        let words = phrase_words(phrase);
        let Some((first, rest)) = words.split_first() else {
            return Err(format!("the phrase {phrase:?} has no words"));
        };
        let rest: Rest = rest.iter().map(|w| (str_hash(w), w.clone())).collect();
        self.by_first.update(first, |list| {
            list.push((rest, value));
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        });
        Ok(())
    }

    pub fn insert_all(&mut self, phrases: &[String], value: T) -> Result<(), String> {
        phrases
            .iter()
            .try_for_each(|p| self.insert(p, value.clone()))
    }

    /// The longest phrase starting at token `i`: the end (exclusive) and its value.
    pub fn match_at(&self, t: &Tokens, i: usize) -> Option<(usize, T)> {
        self.match_ref(t, i).map(|(e, v)| (e, v.clone()))
    }

    /// [`Self::match_at`] without cloning the value.
    #[inline]
    pub fn match_ref(&self, t: &Tokens, i: usize) -> Option<(usize, &T)> {
        let mut best: Option<(usize, &T)> = None;
        for (h, v) in t.hashed_variants(i) {
            let Some(list) = self.by_first.get(h, v) else {
                continue;
            };
            for (rest, val) in list {
                let end = i + 1 + rest.len();
                if end > t.len() || best.as_ref().is_some_and(|(e, _)| *e >= end) {
                    continue;
                }
                let ok = rest.iter().enumerate().all(|(k, (wh, w))| {
                    t.hashed_variants(i + 1 + k)
                        .any(|(xh, x)| xh == *wh && x == &**w)
                });
                if ok {
                    best = Some((end, val));
                }
            }
        }
        best
    }

    /// The first words of all phrases.
    pub fn first_keys(&self) -> impl Iterator<Item = &str> {
        self.by_first.keys()
    }

    /// True when some phrase starts with exactly this key word.
    pub fn has_first(&self, key: &str) -> bool {
        self.by_first.contains(key)
    }

    /// The end of the longest phrase at `i`.
    #[inline]
    pub fn end_at(&self, t: &Tokens, i: usize) -> Option<usize> {
        self.match_ref(t, i).map(|(e, _)| e)
    }
}

/// First words of several phrase sets: a cheap test that nothing can start at a token.
#[derive(Debug, Clone, Default)]
pub(crate) struct Openers(KeyTable<()>);

impl Openers {
    pub fn add<T: Clone>(&mut self, set: &PhraseSet<T>) {
        for k in set.first_keys() {
            self.0.update(k, |_| ());
        }
    }

    /// True when a phrase of the added sets may start at token `i`.
    #[inline]
    pub fn may_start(&self, t: &Tokens, i: usize) -> bool {
        t.hashed_variants(i)
            .any(|(h, v)| self.0.get(h, v).is_some())
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

    /// The allocating implementation the borrowed one replaced, kept as the reference.
    fn variants_reference(w: &str) -> Vec<String> {
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

    #[test]
    fn variants_equal_the_reference() {
        let words = [
            "والمتاجر",
            "متجرا",
            "للنهب",
            "وبحوالي",
            "بالاحد",
            "shops",
            "وللناس",
            "فلل",
            "ولل",
            "للا",
            "وكالا",
            "بالااا",
            "فاا",
            "ال",
            "و",
            "لللل",
            "والل",
            "كللها",
            "فبالمدينه",
            "واا",
            "للاا",
            "بااا",
            "لاا",
        ];
        for w in words {
            assert_eq!(variants(w), variants_reference(w), "{w}");
        }
    }

    proptest::proptest! {
        #[test]
        fn variants_match_reference_on_any_word(w in "[وفبلكالمنهي]{1,8}") {
            proptest::prop_assert_eq!(variants(&w), variants_reference(&w));
        }

        #[test]
        fn tokens_match_reference_variants(s in "[وفبلكالمن a1,.]{0,24}") {
            let t = Tokens::new(&s, Span::new(0, s.len())).unwrap();
            for i in 0..t.len() {
                let got: Vec<&str> = t.variants(i).collect();
                let want = if t.is_word(i) {
                    variants_reference(t.key(i))
                } else {
                    vec![t.key(i).to_string()]
                };
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    /// `classify`'s fast paths agree with the plain char tests.
    #[test]
    fn classify_matches_char_properties() {
        let slow = |c: char| {
            if c.is_ascii_digit() {
                Some(Kind::Num)
            } else if c.is_alphabetic() {
                Some(Kind::Word)
            } else if c == '\n' || !c.is_whitespace() {
                Some(Kind::Punct)
            } else {
                None
            }
        };
        for u in (0u32..0x3000).chain(0xFB50..0xFF00) {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(classify(c), slow(c), "U+{u:04X}");
            }
        }
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
