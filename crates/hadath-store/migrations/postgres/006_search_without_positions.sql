-- hadath store, schema version 6 (PostgreSQL).
-- SQLite's migration 006 rebuilds its search index without positions. PostgreSQL searches
-- `documents.search` with LIKE and has nothing to change; the version keeps both dialects'
-- schema numbers in step.
SELECT 1;
