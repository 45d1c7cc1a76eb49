//! Actor and recipient attachment from word order and clause cues.
//!
//! - English, active (SVO): the actor is the mention nearest before the trigger in its clause
//!   (with mentions coordinated to it: "Jordan and Britain agreed"), else the sentence's first
//!   mention before the trigger; the recipient is the first mention after the trigger.
//! - English, passive ("X was arrested by Y"): the actor follows "by", the recipient is X.
//! - Arabic, verb first (VSO: "هاجم مسلحون القافلة"): the actor is the first mention after the
//!   verb in its clause, the recipient the next one. Otherwise (SVO and nominal sentences) as in English.
//!   An agent phrase after the trigger ("على يد", "من قبل") names the actor.
//! - A trigger that is itself an actor mention ("protesters", "gunmen", "المتظاهرون") is its
//!   own actor; in Arabic, so is a party named inside a multi-word trigger ("وداهم المتظاهرون",
//!   "استيلاء المتظاهرين على").

use hadath_model::Lang;
use hadath_recognise::ActorMention;

use crate::lexicon::Cue;
use crate::ontology::EventType;
use crate::rules::Candidate;
use crate::scan::Tok;

/// Token index range `[a, b]` an actor mention covers (by byte overlap), if any.
fn mention_tokens(toks: &[Tok], m: &ActorMention) -> Option<(usize, usize)> {
    let a = toks.iter().position(|t| t.span.overlaps(m.span))?;
    let b = toks.iter().rposition(|t| t.span.overlaps(m.span))?;
    Some((a, b))
}

/// Whether a clause boundary lies between tokens `a` and `b` (a < b).
fn boundary_between(toks: &[Tok], a: usize, b: usize) -> bool {
    ((a + 1)..=b).any(|k| toks.get(k).is_some_and(|t| t.brk))
}

