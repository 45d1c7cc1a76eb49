//! What a [`crate::Store`] keeps in memory of the store between ingest batches: near-duplicate
//! band lists ([`NearDups`]), the merge lookup's event groups ([`EventGroups`]) and the counts
//! of events ([`EventCounts`]). Both are
//! valid for one store generation ([`crate::Store::generation`]): a batch that finds the
//! generation moved (another process wrote) starts from empty copies, and a batch that fails
//! drops them (what it added is not in the store). They hold everything a batch adds until
//! the batch writes it (see `ingest::Held`), so they are emptied only between batches.

use crate::db::Conn;
use crate::groups::EventGroups;
use crate::ingest::EventCounts;
use crate::neardup::NearDups;
use crate::StoreError;

#[derive(Default)]
pub(crate) struct Copies {
    /// The store generation the copies reflect (`None`: empty, nothing known).
    generation: Option<i64>,
    pub(crate) near: NearDups,
    pub(crate) groups: EventGroups,
    pub(crate) counts: EventCounts,
}

impl Copies {
    /// Called at the start of a batch, inside its transaction: keeps the copies only if
    /// nothing was written since they were made; an empty copy of a small store is filled
    /// with all of it.
    pub(crate) fn begin(&mut self, conn: &mut dyn Conn, generation: i64) -> Result<(), StoreError> {
        self.keep_if(generation);
        self.near.fill(conn)?;
        self.groups.fill(conn)
    }

    /// The copies kept only if they reflect `generation`, and within their size limits.
    fn keep_if(&mut self, generation: i64) {
        if self.generation != Some(generation) {
            self.clear();
            self.generation = Some(generation);
        }
        self.near.trim();
        self.groups.trim();
        self.counts.trim();
    }

    /// Called after a batch committed: the copies now reflect `generation`.
    pub(crate) fn committed(&mut self, generation: i64) {
        self.generation = Some(generation);
    }

    pub(crate) fn clear(&mut self) {
        self.generation = None;
        self.near.clear();
        self.groups.clear();
        self.counts.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::Signature;

    #[test]
    fn copies_last_one_generation() {
        let mut c = Copies::default();
        c.keep_if(3);
        c.near
            .add(1, &Signature::of("one two three four five six seven"), 1);
        c.committed(4);
        c.keep_if(4);
        assert!(!c.near.is_empty(), "nobody else wrote: kept");
        c.keep_if(9);
        assert!(c.near.is_empty(), "another writer wrote: emptied");
        c.near
            .add(2, &Signature::of("one two three four five six seven"), 2);
        c.clear();
        assert!(c.near.is_empty(), "a failed batch: emptied");
    }
}
