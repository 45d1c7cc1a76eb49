//! The lexicon files: schemas, loading from the embedded defaults or a user folder, validation.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Country, LexiconError, Organization, Sector};

const COUNTRIES: &str = include_str!("../data/countries.toml");
const ORGS: &str = include_str!("../data/organizations.toml");
const SECTORS: &str = include_str!("../data/sectors.toml");
const GRAMMAR: &str = include_str!("../data/grammar.toml");

/// A role or sector word family of `data/sectors.toml` ("police", "الشرطة" → COP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub sector: Sector,
    /// English forms, each listed (singular and plural).
    pub en: Vec<String>,
    /// Arabic forms. A one-word form is written indefinite or with ال; the article, لل and
    /// the proclitics و ف ب ل ك are added by rule. Broken plurals are listed.
    pub ar: Vec<String>,
    /// The word can stand before a person's name ("President", "الرئيس").
    pub title: bool,
    /// The word counts only when a person's name follows ("general", "اللواء").
    pub title_only: bool,
    /// Arabic: also generate the sound forms ـون ـين ـة ـات ـان of each one-word form
    /// (participles such as متظاهر).
    pub sound_plural: bool,
    pub note: String,
    /// True for entries that came from a user folder (they override defaults).
    #[serde(skip)]
    pub(crate) user: bool,
}

