#!/usr/bin/env python3
"""Reads hadath exports back with independent tools and checks them.

Usage: check-exports.py DIR N_EVENTS N_GEO
DIR holds events.csv, events.jsonl, events.geojson and events.parquet from `hadath export`.
Uses Python's csv and json modules, jsonschema (GeoJSON schema in tests/schemas) and pyarrow.
Exit 0 when every check holds; 3 when pyarrow or jsonschema is missing (the caller skips).
"""
import csv
import json
import pathlib
import sys

try:
    import jsonschema
    import pyarrow.parquet as pq
except ImportError as e:  # pragma: no cover
    print(f"skip: {e} (pip install pyarrow jsonschema)")
    sys.exit(3)

d = pathlib.Path(sys.argv[1])
n, n_geo = int(sys.argv[2]), int(sys.argv[3])
root = pathlib.Path(__file__).resolve().parent.parent

with open(d / "events.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == n, (len(rows), n)
for col in ["event_id", "event_date", "year", "time_precision", "event_type", "sub_event_type",
            "actor1", "assoc_actor_1", "inter1", "actor2", "country", "iso3", "admin1",
            "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
            "notes", "fatalities", "plover_type", "mode", "context", "actor1_code",
            "confidence", "n_sources", "n_mentions"]:
    assert col in rows[0], col
for r in rows:
    assert r["plover_type"], r
    if r["latitude"]:
        assert -90 <= float(r["latitude"]) <= 90

lines = (d / "events.jsonl").read_text(encoding="utf-8").splitlines()
assert len(lines) == n, (len(lines), n)
for line in lines:
    ev = json.loads(line)
    assert ev["mentions"], ev["id"]
    for m in ev["mentions"]:
        s = m["sentence"]["text"]
        for h in m["highlights"]:
            assert 0 <= h["start"] < h["end"] <= len(s), h

geo = json.loads((d / "events.geojson").read_text(encoding="utf-8"))
schema = json.loads((root / "tests/schemas/geojson-points.json").read_text())
jsonschema.validate(geo, schema)
assert len(geo["features"]) == n_geo, (len(geo["features"]), n_geo)

table = pq.read_table(d / "events.parquet")
assert table.num_rows == n, (table.num_rows, n)
assert str(table.schema.field("latitude").type) == "double"
assert str(table.schema.field("n_sources").type) == "int64"
ids = sorted(table.column("event_id").to_pylist())
assert ids == sorted(int(r["event_id"]) for r in rows)
print(f"ok: {n} events in csv, jsonl, parquet; {n_geo} features in geojson")
