//! Sentence splitting for Arabic and English (and other scripts that use the same marks).
//!
//! A sentence ends after a run of terminators (`.` `!` `?` `؟` `…` `۔`) and any closing
//! quotes or brackets (`»` `”` `"` `)` `]`), when whitespace or the end of the paragraph
//! follows, unless:
//! - the next word starts with a lower-case letter ("he said... and left");
//! - the '.' closes an abbreviation that never ends a sentence ("Mr.", "Jan.", "د."), a single
//!   capital initial ("J. Smith"), or a list number at the start of a sentence ("1. ");
//! - the '.' closes dotted initials or an abbreviation that may end a sentence ("U.S.", "Inc.")
//!   and the next word is not a sentence starter ("The", "He" …).
//!
//! Decimals (`3.5`, `٣٫٥`) and domains (`t.co/x`, `example.com`) never split because no
//! whitespace follows their dot. `؛` (Arabic semicolon) and `،` (comma) never end a sentence.

use crate::config::Abbreviations;
use hadath_model::Span;

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔' | '‼' | '⁇' | '⁈' | '⁉')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '»' | '”' | '"' | '\'' | '’' | ')' | ']' | '}' | '›' | '』' | '」'
    )
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '«' | '“' | '"' | '\'' | '‘' | '‹' | '„'
    )
}

/// Appends to `out` the spans of the sentences of `text` (offsets shifted by `base`),
/// trimmed of surrounding whitespace; whitespace-only pieces are skipped.
pub(crate) fn split(text: &str, base: usize, abbr: &Abbreviations, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut i = 0usize;
    // A byte scan, eight bytes a step: only candidate bytes of terminators are looked at.
    while let Some((t, c, last)) = next_terminator(bytes, i) {
        let mut end = last + 1;
        let mut only_one_dot = c == '.';
        for d in text.get(end..).unwrap_or("").chars() {
            if is_terminator(d) {
                only_one_dot = false;
            } else if !is_closer(d) {
                break;
            }
            end += d.len_utf8();
        }
        i = end;
        let rest = text.get(end..).unwrap_or("");
        match rest.chars().next() {
            None => {}
            Some(n) if n.is_whitespace() => {
                let next = rest.trim_start();
                if !ends_here(text, start, t, only_one_dot, next, abbr) {
                    continue;
                }
            }
            Some(_) => continue,
        }
        push(text, start, end, base, out);
        start = end;
    }
    push(text, start, text.len(), base, out);
}

/// Bytes that may belong to a terminator: the ASCII ones, the last byte of `؟` (D8 9F) and
/// `۔` (DB 94), and the lead byte of the three-byte ones (E2 …). Arabic letters share
/// their lead bytes with `؟`/`۔`, so those are matched by their rarer last byte.
const CANDIDATES: [u8; 6] = [b'.', b'!', b'?', 0x9F, 0x94, 0xE2];

/// The first terminator starting at or after `from` (a char boundary): its start, the char
/// and the offset of its last byte.
fn next_terminator(bytes: &[u8], from: usize) -> Option<(usize, char, usize)> {
    let mut j = from;
    loop {
        let rest = bytes.get(j..)?;
        let at = j + crate::scan::position_any(rest, CANDIDATES)?;
        if let Some(found) = terminator_at(bytes, at) {
            return Some(found);
        }
        j = at + 1;
    }
}

/// The terminator that the candidate byte `bytes[at]` belongs to, if any.
fn terminator_at(bytes: &[u8], at: usize) -> Option<(usize, char, usize)> {
    let b = *bytes.get(at)?;
    let prev = at.checked_sub(1).and_then(|j| bytes.get(j)).copied();
    match b {
        b'.' => Some((at, '.', at)),
        b'!' => Some((at, '!', at)),
        b'?' => Some((at, '?', at)),
        0x9F if prev == Some(0xD8) => Some((at - 1, '؟', at)),
        0x94 if prev == Some(0xDB) => Some((at - 1, '۔', at)),
        0xE2 => {
            let c = match (bytes.get(at + 1), bytes.get(at + 2)) {
                (Some(0x80), Some(0xA6)) => '…',
                (Some(0x80), Some(0xBC)) => '‼',
                (Some(0x81), Some(0x87)) => '⁇',
                (Some(0x81), Some(0x88)) => '⁈',
                (Some(0x81), Some(0x89)) => '⁉',
                _ => return None,
            };
            Some((at, c, at + 2))
        }
        _ => None,
    }
}

