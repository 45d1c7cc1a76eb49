//! Quantities: counts of people and property in Arabic and English, with their role.
//!
//! A quantity is a number (digits, Arabic-Indic digits, number words, or a vague plural such as
//! عشرات or "dozens"), an optional approximator before it ("at least", حوالي), and the noun it
//! counts. Conventions:
//! - A vague plural standing alone takes the value of one unit, a lower bound, and is approximate:
//!   عشرات/tens → 10, dozens → 12, scores → 20, مئات/hundreds → 100, آلاف/thousands → 1000;
//!   "عشرات الآلاف"/"tens of thousands" → 10 000. Bounds ("at least", "more than", أكثر من) are
//!   approximate too.
//! - A number is reported only when it counts something: it is followed by a people, role or
//!   property noun ("12 people", "120 متجرًا", "عشرات المتظاهرين"), or (for digits and large
//!   words) a role cue sits right next to it ("killing 12", "30 were injured").
//! - The role comes from a role noun that decides alone ("12 dead", "30 جريحا"), else the nearest
//!   role cue in the sentence (forward up to 4 tokens, back up to 8, 15 for property lists such as
//!   "نهبوا 120 متجرًا ونحو 100 مكتب"), else from a participant noun ("protesters"), else `Other`.
//! - Property nouns give `object` (shops, offices, restaurants, vehicles, buildings, homes); a
//!   following "and cafés"/"ومقهى" of the same kind is merged into the span.
//! - Never quantities: years (1900–2100 with no counted noun after them), day numbers of dates
//!   ("19 يناير", "January 5"), numbers glued to letters or signs ("G20", "COVID-19", "5th",
//!   "10:30", "50%", "$5", "+7"), phone-like runs of numbers, and measures ("5 years", "10 km").
//! - The span runs from the approximator (or the number) to the counted noun (or the number).

use std::sync::OnceLock;

use hadath_model::{Lang, Span};
use serde::{Deserialize, Serialize};

use crate::date::DateLexicon;
use crate::text::{Openers, PhraseSet, Tokens};
use crate::{parse_toml, phrase_set, LexiconError};

/// What a counted quantity is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participants,
    Killed,
    Injured,
    Arrested,
    Displaced,
    Damaged,
    Looted,
    Other,
}

