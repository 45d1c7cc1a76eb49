-- hadath store, schema version 7 (PostgreSQL).
-- SQLite's migration 007 rebuilds its search index from trigrams. PostgreSQL searches
-- `documents.search` with LIKE and has nothing to change; the version keeps both dialects'
-- schema numbers in step.
SELECT 1;
