//! Trigger matching and the rules that decide whether, and how strongly, a trigger is an
//! event: negation, denial, modality and conditionals, infinitive complements, background
//! clauses, sports and metaphor frames, and one event per type per sentence.

use hadath_model::Lang;

use crate::lexicon::{Cue, Entry, LangTable, PatTok};
use crate::morph::Form;
use crate::ontology::EventType;
use crate::scan::Tok;

/// The widest gap `...` in a pattern may span.
const MAX_GAP: usize = 4;

/// Confidence factor for an Arabic trigger in a sentence that points back at an event of its
/// type with a demonstrative ("هذه المظاهرات").
const ANAPHORA: f32 = 0.7;

/// The most words between a request and the aid it asks for ("طلب الرئيس الكازاخستاني
/// قاسم جومارت توكاييف المساعدة": names and titles stand in between).
const REQUEST_OBJECT_SPAN: usize = 16;

/// The least trigger weight that introduces an event a later clause can point back at.
const ANTECEDENT_WEIGHT: f32 = 0.5;

/// Whether a clause boundary lies between words `a` and `b` (a < b).
fn boundary_between(toks: &[Tok], a: usize, b: usize) -> bool {
    ((a + 1)..=b).any(|k| toks.get(k).is_some_and(|t| t.brk))
}

/// A trigger that matched, before the rules run.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    pub entry: u32,
    pub first: usize,
    pub last: usize,
    /// Token of the first pattern word (the head for attachment).
    pub head: usize,
}

/// A trigger after the rules: what will become an event mention.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub event_type: EventType,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub confidence: f32,
    pub negated: bool,
    pub first: usize,
    pub last: usize,
    pub passive: bool,
    /// The Arabic trigger is a verb that opens its clause (verb-subject order).
    pub verb_initial: bool,
}

fn match_at(entry: &Entry, toks: &[Tok], i: usize) -> Option<usize> {
    let mut cur = i;
    let mut gap = 0usize;
    for p in entry.pattern.iter().skip(1) {
        match p {
            PatTok::Gap => gap = MAX_GAP,
            PatTok::Terms(ts) => {
                let mut found = None;
                for j in (cur + 1)..=(cur + 1 + gap) {
                    let t = toks.get(j)?;
                    if t.brk {
                        return None;
                    }
                    if t.has_any(ts) {
                        found = Some(j);
                        break;
                    }
                }
                cur = found?;
                gap = 0;
            }
        }
    }
    Some(cur)
}

/// All matches of all entries, overlaps resolved: more pattern words first; then, in Arabic,
/// the higher weight before the wider span (a gapped Arabic pattern spans loosely related
/// words, so the stronger reading is the more specific one: "تجددت المظاهرات" over
/// "المظاهرات ... ضد"); in English the wider span first ("failed to reach" over "reach
/// agreement": English gapped patterns are verb frames that govern the narrower match).
pub(crate) fn find_matches(table: &LangTable, toks: &[Tok], lang: Lang) -> Vec<Match> {
    let mut all: Vec<Match> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        for (t, _, _) in tok.terms.iter() {
            let Some(entries) = table.by_first.get(t) else {
                continue;
            };
            for &e in entries {
                if all.iter().any(|m| m.entry == e && m.first == i) {
                    continue;
                }
                let Some(entry) = table.entries.get(e as usize) else {
                    continue;
                };
                if let Some(last) = match_at(entry, toks, i) {
                    if blocked(entry, toks, i, last) {
                        continue;
                    }
                    all.push(Match {
                        entry: e,
                        first: i,
                        last,
                        head: i,
                    });
                }
            }
        }
    }
    let key = |m: &Match| {
        let e = &table.entries[m.entry as usize];
        let (w, span) = ((e.weight * 1000.0) as i32, m.last - m.first);
        if lang == Lang::Ar {
            (e.words, w, span as i32)
        } else {
            (e.words, span as i32, w)
        }
    };
    all.sort_by(|a, b| key(b).cmp(&key(a)).then(a.first.cmp(&b.first)));
    let mut kept: Vec<Match> = Vec::new();
    for m in all {
        if !kept.iter().any(|k| k.first <= m.last && m.first <= k.last) {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.first);
    kept
}