fn push(text: &str, start: usize, end: usize, base: usize, out: &mut Vec<Span>) {
    let piece = text.get(start..end).unwrap_or("");
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = base + start + lead;
        out.push(Span::new(s, s + trimmed.len()));
    }
}

/// Whether the terminator at `dot` (sentence started at `start`) ends the sentence, given
/// the text `next` that follows the whitespace after it.
fn ends_here(
    text: &str,
    start: usize,
    dot: usize,
    only_one_dot: bool,
    next: &str,
    abbr: &Abbreviations,
) -> bool {
    let Some(first) = next.chars().next() else {
        return true;
    };
    if first.is_lowercase() {
        return false;
    }
    if !only_one_dot {
        return true;
    }
    let before = text.get(..dot).unwrap_or("");
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || is_opener(c))
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = before.get(word_start..).unwrap_or("");
    if word.is_empty() {
        return true;
    }
    let with_dot = text.get(word_start..dot + 1).unwrap_or("");
    if abbr.never_ends(with_dot) {
        return false;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false; // "J. Smith"
        }
    }
    if word.len() <= 2
        && word.bytes().all(|b| b.is_ascii_digit())
        && text
            .get(start..word_start)
            .is_some_and(|s| s.trim().is_empty())
    {
        return false; // "1. " opening a list item
    }
    if abbr.may_end(with_dot) || is_dotted_initials(word) {
        let next_word: &str = next
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        return abbr.is_starter(next_word);
    }
    true
}

