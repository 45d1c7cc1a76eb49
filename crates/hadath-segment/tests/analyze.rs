//! End-to-end tests of `Segmenter::analyze` on small documents written for these tests.

use hadath_model::{Document, Lang, LinkKind, PostHint, SegmentKind, Span};
use hadath_segment::{detect_language, Analysis, Segmenter};
use std::sync::OnceLock;

fn seg() -> &'static Segmenter {
    static S: OnceLock<Segmenter> = OnceLock::new();
    S.get_or_init(Segmenter::new)
}

fn analyze(text: &str) -> Analysis {
    seg().analyze(&Document::from_text("t", text))
}

/// Every span lies on char boundaries inside the text, segments are sorted, sentences lie
/// inside their paragraph, and no segment text has surrounding whitespace.
fn check_spans(text: &str, a: &Analysis) {
    let ok = |s: Span| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    for s in &a.segments {
        assert!(ok(s.span), "bad span {:?}", s.span);
        let t = s.span.slice(text);
        assert_eq!(t, t.trim(), "untrimmed segment {t:?}");
        assert!(!t.is_empty());
    }
    for w in a.segments.windows(2) {
        assert!(w[0].span.start <= w[1].span.start, "unsorted segments");
    }
    for s in a
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Sentence)
    {
        assert!(
            a.segments.iter().any(|p| matches!(
                p.kind,
                SegmentKind::Paragraph | SegmentKind::Title
            ) && p.span.contains(s.span)),
            "sentence {:?} outside every paragraph",
            s.span
        );
    }
    for l in &a.links {
        assert!(ok(l.span));
    }
    for p in &a.posts {
        assert!(ok(p.span));
        if let Some(sig) = p.signature {
            assert!(ok(sig));
        }
    }
    let sum: f32 = a.languages.iter().map(|l| l.1).sum();
    assert!(
        a.languages.is_empty() || (sum - 1.0).abs() < 0.03,
        "shares sum to {sum}"
    );
}

fn texts(text: &str, a: &Analysis, kind: SegmentKind) -> Vec<String> {
    a.segments
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.span.slice(text).to_string())
        .collect()
}

