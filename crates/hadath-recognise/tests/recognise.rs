//! Actor recognition on sentences written for these tests, one family at a time, in both
//! languages.

use hadath_model::{Lang, Span};
use hadath_recognise::{ActorKind, ActorMention, Actors, Sector};

fn lang_of(text: &str) -> Lang {
    if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        Lang::Ar
    } else {
        Lang::En
    }
}

fn find(text: &str) -> Vec<ActorMention> {
    Actors::embedded().find(text, Span::new(0, text.len()), lang_of(text))
}

/// `(text, code, sector)` of every mention.
fn brief(text: &str) -> Vec<(String, String, Option<&'static str>)> {
    find(text)
        .into_iter()
        .map(|m| (m.text, m.code, m.sector.map(Sector::as_str)))
        .collect()
}

fn has(text: &str, want_text: &str, code: &str, sector: Option<&str>) {
    let got = brief(text);
    assert!(
        got.iter()
            .any(|(t, c, s)| t == want_text && c == code && s.as_deref() == sector),
        "in {text:?} expected ({want_text:?}, {code:?}, {sector:?}); got {got:?}"
    );
}

fn lacks(text: &str, unwanted: &str) {
    let got = brief(text);
    assert!(
        !got.iter().any(|(t, _, _)| t == unwanted),
        "in {text:?} did not expect {unwanted:?}; got {got:?}"
    );
}

#[test]
fn embedded_lexicon_is_complete() {
    let a = Actors::embedded();
    assert_eq!(a.countries().len(), 249, "all ISO 3166-1 entries");
    assert!(a.organizations().len() >= 60);
    assert!(a.roles().len() >= 20);
    assert!(a.pattern_count() > 3000);
    for c in a.countries() {
        assert_eq!(a.country_by_iso3(&c.iso3).map(|x| &x.iso2), Some(&c.iso2));
        assert_eq!(a.country_by_iso2(&c.iso2).map(|x| &x.iso3), Some(&c.iso3));
    }
    for code in [
        "KAZ", "RUS", "USA", "GBR", "IRN", "SYR", "EGY", "PSE", "COD", "CIV",
    ] {
        let c = a.country_by_iso3(code).unwrap();
        assert!(
            c.capital_en.is_some() && !c.demonyms_en.is_empty(),
            "{code}"
        );
    }
    assert!(a
        .organization("CSTO")
        .is_some_and(|o| o.sector == Sector::Igo));
    assert_eq!(
        a.country_by_name("Britain").map(|c| c.iso3.as_str()),
        Some("GBR")
    );
    assert_eq!(
        a.country_by_name("الكازاخستانية").map(|c| c.iso3.as_str()),
        Some("KAZ")
    );
    assert_eq!(
        a.country_by_name("Moscow").map(|c| c.iso3.as_str()),
        Some("RUS")
    );
}

#[test]
fn countries_and_aliases_en() {
    has("Kazakhstan asked for help.", "Kazakhstan", "KAZ", None);
    has("Britain and the U.S. objected.", "Britain", "GBR", None);
    has("Britain and the U.S. objected.", "U.S.", "USA", None);
    has(
        "Talks between the United States and Ivory Coast.",
        "United States",
        "USA",
        None,
    );
    has(
        "Talks between the United States and Ivory Coast.",
        "Ivory Coast",
        "CIV",
        None,
    );
    has(
        "Côte d’Ivoire and Türkiye signed.",
        "Côte d’Ivoire",
        "CIV",
        None,
    );
    has("South Sudan accused Sudan.", "South Sudan", "SSD", None);
    has("South Sudan accused Sudan.", "Sudan", "SDN", None);
    // Proper names need a capital letter; acronyms need capitals.
    lacks("a chad of paper fell", "chad");
    lacks("they told us to leave", "us");
    has("US officials left.", "US officials", "USA", Some("GOV"));
}

