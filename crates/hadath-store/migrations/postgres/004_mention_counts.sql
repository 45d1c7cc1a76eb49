-- hadath store, schema version 4 (PostgreSQL).
-- An event's counts (documents, outlets, first and last report) are recomputed from its
-- mentions whenever a later document's mention merges into it. Each mention now carries the
-- columns of its document those counts need, and the event index covers them, so the
-- recomputation reads one index range instead of every mention row and its document row.
-- A document's cluster, source, date and ingest time never change after it is stored.
ALTER TABLE mentions ADD COLUMN cluster_id BIGINT;
ALTER TABLE mentions ADD COLUMN document_source TEXT;
-- The document's date, else the day it was ingested (what first/last report count).
ALTER TABLE mentions ADD COLUMN reported TEXT;
UPDATE mentions SET
    cluster_id = (SELECT d.cluster_id FROM documents d WHERE d.id = mentions.document_id),
    document_source = (SELECT d.source FROM documents d WHERE d.id = mentions.document_id),
    reported = (SELECT COALESCE(d.date, substr(d.ingested_at, 1, 10))
                FROM documents d WHERE d.id = mentions.document_id);
DROP INDEX mentions_event;
CREATE INDEX mentions_event ON mentions (event_id, cluster_id, document_source, reported,
    confidence, lang, source, fatalities);