/// Picks actors and recipients for a candidate among the sentence's mentions.
pub(crate) fn attach(
    toks: &[Tok],
    cand: &Candidate,
    mentions: &[ActorMention],
    lang: Lang,
) -> (Vec<ActorMention>, Vec<ActorMention>) {
    // Mentions with their token ranges, in sentence order, excluding any inside the trigger.
    // Locative phrases ("in Kazakhstan") are places, not parties, unless nothing else is there.
    let parties: Vec<&ActorMention> = mentions.iter().filter(|m| !m.locative).collect();
    let pool: Vec<&ActorMention> = if parties.is_empty() {
        mentions.iter().collect()
    } else {
        parties
    };
    let tokened: Vec<(usize, usize, &ActorMention)> = pool
        .into_iter()
        .filter_map(|m| mention_tokens(toks, m).map(|(a, b)| (a, b, m)))
        .collect();
    // A subject named inside a multi-word trigger ("وداهم المتظاهرون", "وأعلنت السلطات حالة
    // الطوارئ"): the actor when nothing else is.
    let inside: Option<ActorMention> = tokened
        .iter()
        .find(|(a, b, _)| *a >= cand.first && *b <= cand.last)
        .map(|(_, _, m)| (*m).clone());
    let mut placed: Vec<(usize, usize, &ActorMention)> = tokened
        .into_iter()
        .filter(|(a, b, _)| *b < cand.first || *a > cand.last)
        .collect();
    placed.sort_by_key(|(a, _, _)| *a);
    // A trigger that names its own actors: "protesters", "the gunmen", "المتظاهرون".
    // Only the head word counts: "lodged an official protest" is not done by "official".
    let trigger_span = toks.get(cand.first).map(|t| t.span);
    let named = trigger_span.and_then(|ts| mentions.iter().find(|m| m.span.overlaps(ts)));
    if placed.is_empty() {
        return (
            inside.or_else(|| named.cloned()).into_iter().collect(),
            Vec::new(),
        );
    }
    let mut before: Vec<&(usize, usize, &ActorMention)> =
        placed.iter().filter(|(_, b, _)| *b < cand.first).collect();
    // Arabic reported speech: in "قالت الشرطة إن المتظاهرين أضرموا النار" the subject of the
    // trigger is inside the إن clause; the speaker before it reports the event.
    if lang == Lang::Ar {
        let opener = (cand.first.saturating_sub(15)..cand.first)
            .rev()
            .find(|&k| toks.get(k).is_some_and(|t| t.has_cue(Cue::Subordinate)));
        if let Some(k) = opener {
            if before.iter().any(|(a, _, _)| *a > k) {
                before.retain(|(a, _, _)| *a > k);
            }
        }
    }
    let after: Vec<&(usize, usize, &ActorMention)> =
        placed.iter().filter(|(a, _, _)| *a > cand.last).collect();

    // An explicit agent after the trigger: "by Y", "على يد Y", "من قبل Y".
    let agent = after.iter().find(|(a, _, _)| {
        let window = a.saturating_sub(3)..*a;
        (cand.passive || lang == Lang::Ar || a - cand.last <= 4)
            && window
                .clone()
                .any(|k| k > cand.last && toks.get(k).is_some_and(|t| t.has_cue(Cue::Agent)))
            && !boundary_between(toks, cand.last, *a)
    });
    // "X is committed / opposed / willing": attitude verbs in the passive keep X as the actor.
    let passive = cand.passive
        && !matches!(
            cand.event_type,
            EventType::Agree
                | EventType::Reject
                | EventType::Support
                | EventType::Consult
                | EventType::Request
        );

    let mut actors: Vec<ActorMention> = Vec::new();
    let mut recipients: Vec<ActorMention> = Vec::new();
    let nearest_before = |max_dist: usize| {
        before
            .iter()
            .rev()
            .find(|(_, b, _)| cand.first - b <= max_dist)
            .copied()
    };
    let coordinated = |anchor: &(usize, usize, &ActorMention)| {
        // Mentions chained to the anchor by "and" or a comma: "Jordan and Britain".
        let mut group = vec![anchor.2.clone()];
        let mut left = anchor.0;
        for m in before.iter().rev() {
            if m.1 < left && left - m.1 <= 2 {
                group.push(m.2.clone());
                left = m.0;
            }
        }
        let mut right = anchor.1;
        for m in before.iter() {
            if m.0 > right && m.0 - right <= 2 {
                group.push(m.2.clone());
                right = m.1;
            }
        }
        group
    };

    // Arabic: a party named inside the trigger is its subject, whether after a verb ("وداهم
    // المتظاهرون") or as the genitive of a masdar ("استيلاء المتظاهرين على المطار"), even when
    // the sentence opens with a reporting clause ("وأشارت وسائل إعلام إلى ...").
    let inside_subject = (lang == Lang::Ar && named.is_none())
        .then_some(inside.as_ref())
        .flatten();

    if let Some(own) = inside_subject {
        actors.push(own.clone());
        if let Some(r) = after
            .iter()
            .find(|(a, _, _)| a - cand.last <= 10 && !boundary_between(toks, cand.last, *a))
        {
            recipients.push(r.2.clone());
        }
    } else if let Some(own) = named {
        actors.push(own.clone());
        if let Some(r) = after.iter().find(|(a, _, _)| a - cand.last <= 10) {
            recipients.push(r.2.clone());
        }
    } else if let Some(ag) = agent {
        actors.push(ag.2.clone());
        if let Some(r) = nearest_before(12) {
            recipients.push(r.2.clone());
        }
    } else if passive {
        if let Some(r) = nearest_before(12) {
            recipients.push(r.2.clone());
        }
    } else if lang == Lang::Ar && cand.verb_initial {
        // Subject and object stand in the verb's clause: a mention after a comma belongs to
        // the next clause ("تجمع العمال أمام المقر، ورددوا شعارات تطالب الحكومة").
        let mut it = after
            .iter()
            .filter(|(a, _, _)| a - cand.last <= 8 && !boundary_between(toks, cand.last, *a));
        if let Some(a) = it.next() {
            actors.push(a.2.clone());
            if let Some(r) = it.next() {
                recipients.push(r.2.clone());
            }
        } else if let Some(s) = nearest_before(8) {
            // No subject after the verb: it was named before ("المعلمون يعتصمون", "أعلن
            // الاتحاد ...، الثلاثاء، إضرابا") or is the last party named.
            actors.push(s.2.clone());
        }
    } else {
        // The clause subject: the first mention before the trigger with no clause boundary
        // in between ("Russian President X on Saturday hosted Y"), else the nearest one.
        let subject = before
            .iter()
            .find(|(_, b, _)| !boundary_between(toks, *b, cand.first) && cand.first - b <= 15)
            .copied()
            .or_else(|| nearest_before(15));
        if let Some(anchor) = subject {
            actors = coordinated(anchor);
            // A role without a country ("deputies", "the judge"): add the nearest coded
            // mention of the same clause before it ("French ... president and deputies").
            if actors.iter().all(|a| a.code.is_empty()) {
                if let Some(coded) = before.iter().rev().find(|(_, b, m)| {
                    !m.code.is_empty() && *b < anchor.0 && !boundary_between(toks, *b, cand.first)
                }) {
                    actors.push(coded.2.clone());
                }
            }
        } else if let Some(first) = before.first() {
            actors.push(first.2.clone());
        }
        if let Some(r) = after.iter().find(|(a, _, _)| a - cand.last <= 10) {
            recipients.push(r.2.clone());
        }
        if actors.is_empty() && lang == Lang::Ar {
            // Nominal sentence with the subject after a masdar: "هجوم المسلحين".
            if let Some(a) = after.first() {
                if a.0 - cand.last <= 3 {
                    actors.push(a.2.clone());
                    recipients.clear();
                }
            }
        }
    }
    if actors.is_empty() {
        actors.extend(inside);
    }
    actors.sort_by_key(|m| m.span.start);
    actors.dedup_by(|a, b| a.span == b.span);
    recipients.retain(|r| !actors.iter().any(|a| a.span == r.span));
    (actors, recipients)
}
