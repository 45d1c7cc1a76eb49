//! Normalisation for matching: turns text into a *match key* and keeps, for every byte of
//! the key, the byte range of the original text it came from.
//!
//! Lexicons, the gazetteer and full-text search all compare keys, never the original text;
//! evidence offsets always come from the original through [`Normalized::original_span`].
//! (charabia's lesson: keep normalised keys and original text apart.)
//!
//! What [`normalize`] does, char by char:
//! - **Arabic**: removes harakat (U+064B–U+065F, U+0670) and Quranic marks, tatweel (U+0640);
//!   folds alef forms أ إ آ ٱ → ا, hamza seats ؤ → و and ئ → ي, alef maqsura ى → ي,
//!   ta marbuta ة → ه; Persian ک → ك and ی → ي; Arabic-Indic and Persian digits → ASCII;
//!   Arabic comma ، → `,`, semicolon ؛ → `;`, question mark ؟ → `?`;
//!   presentation forms and ligatures through NFKC (ﻻ → لا).
//! - **Latin, Greek, Cyrillic**: lower case; Latin diacritics removed (é → e, ı → i, ß → ss).
//! - Every other char is kept as it is. Nothing is inserted or reordered, so the map is monotone.
//!
//! ```
//! use hadath_normalize::normalize;
//! let n = normalize("أعلنتْ الحكومةُ");
//! assert_eq!(n.key, "اعلنت الحكومه");
//! // The key's "الحكومه" maps back to the original's "الحكومةُ" (diacritic included).
//! let at = n.key.find("الحكومه").unwrap();
//! let span = n.original_span(at, n.key.len());
//! assert_eq!(&"أعلنتْ الحكومةُ"[span.0..span.1], "الحكومةُ");
//! ```

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// A match key and its map back to the original text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Normalized {
    /// The folded text.
    pub key: String,
    /// For each byte of `key`, the byte offset in the original of the char it came from.
    origin: Vec<u32>,
    /// For each byte of `key`, the end (exclusive) in the original of that char's source.
    origin_end: Vec<u32>,
}

impl Normalized {
    /// The byte range in the original text that produced `key[start..end]`.
    ///
    /// Trailing removed marks (a haraka after the last letter) are included, so the span
    /// covers the whole written word. Out-of-range input is clamped.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.key.is_empty() {
            return (0, 0);
        }
        let start = start.min(self.key.len());
        let end = end.min(self.key.len());
        if start >= end {
            let o = if start < self.origin.len() {
                self.origin[start]
            } else {
                *self.origin_end.last().unwrap_or(&0)
            } as usize;
            return (o, o);
        }
        (
            self.origin[start] as usize,
            self.origin_end[end - 1] as usize,
        )
    }

    /// The original offset of key byte `i` (or the end of the original text).
    pub fn original_offset(&self, i: usize) -> usize {
        if i < self.origin.len() {
            self.origin[i] as usize
        } else {
            *self.origin_end.last().unwrap_or(&0) as usize
        }
    }
}

/// Folds `text` into a match key. See the crate docs for the rules.
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(text, &mut out);
    out
}

/// Like [`normalize`], but reuses `out`'s buffers: for hot loops that fold many sentences.
pub fn normalize_into(text: &str, out: &mut Normalized) {
    out.key.clear();
    out.origin.clear();
    out.origin_end.clear();
    out.key.reserve(text.len());
    out.origin.reserve(text.len());
    out.origin_end.reserve(text.len());
    let table = table();
    let mut buf = [0u8; 4];
    for (i, c) in text.char_indices() {
        let start = i as u32;
        let end = (i + c.len_utf8()) as u32;
        if c.is_ascii() {
            out.key.push(c.to_ascii_lowercase());
            out.origin.push(start);
            out.origin_end.push(end);
            continue;
        }
        let computed;
        let fold = match table_index(c) {
            Some(k) => &table[k],
            None => {
                computed = fold_char(c);
                &computed
            }
        };
        match fold {
            CharFold::One(f) => out.push(*f, start, end, &mut buf),
            CharFold::Many(fs) => {
                for f in fs.chars() {
                    out.push(f, start, end, &mut buf);
                }
            }
            CharFold::Mark => out.stretch(end),
            CharFold::Drop => {}
        }
    }
}

