//! The match key of a text, as [`hadath_normalize::normalize`] makes it, built faster.
//!
//! `normalize` treats every char on its own: it appends the char's folded form, each byte of
//! it mapped to the char's original byte range, or (for a removed mark) appends nothing and
//! stretches the previous key char's range over the mark. So the fold of each char can be asked
//! of `normalize` once and remembered: here in a table for ASCII and the Arabic block (nearly
//! every char of Arabic and English news), and in a small per-thread cache for the rest. The
//! result is byte-for-byte the same key and map as `normalize` (see the tests), without its
//! per-char work.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use hadath_normalize::normalize;

/// What `normalize` does with one char.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CharFold {
    /// Appends this one char.
    One(char),
    /// Appends these chars.
    Many(Box<str>),
    /// Appends nothing and stretches the previous key char over this one (harakat, tatweel,
    /// zero-width and bidi controls).
    Mark,
    /// Appends nothing.
    Drop,
}

/// Asks `normalize` what it does with `c`, after an Arabic letter that it keeps as it is.
fn probe(c: char) -> CharFold {
    const LEAD: &str = "ب";
    let mut s = String::with_capacity(LEAD.len() + 4);
    s.push_str(LEAD);
    s.push(c);
    let n = normalize(&s);
    let Some(rest) = n.key.strip_prefix(LEAD) else {
        // Not expected (ب folds to itself); fall back to the char alone, no stretching.
        return from_key(normalize(&c.to_string()).key);
    };
    if rest.is_empty() {
        let (_, lead_end) = n.original_span(0, LEAD.len());
        return if lead_end > LEAD.len() {
            CharFold::Mark
        } else {
            CharFold::Drop
        };
    }
    from_key(rest.to_string())
}

fn from_key(k: String) -> CharFold {
    let mut it = k.chars();
    match (it.next(), it.next()) {
        (None, _) => CharFold::Drop,
        (Some(c), None) => CharFold::One(c),
        _ => CharFold::Many(k.into_boxed_str()),
    }
}

/// Folds of U+0000–U+007F, then U+0600–U+06FF.
fn table() -> &'static [CharFold] {
    static TABLE: OnceLock<Vec<CharFold>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x80)
            .chain(0x600..0x700)
            .map(|u| char::from_u32(u).map_or(CharFold::Drop, probe))
            .collect()
    })
}

thread_local! {
    static CACHE: RefCell<HashMap<char, CharFold>> = RefCell::new(HashMap::new());
}

/// The fold of a char outside the table, remembered per thread (at most 4096 chars).
fn other(c: char) -> CharFold {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(f) = cache.get(&c) {
            return f.clone();
        }
        let f = probe(c);
        if cache.len() >= 4096 {
            cache.clear();
        }
        cache.insert(c, f.clone());
        f
    })
}

/// A match key and, for each of its bytes, the original byte range it came from: the same
/// as [`hadath_normalize::Normalized`].
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyMap {
    pub key: String,
    origin: Vec<u32>,
    origin_end: Vec<u32>,
}

impl KeyMap {
    fn push(&mut self, c: char, start: u32, end: u32) {
        self.key.push(c);
        for _ in 0..c.len_utf8() {
            self.origin.push(start);
            self.origin_end.push(end);
        }
    }

    fn stretch(&mut self, end: u32) {
        if let Some(last) = self.origin_end.last().copied() {
            for e in self.origin_end.iter_mut().rev() {
                if *e != last {
                    break;
                }
                *e = end;
            }
        }
    }

    /// As [`hadath_normalize::Normalized::original_span`].
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.key.is_empty() {
            return (0, 0);
        }
        let start = start.min(self.key.len());
        let end = end.min(self.key.len());
        if start >= end {
            return (self.original_offset(start), self.original_offset(start));
        }
        let s = self.origin.get(start).copied().unwrap_or(0);
        let e = end
            .checked_sub(1)
            .and_then(|l| self.origin_end.get(l))
            .copied()
            .unwrap_or(s);
        (s as usize, e as usize)
    }

    /// As [`hadath_normalize::Normalized::original_offset`].
    pub fn original_offset(&self, i: usize) -> usize {
        match self.origin.get(i) {
            Some(&o) => o as usize,
            None => self.origin_end.last().copied().unwrap_or(0) as usize,
        }
    }
}