/// "U.S", "J.R.R", "a.m": single letters separated by dots.
fn is_dotted_initials(word: &str) -> bool {
    let mut n = 0;
    for part in word.split('.') {
        let mut cs = part.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) if c.is_alphabetic() => n += 1,
            _ => return false,
        }
    }
    n >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_ABBREVIATIONS;

    fn sentences(text: &str) -> Vec<&str> {
        let abbr = Abbreviations::from_toml(DEFAULT_ABBREVIATIONS).unwrap();
        let mut out = Vec::new();
        split(text, 0, &abbr, &mut out);
        out.iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn english_table() {
        let table: &[(&str, &[&str])] = &[
            ("One day. Two nights.", &["One day.", "Two nights."]),
            (
                "Mr. Brown met Dr. Green. They talked.",
                &["Mr. Brown met Dr. Green.", "They talked."],
            ),
            (
                "Gen. Stone said on Jan. 5 that No. 3 fell.",
                &["Gen. Stone said on Jan. 5 that No. 3 fell."],
            ),
            (
                "The U.S. Embassy shut. Staff left.",
                &["The U.S. Embassy shut.", "Staff left."],
            ),
            (
                "Sanctions by the U.S. The talks failed.",
                &["Sanctions by the U.S.", "The talks failed."],
            ),
            (
                "Prices rose 3.5 percent. Wages fell.",
                &["Prices rose 3.5 percent.", "Wages fell."],
            ),
            (
                "See t.co/abc12 and example.com now. Done.",
                &["See t.co/abc12 and example.com now.", "Done."],
            ),
            (
                "Reported by J. Smith today. More later.",
                &["Reported by J. Smith today.", "More later."],
            ),
            (
                "He asked, \"Why now?\" Nobody knew.",
                &["He asked, \"Why now?\"", "Nobody knew."],
            ),
            (
                "\"Leave now!\" he shouted.",
                &["\"Leave now!\" he shouted."],
            ),
            ("Wait... then go. Fine.", &["Wait... then go.", "Fine."]),
            ("Wait... Then go!", &["Wait...", "Then go!"]),
            (
                "Tanks, guns, etc. were seen.",
                &["Tanks, guns, etc. were seen."],
            ),
            (
                "It hit (see above). It stopped.",
                &["It hit (see above).", "It stopped."],
            ),
            (
                "1. First point. 2. Second point.",
                &["1. First point.", "2. Second point."],
            ),
            ("No terminator at all", &["No terminator at all"]),
            ("  spaced out.   ", &["spaced out."]),
        ];
        for (text, want) in table {
            assert_eq!(&sentences(text), want, "{text}");
        }
    }

    #[test]
    fn arabic_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "وصل الوفد. وبدأت المحادثات.",
                &["وصل الوفد.", "وبدأت المحادثات."],
            ),
            (
                "هل انتهت الأزمة؟ لا أحد يعرف.",
                &["هل انتهت الأزمة؟", "لا أحد يعرف."],
            ),
            (
                "قال الوزير، في بيان، إن الوضع مستقر؛ وأضاف أنه يتابع.",
                &["قال الوزير، في بيان، إن الوضع مستقر؛ وأضاف أنه يتابع."],
            ),
            (
                "قال: «لن نتراجع.» ثم غادر.",
                &["قال: «لن نتراجع.»", "ثم غادر."],
            ),
            (
                "ارتفع المؤشر ٣٫٥ بالمئة. وهبط النفط 2.1 دولار.",
                &["ارتفع المؤشر ٣٫٥ بالمئة.", "وهبط النفط 2.1 دولار."],
            ),
            (
                "التقى د. أحمد بالوفد. وانتهى اللقاء!",
                &["التقى د. أحمد بالوفد.", "وانتهى اللقاء!"],
            ),
            (
                "التفاصيل على https://t.co/Zx9. وسنوافيكم.",
                &["التفاصيل على https://t.co/Zx9.", "وسنوافيكم."],
            ),
            (
                "انتهى الاجتماع۔ بدأ التصويت",
                &["انتهى الاجتماع۔", "بدأ التصويت"],
            ),
        ];
        for (text, want) in table {
            assert_eq!(&sentences(text), want, "{text}");
        }
    }

    /// The byte-at-a-time terminator test that `next_terminator` replaced.
    fn terminator_ending_at(bytes: &[u8], i: usize) -> Option<(usize, char)> {
        let b = *bytes.get(i)?;
        let prev = |k: usize| i.checked_sub(k).and_then(|j| bytes.get(j)).copied();
        match b {
            b'.' => Some((i, '.')),
            b'!' => Some((i, '!')),
            b'?' => Some((i, '?')),
            0x9F if prev(1) == Some(0xD8) => Some((i - 1, '؟')),
            0x94 if prev(1) == Some(0xDB) => Some((i - 1, '۔')),
            0xA6 | 0xBC | 0x87..=0x89 if prev(2) == Some(0xE2) => {
                let c = match (prev(1), b) {
                    (Some(0x80), 0xA6) => '…',
                    (Some(0x80), 0xBC) => '‼',
                    (Some(0x81), 0x87) => '⁇',
                    (Some(0x81), 0x88) => '⁈',
                    (Some(0x81), 0x89) => '⁉',
                    _ => return None,
                };
                Some((i - 2, c))
            }
            _ => None,
        }
    }

    proptest::proptest! {
        #[test]
        fn scan_finds_the_same_terminators(
            text in "[a.!?؟۔…‼⁇⁈⁉⁆ ـهوىؔڔٟ—“”«»]{0,40}"
        ) {
            let bytes = text.as_bytes();
            let old: Vec<(usize, char)> =
                (0..bytes.len()).filter_map(|i| terminator_ending_at(bytes, i)).collect();
            let mut new = Vec::new();
            let mut j = 0;
            while let Some((t, c, last)) = next_terminator(bytes, j) {
                proptest::prop_assert_eq!(last + 1 - t, c.len_utf8());
                new.push((t, c));
                j = last + 1;
            }
            proptest::prop_assert_eq!(old, new);
        }
    }

    #[test]
    fn offsets_shift_by_base() {
        let abbr = Abbreviations::from_toml(DEFAULT_ABBREVIATIONS).unwrap();
        let mut out = Vec::new();
        split(" Ab. Cd.", 10, &abbr, &mut out);
        assert_eq!(out, vec![Span::new(11, 14), Span::new(15, 18)]);
    }
}
