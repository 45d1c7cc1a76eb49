//! Dates in Arabic and English: absolute, relative and range ends, resolved against the
//! document date; and the document date itself.
//!
//! Conventions (documented here because the language leaves them open):
//! - A bare weekday ("on Wednesday", "صباح الأربعاء") is the most recent such day **on or
//!   before** the document date. "last Sunday"/"الأحد الماضي" and "since Sunday"/"منذ الأحد" are
//!   the most recent one **strictly before** it; "next Sunday"/"الأحد المقبل" the first one
//!   strictly after.
//! - "last week"/"الأسبوع الماضي" resolve to the **month** that holds that week's Thursday (the
//!   ISO week rule), since [`PartialDate`] has no week precision.
//! - A day and month without a year take the year that puts them closest to the document date;
//!   "الجاري"/"الحالي" forces the document's year, "الماضي"/"last" the latest one before it,
//!   "المقبل"/"next" the first one after it.
//! - With a document date known only to the month, day-relative expressions and weekdays resolve
//!   to that month (month precision); with only a year or none, they are not reported. Weeks
//!   other than the current one need a day-precision document date.
//! - Numeric dates are read only when unambiguous: ISO `2022-01-05`, `2022/01/05`, and
//!   `19/1/2022` or `1/19/2022` where one part exceeds 12. `5/1/2022` is skipped.
//! - A span covers the date expression itself: range words ("until", "منذ") and prepositions
//!   ("on", "في") are left out; "يوم", "صباح", "last", "الماضي", "الجاري" are included.

use std::sync::OnceLock;

use hadath_model::{DatePrecision, Lang, PartialDate, Span};
use serde::{Deserialize, Serialize};

use crate::text::{Openers, PhraseSet, Tokens};
use crate::{parse_toml, phrase_set, LexiconError};

/// What a date mention says about time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    /// A calendar date written out: "5 January 2022", "19 يناير".
    Absolute,
    /// A date relative to the document date: "yesterday", "الأحد الماضي", "on Wednesday".
    Relative,
    /// The start of a range: "since Sunday", "منذ الأحد".
    RangeStart,
    /// The end of a range: "until 19 January", "حتى 19 يناير".
    RangeEnd,
}