impl Normalized {
    fn push(&mut self, ch: char, start: u32, end: u32, buf: &mut [u8; 4]) {
        let s = ch.encode_utf8(buf);
        self.key.push_str(s);
        for _ in 0..s.len() {
            self.origin.push(start);
            self.origin_end.push(end);
        }
    }

    /// A removed mark: the previous key char's source grows to cover it.
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
}

/// What normalisation does with one char.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CharFold {
    /// Appends this char.
    One(char),
    /// Appends these chars, all mapped to the one source char.
    Many(Box<str>),
    /// Appends nothing; the previous key char's source stretches over it (harakat, tatweel,
    /// zero-width and bidi controls).
    Mark,
    /// Appends nothing.
    Drop,
}

/// Chars below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic) and general punctuation
/// (U+2000–U+206F) are looked up in a table built once; the rest are folded as they come.
const TABLE_LOW: usize = 0x800;
const TABLE_PUNCT: std::ops::Range<u32> = 0x2000..0x2070;

fn table_index(c: char) -> Option<usize> {
    let u = c as u32;
    if (u as usize) < TABLE_LOW {
        Some(u as usize)
    } else if TABLE_PUNCT.contains(&u) {
        Some(TABLE_LOW + (u - TABLE_PUNCT.start) as usize)
    } else {
        None
    }
}

fn table() -> &'static [CharFold] {
    static TABLE: std::sync::OnceLock<Vec<CharFold>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_LOW as u32)
            .chain(TABLE_PUNCT)
            .map(|u| char::from_u32(u).map_or(CharFold::Drop, fold_char))
            .collect()
    })
}

/// The rules, for one char (the table above caches them).
fn fold_char(c: char) -> CharFold {
    if c.is_ascii() {
        return CharFold::One(c.to_ascii_lowercase());
    }
    if is_removed_mark(c) {
        return CharFold::Mark;
    }
    if let Fold::To(f) = fold_arabic(c) {
        return CharFold::One(f);
    }
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        return CharFold::One(c);
    }
    if is_presentation_form(c) {
        let folded: String = std::iter::once(c)
            .nfkc()
            .filter(|f| !is_removed_mark(*f))
            .map(|f| match fold_arabic(f) {
                Fold::To(g) => g,
                Fold::Keep => f,
            })
            .collect();
        return many(folded);
    }
    // Latin/Greek/Cyrillic: lower-case, strip combining marks after decomposition.
    match c {
        'ı' => CharFold::One('i'),
        'ß' => many("ss".into()),
        'ø' | 'Ø' => CharFold::One('o'),
        'æ' | 'Æ' => many("ae".into()),
        'đ' | 'Đ' => CharFold::One('d'),
        'ł' | 'Ł' => CharFold::One('l'),
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => CharFold::One('\''),
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2009}' => CharFold::One(' '),
        _ => {
            let mut base = None;
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) && base.is_none() {
                    base = Some(d);
                }
            });
            let b = if is_cyrillic_keep(c) {
                c
            } else {
                base.unwrap_or(c)
            };
            many(b.to_lowercase().collect())
        }
    }
}

fn many(s: String) -> CharFold {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (None, _) => CharFold::Drop,
        (Some(c), None) => CharFold::One(c),
        _ => CharFold::Many(s.into_boxed_str()),
    }
}

/// Cyrillic letters whose decomposition would lose a distinction (й → и, ё → е is fine).
fn is_cyrillic_keep(c: char) -> bool {
    matches!(c, 'й' | 'Й' | 'ї' | 'Ї')
}

