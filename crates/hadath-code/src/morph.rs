//! Light morphology over match keys (already folded by `hadath_normalize`).
//!
//! Lexicons hold base forms; [`english_forms`] and [`arabic_forms`] expand each base form
//! into the surface forms it takes in text, once, at load time. At match time an English
//! token is looked up as it is; an Arabic token is looked up after each way of removing its
//! proclitics ([`arabic_splits`]). A table lookup per candidate keeps coding fast.

/// How a surface form relates to its base form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Form {
    /// The base form itself or a nominal / perfect-verb inflection.
    Plain,
    /// An Arabic imperfect verb form (prefix ي ت ن ا): "may" after قد, future after سـ.
    Imperfect,
    /// An Arabic perfect verb with a subject or object suffix (تظاهروا, قتلته).
    Verb,
}

/// English inflections of a lemma: plural / third person, past, gerund, plus irregular forms.
///
/// ```text
/// arrest -> arrest arrests arrested arresting
/// seize  -> seize seizes seized seizing
/// ban    -> ban bans banned banning (and the undoubled forms)
/// rally  -> rally rallies rallied rallying
/// ```
pub(crate) fn english_forms(lemma: &str, irregular: &[String]) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    out.extend(irregular.iter().cloned());
    let b = lemma.as_bytes();
    let n = b.len();
    if n < 2 || !lemma.bytes().all(|c| c.is_ascii_lowercase()) {
        return dedup(out);
    }
    let last = b[n - 1];
    let prev = b[n - 2];
    let is_vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    // -s / -es / -ies
    if last == b'y' && !is_vowel(prev) {
        out.push(format!("{}ies", &lemma[..n - 1]));
        out.push(format!("{}ied", &lemma[..n - 1]));
    } else if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
        || lemma.ends_with('o')
    {
        out.push(format!("{lemma}es"));
    } else {
        out.push(format!("{lemma}s"));
    }
    // -ed / -ing
    if last == b'e' {
        out.push(format!("{lemma}d"));
        if !lemma.ends_with("ee") {
            out.push(format!("{}ing", &lemma[..n - 1]));
        } else {
            out.push(format!("{lemma}ing"));
        }
    } else if last == b'y' && !is_vowel(prev) {
        out.push(format!("{lemma}ing"));
    } else {
        out.push(format!("{lemma}ed"));
        out.push(format!("{lemma}ing"));
        // Consonant doubling after a single short vowel: ban -> banned, stop -> stopping.
        let cvc = !is_vowel(last)
            && !matches!(last, b'w' | b'x' | b'y')
            && is_vowel(prev)
            && (n < 3 || !is_vowel(b[n - 3]));
        if cvc {
            let c = last as char;
            out.push(format!("{lemma}{c}ed"));
            out.push(format!("{lemma}{c}ing"));
        }
    }
    // Agent nouns and British/American variants are separate lexicon entries.
    dedup(out)
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Which Arabic inflections to generate for a base form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArPos {
    Verb,
    Noun,
    Any,
    Exact,
}

const AR_PERFECT_SUFFIXES: &[&str] = &[
    "", "ت", "وا", "ا", "تا", "ن", "تم", "نا", "تن", "ه", "ها", "هم", "هما", "وه", "وها", "وهم",
    "ته", "تها", "تهم", "ني", "وهما",
];
const AR_IMPERFECT_PREFIXES: &[&str] = &["ي", "ت", "ن", "ا"];
const AR_IMPERFECT_SUFFIXES: &[&str] = &[
    "", "ون", "ان", "ن", "ين", "وا", "ه", "ها", "هم", "ونه", "ونها", "ونهم", "وه", "وهم",
];
const AR_NOUN_SUFFIXES: &[&str] = &[
    "", "ات", "ون", "ين", "ان", "ي", "ا", "ه", "ها", "هم", "هما", "نا", "كم", "يه", "يين", "يات",
    "يا", "اتها", "اتهم", "يه", "ان",
];
const AR_FEM_SUFFIXES: &[&str] = &[
    "ه", "ات", "تين", "تان", "ته", "تها", "تهم", "تنا", "يه", "يات", "ا", "اتها", "اتهم", "تي",
];

