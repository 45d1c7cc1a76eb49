//! An in-process copy of what the merge lookup of ingest reads from the store: the stored
//! events of each (type, first day, last day) group it has asked about, with the columns that
//! decide whether a new mention joins one of them (actors, place, country).
//!
//! Every mention of a new document asks for the events of its type near its date: up to five
//! index range scans each, a hundred thousand queries for twenty thousand documents (and on
//! PostgreSQL a network round trip each). Groups are few (a type, a day) and a long ingest asks
//! about the same ones again and again, so the copy answers most lookups from memory.
//!
//! Like [`crate::neardup::NearDups`], the copy lives in [`crate::copies::Copies`], valid for
//! one store generation. Events the batch inserts, and places it fills in, are added to the
//! groups already copied; a group not copied yet is read from the store (inside the batch's
//! transaction, so with them). A group larger than [`MAX_GROUP`] is not copied: lookups in it
//! stay queries, bounded as before.
//!
//! A copy begun on a small store reads every event of it ([`EventGroups::fill`]): it is then
//! *whole*, and a group it lacks has no stored event, with nothing to ask. Most lookups of a
//! new store's first tens of thousands of events are for groups seen for the first time.

use crate::db::{Conn, Value};
use crate::StoreError;
use rustc_hash::FxHashMap as HashMap;

/// Events of one group copied at most; a larger group (undated events of a type, say, in a
/// big store) is asked about through the index, with the place narrowing the scan.
pub(crate) const MAX_GROUP: usize = 2_000;
/// Events copied in all before the copy is dropped and rebuilt, between batches (about 60 MB).
const MAX_ENTRIES: usize = 400_000;
/// A store of at most this many events is read whole when a copy begins (a few milliseconds).
const FILL_EVENTS: i64 = 5_000;

/// A group of stored events: one type, one day range (`None`: undated).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct GroupKey {
    pub(crate) event_type: String,
    pub(crate) day_start: Option<i64>,
    pub(crate) day_end: Option<i64>,
}

/// A stored event that might be the same as a new one.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub(crate) id: i64,
    pub(crate) actor1: Option<String>,
    pub(crate) actor2: Option<String>,
    pub(crate) lat: Option<f64>,
    pub(crate) lon: Option<f64>,
    pub(crate) country: Option<String>,
    pub(crate) day: Option<i64>,
}

impl Candidate {
    /// From a row of [`CANDIDATE_COLUMNS`].
    pub(crate) fn from_row(r: &[Value]) -> Candidate {
        let col = |i: usize| r.get(i).unwrap_or(&Value::Null);
        Candidate {
            id: col(0).int().unwrap_or(0),
            actor1: col(1).string(),
            actor2: col(2).string(),
            lat: col(3).real(),
            lon: col(4).real(),
            country: col(5).string(),
            day: col(6).int(),
        }
    }
}

/// The columns of [`Candidate::from_row`].
pub(crate) const CANDIDATE_COLUMNS: &str =
    "id, actor1_code, actor2_code, lat, lon, country, day_start";

enum Group {
    Copied(Vec<Candidate>),
    /// More than [`MAX_GROUP`] events.
    TooBig,
}

pub(crate) struct EventGroups {
    groups: HashMap<GroupKey, Group>,
    entries: usize,
    /// Largest group copied ([`MAX_GROUP`]; tests lower it to compare with the store's answers).
    max_group: usize,
    /// Every event of the store is in the copy ([`EventGroups::fill`]).
    whole: bool,
    /// Largest store read whole ([`FILL_EVENTS`]; tests set 0 to compare with the store's
    /// answers).
    fill_events: i64,
}

impl Default for EventGroups {
    fn default() -> EventGroups {
        EventGroups {
            groups: HashMap::default(),
            entries: 0,
            max_group: MAX_GROUP,
            whole: false,
            fill_events: FILL_EVENTS,
        }
    }
}

impl EventGroups {
    /// A copy that keeps no group (every lookup asks the store), for tests.
    #[cfg(test)]
    pub(crate) fn uncopied() -> EventGroups {
        EventGroups::copying_at_most(0)
    }

    /// A copy that keeps groups of at most `max_group` events, for tests.
    #[cfg(test)]
    pub(crate) fn copying_at_most(max_group: usize) -> EventGroups {
        EventGroups {
            max_group,
            ..EventGroups::default()
        }
    }

    /// A copy that never reads the store whole, for tests.
    #[cfg(test)]
    pub(crate) fn never_whole(mut self) -> EventGroups {
        self.fill_events = 0;
        self
    }

    /// How many groups are copied and how many are too large, for tests.
    #[cfg(test)]
    pub(crate) fn kinds(&self) -> (usize, usize) {
        let copied = self
            .groups
            .values()
            .filter(|g| matches!(g, Group::Copied(_)))
            .count();
        (copied, self.groups.len() - copied)
    }

    pub(crate) fn clear(&mut self) {
        self.groups.clear();
        self.entries = 0;
        self.whole = false;
    }

