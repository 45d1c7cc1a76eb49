//! A reusable-buffer copy of [`hadath_normalize::normalize`] for the hot path of
//! [`crate::Actors::find`]: the same key and the same offset map, without three allocations
//! per sentence and with a table lookup per char.
//!
//! The per-char tables are filled by asking `hadath_normalize` itself about each char (a
//! two-char probe, see [`probe`]), so the folding rules live in one place; chars outside the
//! tables are probed at run time. `normalize` works char by char with no context other than
//! "a removed mark widens the previous char's source", which is what makes this exact.

/// The tables, built on first use (well under a millisecond).
pub(crate) fn folder() -> &'static Folder {
    static FOLDER: std::sync::OnceLock<Folder> = std::sync::OnceLock::new();
    FOLDER.get_or_init(Folder::new)
}

/// What normalisation does with one char.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    /// A removed mark: widen the source of the previous key char.
    Remove,
    /// Emit one char (the common case).
    Char(char),
    /// Emit this text (several chars, or none).
    Str(Box<str>),
}

fn probe(c: char) -> Action {
    let mut s = String::with_capacity(5);
    s.push('x');
    s.push(c);
    let n = hadath_normalize::normalize(&s);
    let out = n.key.get(1..).unwrap_or("");
    if out.is_empty() && n.original_span(0, 1) == (0, s.len()) {
        return Action::Remove;
    }
    let mut chars = out.chars();
    match (chars.next(), chars.next()) {
        (Some(f), None) => Action::Char(f),
        _ => Action::Str(out.into()),
    }
}

/// First char past the low table; the second table covers general punctuation and the
/// format chars (U+2000–U+206F: quotes, dashes, zero-width and bidi controls).
const LOW: u32 = 0x800;
const PUNCT: std::ops::Range<u32> = 0x2000..0x2070;

/// Folding tables and the word-char test, built once per lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    low: Vec<Action>,
    punct: Vec<Action>,
    /// `char::is_alphanumeric` for chars below [`LOW`], one bit each.
    word: [u64; (LOW / 64) as usize],
}

impl Folder {
    pub fn new() -> Folder {
        let chars = |r: std::ops::Range<u32>| r.map(|u| char::from_u32(u).unwrap_or('\u{FFFD}'));
        let mut word = [0u64; (LOW / 64) as usize];
        for c in chars(0..LOW) {
            if c.is_alphanumeric() {
                if let Some(w) = word.get_mut(c as usize / 64) {
                    *w |= 1 << (c as u32 % 64);
                }
            }
        }
        Folder {
            low: chars(0..LOW).map(probe).collect(),
            punct: chars(PUNCT).map(probe).collect(),
            word,
        }
    }

    /// `c.is_alphanumeric()`, fast for the Latin, Greek, Cyrillic and Arabic blocks.
    #[inline]
    pub fn is_word(&self, c: char) -> bool {
        match self.word.get(c as usize / 64) {
            Some(w) => w & (1 << (c as u32 % 64)) != 0,
            None => c.is_alphanumeric(),
        }
    }

    fn table(&self, c: char) -> Option<&Action> {
        let u = c as u32;
        if u < LOW {
            self.low.get(u as usize)
        } else if PUNCT.contains(&u) {
            self.punct.get((u - PUNCT.start) as usize)
        } else {
            None
        }
    }

