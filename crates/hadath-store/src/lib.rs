//! The hadath event store: documents in, de-duplicated and merged events out.
//!
//! A [`Store`] wraps one database, SQLite (the embedded default, a file in WAL mode) or
//! PostgreSQL (`postgres://…`, for several ingest workers on several machines), with the same
//! schema (`migrations/<dialect>/NNN_*.sql`, applied in order and recorded in
//! `schema_version`) and the same behaviour:
//!
//! - [`Store::ingest`] writes one batch of [`hadath_extract::Record`]s in one transaction:
//!   each document keyed by the SHA-256 of its text (re-ingesting adds nothing; a killed run
//!   leaves whole batches only), linked to its near-duplicate cluster ([`minhash`]), and each of
//!   its events merged with the stored event it describes (same type, compatible actors, place
//!   within [`MergeOptions::radius_km`], dates within [`MergeOptions::window_days`]) or stored as
//!   a new one; every mention keeps its evidence.
//! - [`Store::events`], [`Store::event`], [`Store::document`], [`Store::stats`] answer queries
//!   with a [`Filter`]; [`export`] writes CSV (ACLED-like), JSON Lines, GeoJSON or Parquet.
//!
//! ```
//! use hadath_extract::{Pipeline, PipelineOptions};
//! use hadath_model::Document;
//! use hadath_store::{Filter, Page, Store};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = Store::open(dir.path().join("events.db").to_str().unwrap()).unwrap();
//! let pipeline = Pipeline::new(PipelineOptions::default()).unwrap();
//! let rec = pipeline.process(Document::from_text("d1",
//!     "date 2022-01-05\nThousands of protesters marched in Almaty on Wednesday."));
//! let stats = store.ingest(&[rec.clone()]).unwrap();
//! assert_eq!(stats.documents, 1);
//! assert_eq!(store.ingest(&[rec]).unwrap().documents, 0); // idempotent
//! let page = store.events(&Filter::default(), &Page::default()).unwrap();
//! assert_eq!(page.events[0].event_type, "PROTEST");
//! ```

mod copies;
mod db;
pub mod export;
mod groups;
mod ingest;
pub mod minhash;
mod neardup;
mod query;
mod search;

pub use db::{Dialect, Value};
pub use export::{export, ExportFormat};
pub use ingest::{content_hash, BatchStats, MergeOptions};
pub use query::{
    ActorRow, Counts, DayCount, DocumentDetail, EventDetail, EventPage, EventRow, Filter,
    Highlight, KeyCount, MentionRow, Page, SentenceRow, Sort, Stats,
};

use db::{Conn, Postgres, Sqlite};
use std::path::PathBuf;

/// Errors of the store. Messages name the store and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL store error: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("cannot open the store {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("the store {url} has schema version {found}, newer than this hadath knows ({known}); upgrade hadath")]
    TooNew { url: String, found: i64, known: i64 },
    #[error("bad filter: {0}")]
    Filter(String),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the CSV export: {0}")]
    Csv(#[from] csv::Error),
    #[error("JSON error in the store: {0}")]
    Json(#[from] serde_json::Error),
    #[cfg(feature = "parquet")]
    #[error("cannot write the Parquet export: {0}")]
    Parquet(String),
    #[error("the store is inconsistent: {0}")]
    Inconsistent(String),
}

const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/001_init.sql")),
    (
        2,
        include_str!("../migrations/sqlite/002_filter_indexes.sql"),
    ),
    (3, include_str!("../migrations/sqlite/003_generation.sql")),
    (
        4,
        include_str!("../migrations/sqlite/004_mention_counts.sql"),
    ),
    (5, include_str!("../migrations/sqlite/005_lighter_rows.sql")),
    (
        6,
        include_str!("../migrations/sqlite/006_search_without_positions.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/007_search_trigrams.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/001_init.sql")),
    (
        2,
        include_str!("../migrations/postgres/002_filter_indexes.sql"),
    ),
    (3, include_str!("../migrations/postgres/003_generation.sql")),
    (
        4,
        include_str!("../migrations/postgres/004_mention_counts.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/005_lighter_rows.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/006_search_without_positions.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/007_search_trigrams.sql"),
    ),
];

const GENERATION_SQL: &str = "SELECT n FROM store_generation WHERE id = 1";