/// Arabic surface forms (without proclitics) of a folded base form, each with its [`Form`].
///
/// Verbs are given as the perfect third person masculine singular (تظاهر, اعتقل, اعتدى);
/// the imperfect drops the initial alef of derived forms (اعتقل → يعتقل). Nouns take sound
/// plural, dual, nisba and pronoun suffixes; a final ة (folded ه) becomes ت before suffixes.
pub(crate) fn arabic_forms(base: &str, pos: ArPos) -> Vec<(String, Form)> {
    let mut out: Vec<(String, Form)> = vec![(base.to_string(), Form::Plain)];
    if pos == ArPos::Exact || base.chars().count() < 2 {
        return out;
    }
    if matches!(pos, ArPos::Verb | ArPos::Any) {
        let weak = base.ends_with('ي') || base.ends_with('ا');
        let stem_short = if weak {
            base.strip_suffix('ي')
                .or_else(|| base.strip_suffix('ا'))
                .unwrap_or(base)
        } else {
            base
        };
        for s in AR_PERFECT_SUFFIXES {
            let kind = if s.is_empty() {
                Form::Plain
            } else {
                Form::Verb
            };
            out.push((format!("{base}{s}"), kind));
            if weak && !s.is_empty() {
                out.push((format!("{stem_short}{s}"), Form::Verb));
            }
        }
        let imp_stem = base.strip_prefix('ا').unwrap_or(base);
        let imp_short = if weak {
            imp_stem
                .strip_suffix('ي')
                .or_else(|| imp_stem.strip_suffix('ا'))
                .unwrap_or(imp_stem)
        } else {
            imp_stem
        };
        for p in AR_IMPERFECT_PREFIXES {
            for s in AR_IMPERFECT_SUFFIXES {
                out.push((format!("{p}{imp_stem}{s}"), Form::Imperfect));
                if weak {
                    out.push((format!("{p}{imp_short}{s}"), Form::Imperfect));
                    out.push((format!("{p}{imp_short}ي{s}"), Form::Imperfect));
                }
            }
        }
    }
    if matches!(pos, ArPos::Noun | ArPos::Any) {
        if let Some(stem) = base.strip_suffix('ه') {
            for s in AR_FEM_SUFFIXES {
                out.push((format!("{stem}{s}"), Form::Plain));
            }
        } else {
            for s in AR_NOUN_SUFFIXES {
                out.push((format!("{base}{s}"), Form::Plain));
            }
        }
    }
    // A form generated both as plain and imperfect keeps the plain reading.
    let mut seen = std::collections::HashMap::new();
    for (f, k) in out {
        seen.entry(f)
            .and_modify(|e: &mut Form| {
                if k == Form::Plain {
                    *e = Form::Plain;
                }
            })
            .or_insert(k);
    }
    seen.into_iter().collect()
}

/// One way of reading an Arabic token: the stem left after removing proclitics, and which
/// proclitics were removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub stem: &'a str,
    /// The future prefix سـ was removed.
    pub future: bool,
    /// The article ال or a preposition ب/ك was removed: the stem is a noun, not a verb.
    pub nominal: bool,
    /// A bare ل was removed: before an imperfect verb it means "in order to".
    pub purpose: bool,
}

/// At most this many splits: per conjunction reading, the whole rest plus one proclitic
/// chain (سـ; or لل; or ب/ل/ك with and without ال; or ال): four; two conjunction readings.
const MAX_SPLITS: usize = 8;

/// The splits of one token, on the stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Splits<'a> {
    len: usize,
    items: [Split<'a>; MAX_SPLITS],
}

impl Default for Splits<'_> {
    fn default() -> Self {
        let empty = Split {
            stem: "",
            future: false,
            nominal: false,
            purpose: false,
        };
        Splits {
            len: 0,
            items: [empty; MAX_SPLITS],
        }
    }
}

impl<'a> Splits<'a> {
    /// Adds a split unless one with the same stem is already there (the first reading wins).
    fn push(&mut self, s: Split<'a>) {
        if self.iter().any(|d| d.stem == s.stem) {
            return;
        }
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = s;
            self.len += 1;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Split<'a>> {
        self.items.iter().take(self.len)
    }
}

