//! Each reader on small fixtures written here, plain and compressed.

mod common;

use common::*;
use hadath_read::{read_reader, Format, FormatChoice, ReadOptions};

#[test]
fn text_with_header_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ar/report.txt",
        "\u{feff}Date: 2022-01-05\ntitle: اجتماع الوزراء\nsource: وكالة تجريبية\nlang: ar\nauthor: ليلى\n\n\n  اجتمع الوزراء في العاصمة لبحث الميزانية.\n\nوانتهى الاجتماع مساء.\n\n",
    );
    let docs = read_ok(&p);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(
        d.text,
        "اجتمع الوزراء في العاصمة لبحث الميزانية.\n\nوانتهى الاجتماع مساء."
    );
    assert_eq!(d.published.unwrap().to_string(), "2022-01-05");
    assert_eq!(d.title.as_deref(), Some("اجتماع الوزراء"));
    assert_eq!(d.source.as_deref(), Some("وكالة تجريبية"));
    assert_eq!(d.meta["lang"], "ar");
    assert_eq!(d.meta["author"], "ليلى");
    assert_eq!(d.id, p.display().to_string());
    assert_eq!(d.origin, d.id);
    assert_eq!(d.format, Format::Text);
    assert!(d.warnings.is_empty());
}

#[test]
fn text_header_with_space_separated_date_and_no_blank_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "en.md",
        "date 2022-01\nThe council met twice in January.\n",
    );
    let d = &read_ok(&p)[0];
    assert_eq!(d.published.unwrap().to_string(), "2022-01");
    assert_eq!(d.text, "The council met twice in January.");
}

#[test]
fn text_without_header_is_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "plain.txt",
        "URGENT: flooding closed the coast road.\nDrivers were told to wait.\n",
    );
    let d = &read_ok(&p)[0];
    assert_eq!(
        d.text,
        "URGENT: flooding closed the coast road.\nDrivers were told to wait."
    );
    assert!(d.published.is_none() && d.meta.is_empty());
}

#[test]
fn jsonl_records() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "feed.jsonl",
        concat!(
            "{\"id\":\"a1\",\"text\":\"تظاهر مئات الطلاب أمام الجامعة.\",\"date\":\"2020-10-02\",\"url\":\"https://e.org/a1\",\"lang\":\"ar\",\"tags\":[\"x\"]}\n",
            "\n",
            "{\"id\":17,\"text\":\"Fishermen blocked the port.\",\"published\":\"2019-06\",\"title\":\"Port\",\"source\":\"Wire\"}\r\n",
            "{\"text\":\"no id here\",\"date\":\"last week\"}\n",
            "{\"title\":\"no text\"}\n",
            "{\"text\":\"last\"}",
        ),
    );
    let docs = read_all(&p);
    assert_eq!(docs.len(), 5);
    let a = docs[0].as_ref().unwrap();
    assert_eq!(a.id, "a1");
    assert_eq!(a.published.unwrap().to_string(), "2020-10-02");
    assert_eq!(a.url.as_deref(), Some("https://e.org/a1"));
    assert_eq!(a.meta["lang"], "ar");
    assert_eq!(a.meta["tags"][0], "x");
    assert_eq!(a.format, Format::Jsonl);
    assert_eq!(a.origin, format!("{}#1", p.display()));
    let b = docs[1].as_ref().unwrap();
    assert_eq!((b.id.as_str(), b.title.as_deref()), ("17", Some("Port")));
    assert_eq!(b.published.unwrap().to_string(), "2019-06");
    assert_eq!(b.source.as_deref(), Some("Wire"));
    let c = docs[2].as_ref().unwrap();
    assert_eq!(c.id, format!("{}#4", p.display()));
    assert!(c.published.is_none());
    assert!(c.warnings[0].contains("last week"), "{:?}", c.warnings);
    let e = docs[3].as_ref().unwrap_err();
    assert!(matches!(
        e,
        hadath_read::ReadError::MissingText { line: 5, .. }
    ));
    assert!(e.to_string().contains(&format!("{} line 5", p.display())));
    assert_eq!(docs[4].as_ref().unwrap().text, "last");
}

#[test]
fn json_array_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "items.json",
        "[\n  {\"id\": \"x\", \"text\": \"أول\"},\n  {\"text\": \"second\"}\n]\n",
    );
    let docs = read_ok(&p);
    assert_eq!(docs[0].id, "x");
    assert_eq!(docs[1].id, format!("{}#2", p.display()));
    assert_eq!(docs[1].text, "second");
}