fn blocked(entry: &Entry, toks: &[Tok], first: usize, last: usize) -> bool {
    if entry.block.is_empty() {
        return false;
    }
    let lo = first.saturating_sub(3);
    let hi = (last + 3).min(toks.len().saturating_sub(1));
    (lo..=hi).any(|k| {
        !(first..=last).contains(&k) && toks.get(k).is_some_and(|t| t.has_any(&entry.block))
    })
}

/// Indices of up to `n` words before `i` in the same clause, nearest first.
fn before(toks: &[Tok], i: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    let mut k = i;
    let mut left = n;
    std::iter::from_fn(move || {
        if left == 0 || k == 0 || toks.get(k).is_none_or(|t| t.brk) {
            return None;
        }
        k -= 1;
        left -= 1;
        Some(k)
    })
}

fn cue_before(toks: &[Tok], i: usize, n: usize, cue: Cue) -> Option<usize> {
    before(toks, i, n).find(|&k| toks[k].has_cue(cue))
}

/// Whether an English word looks like a past participle ("arrested", "taken", "held", "shot").
fn looks_participle(word: &str) -> bool {
    ["ed", "en", "wn", "ld", "ht", "nt", "ck", "ot", "ne", "un"]
        .iter()
        .any(|s| ends_with_ignore_ascii_case(word, s))
}

/// `word.to_ascii_lowercase().ends_with(suffix)` for a lowercase ASCII `suffix`, without
/// allocating.
fn ends_with_ignore_ascii_case(word: &str, suffix: &str) -> bool {
    let (w, s) = (word.as_bytes(), suffix.as_bytes());
    w.len() >= s.len()
        && w.get(w.len() - s.len()..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(s))
}

/// Whether an Arabic word carries the article: ال after at most a conjunction (و ف) and a
/// preposition (ب ك), or لل.
pub(crate) fn is_definite(word: &str) -> bool {
    let w = word
        .strip_prefix('و')
        .or_else(|| word.strip_prefix('ف'))
        .unwrap_or(word);
    if w.starts_with("لل") || w.starts_with("ال") {
        return true;
    }
    w.strip_prefix('ب')
        .or_else(|| w.strip_prefix('ك'))
        .is_some_and(|r| r.starts_with("ال"))
}

/// Whether a sentence reads as sports reporting.
fn is_sports(toks: &[Tok], lang: Lang) -> bool {
    let n = toks.iter().filter(|t| t.has_cue(Cue::Sports)).count();
    n >= if lang == Lang::Ar { 1 } else { 2 }
}

/// What an Arabic sentence says about when its events happened, computed once per sentence.
#[derive(Debug, Clone, Copy)]
struct SentenceTime {
    /// A recent time ("أمس", a weekday), or the sentence is a dated timeline entry ("* 21
    /// مايو 2005: اغتيال ...") that gives its own date.
    recent: bool,
    /// A history frame (a year, "قبل عامين", "في القرن"), unless the year is a timeline
    /// entry's own date.
    history: bool,
}

impl SentenceTime {
    fn of(text: &str, toks: &[Tok]) -> SentenceTime {
        // An Arabic sentence that opens with a day and a month is a dated timeline entry.
        let dated_entry = toks.first().is_some_and(|t| {
            let w = t.span.slice(text);
            !w.is_empty() && w.chars().all(char::is_numeric)
        }) && toks.get(1).is_some_and(|t| t.has_cue(Cue::Month));
        SentenceTime {
            recent: dated_entry || toks.iter().any(|t| t.has_cue(Cue::ReportTime)),
            history: !dated_entry && toks.iter().any(|t| t.has_cue(Cue::History)),
        }
    }
}

