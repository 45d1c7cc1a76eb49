-- hadath store, schema version 3 (SQLite).
-- A counter that every ingest batch that stores anything raises in its own transaction, so a
-- reader (the server's answer cache) learns cheaply and exactly when the store has changed,
-- whichever process wrote to it.
CREATE TABLE store_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO store_generation (id, n) VALUES (1, 0);
-- The second actor's index also carries the first actor's code: the count of an actor-prefix
-- filter is "first actor matches" plus "second actor matches and the first does not", each
-- answered from one index alone (a union of both indexes sorts every matching row id).
DROP INDEX events_actor2_day;
CREATE INDEX events_actor2_day ON events (actor2_code, day_start, actor1_code);
