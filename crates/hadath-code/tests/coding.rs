//! Coding behaviour on sentences written for these tests: one or more per lexicon family in
//! both languages, negation and modality, sports and metaphor traps, passives, attachment,
//! merging and user lexicons.

use hadath_code::{merge_mentions, CodeOptions, Coder, EventMention, EventType};
use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

fn code(text: &str, lang: Lang) -> Vec<EventMention> {
    let span = Span::new(0, text.len());
    let actors = Actors::embedded().find(text, span, lang);
    Coder::embedded().code_sentence(text, span, lang, &actors)
}

fn top(text: &str, lang: Lang) -> Option<EventType> {
    code(text, lang).first().map(|e| e.event_type)
}

fn types(text: &str, lang: Lang) -> Vec<EventType> {
    code(text, lang).iter().map(|e| e.event_type).collect()
}

use EventType::*;

#[test]
fn english_one_sentence_per_type() {
    let table: &[(&str, EventType)] = &[
        (
            "The two neighbours agreed to reopen their shared border crossing next month.",
            Agree,
        ),
        (
            "The foreign ministers of Chile and Peru held talks in Lima on Friday.",
            Consult,
        ),
        (
            "The European Union praised the electoral commission for its conduct of the vote.",
            Support,
        ),
        (
            "The junta freed forty political detainees on Sunday.",
            Concede,
        ),
        (
            "Police officers from both countries shared evidence about the smuggling ring.",
            Cooperate,
        ),
        (
            "Norway provided humanitarian aid to families displaced by the floods.",
            Aid,
        ),
        (
            "The army began withdrawing its troops from the disputed valley.",
            Retreat,
        ),
        (
            "The opposition demanded an independent inquiry into the ballot count.",
            Request,
        ),
        (
            "The ministry condemned the bombing of the clinic in the strongest terms.",
            Accuse,
        ),
        (
            "The council rejected the proposal to extend the mayor's term.",
            Reject,
        ),
        (
            "The militia threatened to attack any convoy that entered the province.",
            Threaten,
        ),
        (
            "Thousands of nurses went on strike over unpaid wages.",
            Protest,
        ),
        (
            "The government expelled two diplomats accused of spying.",
            Sanction,
        ),
        (
            "The defence ministry mobilized reservists along the northern frontier.",
            Mobilize,
        ),
        (
            "Security forces arrested a dozen students outside the university.",
            Coerce,
        ),
        (
            "Gunmen opened fire on a minibus near the market, killing three passengers.",
            Assault,
        ),
    ];
    for (text, want) in table {
        assert_eq!(top(text, Lang::En), Some(*want), "{text}");
    }
}

#[test]
fn arabic_one_sentence_per_family() {
    let table: &[(&str, EventType)] = &[
        (
            "تظاهر مئات الطلاب أمس أمام وزارة التعليم مطالبين بتحسين أوضاعهم.",
            Protest,
        ),
        (
            "واعتصم العمال يوم الأحد داخل المصنع احتجاجا على تأخر الرواتب.",
            Protest,
        ),
        (
            "وتجمع آلاف المتظاهرين صباح امس في الساحة الرئيسية للمدينة.",
            Protest,
        ),
        (
            "قتل خمسة أشخاص أمس في انفجار سيارة مفخخة قرب سوق شعبي.",
            Assault,
        ),
        (
            "وفجر انتحاري نفسه صباح الاثنين عند مدخل مركز للشرطة.",
            Assault,
        ),
        ("اعتقلت الشرطة ثلاثة صحافيين أمس في العاصمة.", Coerce),
        (
            "وندد وزير الخارجية بالقرار واتهم الحكومة بخرق الاتفاق.",
            Accuse,
        ),
        ("التقى الرئيس وزير الخارجية الفرنسي في القصر أمس.", Consult),
    ];
    for (text, want) in table {
        assert!(
            types(text, Lang::Ar).contains(want),
            "{text}: {:?}",
            types(text, Lang::Ar)
        );
    }
}

