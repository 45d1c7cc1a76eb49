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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// A removed mark: widen the source of the previous key char.
    Remove,
    /// Emit these bytes (`len` of them; empty is possible).
    Emit { len: u8, bytes: [u8; 7] },
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
    let mut bytes = [0u8; 7];
    if out.len() > bytes.len() || !n.key.starts_with('x') {
        return Action::Emit {
            len: u8::MAX,
            bytes,
        };
    }
    if let Some(dst) = bytes.get_mut(..out.len()) {
        dst.copy_from_slice(out.as_bytes());
    }
    Action::Emit {
        len: out.len() as u8,
        bytes,
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

    fn action(&self, c: char) -> Action {
        let u = c as u32;
        let hit = if u < LOW {
            self.low.get(u as usize)
        } else if PUNCT.contains(&u) {
            self.punct.get((u - PUNCT.start) as usize)
        } else {
            None
        };
        hit.copied().unwrap_or_else(|| probe(c))
    }

    /// Folds `text` into `out` (cleared first); the same result as `hadath_normalize::normalize`.
    pub fn fold(&self, text: &str, out: &mut Folded) {
        out.key.clear();
        out.origin.clear();
        out.origin_end.clear();
        for (i, c) in text.char_indices() {
            let start = i as u32;
            let end = (i + c.len_utf8()) as u32;
            if c.is_ascii() {
                out.key.push(c.to_ascii_lowercase());
                out.origin.push(start);
                out.origin_end.push(end);
                continue;
            }
            match self.action(c) {
                Action::Remove => {
                    if let Some(last) = out.origin_end.last().copied() {
                        for e in out.origin_end.iter_mut().rev() {
                            if *e != last {
                                break;
                            }
                            *e = end;
                        }
                    }
                }
                Action::Emit { len, bytes } => {
                    let s = match bytes.get(..len as usize) {
                        Some(b) => std::str::from_utf8(b).ok(),
                        None => None,
                    };
                    match s {
                        Some(s) => out.key.push_str(s),
                        None => {
                            // Longer than the table holds: ask normalize directly.
                            let mut one = String::new();
                            one.push(c);
                            out.key.push_str(&hadath_normalize::key(&one));
                        }
                    }
                    let n = out.key.len() - out.origin.len();
                    out.origin.extend(std::iter::repeat_n(start, n));
                    out.origin_end.extend(std::iter::repeat_n(end, n));
                }
            }
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