fn is_presentation_form(c: char) -> bool {
    ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c)
}

/// Marks and format chars that carry no letter: harakat, Quranic annotation, tatweel,
/// zero-width and bidi controls.
fn is_removed_mark(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}')
}

enum Fold {
    Keep,
    To(char),
}

fn fold_arabic(c: char) -> Fold {
    Fold::To(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ؤ' => 'و',
        'ئ' | 'ى' | 'ی' | 'ې' => 'ي',
        'ة' | 'ۀ' | 'ە' => 'ه',
        'ک' | 'ڪ' => 'ك',
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        '٫' => '.',
        '٬' => ',',
        '\u{0660}'..='\u{0669}' => digit(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => digit(c as u32 - 0x06F0),
        _ => return Fold::Keep,
    })
}

fn digit(d: u32) -> char {
    char::from_digit(d, 10).unwrap_or('0')
}

/// Folds a single token (no offset map): what lexicon loaders use to build keys.
pub fn key(text: &str) -> String {
    normalize(text).key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// before → after
    const TABLE: &[(&str, &str)] = &[
        ("أحمد", "احمد"),
        ("إسرائيل", "اسراييل"),
        ("آلاف", "الاف"),
        ("مستشفى", "مستشفي"),
        ("مدينة", "مدينه"),
        ("الحُكُومَةُ", "الحكومه"),
        ("مــظــاهــرة", "مظاهره"),
        ("٢٠٢٢", "2022"),
        ("۱۹", "19"),
        ("لماذا؟", "لماذا?"),
        ("قال، ثم", "قال, ثم"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("ﻻ", "لا"),
        ("کابل", "كابل"),
        ("Tokayev", "tokayev"),
        ("Zaïre", "zaire"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("İSTANBUL", "istanbul"),
        ("Straße", "strasse"),
        ("Алматы", "алматы"),
        ("Қазақстан", "қазақстан"),
    ];

    #[test]
    fn folds_table() {
        for (before, after) in TABLE {
            assert_eq!(normalize(before).key, *after, "normalize({before:?})");
        }
    }

    #[test]
    fn span_maps_back_over_removed_marks() {
        let text = "قالَ الرئيسُ";
        let n = normalize(text);
        let at = n.key.find("الرييس").unwrap();
        let (s, e) = n.original_span(at, at + "الرييس".len());
        assert_eq!(&text[s..e], "الرئيسُ");
    }

    #[test]
    fn expansion_maps_to_one_source_char() {
        let text = "Straße 5";
        let n = normalize(text);
        let at = n.key.find("ss").unwrap();
        let (s, e) = n.original_span(at, at + 2);
        assert_eq!(&text[s..e], "ß");
    }

    #[test]
    fn table_agrees_with_the_rules() {
        for u in (0..TABLE_LOW as u32).chain(TABLE_PUNCT) {
            if let Some(c) = char::from_u32(u) {
                let k = table_index(c).unwrap();
                assert_eq!(table()[k], fold_char(c), "U+{u:04X}");
            }
        }
    }

    #[test]
    fn normalize_into_reuses_and_resets() {
        let mut n = normalize("قالَ الرئيسُ كلاماً طويلاً");
        normalize_into("Zaïre", &mut n);
        assert_eq!(n, normalize("Zaïre"));
        assert_eq!(n.original_span(0, n.key.len()), (0, "Zaïre".len()));
    }

    proptest::proptest! {
        #[test]
        fn map_is_monotone_and_on_boundaries(text in "\\PC{0,60}") {
            let n = normalize(&text);
            let mut last = 0;
            for i in 0..n.key.len() {
                let (s, e) = n.original_span(i, i + 1);
                proptest::prop_assert!(s <= e && e <= text.len());
                proptest::prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                proptest::prop_assert!(s >= last);
                last = s;
            }
        }
    }
}