#[test]
fn arabic_morphology_finds_inflected_forms() {
    // Imperfect plural with conjunction, masdar plural with article and preposition.
    let t = "وخرج المحتجون إلى الشوارع أمس ويتظاهرون منذ الصباح.";
    assert!(types(t, Lang::Ar).contains(&Protest), "{t}");
    let t = "واحتشد المتظاهرون مساء الخميس أمام مبنى البرلمان.";
    assert!(types(t, Lang::Ar).contains(&Protest), "{t}");
}

#[test]
fn every_protest_word_form_is_a_trigger() {
    // With the language floor off, each form on its own yields a PROTEST trigger.
    let coder = Coder::try_embedded().unwrap().with_options(CodeOptions {
        min_confidence: Some(0.0),
        ..CodeOptions::default()
    });
    for w in [
        "تظاهر",
        "تظاهروا",
        "يتظاهرون",
        "مظاهرة",
        "مظاهرات",
        "والمظاهرات",
        "متظاهرون",
        "المتظاهرين",
        "للمتظاهرين",
        "تظاهرات",
        "احتجاج",
        "احتجاجات",
        "بالاحتجاجات",
        "المحتجين",
        "اعتصم",
        "الاعتصام",
        "إضراب",
    ] {
        let ev = coder.code_sentence(w, Span::new(0, w.len()), Lang::Ar, &[]);
        assert!(ev.iter().any(|e| e.event_type == Protest), "{w}: {ev:?}");
        assert_eq!(ev[0].trigger.slice(w), w);
    }
}

#[test]
fn negated_and_denied_events_are_dropped() {
    for t in [
        "The workers did not protest on Monday.",
        "No troops were deployed to the border.",
    ] {
        assert!(
            code(t, Lang::En).is_empty(),
            "{t}: {:?}",
            types(t, Lang::En)
        );
    }
    // The denial itself may be coded (REJECT), never the denied arrest.
    let t = "Officials denied arresting the two reporters.";
    assert!(
        !types(t, Lang::En).contains(&Coerce),
        "{t}: {:?}",
        types(t, Lang::En)
    );
    for t in [
        "لم يتظاهر أحد في المدينة أمس.",
        "ونفت الشرطة اعتقال أي متظاهر.",
    ] {
        assert!(
            !types(t, Lang::Ar).contains(&Protest) && !types(t, Lang::Ar).contains(&Coerce),
            "{t}: {:?}",
            types(t, Lang::Ar)
        );
    }
}

#[test]
fn negated_events_can_be_asked_for() {
    let coder = Coder::try_embedded().unwrap().with_options(CodeOptions {
        include_negated: true,
        ..CodeOptions::default()
    });
    let t = "The workers did not protest on Monday.";
    let ev = coder.code_sentence(t, Span::new(0, t.len()), Lang::En, &[]);
    assert_eq!(ev.len(), 1);
    assert!(ev[0].negated && ev[0].event_type == Protest && ev[0].confidence < 0.34);
}

#[test]
fn threats_and_futures_are_not_the_threatened_act() {
    assert_eq!(
        types("The rebels threatened to attack the airport.", Lang::En),
        vec![Threaten]
    );
    // A promise of a hostile act is a threat; a refusal is a rejection.
    assert_eq!(
        top("The ministry will impose a curfew on the city.", Lang::En),
        Some(Threaten)
    );
    assert_eq!(
        top("The government will not release the detainees.", Lang::En),
        Some(Reject)
    );
    // Conditionals and weak modals.
    assert!(
        code("If the talks fail, the unions could strike.", Lang::En)
            .iter()
            .all(|e| e.event_type != Protest)
    );
    for t in [
        "سوف يتظاهرون غدا أمام السفارة.",
        "وسيتظاهر الطلاب الأسبوع المقبل.",
        "وقد يتظاهر العمال إذا لم تدفع الرواتب.",
        "ومن المقرر أن يتظاهر الأطباء يوم الخميس.",
    ] {
        assert!(
            !types(t, Lang::Ar).contains(&Protest),
            "{t}: {:?}",
            types(t, Lang::Ar)
        );
    }
}

