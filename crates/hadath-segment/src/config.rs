//! The data files behind the segmenter: abbreviations, language cues and month names.
//! Defaults are embedded with `include_str!`; users may pass their own TOML with the same shape.

use hadath_model::Lang;
use serde::Deserialize;
use std::collections::HashMap;

/// The embedded default abbreviation list (`data/abbreviations.toml`).
pub const DEFAULT_ABBREVIATIONS: &str = include_str!("../data/abbreviations.toml");
/// The embedded default language cues (`data/lang_cues.toml`).
pub const DEFAULT_LANG_CUES: &str = include_str!("../data/lang_cues.toml");
/// The embedded default month names (`data/months.toml`).
pub const DEFAULT_MONTHS: &str = include_str!("../data/months.toml");

/// Why a data file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("{file}: not valid TOML of the expected shape: {source}; compare with the default file in crates/hadath-segment/data/")]
    Toml {
        file: &'static str,
        #[source]
        source: toml::de::Error,
    },
    #[error("{file}: bad entry {entry:?}: {why}")]
    Entry {
        file: &'static str,
        entry: String,
        why: &'static str,
    },
}

/// Short keys from our own data files: FxHash, not SipHash.
type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
type FastSet<K> = rustc_hash::FxHashSet<K>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbrevFile {
    never_end: Vec<String>,
    may_end: Vec<String>,
    sentence_starters: Vec<String>,
}

/// Abbreviations whose final '.' does not (or only sometimes does) end a sentence.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    never_end: FastSet<String>,
    may_end: FastSet<String>,
    starters: FastSet<String>,
}

impl Abbreviations {
    /// Parses and validates an abbreviations file.
    pub fn from_toml(src: &str) -> Result<Abbreviations, SegmentError> {
        const FILE: &str = "abbreviations.toml";
        let f: AbbrevFile =
            toml::from_str(src).map_err(|source| SegmentError::Toml { file: FILE, source })?;
        let check = |e: &String| -> Result<(), SegmentError> {
            let bad = |why| SegmentError::Entry {
                file: FILE,
                entry: e.clone(),
                why,
            };
            if !e.ends_with('.') || e.len() < 2 {
                return Err(bad(
                    "an abbreviation must end with '.' and have a letter before it",
                ));
            }
            if e.chars().any(char::is_whitespace) {
                return Err(bad("an abbreviation must not contain whitespace"));
            }
            Ok(())
        };
        for e in f.never_end.iter().chain(&f.may_end) {
            check(e)?;
        }
        for s in &f.sentence_starters {
            if s.is_empty() || s.chars().any(|c| !c.is_alphabetic()) {
                return Err(SegmentError::Entry {
                    file: FILE,
                    entry: s.clone(),
                    why: "a sentence starter must be one word of letters",
                });
            }
        }
        Ok(Abbreviations {
            never_end: f.never_end.into_iter().collect(),
            may_end: f.may_end.into_iter().collect(),
            starters: f.sentence_starters.into_iter().collect(),
        })
    }

    pub(crate) fn never_ends(&self, word_with_dot: &str) -> bool {
        self.never_end.contains(word_with_dot)
    }
    pub(crate) fn may_end(&self, word_with_dot: &str) -> bool {
        self.may_end.contains(word_with_dot)
    }
    pub(crate) fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    words: HashMap<String, Vec<String>>,
}

/// Function words per language, as a bit mask per word (bit i = `lang::WORD_LANGS[i]`).
#[derive(Debug, Clone, Default)]
pub struct LangCues {
    words: FastMap<Box<[u8]>, u16>,
    max_len: usize,
    /// A 4096-bit filter over (length, first, last two bytes) of every cue: most words of
    /// running text are rejected here without hashing.
    filter: Vec<u64>,
}

/// The longest cue accepted, in UTF-8 bytes (the word buffer of `Features::of` is this big).
pub(crate) const MAX_CUE_BYTES: usize = 64;

