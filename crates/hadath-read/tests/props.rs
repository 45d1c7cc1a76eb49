//! Property tests: no reader panics on any bytes, and the text header parser is total.

use hadath_read::{html_to_text, read_reader, split_header, FormatChoice, ReadOptions};
use proptest::prelude::*;

fn run(name: &str, bytes: Vec<u8>, format: FormatChoice) {
    let opts = ReadOptions {
        format,
        max_document_bytes: 1 << 20,
    };
    for r in read_reader(name, Box::new(std::io::Cursor::new(bytes)), &opts) {
        match r {
            Ok(d) => {
                for h in &d.post_hints {
                    assert!(d.text.get(h.span.start..h.span.end).is_some());
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

/// Bytes that look a little like each format, so the parsers get past their first check.
fn seeded(prefix: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(prefix.to_vec()),
        prop::collection::vec(any::<u8>(), 0..400),
        prop::collection::vec("[ -~]{0,20}|[ء-ي ]{0,10}|<[a-z/]{1,8}>|\r\n|&amp;", 0..30),
    )
        .prop_map(|(p, raw, words)| {
            let mut v = p.as_bytes().to_vec();
            v.extend(words.concat().into_bytes());
            if raw.len() % 3 == 0 {
                v.extend(raw);
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_any_format(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        for f in [FormatChoice::Auto, FormatChoice::Text, FormatChoice::Jsonl,
                  FormatChoice::Html, FormatChoice::Rss, FormatChoice::Warc] {
            run("p.bin", bytes.clone(), f);
        }
    }

    #[test]
    fn text_like(bytes in seeded(&["date: 2022-01\n", "title: x\n\n", ""])) {
        run("p.txt", bytes, FormatChoice::Text);
    }

    #[test]
    fn jsonl_like(bytes in seeded(&["{\"text\":\"", "{\"id\":1,\"text\":\"a\"}\n{", "[{\"text\":"])) {
        run("p.jsonl", bytes, FormatChoice::Auto);
    }

    #[test]
    fn html_like(bytes in seeded(&["<html><body><article><p>", "<blockquote class=\"twitter-tweet\"><p>", "<!doctype html>"])) {
        run("p.html", bytes, FormatChoice::Auto);
    }

    #[test]
    fn feed_like(bytes in seeded(&["<rss version=\"2.0\"><channel><item><description>", "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">"])) {
        run("p.xml", bytes, FormatChoice::Auto);
    }

    #[test]
    fn warc_like(bytes in seeded(&[
        "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        "WARC/1.0\r\nContent-Length: 99999999999\r\n\r\n",
        "WARC/1.0\r\n\r\n",
    ])) {
        run("p.warc", bytes, FormatChoice::Auto);
    }

    #[test]
    fn compressed_garbage(bytes in prop::collection::vec(any::<u8>(), 0..500), zst in any::<bool>()) {
        let mut v = if zst { vec![0x28, 0xb5, 0x2f, 0xfd] } else { vec![0x1f, 0x8b, 8, 0] };
        v.extend(bytes);
        run("p.gz", v, FormatChoice::Auto);
    }

    #[test]
    fn html_to_text_spans_fit(s in "(<[a-z]{1,10}( class=\"twitter-tweet\")?>|</[a-z]{1,10}>|[a-zء-ي —@()]{0,12}|&mdash;|<br>)*") {
        let x = html_to_text(&s);
        for h in &x.post_hints {
            prop_assert!(x.text.get(h.span.start..h.span.end).is_some());
        }
    }

    /// Fuzz the header parser with header-like lines.
    #[test]
    fn header_parser_is_total(
        lines in prop::collection::vec("(date|Date|TITLE|url|source|lang|author|BREAKING|x)( |:|: |\t)[ -~ء-ي]{0,20}|\r?|[ -~]{0,30}", 0..8),
        body in "[ -~ء-ي\n]{0,60}",
    ) {
        let text = format!("{}\n{}", lines.join("\n"), body);
        let h = split_header(&text);
        prop_assert!(h.body_start <= text.len());
        prop_assert!(text.is_char_boundary(h.body_start));
        let rest = &text[h.body_start..];
        prop_assert!(rest.trim_start().len() == rest.len());
    }

    /// A well-formed header is always taken off, and the body survives untouched.
    #[test]
    fn header_round_trip(
        y in 1900i32..2100, m in 1u8..=12, title in "[a-zA-Z ء-ي]{1,20}",
        body in "[a-zء-ي][a-z ء-ي.\n]{0,60}",
    ) {
        let title = title.trim().to_string();
        prop_assume!(!title.is_empty());
        let text = format!("date: {y:04}-{m:02}\ntitle: {title}\n\n{body}");
        let h = split_header(&text);
        prop_assert_eq!(h.published.map(|d| d.to_string()), Some(format!("{y:04}-{m:02}")));
        prop_assert_eq!(h.title, Some(title));
        prop_assert_eq!(&text[h.body_start..], body.as_str());
    }
}