#[test]
fn language_id_on_short_lines() {
    let table: &[(&str, Lang)] = &[
        (
            "@newsdesk عاجل: حريق كبير في سوق المدينة https://t.co/Qw12 #المدينة",
            Lang::Ar,
        ),
        (
            "RT @someone: المتحدث باسم الوزارة Jane Doe يؤكد وصول الوفد",
            Lang::Ar,
        ),
        ("ارتفعت الأسعار 25% في 2022", Lang::Ar),
        ("هیئت دولت امروز در تهران تشکیل جلسه داد", Lang::Fa),
        ("این خبر را خبرگزاری رسمی منتشر کرد", Lang::Fa),
        ("حکومت نے آج نئے بجٹ کا اعلان کیا", Lang::Ur),
        ("Правительство объявило новые меры поддержки", Lang::Ru),
        ("Уряд оголосив нові заходи підтримки", Lang::Uk),
        ("Үкімет жаңа қолдау шараларын жариялады", Lang::Kk),
        (
            "The council voted to delay the budget https://t.co/Ab9 @citydesk",
            Lang::En,
        ),
        ("Storm warning issued for coastal towns", Lang::En),
        (
            "Le gouvernement a présenté un nouveau plan pour les hôpitaux",
            Lang::Fr,
        ),
        (
            "El alcalde anunció nuevas medidas para el transporte",
            Lang::Es,
        ),
        ("Belediye başkanı yeni ulaşım planını açıkladı", Lang::Tr),
        ("הממשלה אישרה את התקציב", Lang::He),
        (
            "https://t.co/Ab9 pic.twitter.com/Zz1 @someone #tag 2024",
            Lang::Und,
        ),
    ];
    let mut wrong = Vec::new();
    for (line, want) in table {
        let got = detect_language(line);
        if got != *want {
            wrong.push(format!("{line:?}: got {got}, want {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn mixed_document_paragraphs_sentences_languages() {
    let text = "عنوان الخبر هنا\n\nأعلنت البلدية، صباح اليوم، إغلاق الطريق الرئيسي. وقال المتحدث إن الإغلاق مؤقت؟ نعم.\n\nThe mayor's office said the closure would last two days. Dr. Lane confirmed it.\n\nhttps://t.co/Kk88 #road";
    let mut doc = Document::from_text("m", text);
    doc.title = Some("عنوان  الخبر هنا".to_string());
    let a = seg().analyze(&doc);
    check_spans(text, &a);
    assert_eq!(texts(text, &a, SegmentKind::Title), vec!["عنوان الخبر هنا"]);
    assert_eq!(texts(text, &a, SegmentKind::Paragraph).len(), 3);
    let sents = texts(text, &a, SegmentKind::Sentence);
    assert_eq!(
        sents,
        vec![
            "عنوان الخبر هنا",
            "أعلنت البلدية، صباح اليوم، إغلاق الطريق الرئيسي.",
            "وقال المتحدث إن الإغلاق مؤقت؟",
            "نعم.",
            "The mayor's office said the closure would last two days.",
            "Dr. Lane confirmed it.",
            "https://t.co/Kk88 #road",
        ]
    );
    assert_eq!(a.lang, Lang::Ar);
    assert_eq!(a.languages.first().map(|l| l.0), Some(Lang::Ar));
    assert_eq!(a.languages.get(1).map(|l| l.0), Some(Lang::En));
    let last = a.segments.last().unwrap();
    assert!(
        last.noise && last.lang == Lang::Und,
        "link-only line is noise"
    );
    let en: Vec<_> = a
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Sentence && s.lang == Lang::En)
        .collect();
    assert_eq!(en.len(), 2);
    let kinds: Vec<_> = a
        .links
        .iter()
        .map(|l| (l.kind, l.span.slice(text)))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (LinkKind::Url, "https://t.co/Kk88"),
            (LinkKind::Hashtag, "#road")
        ]
    );
}

#[test]
fn post_with_signature_after_blank_line() {
    let text = "تابع المراسل تطورات الأحداث في الميناء.\n\nCrowds are gathering at the port gate this morning pic.twitter.com/Ab12Cd\n\n— Sam Field (@samfield) March 3, 2021\n\nوأضاف أن الشرطة انتشرت.";
    let a = analyze(text);
    check_spans(text, &a);
    assert_eq!(a.posts.len(), 1);
    let p = &a.posts[0];
    assert_eq!(p.author.as_deref(), Some("Sam Field"));
    assert_eq!(p.handle.as_deref(), Some("samfield"));
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2021-03-03"));
    assert_eq!(
        p.span.slice(text),
        "Crowds are gathering at the port gate this morning pic.twitter.com/Ab12Cd"
    );
    assert_eq!(
        p.signature.unwrap().slice(text),
        "— Sam Field (@samfield) March 3, 2021"
    );
    assert_eq!(p.links, vec!["pic.twitter.com/Ab12Cd"]);
    let post_seg = a
        .segments
        .iter()
        .find(|s| s.kind == SegmentKind::Post)
        .unwrap();
    assert_eq!(
        (post_seg.span, post_seg.lang, post_seg.noise),
        (p.span, Lang::En, false)
    );
    // The signature is noise, paragraph and sentence alike.
    let sig = p.signature.unwrap();
    assert!(a.segments.iter().filter(|s| s.span == sig).all(|s| s.noise));
    assert_eq!(a.segments.iter().filter(|s| s.span == sig).count(), 2);
    assert_eq!(a.lang, Lang::Ar);
}

#[test]
fn post_with_signature_on_next_line_and_link_only_paragraph() {
    let text = "Bridge reopened after repairs finished overnight\n\nhttps://t.co/Zz77\n— Road Desk (@roaddesk) 5 يناير 2022";
    let a = analyze(text);
    check_spans(text, &a);
    assert_eq!(a.posts.len(), 1);
    let p = &a.posts[0];
    assert_eq!(
        p.span.slice(text),
        "Bridge reopened after repairs finished overnight\n\nhttps://t.co/Zz77"
    );
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2022-01-05"));
    assert_eq!(p.links, vec!["https://t.co/Zz77"]);
}

#[test]
fn pasted_tweet_without_signature() {
    let text = "قالت الحكومة إنها ستعيد فتح المعابر قريبا.\n\nTrucks are lining up at the crossing again https://t.co/Pq34 pic.twitter.com/Rs56\n\nSmoke was seen over the old town.\n\nوأكد المسؤول أن الوضع تحت السيطرة.";
    let a = analyze(text);
    check_spans(text, &a);
    assert_eq!(a.posts.len(), 1, "{:?}", a.posts);
    let p = &a.posts[0];
    assert!(p.author.is_none() && p.handle.is_none() && p.signature.is_none());
    assert_eq!(p.links, vec!["https://t.co/Pq34", "pic.twitter.com/Rs56"]);
    assert!(p.span.slice(text).starts_with("Trucks"));
    let media: Vec<_> = a
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Media)
        .collect();
    assert_eq!(media.len(), 1);
}