/// Where a store lives, parsed from `--db`.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:PATH` or a plain path is SQLite.
    pub fn parse(url: &str) -> Location {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Location::Postgres(url.to_string())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Location::Sqlite(PathBuf::from(path))
        }
    }
}

/// An extracted record with what the store computes from it before writing (content hash,
/// MinHash signature, JSON, search text): made where records are made, so that this work runs
/// in parallel rather than in the one thread that writes.
pub struct Prepared {
    derived: ingest::Derived,
}

impl Prepared {
    /// Prepares a record; the record itself is dropped here (the store needs only what it
    /// derived from it).
    pub fn new(record: hadath_extract::Record) -> Result<Prepared, StoreError> {
        Ok(Prepared {
            derived: ingest::Derived::of(&record)?,
        })
    }

    /// The content hash the store keys the document by ([`content_hash`] of its text).
    pub fn hash(&self) -> &str {
        self.derived.hash()
    }
}

/// An open ingest transaction ([`Store::begin_ingest`]): batches added with [`Ingest::add`]
/// are stored when [`Ingest::commit`] returns, or not at all (a failed batch, a drop without
/// commit, a killed process).
pub struct Ingest<'s> {
    store: &'s mut Store,
    /// The store's copies, taken for the transaction: given back at its end, emptied unless
    /// it committed.
    copies: copies::Copies,
    /// The store generation when the transaction began.
    generation: i64,
    /// Whether a batch stored a document (the generation moves at commit).
    stored: bool,
    /// Whether a batch failed: the transaction can only be rolled back.
    failed: bool,
    /// Whether the transaction is still open (not committed or rolled back).
    open: bool,
}

impl Ingest<'_> {
    /// The error of a transaction a batch of which failed.
    fn failed_before() -> StoreError {
        StoreError::Inconsistent(
            "an earlier batch of this ingest transaction failed; it was not stored".into(),
        )
    }

    /// Adds a batch of prepared records to the transaction; documents already stored (same
    /// text), in the store or earlier in the transaction, are skipped. After an error the
    /// transaction can only be dropped (rolled back).
    pub fn add(&mut self, batch: &[Prepared]) -> Result<BatchStats, StoreError> {
        let items: Vec<_> = batch.iter().map(|p| &p.derived).collect();
        self.write(&items)
    }

    fn write(&mut self, items: &[&ingest::Derived]) -> Result<BatchStats, StoreError> {
        if self.failed {
            return Err(Ingest::failed_before());
        }
        let merge = self.store.merge.clone();
        match ingest::write_batch(self.store.conn.as_mut(), items, &merge, &mut self.copies) {
            Ok(stats) => {
                self.stored |= stats.documents > 0;
                Ok(stats)
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    /// Commits the transaction: everything added is stored.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if self.failed {
            return Err(Ingest::failed_before());
        }
        let conn = self.store.conn.as_mut();
        let mut generation = self.generation;
        if self.stored {
            conn.exec("UPDATE store_generation SET n = n + 1 WHERE id = 1", &[])?;
            generation += 1;
        }
        conn.batch("COMMIT;")?;
        self.open = false;
        // Failing to switch back only leaves later queries with stable plans: the batches
        // are stored.
        let _ = conn.stable_plans(false);
        self.copies.committed(generation);
        self.store.copies = std::mem::take(&mut self.copies);
        Ok(())
    }
}

impl Drop for Ingest<'_> {
    /// Rolls back a transaction that did not commit; the copies, which hold its batches, are
    /// emptied.
    fn drop(&mut self) {
        if self.open {
            let conn = self.store.conn.as_mut();
            let _ = conn.batch("ROLLBACK;");
            let _ = conn.stable_plans(false);
            self.copies.clear();
            self.store.copies = std::mem::take(&mut self.copies);
        }
    }
}

/// A connection to a hadath store.
pub struct Store {
    conn: Box<dyn Conn>,
    url: String,
    merge: MergeOptions,
    worker: String,
    /// What near-duplicate search and the merge lookup have read or written, while the store
    /// does not change.
    copies: copies::Copies,
}