#[test]
fn html_article_with_tweet() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "power.html", ARTICLE_AR);
    let d = &read_ok(&p)[0];
    assert_eq!(d.format, Format::Html);
    assert_eq!(d.title.as_deref(), Some("انقطاع الكهرباء عن أحياء المدينة"));
    assert_eq!(
        d.url.as_deref(),
        Some("https://news.example.org/ar/2023/07/power")
    );
    assert_eq!(d.source.as_deref(), Some("موقع تجريبي"));
    assert_eq!(d.published.unwrap().to_string(), "2023-07-14");
    let paras: Vec<&str> = d.text.split("\n\n").collect();
    assert_eq!(
        paras,
        [
            "انقطاع الكهرباء عن أحياء المدينة",
            "أعلنت شركة التوزيع صباح الجمعة أن الأعطال طالت ثلاثة أحياء شرقية.",
            "وقال متحدث باسم الشركة إن الفرق تعمل على إصلاح الخطوط & المحولات.",
            "عودة التيار إلى الحي الشرقي بعد ست ساعات pic.twitter.com/xyz123",
            "— شبكة الأخبار التجريبية (@test_news) July 14, 2023",
            "ولم تسجل أي إصابات.",
        ]
    );
    for gone in ["الرئيسية", "tracking", "اقرأ أيضا", "محفوظة", "color"] {
        assert!(!d.text.contains(gone), "{gone} leaked into {:?}", d.text);
    }
    assert_eq!(d.post_hints.len(), 1);
    let h = &d.post_hints[0];
    assert_eq!(h.span.slice(&d.text), paras[3]);
    assert_eq!(h.platform.as_deref(), Some("twitter"));
    assert_eq!(h.author.as_deref(), Some("شبكة الأخبار التجريبية"));
    assert_eq!(h.handle.as_deref(), Some("test_news"));
    assert_eq!(h.date.unwrap().to_string(), "2023-07-14");
    assert_eq!(
        h.links,
        [
            "https://t.co/xyz123",
            "https://twitter.com/test_news/status/42"
        ]
    );
}

#[test]
fn html_without_article_uses_main_and_title_tag() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "strike.htm", PAGE_EN);
    let d = &read_ok(&p)[0];
    assert_eq!(d.title.as_deref(), Some("Harbour strike ends"));
    assert_eq!(d.published.unwrap().to_string(), "2021-03-08");
    assert_eq!(
        d.text,
        "Dock workers returned to work on Monday after a four-day strike over pay.\n\n8 March\n\nThe union accepted a new offer.\n\nShips began unloading at noon."
    );
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Example Wire</title><link>https://wire.example.net/</link><description>test feed</description>
<item><title>Bridge reopens</title><link>https://wire.example.net/bridge</link>
<guid isPermaLink="false">wire-001</guid>
<description><![CDATA[<p>The old bridge reopened to traffic on <b>Sunday</b>.</p><p>Repairs took a year.</p>]]></description>
<pubDate>Sun, 04 Sep 2022 23:30:00 -0200</pubDate></item>
<item><title>افتتاح سوق جديد</title><link>https://wire.example.net/souq</link>
<description>افتُتح السوق الجديد وسط البلدة.</description></item>
</channel></rss>"#;

#[test]
fn rss_items_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "wire.rss", RSS);
    let docs = read_ok(&p);
    assert_eq!(docs.len(), 2);
    let a = &docs[0];
    assert_eq!(a.id, "wire-001");
    assert_eq!(
        a.text,
        "The old bridge reopened to traffic on Sunday.\n\nRepairs took a year."
    );
    assert_eq!(a.url.as_deref(), Some("https://wire.example.net/bridge"));
    // 23:30 at -02:00 is 01:30 UTC the next day.
    assert_eq!(a.published.unwrap().to_string(), "2022-09-05");
    assert_eq!(a.source.as_deref(), Some("Example Wire"));
    assert_eq!(a.format, Format::Rss);
    assert_eq!(a.origin, format!("{}#1", p.display()));
    let b = &docs[1];
    assert_eq!(b.id, "https://wire.example.net/souq");
    assert_eq!(b.title.as_deref(), Some("افتتاح سوق جديد"));
    assert!(b.published.is_none());
}

