//! Finds URLs, media links, `@handles` and `#hashtags` in text.
//!
//! The scanner walks whitespace-separated tokens, trims the punctuation around each one
//! (`(`, `«`, `.`, `،`, `»` …) and classifies what is left:
//!
//! | token                         | kind                |
//! |-------------------------------|---------------------|
//! | `https://t.co/abc`            | [`LinkKind::Url`]   |
//! | `www.example.org/x`, `t.co/x` | [`LinkKind::Url`]   |
//! | `pic.twitter.com/abc`         | [`LinkKind::Media`] |
//! | `@handle`                     | [`LinkKind::Handle`]|
//! | `#hashtag`, `#السودان`        | [`LinkKind::Hashtag`]|

use hadath_model::{Link, LinkKind, Span};

/// Punctuation that may open a token before a link.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '«' | '“' | '‘' | '"' | '\'' | '<' | '‹' | '„'
    )
}

/// Punctuation that may close a token after a link (never part of the link).
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '»'
            | '”'
            | '’'
            | '"'
            | '\''
            | '>'
            | '›'
            | '…'
            | '،'
            | '؛'
            | '؟'
            | '۔'
    )
}

/// Hosts whose links are pictures or videos rather than pages.
const MEDIA_HOSTS: &[&str] = &["pic.twitter.com", "pbs.twimg.com", "pic.x.com"];

/// Every link in `text`, sorted by start offset, never overlapping.
pub fn find_links(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    // Only tokens holding a trigger can be links: '/' (every URL with a path), '@', '#',
    // "www." and the lead byte 0xEF of the full-width ＠ and ＃. Find triggers with a byte
    // scan, then classify the whitespace-delimited token around each one.
    let mut done = 0usize; // end of the last token classified
    let mut from = 0usize;
    while let Some(k) = bytes
        .get(from..)
        .and_then(|rest| crate::scan::position_any(rest, TRIGGERS))
    {
        let i = from + k;
        from = i + 1;
        let trigger = match bytes.get(i) {
            Some(b'.') => {
                i >= 3
                    && bytes
                        .get(i - 3..i)
                        .is_some_and(|w| w.eq_ignore_ascii_case(b"www"))
            }
            _ => true,
        };
        if !trigger || i < done || !text.is_char_boundary(i) {
            continue;
        }
        let start = text
            .get(..i)
            .and_then(|before| {
                before
                    .rfind(char::is_whitespace)
                    .map(|k| k + ws_len(before, k))
            })
            .unwrap_or(0)
            .max(done);
        let end = text
            .get(i..)
            .and_then(|after| after.find(char::is_whitespace))
            .map_or(text.len(), |k| i + k);
        if let Some(token) = text.get(start..end) {
            scan_token(token, start, &mut out);
        }
        done = end;
        from = from.max(done);
    }
    out
}

/// Bytes the link scan stops at: '/', '@', '#', '.', and 0xEF (lead byte of ＠ and ＃).
const TRIGGERS: [u8; 5] = [b'/', b'@', b'#', b'.', 0xEF];

/// Length in bytes of the char at `at` of `s`.
fn ws_len(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8)
}

fn scan_token(token: &str, base: usize, out: &mut Vec<Link>) {
    // A URL glued to the end of a word ("الخرطومhttps://t.co/x"): split before the scheme.
    if let Some(at) = find_scheme(token) {
        if at > 0 {
            scan_token(&token[..at], base, out);
            scan_token(&token[at..], base + at, out);
            return;
        }
    }
    let lead: usize = token
        .chars()
        .take_while(|&c| is_opener(c))
        .map(char::len_utf8)
        .sum();
    let inner = &token[lead..];
    let core = inner.trim_end_matches(is_closer);
    // Keep a closing bracket that belongs to the URL ("wiki/Foo_(bar)").
    let core = if core.contains('(') && inner[core.len()..].starts_with(')') {
        &inner[..core.len() + 1]
    } else {
        core
    };
    let start = base + lead;
    if let Some(kind) = url_kind(core) {
        out.push(Link {
            kind,
            span: Span::new(start, start + core.len()),
        });
        return;
    }
    scan_tags(token, base, out);
}

/// Byte offset of `http://` or `https://` inside `token` (ASCII case-insensitive).
fn find_scheme(token: &str) -> Option<usize> {
    let b = token.as_bytes();
    (0..b.len()).find(|&i| {
        let r = &b[i..];
        (starts_with_ci(r, b"https://") && r.len() > 8)
            || (starts_with_ci(r, b"http://") && r.len() > 7)
    })
}

fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// What `core` is when it is a web address.
fn url_kind(core: &str) -> Option<LinkKind> {
    let b = core.as_bytes();
    let rest = if starts_with_ci(b, b"https://") {
        &core[8..]
    } else if starts_with_ci(b, b"http://") {
        &core[7..]
    } else {
        ""
    };
    if !rest.is_empty() {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() {
            return None;
        }
        return Some(host_kind(host));
    }
    if starts_with_ci(b, b"www.") && core.len() > 4 && is_domain(core.split('/').next()?) {
        return Some(LinkKind::Url);
    }
    // A bare domain followed by a path: "t.co/abc", "pic.twitter.com/abc", "example.org/news".
    let slash = core.find('/')?;
    let (host, path) = core.split_at(slash);
    if path.len() > 1 && is_domain(host) {
        return Some(host_kind(host));
    }
    None
}

fn host_kind(host: &str) -> LinkKind {
    if MEDIA_HOSTS.iter().any(|m| host.eq_ignore_ascii_case(m)) {
        LinkKind::Media
    } else {
        LinkKind::Url
    }
}