    /// Reads every event of the store into an empty copy when it holds at most
    /// [`FILL_EVENTS`]. Called at the start of a batch, inside its transaction.
    pub(crate) fn fill(&mut self, conn: &mut dyn Conn) -> Result<(), StoreError> {
        if self.whole || self.max_group == 0 || !self.groups.is_empty() {
            return Ok(());
        }
        if crate::ingest::next_id(conn, "events")? - 1 > self.fill_events {
            return Ok(());
        }
        let mut read: HashMap<GroupKey, Vec<Candidate>> = HashMap::default();
        let sql = format!("SELECT event_type, day_end, {CANDIDATE_COLUMNS} FROM events");
        for r in conn.rows(&sql, &[])? {
            let (Some(event_type), Some(row)) = (r.first().and_then(Value::string), r.get(2..))
            else {
                continue;
            };
            let c = Candidate::from_row(row);
            let key = GroupKey {
                event_type,
                day_start: c.day,
                // As the lookups ask: an undated event's group has no end either.
                day_end: c.day.and(r.get(1).and_then(Value::int)),
            };
            read.entry(key).or_default().push(c);
        }
        for (key, rows) in read {
            let group = if rows.len() > self.max_group {
                Group::TooBig
            } else {
                self.entries += rows.len() + 1;
                Group::Copied(rows)
            };
            self.groups.insert(key, group);
        }
        self.whole = true;
        Ok(())
    }

    /// Keeps memory bounded: starts over when the copy has grown past [`MAX_ENTRIES`] (what is
    /// read again is the same). Only between batches: a batch's new events are in the copy,
    /// not yet in the store.
    pub(crate) fn trim(&mut self) {
        if self.entries > MAX_ENTRIES {
            self.clear();
        }
    }

    /// Copies the groups of `keys` not copied yet (or marks them too large), all in one
    /// statement.
    fn load(&mut self, conn: &mut dyn Conn, keys: &[GroupKey]) -> Result<(), StoreError> {
        if self.max_group == 0 {
            return Ok(());
        }
        let mut missing: Vec<&GroupKey> = Vec::new();
        for key in keys {
            if !self.groups.contains_key(key) && !missing.contains(&key) {
                missing.push(key);
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        if self.whole {
            // A group the copy lacks has no stored event.
            for key in missing {
                self.entries += 1;
                self.groups.insert(key.clone(), Group::Copied(Vec::new()));
            }
            return Ok(());
        }
        let mut parts = Vec::with_capacity(missing.len());
        let mut params = Vec::new();
        for (i, key) in missing.iter().enumerate() {
            params.push(key.event_type.as_str().into());
            let cond = match (key.day_start, key.day_end) {
                (Some(s), Some(e)) => {
                    params.extend([Value::Int(s), Value::Int(e)]);
                    "day_start = ? AND day_end = ?"
                }
                (Some(s), None) => {
                    params.push(Value::Int(s));
                    "day_start = ? AND day_end IS NULL"
                }
                _ => "day_start IS NULL",
            };
            parts.push(format!(
                "SELECT * FROM (SELECT {i} AS k, {CANDIDATE_COLUMNS} FROM events \
                 WHERE event_type = ? AND {cond} LIMIT {}) AS g{i}",
                self.max_group + 1
            ));
        }
        let mut read: Vec<Vec<Candidate>> = vec![Vec::new(); missing.len()];
        for r in conn.rows(&parts.join(" UNION ALL "), &params)? {
            if let Some((k, row)) = r.split_first() {
                if let Some(group) = k.int().and_then(|k| read.get_mut(usize::try_from(k).ok()?)) {
                    group.push(Candidate::from_row(row));
                }
            }
        }
        for (key, rows) in missing.into_iter().zip(read) {
            let group = if rows.len() > self.max_group {
                Group::TooBig
            } else {
                self.entries += rows.len() + 1;
                Group::Copied(rows)
            };
            self.groups.insert(key.clone(), group);
        }
        Ok(())
    }

    /// Every stored event of these groups; `None` if one of them is too large to copy.
    pub(crate) fn candidates(
        &mut self,
        conn: &mut dyn Conn,
        keys: &[GroupKey],
    ) -> Result<Option<Vec<&Candidate>>, StoreError> {
        // Every group is loaded, even after one too large to copy: a new event's own group
        // is among `keys`, and must be in the copy (or known too large) before the event is
        // added to it, since the event is not in the store until the batch ends.
        self.load(conn, keys)?;
        let copied = keys
            .iter()
            .all(|k| matches!(self.groups.get(k), Some(Group::Copied(_))));
        if !copied {
            return Ok(None);
        }
        let mut out = Vec::new();
        for key in keys {
            if let Some(Group::Copied(list)) = self.groups.get(key) {
                out.extend(list);
            }
        }
        Ok(Some(out))
    }

    /// An event the batch inserted.
    pub(crate) fn inserted(&mut self, key: &GroupKey, candidate: Candidate) {
        if let Some(Group::Copied(list)) = self.groups.get_mut(key) {
            list.push(candidate);
            self.entries += 1;
        }
    }
}
