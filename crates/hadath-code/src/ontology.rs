//! The PLOVER ontology: the 16 event types, their modes, the shared contexts and the CAMEO
//! root codes each type corresponds to. Loaded from `data/plover.toml`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::LexiconError;

/// One of the 16 PLOVER event types. Serialises as its upper-case name (`"PROTEST"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EventType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Protest,
    Sanction,
    Mobilize,
    Coerce,
    Assault,
}

impl EventType {
    /// All types, in PLOVER's order (cooperative first, most hostile last).
    pub const ALL: [EventType; 16] = [
        EventType::Agree,
        EventType::Consult,
        EventType::Support,
        EventType::Concede,
        EventType::Cooperate,
        EventType::Aid,
        EventType::Retreat,
        EventType::Request,
        EventType::Accuse,
        EventType::Reject,
        EventType::Threaten,
        EventType::Protest,
        EventType::Sanction,
        EventType::Mobilize,
        EventType::Coerce,
        EventType::Assault,
    ];

    /// The upper-case PLOVER name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Agree => "AGREE",
            EventType::Consult => "CONSULT",
            EventType::Support => "SUPPORT",
            EventType::Concede => "CONCEDE",
            EventType::Cooperate => "COOPERATE",
            EventType::Aid => "AID",
            EventType::Retreat => "RETREAT",
            EventType::Request => "REQUEST",
            EventType::Accuse => "ACCUSE",
            EventType::Reject => "REJECT",
            EventType::Threaten => "THREATEN",
            EventType::Protest => "PROTEST",
            EventType::Sanction => "SANCTION",
            EventType::Mobilize => "MOBILIZE",
            EventType::Coerce => "COERCE",
            EventType::Assault => "ASSAULT",
        }
    }

    /// Parses an upper- or lower-case PLOVER name.
    pub fn parse(name: &str) -> Option<EventType> {
        let up = name.trim().to_ascii_uppercase();
        EventType::ALL.iter().copied().find(|t| t.as_str() == up)
    }

    /// Material or verbal hostility: a promise of one of these is a threat.
    pub fn is_hostile(self) -> bool {
        matches!(
            self,
            EventType::Threaten
                | EventType::Protest
                | EventType::Sanction
                | EventType::Mobilize
                | EventType::Coerce
                | EventType::Assault
        )
    }

    /// Yielding acts (resigning, releasing, withdrawing): demanded of another party, they are
    /// a REQUEST by the one who demands them.
    pub(crate) fn is_yielding(self) -> bool {
        matches!(self, EventType::Concede | EventType::Retreat)
    }

    /// Verbal types whose object is often another event ("condemned the killing", "demanded
    /// the release", "welcomed the truce"): the named act is their topic, not a new event.
    pub(crate) fn takes_event_object(self) -> bool {
        matches!(
            self,
            EventType::Accuse
                | EventType::Request
                | EventType::Reject
                | EventType::Threaten
                | EventType::Support
        )
    }

    /// Material cooperation or concession: a promise of one of these is an agreement.
    pub fn is_material_cooperation(self) -> bool {
        matches!(
            self,
            EventType::Concede | EventType::Cooperate | EventType::Aid | EventType::Retreat
        )
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the ontology file says about one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    pub event_type: EventType,
    /// CAMEO root codes (two digits) this type corresponds to.
    pub cameo: Vec<String>,
    pub modes: Vec<String>,
    pub note: String,
}

