//! Plain-text files, with an optional block of metadata header lines on top.

use hadath_model::{Document, Format, PartialDate};
use serde_json::{Map, Value};

/// Metadata found in the header lines at the top of a text file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextHeader {
    pub published: Option<PartialDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// `lang` and any other `key: value` lines, keyed by the lowercased key.
    pub meta: Map<String, Value>,
    /// Problems found (a date that does not parse).
    pub warnings: Vec<String>,
    /// Byte offset where the text proper starts: after the header block and any blank
    /// lines or leading whitespace.
    pub body_start: usize,
}

/// Header keys that map to document fields.
const KNOWN: &[&str] = &[
    "date",
    "published",
    "title",
    "url",
    "source",
    "lang",
    "language",
];

/// Longest line still taken for a header line.
const MAX_HEADER_LINE: usize = 2048;

/// Splits the metadata header off the top of `text`.
///
/// The header is a run of lines at the very top, ended by the first blank line or the
/// first line that is not a header line. Header lines are `key: value` with keys
/// `date`, `published`, `title`, `url`, `source`, `lang` (any case), plus `date 2022-01`
/// with a space (only when a date follows). The block must start with one of those keys (so a first line such as
/// `BREAKING: ...` stays text); after that, other lowercase ASCII keys (`author: ...`)
/// are taken too and go to `meta`.
///
/// | text | published | body starts at |
/// |---|---|---|
/// | `date 2022-01\n\nقال` | 2022-01 | `قال` |
/// | `Title: Talks\nDATE: 2022-01-05\nText` | 2022-01-05 | `Text` |
/// | `BREAKING: blast\n` | none | `BREAKING` |
///
/// ```
/// let h = hadath_read::split_header("date: 2022-01-05\ntitle: محادثات\n\nبدأت المحادثات.");
/// assert_eq!(h.published.unwrap().to_string(), "2022-01-05");
/// assert_eq!(h.title.as_deref(), Some("محادثات"));
/// ```
pub fn split_header(text: &str) -> TextHeader {
    let mut h = TextHeader::default();
    let mut pos = 0usize;
    let mut seen_known = false;
    // Leading blank lines and indentation before the header.
    let lead = text.len() - text.trim_start().len();
    let text_all = text;
    let text = &text[lead..];
    pos += lead;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            break;
        }
        let Some((key, value)) = header_line(content, seen_known) else {
            // `date 2022-01 The story starts here`: a date prefix on the first line of prose.
            if !seen_known {
                if let Some((date, rest_at)) = inline_date(content) {
                    apply(&mut h, "date", date);
                    pos += rest_at;
                    h.body_start = pos;
                    return h;
                }
            }
            break;
        };
        seen_known = true;
        apply(&mut h, &key, value);
        pos += line.len();
    }
    // Blank lines and leading whitespace before the first real content.
    let rest = text_all.get(pos..).unwrap_or("");
    h.body_start = pos + (rest.len() - rest.trim_start().len());
    h
}

/// `date 2022-01 <prose>` on one line: the date value and the byte offset where the prose
/// starts (after the separating whitespace). Only `date`/`published` followed by a date.
fn inline_date(line: &str) -> Option<(&str, usize)> {
    let mut words = line.splitn(3, [' ', '\t']);
    let key = words.next()?;
    if !matches!(key.to_ascii_lowercase().as_str(), "date" | "published") {
        return None;
    }
    let value = words.next()?;
    let rest = words.next()?;
    parse_date(value)?;
    let prose = rest.trim_start();
    if prose.is_empty() {
        return None;
    }
    Some((value, line.len() - prose.len()))
}

/// `Some((lowercased key, value))` when `line` is a header line.
fn header_line(line: &str, allow_unknown: bool) -> Option<(String, &str)> {
    if line.len() > MAX_HEADER_LINE {
        return None;
    }
    let line = line.trim_start_matches('\u{feff}');
    let key_len = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    if key_len == 0 || key_len > 32 || !line.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let (key, rest) = line.split_at(key_len);
    let lower = key.to_ascii_lowercase();
    let known = KNOWN.contains(&lower.as_str());
    let value = if let Some(v) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') {
        v
    } else if lower == "date"
        && rest.starts_with([' ', '\t'])
        && rest.split_whitespace().count() == 1
        && parse_date(rest).is_some()
    {
        // `date 2022-01`: only when a date follows, so prose like "Date night ..." stays.
        rest
    } else {
        return None;
    };
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if known {
        return Some((lower, value));
    }
    // Unknown keys only inside a block that a known key opened, and only when written in
    // lowercase like a header (`author:`), so prose such as `Note: ...` ends the block.
    (allow_unknown && key == lower && !rest.starts_with([' ', '\t'])).then_some((lower, value))
}

