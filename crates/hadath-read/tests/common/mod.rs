//! Helpers shared by the integration tests: fixture writers and compressors.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use hadath_read::{read_input, Document, Input, ReadError, ReadOptions};

pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

pub fn read_all(path: &Path) -> Vec<Result<Document, ReadError>> {
    read_with(path, &ReadOptions::default())
}

pub fn read_with(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, ReadError>> {
    read_input(&Input::Path(path.to_path_buf()), opts).collect()
}

pub fn read_ok(path: &Path) -> Vec<Document> {
    read_all(path)
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).unwrap()
}

/// An HTTP response as stored in a WARC response record.
pub fn http(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// One WARC record.
pub fn warc_record(wtype: &str, uri: &str, date: &str, payload: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: {wtype}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n\
         Content-Type: application/http; msgtype={wtype}\r\nContent-Length: {}\r\n\r\n",
        payload.len()
    )
    .into_bytes();
    r.extend_from_slice(payload);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

pub const ARTICLE_AR: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>المدينة | موقع تجريبي</title>
<meta property="og:title" content="انقطاع الكهرباء عن أحياء المدينة">
<meta property="og:site_name" content="موقع تجريبي">
<meta property="article:published_time" content="2023-07-14T08:15:00+03:00">
<link rel="canonical" href="https://news.example.org/ar/2023/07/power">
<script>var tracking = "لا يظهر";</script>
<style>p { color: red }</style>
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/world">العالم</a></nav></header>
<article>
  <h1>انقطاع الكهرباء عن أحياء المدينة</h1>
  <p>أعلنت شركة التوزيع صباح الجمعة أن   الأعطال طالت <b>ثلاثة</b> أحياء شرقية.</p>
  <p>وقال متحدث باسم الشركة إن الفرق تعمل على إصلاح الخطوط &amp; المحولات.</p>
  <blockquote class="twitter-tweet"><p lang="ar" dir="rtl">عودة التيار إلى الحي الشرقي بعد ست ساعات <a href="https://t.co/xyz123">pic.twitter.com/xyz123</a></p>&mdash; شبكة الأخبار التجريبية (@test_news) <a href="https://twitter.com/test_news/status/42">July 14, 2023</a></blockquote>
  <aside>اقرأ أيضا: أخبار أخرى</aside>
  <p>ولم تسجل أي إصابات.</p>
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>
"#;

pub const PAGE_EN: &str = r#"<html><head><title>  Harbour strike ends  </title></head>
<body><div class="menu" role="navigation">Home | Sport</div>
<main><p>Dock workers returned to work on Monday after a four-day strike over pay.</p>
<div><time datetime="2021-03-08">8 March</time></div>
<form><input name="q"> Search</form>
<ul><li>The union accepted a new offer.</li><li>Ships began unloading at noon.</li></ul></main>
</body></html>"#;