#[test]
fn sports_and_metaphors_are_not_events() {
    for t in [
        "The fans chanted as the striker scored a late goal in the cup match.",
        "Her career has been a long march of progress for women in science.",
    ] {
        assert!(
            code(t, Lang::En)
                .iter()
                .all(|e| !matches!(e.event_type, Protest | Assault)),
            "{t}: {:?}",
            types(t, Lang::En)
        );
    }
    for t in [
        "واصل المنتخب مسيرته في البطولة بعد الفوز في المباراة.",
        "وتحدث الوزير عن مسيرة السلام في المنطقة.",
        "هاجم المدرب الحكم بعد المباراة.",
    ] {
        assert!(
            types(t, Lang::Ar)
                .iter()
                .all(|e| !matches!(e, Protest | Assault)),
            "{t}: {:?}",
            types(t, Lang::Ar)
        );
    }
}

#[test]
fn passive_with_agent_swaps_actor_and_recipient() {
    let t = "Two Iranian journalists were arrested by Turkish police on Tuesday.";
    let ev = code(t, Lang::En);
    let e = ev.iter().find(|e| e.event_type == Coerce).expect("COERCE");
    assert!(e.actors.iter().any(|a| a.code == "TUR"), "{:?}", e.actors);
    assert!(
        e.recipients.iter().any(|a| a.code == "IRN"),
        "{:?}",
        e.recipients
    );
}

#[test]
fn active_subject_is_the_actor() {
    let t = "Jordan and Egypt agreed to hold joint border patrols.";
    let ev = code(t, Lang::En);
    let codes: Vec<&str> = ev[0].actors.iter().map(|a| a.code.as_str()).collect();
    assert!(
        codes.contains(&"JOR") && codes.contains(&"EGY"),
        "{codes:?}"
    );
}

#[test]
fn arabic_word_order_picks_the_actor() {
    // Verb first (VSO) and subject first (SVO): the police arrest, the protesters are arrested.
    for t in [
        "واعتقلت الشرطة الكازاخستانية عشرات المحتجين في ألماتي أمس.",
        "الشرطة الكازاخستانية اعتقلت عشرات المحتجين في ألماتي أمس.",
    ] {
        let ev = code(t, Lang::Ar);
        let e = ev.iter().find(|e| e.event_type == Coerce).expect("COERCE");
        assert_eq!(
            e.actors.first().map(|a| a.code.as_str()),
            Some("KAZ"),
            "{t}"
        );
        assert!(
            e.recipients.iter().any(|r| r.text == "المحتجين"),
            "{t}: {:?}",
            e.recipients
        );
    }
}

#[test]
fn a_trigger_naming_its_participants_is_its_own_actor() {
    let t = "Striking miners blocked the highway near the capital.";
    let ev = code(t, Lang::En);
    let e = ev
        .iter()
        .find(|e| e.event_type == Protest)
        .expect("PROTEST");
    assert!(!e.actors.is_empty(), "{:?}", e);
}

#[test]
fn evidence_offsets_point_into_the_original_text() {
    let t = "وَتَظَاهَرَ مئاتُ العمال أمس أمام المصنع.";
    let ev = code(t, Lang::Ar);
    let e = ev
        .iter()
        .find(|e| e.event_type == Protest)
        .expect("PROTEST");
    assert_eq!(e.trigger.slice(t), "وَتَظَاهَرَ");
    // A sentence inside a longer text keeps document offsets.
    let doc = format!("Intro line. {t}");
    let s = Span::new(doc.len() - t.len(), doc.len());
    let ev = Coder::embedded().code_sentence(&doc, s, Lang::Ar, &[]);
    assert_eq!(ev[0].trigger.slice(&doc), "وَتَظَاهَرَ");
    assert_eq!(ev[0].sentence, s);
}