/// The slot of `word` in [`LangCues::filter`].
#[inline]
fn filter_slot(word: &[u8]) -> usize {
    let n = word.len();
    let first = word.first().copied().unwrap_or(0);
    let last = word.last().copied().unwrap_or(0);
    let before_last = n
        .checked_sub(2)
        .and_then(|i| word.get(i))
        .copied()
        .unwrap_or(0);
    let k = (n as u32 & 0xFF)
        | (u32::from(first) << 8)
        | (u32::from(last) << 16)
        | (u32::from(before_last) << 24);
    (k.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

impl LangCues {
    /// Parses and validates a language-cues file.
    pub fn from_toml(src: &str) -> Result<LangCues, SegmentError> {
        const FILE: &str = "lang_cues.toml";
        let f: CuesFile =
            toml::from_str(src).map_err(|source| SegmentError::Toml { file: FILE, source })?;
        let mut cues = LangCues::default();
        for (code, words) in f.words {
            let bit = Lang::from_code(&code)
                .and_then(|l| crate::lang::WORD_LANGS.iter().position(|&w| w == l))
                .ok_or_else(|| SegmentError::Entry {
                    file: FILE,
                    entry: code.clone(),
                    why: "not a language with word cues (en fr es tr ru uk kk fa ar)",
                })?;
            for w in words {
                if w.is_empty() || w.chars().any(|c| !c.is_alphabetic()) || w.to_lowercase() != w {
                    return Err(SegmentError::Entry {
                        file: FILE,
                        entry: w,
                        why: "a cue must be one lower-case word of letters",
                    });
                }
                if w.len() > MAX_CUE_BYTES {
                    return Err(SegmentError::Entry {
                        file: FILE,
                        entry: w,
                        why: "a cue must be at most 64 bytes of UTF-8",
                    });
                }
                cues.max_len = cues.max_len.max(w.len());
                if cues.filter.is_empty() {
                    cues.filter = vec![0; 64];
                }
                let slot = filter_slot(w.as_bytes());
                if let Some(bits) = cues.filter.get_mut(slot / 64) {
                    *bits |= 1 << (slot % 64);
                }
                *cues
                    .words
                    .entry(w.into_bytes().into_boxed_slice())
                    .or_insert(0) |= 1 << bit;
            }
        }
        Ok(cues)
    }

    /// The embedded cues, for unit tests.
    #[cfg(test)]
    pub(crate) fn default_cues() -> LangCues {
        LangCues::from_toml(DEFAULT_LANG_CUES).unwrap_or_default()
    }

    pub(crate) fn max_word_len(&self) -> usize {
        self.max_len
    }

    #[cfg(test)]
    pub(crate) fn lookup(&self, word: &str) -> u16 {
        self.lookup_bytes(word.as_bytes())
    }

    /// The language bit mask of a lower-cased word given as UTF-8 bytes (0 when no cue).
    #[inline]
    pub(crate) fn lookup_bytes(&self, word: &[u8]) -> u16 {
        let slot = filter_slot(word);
        match self.filter.get(slot / 64) {
            Some(bits) if bits & (1 << (slot % 64)) != 0 => {
                self.words.get(word).copied().unwrap_or(0)
            }
            _ => 0,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthsFile {
    names: HashMap<String, u8>,
}

/// Month names, folded with `hadath_normalize::key`, to month numbers.
#[derive(Debug, Clone, Default)]
pub struct Months {
    names: FastMap<String, u8>,
}

impl Months {
    /// Parses and validates a month-names file.
    pub fn from_toml(src: &str) -> Result<Months, SegmentError> {
        const FILE: &str = "months.toml";
        let f: MonthsFile =
            toml::from_str(src).map_err(|source| SegmentError::Toml { file: FILE, source })?;
        let mut names = FastMap::default();
        for (name, m) in f.names {
            if !(1..=12).contains(&m) {
                return Err(SegmentError::Entry {
                    file: FILE,
                    entry: name,
                    why: "month number must be 1-12",
                });
            }
            let key = hadath_normalize::key(name.trim());
            if key.is_empty() || key.split(' ').count() > 2 {
                return Err(SegmentError::Entry {
                    file: FILE,
                    entry: name,
                    why: "a month name must be one or two words",
                });
            }
            names.insert(key, m);
        }
        Ok(Months { names })
    }

    pub(crate) fn get(&self, folded: &str) -> Option<u8> {
        self.names.get(folded).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_load() {
        let a = Abbreviations::from_toml(DEFAULT_ABBREVIATIONS).unwrap();
        assert!(a.never_ends("Mr.") && a.may_end("U.S.") && a.is_starter("The"));
        let c = LangCues::from_toml(DEFAULT_LANG_CUES).unwrap();
        assert_ne!(c.lookup("the"), 0);
        assert!(c.max_word_len() >= 10);
        let m = Months::from_toml(DEFAULT_MONTHS).unwrap();
        assert_eq!(m.get("january"), Some(1));
        assert_eq!(m.get(&hadath_normalize::key("أبريل")), Some(4));
        assert_eq!(m.get(&hadath_normalize::key("كانون الثاني")), Some(1));
    }

    #[test]
    fn every_cue_passes_the_filter() {
        let c = LangCues::from_toml(DEFAULT_LANG_CUES).unwrap();
        let f: CuesFile = toml::from_str(DEFAULT_LANG_CUES).unwrap();
        for w in f.words.values().flatten() {
            assert_ne!(c.lookup(w), 0, "{w}");
        }
        assert_eq!(c.lookup("zebra"), 0);
        let long = format!("[words]\nen = [\"{}\"]", "a".repeat(MAX_CUE_BYTES + 1));
        let e = LangCues::from_toml(&long).unwrap_err();
        assert!(e.to_string().contains("64 bytes"), "{e}");
    }

    #[test]
    fn bad_files_are_rejected_with_reasons() {
        let e =
            Abbreviations::from_toml("never_end = [\"Mr\"]\nmay_end = []\nsentence_starters = []")
                .unwrap_err();
        assert!(e.to_string().contains("\"Mr\""), "{e}");
        assert!(Abbreviations::from_toml("x = 1").is_err());
        let e = LangCues::from_toml("[words]\nxx = [\"a\"]").unwrap_err();
        assert!(e.to_string().contains("xx"), "{e}");
        assert!(LangCues::from_toml("[words]\nen = [\"The\"]").is_err());
        assert!(Months::from_toml("[names]\nfoo = 13").is_err());
    }
}