/// `label(.label)+` with ASCII labels and an alphabetic top-level domain of 2+ letters.
fn is_domain(host: &str) -> bool {
    let mut labels = 0;
    let mut last = "";
    for label in host.split('.') {
        if label.is_empty()
            || !label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && last.len() >= 2 && last.bytes().all(|b| b.is_ascii_alphabetic())
}

/// True for chars that continue a hashtag: letters, digits, `_`, combining marks, ZWNJ.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\u{200C}' || is_mark(c)
}

/// Combining marks that may sit inside a word (Arabic harakat, Latin combining accents).
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// `@handle`s and `#hashtag`s inside one token that is not a URL.
fn scan_tags(token: &str, base: usize, out: &mut Vec<Link>) {
    if !token.contains(['@', '#', '＠', '＃']) {
        return;
    }
    let mut prev: Option<char> = None;
    let mut iter = token.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let free =
            prev.is_none_or(|p| !(p.is_alphanumeric() || p == '_' || p == '&' || is_mark(p)));
        prev = Some(c);
        if !free || (c != '@' && c != '#' && c != '＠' && c != '＃') {
            continue;
        }
        let body_start = i + c.len_utf8();
        let body = &token[body_start..];
        let len = if c == '@' || c == '＠' {
            let n = body
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            // An e-mail-like "@host.tld" is not a handle.
            if n == 0 || n > 30 || body[n..].starts_with(|d: char| d.is_alphanumeric()) {
                continue;
            }
            n
        } else {
            let n: usize = body
                .chars()
                .take_while(|&d| is_tag_char(d))
                .map(char::len_utf8)
                .sum();
            if n == 0 || !body[..n].chars().any(char::is_alphabetic) {
                continue;
            }
            n
        };
        let kind = if c == '@' || c == '＠' {
            LinkKind::Handle
        } else {
            LinkKind::Hashtag
        };
        out.push(Link {
            kind,
            span: Span::new(base + i, base + body_start + len),
        });
        // Skip the body so "#a#b" is one tag followed by another only after a separator.
        while let Some(&(j, d)) = iter.peek() {
            if j >= body_start + len {
                break;
            }
            prev = Some(d);
            iter.next();
        }
    }
}

/// A copy of `text` with every link replaced by spaces (same byte length, so every offset
/// into `text` is valid in the copy).
pub fn mask(text: &str, links: &[Link]) -> String {
    // Built piece by piece (no copy-then-revalidate): `links` come sorted and disjoint from
    // `find_links`; a span out of order, out of range or off a char boundary is skipped.
    let mut out = String::with_capacity(text.len());
    let mut done = 0usize;
    for l in links {
        let (s, e) = (l.span.start, l.span.end);
        if s < done || e <= s || e > text.len() || !text.is_char_boundary(e) {
            continue;
        }
        let Some(keep) = text.get(done..s) else {
            continue;
        };
        out.push_str(keep);
        out.extend(std::iter::repeat_n(' ', e - s));
        done = e;
    }
    out.push_str(text.get(done..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(LinkKind, &str)> {
        find_links(text)
            .into_iter()
            .map(|l| (l.kind, l.span.slice(text)))
            .collect()
    }

    #[test]
    fn link_table() {
        use LinkKind::*;
        let table: &[(&str, &[(LinkKind, &str)])] = &[
            ("see https://t.co/Ab12cd.", &[(Url, "https://t.co/Ab12cd")]),
            (
                "(www.example.org/a/b), then",
                &[(Url, "www.example.org/a/b")],
            ),
            (
                "photos pic.twitter.com/XyZ123",
                &[(Media, "pic.twitter.com/XyZ123")],
            ),
            (
                "https://pic.twitter.com/XyZ",
                &[(Media, "https://pic.twitter.com/XyZ")],
            ),
            ("read t.co/abc now", &[(Url, "t.co/abc")]),
            ("«https://example.com/x»", &[(Url, "https://example.com/x")]),
            ("RT @Some_User: hello", &[(Handle, "@Some_User")]),
            ("(@someone) said", &[(Handle, "@someone")]),
            ("mail me at a@b.com", &[]),
            (
                "#السودان و #Gaza_now",
                &[(Hashtag, "#السودان"), (Hashtag, "#Gaza_now")],
            ),
            ("item #1 and &#8217;", &[]),
            ("and/or 3.5/10 e.g. U.S.", &[]),
            ("الخرطومhttps://t.co/x1", &[(Url, "https://t.co/x1")]),
            (
                "https://en.wikipedia.org/wiki/A_(b))",
                &[(Url, "https://en.wikipedia.org/wiki/A_(b)")],
            ),
            ("https:// broken", &[]),
        ];
        for (text, want) in table {
            assert_eq!(&found(text), want, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn mask_matches_filling_bytes(text in "[a@#/. wطة:]{0,30}(https?://|www\\.|t\\.co/)?[a/.@]{0,10}") {
            let links = find_links(&text);
            let mut bytes = text.as_bytes().to_vec();
            for l in &links {
                if let Some(slot) = bytes.get_mut(l.span.start..l.span.end) {
                    slot.fill(b' ');
                }
            }
            proptest::prop_assert_eq!(mask(&text, &links).into_bytes(), bytes);
        }
    }

    #[test]
    fn mask_keeps_length() {
        let t = "قال @user إن https://t.co/x";
        let m = mask(t, &find_links(t));
        assert_eq!(m.len(), t.len());
        assert_eq!(m.split_whitespace().collect::<Vec<_>>(), vec!["قال", "إن"]);
    }
}