#[test]
fn same_language_paragraph_with_links_is_not_a_post() {
    let text =
        "The minister spoke to reporters today.\n\nMore pictures from the event https://t.co/Pq34";
    assert!(analyze(text).posts.is_empty());
}

#[test]
fn post_hints_merge() {
    let text = "Main story text in English about the vote.\n\nA quoted post about the vote\n— Kim Park (@kimpark) June 1, 2023";
    let mut doc = Document::from_text("h", text);
    let start = text.find("A quoted").unwrap();
    doc.post_hints.push(PostHint {
        span: Span::new(start, start + "A quoted post about the vote".len()),
        platform: Some("twitter".into()),
        url: Some("https://twitter.com/kimpark/status/1".into()),
        links: vec!["https://twitter.com/kimpark/status/1".into()],
        ..PostHint::default()
    });
    // A hint elsewhere, and a broken one that must be ignored.
    doc.post_hints.push(PostHint {
        span: Span::new(0, 10),
        url: Some("https://t.me/chan/9".into()),
        ..PostHint::default()
    });
    doc.post_hints.push(PostHint {
        span: Span::new(5, 9999),
        ..PostHint::default()
    });
    let a = seg().analyze(&doc);
    check_spans(text, &a);
    assert_eq!(a.posts.len(), 2);
    assert_eq!(a.posts[0].platform, "telegram");
    let p = &a.posts[1];
    assert_eq!(p.handle.as_deref(), Some("kimpark"));
    assert_eq!(p.links, vec!["https://twitter.com/kimpark/status/1"]);
}

#[test]
fn empty_and_odd_documents() {
    for text in [
        "",
        "   \n\n  ",
        "...",
        "!!!\n\n???",
        "١٢٣",
        "@a #b",
        "\r\n\r\nx\r\n",
    ] {
        let a = analyze(text);
        check_spans(text, &a);
    }
    assert_eq!(analyze("").lang, Lang::Und);
    assert!(analyze("").languages.is_empty());
}

#[test]
fn offsets_slice_to_segment_text_in_multibyte_text() {
    let text = "  «مرحبا بكم.» 😀 Hello there. Ça va?\n\n\tقال د. سمير: نعم!  ";
    let a = analyze(text);
    check_spans(text, &a);
    let sents = texts(text, &a, SegmentKind::Sentence);
    assert_eq!(
        sents,
        vec![
            "«مرحبا بكم.»",
            "😀 Hello there.",
            "Ça va?",
            "قال د. سمير: نعم!"
        ]
    );
}