#[test]
fn countries_and_aliases_ar() {
    has("طلبت كازاخستان المساعدة", "كازاخستان", "KAZ", None);
    has(
        "انتقدت الولايات المتحدة وبريطانيا القرار",
        "الولايات المتحدة",
        "USA",
        None,
    );
    has(
        "انتقدت الولايات المتحدة وبريطانيا القرار",
        "بريطانيا",
        "GBR",
        None,
    );
    has("رسالة لأمريكا", "أمريكا", "USA", None);
    has("أعلنت المملكة المتحدة", "المملكة المتحدة", "GBR", None);
    // لل + name with the article: ل + الجزائر
    has("دعم للجزائر", "للجزائر", "DZA", None);
    // Harakat and hamza forms fold.
    has("أعلنتْ رُوسيا", "رُوسيا", "RUS", None);
    // Ambiguous words are never matched: مالي "financial", سيول "floods".
    lacks("قدمت دعما ماليا كبيرا", "مالي");
    lacks("اجتاحت السيول القرى", "السيول");
}

#[test]
fn demonyms_en_ar() {
    has("Kazakhs gathered.", "Kazakhs", "KAZ", None);
    has(
        "Kazakhstani officials resigned.",
        "Kazakhstani officials",
        "KAZ",
        Some("GOV"),
    );
    has("تجمع الكازاخستانيون", "الكازاخستانيون", "KAZ", None);
    has("اعتقل عدد من الكازاخستانيين", "الكازاخستانيين", "KAZ", None);
    has(
        "قالت السلطات الكازاخية",
        "السلطات الكازاخية",
        "KAZ",
        Some("GOV"),
    );
    has(
        "وصلت صحفيات أمريكيات",
        "صحفيات أمريكيات",
        "USA",
        Some("MED"),
    );
    has("وصلت صحفيات", "صحفيات", "", Some("MED"));
    has("مع الأمريكيين", "الأمريكيين", "USA", None);
    has(
        "الجنود الكوريون الشماليون",
        "الجنود الكوريون الشماليون",
        "PRK",
        Some("MIL"),
    );
    let m = find("Iraqis voted.");
    assert_eq!(m[0].kind, ActorKind::Demonym);
}

#[test]
fn capitals_metonymy_and_places() {
    has(
        "Moscow said it would send troops.",
        "Moscow",
        "RUS",
        Some("GOV"),
    );
    lacks("Protests spread in Moscow.", "Moscow");
    lacks("He flew to Washington.", "Washington");
    lacks("The Washington Post reported it.", "Washington");
    has("قالت موسكو إنها سترسل قوات", "موسكو", "RUS", Some("GOV"));
    lacks("خرجت مظاهرات في موسكو", "موسكو");
    lacks("وفي موسكو خرج المحتجون", "موسكو");
    lacks("سافر الوفد إلى واشنطن", "واشنطن");
    lacks("التقى الوزير نظيره بواشنطن", "واشنطن");
    has("رفضت واشنطن الطلب", "واشنطن", "USA", Some("GOV"));
    // Contested or other-meaning capitals never stand for a government.
    lacks("Jerusalem said nothing.", "Jerusalem");
    let m = find("Protests in Kazakhstan grew.");
    assert!(m[0].locative && m[0].code == "KAZ");
    let m = find("خرجت احتجاجات بكازاخستان");
    assert!(m.iter().any(|m| m.code == "KAZ" && m.locative));
}