/// Word lists that steer how pieces combine (`data/grammar.toml`). All compared as
/// normalised keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grammar {
    /// English words after which a country or capital is a place ("in", "to").
    #[serde(default)]
    pub place_prepositions_en: Vec<String>,
    /// Arabic words after which a country or capital is a place ("في", "إلى").
    #[serde(default)]
    pub place_prepositions_ar: Vec<String>,
    /// Words that may stand between pieces of one actor ("former", "السابق").
    #[serde(default)]
    pub modifiers_en: Vec<String>,
    #[serde(default)]
    pub modifiers_ar: Vec<String>,
    /// Lower-case particles inside English names ("bin", "al", "de").
    #[serde(default)]
    pub name_particles_en: Vec<String>,
    /// Particles inside Arabic names ("بن", "عبد", "آل").
    #[serde(default)]
    pub name_particles_ar: Vec<String>,
    /// Capitalised English words that never start or continue a name after a title.
    #[serde(default)]
    pub name_stop_en: Vec<String>,
    /// Arabic words (verbs, prepositions, particles, common nouns) that end a name.
    #[serde(default)]
    pub name_stop_ar: Vec<String>,
    /// English links between a national adjective and an organisation ("-led", "-backed").
    #[serde(default)]
    pub led_en: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    #[serde(default)]
    replace: bool,
    #[serde(default)]
    country: Vec<Country>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgsFile {
    #[serde(default)]
    replace: bool,
    #[serde(default)]
    org: Vec<RawOrg>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrg {
    code: String,
    sector: String,
    #[serde(default)]
    country: Option<String>,
    name_en: String,
    name_ar: String,
    #[serde(default)]
    aliases_en: Vec<String>,
    #[serde(default)]
    aliases_ar: Vec<String>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectorsFile {
    #[serde(default)]
    replace: bool,
    #[serde(default)]
    role: Vec<RawRole>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    sector: String,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    ar: Vec<String>,
    #[serde(default)]
    title: bool,
    #[serde(default)]
    title_only: bool,
    #[serde(default)]
    sound_plural: bool,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GrammarFile {
    #[serde(default)]
    replace: bool,
    #[serde(flatten)]
    grammar: Grammar,
}

/// Everything the automaton is built from, validated.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub countries: Vec<Country>,
    pub orgs: Vec<Organization>,
    pub roles: Vec<Role>,
    pub grammar: Grammar,
    /// Where each country came from ("countries.toml (embedded)" or a user path), parallel to
    /// `countries`; likewise for orgs and roles. Used in error messages.
    pub country_files: Vec<String>,
    pub org_files: Vec<String>,
    pub role_files: Vec<String>,
    /// True for user entries, parallel to `countries` / `orgs`.
    pub country_user: Vec<bool>,
    pub org_user: Vec<bool>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, LexiconError> {
    toml::from_str(text).map_err(|e| LexiconError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })
}

fn invalid(file: &str, entry: &str, message: impl Into<String>) -> LexiconError {
    LexiconError::Invalid {
        file: file.to_string(),
        entry: entry.to_string(),
        message: message.into(),
    }
}

fn is_upper_ascii(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn has_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Checks that every Arabic field holds Arabic and every English one holds none.
fn check_script(
    file: &str,
    entry: &str,
    field: &str,
    words: &[String],
    arabic: bool,
) -> Result<(), LexiconError> {
    for w in words {
        if w.trim().is_empty() {
            return Err(invalid(
                file,
                entry,
                format!("{field} has an empty string: remove it"),
            ));
        }
        if has_arabic(w) != arabic {
            let want = if arabic { "Arabic" } else { "Latin" };
            return Err(invalid(
                file,
                entry,
                format!("{field} holds {w:?}, which is not in {want} script: move it to the other language's field"),
            ));
        }
    }
    Ok(())
}

fn parse_sector(file: &str, entry: &str, code: &str) -> Result<Sector, LexiconError> {
    Sector::parse(code).ok_or_else(|| {
        let known: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
        invalid(
            file,
            entry,
            format!(
                "unknown sector code {code:?}; use one of {}",
                known.join(", ")
            ),
        )
    })
}

fn validate_country(file: &str, c: &Country) -> Result<(), LexiconError> {
    let entry = if c.iso3.is_empty() {
        c.name_en.as_str()
    } else {
        c.iso3.as_str()
    };
    if !is_upper_ascii(&c.iso2, 2) {
        return Err(invalid(
            file,
            entry,
            format!("iso2 {:?} is not two upper-case letters", c.iso2),
        ));
    }
    if !is_upper_ascii(&c.iso3, 3) {
        return Err(invalid(
            file,
            entry,
            format!("iso3 {:?} is not three upper-case letters", c.iso3),
        ));
    }
    check_script(
        file,
        entry,
        "name_en",
        std::slice::from_ref(&c.name_en),
        false,
    )?;
    check_script(
        file,
        entry,
        "name_ar",
        std::slice::from_ref(&c.name_ar),
        true,
    )?;
    check_script(file, entry, "aliases_en", &c.aliases_en, false)?;
    check_script(file, entry, "aliases_ar", &c.aliases_ar, true)?;
    check_script(file, entry, "demonyms_en", &c.demonyms_en, false)?;
    check_script(file, entry, "demonyms_ar", &c.demonyms_ar, true)?;
    if let Some(cap) = &c.capital_en {
        check_script(file, entry, "capital_en", std::slice::from_ref(cap), false)?;
    }
    if let Some(cap) = &c.capital_ar {
        check_script(file, entry, "capital_ar", std::slice::from_ref(cap), true)?;
    }
    check_script(
        file,
        entry,
        "capital_aliases_en",
        &c.capital_aliases_en,
        false,
    )?;
    check_script(
        file,
        entry,
        "capital_aliases_ar",
        &c.capital_aliases_ar,
        true,
    )?;
    let names: HashSet<&str> = std::iter::once(c.name_en.as_str())
        .chain(std::iter::once(c.name_ar.as_str()))
        .chain(c.aliases_en.iter().map(String::as_str))
        .chain(c.aliases_ar.iter().map(String::as_str))
        .chain(c.demonyms_en.iter().map(String::as_str))
        .chain(c.demonyms_ar.iter().map(String::as_str))
        .chain(c.capital_en.iter().map(String::as_str))
        .chain(c.capital_ar.iter().map(String::as_str))
        .chain(c.capital_aliases_en.iter().map(String::as_str))
        .chain(c.capital_aliases_ar.iter().map(String::as_str))
        .collect();
    for n in &c.no_match {
        if !names.contains(n.as_str()) {
            return Err(invalid(
                file,
                entry,
                format!(
                    "no_match lists {n:?}, which is none of this country's names: fix the spelling"
                ),
            ));
        }
    }
    Ok(())
}

fn convert_org(file: &str, r: RawOrg) -> Result<Organization, LexiconError> {
    let entry = r.code.clone();
    if r.code.is_empty()
        || !r
            .code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return Err(invalid(
            file,
            &entry,
            "code must be upper-case ASCII letters, digits, '_' or '-' (like \"CSTO\")",
        ));
    }
    let sector = parse_sector(file, &entry, &r.sector)?;
    if let Some(c) = &r.country {
        if !is_upper_ascii(c, 3) {
            return Err(invalid(
                file,
                &entry,
                format!("country {c:?} is not an ISO3 code"),
            ));
        }
    }
    check_script(
        file,
        &entry,
        "name_en",
        std::slice::from_ref(&r.name_en),
        false,
    )?;
    check_script(
        file,
        &entry,
        "name_ar",
        std::slice::from_ref(&r.name_ar),
        true,
    )?;
    check_script(file, &entry, "aliases_en", &r.aliases_en, false)?;
    check_script(file, &entry, "aliases_ar", &r.aliases_ar, true)?;
    Ok(Organization {
        code: r.code,
        sector,
        country: r.country,
        name_en: r.name_en,
        name_ar: r.name_ar,
        aliases_en: r.aliases_en,
        aliases_ar: r.aliases_ar,
        note: r.note,
    })
}

fn convert_role(file: &str, index: usize, r: RawRole, user: bool) -> Result<Role, LexiconError> {
    let entry = match (r.en.first(), r.ar.first()) {
        (Some(w), _) | (None, Some(w)) => format!("role #{} ({w})", index + 1),
        (None, None) => format!("role #{}", index + 1),
    };
    let sector = parse_sector(file, &entry, &r.sector)?;
    if r.en.is_empty() && r.ar.is_empty() {
        return Err(invalid(file, &entry, "has neither `en` nor `ar` words"));
    }
    check_script(file, &entry, "en", &r.en, false)?;
    check_script(file, &entry, "ar", &r.ar, true)?;
    Ok(Role {
        sector,
        en: r.en,
        ar: r.ar,
        title: r.title || r.title_only,
        title_only: r.title_only,
        sound_plural: r.sound_plural,
        note: r.note,
        user,
    })
}

impl Sources {
    /// The embedded default files, validated.
    pub fn embedded() -> Result<Sources, LexiconError> {
        let mut s = Sources::default();
        s.add_countries("countries.toml (embedded)", COUNTRIES, false)?;
        s.add_orgs("organizations.toml (embedded)", ORGS, false)?;
        s.add_roles("sectors.toml (embedded)", SECTORS, false)?;
        s.add_grammar("grammar.toml (embedded)", GRAMMAR)?;
        s.finish()?;
        Ok(s)
    }

    /// Adds (or substitutes) the files found in `dir`.
    pub fn extend_from_dir(&mut self, dir: &Path) -> Result<(), LexiconError> {
        if !dir.is_dir() {
            return Err(LexiconError::Io {
                path: dir.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not a directory: give a folder holding countries.toml, organizations.toml, sectors.toml or grammar.toml",
                ),
            });
        }
        let read = |name: &str| -> Result<Option<(String, String)>, LexiconError> {
            let path = dir.join(name);
            if !path.exists() {
                return Ok(None);
            }
            let text = std::fs::read_to_string(&path).map_err(|source| LexiconError::Io {
                path: path.display().to_string(),
                source,
            })?;
            Ok(Some((path.display().to_string(), text)))
        };
        if let Some((file, text)) = read("countries.toml")? {
            self.add_countries(&file, &text, true)?;
        }
        if let Some((file, text)) = read("organizations.toml")? {
            self.add_orgs(&file, &text, true)?;
        }
        if let Some((file, text)) = read("sectors.toml")? {
            self.add_roles(&file, &text, true)?;
        }
        if let Some((file, text)) = read("grammar.toml")? {
            self.add_grammar(&file, &text)?;
        }
        self.finish()
    }

    fn add_countries(&mut self, file: &str, text: &str, user: bool) -> Result<(), LexiconError> {
        let f: CountriesFile = parse(file, text)?;
        if f.replace {
            self.countries.clear();
            self.country_files.clear();
            self.country_user.clear();
        }
        let mut seen = HashSet::new();
        for c in f.country {
            validate_country(file, &c)?;
            if !seen.insert(c.iso3.clone()) {
                return Err(invalid(
                    file,
                    &c.iso3,
                    "iso3 appears twice in this file: merge the entries",
                ));
            }
            if let Some(i) = self.countries.iter().position(|x| x.iso3 == c.iso3) {
                // A user entry with a known ISO3 replaces the default one.
                self.countries[i] = c;
                self.country_files[i] = file.to_string();
                self.country_user[i] = user;
            } else {
                self.countries.push(c);
                self.country_files.push(file.to_string());
                self.country_user.push(user);
            }
        }
        Ok(())
    }

    fn add_orgs(&mut self, file: &str, text: &str, user: bool) -> Result<(), LexiconError> {
        let f: OrgsFile = parse(file, text)?;
        if f.replace {
            self.orgs.clear();
            self.org_files.clear();
            self.org_user.clear();
        }
        let mut seen = HashSet::new();
        for r in f.org {
            let o = convert_org(file, r)?;
            if !seen.insert(o.code.clone()) {
                return Err(invalid(
                    file,
                    &o.code,
                    "code appears twice in this file: merge the entries",
                ));
            }
            if let Some(i) = self.orgs.iter().position(|x| x.code == o.code) {
                self.orgs[i] = o;
                self.org_files[i] = file.to_string();
                self.org_user[i] = user;
            } else {
                self.orgs.push(o);
                self.org_files.push(file.to_string());
                self.org_user.push(user);
            }
        }
        Ok(())
    }

    fn add_roles(&mut self, file: &str, text: &str, user: bool) -> Result<(), LexiconError> {
        let f: SectorsFile = parse(file, text)?;
        if f.replace {
            self.roles.clear();
            self.role_files.clear();
        }
        for (i, r) in f.role.into_iter().enumerate() {
            self.roles.push(convert_role(file, i, r, user)?);
            self.role_files.push(file.to_string());
        }
        Ok(())
    }

    fn add_grammar(&mut self, file: &str, text: &str) -> Result<(), LexiconError> {
        let f: GrammarFile = parse(file, text)?;
        let g = f.grammar;
        let lists = [
            ("place_prepositions_en", &g.place_prepositions_en, false),
            ("place_prepositions_ar", &g.place_prepositions_ar, true),
            ("modifiers_en", &g.modifiers_en, false),
            ("modifiers_ar", &g.modifiers_ar, true),
            ("name_particles_en", &g.name_particles_en, false),
            ("name_particles_ar", &g.name_particles_ar, true),
            ("name_stop_en", &g.name_stop_en, false),
            ("name_stop_ar", &g.name_stop_ar, true),
            ("led_en", &g.led_en, false),
        ];
        for (field, words, arabic) in lists {
            check_script(file, field, field, words, arabic)?;
        }
        if f.replace {
            self.grammar = g;
        } else {
            let t = &mut self.grammar;
            t.place_prepositions_en.extend(g.place_prepositions_en);
            t.place_prepositions_ar.extend(g.place_prepositions_ar);
            t.modifiers_en.extend(g.modifiers_en);
            t.modifiers_ar.extend(g.modifiers_ar);
            t.name_particles_en.extend(g.name_particles_en);
            t.name_particles_ar.extend(g.name_particles_ar);
            t.name_stop_en.extend(g.name_stop_en);
            t.name_stop_ar.extend(g.name_stop_ar);
            t.led_en.extend(g.led_en);
        }
        Ok(())
    }

    /// Cross-file checks: iso2 unique, organisation countries exist; sorts countries by ISO3.
    fn finish(&mut self) -> Result<(), LexiconError> {
        let mut order: Vec<usize> = (0..self.countries.len()).collect();
        order.sort_by(|&a, &b| self.countries[a].iso3.cmp(&self.countries[b].iso3));
        fn reorder<T>(v: &mut Vec<T>, order: &[usize]) {
            let mut old: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
            *v = order
                .iter()
                .filter_map(|&i| old.get_mut(i).and_then(Option::take))
                .collect();
        }
        reorder(&mut self.countries, &order);
        reorder(&mut self.country_files, &order);
        reorder(&mut self.country_user, &order);
        let mut iso2 = HashSet::new();
        for (c, file) in self.countries.iter().zip(&self.country_files) {
            if !iso2.insert(c.iso2.as_str()) {
                return Err(invalid(
                    file,
                    &c.iso3,
                    format!("iso2 {:?} is used by another country", c.iso2),
                ));
            }
        }
        let iso3: HashSet<&str> = self.countries.iter().map(|c| c.iso3.as_str()).collect();
        for (o, file) in self.orgs.iter().zip(&self.org_files) {
            if let Some(c) = &o.country {
                if !iso3.contains(c.as_str()) {
                    return Err(invalid(
                        file,
                        &o.code,
                        format!("country {c:?} is not an ISO3 code of the country table"),
                    ));
                }
            }
        }
        Ok(())
    }
}