fn apply(h: &mut TextHeader, key: &str, value: &str) {
    match key {
        "date" | "published" => match parse_date(value) {
            Some(d) => h.published = Some(d),
            None => {
                h.warnings.push(format!(
                    "header date {value:?} is not YYYY, YYYY-MM, YYYY-MM-DD or an ISO timestamp; \
                     kept in meta, publication date left empty"
                ));
                h.meta
                    .insert(key.to_string(), Value::String(value.to_string()));
            }
        },
        "title" => h.title = Some(value.to_string()),
        "url" => h.url = Some(value.to_string()),
        "source" => h.source = Some(value.to_string()),
        "language" => {
            h.meta
                .insert("lang".to_string(), Value::String(value.to_string()));
        }
        _ => {
            h.meta
                .insert(key.to_string(), Value::String(value.to_string()));
        }
    }
}

/// [`PartialDate::parse`], also accepting `/` or `.` as separators (`2022/01/05`).
pub(crate) fn parse_date(s: &str) -> Option<PartialDate> {
    PartialDate::parse(s).or_else(|| {
        let s = s.trim();
        let head = s.split(['T', ' ']).next().unwrap_or(s);
        if head.contains(['/', '.']) {
            PartialDate::parse(&head.replace(['/', '.'], "-"))
        } else {
            None
        }
    })
}

/// Builds the document for a text file whose content is `text`.
pub(crate) fn document(name: &str, text: String, warnings: Vec<String>) -> Document {
    let h = split_header(&text);
    let body = text
        .get(h.body_start..)
        .unwrap_or("")
        .trim_end()
        .to_string();
    let mut doc = Document::from_text(name, body);
    doc.format = Format::Text;
    doc.origin = name.to_string();
    doc.title = h.title;
    doc.url = h.url;
    doc.source = h.source;
    doc.published = h.published;
    doc.meta = h.meta;
    doc.warnings = warnings;
    doc.warnings.extend(h.warnings);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_table() {
        // (input, published, title, body)
        let table: &[(&str, Option<&str>, Option<&str>, &str)] = &[
            (
                "date 2022-01\n\nقال الوزير",
                Some("2022-01"),
                None,
                "قال الوزير",
            ),
            ("date: 2022-01-05\nبدأ", Some("2022-01-05"), None, "بدأ"),
            (
                "Title: Talks end\nDATE: 2022-01-05T09:30:00Z\n\n\n  Talks ended.",
                Some("2022-01-05"),
                Some("Talks end"),
                "Talks ended.",
            ),
            ("published: 2021/12/31\n\nx", Some("2021-12-31"), None, "x"),
            (
                "BREAKING: blast in the port\n",
                None,
                None,
                "BREAKING: blast in the port\n",
            ),
            ("Note: nothing here\n", None, None, "Note: nothing here\n"),
            ("عاجل: انفجار\n", None, None, "عاجل: انفجار\n"),
            ("date tomorrow\n\nx", None, None, "date tomorrow\n\nx"),
            ("date: tomorrow\n\nx", None, None, "x"),
            ("\n\nplain text", None, None, "plain text"),
            ("date:\nx", None, None, "date:\nx"),
            // A date prefix on the first line of prose, with leading indentation.
            (
                " date 2022-01 تواصلت الاحتجاجات في المدينة.\n\nثم",
                Some("2022-01"),
                None,
                "تواصلت الاحتجاجات في المدينة.\n\nثم",
            ),
            (
                "  date 2022-01-05\n\nbody",
                Some("2022-01-05"),
                None,
                "body",
            ),
            ("date 2022-01 \n", Some("2022-01"), None, ""),
        ];
        for (input, published, title, body) in table {
            let h = split_header(input);
            assert_eq!(
                h.published.map(|d| d.to_string()).as_deref(),
                *published,
                "{input:?}"
            );
            assert_eq!(h.title.as_deref(), *title, "{input:?}");
            assert_eq!(&input[h.body_start..], *body, "{input:?}");
        }
    }

    #[test]
    fn unknown_keys_go_to_meta_only_after_a_known_key() {
        let h = split_header("source: Example Wire\nauthor: R. Haddad\nlang: ar\n\nنص");
        assert_eq!(h.source.as_deref(), Some("Example Wire"));
        assert_eq!(h.meta["author"], "R. Haddad");
        assert_eq!(h.meta["lang"], "ar");
        let h = split_header("author: R. Haddad\n\ntext");
        assert!(h.meta.is_empty());
        assert_eq!(h.body_start, 0);
    }

    #[test]
    fn bad_date_warns_and_is_kept() {
        let h = split_header("date: 5 يناير\n\nنص");
        assert!(h.published.is_none());
        assert_eq!(h.meta["date"], "5 يناير");
        assert_eq!(h.warnings.len(), 1);
    }
}