#[test]
fn atom_entries_become_documents() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>مدونة المدينة</title><id>urn:test:feed</id><updated>2024-02-01T00:00:00Z</updated>
  <entry>
    <title type="html">&lt;b&gt;Rain&lt;/b&gt; closes schools</title>
    <id>urn:test:1</id>
    <link href="https://blog.example.com/rain"/>
    <published>2024-01-31T18:00:00Z</published>
    <updated>2024-02-01T09:00:00Z</updated>
    <author><name>Sami</name></author>
    <content type="html">&lt;p&gt;Schools stayed shut after heavy rain.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>بلا محتوى</title><id></id>
    <summary>ملخص قصير عن الطقس.</summary>
    <updated>2024-02-01T10:00:00Z</updated>
  </entry>
</feed>"#;
    let dir = tempfile::tempdir().unwrap();
    // No telling extension: sniffed from content.
    let p = write(dir.path(), "blog.feed", atom);
    let docs = read_ok(&p);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].format, Format::Atom);
    assert_eq!(docs[0].id, "urn:test:1");
    assert_eq!(docs[0].title.as_deref(), Some("Rain closes schools"));
    assert_eq!(docs[0].text, "Schools stayed shut after heavy rain.");
    assert_eq!(docs[0].published.unwrap().to_string(), "2024-01-31");
    assert_eq!(docs[0].meta["authors"][0], "Sami");
    assert_eq!(docs[0].source.as_deref(), Some("مدونة المدينة"));
    assert_eq!(docs[1].id, format!("{}#2", p.display()));
    assert_eq!(docs[1].text, "ملخص قصير عن الطقس.");
    assert_eq!(docs[1].published.unwrap().to_string(), "2024-02-01");
}

fn sample_warc() -> Vec<u8> {
    sample_records().concat()
}

fn sample_records() -> Vec<Vec<u8>> {
    vec![
        warc_record(
            "warcinfo",
            "",
            "2023-07-15T00:00:00Z",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "https://news.example.org/ar/2023/07/power",
            "2023-07-15T00:00:01Z",
            b"GET /ar/2023/07/power HTTP/1.1\r\nHost: news.example.org\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://news.example.org/ar/2023/07/power",
            "2023-07-15T00:00:02Z",
            &http("200 OK", "text/html; charset=utf-8", ARTICLE_AR),
        ),
        warc_record(
            "response",
            "https://news.example.org/missing",
            "2023-07-15T00:00:03Z",
            &http("404 Not Found", "text/html", "<p>not here</p>"),
        ),
        warc_record(
            "response",
            "https://news.example.org/logo.png",
            "2023-07-15T00:00:04Z",
            &[
                &http("200 OK", "image/png", "")[..],
                b"\x89PNG\r\n\x1a\n\0\0\0",
            ]
            .concat(),
        ),
        warc_record(
            "response",
            "https://news.example.org/strike",
            "2021-03-09T12:00:00Z",
            &http(
                "200 OK",
                "text/html",
                PAGE_EN
                    .replace("<time datetime=\"2021-03-08\">8 March</time>", "")
                    .as_str(),
            ),
        ),
    ]
}

fn check_warc_docs(docs: &[hadath_read::Document], name: &str) {
    assert_eq!(docs.len(), 2, "{docs:#?}");
    let a = &docs[0];
    assert_eq!(a.id, "https://news.example.org/ar/2023/07/power");
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example.org/ar/2023/07/power")
    );
    assert_eq!(a.format, Format::Warc);
    assert_eq!(a.origin, format!("{name}#3"));
    assert_eq!(a.published.unwrap().to_string(), "2023-07-14");
    assert_eq!(a.post_hints.len(), 1);
    let b = &docs[1];
    assert_eq!(b.id, "https://news.example.org/strike");
    // No date in the page: WARC-Date is the fallback.
    assert_eq!(b.published.unwrap().to_string(), "2021-03-09");
    assert!(b.text.starts_with("Dock workers returned"));
}

#[test]
fn warc_keeps_html_200_responses_only() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "crawl.warc", sample_warc());
    check_warc_docs(&read_ok(&p), &p.display().to_string());
}

#[test]
fn warc_gz_per_record_members() {
    // Real .warc.gz files compress each record as its own gzip member.
    let dir = tempfile::tempdir().unwrap();
    let raw = sample_warc();
    let gz: Vec<u8> = sample_records().iter().flat_map(|r| gzip(r)).collect();
    let half = raw.len() / 2;
    let two_members = [gzip(&raw[..half]), gzip(&raw[half..])].concat();
    for (name, bytes) in [("a.warc.gz", gz), ("b.warc.gz", two_members)] {
        let p = write(dir.path(), name, bytes);
        check_warc_docs(&read_ok(&p), &p.display().to_string());
    }
}

