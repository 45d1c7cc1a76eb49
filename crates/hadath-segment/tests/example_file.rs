//! Runs the segmenter on the shared Kazakhstan example (mixed Arabic news with pasted English
//! tweets), when `../shared` is present. The file's text is never copied into the repository.

use hadath_model::{Document, Lang, LinkKind, SegmentKind};
use hadath_segment::Segmenter;

const PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/examples/kazakhstan-2022-01.txt"
);

/// Drops the leading `date YYYY-MM` header the example starts with.
fn strip_header(raw: &str) -> &str {
    let t = raw.trim_start();
    match t.strip_prefix("date ") {
        Some(rest) => {
            let date_len = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                .unwrap_or(rest.len());
            rest[date_len..].trim_start()
        }
        None => raw,
    }
}

#[test]
fn kazakhstan_example() {
    let Ok(raw) = std::fs::read_to_string(PATH) else {
        println!("skipped: {PATH} is not present (shared data lives outside the repository)");
        return;
    };
    let text = strip_header(&raw);
    let a = Segmenter::new().analyze(&Document::from_text("kz", text));

    assert_eq!(a.lang, Lang::Ar);
    let paras: Vec<_> = a
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Paragraph && !s.noise)
        .collect();
    let first_char = |s: &str| s.chars().next().unwrap_or(' ');
    for p in &paras {
        let t = p.span.slice(text);
        let c = first_char(t);
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            assert_eq!(p.lang, Lang::Ar, "{t}");
        } else if c.is_ascii_alphabetic() || c == '"' {
            assert_eq!(p.lang, Lang::En, "{t}");
        }
    }
    assert!(paras.iter().filter(|p| p.lang == Lang::En).count() >= 4);

    let post = a
        .posts
        .iter()
        .find(|p| p.handle.as_deref() == Some("ragipsoylu"))
        .expect("the signed post is found");
    assert_eq!(post.author.as_deref(), Some("Ragıp Soylu"));
    assert_eq!(
        post.date.map(|d| d.to_string()).as_deref(),
        Some("2022-01-05")
    );
    assert!(post.signature.is_some());
    assert!(post.links.iter().any(|l| l.starts_with("pic.twitter.com/")));
    assert!(a.posts.len() >= 2, "unsigned pasted tweets are posts too");
    assert!(a
        .posts
        .iter()
        .any(|p| p.signature.is_none() && p.links.iter().any(|l| l.contains("t.co/"))));

    let urls: Vec<&str> = a.links.iter().map(|l| l.span.slice(text)).collect();
    assert!(
        urls.iter().any(|u| u.starts_with("https://t.co/")),
        "{urls:?}"
    );
    assert!(a
        .links
        .iter()
        .any(|l| l.kind == LinkKind::Media && l.span.slice(text).starts_with("pic.twitter.com/")));
    assert!(a.links.iter().any(|l| l.kind == LinkKind::Handle));
}
