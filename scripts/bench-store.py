#!/usr/bin/env python3
"""Store benchmarks: ingest throughput against bare extraction, and query latency on a large
generated store.

  scripts/bench-store.py ingest [--docs 20000] [--runs 3] [--pg URL] [--articles | --mixed]
      Generates a corpus of news-like documents (the generator of bench-extract.py), times
      `hadath extract` (bare), `hadath ingest` into a new SQLite file (medians of --runs runs,
      wall and CPU time) and, with --pg, into a new PostgreSQL database; prints docs/s and the
      ingest/extract ratio. The generated documents are short (0.8 kB) and dense with events;
      --articles takes real news articles instead (1.7 kB on average: the English GeoVirus dev
      texts of ../shared/gold, each copied --docs / 94 times with an outlet line of its own).

  scripts/bench-store.py gen --events 1000000 --db big.db
      Writes a synthetic store (schema from `hadath check`, rows through Python's sqlite3):
      events spread over 16 types, 40 countries and five years, one to three mentions each,
      documents with searchable text. Used for query latency and the server load test.

  scripts/bench-store.py query --db big.db
      Runs the hadath-store example `bench_query` (p50/p99 per typical filter).
"""
import argparse, importlib.util, json, os, random, resource, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/hadath")


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_extract", os.path.join(ROOT, "scripts/bench-extract.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def corpus(path, docs, seed=11):
    gen = load_generator()
    rnd = random.Random(seed)
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for n in range(docs):
            paras = []
            for _ in range(rnd.randint(2, 5)):
                pool = gen.AR if rnd.random() < 0.6 else gen.EN
                paras.append(" ".join(gen.fill(rnd.choice(pool), rnd) for _ in range(rnd.randint(1, 3))))
            day = f"2022-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            line = json.dumps({"id": f"bench-{n}", "date": day, "source": f"outlet-{n % 40}",
                               "text": "\n\n".join(paras) + f" ({n})"}, ensure_ascii=False)
            f.write(line + "\n")
            size += len(line.encode()) + 1
    return size