#[test]
fn warc_chunked_and_gzip_encoded_payload() {
    let body = gzip(PAGE_EN.as_bytes());
    let mut chunked = format!("{:x}\r\n", body.len()).into_bytes();
    chunked.extend(&body);
    chunked.extend(b"\r\n0\r\n\r\n");
    let mut payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
    payload.extend(chunked);
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "enc.warc",
        warc_record(
            "response",
            "https://e.org/s",
            "2021-03-09T00:00:00Z",
            &payload,
        ),
    );
    let d = &read_ok(&p)[0];
    assert!(d.text.contains("The union accepted a new offer."));
}

#[test]
fn gzip_and_zstd_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: مطر\n\nهطلت أمطار غزيرة على الساحل.\n";
    let jsonl = "{\"id\":\"1\",\"text\":\"Snow fell in the hills.\"}\n{\"id\":\"2\",\"text\":\"تساقطت الثلوج.\"}\n";
    let cases = [
        ("t.txt.gz", gzip(text.as_bytes())),
        ("t.txt.zst", zstd(text.as_bytes())),
        // Multi-member gzip: two members concatenated.
        (
            "t2.txt.gz",
            [gzip(&text.as_bytes()[..8]), gzip(&text.as_bytes()[8..])].concat(),
        ),
        // Compression is found by magic bytes even without the extension.
        ("noext_text", gzip(text.as_bytes())),
    ];
    for (name, bytes) in cases {
        let p = write(dir.path(), name, bytes);
        let d = &read_ok(&p)[0];
        assert_eq!(d.text, "هطلت أمطار غزيرة على الساحل.", "{name}");
        assert_eq!(d.title.as_deref(), Some("مطر"), "{name}");
    }
    for (name, bytes) in [
        ("j.jsonl.gz", gzip(jsonl.as_bytes())),
        ("j.jsonl.zst", zstd(jsonl.as_bytes())),
        ("j.unknown.zst", zstd(jsonl.as_bytes())),
    ] {
        let p = write(dir.path(), name, bytes);
        let ids: Vec<String> = read_ok(&p).into_iter().map(|d| d.id).collect();
        assert_eq!(ids, ["1", "2"], "{name}");
    }
}

#[test]
fn stdin_style_reader_is_sniffed_by_content() {
    let opts = ReadOptions::default();
    let jsonl = "{\"text\":\"من الإدخال القياسي\"}\n";
    let docs: Vec<_> = read_reader("-", Box::new(std::io::Cursor::new(jsonl)), &opts).collect();
    let d = docs[0].as_ref().unwrap();
    assert_eq!((d.id.as_str(), d.format), ("-#1", Format::Jsonl));
    let html = gzip(PAGE_EN.as_bytes());
    let docs: Vec<_> = read_reader("-", Box::new(std::io::Cursor::new(html)), &opts).collect();
    assert_eq!(docs[0].as_ref().unwrap().format, Format::Html);
    let docs: Vec<_> = read_reader("-", Box::new(std::io::Cursor::new(RSS)), &opts).collect();
    assert_eq!(docs.len(), 2);
}

#[test]
fn forced_format_overrides_sniffing() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "page.html", "<p>shown as markup</p>\n");
    let opts = ReadOptions {
        format: FormatChoice::Text,
        ..ReadOptions::default()
    };
    let d = read_with(&p, &opts).remove(0).unwrap();
    assert_eq!(d.text, "<p>shown as markup</p>");
    assert_eq!(d.format, Format::Text);
}

#[test]
fn warc_written_by_the_warc_crate() {
    use warc::{BufferedBody, Record, RecordType, WarcHeader, WarcWriter};
    let mut out = WarcWriter::new(std::io::BufWriter::new(Vec::new()));
    for (uri, body) in [
        (
            "https://e.org/a",
            "<p>Ferries stopped running in the gale.</p>",
        ),
        ("https://e.org/b", "<p>توقفت العبارات بسبب العاصفة.</p>"),
    ] {
        let mut rec = Record::<BufferedBody>::default();
        rec.set_warc_type(RecordType::Response);
        rec.set_header(WarcHeader::TargetURI, uri).unwrap();
        rec.replace_body(http("200 OK", "text/html", body));
        out.write(&rec).unwrap();
    }
    let bytes = out.into_inner().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "crate.warc", bytes);
    let docs = read_ok(&p);
    let got: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("https://e.org/a", "Ferries stopped running in the gale."),
            ("https://e.org/b", "توقفت العبارات بسبب العاصفة.")
        ]
    );
    assert!(
        docs[0].published.is_some(),
        "WARC-Date is the fallback date"
    );
}
