//! Document-level coding: the lower floor inside a reported story, aid that is only asked for,
//! and which mentions of one document merge. Sentences written for these tests.

use hadath_code::{merge_mentions, CodeOptions, Coder, EventMention, EventType, StorySentence};
use hadath_model::{Lang, Span};
use hadath_recognise::{ActorMention, Actors};

/// A lead that reports a protest on its own, and a follow-up whose arson carries no time or
/// count (below the Arabic sentence floor, above the story floor).
const LEAD: &str = "تظاهر آلاف المحتجين أمس في العاصمة ضد رفع أسعار الوقود.";
const FOLLOW_UP: &str = "وقالت الشرطة إن المتظاهرين أضرموا النار في مبنى البلدية.";

/// Codes `parts` (each `(paragraph, sentence)`) as one document joined by newlines.
fn story(coder: &Coder, parts: &[(usize, &str)]) -> (String, Vec<EventMention>) {
    let text = parts.iter().map(|(_, s)| *s).collect::<Vec<_>>().join("\n");
    let mut spans = Vec::new();
    let mut at = 0;
    for (_, s) in parts {
        spans.push(Span::new(at, at + s.len()));
        at += s.len() + 1;
    }
    let actors: Vec<Vec<ActorMention>> = spans
        .iter()
        .map(|s| Actors::embedded().find(&text, *s, Lang::Ar))
        .collect();
    let mentions = coder.code_story(
        &text,
        parts
            .iter()
            .zip(&spans)
            .zip(&actors)
            .map(|(((paragraph, _), span), found)| StorySentence {
                paragraph: *paragraph,
                span: *span,
                lang: Lang::Ar,
                actors: found,
            }),
    );
    (text, mentions)
}

fn arson(text: &str, mentions: &[EventMention]) -> bool {
    mentions
        .iter()
        .any(|m| m.event_type == EventType::Assault && m.trigger.slice(text).contains("النار"))
}

#[test]
fn a_follow_up_paragraph_keeps_its_weaker_events() {
    let coder = Coder::embedded();
    // Alone, the follow-up sentence is below the Arabic floor.
    let alone = coder.code_sentence(
        FOLLOW_UP,
        Span::new(0, FOLLOW_UP.len()),
        Lang::Ar,
        &Actors::embedded().find(FOLLOW_UP, Span::new(0, FOLLOW_UP.len()), Lang::Ar),
    );
    assert!(!arson(FOLLOW_UP, &alone), "{alone:?}");
    let (text, m) = story(coder, &[(0, FOLLOW_UP)]);
    assert!(
        !arson(&text, &m),
        "a story of one paragraph is a lone sentence"
    );

    // After a lead paragraph that reports the protest, it is part of the story.
    let (text, m) = story(coder, &[(0, LEAD), (1, FOLLOW_UP)]);
    assert!(arson(&text, &m), "{m:?}");
    assert!(m.iter().any(|e| e.event_type == EventType::Protest));
    let arson_event = m
        .iter()
        .find(|e| e.event_type == EventType::Assault)
        .expect("arson");
    assert_eq!(
        arson_event.actors[0].text, "المتظاهرين",
        "the subject of the reported clause, not the police who report it"
    );

    // Within one paragraph the sentence floor holds.
    let (text, m) = story(coder, &[(0, LEAD), (0, FOLLOW_UP)]);
    assert!(!arson(&text, &m), "{m:?}");
}

#[test]
fn an_explicit_floor_applies_to_every_sentence() {
    let coder = Coder::try_embedded().unwrap().with_options(CodeOptions {
        min_confidence: Some(0.95),
        include_negated: false,
    });
    let (_, m) = story(&coder, &[(0, LEAD), (1, FOLLOW_UP)]);
    assert!(m.iter().all(|e| e.confidence >= 0.95), "{m:?}");
}

#[test]
fn aid_that_is_asked_for_is_a_request() {
    let text = "وطلب وزير الخارجية اللبناني ناصيف حتي المساعدة من الدول العربية.";
    let span = Span::new(0, text.len());
    let actors = Actors::embedded().find(text, span, Lang::Ar);
    let all = Coder::try_embedded()
        .unwrap()
        .with_options(CodeOptions {
            min_confidence: Some(0.0),
            include_negated: false,
        })
        .code_sentence(text, span, Lang::Ar, &actors);
    let types: Vec<EventType> = all.iter().map(|e| e.event_type).collect();
    assert!(types.contains(&EventType::Request), "{types:?}");
    assert!(!types.contains(&EventType::Aid), "{types:?}");
    // Aid that is given stays aid.
    let text = "وقدمت الحكومة اليابانية مساعدات إنسانية إلى اللاجئين.";
    let span = Span::new(0, text.len());
    let actors = Actors::embedded().find(text, span, Lang::Ar);
    let given = Coder::embedded().code_sentence(text, span, Lang::Ar, &actors);
    assert!(
        given.iter().any(|e| e.event_type == EventType::Aid),
        "{given:?}"
    );
}

#[test]
fn merging_keeps_sectors_of_one_country_apart() {
    let coder = Coder::embedded();
    let code = |s: &str| {
        let span = Span::new(0, s.len());
        coder.code_sentence(
            s,
            span,
            Lang::En,
            &Actors::embedded().find(s, span, Lang::En),
        )
    };
    // Citizens demanding and the government appealing are two requests, both Chilean.
    let mut all = code("Chilean students want the government to resign.");
    all.extend(code(
        "The Chilean government appealed to Argentina for help.",
    ));
    let requests = merge_mentions(all)
        .into_iter()
        .filter(|e| e.event_type == EventType::Request)
        .count();
    assert_eq!(requests, 2);
    // The country alone and its protesters are one protest.
    let mut all = code("Chile saw protests over bus fares on Monday.");
    all.extend(code("Chilean protesters marched in Santiago on Monday."));
    let protests: Vec<_> = merge_mentions(all)
        .into_iter()
        .filter(|e| e.event_type == EventType::Protest)
        .collect();
    assert_eq!(protests.len(), 1, "{protests:?}");
    assert_eq!(protests[0].mentions.len(), 2);
}
