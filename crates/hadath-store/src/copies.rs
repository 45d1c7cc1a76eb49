//! What a [`crate::Store`] keeps in memory of the store between ingest batches: near-duplicate
//! band lists ([`NearDups`]) and the merge lookup's event groups ([`EventGroups`]). Both are
//! valid for one store generation ([`crate::Store::generation`]): a batch that finds the
//! generation moved (another process wrote) starts from empty copies, and a batch that fails
//! drops them (what it added is not in the store). They hold everything a batch adds until
//! the batch writes it (see `ingest::Held`), so they are emptied only between batches.

use crate::groups::EventGroups;
use crate::neardup::NearDups;

#[derive(Default)]
pub(crate) struct Copies {
    /// The store generation the copies reflect (`None`: empty, nothing known).
    generation: Option<i64>,
    pub(crate) near: NearDups,
    pub(crate) groups: EventGroups,
}

impl Copies {
    /// Called at the start of a batch, inside its transaction: keeps the copies only if
    /// nothing was written since they were made.
    pub(crate) fn begin(&mut self, generation: i64) {
        if self.generation != Some(generation) {
            self.clear();
            self.generation = Some(generation);
        }
        self.near.trim();
        self.groups.trim();
    }

    /// Called after a batch committed: the copies now reflect `generation`.
    pub(crate) fn committed(&mut self, generation: i64) {
        self.generation = Some(generation);
    }

    pub(crate) fn clear(&mut self) {
        self.generation = None;
        self.near.clear();
        self.groups.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::Signature;

    #[test]
    fn copies_last_one_generation() {
        let mut c = Copies::default();
        c.begin(3);
        c.near
            .add(1, &Signature::of("one two three four five six seven"), 1);
        c.committed(4);
        c.begin(4);
        assert!(!c.near.is_empty(), "nobody else wrote: kept");
        c.begin(9);
        assert!(c.near.is_empty(), "another writer wrote: emptied");
        c.near
            .add(2, &Signature::of("one two three four five six seven"), 2);
        c.clear();
        assert!(c.near.is_empty(), "a failed batch: emptied");
    }
}