impl Store {
    /// Opens (creating and migrating if needed) the store at `url`: a SQLite path, or a
    /// `postgres://user@host/db` URL.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let open_err = |reason: String| StoreError::Open {
            url: url.to_string(),
            reason,
        };
        let conn: Box<dyn Conn> =
            match Location::parse(url) {
                Location::Sqlite(path) => {
                    if path.is_dir() {
                        return Err(open_err(
                            "it is a directory; give a file path such as ./hadath.db".into(),
                        ));
                    }
                    let conn =
                        rusqlite::Connection::open(&path).map_err(|e| open_err(e.to_string()))?;
                    conn.busy_timeout(std::time::Duration::from_secs(30))?;
                    search::register(&conn).map_err(|e| open_err(e.to_string()))?;
                    // WAL: readers (hadath serve) never block the writer; NORMAL sync is durable
                    // at every checkpoint and never corrupts on a crash.
                    conn.pragma_update(None, "journal_mode", "WAL")
                        .map_err(|e| open_err(format!("{e} (is it a hadath store?)")))?;
                    conn.pragma_update(None, "synchronous", "NORMAL")?;
                    conn.pragma_update(None, "foreign_keys", "ON")?;
                    conn.pragma_update(None, "cache_size", -65536)?;
                    // Statement journals (for statements that may need a partial rollback) in
                    // memory, not in temporary files written with a system call per page.
                    conn.pragma_update(None, "temp_store", "MEMORY")?;
                    // Checkpoint the write-ahead log every 32 MiB rather than 4 MiB: an ingest
                    // rewrites the same index pages batch after batch, and each checkpoint copies
                    // them into the database (and syncs) once.
                    conn.pragma_update(None, "wal_autocheckpoint", 8192)?;
                    // Ingest and queries use a few dozen distinct statements: keep them all prepared.
                    conn.set_prepared_statement_cache_capacity(256);
                    Box::new(Sqlite { conn })
                }
                Location::Postgres(u) => {
                    let client = postgres::Client::connect(&u, postgres::NoTls).map_err(|e| {
                        open_err(format!("{e}; is PostgreSQL running and the URL right?"))
                    })?;
                    Box::new(Postgres::new(client).map_err(|e| {
                        open_err(format!("{e} (hadath needs PostgreSQL 12 or later)"))
                    })?)
                }
            };
        let mut store = Store {
            conn,
            url: redact(url),
            merge: MergeOptions::default(),
            worker: format!("{}-{}", hostname(), std::process::id()),
            copies: copies::Copies::default(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The store's URL with any password removed, for messages.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// Changes how events from different documents are merged (for later ingests).
    pub fn set_merge_options(&mut self, merge: MergeOptions) {
        self.merge = merge;
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let (migrations, create) = match self.conn.dialect() {
            Dialect::Sqlite => (
                SQLITE_MIGRATIONS,
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
            ),
            Dialect::Postgres => (
                POSTGRES_MIGRATIONS,
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
            ),
        };
        if self.conn.dialect() == Dialect::Postgres {
            // Two workers starting at once must not both run a migration.
            self.conn
                .batch("BEGIN; SELECT pg_advisory_xact_lock(7240);")?;
        } else {
            self.conn.batch("BEGIN IMMEDIATE;")?;
        }
        let result = (|| {
            self.conn.batch(create)?;
            let current = self
                .conn
                .rows("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?
                .first()
                .and_then(|r| r.first())
                .and_then(Value::int)
                .unwrap_or(0);
            let known = migrations.last().map(|m| m.0).unwrap_or(0);
            if current > known {
                return Err(StoreError::TooNew {
                    url: self.url.clone(),
                    found: current,
                    known,
                });
            }
            for (version, sql) in migrations.iter().filter(|m| m.0 > current) {
                self.conn.batch(sql)?;
                self.conn.exec(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    &[Value::Int(*version), Value::Text(now())],
                )?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => self.conn.batch("COMMIT;"),
            Err(e) => {
                let _ = self.conn.batch("ROLLBACK;");
                Err(e)
            }
        }
    }

    /// Begins a transaction on the connection (PostgreSQL: serialised between workers by an
    /// advisory lock, so concurrent merges never race).
    fn begin(&mut self) -> Result<(), StoreError> {
        match self.conn.dialect() {
            Dialect::Sqlite => self.conn.batch("BEGIN IMMEDIATE;"),
            Dialect::Postgres => self
                .conn
                .batch("BEGIN; SELECT pg_advisory_xact_lock(7241);"),
        }
    }

    /// Stores a batch of extracted records in one transaction; documents already stored
    /// (same text) are skipped.
    pub fn ingest(&mut self, records: &[hadath_extract::Record]) -> Result<BatchStats, StoreError> {
        let derived = records
            .iter()
            .map(ingest::Derived::of)
            .collect::<Result<Vec<_>, _>>()?;
        let items: Vec<_> = derived.iter().collect();
        let mut tx = self.begin_ingest()?;
        let stats = tx.write(&items)?;
        tx.commit()?;
        Ok(stats)
    }

    /// [`Store::ingest`] of records prepared beforehand ([`Prepared::new`], which can run on
    /// other threads while the store writes).
    pub fn ingest_prepared(&mut self, batch: &[Prepared]) -> Result<BatchStats, StoreError> {
        let mut tx = self.begin_ingest()?;
        let stats = tx.add(batch)?;
        tx.commit()?;
        Ok(stats)
    }

    /// Begins an ingest transaction that can take several batches ([`Ingest::add`]) before it
    /// commits: each commit writes every page its batches touched, so fewer, larger
    /// transactions write less, while small batches keep extraction and writing overlapped.
    /// Nobody else writes to the store until it commits or is dropped (which rolls it back).
    pub fn begin_ingest(&mut self) -> Result<Ingest<'_>, StoreError> {
        let mut copies = std::mem::take(&mut self.copies);
        // The batches' lookups run thousands of times with new values: planned once each
        // (queries on this connection afterwards are planned for their values again).
        self.conn.stable_plans(true)?;
        let begun = self.begin().and_then(|()| {
            // Inside the transaction: nobody else writes until it ends.
            let generation = query::scalar(self.conn.as_mut(), GENERATION_SQL)?;
            copies.begin(self.conn.as_mut(), generation)?;
            Ok(generation)
        });
        match begun {
            Ok(generation) => Ok(Ingest {
                store: self,
                copies,
                generation,
                stored: false,
                failed: false,
                open: true,
            }),
            Err(e) => {
                let _ = self.conn.batch("ROLLBACK;");
                let _ = self.conn.stable_plans(false);
                copies.clear();
                self.copies = copies;
                Err(e)
            }
        }
    }

    /// A number that changes whenever an ingest has stored anything (in this process or any
    /// other): readers that keep answers (the server's cache) compare it to know when to
    /// drop them.
    pub fn generation(&mut self) -> Result<i64, StoreError> {
        query::scalar(self.conn.as_mut(), GENERATION_SQL)
    }

    /// Of these content hashes (see [`content_hash`]), the ones this worker should extract:
    /// not stored yet and, on PostgreSQL, not claimed by a live worker. Claims expire after ten
    /// minutes, so the documents of a killed worker are taken over.
    pub fn claim(&mut self, hashes: &[String]) -> Result<Vec<String>, StoreError> {
        let worker = self.worker.clone();
        ingest::claim(self.conn.as_mut(), hashes, &worker)
    }

    /// [`Store::claim`] under an explicit worker name (default: host and process id).
    pub fn claim_as(&mut self, hashes: &[String], worker: &str) -> Result<Vec<String>, StoreError> {
        ingest::claim(self.conn.as_mut(), hashes, worker)
    }

    /// Refreshes the statistics the query planner picks indexes by (after an ingest: a store
    /// analysed when small would otherwise keep choosing plans for a small table). Sampled on
    /// SQLite, so it takes milliseconds on any size.
    pub fn optimize(&mut self) -> Result<(), StoreError> {
        match self.conn.dialect() {
            Dialect::Sqlite => self.conn.batch("PRAGMA analysis_limit = 1000; ANALYZE;"),
            Dialect::Postgres => self.conn.batch("ANALYZE events; ANALYZE mentions;"),
        }
    }

    /// Document, event and mention counts.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        query::counts(self.conn.as_mut())
    }

    /// Events matching `filter`, one page of them, with the total count.
    pub fn events(&mut self, filter: &Filter, page: &Page) -> Result<EventPage, StoreError> {
        query::events(self.conn.as_mut(), filter, page, None)
    }

    /// [`Store::events`] with the total already known (a caller that pages through one filter
    /// counts once): only the page is read.
    pub fn events_counted(
        &mut self,
        filter: &Filter,
        page: &Page,
        total: i64,
    ) -> Result<EventPage, StoreError> {
        query::events(self.conn.as_mut(), filter, page, Some(total))
    }

    /// One event with every mention and its evidence.
    pub fn event(&mut self, id: i64) -> Result<Option<EventDetail>, StoreError> {
        query::event(self.conn.as_mut(), id, &mut query::RecordEvents::default())
    }

    /// One document with its text, record and events.
    pub fn document(&mut self, id: i64) -> Result<Option<DocumentDetail>, StoreError> {
        query::document(self.conn.as_mut(), id)
    }

    /// Counts by day and type, by type, and by country for the events matching `filter`.
    pub fn stats(&mut self, filter: &Filter) -> Result<Stats, StoreError> {
        query::stats(self.conn.as_mut(), filter)
    }

    /// Calls `f` on every event matching `filter`, in id order, in pages (constant memory).
    pub fn for_each_event(
        &mut self,
        filter: &Filter,
        mut f: impl FnMut(&mut Store, EventRow) -> Result<(), StoreError>,
    ) -> Result<usize, StoreError> {
        let mut after = 0i64;
        let mut n = 0;
        loop {
            let rows = query::events_after(self.conn.as_mut(), filter, after, 2000)?;
            if rows.is_empty() {
                return Ok(n);
            }
            for row in rows {
                after = row.id;
                n += 1;
                f(self, row)?;
            }
        }
    }

    /// Checks the invariants a crash must never break, and every index entry against its row;
    /// returns the problems found (none for a healthy store).
    pub fn check(&mut self) -> Result<Vec<String>, StoreError> {
        query::check(self.conn.as_mut(), true)
    }

    /// [`Store::check`] with SQLite's structural check of the file instead of checking every
    /// index entry (seconds instead of half a minute on a million events).
    pub fn quick_check(&mut self) -> Result<Vec<String>, StoreError> {
        query::check(self.conn.as_mut(), false)
    }
}

/// The keys of `keys` that `kept` lacks, ascending, each once: what a copy of the store must
/// read before it can answer.
pub(crate) fn absent<V, S: std::hash::BuildHasher>(
    keys: &[i64],
    kept: &std::collections::HashMap<i64, V, S>,
) -> Vec<i64> {
    let mut out: Vec<i64> = keys
        .iter()
        .copied()
        .filter(|k| !kept.contains_key(k))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn redact(url: &str) -> String {
    // postgres://user:secret@host/db → postgres://user:***@host/db
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        if let Some(at) = rest.find('@') {
            if let Some(colon) = rest[..at].find(':') {
                return format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &rest[..colon],
                    &rest[at..]
                );
            }
        }
    }
    url.to_string()
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "host".into())
}

