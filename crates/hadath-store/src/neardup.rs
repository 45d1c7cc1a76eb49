//! An in-process copy of what near-duplicate search reads from the store: for each LSH band,
//! the first [`BAND_ROWS`] documents that have it (in id order, as the store's index gives
//! them), and each of those documents' signature and cluster. A long ingest compares every
//! new document with documents it has just written; asking the store for them costs a
//! sixteen-way union and sort per document, the copy costs a few hash lookups.
//!
//! The copy lives in [`crate::copies::Copies`], valid for one store generation. It answers
//! exactly as the SQL it stands for; a band or document it has not seen is read from the store
//! once. A copy begun on a small store reads all of it ([`NearDups::fill`]): it is then
//! *whole*, and a band it lacks is a band no stored document has, with nothing to ask. A new
//! store stays whole for the first tens of thousands of documents ingested into it, which
//! spares each new document a sixteen-band query that finds nothing.

use crate::db::{Conn, Value};
use crate::minhash::Signature;
use crate::StoreError;
use rustc_hash::FxHashMap as HashMap;

/// How many matches of each LSH band are read to find candidates (a wire story republished a
/// thousand times shares its bands with a thousand documents; members of one cluster share its
/// id, so a sample of each band finds the clusters it leads to).
pub(crate) const BAND_ROWS: usize = 256;
/// How many stored documents a new one is compared with (those sharing the most bands).
pub(crate) const CANDIDATES: usize = 24;
/// Band keys plus document ids kept before the copy is dropped and rebuilt between batches (about
/// 30 MB: half a million bands of one document each).
const MAX_BAND_ENTRIES: usize = 1_000_000;
/// Document signatures kept before the copy is dropped and rebuilt between batches (about 20 MB).
const MAX_DOCS: usize = 100_000;
/// A store of at most this many documents is read whole when a copy begins (at most 16 band
/// rows each: a few milliseconds).
const FILL_DOCS: i64 = 2_000;

pub(crate) struct NearDups {
    bands: HashMap<i64, Vec<i64>>,
    band_entries: usize,
    /// Document id → signature and cluster id.
    docs: HashMap<i64, (Signature, i64)>,
    /// Scratch space of [`NearDups::candidates`] (kept for its allocations).
    shared: Shared,
    /// Every band and document of the store is in the copy ([`NearDups::fill`]).
    whole: bool,
    /// Largest store read whole ([`FILL_DOCS`]; tests set 0 to compare with the store's answers).
    fill_docs: i64,
}

impl Default for NearDups {
    fn default() -> NearDups {
        NearDups {
            bands: HashMap::default(),
            band_entries: 0,
            docs: HashMap::default(),
            shared: Default::default(),
            whole: false,
            fill_docs: FILL_DOCS,
        }
    }
}

/// Counts, for the document ids of several lists, how many lists hold each (a list counted
/// `n` times counts `n`). Ids within [`Shared::DENSE_SPAN`] of each other, as the ids of the
/// lists of one document's bands mostly are, are counted in an array indexed by id: a
/// hash map per id cost twice as much as the rest of the near-duplicate search.
#[derive(Default)]
struct Shared {
    counts: Vec<u32>,
    touched: Vec<i64>,
    sparse: HashMap<i64, u32>,
}

impl Shared {
    const DENSE_SPAN: i64 = 1 << 20;

    /// Counts into the array the ids of `lists`, all of which should lie in `lo..=hi`; false
    /// (and nothing counted) if one does not.
    fn count_dense(&mut self, lists: &[(&[i64], u32)], lo: i64, hi: i64) -> bool {
        let span = (hi - lo + 1) as usize;
        if self.counts.len() < span {
            self.counts.resize(span, 0);
        }
        for &(list, n) in lists {
            for &id in list {
                let Some(slot) = usize::try_from(id - lo)
                    .ok()
                    .and_then(|i| self.counts.get_mut(i))
                else {
                    for id in self.touched.drain(..) {
                        self.counts[(id - lo) as usize] = 0;
                    }
                    return false;
                };
                if *slot == 0 {
                    self.touched.push(id);
                }
                *slot += n;
            }
        }
        true
    }

