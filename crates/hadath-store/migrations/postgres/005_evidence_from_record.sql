-- hadath store, schema version 5 (PostgreSQL).
-- A mention's evidence (trigger, actors, place, date, quantities, sources with their offsets)
-- is read from its document's record, which holds every mention in full: the per-mention
-- copy was half of what an ingest wrote (and of the store), and nothing filtered on it.
ALTER TABLE mentions DROP COLUMN evidence;
