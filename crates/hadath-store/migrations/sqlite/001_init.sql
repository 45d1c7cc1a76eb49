-- hadath store, schema version 1 (SQLite). Never edit a released migration: add 002_….sql.
-- Documents are keyed by the SHA-256 of their text (idempotent ingest); near-duplicates (MinHash,
-- src/minhash.rs) share a cluster_id (the id of the first document of the cluster).
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    content_hash TEXT    NOT NULL UNIQUE,
    doc_key      TEXT    NOT NULL,
    url          TEXT,
    title        TEXT,
    source       TEXT,
    lang         TEXT    NOT NULL,
    date         TEXT,
    format       TEXT    NOT NULL,
    minhash      TEXT    NOT NULL,
    cluster_id   INTEGER NOT NULL,
    n_events     INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    record       TEXT    NOT NULL,
    ingested_at  TEXT    NOT NULL
);
CREATE INDEX documents_key ON documents (doc_key);
CREATE INDEX documents_url ON documents (url);
CREATE INDEX documents_cluster ON documents (cluster_id);

-- MinHash LSH bands of each document (src/minhash.rs): documents sharing a band key are
-- near-duplicate candidates.
CREATE TABLE document_bands (
    band_key    INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    PRIMARY KEY (band_key, document_id)
) WITHOUT ROWID;

-- One row per real-world event: the mentions of every document that tells it are merged here.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    event_type     TEXT    NOT NULL,
    mode           TEXT,
    context        TEXT    NOT NULL,
    confidence     REAL    NOT NULL,
    date           TEXT,
    date_precision TEXT,
    day_start      INTEGER,
    day_end        INTEGER,
    date_end       TEXT,
    actor1_code    TEXT, actor1_country TEXT, actor1_sector TEXT, actor1_text TEXT,
    actor2_code    TEXT, actor2_country TEXT, actor2_sector TEXT, actor2_text TEXT,
    country        TEXT,
    iso3           TEXT,
    admin1         TEXT,
    location       TEXT,
    geonameid      INTEGER,
    lat            REAL,
    lon            REAL,
    geo_precision  TEXT,
    n_mentions     INTEGER NOT NULL,
    n_documents    INTEGER NOT NULL,
    n_sources      INTEGER NOT NULL,
    first_reported TEXT,
    last_reported  TEXT,
    fatalities     INTEGER,
    lang           TEXT    NOT NULL,
    sources        TEXT    NOT NULL,
    summary        TEXT    NOT NULL
);
CREATE INDEX events_type_day ON events (event_type, day_start);
CREATE INDEX events_day ON events (day_start);
CREATE INDEX events_country_day ON events (country, day_start);
CREATE INDEX events_actor1 ON events (actor1_code);
CREATE INDEX events_actor2 ON events (actor2_code);
CREATE INDEX events_lat ON events (lat);

-- The evidence: one row per mention of an event in a document.
CREATE TABLE mentions (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id),
    document_id    INTEGER NOT NULL REFERENCES documents (id),
    ordinal        INTEGER NOT NULL,
    sub            INTEGER NOT NULL,
    confidence     REAL    NOT NULL,
    lang           TEXT    NOT NULL,
    source         TEXT,
    date           TEXT,
    fatalities     INTEGER,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    evidence       TEXT    NOT NULL,
    UNIQUE (document_id, ordinal, sub)
);
CREATE INDEX mentions_event ON mentions (event_id);

-- Free-text search over the normalised text (Arabic folded, Latin lower-cased): trigrams find
-- Arabic stems inside words with clitics (متظاهر in والمتظاهرين).
CREATE VIRTUAL TABLE documents_fts USING fts5 (body, content = '', tokenize = 'trigram');