/// How much a sentence looks like a report of this event rather than commentary about such
/// events: a recent time, a count of people near the trigger, more than one trigger of the
/// type, a verb trigger; against it, a framing noun just before the trigger ("ذكرى اغتيال").
fn report_evidence(
    toks: &[Tok],
    matches: &[Match],
    table: &LangTable,
    mi: usize,
    event_type: EventType,
    first_terms: &[u32],
    sent: SentenceTime,
) -> f32 {
    let Some(m) = matches.get(mi) else {
        return 1.0;
    };
    let mut ev = 1.0f32;
    if sent.recent {
        ev *= 1.08;
    }
    let lo = m.first.saturating_sub(5);
    let hi = (m.last + 6).min(toks.len());
    if toks
        .get(lo..hi)
        .is_some_and(|w| w.iter().any(|t| t.has_cue(Cue::Casualty)))
    {
        ev *= 1.08;
    }
    let same_type = matches
        .iter()
        .enumerate()
        .filter(|(k, o)| {
            *k != mi
                && table
                    .entries
                    .get(o.entry as usize)
                    .is_some_and(|e| e.event_type == event_type)
        })
        .count();
    if same_type > 0 {
        ev *= 1.08;
    }
    // News reports past events with perfect verbs; the imperfect is ongoing, habitual or
    // quoted speech.
    match toks.get(m.head).and_then(|t| t.form_of(first_terms)) {
        Some((Form::Verb, _)) => ev *= 1.05,
        Some((Form::Imperfect, _)) => ev *= 0.9,
        _ => {}
    }
    if cue_before(toks, m.first, 2, Cue::BackgroundFrame).is_some() {
        ev *= 0.75;
    }
    // A history frame dates the trigger unless it sits in a relative clause after it: in
    // "..., the premier whom a coup removed in 2006" the year dates the coup.
    if sent.history && history_dates(toks, m.first, m.last) {
        ev *= 0.7;
    }
    // Wire reports state an event in a sentence of a few dozen words; sentences much longer
    // than that are commentary, analysis or quoted argument, which mention violence in
    // passing ("... as when a car bomb killed a hundred workers, ...").
    let extra_words = toks.len().saturating_sub(LONG_SENTENCE_WORDS) as f32;
    ev *= (1.0 - LONG_SENTENCE_STEP * extra_words).max(LONG_SENTENCE_FLOOR);
    ev
}

/// Whether a history frame (a year, "قبل عامين") in the sentence dates the trigger spanning
/// words `first..=last`: one before it does; one after it does unless it is far after it, in
/// a relative clause opened between them ("..., the premier whom a coup removed in 2006"
/// dates the coup). A near one dates the trigger even so: "killed since the invasion, which
/// began in 2003" is a tally of the past.
fn history_dates(toks: &[Tok], first: usize, last: usize) -> bool {
    if toks.iter().take(first).any(|t| t.has_cue(Cue::History)) {
        return true;
    }
    let mut relative = false;
    for (k, t) in toks.iter().enumerate().skip(last + 1) {
        relative |= t.has_cue(Cue::Relative);
        if t.has_cue(Cue::History) {
            return !(relative && k - last > HISTORY_NEAR);
        }
    }
    false
}

/// Whether the verb-entry trigger `m` is joined by و to a masdar trigger just before it
/// (within [`COORDINATION_SPAN`] words, same clause): "تعذيب المسلمين وقتلهم", "من خطفه
/// وقتله". A masdar is a trigger of a noun entry, or a verb entry's word right after a
/// preposition. Forms that can only be a finite verb ("وقتلوا", "وقتلته") are not affected.
fn coordinated_masdar(
    text: &str,
    table: &LangTable,
    toks: &[Tok],
    matches: &[Match],
    m: &Match,
) -> bool {
    let Some(stem) = toks[m.first].span.slice(text).strip_prefix('و') else {
        return false;
    };
    const VERB_ONLY_ENDINGS: [&str; 6] = ["وا", "وه", "وها", "وهم", "ت", "نا"];
    if VERB_ONLY_ENDINGS.iter().any(|e| stem.ends_with(e)) || stem.contains("ته") {
        return false;
    }
    matches.iter().any(|g| {
        g.last < m.first
            && m.first - g.last <= COORDINATION_SPAN
            && !boundary_between(toks, g.last, m.first)
            && table.entries.get(g.entry as usize).is_some_and(|e| {
                !is_verb_entry(table, first_terms(e))
                    || cue_before(toks, g.first, 1, Cue::Preposition).is_some()
            })
    })
}

/// The terms of an entry's first pattern token (empty for a gap).
fn first_terms(entry: &Entry) -> &[u32] {
    match entry.pattern.first() {
        Some(PatTok::Terms(ts)) => ts,
        _ => &[],
    }
}

/// Whether an entry's first word is a verb only (`word:v`): its bare form after a
/// preposition or in a construct is the masdar.
fn is_verb_entry(table: &LangTable, first_terms: &[u32]) -> bool {
    first_terms.iter().any(|t| table.verb_only.contains(t))
}

/// Words between a masdar and a verb-looking trigger joined to it by و.
const COORDINATION_SPAN: usize = 3;

