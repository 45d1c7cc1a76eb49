//! Bad inputs give the right error variant, and every message names the input.

mod common;

use std::io::Read;

use common::*;
use hadath_read::{read_reader, Location, ReadError, ReadOptions};

fn single_err(path: &std::path::Path) -> ReadError {
    let mut r = read_all(path);
    assert_eq!(r.len(), 1, "expected one item, got {r:?}");
    let e = r.remove(0).expect_err("expected an error");
    let msg = e.to_string();
    assert!(
        msg.contains(&path.display().to_string()),
        "message does not name the input: {msg}"
    );
    e
}

#[test]
fn missing_file_is_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nope.jsonl");
    assert!(matches!(single_err(&p), ReadError::Io { .. }));
    assert!(!p.exists(), "reading must not create the file");
    let w = dir.path().join("nope.warc");
    assert!(matches!(single_err(&w), ReadError::Io { .. }));
    assert!(!w.exists(), "reading a WARC must not create the file");
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    bytes.extend((0u8..=255).cycle().take(4000));
    let p = write(dir.path(), "tool.txt", &bytes);
    assert!(matches!(single_err(&p), ReadError::Binary { .. }));
    // Also behind gzip.
    let p = write(dir.path(), "tool.gz", gzip(&bytes));
    assert!(matches!(single_err(&p), ReadError::Binary { .. }));
    // Control-heavy bytes without NUL.
    let p = write(dir.path(), "ctl.txt", [1u8, 2, 3, 4, b'a'].repeat(100));
    assert!(matches!(single_err(&p), ReadError::Binary { .. }));
}

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = "قال المتحدث ".as_bytes().to_vec();
    let at = bytes.len();
    bytes.extend(b"\xff\xfe ok\n");
    let p = write(dir.path(), "latin.txt", &bytes);
    let d = read_ok(&p).remove(0);
    assert!(d.text.contains('\u{FFFD}'));
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].contains(&format!("invalid UTF-8 at byte {at}")),
        "{:?}",
        d.warnings
    );
    // Same in a JSONL line.
    let mut line = b"{\"text\":\"caf".to_vec();
    line.extend(b"\xe9\"}\n");
    let p = write(dir.path(), "latin.jsonl", &line);
    let d = read_ok(&p).remove(0);
    assert_eq!(d.text, "caf\u{FFFD}");
    assert!(d.warnings[0].contains("invalid UTF-8"));
}

#[test]
fn empty_inputs() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", Vec::new()),
        ("blank.jsonl", b"\n \n\t\n".to_vec()),
        ("empty.html", Vec::new()),
        ("empty.txt.gz", gzip(b"")),
        ("empty.zst", zstd(b"")),
        ("header-only.txt", b"date: 2022-01-01\n\n".to_vec()),
    ] {
        let p = write(dir.path(), name, bytes);
        let e = single_err(&p);
        assert!(matches!(e, ReadError::Empty { .. }), "{name}: {e}");
    }
}

#[test]
fn too_large_jsonl_line_is_skipped_and_reading_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("{{\"text\":\"{}\"}}", "x".repeat(5000));
    let p = write(
        dir.path(),
        "big.jsonl",
        format!("{{\"text\":\"before\"}}\n{big}\n{{\"text\":\"after\"}}\n"),
    );
    let opts = ReadOptions {
        max_document_bytes: 1000,
        ..ReadOptions::default()
    };
    let r = read_with(&p, &opts);
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].as_ref().unwrap().text, "before");
    let e = r[1].as_ref().unwrap_err();
    assert!(matches!(
        e,
        ReadError::TooLarge {
            at: Location::Line(2),
            limit: 1000,
            ..
        }
    ));
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("{} line 2", p.display())) && msg.contains("1000"),
        "{msg}"
    );
    assert_eq!(r[2].as_ref().unwrap().text, "after");
}

#[test]
fn a_200_mb_single_line_is_refused_without_holding_it() {
    // Streamed from a generator: nothing of this size is written to disk or kept.
    let size = 200 * 1024 * 1024;
    let src = std::io::Cursor::new(b"{\"text\":\"".to_vec())
        .chain(std::io::repeat(b'a').take(size))
        .chain(std::io::Cursor::new(b"\"}\n{\"text\":\"next\"}\n".to_vec()));
    let r: Vec<_> = read_reader("huge.jsonl", Box::new(src), &ReadOptions::default()).collect();
    assert_eq!(r.len(), 2);
    assert!(matches!(
        r[0],
        Err(ReadError::TooLarge {
            at: Location::Line(1),
            ..
        })
    ));
    assert!(r[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("huge.jsonl line 1"));
    assert_eq!(r[1].as_ref().unwrap().text, "next");
}

#[test]
fn too_large_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "long.txt", "كلمة ".repeat(1000));
    let opts = ReadOptions {
        max_document_bytes: 512,
        ..ReadOptions::default()
    };
    let e = read_with(&p, &opts).remove(0).unwrap_err();
    assert!(matches!(
        e,
        ReadError::TooLarge {
            at: Location::Whole,
            ..
        }
    ));
    assert!(e.to_string().contains(&p.display().to_string()));
}

#[test]
fn broken_html_is_recovered_and_markup_only_html_is_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "broken.html",
        "<html><body><div><p>Talks <b>stalled</i> again</td><p>وتأجلت <<>> الجلسة</div></span>",
    );
    let d = read_ok(&p).remove(0);
    assert!(d.text.contains("Talks stalled again"), "{:?}", d.text);
    assert!(d.text.contains("وتأجلت"), "{:?}", d.text);
    let p = write(
        dir.path(),
        "shell.html",
        "<!doctype html><html><head><script>render()</script></head><body><nav>Menu</nav><div id=app></div></body></html>",
    );
    let e = single_err(&p);
    assert!(matches!(e, ReadError::NoText { .. }));
    assert!(e.to_string().contains("no text"));
}

