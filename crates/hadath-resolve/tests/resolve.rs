//! End-to-end checks of the three finders on small documents written for these tests, the
//! shared example (skipped when `../shared` is absent), and property tests.

use hadath_model::{Lang, PartialDate, Span};
use hadath_resolve::date::{document_date, find_dates, DateKind};
use hadath_resolve::quantity::{find_quantities, Role};
use hadath_resolve::source::find_attributions;

fn all(text: &str) -> Span {
    Span::new(0, text.len())
}

fn d(s: &str) -> PartialDate {
    PartialDate::parse(s).expect("test date")
}

/// A mixed Arabic/English report with a pasted post, written for this test.
const REPORT: &str = "\
تجددت، اليوم الأربعاء، المسيرات التي بدأت منذ الأحد الماضي في المدينة احتجاجا على رفع أسعار الخبز.

وفرضت الحكومة حظر التجول في العاصمة على أن يستمر حتى 19 يناير/كانون الثاني الجاري.

وهاجم محتجون السوق المركزية صباح الأربعاء، ونهبوا حوالي ٨٠ متجرًا ونحو 25 مكتبا وقرابة 40 مطعما ومقهى في الحي، حسبما أفادت قنوات رسمية وخاصة.

Rioters set fire to 12 buses and at least 3 people were killed, the health ministry said.

Prices rose again today — Omar Haddad (@omarh) January 5, 2022
";

#[test]
fn mixed_report_end_to_end() {
    // The document date: month from metadata, day from the pasted post, weekday agrees.
    let doc = document_date(REPORT, Some(d("2022-01")), None, &[d("2022-01-05")]);
    assert_eq!(doc, Some(d("2022-01-05")));

    let dates = find_dates(REPORT, all(REPORT), Lang::Und, doc);
    let got: Vec<(&str, String, DateKind)> = dates
        .iter()
        .map(|m| (m.span.slice(REPORT), m.value.to_string(), m.kind))
        .collect();
    let want = [
        ("اليوم الأربعاء", "2022-01-05", DateKind::Relative),
        ("الأحد الماضي", "2022-01-02", DateKind::RangeStart),
        (
            "19 يناير/كانون الثاني الجاري",
            "2022-01-19",
            DateKind::RangeEnd,
        ),
        ("صباح الأربعاء", "2022-01-05", DateKind::Relative),
        ("today", "2022-01-05", DateKind::Relative),
        ("January 5, 2022", "2022-01-05", DateKind::Absolute),
    ];
    let want: Vec<(&str, String, DateKind)> = want
        .iter()
        .map(|(s, v, k)| (*s, v.to_string(), *k))
        .collect();
    assert_eq!(got, want);

    let qs = find_quantities(REPORT, all(REPORT), Lang::Und);
    let got: Vec<(&str, u64, bool, Role, Option<&str>)> = qs
        .iter()
        .map(|q| {
            (
                q.span.slice(REPORT),
                q.value,
                q.approx,
                q.role,
                q.object.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("حوالي ٨٠ متجرًا", 80, true, Role::Looted, Some("shops")),
            ("نحو 25 مكتبا", 25, true, Role::Looted, Some("offices")),
            (
                "قرابة 40 مطعما ومقهى",
                40,
                true,
                Role::Looted,
                Some("restaurants")
            ),
            ("12 buses", 12, false, Role::Damaged, Some("vehicles")),
            ("at least 3 people", 3, true, Role::Killed, None),
        ]
    );

    let srcs: Vec<String> = find_attributions(REPORT, all(REPORT), Lang::Und)
        .into_iter()
        .map(|a| a.text)
        .collect();
    assert_eq!(
        srcs,
        [
            "قنوات رسمية وخاصة",
            "health ministry",
            "Omar Haddad (@omarh)"
        ]
    );
}

#[test]
fn spans_respect_the_given_span() {
    let text = "Yesterday 40 protesters were arrested. Today 12 people were injured.";
    let second = Span::new(text.find("Today").unwrap_or(0), text.len());
    let q = find_quantities(text, second, Lang::En);
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].span.slice(text), "12 people");
    assert_eq!(q[0].role, Role::Injured);
    let dates = find_dates(text, second, Lang::En, Some(d("2022-01-05")));
    assert_eq!(dates.len(), 1);
    assert_eq!(dates[0].span.slice(text), "Today");
}

