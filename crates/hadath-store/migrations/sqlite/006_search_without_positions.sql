-- hadath store, schema version 6 (SQLite).
-- The search index keeps no positions (detail = none): writing them was most of the cost of
-- indexing a document. A search finds the documents holding every trigram of every word, and
-- `hadath_has_terms` (a function the store registers, src/search.rs) keeps those whose
-- normalised text holds each word, as the index with positions answered by itself.
-- Rebuilt from each document's text with `hadath_search_words`: what an ingest indexes (each
-- distinct word of its normalised text once).
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (body, content = '', tokenize = 'trigram', detail = none);
INSERT INTO documents_fts (rowid, body) SELECT id, hadath_search_words(text) FROM documents;