#[test]
fn organizations_en_ar() {
    has("NATO and the EU condemned it.", "NATO", "NATO", Some("IGO"));
    has("NATO and the EU condemned it.", "EU", "EU", Some("IGO"));
    has(
        "the Russian-led CSTO sent troops",
        "Russian-led CSTO",
        "CSTO",
        Some("IGO"),
    );
    has(
        "طلب مساعدة منظمة معاهدة الأمن الجماعي",
        "منظمة معاهدة الأمن الجماعي",
        "CSTO",
        Some("IGO"),
    );
    has(
        "دعت جامعة الدول العربية ومجلس التعاون الخليجي",
        "جامعة الدول العربية",
        "ARL",
        Some("IGO"),
    );
    has(
        "دعت جامعة الدول العربية ومجلس التعاون الخليجي",
        "مجلس التعاون الخليجي",
        "GCC",
        Some("IGO"),
    );
    has(
        "The Red Cross and Amnesty International spoke.",
        "Red Cross",
        "ICRC",
        Some("NGO"),
    );
    has(
        "نددت منظمة العفو الدولية باعتقال الصحفيين",
        "منظمة العفو الدولية",
        "AMNESTY",
        Some("NGO"),
    );
    has(
        "Hamas militants fired rockets.",
        "Hamas militants",
        "PSE",
        Some("REB"),
    );
    has(
        "أعلن حزب الله اللبناني",
        "حزب الله اللبناني",
        "LBN",
        Some("REB"),
    );
    has("هاجم الحوثيون سفينة", "الحوثيون", "YEM", Some("REB"));
    has("فجر داعش سيارة", "داعش", "ISIS", Some("REB"));
    has("قوات الناتو انسحبت", "قوات الناتو", "NATO", Some("IGO"));
    has(
        "The UN Security Council met.",
        "UN Security Council",
        "UNSC",
        Some("IGO"),
    );
    // Acronyms only in capitals: "who" is a pronoun.
    lacks("people who left", "who");
    let m = find("Hezbollah fighters crossed.");
    assert_eq!(m[0].org.as_deref(), Some("HEZBOLLAH"));
    assert_eq!(m[0].kind, ActorKind::Organization);
}

#[test]
fn roles_en() {
    has("The government resigned.", "government", "", Some("GOV"));
    has(
        "Riot police fired tear gas at demonstrators.",
        "Riot police",
        "",
        Some("COP"),
    );
    has(
        "Riot police fired tear gas at demonstrators.",
        "demonstrators",
        "",
        Some("PRO"),
    );
    has(
        "Security forces arrested journalists.",
        "Security forces",
        "",
        Some("COP"),
    );
    has(
        "Security forces arrested journalists.",
        "journalists",
        "",
        Some("MED"),
    );
    has("Gunmen attacked civilians.", "Gunmen", "", Some("REB"));
    has("Gunmen attacked civilians.", "civilians", "", Some("CVL"));
    has(
        "Lawmakers and the opposition met union leaders.",
        "Lawmakers",
        "",
        Some("LEG"),
    );
    has(
        "Lawmakers and the opposition met union leaders.",
        "opposition",
        "",
        Some("OPP"),
    );
    has(
        "Students and teachers marched.",
        "Students",
        "",
        Some("EDU"),
    );
    has("Clerics and aid groups helped.", "Clerics", "", Some("REL"));
    has(
        "Clerics and aid groups helped.",
        "aid groups",
        "",
        Some("NGO"),
    );
    has("The supreme court ruled.", "supreme court", "", Some("JUD"));
    has(
        "Oil workers went on strike.",
        "Oil workers",
        "",
        Some("LAB"),
    );
    has("Companies closed.", "Companies", "", Some("BUS"));
    has(
        "government troops fired",
        "government troops",
        "",
        Some("MIL"),
    );
    // A rank alone is no actor.
    lacks("A general strike was called.", "general");
}