/// A date expression found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Byte span of the expression in the text.
    pub span: Span,
    pub value: PartialDate,
    pub kind: DateKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    months: Vec<MonthEntry>,
    weekdays: Vec<WeekdayEntry>,
    relative: Vec<RelEntry>,
    markers: Markers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthEntry {
    number: u8,
    names: Vec<String>,
    #[serde(default)]
    strict: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekdayEntry {
    day: u8,
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelEntry {
    phrases: Vec<String>,
    unit: Unit,
    offset: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Markers {
    range_start: Vec<String>,
    range_end: Vec<String>,
    prepositions: Vec<String>,
    day_words: Vec<String>,
    daypart_before: Vec<String>,
    daypart_after: Vec<String>,
    past_before: Vec<String>,
    past_after: Vec<String>,
    next_before: Vec<String>,
    next_after: Vec<String>,
    this_before: Vec<String>,
    current_after: Vec<String>,
    year_words: Vec<String>,
    ordinal_suffixes: Vec<String>,
    today_stop_after: Vec<String>,
    today_stop_before: Vec<String>,
    header_words: Vec<String>,
}

/// The compiled date lexicon: month and weekday names, relative expressions and markers.
#[derive(Debug, Clone)]
pub struct DateLexicon {
    /// Month number and whether this form needs date context (strict).
    months: PhraseSet<(u8, bool)>,
    weekdays: PhraseSet<u8>,
    relative: PhraseSet<(Unit, i32)>,
    range_start: PhraseSet<()>,
    range_end: PhraseSet<()>,
    prepositions: PhraseSet<()>,
    day_words: PhraseSet<()>,
    daypart_before: PhraseSet<()>,
    daypart_after: PhraseSet<()>,
    past_before: PhraseSet<()>,
    past_after: PhraseSet<()>,
    next_before: PhraseSet<()>,
    next_after: PhraseSet<()>,
    this_before: PhraseSet<()>,
    current_after: PhraseSet<()>,
    year_words: PhraseSet<()>,
    ordinal_suffixes: PhraseSet<()>,
    today_stop_after: PhraseSet<()>,
    today_stop_before: PhraseSet<()>,
    header_words: PhraseSet<()>,
    /// First words of everything that can open a date.
    openers: Openers,
}

/// The default lexicon's source (`data/dates.toml`).
pub const DEFAULT_LEXICON: &str = include_str!("../data/dates.toml");

impl DateLexicon {
    /// Parses and validates a lexicon in the format of `data/dates.toml`.
    pub fn from_toml(src: &str) -> Result<DateLexicon, LexiconError> {
        const NAME: &str = "dates";
        let f: File = parse_toml(NAME, src)?;
        let bad = |p: String| LexiconError::invalid(NAME, p);
        let mut months = PhraseSet::default();
        let mut seen = [false; 12];
        for m in &f.months {
            let idx = usize::from(m.number)
                .checked_sub(1)
                .filter(|i| *i < 12)
                .ok_or_else(|| bad(format!("month number {} is not 1..=12", m.number)))?;
            if std::mem::replace(&mut seen[idx], true) {
                return Err(bad(format!("month {} is listed twice", m.number)));
            }
            if m.names.is_empty() {
                return Err(bad(format!("month {} has no names", m.number)));
            }
            for n in &m.names {
                let strict = m.strict.contains(n);
                months
                    .insert(n, (m.number, strict))
                    .map_err(|e| bad(format!("month {}: {e}", m.number)))?;
            }
            if let Some(s) = m.strict.iter().find(|s| !m.names.contains(s)) {
                return Err(bad(format!(
                    "month {}: strict form {s:?} is not among its names",
                    m.number
                )));
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(bad(format!("month {} is missing", missing + 1)));
        }
        let mut weekdays = PhraseSet::default();
        let mut seen = [false; 7];
        for w in &f.weekdays {
            let slot = seen
                .get_mut(usize::from(w.day))
                .ok_or_else(|| bad(format!("weekday {} is not 0..=6 (0 = Monday)", w.day)))?;
            if std::mem::replace(slot, true) {
                return Err(bad(format!("weekday {} is listed twice", w.day)));
            }
            weekdays
                .insert_all(&w.names, w.day)
                .map_err(|e| bad(format!("weekday {}: {e}", w.day)))?;
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(bad(format!("weekday {missing} is missing")));
        }
        let mut relative = PhraseSet::default();
        for r in &f.relative {
            if r.offset.abs() > 366 {
                return Err(bad(format!(
                    "relative {:?}: offset {} is out of -366..=366",
                    r.phrases, r.offset
                )));
            }
            relative
                .insert_all(&r.phrases, (r.unit, r.offset))
                .map_err(|e| bad(format!("relative: {e}")))?;
        }
        let m = &f.markers;
        let set = |field: &str, v: &[String]| phrase_set(NAME, field, v, ());
        let mut lex = DateLexicon {
            months,
            weekdays,
            relative,
            range_start: set("range_start", &m.range_start)?,
            range_end: set("range_end", &m.range_end)?,
            prepositions: set("prepositions", &m.prepositions)?,
            day_words: set("day_words", &m.day_words)?,
            daypart_before: set("daypart_before", &m.daypart_before)?,
            daypart_after: set("daypart_after", &m.daypart_after)?,
            past_before: set("past_before", &m.past_before)?,
            past_after: set("past_after", &m.past_after)?,
            next_before: set("next_before", &m.next_before)?,
            next_after: set("next_after", &m.next_after)?,
            this_before: set("this_before", &m.this_before)?,
            current_after: set("current_after", &m.current_after)?,
            year_words: set("year_words", &m.year_words)?,
            ordinal_suffixes: set("ordinal_suffixes", &m.ordinal_suffixes)?,
            today_stop_after: set("today_stop_after", &m.today_stop_after)?,
            today_stop_before: set("today_stop_before", &m.today_stop_before)?,
            header_words: set("header_words", &m.header_words)?,
            openers: Openers::default(),
        };
        let mut o = Openers::default();
        o.add(&lex.months);
        o.add(&lex.weekdays);
        o.add(&lex.relative);
        for set in [
            &lex.range_start,
            &lex.range_end,
            &lex.prepositions,
            &lex.day_words,
            &lex.daypart_before,
            &lex.past_before,
            &lex.next_before,
            &lex.this_before,
            &lex.year_words,
        ] {
            o.add(set);
        }
        lex.openers = o;
        Ok(lex)
    }

    /// The built-in lexicon (`data/dates.toml`), parsed once.
    pub fn builtin() -> Result<&'static DateLexicon, &'static LexiconError> {
        static LEX: OnceLock<Result<DateLexicon, LexiconError>> = OnceLock::new();
        LEX.get_or_init(|| DateLexicon::from_toml(DEFAULT_LEXICON))
            .as_ref()
    }

    /// True when a phrase that can open a date starts with exactly this key word.
    fn starts_exact(&self, k: &str) -> bool {
        self.months.has_first(k)
            || self.weekdays.has_first(k)
            || self.relative.has_first(k)
            || self.daypart_before.has_first(k)
            || self.day_words.has_first(k)
            || self.past_before.has_first(k)
            || self.next_before.has_first(k)
            || self.this_before.has_first(k)
            || self.year_words.has_first(k)
    }

    /// True when a month name starts at token `i` (used by the quantity finder).
    pub(crate) fn month_at(&self, t: &Tokens, i: usize) -> bool {
        self.months.match_at(t, i).is_some()
    }
}

/// All date expressions in `span` of `text`, resolved against `anchor` (the document date) with
/// the built-in lexicon. See the module docs for the conventions. `lang` is a hint only: both
/// lexicons are always active, since news text mixes scripts.
pub fn find_dates(
    text: &str,
    span: Span,
    lang: Lang,
    anchor: Option<PartialDate>,
) -> Vec<DateMention> {
    match DateLexicon::builtin() {
        Ok(lex) => find_dates_with(lex, text, span, lang, anchor),
        Err(_) => Vec::new(),
    }
}

/// [`find_dates`] with a lexicon of your own.
pub fn find_dates_with(
    lex: &DateLexicon,
    text: &str,
    span: Span,
    _lang: Lang,
    anchor: Option<PartialDate>,
) -> Vec<DateMention> {
    match Tokens::new(text, span) {
        Some(t) => dates_in(lex, &t, anchor),
        None => Vec::new(),
    }
}

/// The dates in tokens already made.
pub(crate) fn dates_in(
    lex: &DateLexicon,
    t: &Tokens,
    anchor: Option<PartialDate>,
) -> Vec<DateMention> {
    let p = Parser { lex, t, anchor };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match p.parse_at(i) {
            Some((m, next)) => {
                out.extend(m);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    PastOrSame,
    PastStrict,
    Next,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearRel {
    Closest,
    Current,
    Past,
    Next,
}

#[derive(Debug, Clone, Copy)]
enum Val {
    /// Fully known.
    Abs(PartialDate),
    /// Day (optional) and month without a year.
    DayMonth {
        day: Option<u8>,
        month: u8,
        rel: YearRel,
    },
    Rel {
        unit: Unit,
        offset: i32,
        weekday: Option<u8>,
    },
    Weekday {
        day: u8,
        dir: Dir,
    },
}

impl Val {
    fn is_relative(&self) -> bool {
        matches!(self, Val::Rel { .. } | Val::Weekday { .. })
    }
}

struct Core {
    start: usize,
    end: usize,
    val: Val,
}

struct Parser<'a> {
    lex: &'a DateLexicon,
    t: &'a Tokens,
    anchor: Option<PartialDate>,
}

fn num_value(t: &Tokens, i: usize, max_len: usize) -> Option<u32> {
    let k = t.key(i);
    (t.is_num(i) && k.len() <= max_len)
        .then(|| k.parse::<u32>().ok())
        .flatten()
}

fn year_at(t: &Tokens, i: usize) -> Option<i32> {
    (t.key(i).len() == 4)
        .then(|| num_value(t, i, 4))
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
        .and_then(|y| i32::try_from(y).ok())
}

impl Parser<'_> {
    /// A mention (or `None` when it cannot be resolved) and the token after it.
    fn parse_at(&self, i: usize) -> Option<(Option<DateMention>, usize)> {
        let (lex, t) = (self.lex, self.t);
        if !t.is_num(i) && !lex.openers.may_start(t, i) {
            return None;
        }
        // Readings to try, most words consumed first: (core start, kind, licensed, year_ok).
        let mut tries = [None; 3];
        let mut n = 0;
        let mut push = |x| {
            if let Some(slot) = tries.get_mut(n) {
                *slot = Some(x);
                n += 1;
            }
        };
        let mut j = i;
        let mut kind = None;
        let mut licensed = false;
        let mut year_ok = false;
        if let Some(e) = lex.range_start.end_at(t, j) {
            kind = Some(DateKind::RangeStart);
            (j, licensed, year_ok) = (e, true, true);
        } else if let Some(e) = lex.range_end.end_at(t, j) {
            kind = Some(DateKind::RangeEnd);
            (j, licensed, year_ok) = (e, true, true);
        }
        if let Some(e) = lex.prepositions.end_at(t, j) {
            let mut k = e;
            if t.is_punct(k, "-") && t.touches_next(k) {
                k += 1;
            }
            push((k, kind, true, year_ok || t.key(j) != "of"));
        }
        push((j, kind, licensed, year_ok));
        if j != i {
            push((i, None, false, false));
        }
        let (core, kind) = tries
            .into_iter()
            .flatten()
            .find_map(|(j, kind, lic, y)| self.core_at(j, lic, y).map(|c| (c, kind)))?;
        let range_start = kind == Some(DateKind::RangeStart);
        let value = self.resolve(core.val, range_start);
        let kind = kind.unwrap_or(if core.val.is_relative() {
            DateKind::Relative
        } else {
            DateKind::Absolute
        });
        let m = value.map(|value| DateMention {
            span: t.span_trimmed(core.start, core.end, |k| lex.starts_exact(k)),
            value,
            kind,
        });
        Some((m, core.end))
    }

    fn core_at(&self, j: usize, licensed: bool, year_ok: bool) -> Option<Core> {
        let (lex, t) = (self.lex, self.t);
        if let Some((end, val)) = self.numeric_at(j) {
            return Some(Core { start: j, end, val });
        }
        let mut k = j;
        let daypart = lex.daypart_before.end_at(t, k);
        if let Some(e) = daypart {
            k = e;
        }
        if let Some(e) = lex.day_words.end_at(t, k) {
            k = e;
        }
        if let Some((e, (unit, offset))) = lex.relative.match_at(t, k) {
            let blocked = unit == Unit::Day
                && offset == 0
                && (lex.today_stop_after.end_at(t, e).is_some()
                    || k.checked_sub(1)
                        .is_some_and(|b| lex.today_stop_before.end_at(t, b) == Some(k)));
            if !blocked {
                let mut end = e;
                let mut weekday = None;
                if unit == Unit::Day {
                    let m = if t.is_punct(end, ",") { end + 1 } else { end };
                    if let Some((e2, w)) = lex.weekdays.match_at(t, m) {
                        weekday = Some(w);
                        end = e2;
                    }
                    if let Some(e3) = lex.daypart_after.end_at(t, end) {
                        end = e3;
                    }
                }
                let val = Val::Rel {
                    unit,
                    offset,
                    weekday,
                };
                return Some(Core { start: j, end, val });
            }
        }
        let mut dir = None;
        if let Some(e) = lex.past_before.end_at(t, k) {
            (dir, k) = (Some(Dir::PastStrict), e);
        } else if let Some(e) = lex.next_before.end_at(t, k) {
            (dir, k) = (Some(Dir::Next), e);
        } else if let Some(e) = lex.this_before.end_at(t, k) {
            (dir, k) = (Some(Dir::PastOrSame), e);
        }
        if let Some((e, w)) = lex.weekdays.match_at(t, k) {
            let mut end = e;
            if let Some(e3) = lex.daypart_after.end_at(t, end) {
                end = e3;
            }
            let m = if t.is_punct(end, ",") { end + 1 } else { end };
            if let Some((e4, val)) = self.absolute_at(m, true, YearRel::Closest) {
                return Some(Core {
                    start: j,
                    end: e4,
                    val,
                });
            }
            let mut d = dir.unwrap_or(Dir::PastOrSame);
            if let Some(e5) = lex.past_after.end_at(t, end) {
                (d, end) = (Dir::PastStrict, e5);
            } else if let Some(e5) = lex.next_after.end_at(t, end) {
                (d, end) = (Dir::Next, e5);
            }
            let val = Val::Weekday { day: w, dir: d };
            return Some(Core { start: j, end, val });
        }
        if daypart.is_some() {
            return None;
        }
        let rel = match dir {
            Some(Dir::PastStrict) => YearRel::Past,
            Some(Dir::Next) => YearRel::Next,
            _ => YearRel::Closest,
        };
        if let Some((end, val)) = self.absolute_at(k, licensed || dir.is_some(), rel) {
            return Some(Core { start: j, end, val });
        }
        if dir.is_some() {
            return None;
        }
        let (y_at, ok) = match lex.year_words.end_at(t, k) {
            Some(e) => (e, true),
            None => (k, year_ok),
        };
        if ok {
            if let Some(y) = year_at(t, y_at) {
                if !t.touches_next(y_at) || !t.is_num(y_at + 2) {
                    let val = Val::Abs(PartialDate::year(y));
                    return Some(Core {
                        start: j,
                        end: y_at + 1,
                        val,
                    });
                }
            }
        }
        None
    }

    /// `2022-01-05`, `2022/01/05`, `19/1/2022`, `1/19/2022` (touching, unambiguous).
    fn numeric_at(&self, j: usize) -> Option<(usize, Val)> {
        let t = self.t;
        if !(t.is_num(j) && t.touches_next(j) && t.touches_next(j + 1) && t.touches_next(j + 2)) {
            return None;
        }
        let sep = t.key(j + 1);
        if !matches!(sep, "-" | "/" | ".") || t.key(j + 3) != sep || !t.is_num(j + 4) {
            return None;
        }
        if !t.touches_next(j + 3) {
            return None;
        }
        // A fourth part touching ("2022-01-05-7", a phone number) rules the reading out.
        if t.touches_next(j + 4) && (t.is_num(j + 6) || t.is_punct(j + 5, sep)) {
            return None;
        }
        let parts = [j, j + 2, j + 4].map(|i| (t.key(i).len(), num_value(t, i, 4)));
        let date = match parts {
            [(4, Some(y)), (1..=2, Some(m)), (1..=2, Some(d))] => PartialDate::day(
                i32::try_from(y).ok()?,
                u8::try_from(m).ok()?,
                u8::try_from(d).ok()?,
            ),
            [(1..=2, Some(a)), (1..=2, Some(b)), (4, Some(y))] if sep != "-" => {
                let y = i32::try_from(y).ok()?;
                let (a, b) = (u8::try_from(a).ok()?, u8::try_from(b).ok()?);
                match (a > 12, b > 12) {
                    (true, false) => PartialDate::day(y, b, a),
                    (false, true) => PartialDate::day(y, a, b),
                    _ => None,
                }
            }
            _ => None,
        }?;
        (1900..=2100)
            .contains(&date.year)
            .then_some((j + 5, Val::Abs(date)))
    }

    /// Day-month or month-day with an optional year, or a month with an optional year.
    fn absolute_at(&self, m: usize, licensed: bool, rel: YearRel) -> Option<(usize, Val)> {
        let (lex, t) = (self.lex, self.t);
        if let Some(d) = num_value(t, m, 2).filter(|d| (1..=31).contains(d)) {
            let mut k = m + 1;
            if t.touches_next(m) {
                if let Some(e) = lex.ordinal_suffixes.end_at(t, k) {
                    k = e;
                } else if t.is_word(k) {
                    return None;
                }
            }
            if matches!(t.key(k), "of" | "من") && lex.months.match_at(t, k + 1).is_some() {
                k += 1;
            }
            if let Some((e, (month, _))) = lex.months.match_at(t, k) {
                let e = self.after_abbrev(e);
                let e = self.alt_month(e, month);
                let d = u8::try_from(d).ok()?;
                return Some(self.with_year(e, Some(d), month, rel));
            }
            return None;
        }
        let (e, (month, strict)) = lex.months.match_at(t, m)?;
        let e = self.after_abbrev(e);
        let alt = self.alt_month(e, month);
        let combined = alt > e;
        let e = alt;
        if let Some(d) = num_value(t, e, 2).filter(|d| (1..=31).contains(d)) {
            // "January 5", "Jan. 5th", but not "March 12-15" ranges or "May 10:30".
            let glued = t.touches_next(e)
                && matches!(t.key(e + 1), "-" | ":" | "/" | ".")
                && t.touches_next(e + 1)
                && t.is_num(e + 2);
            if !glued {
                let mut k = e + 1;
                if t.touches_next(e) {
                    if let Some(x) = lex.ordinal_suffixes.end_at(t, k) {
                        k = x;
                    }
                }
                let d = u8::try_from(d).ok()?;
                return Some(self.with_year(k, Some(d), month, rel));
            }
        }
        let (end, val) = self.with_year(e, None, month, rel);
        let has_context = end > e || combined || licensed;
        (!strict || has_context).then_some((end, val))
    }

    /// Skips a touching "." after an abbreviated month ("Jan.").
    fn after_abbrev(&self, e: usize) -> usize {
        if self.t.is_punct(e, ".") && e > 0 && self.t.touches_next(e - 1) && self.t.is_num(e + 1) {
            e + 1
        } else {
            e
        }
    }

    /// Skips "/other name of the same month" ("يناير/كانون الثاني") or the same in brackets
    /// ("يناير (كانون الثاني)").
    fn alt_month(&self, e: usize, month: u8) -> usize {
        let t = self.t;
        let open = t.is_punct(e, "(");
        if t.is_punct(e, "/") || open {
            if let Some((e2, (m2, _))) = self.lex.months.match_at(t, e + 1) {
                if m2 == month {
                    return match (open, t.is_punct(e2, ")")) {
                        (false, _) => e2,
                        (true, true) => e2 + 1,
                        (true, false) => e,
                    };
                }
            }
        }
        e
    }

    /// Reads an optional year or year-relative word after a month (and day).
    fn with_year(&self, e: usize, day: Option<u8>, month: u8, rel: YearRel) -> (usize, Val) {
        let (lex, t) = (self.lex, self.t);
        let y_at = if t.is_punct(e, ",") { e + 1 } else { e };
        if let Some(y) = year_at(t, y_at) {
            let date = match day {
                Some(d) => PartialDate::day(y, month, d),
                None => PartialDate::month(y, month),
            };
            if let Some(date) = date {
                return (y_at + 1, Val::Abs(date));
            }
        }
        let (end, rel) = if let Some(x) = lex.current_after.end_at(t, e) {
            (x, YearRel::Current)
        } else if let Some(x) = lex.past_after.end_at(t, e) {
            (x, YearRel::Past)
        } else if let Some(x) = lex.next_after.end_at(t, e) {
            (x, YearRel::Next)
        } else {
            (e, rel)
        };
        (end, Val::DayMonth { day, month, rel })
    }

    fn resolve(&self, val: Val, range_start: bool) -> Option<PartialDate> {
        let anchor = self.anchor;
        match val {
            Val::Abs(d) => Some(d),
            Val::DayMonth { day, month, rel } => resolve_day_month(anchor?, day, month, rel),
            Val::Rel {
                unit,
                offset,
                weekday,
            } => resolve_relative(anchor?, unit, offset, weekday),
            Val::Weekday { day, dir } => {
                let dir = if range_start && dir == Dir::PastOrSame {
                    Dir::PastStrict
                } else {
                    dir
                };
                let a = anchor?;
                match a.precision() {
                    DatePrecision::Day => Some(weekday_from(a.to_days(), day, dir)),
                    DatePrecision::Month => Some(a),
                    DatePrecision::Year => None,
                }
            }
        }
    }
}

fn weekday_from(base: i64, day: u8, dir: Dir) -> PartialDate {
    let wd = PartialDate::from_days(base).weekday();
    let back = i64::from((7 + wd - day % 7) % 7);
    let days = match dir {
        Dir::PastOrSame => base - back,
        Dir::PastStrict => base - if back == 0 { 7 } else { back },
        Dir::Next => {
            let fwd = i64::from((7 + day % 7 - wd) % 7);
            base + if fwd == 0 { 7 } else { fwd }
        }
    };
    PartialDate::from_days(days)
}

fn resolve_day_month(
    anchor: PartialDate,
    day: Option<u8>,
    month: u8,
    rel: YearRel,
) -> Option<PartialDate> {
    let make = |y: i32| match day {
        Some(d) => PartialDate::day(y, month, d),
        None => PartialDate::month(y, month),
    };
    let y = anchor.year;
    // Compare at the coarser of the two precisions.
    let key = |d: &PartialDate| -> (i32, u8, u8) {
        (
            d.year,
            if anchor.month.is_some() {
                d.month.unwrap_or(1)
            } else {
                0
            },
            if anchor.day.is_some() && day.is_some() {
                d.day.unwrap_or(1)
            } else {
                0
            },
        )
    };
    let a = key(&anchor);
    let cands = [y - 1, y, y + 1].map(make);
    let cands = cands.iter().flatten();
    match rel {
        YearRel::Current => make(y),
        YearRel::Past => cands.filter(|c| key(c) < a).max().copied(),
        YearRel::Next => cands.filter(|c| key(c) > a).min().copied(),
        YearRel::Closest => {
            let at = anchor.to_days();
            cands.min_by_key(|c| (c.to_days() - at).abs()).copied()
        }
    }
}

fn resolve_relative(
    anchor: PartialDate,
    unit: Unit,
    offset: i32,
    weekday: Option<u8>,
) -> Option<PartialDate> {
    let off = i64::from(offset);
    match (unit, anchor.precision()) {
        (Unit::Year, _) => Some(PartialDate::year(anchor.year + offset)),
        (Unit::Month, DatePrecision::Year) => None,
        (Unit::Month, _) => {
            let m0 = i64::from(anchor.month.unwrap_or(1)) - 1 + off;
            let y = i64::from(anchor.year) + m0.div_euclid(12);
            let m = u8::try_from(m0.rem_euclid(12) + 1).ok()?;
            PartialDate::month(i32::try_from(y).ok()?, m)
        }
        (Unit::Day, DatePrecision::Day) => {
            let base = anchor.to_days() + off;
            Some(match weekday {
                Some(w) => weekday_from(base, w, Dir::PastOrSame),
                None => PartialDate::from_days(base),
            })
        }
        (Unit::Week, DatePrecision::Day) => {
            let d = anchor.to_days() + 7 * off;
            let monday = d - i64::from(anchor.weekday());
            let thursday = PartialDate::from_days(monday + 3);
            PartialDate::month(thursday.year, thursday.month.unwrap_or(1))
        }
        (Unit::Day, DatePrecision::Month) => Some(anchor),
        (Unit::Week, DatePrecision::Month) if offset == 0 => Some(anchor),
        _ => None,
    }
}

/// The document date from all evidence.
///
/// Starts from `meta_date`; a date in the URL (`/2022/01/05/`, `/2022-01-05-…`), a header line
/// at the top ("Date: 5 January 2022", "date 2022-01") or a dateline ("CAIRO, Jan 5 (Reuters) -")
/// refines it when it agrees and is more precise (or supplies it when there is none).
/// Then, while the date is coarser than a day, the day-precision dates of pasted posts that fall
/// inside it are used: the latest one whose weekday agrees with a "today, Wednesday" /
/// "اليوم الأربعاء" mention (when the text has one), or else the first day on or after the
/// latest post with that weekday (within six days and inside the known month). Posts alone, with
/// no other evidence, do not make a document date: a pasted post can be old.
pub fn document_date(
    text: &str,
    meta_date: Option<PartialDate>,
    url: Option<&str>,
    post_dates: &[PartialDate],
) -> Option<PartialDate> {
    let lex = DateLexicon::builtin().ok()?;
    let mut best = meta_date;
    best = refine(best, url.and_then(url_date));
    best = refine(best, header_date(lex, text));
    best = refine(best, dateline_date(lex, text, best));
    let b = best?;
    if b.precision() == DatePrecision::Day {
        return Some(b);
    }
    let inside: Vec<PartialDate> = post_dates
        .iter()
        .copied()
        .filter(|p| p.precision() == DatePrecision::Day && agrees(b, *p))
        .collect();
    let Some(latest) = inside.iter().max().copied() else {
        return Some(b);
    };
    let Some(w) = today_weekday(lex, text) else {
        return Some(latest);
    };
    if let Some(d) = inside.iter().filter(|p| p.weekday() == w).max() {
        return Some(*d);
    }
    (0..7)
        .map(|k| PartialDate::from_days(latest.to_days() + k))
        .find(|d| d.weekday() == w && agrees(b, *d))
        .or(Some(b))
}

/// `fine` lies inside `coarse`.
fn agrees(coarse: PartialDate, fine: PartialDate) -> bool {
    coarse.year == fine.year
        && (coarse.month.is_none() || coarse.month == fine.month)
        && (coarse.day.is_none() || coarse.day == fine.day)
}

fn refine(best: Option<PartialDate>, cand: Option<PartialDate>) -> Option<PartialDate> {
    match (best, cand) {
        (None, c) => c,
        (Some(b), Some(c)) if c.precision() > b.precision() && agrees(b, c) => Some(c),
        (b, _) => b,
    }
}

/// A date in a URL path: `/2022/01/05/`, `/2022/01/`, or a segment starting `2022-01-05`.
pub fn url_date(url: &str) -> Option<PartialDate> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segs: Vec<&str> = path.split('/').collect();
    for (i, s) in segs.iter().enumerate() {
        if let Some(head) = s.get(..10) {
            if let Some(d) = PartialDate::parse(head) {
                if d.precision() == DatePrecision::Day
                    && (s.len() == 10
                        || !s
                            .get(10..)
                            .unwrap_or("")
                            .starts_with(|c: char| c.is_ascii_digit()))
                {
                    return Some(d);
                }
            }
        }
        let is_num = |x: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
        };
        if !is_num(s, 4..=4) {
            continue;
        }
        let Ok(y) = s.parse::<i32>() else { continue };
        if !(1990..=2100).contains(&y) {
            continue;
        }
        let Some(m) = segs
            .get(i + 1)
            .filter(|m| is_num(m, 1..=2))
            .and_then(|m| m.parse::<u8>().ok())
        else {
            continue;
        };
        let day = segs
            .get(i + 2)
            .filter(|d| is_num(d, 1..=2))
            .and_then(|d| d.parse::<u8>().ok());
        if let Some(d) = day.and_then(|d| PartialDate::day(y, m, d)) {
            return Some(d);
        }
        if let Some(d) = PartialDate::month(y, m) {
            return Some(d);
        }
    }
    None
}

fn first_lines(text: &str, n: usize) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n')
        .scan(0usize, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
        .filter(|(_, l)| !l.trim().is_empty())
        .take(n)
}

/// How much of a line may hold a header date ("Date: Wednesday, 05 January 2022 10:04 GMT").
const HEADER_LINE_BYTES: usize = 200;

fn header_date(lex: &DateLexicon, text: &str) -> Option<PartialDate> {
    for (start, line) in first_lines(text, 5) {
        // A header word and its date open the line: the first 200 bytes hold them (a long
        // first paragraph is not tokenised whole for that).
        let mut len = line.len().min(HEADER_LINE_BYTES);
        while !line.is_char_boundary(len) {
            len -= 1;
        }
        let span = Span::new(start, start + len);
        let t = Tokens::new(text, span)?;
        let Some(e) = lex.header_words.end_at(&t, 0) else {
            continue;
        };
        let e = if matches!(t.key(e), ":" | "=" | "-") {
            e + 1
        } else {
            e
        };
        let rest = t.span(e, t.len());
        let first_word = rest.slice(text).split_whitespace().next().unwrap_or("");
        if let Some(d) = PartialDate::parse(first_word) {
            return Some(d);
        }
        // Otherwise a written date right after the header word ("Date: Wed, 05 Jan 2022").
        let head = Tokens::new(text, rest)?;
        let near = head.span(0, head.len().min(8));
        if let Some(m) = find_dates_with(lex, text, near, Lang::Und, None)
            .into_iter()
            .find(|m| m.kind == DateKind::Absolute)
        {
            return Some(m.value);
        }
    }
    None
}

fn dateline_date(lex: &DateLexicon, text: &str, hint: Option<PartialDate>) -> Option<PartialDate> {
    for (start, line) in first_lines(text, 3) {
        let Some(open) = line.get(..line.len().min(160)).and_then(|l| l.find('(')) else {
            continue;
        };
        let after = line.get(open..).unwrap_or("");
        let Some(close) = after.find(')') else {
            continue;
        };
        let tail = after.get(close + 1..).unwrap_or("").trim_start();
        if !tail.starts_with(['-', '—', '–']) {
            continue;
        }
        let span = Span::new(start, start + open);
        if let Some(m) = find_dates_with(lex, text, span, Lang::Und, hint)
            .into_iter()
            .find(|m| m.kind == DateKind::Absolute)
        {
            return Some(m.value);
        }
    }
    None
}

/// The weekday named in a "today, Wednesday" / "اليوم الأربعاء" mention.
fn today_weekday(lex: &DateLexicon, text: &str) -> Option<u8> {
    let t = Tokens::new(text, Span::new(0, text.len()))?;
    (0..t.len()).find_map(|i| {
        let (e, (unit, offset)) = lex.relative.match_at(&t, i)?;
        if unit != Unit::Day || offset != 0 || lex.today_stop_after.end_at(&t, e).is_some() {
            return None;
        }
        let m = if t.is_punct(e, ",") { e + 1 } else { e };
        lex.weekdays.match_at(&t, m).map(|(_, w)| w)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn dates(text: &str, anchor: &str) -> Vec<(String, String, DateKind)> {
        let anchor = PartialDate::parse(anchor);
        find_dates(text, Span::new(0, text.len()), Lang::Und, anchor)
            .into_iter()
            .map(|m| (m.span.slice(text).to_string(), m.value.to_string(), m.kind))
            .collect()
    }

    use DateKind::*;

    /// before (text, anchor) → after (span text, value, kind). 2022-01-05 was a Wednesday.
    #[test]
    fn table() {
        let table: &[(&str, &str, &str, &str, DateKind)] = &[
            // Arabic
            (
                "ويستمر الحظر حتى 19 يناير/كانون الثاني الجاري.",
                "2022-01",
                "19 يناير/كانون الثاني الجاري",
                "2022-01-19",
                RangeEnd,
            ),
            (
                "بدأ الإضراب منذ الأحد الماضي",
                "2022-01-05",
                "الأحد الماضي",
                "2022-01-02",
                RangeStart,
            ),
            (
                "اقتحموا المبنى صباح الأربعاء",
                "2022-01-05",
                "صباح الأربعاء",
                "2022-01-05",
                Relative,
            ),
            ("وصل الوفد أمس", "2022-01-05", "أمس", "2022-01-04", Relative),
            (
                "عقد الاجتماع مساء أمس",
                "2022-01-05",
                "مساء أمس",
                "2022-01-04",
                Relative,
            ),
            (
                "تواصلت اليوم الأربعاء المسيرات",
                "2022-01-05",
                "اليوم الأربعاء",
                "2022-01-05",
                Relative,
            ),
            (
                "يعقد المؤتمر غدا",
                "2022-01-05",
                "غدا",
                "2022-01-06",
                Relative,
            ),
            (
                "زار الوزير المدينة الأسبوع الماضي",
                "2022-01-12",
                "الأسبوع الماضي",
                "2022-01",
                Relative,
            ),
            (
                "ارتفعت الأسعار الشهر الماضي",
                "2022-01-05",
                "الشهر الماضي",
                "2021-12",
                Relative,
            ),
            (
                "في ٥ كانون الثاني ٢٠٢٢ خرجت مسيرة",
                "2020",
                "٥ كانون الثاني ٢٠٢٢",
                "2022-01-05",
                Absolute,
            ),
            (
                "وقع الهجوم يوم الخميس 6 يناير",
                "2022-01-05",
                "يوم الخميس 6 يناير",
                "2022-01-06",
                Absolute,
            ),
            (
                "في مارس الماضي",
                "2022-01-05",
                "مارس الماضي",
                "2021-03",
                Absolute,
            ),
            (
                "أعلنت الحكومة عام 2021 خطة",
                "2022-01-05",
                "عام 2021",
                "2021",
                Absolute,
            ),
            (
                "يعود الطلاب الأحد المقبل",
                "2022-01-05",
                "الأحد المقبل",
                "2022-01-09",
                Relative,
            ),
            (
                "افتتح المعرض في 3 مايو (أيار) 2021",
                "2022-01-05",
                "3 مايو (أيار) 2021",
                "2021-05-03",
                Absolute,
            ),
            // English
            (
                "Police fired tear gas on Wednesday.",
                "2022-01-05",
                "Wednesday",
                "2022-01-05",
                Relative,
            ),
            (
                "Crowds gathered yesterday evening",
                "2022-01-05",
                "yesterday evening",
                "2022-01-04",
                Relative,
            ),
            (
                "Talks began last Sunday.",
                "2022-01-05",
                "last Sunday",
                "2022-01-02",
                Relative,
            ),
            (
                "Strikes have continued since Monday",
                "2022-01-05",
                "Monday",
                "2022-01-03",
                RangeStart,
            ),
            (
                "The curfew lasts until January 19.",
                "2022-01-05",
                "January 19",
                "2022-01-19",
                RangeEnd,
            ),
            (
                "Elections were held on January 5, 2021 in the region",
                "2022-03",
                "January 5, 2021",
                "2021-01-05",
                Absolute,
            ),
            (
                "It was signed on 5 January 2022.",
                "",
                "5 January 2022",
                "2022-01-05",
                Absolute,
            ),
            (
                "Filed Jan. 5 by staff",
                "2022-01-09",
                "Jan. 5",
                "2022-01-05",
                Absolute,
            ),
            (
                "A vote on the 19th of December",
                "2022-01-05",
                "19th of December",
                "2021-12-19",
                Absolute,
            ),
            (
                "Report dated 2022-01-05.",
                "",
                "2022-01-05",
                "2022-01-05",
                Absolute,
            ),
            (
                "Report dated 19/1/2022.",
                "",
                "19/1/2022",
                "2022-01-19",
                Absolute,
            ),
            (
                "Prices rose in March.",
                "2022-05-05",
                "March",
                "2022-03",
                Absolute,
            ),
            (
                "Wednesday, January 5, 2022 was cold",
                "",
                "Wednesday, January 5, 2022",
                "2022-01-05",
                Absolute,
            ),
            (
                "Unrest grew last week",
                "2022-01-05",
                "last week",
                "2021-12",
                Relative,
            ),
            ("The law passed in 2019.", "", "2019", "2019", Absolute),
        ];
        for (text, anchor, span, value, kind) in table {
            let got = dates(text, anchor);
            assert_eq!(
                got.first(),
                Some(&(span.to_string(), value.to_string(), *kind)),
                "{text:?} @ {anchor}: {got:?}"
            );
        }
    }

    /// Things that are not dates.
    #[test]
    fn traps() {
        let none: &[(&str, &str)] = &[
            ("They may return soon.", "2022-01-05"),
            ("مارس الضغط على الحكومة", "2022-01-05"),
            ("في اليوم التالي عاد الهدوء", "2022-01-05"),
            ("Call 5/1/2022 ambiguous", ""),
            ("Fund 2000 people", "2022-01-05"),
            ("وقال أحد المتظاهرين", "2022-01-05"),
            ("the march was peaceful", "2022-01-05"),
            ("COVID-19 cases rose", "2022-01-05"),
        ];
        for (text, anchor) in none {
            assert_eq!(dates(text, anchor), vec![], "{text:?}");
        }
    }

    #[test]
    fn relative_needs_an_anchor() {
        assert!(dates("Protests began yesterday", "").is_empty());
        assert!(dates("Protests began yesterday", "2022").is_empty());
        assert_eq!(
            dates("منذ الأحد الماضي", "2022-01"),
            vec![("الأحد الماضي".into(), "2022-01".into(), RangeStart)]
        );
    }

    #[test]
    fn document_date_uses_all_evidence() {
        let jan = Some(d("2022-01"));
        let post = [d("2022-01-05")];
        assert_eq!(
            document_date("text", jan, None, &post),
            Some(d("2022-01-05"))
        );
        // A post outside the month is ignored.
        assert_eq!(document_date("text", jan, None, &[d("2021-12-30")]), jan);
        // "today, Wednesday" picks the post that agrees.
        let posts = [d("2022-01-05"), d("2022-01-06")];
        let text = "Protests continued today, Wednesday, in the city.";
        assert_eq!(
            document_date(text, jan, None, &posts),
            Some(d("2022-01-05"))
        );
        // ... or the first such day after the latest post.
        let text = "تواصلت، اليوم الأربعاء، الاحتجاجات";
        assert_eq!(
            document_date(text, jan, None, &[d("2022-01-03")]),
            Some(d("2022-01-05"))
        );
        // URL, header line and dateline.
        let url = "https://news.example/world/2022/01/05/story.html";
        assert_eq!(
            document_date("x", None, Some(url), &[]),
            Some(d("2022-01-05"))
        );
        assert_eq!(
            document_date("x", jan, Some("https://e.x/2021/03/x"), &[]),
            jan
        );
        assert_eq!(document_date("date 2022-01\nنص", None, None, &[]), jan);
        assert_eq!(
            document_date("Date: Wed, 05 Jan 2022 10:00 GMT\n\nBody", None, None, &[]),
            Some(d("2022-01-05"))
        );
        // A header that runs on into a long line (only its opening bytes are read), with a
        // multi-byte character across the cut.
        let long = format!("تاريخ: 2022-01-05 {}", "خبر طويل ".repeat(60));
        assert!(long.len() > HEADER_LINE_BYTES && !long.is_char_boundary(HEADER_LINE_BYTES));
        assert_eq!(document_date(&long, None, None, &[]), Some(d("2022-01-05")));
        let wire = "ALMATY, Jan 5 (Wire) - Crowds gathered.";
        assert_eq!(document_date(wire, jan, None, &[]), Some(d("2022-01-05")));
        assert_eq!(document_date("nothing here", None, None, &post), None);
        assert_eq!(
            document_date("x", Some(d("2022-01-04")), None, &post),
            Some(d("2022-01-04"))
        );
    }

    #[test]
    fn builtin_lexicon_loads_and_bad_ones_are_refused() {
        assert!(DateLexicon::builtin().is_ok());
        let bad = DEFAULT_LEXICON.replace("number = 12", "number = 13");
        let err = DateLexicon::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("month number 13"), "{err}");
        let bad = DEFAULT_LEXICON.replace("range_start =", "range_begin =");
        assert!(DateLexicon::from_toml(&bad).is_err());
    }

    #[test]
    fn out_of_range_spans_are_empty() {
        assert!(find_dates("abc", Span::new(2, 10), Lang::En, None).is_empty());
        assert!(find_dates("أمس", Span::new(1, 2), Lang::Ar, None).is_empty());
    }
}
