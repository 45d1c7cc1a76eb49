-- hadath store, schema version 2 (PostgreSQL): the same filter indexes as SQLite's 002.
-- The version 1 indexes on type and on country gain the columns the timeline groups by.
DROP INDEX events_type_day;
-- With the place and actor columns, the index also answers the merge lookup of ingest (same
-- type, nearby day, nearby place, compatible actors) without reading the wide rows.
CREATE INDEX events_type_day ON events (event_type, day_start, day_end, lat, lon, country, actor1_code, actor2_code);
DROP INDEX events_country_day;
CREATE INDEX events_country_day ON events (country, day_start, day_end, event_type, confidence);
CREATE INDEX events_type_country_day ON events (event_type, country, day_start, day_end, lang);
CREATE INDEX events_type_lang_day ON events (event_type, lang, day_start, day_end);
CREATE INDEX events_day_span ON events (day_start, day_end, event_type, country);
CREATE INDEX events_span ON events ((day_end - day_start));
CREATE INDEX events_actor1_day ON events (actor1_code text_pattern_ops, day_start);
CREATE INDEX events_actor2_day ON events (actor2_code text_pattern_ops, day_start);
CREATE INDEX events_lat_lon ON events (lat, lon, day_start);
-- Sorting by confidence, and the minimum-confidence filter without other filters.
CREATE INDEX events_confidence ON events (confidence);
DROP INDEX events_actor1;
DROP INDEX events_actor2;
DROP INDEX events_lat;
ANALYZE events;
