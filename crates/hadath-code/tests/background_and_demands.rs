//! Background readings and demanded acts: relative clauses, masdars after prepositions, acts
//! named as the object of a condemnation, devices found rather than detonated, dated timeline
//! entries, support verbs of attack, protest adjectives, and English "want X to resign".
//! Sentences written for these tests; each row is (sentence, type, expected presence).

use hadath_code::{Coder, EventMention, EventType};
use hadath_model::{Lang, Span};
use hadath_recognise::Actors;

fn code(text: &str, lang: Lang) -> Vec<EventMention> {
    let span = Span::new(0, text.len());
    let actors = Actors::embedded().find(text, span, lang);
    Coder::embedded().code_sentence(text, span, lang, &actors)
}

fn has(text: &str, lang: Lang, t: EventType) -> bool {
    code(text, lang).iter().any(|e| e.event_type == t)
}

fn check(lang: Lang, table: &[(&str, EventType, bool)]) {
    let mut bad = Vec::new();
    for (text, t, want) in table {
        if has(text, lang, *t) != *want {
            bad.push(format!(
                "{text}: {t} expected {want}, got {:?}",
                code(text, lang)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn arabic_background_readings_are_not_reports() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // A verb after a relative pronoun describes a noun (before -> after: kept -> dropped).
            (
                "أطلق مسلحون النار أمس على حافلة في السوق فقتلوا سائقها.",
                Assault,
                true,
            ),
            (
                "وألقت الشرطة أمس القبض على المسلحين الذين أطلقوا النار في السوق.",
                Assault,
                false,
            ),
            // A preposition governs the masdar, not a finite verb.
            ("وقتل مسلحون أمس 20 شخصا في القرية.", Assault, true),
            (
                "وتحدث التقرير أمس عن قتل 20 شخصا في القرية.",
                Assault,
                false,
            ),
            // The act a condemnation names is its topic.
            (
                "وأدانت الحكومة أمس قتل 3 صحفيين في العاصمة.",
                Assault,
                false,
            ),
            ("وأدانت الحكومة أمس قتل 3 صحفيين في العاصمة.", Accuse, true),
            // A device found or worn has not gone off.
            (
                "وقالت الشرطة إنها عثرت على سيارة مفخخة قرب السوق أمس.",
                Assault,
                false,
            ),
            (
                "وانفجرت سيارة مفخخة أمس قرب السوق فقتلت 5 أشخاص.",
                Assault,
                true,
            ),
            // "أي" makes the noun generic.
            (
                "وقال الخبير إن أي غارة على الميناء ستوقف التجارة.",
                Assault,
                false,
            ),
        ],
    );
}

#[test]
fn arabic_reports_found_by_structure() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // A dated timeline entry reports its event despite the year.
            (
                "* 14 مارس 2009: اغتيال رئيس البلدية بعبوة ناسفة في وسط المدينة.",
                Assault,
                true,
            ),
            (
                "وفي 2009 اغتيال رئيس البلدية بعبوة ناسفة في وسط المدينة.",
                Assault,
                false,
            ),
            // Support verbs of attack: "شن هجوما", "نفذ هجوما".
            ("وشن مسلحون هجوما على نقطة تفتيش للجيش.", Assault, true),
            // A protest with an adjective of how it went is one occurrence.
            (
                "وشهدت المدينة أمس مظاهرة غاضبة ضد ارتفاع الأسعار.",
                Protest,
                true,
            ),
            // The stronger of two overlapping readings wins ("تجددت الاحتجاجات" over the
            // looser "الاحتجاجات ... ضد").
            (
                "وتجددت الاحتجاجات أمس في المدينة بمشاركة آلاف الطلاب ضد الحكومة.",
                Protest,
                true,
            ),
        ],
    );
}