/// The shared Kazakhstan example (not copied into the repo): the figures the issue asks for.
#[test]
fn shared_kazakhstan_example() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/kazakhstan-2022-01.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} is absent");
        return;
    };
    let doc = document_date(&text, None, None, &[d("2022-01-05")]);
    assert_eq!(doc, Some(d("2022-01-05")), "header month + post day");
    let dates = find_dates(&text, all(&text), Lang::Und, doc);
    let has = |v: &str, k: DateKind| dates.iter().any(|m| m.value == d(v) && m.kind == k);
    assert!(has("2022-01-19", DateKind::RangeEnd), "{dates:?}");
    assert!(
        has("2022-01-02", DateKind::Relative),
        "began last Sunday: {dates:?}"
    );
    assert!(has("2022-01-05", DateKind::Relative), "{dates:?}");
    let qs = find_quantities(&text, all(&text), Lang::Und);
    let find = |obj: &str, role: Role| {
        qs.iter()
            .find(|q| q.object.as_deref() == Some(obj) && q.role == role)
            .map(|q| (q.value, q.approx))
    };
    assert_eq!(find("shops", Role::Looted), Some((120, true)), "{qs:?}");
    assert_eq!(find("offices", Role::Looted), Some((100, true)));
    assert_eq!(find("restaurants", Role::Looted), Some((200, true)));
    assert_eq!(find("vehicles", Role::Damaged), Some((120, true)));
    let srcs: Vec<String> = find_attributions(&text, all(&text), Lang::Und)
        .into_iter()
        .map(|a| a.text)
        .collect();
    assert!(srcs.iter().any(|s| s == "Interfax"), "{srcs:?}");
    assert!(
        srcs.iter().any(|s| s == "وسائل إعلام محلية ودولية"),
        "{srcs:?}"
    );
    assert!(
        srcs.iter()
            .any(|s| s.starts_with("وكالة الأنباء الرسمية في كازاخستان")),
        "{srcs:?}"
    );
    assert!(srcs.iter().any(|s| s.contains("@ragipsoylu")), "{srcs:?}");
}

fn check_spans(text: &str, spans: impl IntoIterator<Item = Span>, outer: Span) {
    for s in spans {
        assert!(s.start <= s.end && s.end <= text.len(), "{s:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert!(outer.contains(s), "{s:?} outside {outer:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any text, any span: no panic, spans inside the given span on char boundaries.
    #[test]
    fn random_text_never_panics(
        text in "\\PC{0,80}",
        a in 0usize..100,
        b in 0usize..100,
    ) {
        let span = Span::new(a.min(b), a.max(b));
        let anchor = Some(d("2022-01-05"));
        let fit = text.get(span.start..span.end).is_some();
        let ds = find_dates(&text, span, Lang::Und, anchor);
        let qs = find_quantities(&text, span, Lang::Und);
        let at = find_attributions(&text, span, Lang::Und);
        if fit {
            check_spans(&text, ds.iter().map(|m| m.span), span);
            check_spans(&text, qs.iter().map(|q| q.span), span);
            check_spans(&text, at.iter().map(|x| x.span), span);
        } else {
            proptest::prop_assert!(ds.is_empty() && qs.is_empty() && at.is_empty());
        }
        let _ = document_date(&text, None, Some(&text), &[]);
    }

    /// Text made of the words the finders look for, in any order.
    #[test]
    fn lexicon_soup_never_panics(words in proptest::collection::vec(proptest::sample::select(vec![
        "حوالي", "١٢٠", "متجرًا", "و", "حتى", "19", "يناير", "/", "كانون", "الثاني", "الجاري",
        "منذ", "الأحد", "الماضي", "اليوم", "أمس", "عشرات", "الآلاف", "من", "المتظاهرين", "قال",
        "حسبما", "نقلت", "وكالة", "(", ")", "at", "least", "12", "people", "killed", "said",
        "Interfax", "reports", "January", "5", ",", "2022", "-", ".", "1.5", "million", "—",
        "@x", "\n", "last", "week", "Wednesday", "2022-01-05", "19/1/2022", "dozens", "of",
    ]), 0..40)) {
        let text = words.join(" ");
        let span = Span::new(0, text.len());
        for anchor in [None, Some(d("2022")), Some(d("2022-01")), Some(d("2022-01-05"))] {
            let ds = find_dates(&text, span, Lang::Und, anchor);
            check_spans(&text, ds.iter().map(|m| m.span), span);
        }
        let qs = find_quantities(&text, span, Lang::Und);
        check_spans(&text, qs.iter().map(|q| q.span), span);
        let at = find_attributions(&text, span, Lang::Und);
        check_spans(&text, at.iter().map(|x| x.span), span);
        let _ = document_date(&text, Some(d("2022-01")), None, &[d("2022-01-05")]);
    }
}
