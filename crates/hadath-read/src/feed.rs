//! RSS 2.0 (also 0.9x and 1.0) and Atom feeds, through feed-rs: one document per item.

use std::io::BufRead;

use feed_rs::model::{Entry, FeedType};
use hadath_model::{Document, Format, PartialDate};
use serde_json::Value;

use crate::error::Location;
use crate::html::html_to_text;
use crate::source::read_whole;
use crate::ReadError;

/// Reads a whole feed (feed-rs needs it all) and returns one result per item.
pub(crate) fn read(
    name: &str,
    reader: &mut dyn BufRead,
    limit: usize,
) -> Vec<Result<Document, ReadError>> {
    let bytes = match read_whole(name, reader, limit) {
        Ok(b) => b,
        Err(e) => return vec![Err(e)],
    };
    let parser = feed_rs::parser::Builder::new()
        // Our own fallback ids (`path#N`) are stabler than feed-rs's hashes or UUIDs.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = match parser.parse(crate::source::strip_bom(&bytes)) {
        Ok(f) => f,
        Err(e) => {
            return vec![Err(ReadError::Feed {
                input: name.to_string(),
                reason: e.to_string(),
            })]
        }
    };
    let format = match feed.feed_type {
        FeedType::Atom => Format::Atom,
        _ => Format::Rss,
    };
    let source = feed
        .title
        .as_ref()
        .map(|t| plain(&t.content))
        .filter(|t| !t.is_empty());
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| item(name, i + 1, e, format, source.clone()))
        .collect()
}

/// Text with any markup removed.
fn plain(s: &str) -> String {
    if s.contains('<') || s.contains('&') {
        html_to_text(s).text
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn item(
    name: &str,
    n: usize,
    e: Entry,
    format: Format,
    source: Option<String>,
) -> Result<Document, ReadError> {
    let body = e
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(html_to_text)
        .filter(|x| !x.text.is_empty())
        .or_else(|| {
            e.summary
                .as_ref()
                .map(|s| html_to_text(&s.content))
                .filter(|x| !x.text.is_empty())
        });
    let Some(body) = body else {
        return Err(ReadError::NoText {
            input: name.to_string(),
            at: Location::Record(n),
        });
    };
    let url = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty());
    let origin = format!("{name}#{n}");
    let id = Some(e.id.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| url.clone())
        .unwrap_or_else(|| origin.clone());
    let mut d = Document::from_text(id, body.text);
    d.post_hints = body.post_hints;
    d.format = format;
    d.origin = origin;
    d.url = url;
    d.source = source;
    d.title = e
        .title
        .as_ref()
        .map(|t| plain(&t.content))
        .filter(|t| !t.is_empty());
    d.published = e
        .published
        .or(e.updated)
        .map(|t| PartialDate::from_days(t.timestamp().div_euclid(86_400)));
    let authors: Vec<Value> = e
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref())
        .map(|n| n.trim().to_string())
        .filter(|s| !s.is_empty())
        .map(Value::String)
        .collect();
    if !authors.is_empty() {
        d.meta.insert("authors".into(), Value::Array(authors));
    }
    let cats: Vec<Value> = e
        .categories
        .iter()
        .map(|c| Value::String(c.term.clone()))
        .collect();
    if !cats.is_empty() {
        d.meta.insert("categories".into(), Value::Array(cats));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(xml: &str) -> Vec<Result<Document, ReadError>> {
        read("f.xml", &mut xml.as_bytes(), 1 << 20)
    }

    #[test]
    fn rss_items() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>نشرة الأخبار</title>
<item><title>خبر أول</title><link>https://example.org/1</link>
<description>&lt;p&gt;انعقد &lt;b&gt;الاجتماع&lt;/b&gt; اليوم.&lt;/p&gt;</description>
<pubDate>Wed, 05 Jan 2022 10:00:00 +0300</pubDate></item>
<item><title>No body</title></item>
</channel></rss>"#;
        let d = docs(xml);
        let a = d[0].as_ref().unwrap();
        assert_eq!(a.text, "انعقد الاجتماع اليوم.");
        assert_eq!(a.id, "https://example.org/1");
        assert_eq!(a.source.as_deref(), Some("نشرة الأخبار"));
        assert_eq!(a.published.unwrap().to_string(), "2022-01-05");
        assert_eq!(a.format, Format::Rss);
        assert!(matches!(
            d[1],
            Err(ReadError::NoText {
                at: Location::Record(2),
                ..
            })
        ));
    }
}