/// Every proclitic split of a folded Arabic token, the whole token first.
///
/// Proclitics, in order: a conjunction (و or ف), then the future prefix سـ, or a preposition
/// (ب ل ك), then the article ال (لل after ل). Stems shorter than two letters are skipped.
///
/// ```text
/// والمتظاهرين -> والمتظاهرين, المتظاهرين, متظاهرين
/// وسيتظاهرون  -> وسيتظاهرون, سيتظاهرون, يتظاهرون (future)
/// للمتظاهرين  -> للمتظاهرين, متظاهرين
/// ```
#[cfg(test)]
pub(crate) fn arabic_splits(token: &str) -> Vec<Split<'_>> {
    let mut out = Splits::default();
    arabic_splits_into(token, &mut out);
    out.iter().copied().collect()
}

/// [`arabic_splits`] into a stack buffer (`out` is cleared first).
pub(crate) fn arabic_splits_into<'a>(token: &'a str, out: &mut Splits<'a>) {
    // At least two letters (chars, not bytes).
    let ok = |s: &str| s.chars().nth(1).is_some();
    out.len = 0;
    let mut conj_rests: [Option<&'a str>; 2] = [Some(token), None];
    if let Some(r) = token.strip_prefix('و').or_else(|| token.strip_prefix('ف')) {
        if ok(r) {
            conj_rests[1] = Some(r);
        }
    }
    for rest in conj_rests.into_iter().flatten() {
        let split = |stem, future, nominal, purpose| Split {
            stem,
            future,
            nominal,
            purpose,
        };
        if ok(rest) {
            out.push(split(rest, false, false, false));
        }
        if let Some(r) = rest.strip_prefix('س') {
            if ok(r) {
                out.push(split(r, true, false, false));
            }
        }
        if let Some(r) = rest.strip_prefix("لل") {
            if ok(r) {
                out.push(split(r, false, true, false));
            }
        }
        for p in ['ب', 'ل', 'ك'] {
            if let Some(r) = rest.strip_prefix(p) {
                if ok(r) {
                    out.push(split(r, false, p != 'ل', p == 'ل'));
                    if let Some(r2) = r.strip_prefix("ال") {
                        if ok(r2) {
                            out.push(split(r2, false, true, false));
                        }
                    }
                }
            }
        }
        if let Some(r2) = rest.strip_prefix("ال") {
            if ok(r2) {
                out.push(split(r2, false, true, false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(forms: &[String], f: &str) -> bool {
        forms.iter().any(|x| x == f)
    }

    #[test]
    fn english_inflections() {
        let table: &[(&str, &[&str])] = &[
            ("arrest", &["arrests", "arrested", "arresting"]),
            ("seize", &["seizes", "seized", "seizing"]),
            ("ban", &["bans", "banned", "banning"]),
            ("rally", &["rallies", "rallied", "rallying"]),
            ("free", &["frees", "freed", "freeing"]),
            ("push", &["pushes", "pushed"]),
            ("stop", &["stopped", "stopping"]),
        ];
        for (lemma, forms) in table {
            let got = english_forms(lemma, &[]);
            for f in *forms {
                assert!(has(&got, f), "{lemma} -> {f} missing from {got:?}");
            }
        }
        let got = english_forms("withdraw", &["withdrew".into(), "withdrawn".into()]);
        assert!(has(&got, "withdrew") && has(&got, "withdrawing"));
    }

    fn ar_has(base: &str, pos: ArPos, form: &str) -> Option<Form> {
        arabic_forms(base, pos)
            .into_iter()
            .find(|(f, _)| f == form)
            .map(|(_, k)| k)
    }

    #[test]
    fn arabic_verb_forms() {
        // before (base, pos) -> after (a surface form it must generate)
        let table = [
            ("تظاهر", "تظاهروا"),
            ("تظاهر", "يتظاهرون"),
            ("اعتقل", "يعتقلون"),
            ("اعتقل", "اعتقلت"),
            ("اعتدي", "اعتدوا"),
            ("اعتدي", "يعتدون"),
            ("هاجم", "هاجموا"),
            ("احتج", "يحتجون"),
        ];
        for (base, form) in table {
            assert!(
                ar_has(base, ArPos::Verb, form).is_some(),
                "{base} -> {form}"
            );
        }
        assert_eq!(
            ar_has("تظاهر", ArPos::Verb, "يتظاهرون"),
            Some(Form::Imperfect)
        );
        assert_eq!(ar_has("تظاهر", ArPos::Verb, "تظاهروا"), Some(Form::Verb));
    }

    #[test]
    fn arabic_noun_forms() {
        let table = [
            ("مظاهره", "مظاهرات"),
            ("مظاهره", "مظاهرتين"),
            ("متظاهر", "متظاهرون"),
            ("متظاهر", "متظاهرين"),
            ("احتجاج", "احتجاجات"),
            ("احتجاج", "احتجاجيه"),
            ("محتج", "محتجين"),
        ];
        for (base, form) in table {
            assert!(
                ar_has(base, ArPos::Noun, form).is_some(),
                "{base} -> {form}"
            );
        }
        assert!(ar_has("مظاهره", ArPos::Exact, "مظاهرات").is_none());
    }

    /// The allocating reference version the stack version replaced.
    fn reference_splits(token: &str) -> Vec<Split<'_>> {
        let ok = |s: &str| s.chars().count() >= 2;
        let mut out: Vec<Split<'_>> = Vec::new();
        let mut conj_rests: Vec<&str> = vec![token];
        if let Some(r) = token.strip_prefix('و').or_else(|| token.strip_prefix('ف')) {
            if ok(r) {
                conj_rests.push(r);
            }
        }
        for rest in conj_rests {
            let split = |stem, future, nominal, purpose| Split {
                stem,
                future,
                nominal,
                purpose,
            };
            if ok(rest) {
                out.push(split(rest, false, false, false));
            }
            if let Some(r) = rest.strip_prefix('س') {
                if ok(r) {
                    out.push(split(r, true, false, false));
                }
            }
            if let Some(r) = rest.strip_prefix("لل") {
                if ok(r) {
                    out.push(split(r, false, true, false));
                }
            }
            for p in ['ب', 'ل', 'ك'] {
                if let Some(r) = rest.strip_prefix(p) {
                    if ok(r) {
                        out.push(split(r, false, p != 'ل', p == 'ل'));
                        if let Some(r2) = r.strip_prefix("ال") {
                            if ok(r2) {
                                out.push(split(r2, false, true, false));
                            }
                        }
                    }
                }
            }
            if let Some(r2) = rest.strip_prefix("ال") {
                if ok(r2) {
                    out.push(split(r2, false, true, false));
                }
            }
        }
        let mut dedup: Vec<Split<'_>> = Vec::new();
        for s in out {
            if !dedup.iter().any(|d| d.stem == s.stem) {
                dedup.push(s);
            }
        }
        dedup
    }

    #[test]
    fn stack_splits_match_the_reference_on_proclitic_chains() {
        // Every chain of the proclitic letters, so the fixed capacity is exercised.
        let letters = ["و", "ف", "س", "ل", "ب", "ك", "ا", "ل", "م"];
        let mut words = vec![String::new()];
        let mut last = words.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| letters.iter().map(move |l| format!("{w}{l}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        for w in &words {
            let t = format!("{w}تظاهر");
            assert_eq!(arabic_splits(&t), reference_splits(&t), "{t}");
            assert_eq!(arabic_splits(w), reference_splits(w), "{w}");
        }
    }

    proptest::proptest! {
        #[test]
        fn stack_splits_match_the_reference(t in "[\u{0621}-\u{064A}a-z]{0,12}") {
            proptest::prop_assert_eq!(arabic_splits(&t), reference_splits(&t));
        }
    }

    #[test]
    fn arabic_proclitic_splits() {
        let stems = |t: &str| {
            arabic_splits(t)
                .into_iter()
                .map(|s| (s.stem.to_string(), s.future))
                .collect::<Vec<_>>()
        };
        let s = stems("والمتظاهرين");
        assert!(s.contains(&("متظاهرين".into(), false)), "{s:?}");
        let s = stems("وسيتظاهرون");
        assert!(s.contains(&("يتظاهرون".into(), true)), "{s:?}");
        let s = stems("للمتظاهرين");
        assert!(s.contains(&("متظاهرين".into(), false)), "{s:?}");
        let s = stems("بالحجاره");
        assert!(s.contains(&("حجاره".into(), false)), "{s:?}");
        assert_eq!(stems("لم")[0], ("لم".into(), false));
    }
}