#[test]
fn roles_ar_with_clitics_and_plurals() {
    has("وقالت الحكومة", "الحكومة", "", Some("GOV"));
    has("والحكومة رفضت", "الحكومة", "", Some("GOV"));
    has("قال إن للشرطة الحق", "للشرطة", "", Some("COP"));
    has("أشادت بالجيش", "الجيش", "", Some("MIL"));
    has("وللمتظاهرين حق التظاهر", "للمتظاهرين", "", Some("PRO"));
    has("خرج المتظاهرون", "المتظاهرون", "", Some("PRO"));
    has("فرقت الشرطة محتجين", "محتجين", "", Some("PRO"));
    has("شاركت متظاهرات كثيرات", "متظاهرات", "", Some("PRO"));
    has("قال الناشطون", "الناشطون", "", Some("PRO"));
    has("قتل جنود", "جنود", "", Some("MIL"));
    has("أصيب عدد من المدنيين", "المدنيين", "", Some("CVL"));
    has("وقال السكان", "السكان", "", Some("CVL"));
    has("اعتقلت قوات الأمن ناشطين", "قوات الأمن", "", Some("COP"));
    has("هاجم المسلحون القرية", "المسلحون", "", Some("REB"));
    has("صوت البرلمان", "البرلمان", "", Some("LEG"));
    has("رفض مجلس النواب", "مجلس النواب", "", Some("LEG"));
    has("قضت المحكمة", "المحكمة", "", Some("JUD"));
    has("أضرب العمال", "العمال", "", Some("LAB"));
    has("تظاهر الطلاب", "الطلاب", "", Some("EDU"));
    has("دعا رجال الدين", "رجال الدين", "", Some("REL"));
    has("ونددت وسائل الإعلام", "وسائل الإعلام", "", Some("MED"));
    has(
        "طالبت المنظمات الحقوقية",
        "المنظمات الحقوقية",
        "",
        Some("NGO"),
    );
    has("رفضت المعارضة", "المعارضة", "", Some("OPP"));
    // Subject and object side by side stay apart.
    let got = brief("هاجمت الشرطة المحتجين");
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn demonym_and_sector_combinations() {
    has(
        "Kazakh police detained dozens.",
        "Kazakh police",
        "KAZ",
        Some("COP"),
    );
    has(
        "The U.S. Supreme Court ruled.",
        "U.S. Supreme Court",
        "USA",
        Some("JUD"),
    );
    has(
        "A Jordanian official said.",
        "Jordanian official",
        "JOR",
        Some("GOV"),
    );
    has(
        "Russia's foreign ministry said.",
        "Russia's foreign ministry",
        "RUS",
        Some("GOV"),
    );
    has(
        "the government of Kazakhstan said",
        "government of Kazakhstan",
        "KAZ",
        Some("GOV"),
    );
    has(
        "قالت قوات الأمن الكازاخستانية",
        "قوات الأمن الكازاخستانية",
        "KAZ",
        Some("COP"),
    );
    has(
        "اتهمت الحكومة الأمريكية",
        "الحكومة الأمريكية",
        "USA",
        Some("GOV"),
    );
    has(
        "قالت حكومة كازاخستان",
        "حكومة كازاخستان",
        "KAZ",
        Some("GOV"),
    );
    has("قالت الشرطة الروسية", "الشرطة الروسية", "RUS", Some("COP"));
    has(
        "قوات الأمن العراقية",
        "قوات الأمن العراقية",
        "IRQ",
        Some("COP"),
    );
}

#[test]
fn titled_persons() {
    let m = find("الرئيس الكازاخستاني قاسم جومارت توكاييف طلب المساعدة");
    assert_eq!(m[0].text, "الرئيس الكازاخستاني قاسم جومارت توكاييف");
    assert_eq!(
        (m[0].code.as_str(), m[0].sector, m[0].kind),
        ("KAZ", Some(Sector::Gov), ActorKind::Person)
    );
    let name = m[0].name.unwrap();
    assert_eq!(
        name.slice("الرئيس الكازاخستاني قاسم جومارت توكاييف طلب المساعدة"),
        "قاسم جومارت توكاييف"
    );

    let m = find("President Tokayev asked for help.");
    assert_eq!(
        (m[0].text.as_str(), m[0].code.as_str(), m[0].kind),
        ("President Tokayev", "", ActorKind::Person)
    );
    assert_eq!(m[0].sector, Some(Sector::Gov));

    has(
        "Iranian Foreign Minister Mohammad Javad Zarif met them.",
        "Iranian Foreign Minister Mohammad Javad Zarif",
        "IRN",
        Some("GOV"),
    );
    has(
        "Kazakh President Kassym-Jomart Tokayev's decree",
        "Kazakh President Kassym-Jomart Tokayev",
        "KAZ",
        Some("GOV"),
    );
    has(
        "Qatar's Emir Sheikh Tamim bin Hamad Al Thani spoke.",
        "Qatar's Emir Sheikh Tamim bin Hamad Al Thani",
        "QAT",
        Some("GOV"),
    );
    has(
        "Gen. Mark Milley spoke.",
        "Gen. Mark Milley",
        "",
        Some("MIL"),
    );
    has(
        "قال الرئيس السوري بشار الأسد إن",
        "الرئيس السوري بشار الأسد",
        "SYR",
        Some("GOV"),
    );
    has(
        "وصل الملك عبد الله الثاني",
        "الملك عبد الله الثاني",
        "",
        Some("GOV"),
    );
    has(
        "قال الرئيس عبد الفتاح السيسي الحكومة",
        "الرئيس عبد الفتاح السيسي",
        "",
        Some("GOV"),
    );
    has(
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره",
        "وزير الخارجية الروسي سيرغي لافروف",
        "RUS",
        Some("GOV"),
    );
    has(
        "استقبل أمير قطر الشيخ تميم بن حمد آل ثاني الوفد",
        "أمير قطر الشيخ تميم بن حمد آل ثاني",
        "QAT",
        Some("GOV"),
    );
    has(
        "قال الرئيس السابق نور سلطان نزارباييف",
        "الرئيس السابق نور سلطان نزارباييف",
        "",
        Some("GOV"),
    );
    // No name: the title stays a role, and stops at verbs and nouns.
    let m = find("أعلن الرئيس حالة الطوارئ");
    assert_eq!((m[0].text.as_str(), m[0].kind), ("الرئيس", ActorKind::Role));
    let m = find("قال الرئيس إن الحكومة ستستقيل");
    assert_eq!(m[0].text, "الرئيس");
    let m = find("The president said on Monday");
    assert_eq!(
        (m[0].text.as_str(), m[0].kind),
        ("president", ActorKind::Role)
    );
}

#[test]
fn spans_point_into_the_whole_text() {
    let text = "Intro sentence. Kazakh police fired. More.";
    let start = text.find("Kazakh").unwrap();
    let end = text.find(" More").unwrap();
    let m = Actors::embedded().find(text, Span::new(start, end), Lang::En);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].span.slice(text), "Kazakh police");
    // A span off the text or off char boundaries gives nothing rather than a panic.
    assert!(Actors::embedded()
        .find(text, Span::new(5, 500), Lang::En)
        .is_empty());
    let ar = "قالت الحكومة";
    assert!(Actors::embedded()
        .find(ar, Span::new(1, ar.len()), Lang::Ar)
        .is_empty());
}

proptest::proptest! {
    #[test]
    fn random_text_never_panics(text in "(\\PC|[ \\.,'\\-]|الحكومة|Kazakh|police|President|قوات الأمن|الرئيس|الكازاخستاني| في |بن|U\\.S\\.){0,40}") {
        let a = Actors::embedded();
        let found = a.find(&text, Span::new(0, text.len()), Lang::Ar);
        let mut last = 0;
        for m in &found {
            proptest::prop_assert!(m.span.start <= m.span.end && m.span.end <= text.len());
            proptest::prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            proptest::prop_assert!(m.span.start >= last, "mentions in text order, not overlapping");
            proptest::prop_assert_eq!(&text[m.span.start..m.span.end], m.text.as_str());
            if let Some(n) = m.name {
                proptest::prop_assert!(m.span.contains(n));
            }
            last = m.span.end;
        }
    }

    #[test]
    fn random_sub_spans_are_safe(text in "\\PC{0,60}", a in 0usize..200, b in 0usize..200) {
        let (s, e) = (a.min(b), a.max(b));
        for m in Actors::embedded().find(&text, Span::new(s, e), Lang::En) {
            proptest::prop_assert!(s <= m.span.start && m.span.end <= e);
        }
    }
}
