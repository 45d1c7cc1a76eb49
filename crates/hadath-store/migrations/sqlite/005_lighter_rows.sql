-- hadath store, schema version 5 (SQLite).
-- A mention's evidence (trigger, actors, place, date, quantities, sources with their offsets)
-- is read from its document's record, which holds every mention in full: the per-mention
-- copy was half of what an ingest wrote (and of the store), and nothing filtered on it.
ALTER TABLE mentions DROP COLUMN evidence;
-- The index on the first day alone: events_day_span (002) starts with the same column, and
-- every query the planner gave it takes that one at the same speed (scripts/bench-store.py
-- query on one million events); each event insert kept one index fewer up to date.
DROP INDEX events_day;
