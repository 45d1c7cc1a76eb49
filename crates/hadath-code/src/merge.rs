//! Document-level merging: mentions of the same event in one document become one
//! [`DocEvent`] that keeps every mention as evidence.
//!
//! Two mentions merge when they have the same type, the same negation, and the same actors:
//! every actor of each has a counterpart in the other with the same key (its code, or its
//! normalised text when it has no code) and a compatible sector (equal, or unknown on one
//! side: "Kazakhstan" matches the Kazakh protesters, but Kazakh citizens demanding something
//! are not the Kazakh government appealing for help). Mentions with no actors merge with each
//! other (same type, unknown actors). The merged
//! event takes the highest mention confidence, the mode of its most confident mention that has
//! one, the union of contexts, actors and recipients, and lists its mentions most confident
//! first. Events come out ordered by confidence, highest first.

use std::collections::BTreeSet;

use hadath_recognise::ActorMention;
use serde::Serialize;

use crate::{EventMention, EventType};

/// One event of a document with all the mentions that report it.
#[derive(Debug, Clone, Serialize)]
pub struct DocEvent {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub confidence: f32,
    pub negated: bool,
    pub actors: Vec<ActorMention>,
    pub recipients: Vec<ActorMention>,
    /// Every mention merged here, most confident first.
    pub mentions: Vec<EventMention>,
}

fn actor_key(a: &ActorMention) -> String {
    if a.code.is_empty() {
        hadath_normalize::key(a.text.trim())
    } else {
        a.code.clone()
    }
}

/// An actor's key and sector, as merging compares them.
type Party = (String, Option<hadath_recognise::Sector>);

fn party(a: &ActorMention) -> Party {
    (actor_key(a), a.sector)
}

/// Whether every party of `a` has a counterpart in `b` (same key, sectors equal or one
/// unknown).
fn covered(a: &[Party], b: &[Party]) -> bool {
    a.iter().all(|(k, s)| {
        b.iter()
            .any(|(k2, s2)| k == k2 && (s.is_none() || s2.is_none() || s == s2))
    })
}

fn union(into: &mut Vec<ActorMention>, from: &[ActorMention]) {
    for a in from {
        let k = actor_key(a);
        if !into.iter().any(|b| actor_key(b) == k) {
            into.push(a.clone());
        }
    }
}

/// Merges the event mentions of one document. See the module docs for the rule.
pub fn merge_mentions(mentions: Vec<EventMention>) -> Vec<DocEvent> {
    type Key = (EventType, bool, Vec<Party>);
    let mut groups: Vec<(Key, Vec<EventMention>)> = Vec::new();
    for m in mentions {
        let parties: Vec<Party> = m
            .actors
            .iter()
            .map(party)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let same = |(t, n, ps): &Key| {
            *t == m.event_type
                && *n == m.negated
                && ps.is_empty() == parties.is_empty()
                && covered(ps, &parties)
                && covered(&parties, ps)
        };
        match groups.iter_mut().find(|(k, _)| same(k)) {
            Some((k, v)) => {
                // A known sector fills an unknown one ("Kazakhstan" then "the protesters").
                for p in &parties {
                    if let Some(q) = k.2.iter_mut().find(|q| q.0 == p.0 && q.1.is_none()) {
                        q.1 = p.1;
                    }
                }
                v.push(m);
            }
            None => groups.push(((m.event_type, m.negated, parties), vec![m])),
        }
    }
    let mut out: Vec<DocEvent> = groups
        .into_iter()
        .map(|((event_type, negated, _), mut ms)| {
            ms.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
            let confidence = ms.first().map_or(0.0, |m| m.confidence);
            let mode = ms.iter().find_map(|m| m.mode.clone());
            let mut context: Vec<String> = Vec::new();
            let mut actors = Vec::new();
            let mut recipients = Vec::new();
            for m in &ms {
                for c in &m.context {
                    if !context.contains(c) {
                        context.push(c.clone());
                    }
                }
                union(&mut actors, &m.actors);
                union(&mut recipients, &m.recipients);
            }
            DocEvent {
                event_type,
                mode,
                context,
                confidence,
                negated,
                actors,
                recipients,
                mentions: ms,
            }
        })
        .collect();
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    out
}
