//! Property tests: any text, however odd, segments without panicking into valid spans.

use hadath_model::{Document, PostHint, SegmentKind, Span};
use hadath_segment::{find_links, parse_post_date, parse_signature, Segmenter};
use proptest::prelude::*;
use std::sync::OnceLock;

fn seg() -> &'static Segmenter {
    static S: OnceLock<Segmenter> = OnceLock::new();
    S.get_or_init(Segmenter::new)
}

/// Text built from pieces that exercise the splitter: scripts, terminators, links, newlines.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("قال".to_string()),
        Just("الوزير".to_string()),
        Just("The".to_string()),
        Just("Mr.".to_string()),
        Just("U.S.".to_string()),
        Just("Жаңа".to_string()),
        Just("שלום".to_string()),
        Just("3.5".to_string()),
        Just("https://t.co/a1".to_string()),
        Just("pic.twitter.com/b2".to_string()),
        Just("@user".to_string()),
        Just("#وسم".to_string()),
        Just("— A B (@ab) January 5, 2022".to_string()),
        Just(". ".to_string()),
        Just("؟ ".to_string()),
        Just("» ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(" ".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.join(" "))
}

fn valid(text: &str, s: Span) -> bool {
    s.start <= s.end
        && s.end <= text.len()
        && text.is_char_boundary(s.start)
        && text.is_char_boundary(s.end)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn analyze_never_panics_and_spans_are_valid(text in prop_oneof![texty(), any::<String>()], hs in 0usize..400, he in 0usize..400) {
        let mut doc = Document::from_text("p", text.clone());
        doc.post_hints.push(PostHint { span: Span { start: hs, end: he }, ..PostHint::default() });
        let a = seg().analyze(&doc);
        let mut prev = 0;
        for s in &a.segments {
            prop_assert!(valid(&text, s.span));
            prop_assert!(s.span.start >= prev);
            prev = s.span.start;
            let t = s.span.slice(&text);
            prop_assert_eq!(t, t.trim());
            prop_assert!(!t.is_empty());
        }
        for s in a.segments.iter().filter(|s| s.kind == SegmentKind::Sentence) {
            prop_assert!(a.segments.iter().any(|p| matches!(p.kind, SegmentKind::Paragraph | SegmentKind::Title) && p.span.contains(s.span)));
        }
        for l in &a.links {
            prop_assert!(valid(&text, l.span));
            prop_assert!(!l.span.is_empty());
        }
        for w in a.links.windows(2) {
            prop_assert!(w[0].span.end <= w[1].span.start);
        }
        for p in &a.posts {
            prop_assert!(valid(&text, p.span));
        }
    }

    #[test]
    fn parsers_never_panic(s in any::<String>()) {
        let _ = parse_post_date(&s);
        let _ = parse_signature(&s);
        for l in find_links(&s) {
            prop_assert!(valid(&s, l.span));
        }
    }
}