/// The PLOVER types with their modes, the shared contexts and the CAMEO mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ontology {
    types: BTreeMap<EventType, TypeInfo>,
    contexts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OntologyFile {
    contexts: Vec<String>,
    #[serde(rename = "type")]
    types: Vec<TypeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFile {
    name: String,
    #[serde(default)]
    cameo: Vec<String>,
    #[serde(default)]
    modes: Vec<String>,
    #[serde(default)]
    note: String,
}

impl Ontology {
    /// Parses an ontology file (the format of `data/plover.toml`). `file` names it in errors.
    /// All 16 types must be present exactly once.
    pub fn parse(file: &str, text: &str) -> Result<Ontology, LexiconError> {
        let parsed: OntologyFile = toml::from_str(text).map_err(|e| LexiconError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut types = BTreeMap::new();
        for t in parsed.types {
            let event_type = EventType::parse(&t.name).ok_or_else(|| LexiconError::Invalid {
                file: file.to_string(),
                entry: t.name.clone(),
                message: "not one of the 16 PLOVER types".into(),
            })?;
            for c in &t.cameo {
                if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(LexiconError::Invalid {
                        file: file.to_string(),
                        entry: t.name.clone(),
                        message: format!("CAMEO root {c:?} is not two digits"),
                    });
                }
            }
            let info = TypeInfo {
                event_type,
                cameo: t.cameo,
                modes: t.modes,
                note: t.note,
            };
            if types.insert(event_type, info).is_some() {
                return Err(LexiconError::Invalid {
                    file: file.to_string(),
                    entry: t.name,
                    message: "type listed twice".into(),
                });
            }
        }
        if let Some(missing) = EventType::ALL.iter().find(|t| !types.contains_key(t)) {
            return Err(LexiconError::Invalid {
                file: file.to_string(),
                entry: missing.as_str().into(),
                message: "type missing: the ontology must list all 16 PLOVER types".into(),
            });
        }
        Ok(Ontology {
            types,
            contexts: parsed.contexts,
        })
    }

    /// The ontology compiled into the binary.
    pub fn embedded() -> Result<Ontology, LexiconError> {
        Ontology::parse("plover.toml", include_str!("../data/plover.toml"))
    }

    pub fn info(&self, t: EventType) -> Option<&TypeInfo> {
        self.types.get(&t)
    }

    pub fn types(&self) -> impl Iterator<Item = &TypeInfo> {
        self.types.values()
    }

    pub fn contexts(&self) -> &[String] {
        &self.contexts
    }

    pub fn has_mode(&self, t: EventType, mode: &str) -> bool {
        self.types
            .get(&t)
            .is_some_and(|i| i.modes.iter().any(|m| m == mode))
    }

    pub fn has_context(&self, context: &str) -> bool {
        self.contexts.iter().any(|c| c == context)
    }

    /// CAMEO root codes for a type (empty when the file gives none).
    pub fn cameo(&self, t: EventType) -> &[String] {
        self.types
            .get(&t)
            .map(|i| i.cameo.as_slice())
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_ontology_has_all_types_and_modes() {
        let o = Ontology::embedded().unwrap();
        assert_eq!(o.types().count(), 16);
        assert!(o.has_mode(EventType::Protest, "riot"));
        assert!(o.has_mode(EventType::Coerce, "curfew"));
        assert!(o.has_mode(EventType::Assault, "aerial"));
        assert!(!o.has_mode(EventType::Protest, "aerial"));
        assert_eq!(o.cameo(EventType::Protest), ["14"]);
        assert_eq!(o.cameo(EventType::Request), ["02"]);
        assert!(o.has_context("military"));
    }

    #[test]
    fn event_type_names_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{t}\""));
        }
        assert_eq!(EventType::parse("protest"), Some(EventType::Protest));
        assert_eq!(EventType::parse("FIGHT"), None);
    }

    #[test]
    fn rejects_incomplete_or_unknown_types() {
        let bad = "contexts = []\n[[type]]\nname = \"FIGHT\"\n";
        let e = Ontology::parse("x.toml", bad).unwrap_err().to_string();
        assert!(e.contains("x.toml") && e.contains("FIGHT"), "{e}");
        let few = "contexts = []\n[[type]]\nname = \"AGREE\"\n";
        let e = Ontology::parse("y.toml", few).unwrap_err().to_string();
        assert!(e.contains("missing"), "{e}");
    }
}