#[test]
fn arabic_anaphora_subjunctives_and_constructs_are_background() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // A demonstrative points back at an event already reported (before -> after).
            (
                "وقتل مسلحون أمس أربعة حراس في هجوم على مصرف في المدينة.",
                Assault,
                true,
            ),
            (
                "وقال الطبيب إن أربعة حراس قتلوا أمس في هذا الهجوم على المصرف.",
                Assault,
                false,
            ),
            (
                "وخرج آلاف الطلاب أمس في مظاهرة ضد رفع الرسوم الجامعية.",
                Protest,
                true,
            ),
            (
                "وقد نظمت هذه المظاهرات أمس بدعوة من اتحاد الطلاب.",
                Protest,
                false,
            ),
            // "ذلك" without the article on the noun is no demonstrative phrase.
            (
                "وانفجرت عبوة ناسفة أمس بدورية للجيش، وتلا ذلك هجوم بالأسلحة الرشاشة قتل فيه جنديان.",
                Assault,
                true,
            ),
            // A preposition of time before a definite event noun points back too, unless the
            // sentence itself reported the event in an earlier clause.
            (
                "وأحرق المتظاهرون أمس إطارات السيارات خلال التظاهرة أمام البرلمان.",
                Protest,
                false,
            ),
            (
                "وخرجت أمس مظاهرات حاشدة في ثلاث مدن، ولم تسجل أعمال عنف أثناء المظاهرات.",
                Protest,
                true,
            ),
            // The masdar of organising frames a call or a role.
            (
                "وقرر الحزب أمس تسيير مظاهرات حاشدة في العاصمة ضد الغلاء.",
                Protest,
                false,
            ),
            // إن / أن before a verb: a conditional, a subjunctive or a masdar, never the report.
            (
                "وقال الضابط إنهم إن قتلوا عشرة جنود في الهجوم فسيرد الجيش بقوة.",
                Assault,
                false,
            ),
            (
                "غير أن قتل المراسلين الثلاثة أمس في الهجوم أثار الغضب.",
                Assault,
                false,
            ),
            // A bare verb form after an indefinite noun in ة is the masdar of a construct; after
            // a definite place name it is the verb of the sentence.
            (
                "وطالبت المنظمة أمس بالتحقيق في كيفية قتل الصحفيين الثلاثة في الهجوم.",
                Assault,
                false,
            ),
            (
                "وفي البصرة قتل مسلحون أمس ثلاثة من عناصر الشرطة.",
                Assault,
                true,
            ),
            // "في حال": in case of.
            (
                "وقال الوزير إن بلاده سترد بقوة في حال تعرضت لهجوم من الجيران.",
                Assault,
                false,
            ),
            // History: decades and "a year ago".
            (
                "وكان ابن عمه قد قتل في غارة جوية في الثمانينات.",
                Assault,
                false,
            ),
        ],
    );
}

#[test]
fn arabic_relative_clauses_possibility_and_criticism() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // Every trigger inside a relative clause describes its noun.
            (
                "وانفجرت سيارة مفخخة أمس قرب مركز الشرطة فقتلت 4 أشخاص.",
                Assault,
                true,
            ),
            (
                "وشيع أمس الضابط الذي قتل في انفجار سيارة مفخخة قرب مركز الشرطة.",
                Assault,
                false,
            ),
            // A noun trigger as the subject of a word of possibility.
            (
                "وقال الخبير إن غارات جوية يمكن أن تستهدف المطارات العسكرية.",
                Assault,
                false,
            ),
            // هاجم alone is also "criticised"; with armed men as its subject it is physical.
            (
                "وهاجم رئيس الحزب قرار الحكومة رفع أسعار الوقود.",
                Assault,
                false,
            ),
            ("وهاجم مسلحون حاجزا للجيش على الطريق الدولي.", Assault, true),
            // Years and "two years ago" are history.
            (
                "وكان مسلحون قد اغتالوا مدير المصرف قبل عامين في بيته.",
                Assault,
                false,
            ),
        ],
    );
}

#[test]
fn arabic_crowds_gathering_before_buildings_protest() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            (
                "وتجمع مئات العمال أمس أمام مقر وزارة الصناعة في العاصمة.",
                Protest,
                true,
            ),
            (
                "واحتشد عشرات الأهالي امام مبنى المحافظة مطالبين بالإفراج عن أبنائهم.",
                Protest,
                true,
            ),
            // Without a building in front of which they gather, a gathering is not a protest.
            ("وتجمع الوزراء في قاعة الاجتماعات أمس.", Protest, false),
        ],
    );
}

#[test]
fn english_demanded_resignations_are_requests() {
    use EventType::*;
    let want = |text: &str| {
        let evs = code(text, Lang::En);
        let top = evs.first().map(|e| (e.event_type, e.mode.clone()));
        assert_eq!(
            top,
            Some((Request, Some("demand".to_string()))),
            "{text}: {evs:?}"
        );
        assert!(
            !evs.iter().any(|e| e.event_type == Concede),
            "{text}: {evs:?}"
        );
    };
    want("The people want the government to resign.");
    want("The crowd demanded that officials force the mayor to step down.");
    // "urge" is itself an appeal; the resignation it asks for is not a concession.
    let evs = code(
        "Opposition leaders urged the prime minister to step down.",
        Lang::En,
    );
    assert_eq!(evs.first().map(|e| e.event_type), Some(Request), "{evs:?}");
    assert!(!evs.iter().any(|e| e.event_type == Concede), "{evs:?}");
    // The subject's own plan or act is not a demand.
    assert!(!has("The minister wanted to resign.", Lang::En, Request));
    assert!(has(
        "The prime minister resigned on Monday.",
        Lang::En,
        Concede
    ));
}

