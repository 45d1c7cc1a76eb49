-- hadath store, schema version 7 (SQLite).
-- The search index holds each document's distinct trigrams, as words of FTS5's `ascii`
-- tokenizer (`hadath_search_grams`, src/search.rs), where the `trigram` tokenizer was given
-- each distinct word: it made every trigram of the text, those that span a space between two
-- words among them, and the index wrote each one it made. Fed only the distinct trigrams of
-- the words, it writes 40 % of the tokens for the same answers: a search asks for the
-- trigrams of its words, which the `ascii` tokenizer reads as one token each, and
-- `hadath_has_terms` checks the candidates as before.
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (body, content = '', tokenize = 'ascii', detail = none);
INSERT INTO documents_fts (rowid, body) SELECT id, hadath_search_grams(text) FROM documents;