/// A counted quantity found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    /// Byte span: approximator, number and counted noun.
    pub span: Span,
    pub value: u64,
    /// Approximate, vague or a bound ("about", "at least", عشرات).
    pub approx: bool,
    pub role: Role,
    /// The kind of property counted ("shops", "offices", "restaurants", "vehicles", "buildings",
    /// "homes"); `None` for people.
    pub object: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum NumKind {
    #[default]
    Unit,
    Scale,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    numbers: Vec<NumEntry>,
    words: Words,
    people: People,
    roles: Vec<RoleEntry>,
    objects: Vec<ObjectEntry>,
    property_roles: Vec<PropertyRole>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NumEntry {
    words: Vec<String>,
    value: u64,
    #[serde(default)]
    kind: NumKind,
    #[serde(default)]
    plural: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    approx_before: Vec<String>,
    approx_after: Vec<String>,
    of_words: Vec<String>,
    and_words: Vec<String>,
    veto_after: Vec<String>,
    veto_before: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct People {
    nouns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleEntry {
    role: Role,
    strong: bool,
    nouns: Vec<String>,
    cues: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObjectEntry {
    object: String,
    nouns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertyRole {
    role: Role,
    cues: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    scale: bool,
    plural: bool,
}

/// The compiled quantity lexicon.
#[derive(Debug, Clone)]
pub struct QuantityLexicon {
    numbers: PhraseSet<Num>,
    approx_before: PhraseSet<()>,
    approx_after: PhraseSet<()>,
    of_words: PhraseSet<()>,
    and_words: PhraseSet<()>,
    veto_after: PhraseSet<()>,
    veto_before: PhraseSet<()>,
    people: PhraseSet<()>,
    role_nouns: PhraseSet<(Role, bool)>,
    people_cues: PhraseSet<Role>,
    objects: PhraseSet<String>,
    property_cues: PhraseSet<Role>,
    /// First words of approximators and number words.
    openers: Openers,
}

/// The default lexicon's source (`data/quantities.toml`).
pub const DEFAULT_LEXICON: &str = include_str!("../data/quantities.toml");

impl QuantityLexicon {
    /// Parses and validates a lexicon in the format of `data/quantities.toml`.
    pub fn from_toml(src: &str) -> Result<QuantityLexicon, LexiconError> {
        const NAME: &str = "quantities";
        let f: File = parse_toml(NAME, src)?;
        let bad = |p: String| LexiconError::invalid(NAME, p);
        let mut numbers = PhraseSet::default();
        for n in &f.numbers {
            if n.value == 0 || n.value > 1_000_000_000_000 {
                return Err(bad(format!(
                    "number {:?}: value {} is not in 1..=10^12",
                    n.words, n.value
                )));
            }
            if n.plural && n.kind != NumKind::Scale {
                return Err(bad(format!(
                    "number {:?}: only a scale word can be plural",
                    n.words
                )));
            }
            let num = Num {
                value: n.value as f64,
                scale: n.kind == NumKind::Scale,
                plural: n.plural,
            };
            numbers
                .insert_all(&n.words, num)
                .map_err(|e| bad(format!("numbers: {e}")))?;
        }
        let mut role_nouns = PhraseSet::default();
        let mut people_cues = PhraseSet::default();
        for r in &f.roles {
            if matches!(r.role, Role::Damaged | Role::Looted | Role::Other) {
                return Err(bad(format!(
                    "roles: {:?} is a property role or Other; list it under property_roles",
                    r.role
                )));
            }
            role_nouns
                .insert_all(&r.nouns, (r.role, r.strong))
                .map_err(|e| bad(format!("roles: {e}")))?;
            people_cues
                .insert_all(&r.nouns, r.role)
                .and_then(|()| people_cues.insert_all(&r.cues, r.role))
                .map_err(|e| bad(format!("roles: {e}")))?;
        }
        let mut objects = PhraseSet::default();
        for o in &f.objects {
            if o.object.trim().is_empty() || o.nouns.is_empty() {
                return Err(bad(
                    "objects: an entry has no object name or no nouns".into()
                ));
            }
            objects
                .insert_all(&o.nouns, o.object.clone())
                .map_err(|e| bad(format!("objects: {e}")))?;
        }
        let mut property_cues = PhraseSet::default();
        for p in &f.property_roles {
            if !matches!(p.role, Role::Damaged | Role::Looted) {
                return Err(bad(format!(
                    "property_roles: {:?} is not damaged or looted",
                    p.role
                )));
            }
            property_cues
                .insert_all(&p.cues, p.role)
                .map_err(|e| bad(format!("property_roles: {e}")))?;
        }
        let w = &f.words;
        let set = |field: &str, v: &[String]| phrase_set(NAME, field, v, ());
        let mut lex = QuantityLexicon {
            numbers,
            approx_before: set("approx_before", &w.approx_before)?,
            approx_after: set("approx_after", &w.approx_after)?,
            of_words: set("of_words", &w.of_words)?,
            and_words: set("and_words", &w.and_words)?,
            veto_after: set("veto_after", &w.veto_after)?,
            veto_before: set("veto_before", &w.veto_before)?,
            people: set("people.nouns", &f.people.nouns)?,
            role_nouns,
            people_cues,
            objects,
            property_cues,
            openers: Openers::default(),
        };
        let mut o = Openers::default();
        o.add(&lex.approx_before);
        o.add(&lex.numbers);
        lex.openers = o;
        Ok(lex)
    }

    /// The built-in lexicon (`data/quantities.toml`), parsed once.
    pub fn builtin() -> Result<&'static QuantityLexicon, &'static LexiconError> {
        static LEX: OnceLock<Result<QuantityLexicon, LexiconError>> = OnceLock::new();
        LEX.get_or_init(|| QuantityLexicon::from_toml(DEFAULT_LEXICON))
            .as_ref()
    }
}

/// All counted quantities in `span` of `text`, with the built-in lexicon. `lang` is a hint
/// only: both languages' words are always active.
pub fn find_quantities(text: &str, span: Span, lang: Lang) -> Vec<Quantity> {
    match QuantityLexicon::builtin() {
        Ok(lex) => find_quantities_with(lex, text, span, lang),
        Err(_) => Vec::new(),
    }
}

/// [`find_quantities`] with a lexicon of your own.
pub fn find_quantities_with(
    lex: &QuantityLexicon,
    text: &str,
    span: Span,
    _lang: Lang,
) -> Vec<Quantity> {
    match Tokens::new(text, span) {
        Some(t) => quantities_in(lex, &t),
        None => Vec::new(),
    }
}

/// The quantities in tokens already made.
pub(crate) fn quantities_in(lex: &QuantityLexicon, t: &Tokens) -> Vec<Quantity> {
    let f = Finder {
        lex,
        t,
        dates: DateLexicon::builtin().ok(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match f.quantity_at(i) {
            Some((q, next)) => {
                out.extend(q);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// What the counted noun is.
#[derive(Debug, Clone)]
enum Noun {
    Object(String),
    Role(Role, bool),
    People,
}

struct NumberRead {
    end: usize,
    value: f64,
    approx: bool,
    words_only: bool,
}

struct Finder<'a> {
    lex: &'a QuantityLexicon,
    t: &'a Tokens,
    dates: Option<&'a DateLexicon>,
}

fn is_arabic_word(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

impl Finder<'_> {
    /// A quantity (or `None` for a number that is not one) and the token after it.
    fn quantity_at(&self, i: usize) -> Option<(Option<Quantity>, usize)> {
        let (lex, t) = (self.lex, self.t);
        if !t.is_num(i) && !lex.openers.may_start(t, i) {
            return None;
        }
        let mut j = i;
        let mut approx = false;
        if let Some(e) = lex.approx_before.end_at(t, i) {
            if self.number_starts(e) {
                (j, approx) = (e, true);
            }
        }
        let num = self.number_at(j)?;
        let skip = Some((None, num.end));
        if !num.words_only && self.is_trap(j, num.end) {
            return skip;
        }
        approx |= num.approx;
        // "one of the protesters", "two of them": a part, not a count.
        if num.words_only && num.value < 10.0 && lex.of_words.end_at(t, num.end).is_some() {
            return skip;
        }
        let noun = self.noun_after(num.end);
        let mut end = noun.as_ref().map_or(num.end, |(e, _)| *e);
        if noun.is_none() && lex.veto_after.end_at(t, num.end).is_some() {
            return skip;
        }
        if noun.is_none() && !num.words_only {
            let four = t.key(j).len() == 4 && (1900.0..=2100.0).contains(&num.value);
            if four {
                return skip;
            }
        }
        if let Some((_, Noun::Object(kind))) = &noun {
            end = self.merge_same_kind(end, kind);
        }
        if let Some(e) = lex.approx_after.end_at(t, end) {
            (approx, end) = (true, e);
        }
        let (role, object) = match noun {
            Some((_, Noun::Object(kind))) => {
                let role = self.nearest(&lex.property_cues, i, end, 4, 15, false);
                (role.unwrap_or(Role::Other), Some(kind))
            }
            Some((_, Noun::Role(r, true))) => (r, None),
            Some((_, Noun::Role(r, false))) => {
                let role = self.nearest(&lex.people_cues, i, end, 4, 8, true);
                (role.unwrap_or(r), None)
            }
            Some((_, Noun::People)) => {
                let role = self.nearest(&lex.people_cues, i, end, 4, 8, true);
                (role.unwrap_or(Role::Other), None)
            }
            None => {
                // "الخامسة والثلاثين" (aged 35, 35th): a definite number word alone is no count.
                let definite =
                    t.variants(j).any(|v| v.starts_with("ال")) && !lex.numbers.has_first(t.key(j));
                if num.words_only
                    && (num.value < 10.0 || (definite && !num.approx && num.value < 100.0))
                {
                    return skip;
                }
                match self.nearest(&lex.people_cues, i, end, 3, 4, true) {
                    Some(r) => (r, None),
                    None => return skip,
                }
            }
        };
        if !num.value.is_finite() || num.value < 1.0 || num.value > 1e13 {
            return skip;
        }
        let q = Quantity {
            span: t.span_trimmed(i, end, |k| {
                lex.approx_before.has_first(k) || lex.numbers.has_first(k)
            }),
            value: num.value.round() as u64,
            approx,
            role,
            object,
        };
        Some((Some(q), end))
    }

    fn number_starts(&self, k: usize) -> bool {
        self.t.is_num(k) || self.lex.numbers.match_at(self.t, k).is_some()
    }

    /// Digits (with thousands groups or a decimal part before a scale word) or number words.
    fn number_at(&self, j: usize) -> Option<NumberRead> {
        let (lex, t) = (self.lex, self.t);
        let mut k = j;
        let mut total = 0.0f64;
        let mut current = 0.0f64;
        let mut have = false;
        let mut approx = false;
        let mut words_only = true;
        let mut last_unit: Option<f64> = None;
        let mut last_scale = false;
        if t.is_num(j) {
            let (e, v) = self.digits_at(j)?;
            (current, have, words_only, k) = (v, true, false, e);
        }
        let mut end = k;
        loop {
            // "50 بالمئة" is a percentage, not 50 × 100.
            if lex.veto_after.end_at(t, k).is_some() {
                break;
            }
            let Some((e, n)) = lex.numbers.match_at(t, k) else {
                break;
            };
            if n.scale {
                if !have {
                    approx |= n.plural;
                }
                let base = if have && current > 0.0 { current } else { 1.0 };
                if n.value >= 1000.0 {
                    total += base * n.value;
                    current = 0.0;
                } else {
                    current = base * n.value;
                }
                last_unit = None;
                last_scale = true;
            } else {
                let v = n.value;
                if have {
                    let tens = |x: f64| (20.0..100.0).contains(&x) && x % 10.0 == 0.0;
                    let add = match last_unit {
                        Some(lu) => (lu < 10.0 && tens(v)) || (tens(lu) && v < 10.0),
                        None => last_scale,
                    };
                    if !add {
                        break;
                    }
                    current += v;
                } else {
                    current = v;
                }
                last_unit = Some(v);
                last_scale = false;
            }
            have = true;
            k = e;
            end = e;
            // Connectors between number words: "and", a glued "-", "of" before a scale.
            let joiner = (lex.and_words.end_at(t, k).is_some()
                || (t.is_punct(k, "-") && k > 0 && t.touches_next(k - 1)))
                && lex.numbers.match_at(t, k + 1).is_some();
            let of_scale = lex.of_words.end_at(t, k).is_some()
                && lex.numbers.match_at(t, k + 1).is_some_and(|(_, n)| n.scale);
            if joiner || of_scale {
                k += 1;
            }
        }
        have.then_some(NumberRead {
            end,
            value: total + current,
            approx,
            words_only,
        })
    }

    /// A digit run with optional thousands groups ("1,200", "1.200", "١٬٢٠٠") or a decimal part
    /// before a scale word ("1.5 million").
    fn digits_at(&self, j: usize) -> Option<(usize, f64)> {
        let t = self.t;
        let mut digits = t.key(j).to_string();
        let mut e = j + 1;
        let grouped_ok = digits.len() <= 3;
        while grouped_ok
            && t.touches_next(e - 1)
            && matches!(t.key(e), "," | ".")
            && t.touches_next(e)
            && t.is_num(e + 1)
            && t.key(e + 1).len() == 3
        {
            digits.push_str(t.key(e + 1));
            e += 2;
        }
        if e == j + 1 && digits.len() > 9 {
            return None;
        }
        let mut value: f64 = digits.parse().ok()?;
        if e == j + 1
            && t.is_punct(e, ".")
            && t.touches_next(j)
            && t.touches_next(e)
            && t.is_num(e + 1)
            && self
                .lex
                .numbers
                .match_at(t, e + 2)
                .is_some_and(|(_, n)| n.scale)
        {
            value = format!("{digits}.{}", t.key(e + 1)).parse().ok()?;
            e += 2;
        }
        Some((e, value))
    }

    /// Digits that are part of something else: a date, a code, a phone number, a measure.
    fn is_trap(&self, j: usize, end: usize) -> bool {
        let (lex, t) = (self.lex, self.t);
        let prev = j.checked_sub(1);
        if let Some(p) = prev {
            let glued = t.touches_next(p);
            if glued && t.is_word(p) && !matches!(t.key(p), "ال" | "و" | "ب" | "وال" | "بال" | "ل")
            {
                return true;
            }
            if glued
                && ["/", ":", ".", "+", "#", "$", "€", "£", "@", "_", "-", "−"].contains(&t.key(p))
            {
                return true;
            }
            if t.is_num(p) {
                return true;
            }
            if (0..=p)
                .rev()
                .take(3)
                .any(|b| lex.veto_before.end_at(t, b) == Some(j))
            {
                return true;
            }
            if let Some(d) = self.dates {
                let before_month = (0..=p)
                    .rev()
                    .take(3)
                    .any(|b| d.month_at(t, b) && !(b + 1..j).any(|x| t.is_num(x) || t.is_word(x)));
                if before_month {
                    return true;
                }
            }
        }
        let last = end - 1;
        if t.touches_next(last) {
            if t.is_word(end) || t.is_num(end) {
                return true;
            }
            if ["%", "/", ":", "_", "-", "٪"].contains(&t.key(end)) {
                return true;
            }
        }
        if t.is_num(end) {
            return true;
        }
        if let Some(d) = self.dates {
            let k = if matches!(t.key(end), "of" | "من") {
                end + 1
            } else {
                end
            };
            if d.month_at(t, k) {
                return true;
            }
        }
        false
    }

    /// The counted noun after a number (skipping "of"/"من"; in English, up to two modifiers).
    fn noun_after(&self, k: usize) -> Option<(usize, Noun)> {
        let (lex, t) = (self.lex, self.t);
        let k = match lex.of_words.end_at(t, k) {
            Some(e) if t.is_word(e) => e,
            _ => k,
        };
        let mut lower_skipped = false;
        for step in 0..3 {
            let pos = k + step;
            if !t.is_word(pos) {
                return None;
            }
            if let Some((e, o)) = lex.objects.match_at(t, pos) {
                return Some((e, Noun::Object(o)));
            }
            let person = lex
                .role_nouns
                .match_at(t, pos)
                .map(|(e, (r, s))| (e, Noun::Role(r, s)))
                .or_else(|| lex.people.end_at(t, pos).map(|e| (e, Noun::People)));
            if let Some((e, n)) = person {
                // "120 police cars": a people word used as a modifier of a property noun.
                if let Some((e2, o)) = lex.objects.match_at(t, e) {
                    if !is_arabic_word(t.key(pos)) {
                        return Some((e2, Noun::Object(o)));
                    }
                }
                return Some((e, n));
            }
            let is_cue = lex.people_cues.end_at(t, pos).is_some()
                || lex.property_cues.end_at(t, pos).is_some()
                || lex.numbers.end_at(t, pos).is_some();
            // English modifiers: names and nationalities ("45 Boko Haram members",
            // "300 Iraqi refugees") and at most one lower-case word ("20 armed men").
            if is_arabic_word(t.key(pos)) || is_cue || (!t.upper(pos) && lower_skipped) {
                return None;
            }
            lower_skipped |= !t.upper(pos);
        }
        None
    }

    /// Extends a property span over "and cafés" / "ومقهى" / ", cafés" of the same kind.
    fn merge_same_kind(&self, mut end: usize, kind: &str) -> usize {
        let (lex, t) = (self.lex, self.t);
        loop {
            let same = |at: usize| {
                lex.objects
                    .match_at(t, at)
                    .filter(|(_, o)| o == kind)
                    .map(|(e, _)| e)
            };
            if t.key(end).starts_with('و') {
                if let Some(e) = same(end) {
                    if e > end {
                        end = e;
                        continue;
                    }
                }
            }
            if lex.and_words.end_at(t, end).is_some() || t.is_punct(end, ",") {
                if let Some(e) = same(end + 1) {
                    end = e;
                    continue;
                }
            }
            return end;
        }
    }

    /// The role of the nearest cue: forward from `end` (up to `fwd` tokens) or back from
    /// `start` (up to `back`), within the sentence; ties go forward.
    fn nearest(
        &self,
        cues: &PhraseSet<Role>,
        start: usize,
        end: usize,
        fwd: usize,
        back: usize,
        stop_at_numbers: bool,
    ) -> Option<Role> {
        let t = self.t;
        let mut best_f: Option<(usize, Role)> = None;
        for (d, k) in (end..t.len()).take(fwd).enumerate() {
            if t.is_boundary(k) || t.is_num(k) {
                break;
            }
            if let Some((_, r)) = cues.match_at(t, k) {
                best_f = Some((d + 1, r));
                break;
            }
        }
        let mut best_b: Option<(usize, Role)> = None;
        for (d, k) in (0..start).rev().take(back).enumerate() {
            if t.is_boundary(k) || (stop_at_numbers && t.is_num(k)) {
                break;
            }
            if let Some((e, r)) = cues.match_at(t, k) {
                if e <= start {
                    best_b = Some((d + 1, r));
                    break;
                }
            }
        }
        match (best_f, best_b) {
            (Some((df, rf)), Some((db, rb))) => Some(if df <= db { rf } else { rb }),
            (f, b) => f.or(b).map(|(_, r)| r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(String, u64, bool, Role, Option<String>)> {
        find_quantities(text, Span::new(0, text.len()), Lang::Und)
            .into_iter()
            .map(|q| {
                (
                    q.span.slice(text).to_string(),
                    q.value,
                    q.approx,
                    q.role,
                    q.object,
                )
            })
            .collect()
    }

    fn one(
        span: &str,
        v: u64,
        approx: bool,
        role: Role,
        obj: Option<&str>,
    ) -> (String, u64, bool, Role, Option<String>) {
        (span.to_string(), v, approx, role, obj.map(str::to_string))
    }

    use Role::*;

    #[test]
    fn property_list_in_arabic() {
        let text = "واقتحم مسلحون السوق ونهبوا حوالي ٣٠ متجرًا ونحو 40 مكتبا وقرابة 15 مطعما ومقهى، بحسب الشرطة.";
        assert_eq!(
            q(text),
            vec![
                one("حوالي ٣٠ متجرًا", 30, true, Looted, Some("shops")),
                one("نحو 40 مكتبا", 40, true, Looted, Some("offices")),
                one(
                    "قرابة 15 مطعما ومقهى",
                    15,
                    true,
                    Looted,
                    Some("restaurants")
                ),
            ]
        );
    }

    /// before → after: (span, value, approx, role, object)
    #[test]
    fn table() {
        type Want<'a> = (&'a str, u64, bool, Role, Option<&'a str>);
        let table: &[(&str, Want)] = &[
            (
                "وأحرق المحتجون في حوالي 60 سيارة للشرطة",
                ("حوالي 60 سيارة", 60, true, Damaged, Some("vehicles")),
            ),
            (
                "At least 7 people were killed in the clashes.",
                ("At least 7 people", 7, true, Killed, None),
            ),
            (
                "Officers arrested 35 protesters overnight.",
                ("35 protesters", 35, false, Arrested, None),
            ),
            (
                "خرج عشرات المتظاهرين إلى الشوارع",
                ("عشرات المتظاهرين", 10, true, Participants, None),
            ),
            (
                "شارك مئات الطلاب في المسيرة",
                ("مئات الطلاب", 100, true, Participants, None),
            ),
            (
                "تظاهر آلاف الأشخاص أمام البرلمان",
                ("آلاف الأشخاص", 1000, true, Participants, None),
            ),
            (
                "احتشد عشرات الآلاف من المواطنين",
                ("عشرات الآلاف من المواطنين", 10000, true, Participants, None),
            ),
            (
                "Tens of thousands of demonstrators marched",
                (
                    "Tens of thousands of demonstrators",
                    10000,
                    true,
                    Participants,
                    None,
                ),
            ),
            (
                "Dozens of rioters looted the mall",
                ("Dozens of rioters", 12, true, Participants, None),
            ),
            (
                "أسفرت الاشتباكات عن سقوط ١٢ قتيلا و٣٠ جريحا",
                ("١٢ قتيلا", 12, false, Killed, None),
            ),
            (
                "Police detained more than 1,200 people.",
                ("more than 1,200 people", 1200, true, Arrested, None),
            ),
            (
                "The fighting displaced 2.5 million residents",
                ("2.5 million residents", 2_500_000, false, Displaced, None),
            ),
            (
                "Some 300 police cars were burned",
                ("Some 300 police cars", 300, true, Damaged, Some("vehicles")),
            ),
            (
                "اعتقلت السلطات ثلاثة آلاف شخص",
                ("ثلاثة آلاف شخص", 3000, false, Arrested, None),
            ),
            (
                "خمسة وعشرون متظاهرا اعتقلوا",
                ("خمسة وعشرون متظاهرا", 25, false, Arrested, None),
            ),
            (
                "two hundred and fifty workers went on strike",
                ("two hundred and fifty workers", 250, false, Other, None),
            ),
            (
                "Rioters ransacked 40 shops and cafes downtown",
                ("40 shops", 40, false, Looted, Some("shops")),
            ),
            (
                "Rioters torched 14 restaurants and cafes downtown",
                (
                    "14 restaurants and cafes",
                    14,
                    false,
                    Damaged,
                    Some("restaurants"),
                ),
            ),
            ("killing 9 and wounding 20", ("9", 9, false, Killed, None)),
            (
                "فر أكثر من ٥٠٠ نازح من القرية",
                ("أكثر من ٥٠٠ نازح", 500, true, Displaced, None),
            ),
            ("وقتل العشرات في القصف", ("العشرات", 10, true, Killed, None)),
            (
                "Police held 45 Boko Haram members",
                ("45 Boko Haram members", 45, false, Other, None),
            ),
            (
                "Gunmen killed 20 unarmed villagers",
                ("20 unarmed villagers", 20, false, Killed, None),
            ),
        ];
        for (text, want) in table {
            let got = q(text);
            let (s, v, a, r, o) = want;
            assert_eq!(
                got.first(),
                Some(&one(s, *v, *a, *r, *o)),
                "{text:?}: {got:?}"
            );
        }
    }

    #[test]
    fn second_of_a_pair_takes_its_own_role() {
        let got = q("5 people were killed and 30 injured");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].1, got[0].3), (5, Killed));
        assert_eq!((got[1].1, got[1].3), (30, Injured));
        let got = q("killing 9 and wounding 20");
        assert_eq!((got[1].1, got[1].3), (20, Injured));
    }

    /// Numbers that are not quantities.
    #[test]
    fn traps() {
        let none = [
            "In 2022 the economy shrank.",
            "وفي عام 2021 تراجعت الأسعار",
            "The G20 summit opened.",
            "COVID-19 restrictions were killed off",
            "Call +7 727 555 0199 for details",
            "ويستمر الحظر حتى 19 يناير",
            "The strike began on January 12 when workers gathered",
            "He finished 3rd in the race",
            "Inflation reached 8.4% last year",
            "the protest lasted 3 days",
            "one of the protesters said",
            "قال أحد المتظاهرين",
            "The meeting at 10:30 was attended",
            "Page 12 of the report",
            "it cost $50 to enter",
            "نسبة 50 بالمئة من السكان",
            "اعتقل رجل في الخامسة والثلاثين",
            "two servicemen abused children",
        ];
        for text in none {
            assert_eq!(q(text), vec![], "{text:?}");
        }
    }

    #[test]
    fn builtin_lexicon_loads_and_bad_ones_are_refused() {
        assert!(QuantityLexicon::builtin().is_ok());
        let bad = DEFAULT_LEXICON.replace("role = \"displaced\"", "role = \"looted\"");
        let err = QuantityLexicon::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("property role"), "{err}");
        let bad = DEFAULT_LEXICON.replace("value = 1000000000", "value = 0");
        assert!(QuantityLexicon::from_toml(&bad).is_err());
    }
}