/// Now as an RFC 3339 UTC timestamp (seconds).
pub(crate) fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let day = hadath_model::PartialDate::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        day.year,
        day.month.unwrap_or(1),
        day.day.unwrap_or(1),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reports written for this test: protests, arrests, strikes and attacks in nearby and
    /// distant cities (and none), dated by day, by month and not at all, by several outlets.
    fn varied_reports() -> Vec<hadath_extract::Record> {
        let pipeline =
            hadath_extract::Pipeline::new(hadath_extract::PipelineOptions::default()).unwrap();
        let acts = [
            "Thousands of protesters marched {place}{when} against higher fuel prices.",
            "Police detained dozens of opposition activists {place}{when}, witnesses said.",
            "Hundreds of dock workers went on strike {place}{when}, demanding higher wages.",
            "Gunmen killed three soldiers at a checkpoint {place}{when}, officials said.",
        ];
        let places = ["in Almaty", "in Astana", "in Cairo", "in Giza", ""];
        let whens = [" on Monday", " on Tuesday", " in March 2023", ""];
        let mut out = Vec::new();
        for (i, act) in acts.iter().enumerate() {
            for (j, place) in places.iter().enumerate() {
                for (k, when) in whens.iter().enumerate() {
                    for outlet in 0..2 {
                        let text = act.replace("{place}", place).replace("{when}", when);
                        let mut doc = hadath_model::Document::from_text(
                            format!("r{i}{j}{k}{outlet}"),
                            format!("{text} ({outlet})"),
                        );
                        doc.published = hadath_model::PartialDate::parse(if outlet == 0 {
                            "2023-03-15"
                        } else {
                            "2023-03-16"
                        });
                        doc.source = Some(format!("Outlet {outlet}"));
                        out.push(pipeline.process(doc));
                    }
                }
            }
        }
        out
    }

    /// Every event, mention and document of a store, as comparable text.
    fn dump(store: &mut Store) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT * FROM events ORDER BY id",
            "SELECT event_id, document_id, ordinal, sub, cluster_id FROM mentions ORDER BY id",
            "SELECT id, cluster_id FROM documents ORDER BY id",
            "SELECT band_key, document_id FROM document_bands ORDER BY band_key, document_id",
        ] {
            for row in store.conn.rows(sql, &[]).unwrap() {
                out.push(format!("{row:?}"));
            }
        }
        out
    }

    /// `check` names what a damaged store has wrong, and nothing in a healthy one.
    #[test]
    fn check_finds_damage() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("c.db").to_str().unwrap()).unwrap();
        store.ingest(&varied_reports()[..12]).unwrap();
        assert_eq!(store.check().unwrap(), Vec::<String>::new());
        store
            .conn
            .batch(
                "UPDATE mentions SET ordinal = 40 WHERE id = 1; \
                 UPDATE events SET n_mentions = n_mentions + 1 WHERE id = 2; \
                 UPDATE events SET n_documents = 9 WHERE id = 3; \
                 DELETE FROM mentions WHERE event_id = 4;",
            )
            .unwrap();
        for problems in [store.check().unwrap(), store.quick_check().unwrap()] {
            let mut found: Vec<&str> = problems.iter().map(String::as_str).collect();
            found.sort_unstable();
            assert_eq!(
                found,
                [
                    "1 events whose n_documents is wrong",
                    "1 events whose n_mentions is wrong",
                    "1 events without mentions",
                    "1 mentions that point past the events of their document's record",
                ]
            );
        }
    }

    /// The merge lookup's in-memory copy of the event groups answers as the store does: the
    /// same reports ingested with the copy and with every lookup asked of the store give the
    /// same events, mentions and clusters.
    #[test]
    fn copied_event_groups_merge_as_the_store_does() {
        let reports = varied_reports();
        assert!(reports.iter().map(|r| r.events.len()).sum::<usize>() > 100);
        let dir = tempfile::tempdir().unwrap();
        let mut copied = Store::open(dir.path().join("copied.db").to_str().unwrap()).unwrap();
        let mut asked = Store::open(dir.path().join("asked.db").to_str().unwrap()).unwrap();
        asked.copies.groups = groups::EventGroups::uncopied();
        asked.copies.near = neardup::NearDups::never_whole();
        // Some groups copied, the larger ones asked of the store, in the same batches.
        let mut mixed = Store::open(dir.path().join("mixed.db").to_str().unwrap()).unwrap();
        mixed.copies.groups = groups::EventGroups::copying_at_most(1);
        // Copies that read the store group by group and band by band, never whole, and are
        // emptied after every batch: counts are then read from the store too.
        let mut partial = Store::open(dir.path().join("partial.db").to_str().unwrap()).unwrap();
        let mut merged = 0;
        let (mut small, mut large) = (0, 0);
        for batch in reports.chunks(7) {
            partial.copies.groups = groups::EventGroups::default().never_whole();
            partial.copies.near = neardup::NearDups::never_whole();
            let a = copied.ingest(batch).unwrap();
            let b = asked.ingest(batch).unwrap();
            assert_eq!(a, b);
            assert_eq!(a, mixed.ingest(batch).unwrap());
            assert_eq!(a, partial.ingest(batch).unwrap());
            let (s, l) = mixed.copies.groups.kinds();
            (small, large) = (small.max(s), large.max(l));
            // Read again at the next batch, groups grown past one event are too large.
            mixed.copies.clear();
            merged += a.merged_events;
            assert!(!copied.copies.counts.is_empty(), "counts are kept");
        }
        assert!(
            small > 0 && large > 0,
            "{small} groups copied, {large} too large"
        );
        assert_eq!(dump(&mut copied), dump(&mut mixed));
        assert_eq!(dump(&mut copied), dump(&mut partial));
        assert!(merged > 20, "{merged} merges");
        let stats = copied.counts().unwrap();
        assert!(
            stats.events > 10 && stats.mentions > stats.events,
            "{stats:?}"
        );
        assert_eq!(dump(&mut copied), dump(&mut asked));
        assert_eq!(copied.check().unwrap(), Vec::<String>::new());
    }

    /// Batches added to one ingest transaction store what separate transactions store; a
    /// transaction dropped before it commits stores nothing, and leaves no trace in what the
    /// store's next ingest finds.
    #[test]
    fn an_ingest_transaction_takes_several_batches_or_none() {
        let reports = varied_reports();
        let prepared: Vec<Prepared> = reports
            .iter()
            .cloned()
            .map(|r| Prepared::new(r).unwrap())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut one = Store::open(dir.path().join("one.db").to_str().unwrap()).unwrap();
        let mut each = Store::open(dir.path().join("each.db").to_str().unwrap()).unwrap();
        let (a, b) = prepared.split_at(prepared.len() / 2);
        // Abandoned: the first half, then dropped without commit.
        {
            let mut tx = one.begin_ingest().unwrap();
            assert!(tx.add(a).unwrap().documents > 0);
        }
        assert_eq!(one.counts().unwrap().documents, 0);
        let mut tx = one.begin_ingest().unwrap();
        let mut stats = tx.add(a).unwrap();
        stats.add(&tx.add(b).unwrap());
        tx.commit().unwrap();
        let mut separate = each.ingest_prepared(a).unwrap();
        separate.add(&each.ingest_prepared(b).unwrap());
        assert_eq!(stats, separate);
        assert_eq!(dump(&mut one), dump(&mut each));
        assert_eq!(one.check().unwrap(), Vec::<String>::new());
        // Again: everything is stored already.
        let mut tx = one.begin_ingest().unwrap();
        assert_eq!(tx.add(&prepared).unwrap().skipped, prepared.len());
        tx.commit().unwrap();
    }

    /// A SQLite store at schema `version` (the migrations up to it), for migration tests.
    fn sqlite_at_version(path: &std::path::Path, version: usize) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(path).unwrap();
        // Migration 6 rebuilds the search index with a function of the store's.
        search::register(&c).unwrap();
        c.execute_batch(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);",
        )
        .unwrap();
        for (v, sql) in &SQLITE_MIGRATIONS[..version] {
            c.execute_batch(sql).unwrap();
            c.execute("INSERT INTO schema_version VALUES (?1, 'then')", [v])
                .unwrap();
        }
        c
    }

    /// Migrations 6 and 7 rebuild the search index of a schema-5 or schema-6 store (without
    /// positions, then from trigrams) from each document's normalised text, and searches find
    /// words as before.
    #[test]
    fn migrations_6_and_7_rebuild_the_search_index() {
        for (version, body) in [
            (
                5,
                "hundreds of students protested in cairo, demanding lower fees.",
            ),
            (6, "hundreds students protested cairo demanding lower fees"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("v{version}.db"));
            {
                let c = sqlite_at_version(&path, version);
                c.execute_batch(
                    "INSERT INTO documents (id, content_hash, doc_key, source, lang, date, format, \
                     minhash, cluster_id, n_events, text, record, ingested_at) VALUES \
                     (1, 'h1', 'a', 'Nile Post', 'en', '2023-03-20', 'text', '', 1, 1, \
                     'Hundreds of STUDENTS protested in Cairo, demanding lower fees.', '{}', '2023-04-01T10:00:00Z');
                     INSERT INTO events (id, event_type, context, confidence, n_mentions, n_documents, \
                     n_sources, lang, sources, summary) VALUES (1, 'PROTEST', '', 0.9, 1, 1, 1, 'en', '', '');
                     INSERT INTO mentions (event_id, document_id, ordinal, sub, confidence, lang, \
                     sentence_start, sentence_end, cluster_id, document_source, reported) VALUES \
                     (1, 1, 0, 0, 0.9, 'en', 0, 10, 1, 'Nile Post', '2023-03-20');",
                )
                .unwrap();
                c.execute(
                    "INSERT INTO documents_fts (rowid, body) VALUES (1, ?)",
                    [body],
                )
                .unwrap();
            }
            let mut store = Store::open(path.to_str().unwrap()).unwrap();
            let sql = store
                .conn
                .rows(
                    "SELECT sql FROM sqlite_master WHERE name = 'documents_fts'",
                    &[],
                )
                .unwrap();
            let sql = sql[0][0].text().unwrap();
            assert!(
                sql.contains("detail = none") && sql.contains("tokenize = 'ascii'"),
                "{sql}"
            );
            let mut count = |q: &str| {
                let (f, p) = Filter::from_pairs([("q", q)]).unwrap();
                store.events(&f, &p).unwrap().total
            };
            assert_eq!(count("students demanding"), 1, "from version {version}");
            assert_eq!(count("studemand"), 0);
            assert_eq!(store.check().unwrap(), Vec::<String>::new());
        }
    }

    /// A store of schema version 3 gets its mentions' document columns from the documents
    /// when migration 4 runs, and the event counts read from them stay right.
    #[test]
    fn migration_4_copies_document_columns_into_mentions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        {
            let c = sqlite_at_version(&path, 3);
            c.execute_batch(
                "INSERT INTO documents (id, content_hash, doc_key, source, lang, date, format, \
                 minhash, cluster_id, n_events, text, record, ingested_at) VALUES \
                 (1, 'h1', 'a', 'Steppe Daily', 'en', '2023-03-14', 'text', '', 1, 1, 'x', '{}', '2023-04-01T10:00:00Z'), \
                 (2, 'h2', 'b', NULL, 'en', NULL, 'text', '', 1, 1, 'y', '{}', '2023-04-02T11:00:00Z');
                 INSERT INTO events (id, event_type, context, confidence, n_mentions, n_documents, \
                 n_sources, lang, sources, summary) VALUES (1, 'PROTEST', '', 0.9, 2, 1, 2, 'en', '', '');
                 INSERT INTO mentions (event_id, document_id, ordinal, sub, confidence, lang, \
                 sentence_start, sentence_end, evidence) VALUES \
                 (1, 1, 0, 0, 0.9, 'en', 0, 1, '{}'), (1, 2, 0, 0, 0.8, 'en', 0, 1, '{}');",
            )
            .unwrap();
        }
        let mut store = Store::open(path.to_str().unwrap()).unwrap();
        let rows = store
            .conn
            .rows(
                "SELECT cluster_id, document_source, reported FROM mentions ORDER BY document_id",
                &[],
            )
            .unwrap();
        let got: Vec<(Option<i64>, Option<String>, Option<String>)> = rows
            .iter()
            .map(|r| (r[0].int(), r[1].string(), r[2].string()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    Some("Steppe Daily".into()),
                    Some("2023-03-14".into())
                ),
                (Some(1), None, Some("2023-04-02".into())),
            ]
        );
        assert_eq!(store.check().unwrap(), Vec::<String>::new());
        // Counts recomputed from the copied columns: one cluster, two outlets (a named source
        // and an unnamed document's cluster), first and last report.
        ingest::refresh(store.conn.as_mut(), 1).unwrap();
        let r = &store
            .conn
            .rows(
                "SELECT n_documents, n_sources, first_reported, last_reported FROM events",
                &[],
            )
            .unwrap()[0];
        assert_eq!(
            (r[0].int(), r[1].int(), r[2].string(), r[3].string()),
            (
                Some(1),
                Some(2),
                Some("2023-03-14".into()),
                Some("2023-04-02".into())
            )
        );
    }

    #[test]
    fn locations_parse() {
        assert_eq!(
            Location::parse("postgres://u@h/db"),
            Location::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            Location::parse("sqlite:x.db"),
            Location::Sqlite(PathBuf::from("x.db"))
        );
        assert_eq!(
            Location::parse("./hadath.db"),
            Location::Sqlite(PathBuf::from("./hadath.db"))
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://me:secret@localhost/h"),
            "postgres://me:***@localhost/h"
        );
        assert_eq!(redact("hadath.db"), "hadath.db");
    }

    #[test]
    fn now_is_rfc3339() {
        let n = now();
        assert_eq!(n.len(), 20);
        assert!(n.ends_with('Z'));
    }

    #[test]
    fn a_directory_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(dir.path().to_str().unwrap())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("directory"), "{err}");
    }

    #[test]
    fn a_text_file_is_not_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.db");
        std::fs::write(
            &p,
            "these are my notes, not a database, and they are long enough",
        )
        .unwrap();
        let err = Store::open(p.to_str().unwrap()).err().unwrap().to_string();
        assert!(err.contains("notes.db"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "these are my notes, not a database, and they are long enough"
        );
    }
}
