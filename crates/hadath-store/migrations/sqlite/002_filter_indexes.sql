-- hadath store, schema version 2 (SQLite): indexes for the typical filters of `hadath query`
-- and GET /api/events on large stores (scripts/bench-store.py query: p99 under 50 ms on one
-- million events). Counts of a filtered page read these indexes only, never the wide rows.
-- type + country (+ date order), type + language, the date range (with its span, so that
-- "day_end >= from" is bounded), the actor code prefix with date order, and the map's box.
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
-- The longest event (day_end - day_start) bounds how early an event overlapping a range can
-- start: MAX over this index is one lookup.
CREATE INDEX events_span ON events ((day_end - day_start));
CREATE INDEX events_actor1_day ON events (actor1_code, day_start);
CREATE INDEX events_actor2_day ON events (actor2_code, day_start);
CREATE INDEX events_lat_lon ON events (lat, lon, day_start);
-- Sorting by confidence, and the minimum-confidence filter without other filters.
CREATE INDEX events_confidence ON events (confidence);
DROP INDEX events_actor1;
DROP INDEX events_actor2;
DROP INDEX events_lat;
-- Statistics for the planner to choose among these indexes (sampled: milliseconds at any size).
PRAGMA analysis_limit = 1000;
ANALYZE;
