-- hadath store, schema version 1 (PostgreSQL): the same tables as migrations/sqlite/001_init.sql.
CREATE TABLE documents (
    id           BIGSERIAL PRIMARY KEY,
    content_hash TEXT    NOT NULL UNIQUE,
    doc_key      TEXT    NOT NULL,
    url          TEXT,
    title        TEXT,
    source       TEXT,
    lang         TEXT    NOT NULL,
    date         TEXT,
    format       TEXT    NOT NULL,
    minhash      TEXT    NOT NULL,
    cluster_id   BIGINT  NOT NULL,
    n_events     BIGINT  NOT NULL,
    text         TEXT    NOT NULL,
    record       TEXT    NOT NULL,
    ingested_at  TEXT    NOT NULL,
    search       TEXT    NOT NULL
);
CREATE INDEX documents_key ON documents (doc_key);
CREATE INDEX documents_url ON documents (url);
CREATE INDEX documents_cluster ON documents (cluster_id);

-- MinHash LSH bands of each document (src/minhash.rs): documents sharing a band key are
-- near-duplicate candidates.
CREATE TABLE document_bands (
    band_key    BIGINT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (band_key, document_id)
);

CREATE TABLE events (
    id             BIGSERIAL PRIMARY KEY,
    event_type     TEXT    NOT NULL,
    mode           TEXT,
    context        TEXT    NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    date           TEXT,
    date_precision TEXT,
    day_start      BIGINT,
    day_end        BIGINT,
    date_end       TEXT,
    actor1_code    TEXT, actor1_country TEXT, actor1_sector TEXT, actor1_text TEXT,
    actor2_code    TEXT, actor2_country TEXT, actor2_sector TEXT, actor2_text TEXT,
    country        TEXT,
    iso3           TEXT,
    admin1         TEXT,
    location       TEXT,
    geonameid      BIGINT,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  TEXT,
    n_mentions     BIGINT  NOT NULL,
    n_documents    BIGINT  NOT NULL,
    n_sources      BIGINT  NOT NULL,
    first_reported TEXT,
    last_reported  TEXT,
    fatalities     BIGINT,
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

CREATE TABLE mentions (
    id             BIGSERIAL PRIMARY KEY,
    event_id       BIGINT  NOT NULL REFERENCES events (id),
    document_id    BIGINT  NOT NULL REFERENCES documents (id),
    ordinal        BIGINT  NOT NULL,
    sub            BIGINT  NOT NULL,
    confidence     DOUBLE PRECISION NOT NULL,
    lang           TEXT    NOT NULL,
    source         TEXT,
    date           TEXT,
    fatalities     BIGINT,
    sentence_start BIGINT  NOT NULL,
    sentence_end   BIGINT  NOT NULL,
    evidence       TEXT    NOT NULL,
    UNIQUE (document_id, ordinal, sub)
);
CREATE INDEX mentions_event ON mentions (event_id);
CREATE INDEX mentions_document ON mentions (document_id);

-- Work claiming between concurrent ingest workers: a worker extracts only the documents whose
-- claim it won; a claim older than ten minutes (a killed worker) can be taken over.
CREATE TABLE claims (
    content_hash TEXT PRIMARY KEY,
    worker       TEXT NOT NULL,
    claimed_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
