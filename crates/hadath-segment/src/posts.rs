//! Pasted social posts: the tweet signature line and its date.
//!
//! A signature looks like `— Author Name (@handle) January 5, 2022`: a dash (`—`, `–`, `-`),
//! the author, the handle in brackets, then a date that [`parse_post_date`] understands.
//! The dash may be missing, but then the date must be present.

use crate::config::{Months, DEFAULT_MONTHS};
use hadath_model::PartialDate;
use std::sync::OnceLock;

/// A parsed signature line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub author: String,
    pub handle: String,
    pub date: Option<PartialDate>,
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '-' | '―' | '‒' | '−')
}

/// Parses a tweet signature line; `None` when `line` is not one.
pub fn parse_signature(line: &str) -> Option<Signature> {
    if !line.contains('@') {
        return None;
    }
    let t = line.trim();
    if t.len() > 300 {
        return None;
    }
    let dashed = t.starts_with(is_dash);
    let rest = t.trim_start_matches(is_dash).trim_start();
    let open = rest.find("(@")?;
    let author = rest.get(..open)?.trim();
    if author.is_empty() || author.chars().count() > 80 || author.contains(['\n', '(', ')']) {
        return None;
    }
    let after = rest.get(open + 2..)?;
    let close = after.find(')')?;
    let handle = after.get(..close)?;
    if handle.is_empty()
        || handle.len() > 30
        || !handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    let date_text = after.get(close + 1..)?.trim();
    let date = if date_text.is_empty() {
        if !dashed {
            return None;
        }
        None
    } else {
        Some(parse_post_date(date_text)?)
    };
    Some(Signature {
        author: author.to_string(),
        handle: handle.to_string(),
        date,
    })
}

fn months() -> &'static Months {
    static MONTHS: OnceLock<Months> = OnceLock::new();
    MONTHS.get_or_init(|| Months::from_toml(DEFAULT_MONTHS).unwrap_or_default())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Num(u32, usize),
    Month(u8),
}

/// Words that may sit inside a date without changing it ("5 de enero de 2022").
const FILLERS: &[&str] = &["of", "the", "de", "del", "le", "th", "st", "nd", "rd"];

/// Parses the date of a post signature or dateline: `January 5, 2022`, `Jan 5, 2022`,
/// `5 January 2022`, `5 يناير 2022`, `19 يناير/كانون الثاني 2022`, `5 января 2022`,
/// `2022-01-05`, `January 2022`. Arabic-Indic digits are accepted. `None` when the text
/// holds anything else.
///
/// ```
/// use hadath_segment::parse_post_date;
/// assert_eq!(parse_post_date("January 5, 2022").unwrap().to_string(), "2022-01-05");
/// assert_eq!(parse_post_date("٥ يناير ٢٠٢٢").unwrap().to_string(), "2022-01-05");
/// assert!(parse_post_date("soon").is_none());
/// ```
pub fn parse_post_date(s: &str) -> Option<PartialDate> {
    let key = hadath_normalize::key(s.trim());
    if key.len() > 80 {
        return None;
    }
    if key.starts_with(|c: char| c.is_ascii_digit())
        && key.len() >= 4
        && key.as_bytes().get(4) == Some(&b'-')
    {
        return PartialDate::parse(&key);
    }
    let words: Vec<&str> = key
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-' | '،'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut toks: Vec<Tok> = Vec::with_capacity(4);
    let mut i = 0;
    while i < words.len() {
        let w = words.get(i).copied().unwrap_or("");
        if let Some(next) = words.get(i + 1) {
            if let Some(m) = months().get(&format!("{w} {next}")) {
                push_month(&mut toks, m);
                i += 2;
                continue;
            }
        }
        i += 1;
        if let Some(m) = months().get(w) {
            push_month(&mut toks, m);
            continue;
        }
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.len() <= 4 {
            if !suffix.is_empty() && !FILLERS.contains(&suffix) {
                return None;
            }
            toks.push(Tok::Num(digits.parse().ok()?, digits.len()));
            continue;
        }
        if FILLERS.contains(&w) {
            continue;
        }
        return None;
    }
    let year = |n: u32, len: usize| (len == 4 && (1000..=2999).contains(&n)).then_some(n as i32);
    let day = |n: u32, len: usize| (len <= 2 && (1..=31).contains(&n)).then_some(n as u8);
    match toks.as_slice() {
        [Tok::Month(m), Tok::Num(d, dl), Tok::Num(y, yl)]
        | [Tok::Num(d, dl), Tok::Month(m), Tok::Num(y, yl)] => {
            PartialDate::day(year(*y, *yl)?, *m, day(*d, *dl)?)
        }
        [Tok::Month(m), Tok::Num(y, yl)] => PartialDate::month(year(*y, *yl)?, *m),
        _ => None,
    }
}

/// Adds a month, skipping a repeat of the same month ("يناير/كانون الثاني").
fn push_month(toks: &mut Vec<Tok>, m: u8) {
    if toks.last() != Some(&Tok::Month(m)) {
        toks.push(Tok::Month(m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_table() {
        let table: &[(&str, Option<&str>)] = &[
            ("January 5, 2022", Some("2022-01-05")),
            ("Jan 5, 2022", Some("2022-01-05")),
            ("Jan. 5, 2022", Some("2022-01-05")),
            ("5 January 2022", Some("2022-01-05")),
            ("March 3rd, 2021", Some("2021-03-03")),
            ("5 يناير 2022", Some("2022-01-05")),
            ("٥ يناير ٢٠٢٢", Some("2022-01-05")),
            ("19 يناير/كانون الثاني 2022", Some("2022-01-19")),
            ("3 أيار 2020", Some("2020-05-03")),
            ("7 ابريل 2023", Some("2023-04-07")),
            ("5 января 2022", Some("2022-01-05")),
            ("5 de enero de 2022", Some("2022-01-05")),
            ("5 Ocak 2022", Some("2022-01-05")),
            ("2022-01-05", Some("2022-01-05")),
            ("December 2021", Some("2021-12")),
            ("February 30, 2022", None),
            ("January 5", None),
            ("said on January 5, 2022", None),
            ("", None),
        ];
        for (text, want) in table {
            assert_eq!(
                parse_post_date(text).map(|d| d.to_string()).as_deref(),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn signature_table() {
        let s = parse_signature("— Jane Roe (@jane_roe) January 5, 2022").unwrap();
        assert_eq!(
            (s.author.as_str(), s.handle.as_str()),
            ("Jane Roe", "jane_roe")
        );
        assert_eq!(s.date.unwrap().to_string(), "2022-01-05");
        let s = parse_signature("- سامي علي (@sami) 5 يناير 2022").unwrap();
        assert_eq!(s.author, "سامي علي");
        assert!(parse_signature("– Ann (@ann)").unwrap().date.is_none());
        assert!(parse_signature("Ann Lee (@annlee) May 2, 2021").is_some());
        assert!(parse_signature("Ann Lee (@annlee)").is_none());
        assert!(parse_signature("- see (@x) for the latest news").is_none());
        assert!(parse_signature("— (@x) January 5, 2022").is_none());
        assert!(parse_signature("a normal sentence.").is_none());
    }
}