#[test]
fn one_event_per_type_per_sentence_most_confident_first() {
    let t = "Protesters marched through the capital and staged a sit-in outside parliament.";
    let ev = code(t, Lang::En);
    assert_eq!(ev.iter().filter(|e| e.event_type == Protest).count(), 1);
    assert!(ev.windows(2).all(|w| w[0].confidence >= w[1].confidence));
    assert!(ev.iter().all(|e| (0.0..=1.0).contains(&e.confidence)));
}

#[test]
fn merge_keeps_every_mention() {
    let a = "Turkish police arrested ten activists in Ankara.";
    let b = "Turkish police also detained a lawyer on Monday.";
    let c = "Protesters marched in Ankara.";
    let mut all = Vec::new();
    for t in [a, b, c] {
        all.extend(code(t, Lang::En));
    }
    let merged = merge_mentions(all);
    let coerce = merged
        .iter()
        .find(|d| d.event_type == Coerce)
        .expect("COERCE");
    assert_eq!(
        coerce.mentions.len(),
        2,
        "same type, same actors: one event"
    );
    assert!(merged.iter().any(|d| d.event_type == Protest));
    assert!(merged
        .windows(2)
        .all(|w| w[0].confidence >= w[1].confidence));
    let json = serde_json::to_value(coerce).unwrap();
    assert_eq!(json["type"], "COERCE");
    assert_eq!(json["mentions"].as_array().unwrap().len(), 2);
}

#[test]
fn user_lexicon_extends_and_errors_name_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("triggers/en");
    std::fs::create_dir_all(&en).unwrap();
    std::fs::write(
        en.join("local.toml"),
        "lang = \"en\"\ntrigger = [{ pattern = \"skirmish\", type = \"ASSAULT\", mode = \"clash\", weight = 0.9, note = \"local usage\" }]\n",
    )
    .unwrap();
    let coder = Coder::from_dir(dir.path()).unwrap();
    let t = "Villagers skirmished with herders at dawn.";
    let ev = coder.code_sentence(t, Span::new(0, t.len()), Lang::En, &[]);
    assert_eq!(ev[0].event_type, Assault);
    assert_eq!(ev[0].mode.as_deref(), Some("clash"));

    std::fs::write(
        en.join("bad.toml"),
        "lang = \"en\"\ntrigger = [{ pattern = \"brawl\", type = \"FIGHT\", note = \"old name\" }]\n",
    )
    .unwrap();
    let err = Coder::from_dir(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("bad.toml") && err.contains("brawl") && err.contains("FIGHT"),
        "{err}"
    );
    assert!(Coder::from_dir(&dir.path().join("missing")).is_err());
}

#[test]
fn every_shipped_lexicon_file_loads_from_a_directory() {
    // The data directory has the layout from_dir reads; loading it over the defaults must
    // validate every entry against plover.toml.
    let data = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let coder = Coder::from_dir(data).unwrap();
    assert_eq!(coder.ontology().types().count(), 16);
    for t in EventType::ALL {
        assert!(
            !coder.ontology().cameo(t).is_empty(),
            "{t} has no CAMEO mapping"
        );
    }
}

proptest::proptest! {
    /// Any text and any span: no panic, spans inside the text, confidences in [0, 1].
    #[test]
    fn never_panics(text in "\\PC{0,120}", a in 0usize..140, b in 0usize..140, ar in proptest::bool::ANY) {
        let lang = if ar { Lang::Ar } else { Lang::En };
        let (s, e) = (a.min(b), a.max(b));
        for ev in Coder::embedded().code_sentence(&text, Span::new(s, e), lang, &[]) {
            proptest::prop_assert!(ev.trigger.end <= text.len());
            proptest::prop_assert!(text.get(ev.trigger.start..ev.trigger.end).is_some());
            proptest::prop_assert!((0.0..=1.0).contains(&ev.confidence));
        }
    }

    #[test]
    fn arabic_letters_never_panic(text in "[\u{0621}-\u{064A}\u{064B}-\u{0652} ،.]{0,80}") {
        let _ = Coder::embedded().code_sentence(&text, Span::new(0, text.len()), Lang::Ar, &[]);
    }
}