#[test]
fn broken_xml_feed() {
    let dir = tempfile::tempdir().unwrap();
    for (name, xml) in [
        ("cut.rss", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>a</ti"),
        ("bad.xml", "<rss version=\"2.0\"><channel><item><title>a</title></wrong></channel></rss>"),
        ("notfeed.xml", "<?xml version=\"1.0\"?><catalog><book/></catalog>"),
    ] {
        let p = write(dir.path(), name, xml);
        let e = single_err(&p);
        assert!(matches!(e, ReadError::Feed { .. }), "{name}: {e:?}");
    }
}

#[test]
fn truncated_gzip_and_zstd() {
    let dir = tempfile::tempdir().unwrap();
    let text = "انقطعت الكهرباء عن المدينة طوال الليل. ".repeat(200);
    let gz = gzip(text.as_bytes());
    let zs = zstd(text.as_bytes());
    for (name, bytes) in [
        ("cut.txt.gz", gz[..gz.len() / 2].to_vec()),
        ("cut.txt.zst", zs[..zs.len() / 2].to_vec()),
        ("trailer.txt.gz", gz[..gz.len() - 4].to_vec()),
        (
            "cut.jsonl.gz",
            gzip(format!("{{\"text\":\"{text}\"}}\n").as_bytes())[..100].to_vec(),
        ),
    ] {
        let p = write(dir.path(), name, bytes);
        let r = read_all(&p);
        let e = r
            .iter()
            .find_map(|x| x.as_ref().err())
            .unwrap_or_else(|| panic!("{name}: no error in {r:?}"));
        assert!(matches!(e, ReadError::Corrupt { .. }), "{name}: {e:?}");
        assert!(e.to_string().contains(&p.display().to_string()), "{e}");
    }
}

#[test]
fn malformed_warc_record_is_reported_and_skipped() {
    let page = http("200 OK", "text/html", "<p>First page text.</p>");
    let mut bytes = warc_record("response", "https://e.org/1", "2022-01-01T00:00:00Z", &page);
    bytes.extend(b"GARBAGE LINE\r\nmore garbage\r\n\r\n");
    bytes.extend(warc_record(
        "response",
        "https://e.org/3",
        "2022-01-01T00:00:00Z",
        &http("200 OK", "text/html", "<p>الصفحة الثالثة.</p>"),
    ));
    // A record without Content-Length.
    bytes.extend(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nxx\r\n\r\n");
    bytes.extend(warc_record(
        "response",
        "https://e.org/5",
        "2022-01-01T00:00:00Z",
        &http("200 OK", "text/html", "<p>Fifth.</p>"),
    ));
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "mixed.warc", &bytes);
    let r = read_all(&p);
    assert_eq!(r.len(), 5, "{r:#?}");
    assert_eq!(r[0].as_ref().unwrap().text, "First page text.");
    let e = r[1].as_ref().unwrap_err();
    assert!(matches!(e, ReadError::Warc { record: 2, .. }), "{e:?}");
    assert!(e.to_string().contains(&format!("{} record 2", p.display())));
    assert_eq!(r[2].as_ref().unwrap().text, "الصفحة الثالثة.");
    assert!(
        matches!(r[3], Err(ReadError::Warc { record: 4, .. })),
        "{:?}",
        r[3]
    );
    assert_eq!(r[4].as_ref().unwrap().text, "Fifth.");
}

#[test]
fn truncated_warc_record() {
    let page = http("200 OK", "text/html", &"<p>Long page.</p>".repeat(50));
    let rec = warc_record("response", "https://e.org/1", "2022-01-01T00:00:00Z", &page);
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = warc_record(
        "response",
        "https://e.org/0",
        "2022-01-01T00:00:00Z",
        &http("200 OK", "text/html", "<p>ok</p>"),
    );
    bytes.extend(&rec[..rec.len() / 2]);
    let p = write(dir.path(), "cut.warc", &bytes);
    let r = read_all(&p);
    assert_eq!(r.len(), 2);
    assert!(r[0].is_ok());
    let e = r[1].as_ref().unwrap_err();
    assert!(matches!(e, ReadError::Warc { record: 2, .. }), "{e:?}");
    assert!(e.to_string().contains("truncated"));
    // And the gzip of a WARC cut in half.
    let gz = gzip(&bytes);
    let p = write(dir.path(), "cut.warc.gz", &gz[..gz.len() - 30]);
    let r = read_all(&p);
    assert!(
        r.iter()
            .any(|x| matches!(x, Err(ReadError::Corrupt { .. }))),
        "{r:?}"
    );
}

#[test]
fn too_large_warc_response() {
    let page = http("200 OK", "text/html", &"<p>big</p>".repeat(500));
    let mut bytes = warc_record(
        "response",
        "https://e.org/big",
        "2022-01-01T00:00:00Z",
        &page,
    );
    bytes.extend(warc_record(
        "response",
        "https://e.org/small",
        "2022-01-01T00:00:00Z",
        &http("200 OK", "text/html", "<p>small</p>"),
    ));
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.warc", &bytes);
    let opts = ReadOptions {
        max_document_bytes: 2000,
        ..ReadOptions::default()
    };
    let r = read_with(&p, &opts);
    assert!(matches!(
        r[0],
        Err(ReadError::TooLarge {
            at: Location::Record(1),
            ..
        })
    ));
    assert_eq!(r[1].as_ref().unwrap().text, "small");
}
