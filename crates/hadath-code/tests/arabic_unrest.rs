//! Arabic unrest reporting: emergency rule, curfews, protesters storming, seizing and looting,
//! concrete demands and appeals for help. Sentences written for these tests; each must clear
//! the Arabic confidence floor with the expected type and mode, and near misses must not.

use hadath_code::{Coder, EventMention, EventType};
use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

fn code(text: &str) -> Vec<EventMention> {
    let span = Span::new(0, text.len());
    let actors = Actors::embedded().find(text, span, Lang::Ar);
    Coder::embedded().code_sentence(text, span, Lang::Ar, &actors)
}

fn has(text: &str, t: EventType, mode: &str) -> bool {
    code(text)
        .iter()
        .any(|e| e.event_type == t && e.mode.as_deref() == Some(mode))
}

#[test]
fn unrest_events_are_found() {
    use EventType::*;
    let table: &[(&str, EventType, &str)] = &[
        (
            "وأعلنت الحكومة حالة الطوارئ في أنحاء البلاد لمدة أسبوعين.",
            Coerce,
            "martial_law",
        ),
        (
            "وفرضت السلطات حظر التجول في العاصمة من الساعة العاشرة مساء.",
            Coerce,
            "curfew",
        ),
        (
            "واقتحم المحتجون صباح الخميس مقر البلدية في مدينة تبريز.",
            Protest,
            "riot",
        ),
        (
            "وسيطر المحتجون على مطار المدينة، ما أدى إلى تعليق الرحلات.",
            Protest,
            "riot",
        ),
        (
            "وقال الشهود إن المحتجين نهبوا نحو 50 متجرا وعشرات المكاتب.",
            Protest,
            "riot",
        ),
        ("وطالب المتظاهرون باستقالة الحكومة.", Request, "demand"),
        (
            "وطلب الرئيس المساعدة من دول الجوار لمواجهة الاضطرابات.",
            Request,
            "appeal",
        ),
        (
            "وناشد رئيس الوزراء الأمم المتحدة التدخل لوقف العنف.",
            Request,
            "appeal",
        ),
    ];
    for (text, t, mode) in table {
        assert!(
            has(text, *t, mode),
            "{text}: want {t:?}/{mode}, got {:?}",
            code(text)
        );
    }
}

#[test]
fn near_misses_are_not_unrest() {
    // A company "controlling" a market share, songs chanted at a concert, police storming a
    // square where protesters are the object, lifting a state of emergency (CONCEDE).
    for text in [
        "سيطرت الشركة على حصة كبيرة من السوق.",
        "ردد الجمهور الأغاني الوطنية في الحفل.",
        "ورفعت الحكومة حالة الطوارئ بعد انتهاء الانتخابات.",
    ] {
        let got = code(text);
        assert!(
            !got.iter()
                .any(|e| matches!(e.event_type, EventType::Protest | EventType::Coerce)),
            "{text}: {got:?}"
        );
    }
    let text = "واقتحمت قوات الأمن الساحة وفرقت المحتجين بالقوة.";
    assert!(
        !has(text, EventType::Protest, "riot"),
        "{text}: {:?}",
        code(text)
    );
}

/// A subject inside a multi-word trigger is the event's actor.
#[test]
fn subject_inside_the_trigger_is_the_actor() {
    for (text, t, sector) in [
        (
            "وأعلنت السلطات حالة الطوارئ في الإقليم الشمالي.",
            EventType::Coerce,
            "GOV",
        ),
        (
            "واقتحم المحتجون مبنى البلدية صباح اليوم.",
            EventType::Protest,
            "PRO",
        ),
    ] {
        let events = code(text);
        let e = events
            .iter()
            .find(|e| e.event_type == t)
            .unwrap_or_else(|| panic!("{t:?} in {text}"));
        let sectors: Vec<&str> = e
            .actors
            .iter()
            .filter_map(|a| a.sector.map(|s| s.as_str()))
            .collect();
        assert_eq!(sectors, [sector], "{text}");
    }
}