    /// Each id of `lists` with its count, in no particular order.
    fn count(&mut self, lists: &[(&[i64], u32)]) -> Vec<(i64, u32)> {
        // The lists are in ascending order: their ends bound the ids. (Should one not be, an
        // id out of these bounds sends the count to the hash map.)
        let lo = lists.iter().filter_map(|(l, _)| l.first()).min().copied();
        let hi = lists.iter().filter_map(|(l, _)| l.last()).max().copied();
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Vec::new();
        };
        if hi < lo || hi - lo >= Shared::DENSE_SPAN || !self.count_dense(lists, lo, hi) {
            for &(list, n) in lists {
                for &id in list {
                    *self.sparse.entry(id).or_insert(0) += n;
                }
            }
            return self.sparse.drain().collect();
        }
        let mut out = Vec::with_capacity(self.touched.len());
        for id in self.touched.drain(..) {
            let slot = &mut self.counts[(id - lo) as usize];
            out.push((id, *slot));
            *slot = 0;
        }
        out
    }
}

impl NearDups {
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.bands.is_empty()
    }

    /// A copy that never reads the store whole, for tests.
    #[cfg(test)]
    pub(crate) fn never_whole() -> NearDups {
        NearDups {
            fill_docs: 0,
            ..NearDups::default()
        }
    }

    pub(crate) fn clear(&mut self) {
        self.bands.clear();
        self.band_entries = 0;
        self.docs.clear();
        self.whole = false;
    }

    /// Reads the whole store into an empty copy when it holds at most [`FILL_DOCS`] documents:
    /// every band's first [`BAND_ROWS`] documents, and every document's signature and cluster.
    /// Called at the start of a batch, inside its transaction.
    pub(crate) fn fill(&mut self, conn: &mut dyn Conn) -> Result<(), StoreError> {
        if self.whole || !self.bands.is_empty() || !self.docs.is_empty() {
            return Ok(());
        }
        if crate::ingest::next_id(conn, "documents")? - 1 > self.fill_docs {
            return Ok(());
        }
        // Ascending band, then id: the order of the primary key.
        let rows = conn.rows(
            "SELECT band_key, document_id FROM document_bands ORDER BY band_key, document_id",
            &[],
        )?;
        for r in rows {
            if let (Some(band), Some(id)) = (
                r.first().and_then(Value::int),
                r.get(1).and_then(Value::int),
            ) {
                let ids = self.bands.entry(band).or_insert_with(|| {
                    self.band_entries += 1;
                    Vec::new()
                });
                if ids.len() < BAND_ROWS {
                    ids.push(id);
                    self.band_entries += 1;
                }
            }
        }
        for r in conn.rows("SELECT id, minhash, cluster_id FROM documents", &[])? {
            let doc = (|| {
                let sig = Signature::from_hex(r.get(1)?.text()?, 0)?;
                Some((r.first()?.int()?, (sig, r.get(2)?.int()?)))
            })();
            if let Some((id, v)) = doc {
                self.docs.insert(id, v);
            }
        }
        self.whole = true;
        Ok(())
    }

    /// Keeps memory bounded: starts over when the copy has grown past its limits (the store
    /// holds everything dropped: what is read again is the same). Only between batches: a
    /// batch's documents are in the copy, not yet in the store.
    pub(crate) fn trim(&mut self) {
        if self.band_entries > MAX_BAND_ENTRIES || self.docs.len() > MAX_DOCS {
            self.clear();
        }
    }

    /// Reads into the copy the bands of `bands` it lacks: for each, the first `BAND_ROWS`
    /// documents with it (ascending ids), all in one statement.
    fn load(&mut self, conn: &mut dyn Conn, bands: &[i64]) -> Result<(), StoreError> {
        if self.whole {
            // A band the copy lacks, no stored document has.
            return Ok(());
        }
        let missing = crate::absent(bands, &self.bands);
        if missing.is_empty() {
            return Ok(());
        }
        let one = format!(
            "SELECT * FROM (SELECT band_key, document_id FROM document_bands WHERE band_key = ? \
             ORDER BY document_id LIMIT {BAND_ROWS}) AS b"
        );
        let sql = vec![one.as_str(); missing.len()].join(" UNION ALL ");
        let params: Vec<Value> = missing.iter().map(|&b| Value::Int(b)).collect();
        let mut read: HashMap<i64, Vec<i64>> = missing.iter().map(|&b| (b, Vec::new())).collect();
        for r in conn.rows(&sql, &params)? {
            if let (Some(band), Some(id)) = (
                r.first().and_then(Value::int),
                r.get(1).and_then(Value::int),
            ) {
                read.entry(band).or_default().push(id);
            }
        }
        for (band, mut ids) in read {
            ids.sort_unstable();
            self.band_entries += ids.len() + 1;
            self.bands.insert(band, ids);
        }
        Ok(())
    }

    /// A stored document's signature and cluster.
    fn doc(
        &mut self,
        conn: &mut dyn Conn,
        id: i64,
    ) -> Result<Option<&(Signature, i64)>, StoreError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.docs.entry(id) {
            let rows = conn.rows(
                "SELECT minhash, cluster_id FROM documents WHERE id = ?",
                &[Value::Int(id)],
            )?;
            let found = rows.first().and_then(|r| {
                let sig = Signature::from_hex(r.first()?.text()?, 0)?;
                Some((sig, r.get(1)?.int()?))
            });
            match found {
                Some(v) => {
                    slot.insert(v);
                }
                None => return Ok(None),
            }
        }
        Ok(self.docs.get(&id))
    }

    /// Stored documents sharing the most bands with `sig` (ties: lower id first), at most
    /// [`CANDIDATES`], with their signatures and clusters.
    pub(crate) fn candidates(
        &mut self,
        conn: &mut dyn Conn,
        sig: &Signature,
    ) -> Result<Vec<(Signature, i64)>, StoreError> {
        let bands = sig.bands();
        self.load(conn, &bands)?;
        // Each distinct list of documents once, with the number of bands that give it: the
        // bands of a story copied many times list the same first documents.
        let mut lists: Vec<(&[i64], u32)> = Vec::with_capacity(bands.len());
        for b in &bands {
            let ids = self.bands.get(b).map_or(&[][..], Vec::as_slice);
            if ids.is_empty() {
                continue;
            }
            match lists.iter_mut().find(|(l, _)| *l == ids) {
                Some((_, n)) => *n += 1,
                None => lists.push((ids, 1)),
            }
        }
        // How many of the signature's bands list each document.
        let mut ranked = self.shared.count(&lists);
        if ranked.len() > CANDIDATES {
            ranked.select_nth_unstable_by(CANDIDATES - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked.truncate(CANDIDATES);
        }
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out = Vec::with_capacity(ranked.len());
        for (id, _) in ranked {
            if let Some(d) = self.doc(conn, id)? {
                out.push(d.clone());
            }
        }
        Ok(out)
    }

    /// Whether `band` has [`BAND_ROWS`] documents already, as far as the copy knows: a later
    /// document's row for it would never be among the first [`BAND_ROWS`] (ids only grow), so
    /// it is not written. A band the copy has not read counts as not full.
    pub(crate) fn full(&self, band: i64) -> bool {
        self.bands
            .get(&band)
            .is_some_and(|ids| ids.len() >= BAND_ROWS)
    }

    /// A document just stored with these bands, this signature and cluster.
    pub(crate) fn add(&mut self, id: i64, sig: &Signature, cluster: i64) {
        for b in sig.bands() {
            // Only bands already read are extended: one not read yet is read with this
            // document in it (a whole copy has them all: a new band starts here). Ids only
            // grow, so appending keeps the "first BAND_ROWS" order.
            if self.whole && !self.bands.contains_key(&b) {
                self.bands.insert(b, Vec::new());
                self.band_entries += 1;
            }
            if let Some(ids) = self.bands.get_mut(&b) {
                if ids.len() < BAND_ROWS && ids.last().is_none_or(|&l| l < id) {
                    ids.push(id);
                    self.band_entries += 1;
                }
            }
        }
        self.docs.insert(id, (sig.clone(), cluster));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    const STORY: &str = "Hundreds of dock workers went on strike in the port of Aktau on Tuesday, \
        demanding higher wages and safer cranes, and blocked the main gate for six hours while \
        managers met union leaders at the harbour office near the old lighthouse.";

    proptest::proptest! {
        /// Counted in the array or in the hash map (ids far apart, or lists out of order),
        /// each id gets the sum of the counts of the lists that hold it; the scratch space is
        /// left clean for the next.
        #[test]
        fn shared_counts_are_sums_over_the_lists(
            lists in proptest::collection::vec(
                (proptest::collection::vec(1i64..300, 0..40), 1u32..4),
                0..6,
            ),
            far in proptest::bool::ANY,
            sorted in proptest::bool::ANY,
        ) {
            let lists: Vec<(Vec<i64>, u32)> = lists
                .into_iter()
                .enumerate()
                .map(|(i, (ids, n))| {
                    let shift = if far && i == 0 { 5 * Shared::DENSE_SPAN } else { 0 };
                    let mut ids: Vec<i64> = ids.into_iter().map(|id| id + shift).collect();
                    if sorted {
                        ids.sort_unstable();
                    }
                    (ids, n)
                })
                .collect();
            let borrowed: Vec<(&[i64], u32)> =
                lists.iter().map(|(l, n)| (l.as_slice(), *n)).collect();
            let mut expected = std::collections::BTreeMap::new();
            for (l, n) in &lists {
                for &id in l {
                    *expected.entry(id).or_insert(0u32) += n;
                }
            }
            let mut shared = Shared::default();
            for _ in 0..2 {
                let got: std::collections::BTreeMap<i64, u32> =
                    shared.count(&borrowed).into_iter().collect();
                proptest::prop_assert_eq!(&got, &expected);
            }
            proptest::prop_assert!(shared.counts.iter().all(|&c| c == 0));
        }
    }

    /// A wire story copied more often than a band lists: every copy joins the first one's
    /// cluster, and no band keeps more rows than are ever read.
    #[test]
    fn bands_keep_the_rows_that_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("w.db").to_str().unwrap()).unwrap();
        let pipeline = hadath_extract::Pipeline::new(Default::default()).unwrap();
        let copies = BAND_ROWS + 40;
        let records: Vec<_> = (0..copies)
            .map(|n| {
                let mut doc = hadath_model::Document::from_text(
                    format!("c{n}"),
                    format!("{STORY} Copy {n}."),
                );
                doc.published = hadath_model::PartialDate::parse("2023-04-04");
                pipeline.process(doc)
            })
            .collect();
        for batch in records.chunks(64) {
            store.ingest(batch).unwrap();
        }
        let conn = store.conn.as_mut();
        let one =
            |conn: &mut dyn Conn, sql: &str| conn.rows(sql, &[]).unwrap()[0][0].int().unwrap();
        assert_eq!(
            one(conn, "SELECT COUNT(DISTINCT cluster_id) FROM documents"),
            1
        );
        assert_eq!(
            one(
                conn,
                "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM document_bands GROUP BY band_key)"
            ),
            BAND_ROWS as i64
        );
        // Bands the copies share stopped growing; the copies' own bands are all there.
        let rows = one(conn, "SELECT COUNT(*) FROM document_bands");
        assert!(rows < (copies * crate::minhash::BANDS) as i64, "{rows}");
        assert!(
            rows > (BAND_ROWS * crate::minhash::BANDS / 2) as i64,
            "{rows}"
        );
        assert_eq!(store.check().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn candidates_come_from_the_store_then_from_the_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("n.db").to_str().unwrap()).unwrap();
        let mut doc = hadath_model::Document::from_text("a", STORY);
        doc.published = hadath_model::PartialDate::parse("2023-04-04");
        let pipeline = hadath_extract::Pipeline::new(Default::default()).unwrap();
        store.ingest(&[pipeline.process(doc)]).unwrap();
        let conn = store.conn.as_mut();
        let edited = Signature::of(&STORY.replace("six hours", "five hours"));
        let mut near = NearDups::default();
        let found = near.candidates(conn, &edited).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, 1, "the stored document leads its own cluster");
        assert!(edited.similarity(&found[0].0) >= crate::minhash::MIN_JACCARD);
        // A document added in this process is found without asking the store again.
        near.add(2, &edited, 1);
        let again = near.candidates(conn, &edited).unwrap();
        assert_eq!(again.len(), 2);
        // The copy of itself shares every band and ranks first.
        assert_eq!((again[0].0.mins, again[0].1), (edited.mins, 1));
        assert_eq!(again[1].0.mins, found[0].0.mins);
        // Emptied (another generation: see `Copies`): nothing kept.
        assert_eq!(near.docs.len(), 2);
        near.clear();
        assert!(near.docs.is_empty() && near.bands.is_empty());
        // Document 2 was never stored: read from the store, only document 1 is there.
        assert_eq!(near.candidates(conn, &edited).unwrap().len(), 1);
    }
}