#[test]
fn a_year_dates_the_event_of_its_own_clause() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // A year far after the trigger, in a relative clause about the factories: the
            // sit-in is still a report.
            (
                "واعتصم مئات العمال أمام مقر الوزارة في العاصمة للمطالبة بزيادة الأجور وتحسين ظروف العمل في مصانع الغزل والنسيج الكبرى التي أنشأتها الحكومة في المدينة الصناعية عام 1998.",
                Protest,
                true,
            ),
            // A year close to the trigger, or before it, dates the sit-in: history.
            (
                "واعتصم مئات العمال أمام مقر الوزارة في العاصمة عام 1998 للمطالبة بزيادة الأجور.",
                Protest,
                false,
            ),
            (
                "وفي عام 1998 اعتصم مئات العمال أمام مقر الوزارة في العاصمة للمطالبة بزيادة الأجور وتحسين ظروف العمل في مصانع الغزل والنسيج الكبرى التي أنشأتها الحكومة.",
                Protest,
                false,
            ),
            // Far but in the same clause (no relative pronoun): still dated.
            (
                "واعتصم مئات العمال أمام مقر الوزارة في العاصمة للمطالبة بزيادة الأجور وتحسين ظروف العمل في مصانع الغزل والنسيج الكبرى وفق اتفاق العمل الجماعي الموقع عام 1998.",
                Protest,
                false,
            ),
        ],
    );
}

#[test]
fn arabic_masdars_joined_by_waw_and_long_commentary() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // A finite verb joined to the report: kept.
            (
                "وخطف مسلحون أمس سائق شاحنة وقتلوه قرب الحدود.",
                Assault,
                true,
            ),
            // "وقتله" after a masdar ("his kidnapping and killing") is a masdar too.
            (
                "وقالت الأم إنها تخشى من خطفه وقتله على يد العصابة.",
                Assault,
                false,
            ),
            (
                "وعرض البرنامج صورا عن تعذيب السجناء وقتلهم في المعتقلات.",
                Assault,
                false,
            ),
            // A short report ...
            (
                "وقتل مسلحون أمس خمسة جنود في هجوم على حاجز قرب المدينة.",
                Assault,
                true,
            ),
            // ... and the same act told in passing, deep in a long commentary sentence.
            (
                "ويرى الكاتب أن الحكومات المتعاقبة لم تتعلم من دروس الماضي وأنها ما زالت تراهن على الحلول الأمنية وحدها بدل معالجة أسباب الأزمة الاقتصادية والاجتماعية التي تدفع الشباب إلى اليأس والهجرة، ويذكر القراء بأن مسلحين قتلوا أمس خمسة جنود في هجوم على حاجز قرب المدينة، ثم يعود إلى حديثه عن الإصلاح والتعليم والعدالة بين المناطق والأجيال، ويختم مقاله بدعوة النخب السياسية والنقابات والجامعات إلى حوار وطني واسع يضع مصلحة البلاد فوق الحسابات الحزبية الضيقة.",
                Assault,
                false,
            ),
        ],
    );
}

#[test]
fn arabic_periphrastic_verbs_hostages_rape_and_aircraft() {
    use EventType::*;
    check(
        Lang::Ar,
        &[
            // "قام X بـ + masdar" is the finite act.
            (
                "وقامت طائرة حربية أمس بقصف مخزن للأسلحة شرق المدينة.",
                Assault,
                true,
            ),
            (
                "وقام مسلحون مجهولون أمس بخطف صحفي أجنبي في وسط العاصمة.",
                Assault,
                true,
            ),
            // A visit is no attack.
            ("وقام الوزير أمس بزيارة إلى المدينة.", Assault, false),
            // Hostage-taking is an abduction, not an arrest.
            (
                "واحتجز مسلحون أمس عشرين موظفا رهائن داخل المصرف.",
                Assault,
                true,
            ),
            (
                "واحتجزت الشرطة أمس عشرين متظاهرا في وسط العاصمة.",
                Assault,
                false,
            ),
            // Shooting down an aircraft; toppling a government is not.
            (
                "وأسقطت الدفاعات الجوية أمس طائرة استطلاع فوق الحدود.",
                Assault,
                true,
            ),
            (
                "وأسقط البرلمان أمس الحكومة بتصويت حجب الثقة.",
                Assault,
                false,
            ),
            // Rape; "usurping the land" is not.
            (
                "وقال شهود إن جنودا اغتصبوا أمس امرأتين في القرية.",
                Assault,
                true,
            ),
            ("وندد البيان باغتصاب الأرض ومصادرة المزارع.", Assault, false),
        ],
    );
    // The hostage-taking is coded once, as ASSAULT abduct, with no COERCE arrest beside it.
    let evs = code("واحتجز مسلحون أمس عشرين موظفا رهائن داخل المصرف.", Lang::Ar);
    assert!(
        evs.iter()
            .any(|e| e.event_type == Assault && e.mode.as_deref() == Some("abduct")),
        "{evs:?}"
    );
    assert!(!evs.iter().any(|e| e.event_type == Coerce), "{evs:?}");
}