/// The match key of `text`, identical to `normalize(text)`.
pub(crate) fn fold(text: &str) -> KeyMap {
    if u32::try_from(text.len()).is_err() {
        // Offsets beyond u32 (4 GiB of text): let `normalize` build it, byte by byte.
        return from_normalized(text);
    }
    let table = table();
    let mut out = KeyMap {
        key: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        origin_end: Vec::with_capacity(text.len()),
    };
    for (i, c) in text.char_indices() {
        let start = i as u32;
        let end = (i + c.len_utf8()) as u32;
        if c.is_ascii() {
            // ASCII folds to one ASCII char (lower case).
            let b = c.to_ascii_lowercase();
            out.key.push(b);
            out.origin.push(start);
            out.origin_end.push(end);
            continue;
        }
        let u = c as usize;
        let cached = if (0x600..0x700).contains(&u) {
            table.get(u - 0x600 + 0x80)
        } else {
            None
        };
        let f = match cached {
            Some(f) => {
                if let CharFold::One(k) = *f {
                    out.push(k, start, end);
                    continue;
                }
                f.clone()
            }
            None => other(c),
        };
        match f {
            CharFold::One(k) => out.push(k, start, end),
            CharFold::Many(s) => s.chars().for_each(|k| out.push(k, start, end)),
            CharFold::Mark => out.stretch(end),
            CharFold::Drop => {}
        }
    }
    out
}

/// The slow way, through `normalize` itself.
fn from_normalized(text: &str) -> KeyMap {
    let n = normalize(text);
    let mut out = KeyMap {
        key: n.key.clone(),
        origin: Vec::with_capacity(n.key.len()),
        origin_end: Vec::with_capacity(n.key.len()),
    };
    for i in 0..n.key.len() {
        let (s, e) = n.original_span(i, i + 1);
        out.origin.push(u32::try_from(s).unwrap_or(u32::MAX));
        out.origin_end.push(u32::try_from(e).unwrap_or(u32::MAX));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_normalize(text: &str) {
        let n = normalize(text);
        let f = fold(text);
        assert_eq!(f.key, n.key, "{text:?}");
        for i in 0..=n.key.len() + 1 {
            assert_eq!(f.original_offset(i), n.original_offset(i), "{text:?} @ {i}");
            for j in i..=n.key.len() + 1 {
                assert_eq!(
                    f.original_span(i, j),
                    n.original_span(i, j),
                    "{text:?} @ {i}..{j}"
                );
            }
        }
    }

    #[test]
    fn table_agrees_with_normalize() {
        // ASCII and the Arabic block, each char twice after a letter, then an ASCII letter.
        let lead = "ا";
        for u in (0u32..0x80).chain(0x600..0x700) {
            let Some(c) = char::from_u32(u) else { continue };
            same_as_normalize(&format!("{lead}{c}{c}x"));
        }
    }

    #[test]
    fn before_after_table() {
        for text in [
            "",
            "أعلنتْ الحكومةُ",
            "مــظــاهــرة ١٢٠ متجرًا، G20",
            "ً",
            "\u{200B}بداية",
            "Café Straße æ ı “quoted” — ok",
            "ﻻ ﷲ",
            "Москва й ё",
            "x\u{0651}\u{064E}\u{200F}y",
            "ALMATY, Jan 5 (Wire) - Crowds\n\tgathered\u{00A0}here.",
        ] {
            same_as_normalize(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_folds_like_normalize(s in "\\PC{0,40}") {
            let n = normalize(&s);
            let f = fold(&s);
            proptest::prop_assert_eq!(&f.key, &n.key);
            for i in 0..=n.key.len() {
                proptest::prop_assert_eq!(f.original_offset(i), n.original_offset(i));
                proptest::prop_assert_eq!(f.original_span(i, i + 1), n.original_span(i, i + 1));
                proptest::prop_assert_eq!(f.original_span(0, i), n.original_span(0, i));
            }
        }

        #[test]
        fn mixed_arabic_folds_like_normalize(s in "[\u{0600}-\u{06FF}a-zA-Z0-9 .\u{200B}\u{FE70}-\u{FEFF}]{0,40}") {
            let n = normalize(&s);
            let f = fold(&s);
            proptest::prop_assert_eq!(&f.key, &n.key);
            for i in 0..=n.key.len() {
                proptest::prop_assert_eq!(f.original_span(i, i + 1), n.original_span(i, i + 1));
                proptest::prop_assert_eq!(f.original_offset(i), n.original_offset(i));
            }
        }
    }
}
