-- hadath store, schema version 3 (PostgreSQL).
-- A counter that every ingest batch that stores anything raises in its own transaction, so a
-- reader (the server's answer cache) learns cheaply and exactly when the store has changed,
-- whichever worker wrote to it. Batches are already serialised by an advisory lock, so the
-- row adds no waiting.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO store_generation (id, n) VALUES (1, 0);
-- Same indexes as SQLite's version 3: the second actor's index carries the first actor's code.
DROP INDEX events_actor2_day;
CREATE INDEX events_actor2_day ON events (actor2_code text_pattern_ops, day_start, actor1_code);