def articles(path, docs):
    """The GeoVirus dev articles of ../shared/gold, each copied with an outlet line of its own
    (the copies of one article are near-duplicates, as syndicated news is)."""
    gold = os.path.join(ROOT, "..", "shared", "gold", "en_geovirus.dev.jsonl")
    if not os.path.exists(gold):
        sys.exit(f"--articles reads {gold}, which is not here")
    texts = [json.loads(line) for line in open(gold, encoding="utf-8")]
    size = 0
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for copy in range(max(1, docs // len(texts))):
            for t in texts:
                line = json.dumps({"id": f"{t['id']}-{copy}", "date": t.get("date"),
                                   "text": t["text"] + f"\n\nDistributed by outlet {copy}."},
                                  ensure_ascii=False)
                f.write(line + "\n")
                size += len(line.encode()) + 1
                n += 1
    return n, size


def mixed(path, docs, seed=3):
    """Unique documents of real sentences: each a run of 30-100 % of the paragraphs of one
    GeoVirus dev article of ../shared/gold, with one to three sentences of the other dev sets
    (English PLOVER, Arabic protest and assault) put in at random places."""
    gold = os.path.join(ROOT, "..", "shared", "gold")
    if not os.path.isdir(gold):
        sys.exit(f"--mixed reads {gold}, which is not here")
    read = lambda name: [json.loads(line) for line in open(os.path.join(gold, name), encoding="utf-8")]
    arts = read("en_geovirus.dev.jsonl")
    sents = [t["text"] for name in ("en_plv.dev.jsonl", "en_plover.dev.jsonl", "ar_protest.dev.jsonl",
                                    "ar_assault.dev.jsonl") for t in read(name)]
    rnd = random.Random(seed)
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for n in range(docs):
            art = rnd.choice(arts)
            paras = [p for p in art["text"].split("\n") if p.strip()]
            k = max(1, int(len(paras) * rnd.uniform(0.3, 1.0)))
            start = rnd.randrange(0, len(paras) - k + 1)
            body = paras[start:start + k]
            for _ in range(rnd.randint(1, 3)):
                body.insert(rnd.randrange(0, len(body) + 1), rnd.choice(sents))
            line = json.dumps({"id": f"mixed-{n}", "date": art.get("date") or "2020-03-01",
                               "source": f"outlet-{n % 50}", "text": "\n\n".join(body)},
                              ensure_ascii=False)
            f.write(line + "\n")
            size += len(line.encode()) + 1
    return size


def timed(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds of the process and its threads, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return dt, cpu, p.stderr


def median(xs):
    return sorted(xs)[len(xs) // 2]


def ingest(a):
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release -p hadath-cli")
    d = tempfile.mkdtemp()
    path = os.path.join(d, "corpus.jsonl")
    if a.articles:
        a.docs, size = articles(path, a.docs)
    elif a.mixed:
        size = mixed(path, a.docs)
    else:
        size = corpus(path, a.docs)
    print(f"corpus: {a.docs} documents, {size / 1e6:.1f} MB")
    # The machine's load moves single runs by tens of percent: each figure is the median of
    # --runs runs, extraction and ingest taking turns, and CPU time is reported beside wall time.
    ext, ing = [], []
    db = os.path.join(d, "bench.db")
    for _ in range(a.runs):
        ext.append(timed([BIN, "extract", "--no-text", "-o", os.devnull, path])[:2])
        for f in (db, db + "-wal", db + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        dt2, cpu2, err = timed([BIN, "ingest", path, "--db", db, "--quiet"])
        ing.append((dt2, cpu2))
    dt, cpu = median([e[0] for e in ext]), median([e[1] for e in ext])
    dt2, cpu2 = median([i[0] for i in ing]), median([i[1] for i in ing])
    print(f"bare extract:        {dt:6.2f} s  {a.docs / dt:7.0f} docs/s  {size / 1e6 / dt:5.1f} MB/s  CPU {cpu:.2f} s")
    print(f"ingest into SQLite:  {dt2:6.2f} s  {a.docs / dt2:7.0f} docs/s  ratio {dt2 / dt:.2f}x extract  "
          f"CPU {cpu2:.2f} s ({cpu2 / cpu:.2f}x)")
    print(f"   (medians of {a.runs} runs; walls: extract {' '.join(f'{e[0]:.2f}' for e in ext)}, "
          f"ingest {' '.join(f'{i[0]:.2f}' for i in ing)})")
    print("   " + err.strip().splitlines()[-1])
    dt3, _, _ = timed([BIN, "ingest", path, "--db", db, "--quiet"])
    print(f"re-ingest (all stored, nothing extracted): {dt3:.2f} s  {a.docs / dt3:.0f} docs/s")
    if a.pg:
        import uuid
        name = "bench_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", a.pg, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = a.pg.rsplit("/", 1)[0] + "/" + name
        dt4, _, err = timed([BIN, "ingest", path, "--db", url, "--quiet"])
        print(f"ingest into PostgreSQL: {dt4:6.2f} s  {a.docs / dt4:7.0f} docs/s  ratio {dt4 / dt:.2f}x extract")
        print("   " + err.strip().splitlines()[-1])
        subprocess.run(["psql", a.pg, "-qc", f"DROP DATABASE {name}"], check=True)
    os.remove(path)


TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
WEIGHTS = [3, 5, 2, 1, 2, 2, 1, 5, 4, 2, 2, 25, 1, 2, 20, 23]
MODES = {"PROTEST": ["demo", "riot", "strike", "obstruct"], "COERCE": ["arrest", "restrict", "seize"],
         "ASSAULT": ["firearms", "explosive", "aerial", "beat"]}
COUNTRIES = [("KZ", "KAZ", 43.25, 76.95, "Almaty"), ("EG", "EGY", 30.04, 31.24, "Cairo"),
             ("TN", "TUN", 36.81, 10.18, "Tunis"), ("IQ", "IRQ", 30.51, 47.78, "Basrah"),
             ("LB", "LBN", 33.89, 35.50, "Beirut"), ("SD", "SDN", 15.55, 32.53, "Khartoum"),
             ("JO", "JOR", 31.95, 35.93, "Amman"), ("MA", "MAR", 34.01, -6.83, "Rabat"),
             ("SY", "SYR", 33.51, 36.29, "Damascus"), ("YE", "YEM", 15.35, 44.21, "Sanaa"),
             ("LY", "LBY", 32.89, 13.19, "Tripoli"), ("DZ", "DZA", 36.75, 3.06, "Algiers"),
             ("IR", "IRN", 35.69, 51.39, "Tehran"), ("TR", "TUR", 39.93, 32.86, "Ankara"),
             ("PK", "PAK", 33.69, 73.06, "Islamabad"), ("FR", "FRA", 48.85, 2.35, "Paris"),
             ("US", "USA", 38.90, -77.04, "Washington"), ("GB", "GBR", 51.51, -0.13, "London"),
             ("RU", "RUS", 55.75, 37.62, "Moscow"), ("UA", "UKR", 50.45, 30.52, "Kyiv")] + [
             (f"X{i}", f"X{i:02d}", random.Random(i).uniform(-40, 60), random.Random(-i).uniform(-120, 140), f"Town{i}")
             for i in range(20)]
SECTORS = ["GOV", "COP", "MIL", "PRO", "OPP", "REB", "CVL", "LAB", "EDU", "MED"]
WORDS_EN = "protest police strike wages fuel prices parliament minister curfew clashes election court".split()
WORDS_AR = "احتجاج الشرطة إضراب الأجور الوقود الأسعار البرلمان الوزير حظر اشتباكات انتخابات المحكمة".split()


def gen(a):
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release -p hadath-cli")
    if os.path.exists(a.db):
        sys.exit(f"{a.db} exists; give a new path")
    subprocess.run([BIN, "check", "--db", a.db], check=True, capture_output=True)
    rnd = random.Random(5)
    con = sqlite3.connect(a.db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    n_docs = max(1, a.events // 4)
    t0 = time.perf_counter()
    base = 18262  # 2020-01-01
    events, mentions = [], []
    # Each mention is the next event of its document's record (`ordinal`), so that the
    # documents' event counts agree with their mentions (what `hadath check` verifies).
    doc_events = [0] * (n_docs + 1)
    mid = 0
    for i in range(1, a.events + 1):
        t = rnd.choices(TYPES, WEIGHTS)[0]
        mode = rnd.choice(MODES[t]) if t in MODES else None
        cc, iso3, lat, lon, city = COUNTRIES[min(int(rnd.expovariate(0.12)), len(COUNTRIES) - 1)]
        day = base + rnd.randrange(5 * 365)
        y, m, d = time.gmtime(day * 86400)[:3]
        date = f"{y:04d}-{m:02d}-{d:02d}"
        s1, s2 = rnd.choice(SECTORS), rnd.choice(SECTORS)
        nm = rnd.choice([1, 1, 1, 2, 3])
        doc = rnd.randrange(1, n_docs + 1)
        lang = "ar" if rnd.random() < 0.5 else "en"
        events.append((i, t, mode, "", round(rnd.uniform(0.3, 1.0), 3), date, "day", day, day, None,
                       iso3 + s1, iso3, s1, "actor", iso3 + s2 if rnd.random() < 0.5 else None, iso3, s2, "target",
                       cc, iso3, "01", city, 1000 + i % 40, lat + rnd.uniform(-0.5, 0.5), lon + rnd.uniform(-0.5, 0.5),
                       "sentence", nm, nm, nm, date, date, None, lang, f"outlet-{doc % 300}", f"{t} in {city} ({i})"))
        for k in range(nm):
            mid += 1
            mdoc = (doc + k - 1) % n_docs + 1
            ordinal = doc_events[mdoc]
            doc_events[mdoc] += 1
            mentions.append((mid, i, mdoc, ordinal, 0, 0.9, lang, f"outlet-{doc % 300}", date, None, 0, 30,
                             mdoc, f"outlet-{mdoc % 300}", "2022-01-01"))
        if len(events) >= 50000:
            flush(con, events, mentions)
            events, mentions = [], []
    flush(con, events, mentions)
    docs = []
    for i in range(1, n_docs + 1):
        ar = rnd.random() < 0.5
        words = WORDS_AR if ar else WORDS_EN
        text = " ".join(rnd.choice(words) for _ in range(30)) + f" {i}"
        docs.append((i, f"{i:064x}", f"gen-{i}", None, None, f"outlet-{i % 300}", "ar" if ar else "en",
                     "2022-01-01", "json", "0" * 256, i, doc_events[i], text, "{}", "2026-01-01T00:00:00Z"))
    con.executemany("INSERT INTO documents (id, content_hash, doc_key, url, title, source, lang, date, format, "
                    "minhash, cluster_id, n_events, text, record, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
    del docs
    # The search index holds what the store's own SQL function makes of each text: it is built
    # by migration 7, as on a store upgraded from schema 6, which `hadath check` runs.
    con.execute("DELETE FROM schema_version WHERE version >= 7")
    con.commit()
    con.close()
    subprocess.run([BIN, "check", "--db", a.db], check=True, capture_output=True)
    con = sqlite3.connect(a.db)
    con.execute("ANALYZE")
    con.close()
    print(f"generated {a.events} events, {mid} mentions, {n_docs} documents in {time.perf_counter() - t0:.0f} s -> {a.db}")


def flush(con, events, mentions):
    con.executemany("INSERT INTO events VALUES (" + ",".join("?" * 35) + ")", events)
    con.executemany("INSERT INTO mentions (id, event_id, document_id, ordinal, sub, confidence, lang, source, "
                    "date, fatalities, sentence_start, sentence_end, cluster_id, document_source, reported) "
                    "VALUES (" + ",".join("?" * 15) + ")", mentions)


def query(a):
    subprocess.run(["cargo", "run", "-q", "--release", "-p", "hadath-store", "--example", "bench_query", "--", a.db],
                   cwd=ROOT, check=True)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest"); p.add_argument("--docs", type=int, default=20000); p.add_argument("--pg")
    p.add_argument("--runs", type=int, default=3); corpora = p.add_mutually_exclusive_group()
    corpora.add_argument("--articles", action="store_true"); corpora.add_argument("--mixed", action="store_true")
    p = sub.add_parser("gen"); p.add_argument("--events", type=int, default=1_000_000); p.add_argument("--db", required=True)
    p = sub.add_parser("query"); p.add_argument("--db", required=True)
    a = ap.parse_args()
    {"ingest": ingest, "gen": gen, "query": query}[a.cmd](a)


if __name__ == "__main__":
    main()