/// Arabic sentences longer than this many words lose [`LONG_SENTENCE_STEP`] of their report
/// evidence per extra word, down to [`LONG_SENTENCE_FLOOR`].
const LONG_SENTENCE_WORDS: usize = 40;
const LONG_SENTENCE_STEP: f32 = 0.01;
const LONG_SENTENCE_FLOOR: f32 = 0.75;

/// Words after a trigger within which a year dates it whatever clause it is in.
const HISTORY_NEAR: usize = 16;

/// Applies the rules to the matches of one sentence.
pub(crate) fn candidates(
    text: &str,
    table: &LangTable,
    toks: &[Tok],
    matches: &[Match],
    lang: Lang,
) -> Vec<Candidate> {
    let sports = is_sports(toks, lang);
    // A question or rhetorical frame at the start of an Arabic sentence.
    let question = lang == Lang::Ar && toks.iter().take(2).any(|t| t.has_cue(Cue::Question));
    // Only Arabic weighs report evidence.
    let sent_time = if lang == Lang::Ar {
        SentenceTime::of(text, toks)
    } else {
        SentenceTime {
            recent: false,
            history: false,
        }
    };
    // Arabic definite nouns that point back at something already reported: after a
    // demonstrative ("هذه المظاهرات") or a preposition of time ("خلال التظاهرة"), with whether
    // a generic event noun counts ("هذه العملية" does; "خلال العملية" is too vague).
    let pointed: Vec<(usize, bool)> = if lang == Lang::Ar {
        (1..toks.len())
            .filter_map(|k| {
                if toks[k].brk || !toks[k].span.slice(text).starts_with("ال") {
                    return None;
                }
                if toks[k - 1].has_cue(Cue::Demonstrative) {
                    Some((k, true))
                } else if toks[k - 1].has_cue(Cue::During) {
                    Some((k, false))
                } else {
                    None
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Vec::new();
    for (mi, m) in matches.iter().enumerate() {
        let Some(entry) = table.entries.get(m.entry as usize) else {
            continue;
        };
        let mut event_type = entry.event_type;
        let mut mode = entry.mode.clone();
        let mut first = m.first;
        let mut conf = entry.weight;
        let mut negated = false;
        let head = &toks[m.head];
        let first_terms = first_terms(entry);
        if sports && (event_type.is_hostile()) {
            continue;
        }
        // Figurative use: "a march of progress", "مسيرة السلام".
        if matches!(
            event_type,
            EventType::Protest | EventType::Assault | EventType::Mobilize
        ) && toks
            .get(m.last + 1)
            .is_some_and(|t| !t.brk && t.has_cue(Cue::MetaphorAfter))
        {
            continue;
        }
        // Negation and denial.
        if let Some(k) = cue_before(toks, m.first, 3, Cue::Negation) {
            let undone = toks
                .get(k + 1)
                .is_some_and(|t| t.has_cue(Cue::NegationException));
            if !undone {
                negated = true;
            }
        }
        if cue_before(toks, m.first, 4, Cue::Denial).is_some() {
            negated = true;
        }
        // "want / urge / ask the government to resign": a yielding act that someone demands of
        // another party is a REQUEST (demand) by the demander, not the act itself. An object
        // must stand between the verb and "to" ("wanted to resign" is the subject's own plan).
        if lang == Lang::En && !negated && event_type.is_yielding() {
            if let Some(to) = m
                .first
                .checked_sub(1)
                .filter(|&k| toks[k].has_cue(Cue::Infinitive) && !toks[m.first].brk && !toks[k].brk)
            {
                if let Some(k) = before(toks, to, 6)
                    .skip(1)
                    .find(|&k| toks[k].has_cue(Cue::Demand))
                {
                    event_type = EventType::Request;
                    mode = Some("demand".to_string());
                    first = k;
                    conf = conf.max(0.8);
                }
            }
        }
        // A declared refusal ("will not release", "would not attend") is a REJECT event.
        if negated && lang == Lang::En && cue_before(toks, m.first, 4, Cue::PromiseModal).is_some()
        {
            negated = false;
            event_type = EventType::Reject;
            conf *= 0.85;
        }
        // Aid asked for is not aid given: "طلب الرئيس ... المساعدة من", "appealed to X for
        // help". The request is the event; the aid noun is its object.
        if event_type == EventType::Aid
            && matches[..mi].iter().any(|g| {
                g.last < m.first
                    && m.first - g.last <= REQUEST_OBJECT_SPAN
                    && !boundary_between(toks, g.last, m.first)
                    && table
                        .entries
                        .get(g.entry as usize)
                        .is_some_and(|e| e.event_type == EventType::Request)
            })
        {
            continue;
        }
        // Hypothetical: conditionals and weak modals.
        if cue_before(toks, m.first, 8, Cue::Conditional).is_some() {
            continue;
        }
        if cue_before(toks, m.first, 3, Cue::Modal).is_some() {
            // "may impose", "plans to attack": a hostile possibility is a threat.
            if lang == Lang::En && event_type.is_hostile() && !negated {
                event_type = EventType::Threaten;
                conf *= 0.6;
            } else {
                continue;
            }
        }
        if lang == Lang::Ar {
            if question {
                continue;
            }
            let (form, future) = head.form_of(first_terms).unwrap_or((Form::Plain, false));
            if future || cue_before(toks, m.first, 2, Cue::Future).is_some() {
                continue;
            }
            if form == Form::Imperfect
                && cue_before(toks, m.first, 1, Cue::ModalBeforeImperfect).is_some()
            {
                continue;
            }
            // أن / كي + imperfect (subjunctive): "scheduled to organise", "in order to protest".
            if form == Form::Imperfect && cue_before(toks, m.first, 1, Cue::Subordinate).is_some() {
                continue;
            }
            // A relative clause describes a noun already mentioned: "the gunmen who opened
            // fire", "the area from which the protests set out", "الذي قتل في انفجار سيارة
            // مفخخة" (every trigger up to six words into the clause is background).
            if cue_before(toks, m.first, 6, Cue::Relative).is_some() {
                conf *= 0.75;
            }
            // A preposition cannot govern a finite verb: after one, a verb trigger's form is the
            // masdar ("عن قتل الرهينة", "في قتل") or من is "those who" ("من أطلقوا النار").
            let verb_entry = is_verb_entry(table, first_terms);
            if verb_entry && cue_before(toks, m.first, 1, Cue::Preposition).is_some() {
                conf *= 0.75;
            }
            // A verb-looking trigger joined by و to a masdar just before it is a masdar too:
            // "تعذيب المسلمين وقتلهم", "متأكدة من خطفه وقتله" (his kidnapping and killing).
            if verb_entry && coordinated_masdar(text, table, toks, matches, m) {
                conf *= 0.75;
            }
            // The object of an earlier verbal trigger (condemn, accuse, demand, reject, threaten,
            // praise) in the same clause: "أدانت الصين
            // قتل 3 من مواطنيها", "اتهم ... بمحاولة اغتيال". The condemnation, accusation or
            // denial is the event; the act it names is its topic (as in English below).
            let object_of = matches[..mi].iter().any(|g| {
                table.entries.get(g.entry as usize).is_some_and(|e| {
                    e.event_type != event_type && e.event_type.takes_event_object()
                }) && before(toks, m.first, 4).any(|k| k == g.last)
            });
            if object_of {
                conf *= 0.8;
            }
            // A demonstrative or a preposition of time pointing back at an event of this type
            // ("هذه المظاهرات", "قتلوا في هذا الهجوم", "ذلك الحادث", "خلال التظاهرة"): the
            // sentence adds details to an event already reported.
            // A trigger of this type in an earlier clause of the sentence is the antecedent
            // itself ("خرجت مظاهرات ...، ولم تسجل أعمال عنف أثناء المظاهرات"): then nothing
            // points outside. Weak triggers (the participants alone, "المتظاهرون") introduce no
            // event.
            let antecedent = |k: usize| {
                matches.iter().any(|o| {
                    o.last < k
                        && boundary_between(toks, o.last, k)
                        && table.entries.get(o.entry as usize).is_some_and(|e| {
                            e.event_type == event_type && e.weight >= ANTECEDENT_WEIGHT
                        })
                })
            };
            let anaphoric = pointed.iter().any(|&(k, generic)| {
                !antecedent(k)
                    && ((generic && toks[k].has_cue(Cue::EventNoun))
                        || matches.iter().any(|o| {
                            o.first <= k
                                && k <= o.last
                                && table
                                    .entries
                                    .get(o.entry as usize)
                                    .is_some_and(|e| e.event_type == event_type)
                        }))
            });
            if anaphoric {
                conf *= ANAPHORA;
            }
            // A noun trigger as the subject of a modal ("ضربات جوية يمكن أن تستهدف", "هجوم
            // ربما يقع"): a possibility, as with the modal before it.
            let modal_after = !verb_entry
                && form == Form::Plain
                && (m.last + 1..=m.last + 2).any(|k| {
                    toks.get(k)
                        .is_some_and(|t| !t.brk && t.has_cue(Cue::Possibility))
                });
            if modal_after {
                continue;
            }
            let bare = form == Form::Plain && verb_entry;
            // إنّ / أنّ govern nouns: a verb trigger right after ان is a masdar ("إن قتل
            // الصحافية ترك أثرا"), a conditional ("إن قتلوا") or a subjunctive clause ("بعد أن
            // قتلوا"), never the main report.
            if form != Form::Imperfect
                && verb_entry
                && cue_before(toks, m.first, 1, Cue::Subordinate).is_some()
            {
                conf *= 0.75;
            }
            // A bare verb form right after an indefinite noun ending in ة is the masdar in a
            // construct ("محاولة قتل", "في كيفية قتل", "بتهمة خطف"): a feminine subject would
            // take the feminine verb ("الشرطة قتلت"). A definite word ends a fronted place
            // phrase instead ("وفي الحلة تظاهر").
            let construct = bare
                && !toks[m.first].brk
                && m.first.checked_sub(1).is_some_and(|k| {
                    let w = toks[k].span.slice(text);
                    w.ends_with('ة') && !is_definite(w)
                });
            if construct {
                conf *= 0.75;
            }
        } else {
            // will / would: a promise of a cooperative act is an agreement, of a hostile
            // act a threat; other types keep their type, weakened.
            if event_type != EventType::Reject
                && cue_before(toks, m.first, 3, Cue::PromiseModal).is_some()
            {
                if event_type.is_hostile() && event_type != EventType::Threaten {
                    event_type = EventType::Threaten;
                    conf *= 0.75;
                } else if event_type.is_material_cooperation() || event_type == EventType::Consult {
                    event_type = EventType::Agree;
                    conf *= 0.75;
                } else {
                    conf *= 0.8;
                }
            }
            // Infinitive complement of an earlier trigger: "threatened to attack" is a threat.
            if toks
                .get(m.first.wrapping_sub(1))
                .is_some_and(|t| t.has_cue(Cue::Infinitive))
                && !toks[m.first].brk
            {
                let governed = matches[..mi]
                    .iter()
                    .any(|g| before(toks, m.first, 8).any(|k| k == g.last));
                if governed {
                    continue;
                }
                conf *= 0.8;
            }
            // Background clause: "after protests", "following the attack", "who was arrested".
            if cue_before(toks, m.first, 6, Cue::Subordinate).is_some() {
                conf *= 0.7;
            }
            // Inside a prepositional phrase: "condemnation of the attack", "a call for X".
            if cue_before(toks, m.first, 3, Cue::Preposition).is_some() {
                conf *= 0.75;
            }
            // A participle used as an adjective: "the detained vessels", "a banned party".
            if cue_before(toks, m.first, 1, Cue::Determiner).is_some()
                && ends_with_ignore_ascii_case(head.span.slice(text), "ed")
            {
                conf *= 0.6;
            }
            // The object of an earlier trigger in the same clause: "condemned the attack".
            if matches[..mi]
                .iter()
                .any(|g| before(toks, m.first, 8).any(|k| k == g.last))
            {
                conf *= 0.7;
            }
            // Later clauses are less often the main event.
            let clauses = toks[..=m.first].iter().filter(|t| t.brk).count().min(3);
            conf *= 0.93f32.powi(clauses as i32);
        }
        if lang == Lang::Ar {
            conf *= report_evidence(toks, matches, table, mi, event_type, first_terms, sent_time);
        } else {
            // Earlier triggers are more often the main event: a small tie-breaker.
            conf *= 1.0 - 0.003 * (m.first.min(60) as f32);
        }
        let passive = lang == Lang::En
            && cue_before(toks, m.first, 2, Cue::PassiveAux).is_some()
            && looks_participle(head.span.slice(text));
        let verb_initial = lang == Lang::Ar
            && (m.first == 0 || toks[m.first].brk || m.first <= 1)
            && head.form_of(first_terms).is_some();
        out.push(Candidate {
            event_type,
            mode,
            context: entry.context.clone(),
            confidence: conf.clamp(0.0, 1.0),
            negated,
            first,
            last: m.last,
            passive,
            verb_initial,
        });
    }
    out
}
