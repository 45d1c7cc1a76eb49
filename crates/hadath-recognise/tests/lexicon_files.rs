//! Loading and validating lexicon files: the embedded ones, user folders, and broken files.

use std::path::Path;

use hadath_model::{Lang, Span};
use hadath_recognise::{Actors, LexiconError, Sector};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn err_of(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    match Actors::from_dir(dir.path()) {
        Ok(_) => panic!("{name} should not load:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_embedded_entry_parses_and_is_valid() {
    // from_dir on an empty folder builds exactly the embedded lexicon, but returns errors
    // instead of falling back to an empty lexicon.
    let dir = tempfile::tempdir().unwrap();
    let a = Actors::from_dir(dir.path()).expect("embedded lexicon is valid");
    let mut iso3 = std::collections::HashSet::new();
    for c in a.countries() {
        assert!(
            c.iso3.len() == 3 && c.iso3.chars().all(|c| c.is_ascii_uppercase()),
            "{}",
            c.iso3
        );
        assert!(
            c.iso2.len() == 2 && c.iso2.chars().all(|c| c.is_ascii_uppercase()),
            "{}",
            c.iso2
        );
        assert!(iso3.insert(c.iso3.clone()), "duplicate {}", c.iso3);
        assert!(!c.name_en.is_empty() && !c.name_ar.is_empty(), "{}", c.iso3);
    }
    for o in a.organizations() {
        if let Some(c) = &o.country {
            assert!(
                a.country_by_iso3(c).is_some(),
                "{} has unknown country {c}",
                o.code
            );
        }
        assert!(Sector::parse(o.sector.as_str()).is_some());
    }
    for r in a.roles() {
        assert!(!r.en.is_empty() || !r.ar.is_empty());
    }
}

#[test]
fn load_time_is_small() {
    let dir = tempfile::tempdir().unwrap();
    let t = std::time::Instant::now();
    let a = Actors::from_dir(dir.path()).unwrap();
    let took = t.elapsed();
    println!(
        "actor lexicon: {} keys built in {took:?} (debug build)",
        a.pattern_count()
    );
    assert!(took.as_secs_f64() < 2.0, "building took {took:?}");
}

#[test]
fn user_folder_extends_and_replaces() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "organizations.toml",
        r#"
[[org]]
code = "KZUNION"
sector = "LAB"
country = "KAZ"
name_en = "Oil Workers Union of Mangystau"
name_ar = "نقابة عمال النفط في مانغيستاو"
note = "test entry"

[[org]]
code = "CSTO"
sector = "MIL"
name_en = "Collective Security Treaty Organization"
name_ar = "منظمة معاهدة الأمن الجماعي"
aliases_en = ["CSTO"]
"#,
    );
    write(
        dir.path(),
        "sectors.toml",
        r#"
[[role]]
sector = "COP"
en = ["forces"]
note = "user re-maps a default word"

[[role]]
sector = "PRO"
ar = ["مضربون عن الطعام"]
"#,
    );
    let a = Actors::from_dir(dir.path()).unwrap();
    let text = "The Oil Workers Union of Mangystau and the CSTO forces met.";
    let m = a.find(text, Span::new(0, text.len()), Lang::En);
    assert_eq!(m[0].code, "KAZ");
    assert_eq!(m[0].sector, Some(Sector::Lab));
    assert_eq!(m[1].code, "CSTO");
    assert_eq!(
        m[1].sector,
        Some(Sector::Mil),
        "user CSTO entry replaced the default"
    );
    let text = "The forces left.";
    let m = a.find(text, Span::new(0, text.len()), Lang::En);
    assert_eq!(
        m[0].sector,
        Some(Sector::Cop),
        "user role replaced the default word"
    );
    assert_eq!(a.countries().len(), 249);
}

#[test]
fn replace_flag_drops_defaults() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sectors.toml",
        "replace = true\n[[role]]\nsector = \"GOV\"\nen = [\"junta\"]\n",
    );
    let a = Actors::from_dir(dir.path()).unwrap();
    assert_eq!(a.roles().len(), 1);
    let text = "The junta and the police.";
    let m = a.find(text, Span::new(0, text.len()), Lang::En);
    assert_eq!(m.len(), 1);
}

#[test]
fn bad_files_name_file_and_entry() {
    let e = err_of(
        "sectors.toml",
        "[[role]]\nsector = \"XYZ\"\nen = [\"thing\"]\n",
    );
    assert!(
        e.contains("sectors.toml") && e.contains("thing") && e.contains("XYZ"),
        "{e}"
    );

    let e = err_of(
        "countries.toml",
        "[[country]]\niso2 = \"KZ\"\niso3 = \"kaz\"\nname_en = \"Kazakhstan\"\nname_ar = \"كازاخستان\"\n",
    );
    assert!(e.contains("countries.toml") && e.contains("iso3"), "{e}");

    let e = err_of(
        "organizations.toml",
        "[[org]]\ncode = \"X1\"\nsector = \"NGO\"\ncountry = \"ZZZ\"\nname_en = \"Xone\"\nname_ar = \"اكس\"\n",
    );
    assert!(e.contains("X1") && e.contains("ZZZ"), "{e}");

    // Two user organisations claim one name.
    let e = err_of(
        "organizations.toml",
        "[[org]]\ncode = \"A1\"\nsector = \"NGO\"\nname_en = \"Same Name\"\nname_ar = \"اسم\"\n\n[[org]]\ncode = \"B1\"\nsector = \"NGO\"\nname_en = \"Same Name\"\nname_ar = \"اسم آخر\"\n",
    );
    assert!(e.contains("same name") && e.contains("A1"), "{e}");

    let e = err_of(
        "organizations.toml",
        "[[org]]\ncode = \"A1\"\nsector = \"NGO\"\nname_en = \"Same Name\"\nname_ar = \"Latin\"\n",
    );
    assert!(e.contains("name_ar") && e.contains("Arabic"), "{e}");

    let e = err_of(
        "grammar.toml",
        "modifiers_en = [\"former\"]\nunknown_list = []\n",
    );
    assert!(e.contains("grammar.toml"), "{e}");

    let e = err_of("countries.toml", "this is not toml [");
    assert!(e.contains("countries.toml"), "{e}");
}

#[test]
fn missing_folder_is_an_error() {
    let e = Actors::from_dir(Path::new("/nonexistent/hadath-lexicon")).unwrap_err();
    assert!(matches!(e, LexiconError::Io { .. }));
    assert!(e.to_string().contains("/nonexistent/hadath-lexicon"));
}