    /// Folds `text` into `out` (cleared first); the same result as `hadath_normalize::normalize`.
    pub fn fold(&self, text: &str, out: &mut Folded) {
        out.key.clear();
        out.origin.clear();
        out.origin_end.clear();
        out.key.reserve(text.len());
        out.origin.reserve(text.len());
        out.origin_end.reserve(text.len());
        let mut i = 0;
        while let Some(rest) = text.get(i..) {
            // A run of ASCII: copied and lower-cased in bulk, one key byte per source byte.
            let run = rest.bytes().take_while(u8::is_ascii).count();
            if run > 0 {
                let from = out.key.len();
                out.key.push_str(rest.get(..run).unwrap_or(""));
                if let Some(k) = out.key.get_mut(from..) {
                    k.make_ascii_lowercase();
                }
                out.origin.extend(i as u32..(i + run) as u32);
                out.origin_end.extend(i as u32 + 1..=(i + run) as u32);
                i += run;
                continue;
            }
            let Some(c) = rest.chars().next() else {
                break;
            };
            let start = i as u32;
            i += c.len_utf8();
            let end = i as u32;
            let probed;
            let action = match self.table(c) {
                Some(a) => a,
                None => {
                    probed = probe(c);
                    &probed
                }
            };
            match action {
                Action::Remove => {
                    if let Some(last) = out.origin_end.last().copied() {
                        for e in out.origin_end.iter_mut().rev() {
                            if *e != last {
                                break;
                            }
                            *e = end;
                        }
                    }
                    continue;
                }
                Action::Char(f) => out.key.push(*f),
                Action::Str(s) => out.key.push_str(s),
            }
            let n = out.key.len() - out.origin.len();
            out.origin.extend(std::iter::repeat_n(start, n));
            out.origin_end.extend(std::iter::repeat_n(end, n));
        }
    }
}

/// A match key with its map back to the original (see `hadath_normalize::Normalized`).
#[derive(Debug, Default)]
pub(crate) struct Folded {
    pub key: String,
    origin: Vec<u32>,
    origin_end: Vec<u32>,
}

impl Folded {
    /// Same as `hadath_normalize::Normalized::original_span`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.key.is_empty() {
            return (0, 0);
        }
        let start = start.min(self.key.len());
        let end = end.min(self.key.len());
        let last = self.origin_end.last().copied().unwrap_or(0) as usize;
        if start >= end {
            let o = self.origin.get(start).map_or(last, |&o| o as usize);
            return (o, o);
        }
        (
            self.origin.get(start).map_or(last, |&o| o as usize),
            self.origin_end.get(end - 1).map_or(last, |&o| o as usize),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fold gives exactly `normalize`'s key and spans, marks and odd chars included.
    #[test]
    fn same_as_normalize() {
        let f = Folder::new();
        let mut out = Folded::default();
        let table = [
            "",
            "أعلنتْ الحكومةُ الكازاخستانيّة",
            "ـــقوّات الأمنِ، ١٢٣ ۴۵",
            "\u{064B}leading mark then Straße Æsir Łódź",
            "ﻻ ﷲ ﺍﻟﺤﻜﻮﻣﺔ presentation forms",
            "Tokayev’s “quote” — dash\u{200F}\u{2066}x\u{2069} \u{00A0}nbsp \u{202F}",
            "İstanbul ΑΘΗΝΑ Москва ЙЇ 北京 😀 é\u{0301}",
            "a\u{0651}\u{064E}b\u{0640}",
        ];
        for t in table {
            f.fold(t, &mut out);
            let n = hadath_normalize::normalize(t);
            assert_eq!(out.key, n.key, "{t}");
            for s in 0..=n.key.len() + 1 {
                for e in 0..=n.key.len() + 1 {
                    assert_eq!(
                        out.original_span(s, e),
                        n.original_span(s, e),
                        "{t} {s} {e}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_text_folds_like_normalize(t in "(\\PC|[\u{0600}-\u{06FF}]|[\u{FB50}-\u{FEFF}]|[\u{2000}-\u{206F}]){0,24}") {
            let mut out = Folded::default();
            folder().fold(&t, &mut out);
            let n = hadath_normalize::normalize(&t);
            proptest::prop_assert_eq!(&out.key, &n.key);
            for s in 0..=n.key.len() {
                for e in s..=n.key.len() {
                    proptest::prop_assert_eq!(out.original_span(s, e), n.original_span(s, e));
                }
            }
        }
    }

    #[test]
    fn word_table_matches_std() {
        let f = Folder::new();
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(f.is_word(c), c.is_alphanumeric(), "{u:x}");
            }
        }
    }
}
